package authress

import (
	"context"
	"crypto/ed25519"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

const (
	// tokenLifetime and tokenRenewBefore follow Authress's SDKs: a signed token lives
	// 24 hours and is reused until less than an hour of it is left.
	tokenLifetime    = 24 * time.Hour
	tokenRenewBefore = time.Hour
)

// AccessKey is a parsed Authress service client access key:
// "<clientId>.<keyId>.<accountId>.<base64 PKCS#8 DER Ed25519 private key>".
type AccessKey struct {
	ClientID   string
	KeyID      string
	AccountID  string
	privateKey ed25519.PrivateKey
}

// ParseAccessKey parses a service client access key. Its errors say which part is
// wrong and never repeat the key.
func ParseAccessKey(key string) (*AccessKey, error) {
	key = strings.TrimSpace(key)
	parts := strings.Split(key, ".")
	if len(parts) != 4 {
		return nil, fmt.Errorf("the access key must have four dot-separated parts, clientId.keyId.accountId.privateKey, but has %d", len(parts))
	}
	names := [...]string{"client id", "key id", "account id", "private key"}
	for i, part := range parts {
		if part == "" {
			return nil, fmt.Errorf("the access key's %s (part %d of 4) is empty", names[i], i+1)
		}
	}
	der, err := base64.StdEncoding.DecodeString(parts[3])
	if err != nil {
		return nil, errors.New("the access key's private key (part 4 of 4) is not valid standard base64")
	}
	parsed, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, errors.New("the access key's private key (part 4 of 4) is not a PKCS#8 private key")
	}
	privateKey, ok := parsed.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("the access key's private key (part 4 of 4) is a %T, but Authress keys are Ed25519", parsed)
	}
	return &AccessKey{ClientID: parts[0], KeyID: parts[1], AccountID: parts[2], privateKey: privateKey}, nil
}

// IsJWT reports whether a credential is already a token (a JWT's base64url header
// always starts with "eyJ") rather than an access key to sign one with.
func IsJWT(credential string) bool {
	return strings.HasPrefix(strings.TrimSpace(credential), "eyJ")
}

// tokenSource yields the bearer token for each request.
type tokenSource interface {
	Token(ctx context.Context) (string, error)
}

// staticToken is a ready token (for example one exchanged from a CI OIDC token),
// sent unchanged.
type staticToken string

func (t staticToken) Token(context.Context) (string, error) { return string(t), nil }

// signingTokenSource signs a short-lived JWT with the service client's key, the
// way Authress's SDKs do, and reuses it until it is close to expiry.
type signingTokenSource struct {
	key    *AccessKey
	issuer string
	now    func() time.Time

	mu      sync.Mutex
	token   string
	expires time.Time
	signed  int // how many tokens it has signed
}

func newSigningTokenSource(key *AccessKey, baseURL string, now func() time.Time) *signingTokenSource {
	if now == nil {
		now = time.Now
	}
	return &signingTokenSource{
		key:    key,
		issuer: baseURL + "/v1/clients/" + url.PathEscape(key.ClientID),
		now:    now,
	}
}

func (s *signingTokenSource) Token(context.Context) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if s.token != "" && s.expires.Sub(now) > tokenRenewBefore {
		return s.token, nil
	}
	expires := now.Add(tokenLifetime)
	claims := jwt.MapClaims{
		"aud":       s.key.AccountID + ".accounts.authress.io",
		"iss":       s.issuer,
		"sub":       s.key.ClientID,
		"client_id": s.key.ClientID,
		"iat":       now.Unix(),
		"exp":       expires.Unix(),
		"scope":     "openid",
	}
	token := jwt.NewWithClaims(jwt.SigningMethodEdDSA, claims)
	token.Header["kid"] = s.key.KeyID
	token.Header["typ"] = "at+jwt"
	signed, err := token.SignedString(s.key.privateKey)
	if err != nil {
		return "", fmt.Errorf("signing the access token: %w", err)
	}
	s.token, s.expires = signed, expires
	s.signed++
	return signed, nil
}
