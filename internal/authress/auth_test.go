package authress

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

func newTestAccessKey(t *testing.T) (string, ed25519.PublicKey) {
	t.Helper()
	key, public, err := generateAccessKey()
	if err != nil {
		t.Fatal(err)
	}
	return key, public
}

// generateAccessKey makes a service client access key for an account "acc_123".
func generateAccessKey() (string, ed25519.PublicKey, error) {
	public, private, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return "", nil, err
	}
	der, err := x509.MarshalPKCS8PrivateKey(private)
	if err != nil {
		return "", nil, err
	}
	return "sc_abc.k7Qa.acc_123." + base64.StdEncoding.EncodeToString(der), public, nil
}

func TestParseAccessKey(t *testing.T) {
	key, _ := newTestAccessKey(t)
	parsed, err := ParseAccessKey(key)
	if err != nil {
		t.Fatal(err)
	}
	if parsed.ClientID != "sc_abc" || parsed.KeyID != "k7Qa" || parsed.AccountID != "acc_123" {
		t.Fatalf("parsed %+v", parsed)
	}

	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	ecDER, _ := x509.MarshalPKCS8PrivateKey(ecKey)
	privatePart := key[strings.LastIndex(key, ".")+1:]
	cases := map[string]struct {
		key  string
		want string
	}{
		"three parts":      {"sc_abc.k7Qa." + privatePart, "four dot-separated parts"},
		"five parts":       {"sc.abc.k7Qa.acc_123." + privatePart, "four dot-separated parts"},
		"empty client id":  {".k7Qa.acc_123." + privatePart, "client id (part 1 of 4) is empty"},
		"empty account id": {"sc_abc.k7Qa.." + privatePart, "account id (part 3 of 4) is empty"},
		"not base64":       {"sc_abc.k7Qa.acc_123.%%%", "not valid standard base64"},
		"not PKCS#8":       {"sc_abc.k7Qa.acc_123." + base64.StdEncoding.EncodeToString([]byte("not a key")), "not a PKCS#8 private key"},
		"not Ed25519":      {"sc_abc.k7Qa.acc_123." + base64.StdEncoding.EncodeToString(ecDER), "Authress keys are Ed25519"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := ParseAccessKey(tc.key)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want it to contain %q", err, tc.want)
			}
			if strings.Contains(err.Error(), privatePart[:16]) {
				t.Fatal("the error repeats the private key")
			}
		})
	}
}

// verifyJWT checks an EdDSA JWT with the standard library alone, independently
// of the library that signed it, and returns its header and claims.
func verifyJWT(t *testing.T, token string, public ed25519.PublicKey) (header, claims map[string]any) {
	t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("token has %d parts", len(parts))
	}
	signature, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		t.Fatal(err)
	}
	if !ed25519.Verify(public, []byte(parts[0]+"."+parts[1]), signature) {
		t.Fatal("the signature does not verify with the access key's public key")
	}
	decode := func(part string) map[string]any {
		raw, err := base64.RawURLEncoding.DecodeString(part)
		if err != nil {
			t.Fatal(err)
		}
		var out map[string]any
		if err := json.Unmarshal(raw, &out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	return decode(parts[0]), decode(parts[1])
}

func TestSigningTokenSource(t *testing.T) {
	key, public := newTestAccessKey(t)
	parsed, err := ParseAccessKey(key)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	source := newSigningTokenSource(parsed, "https://auth.example.com", func() time.Time { return now })

	token, err := source.Token(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	header, claims := verifyJWT(t, token, public)
	wantHeader := map[string]any{"alg": "EdDSA", "kid": "k7Qa", "typ": "at+jwt"}
	for k, v := range wantHeader {
		if header[k] != v {
			t.Errorf("header %s = %v, want %v", k, header[k], v)
		}
	}
	wantClaims := map[string]any{
		"aud":       "acc_123.accounts.authress.io",
		"iss":       "https://auth.example.com/v1/clients/sc_abc",
		"sub":       "sc_abc",
		"client_id": "sc_abc",
		"scope":     "openid",
		"iat":       float64(now.Unix()),
		"exp":       float64(now.Add(24 * time.Hour).Unix()),
	}
	for k, v := range wantClaims {
		if claims[k] != v {
			t.Errorf("claim %s = %v, want %v", k, claims[k], v)
		}
	}

	// Reused while more than an hour of its life is left, renewed after.
	now = now.Add(22 * time.Hour)
	if again, _ := source.Token(t.Context()); again != token {
		t.Fatal("the token was not reused with 2 hours left")
	}
	now = now.Add(61 * time.Minute)
	renewed, _ := source.Token(t.Context())
	if renewed == token {
		t.Fatal("the token was not renewed with under an hour left")
	}
	if _, claims := verifyJWT(t, renewed, public); claims["exp"] != float64(now.Add(24*time.Hour).Unix()) {
		t.Fatalf("renewed token exp = %v", claims["exp"])
	}
	if n := source.signedCount(); n != 2 {
		t.Fatalf("signed %d tokens, want 2", n)
	}
}

func TestIssuerEscapesClientID(t *testing.T) {
	key, public := newTestAccessKey(t)
	parsed, _ := ParseAccessKey(key)
	parsed.ClientID = "sc/with space"
	token, err := newSigningTokenSource(parsed, "https://acc_123.api.authress.io", nil).Token(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if _, claims := verifyJWT(t, token, public); claims["iss"] != "https://acc_123.api.authress.io/v1/clients/sc%2Fwith%20space" {
		t.Fatalf("iss = %v", claims["iss"])
	}
}

func TestNormalizeBaseURL(t *testing.T) {
	good := map[string]string{
		"https://auth.example.com":       "https://auth.example.com",
		"https://auth.example.com/":      "https://auth.example.com",
		"auth.example.com":               "https://auth.example.com",
		"  auth.example.com/  ":          "https://auth.example.com",
		"https://auth.example.com:8443/": "https://auth.example.com:8443",
		"http://127.0.0.1:8080":          "http://127.0.0.1:8080",
		"http://localhost:1234/":         "http://localhost:1234",
		"http://[::1]:99":                "http://[::1]:99",
	}
	for in, want := range good {
		got, err := NormalizeBaseURL(in)
		if err != nil || got != want {
			t.Errorf("NormalizeBaseURL(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	bad := map[string]string{
		"":                            "empty",
		"http://auth.example.com":     "only https://",
		"http://10.0.0.1":             "only https://",
		"ftp://auth.example.com":      "scheme",
		"https://auth.example.com/v1": "without a path",
		"https://auth.example.com?a":  "query",
		"https://user:pw@example.com": "user information",
		"https://":                    "no host",
	}
	for in, want := range bad {
		if _, err := NormalizeBaseURL(in); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("NormalizeBaseURL(%q) error = %v, want it to contain %q", in, err, want)
		}
	}
}

func TestNewConfigErrors(t *testing.T) {
	key, _ := newTestAccessKey(t)
	cases := map[string]struct {
		cfg   Config
		field ConfigField
	}{
		"no key":                 {Config{APIURL: "https://auth.example.com"}, FieldAccessKey},
		"malformed key":          {Config{AccessKey: "a.b.c"}, FieldAccessKey},
		"jwt without url":        {Config{AccessKey: "eyJhbGciOi.x.y"}, FieldAPIURL},
		"http to a non-loopback": {Config{AccessKey: key, APIURL: "http://auth.example.com"}, FieldAPIURL},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := New(tc.cfg)
			var configErr *ConfigError
			if err == nil || !errors.As(err, &configErr) || configErr.Field != tc.field {
				t.Fatalf("New() error = %v, want a ConfigError for field %d", err, tc.field)
			}
		})
	}
	client, err := New(Config{AccessKey: key})
	if err != nil {
		t.Fatal(err)
	}
	if client.BaseURL() != "https://acc_123.api.authress.io" {
		t.Fatalf("default base URL = %q", client.BaseURL())
	}
}

// signedCount is how many tokens the source has signed.
func (s *signingTokenSource) signedCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.signed
}
