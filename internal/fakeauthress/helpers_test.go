package fakeauthress_test

import (
	"crypto/ed25519"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"terraform-provider-authress/internal/fakeauthress"
)

// accessKeyParts splits an access key as the SDKs do.
type accessKeyParts struct {
	clientID, keyID, accountID string
	privateKey                 ed25519.PrivateKey
}

func parseAccessKey(t *testing.T, key string) accessKeyParts {
	t.Helper()
	parts := strings.SplitN(key, ".", 4)
	if len(parts) != 4 {
		t.Fatalf("access key has %d parts, want 4", len(parts))
	}
	der, err := base64.StdEncoding.DecodeString(parts[3])
	if err != nil {
		t.Fatalf("access key private key is not base64: %v", err)
	}
	parsed, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		t.Fatalf("access key private key is not PKCS#8: %v", err)
	}
	priv, ok := parsed.(ed25519.PrivateKey)
	if !ok {
		t.Fatalf("access key private key is %T, want ed25519.PrivateKey", parsed)
	}
	return accessKeyParts{clientID: parts[0], keyID: parts[1], accountID: parts[2], privateKey: priv}
}

// signContractJWT signs a token from an access key following the contract's
// Authentication section; edit may alter header and claims before signing.
func signContractJWT(t *testing.T, accessKey, origin string, ttl time.Duration, edit func(header map[string]any, claims jwt.MapClaims)) string {
	t.Helper()
	k := parseAccessKey(t, accessKey)
	now := time.Now()
	claims := jwt.MapClaims{
		"aud":       k.accountID + ".accounts.authress.io",
		"iss":       origin + "/v1/clients/" + url.PathEscape(k.clientID),
		"sub":       k.clientID,
		"client_id": k.clientID,
		"iat":       now.Unix(),
		"exp":       now.Add(ttl).Unix(),
		"scope":     "openid",
	}
	token := jwt.NewWithClaims(jwt.SigningMethodEdDSA, claims)
	token.Header["kid"] = k.keyID
	token.Header["typ"] = "at+jwt"
	if edit != nil {
		edit(token.Header, claims)
	}
	signed, err := token.SignedString(k.privateKey)
	if err != nil {
		t.Fatalf("sign: %v", err)
	}
	return signed
}

// apiClient sends requests to a test server with a valid bearer token.
type apiClient struct {
	t     *testing.T
	s     *fakeauthress.Server
	token string
	http  *http.Client
}

func newTestServer(t *testing.T, opts fakeauthress.Options) (*fakeauthress.Server, *apiClient) {
	t.Helper()
	s := fakeauthress.NewTestServer(t, opts)
	c := &apiClient{
		t:     t,
		s:     s,
		token: signContractJWT(t, s.AccessKey(), s.URL(), time.Hour, nil),
		// No keep-alive: a dropped connection must not be retried
		// transparently on a reused connection.
		http: &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 10 * time.Second},
	}
	t.Cleanup(c.http.CloseIdleConnections)
	return s, c
}

type response struct {
	status int
	header http.Header
	body   []byte
}

// decode unmarshals the body as a JSON object.
func (r response) object(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("body is not a JSON object: %v\n%s", err, r.body)
	}
	return m
}

// send performs a request; path is already escaped. A transport error fails
// the test.
func (c *apiClient) send(method, path, body string) response {
	c.t.Helper()
	resp, err := c.trySend(method, path, body, c.token)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	return resp
}

func (c *apiClient) trySend(method, path, body, token string) (response, error) {
	var reader io.Reader
	if body != "" {
		reader = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(c.t.Context(), method, c.s.URL()+path, reader)
	if err != nil {
		return response{}, err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Accept", "application/links+json")
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return response{}, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return response{}, err
	}
	return response{status: resp.StatusCode, header: resp.Header, body: data}, nil
}

// expectStatus fails unless r has the given status.
func expectStatus(t *testing.T, r response, want int) {
	t.Helper()
	if r.status != want {
		t.Fatalf("status %d, want %d; body: %s", r.status, want, r.body)
	}
}

// expectError checks an error answer: status, JSON content type, errorCode,
// a non-empty errorId and a title containing titleHas.
func expectError(t *testing.T, r response, status int, code, titleHas string) {
	t.Helper()
	expectStatus(t, r, status)
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q, want application/json", ct)
	}
	m := r.object(t)
	if m["errorCode"] != code {
		t.Errorf("errorCode %v, want %s (title %q)", m["errorCode"], code, m["title"])
	}
	if id, _ := m["errorId"].(string); id == "" {
		t.Errorf("errorId missing: %s", r.body)
	}
	if title, _ := m["title"].(string); !strings.Contains(title, titleHas) {
		t.Errorf("title %q does not mention %q", title, titleHas)
	}
}

func mustCreate(t *testing.T, c *apiClient, body string) map[string]any {
	t.Helper()
	r := c.send(http.MethodPost, "/v1/connections", body)
	expectStatus(t, r, http.StatusCreated)
	return r.object(t)
}

func readResponse(t *testing.T, resp *http.Response) response {
	t.Helper()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: data}
}

func decodeJSONObject(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatalf("invalid JSON %q: %v", s, err)
	}
	return m
}
