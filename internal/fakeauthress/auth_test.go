package fakeauthress_test

import (
	"crypto/ed25519"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"terraform-provider-authress/internal/fakeauthress"
)

func TestAccessKeyFormat(t *testing.T) {
	s, err := fakeauthress.New(fakeauthress.Options{AccountID: "acc_123"})
	if err != nil {
		t.Fatal(err)
	}
	k := parseAccessKey(t, s.AccessKey())
	if k.accountID != "acc_123" || s.AccountID() != "acc_123" {
		t.Errorf("account %q / %q, want acc_123", k.accountID, s.AccountID())
	}
	if !strings.HasPrefix(k.clientID, "sc_") || k.clientID != s.ClientID() {
		t.Errorf("client id %q (server says %q)", k.clientID, s.ClientID())
	}
	if k.keyID == "" {
		t.Error("empty key id")
	}
	if _, err := fakeauthress.New(fakeauthress.Options{AccountID: "acc.dot"}); err == nil {
		t.Error("an account id with '.' was accepted")
	}
	if d, _ := fakeauthress.New(fakeauthress.Options{}); d.AccountID() != "acc_fake" {
		t.Errorf("default account %q", d.AccountID())
	}
}

func TestIssueTokenFollowsContract(t *testing.T) {
	s, err := fakeauthress.New(fakeauthress.Options{AccountID: "acc_123"})
	if err != nil {
		t.Fatal(err)
	}
	k := parseAccessKey(t, s.AccessKey())
	check := func(wantIssuer string) {
		t.Helper()
		signed, err := s.IssueToken(time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		claims := jwt.MapClaims{}
		tok, err := jwt.ParseWithClaims(signed, claims, func(*jwt.Token) (any, error) {
			return k.privateKey.Public().(ed25519.PublicKey), nil
		}, jwt.WithValidMethods([]string{"EdDSA"}))
		if err != nil {
			t.Fatalf("parse: %v", err)
		}
		if tok.Header["kid"] != k.keyID || tok.Header["typ"] != "at+jwt" {
			t.Errorf("header %v", tok.Header)
		}
		want := map[string]any{
			"aud": "acc_123.accounts.authress.io", "iss": wantIssuer,
			"sub": k.clientID, "client_id": k.clientID, "scope": "openid",
		}
		for name, v := range want {
			if claims[name] != v {
				t.Errorf("claim %s = %v, want %v", name, claims[name], v)
			}
		}
	}
	check("https://acc_123.api.authress.io/v1/clients/" + k.clientID)
	s.SetBaseURL("http://127.0.0.1:9999/")
	if s.URL() != "http://127.0.0.1:9999" {
		t.Errorf("URL() = %q, trailing slash kept", s.URL())
	}
	check("http://127.0.0.1:9999/v1/clients/" + k.clientID)
}

func TestAuthAcceptsContractAndIssuedTokens(t *testing.T) {
	s, c := newTestServer(t, fakeauthress.Options{})
	r := c.send(http.MethodGet, "/v1/connections", "")
	expectStatus(t, r, http.StatusOK)
	if ct := r.header.Get("Content-Type"); ct != "application/links+json" {
		t.Errorf("Content-Type %q", ct)
	}
	issued, err := s.IssueToken(time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	r, err = c.trySend(http.MethodGet, "/v1/connections", "", issued)
	if err != nil {
		t.Fatal(err)
	}
	expectStatus(t, r, http.StatusOK)
	// Lower-case scheme is accepted too.
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, s.URL()+"/v1/connections", nil)
	req.Header.Set("Authorization", "bearer "+issued)
	resp, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("lower-case bearer: status %d", resp.StatusCode)
	}
}

func TestAuthRejectsInvalidTokens(t *testing.T) {
	s, c := newTestServer(t, fakeauthress.Options{})
	unknownKey, err := fakeauthress.NewUnknownAccessKey(s.AccountID())
	if err != nil {
		t.Fatal(err)
	}
	if unknownKey == s.AccessKey() {
		t.Fatal("unknown key equals the server's key")
	}
	origin := s.URL()
	key := s.AccessKey()
	expired, err := s.IssueToken(-time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	hs256, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
		"aud": s.AccountID() + ".accounts.authress.io", "sub": s.ClientID(),
		"exp": time.Now().Add(time.Hour).Unix(), "iss": origin + "/v1/clients/" + s.ClientID(),
	}).SignedString([]byte("secret"))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		header string // full Authorization header; "" sends none
	}{
		{"missing header", ""},
		{"basic scheme", "Basic dXNlcjpwYXNz"},
		{"empty bearer", "Bearer "},
		{"not a JWT", "Bearer not-a-token"},
		{"expired", "Bearer " + expired},
		{"expired contract token", "Bearer " + signContractJWT(t, key, origin, -time.Minute, nil)},
		{"wrong audience", "Bearer " + signContractJWT(t, key, origin, time.Hour, func(_ map[string]any, c jwt.MapClaims) {
			c["aud"] = "acc_other.accounts.authress.io"
		})},
		{"unknown key", "Bearer " + signContractJWT(t, unknownKey, origin, time.Hour, nil)},
		{"unknown key, server's kid and sub", "Bearer " + signContractJWT(t, unknownKey, origin, time.Hour, func(h map[string]any, c jwt.MapClaims) {
			h["kid"] = parseAccessKey(t, key).keyID
			c["sub"] = s.ClientID()
			c["iss"] = origin + "/v1/clients/" + s.ClientID()
		})},
		{"wrong kid", "Bearer " + signContractJWT(t, key, origin, time.Hour, func(h map[string]any, _ jwt.MapClaims) { h["kid"] = "other" })},
		{"wrong subject", "Bearer " + signContractJWT(t, key, origin, time.Hour, func(_ map[string]any, c jwt.MapClaims) { c["sub"] = "sc_other" })},
		{"wrong issuer", "Bearer " + signContractJWT(t, key, origin, time.Hour, func(_ map[string]any, c jwt.MapClaims) {
			c["iss"] = origin + "/v1/clients/sc_other"
		})},
		{"no exp", "Bearer " + signContractJWT(t, key, origin, time.Hour, func(_ map[string]any, c jwt.MapClaims) { delete(c, "exp") })},
		{"HS256", "Bearer " + hs256},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, s.URL()+"/v1/connections", nil)
			if tc.header != "" {
				req.Header.Set("Authorization", tc.header)
			}
			resp, err := c.http.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			r := readResponse(t, resp)
			expectError(t, r, http.StatusUnauthorized, "Unauthorized", "")
			if token := strings.TrimPrefix(tc.header, "Bearer "); len(token) > 8 && strings.Contains(string(r.body), token) {
				t.Errorf("error body echoes the token: %s", r.body)
			}
		})
	}
	if got := s.Stats().Unauthorized; got != len(cases) {
		t.Errorf("Stats.Unauthorized = %d, want %d", got, len(cases))
	}
}
