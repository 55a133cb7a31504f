package fakeauthress

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// maxBearerLength bounds the token the server is willing to parse.
const maxBearerLength = 8192

// serviceClient is an Authress service client with one Ed25519 access key.
type serviceClient struct {
	accountID  string
	clientID   string
	keyID      string
	privateKey ed25519.PrivateKey
	publicKey  ed25519.PublicKey
	accessKey  string
}

// validateAccountID keeps account ids free of the '.' that separates the
// parts of an access key, and bounded.
func validateAccountID(accountID string) error {
	if accountID == "" || len(accountID) > 64 {
		return fmt.Errorf("account id must be 1-64 characters, got %d", len(accountID))
	}
	for _, r := range accountID {
		if !isAlphanumeric(r) && r != '_' && r != '-' {
			return fmt.Errorf("account id %q may only contain letters, digits, '_' and '-'", accountID)
		}
	}
	return nil
}

// newServiceClient creates a client with a fresh key pair for accountID.
func newServiceClient(accountID string) (*serviceClient, error) {
	if err := validateAccountID(accountID); err != nil {
		return nil, err
	}
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate Ed25519 key: %w", err)
	}
	clientSuffix, err := randomAlphanumeric(16)
	if err != nil {
		return nil, err
	}
	keyID, err := randomAlphanumeric(10)
	if err != nil {
		return nil, err
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return nil, fmt.Errorf("encode private key: %w", err)
	}
	c := &serviceClient{
		accountID:  accountID,
		clientID:   "sc_" + clientSuffix,
		keyID:      keyID,
		privateKey: priv,
		publicKey:  pub,
	}
	c.accessKey = strings.Join([]string{c.clientID, c.keyID, accountID, base64.StdEncoding.EncodeToString(der)}, ".")
	return c, nil
}

// NewUnknownAccessKey returns a well-formed access key for accountID whose
// client, key id and key pair are freshly generated, so no Server accepts
// tokens signed with it.
func NewUnknownAccessKey(accountID string) (string, error) {
	c, err := newServiceClient(accountID)
	if err != nil {
		return "", err
	}
	return c.accessKey, nil
}

func (c *serviceClient) audience() string { return c.accountID + ".accounts.authress.io" }

func (c *serviceClient) issuerSuffix() string { return "/v1/clients/" + url.PathEscape(c.clientID) }

// defaultOrigin is the API origin the SDKs use when no custom domain is set.
func (c *serviceClient) defaultOrigin() string { return "https://" + c.accountID + ".api.authress.io" }

// signToken builds a JWT exactly as the SDKs do from an access key.
func (c *serviceClient) signToken(origin string, now time.Time, ttl time.Duration) (string, error) {
	claims := jwt.MapClaims{
		"aud":       c.audience(),
		"iss":       strings.TrimSuffix(origin, "/") + c.issuerSuffix(),
		"sub":       c.clientID,
		"client_id": c.clientID,
		"iat":       now.Unix(),
		"exp":       now.Add(ttl).Unix(),
		"scope":     "openid",
	}
	token := jwt.NewWithClaims(jwt.SigningMethodEdDSA, claims)
	token.Header["kid"] = c.keyID
	token.Header["typ"] = "at+jwt"
	return token.SignedString(c.privateKey)
}

// IssueToken returns a bearer token signed with the server's service client
// key, as an SDK would produce it, expiring ttl from now (a negative ttl
// yields an already expired token). The issuer uses URL() as the origin, or
// the account's default API origin when no base URL is set.
func (s *Server) IssueToken(ttl time.Duration) (string, error) {
	origin := s.URL()
	if origin == "" {
		origin = s.client.defaultOrigin()
	}
	return s.client.signToken(origin, time.Now(), ttl)
}

var errUnknownKeyID = errors.New("unknown key id")

// authenticate verifies the request's bearer token. Error titles describe
// the reason but never include the token.
func (s *Server) authenticate(r *http.Request) *apiError {
	header := r.Header.Get("Authorization")
	if header == "" {
		return unauthorized("the Authorization header is missing")
	}
	scheme, token, found := strings.Cut(header, " ")
	token = strings.TrimSpace(token)
	if !found || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return unauthorized("the Authorization header must have the form 'Bearer <token>'")
	}
	if len(token) > maxBearerLength {
		return unauthorized("the bearer token is too long")
	}
	c := s.client
	parser := jwt.NewParser(
		jwt.WithValidMethods([]string{jwt.SigningMethodEdDSA.Alg()}),
		jwt.WithAudience(c.audience()),
		jwt.WithSubject(c.clientID),
		jwt.WithExpirationRequired(),
	)
	claims := &jwt.RegisteredClaims{}
	_, err := parser.ParseWithClaims(token, claims, func(t *jwt.Token) (any, error) {
		if kid, _ := t.Header["kid"].(string); kid != c.keyID {
			return nil, errUnknownKeyID
		}
		return c.publicKey, nil
	})
	if err != nil {
		return unauthorized(describeTokenError(err))
	}
	if !strings.HasSuffix(claims.Issuer, c.issuerSuffix()) {
		return unauthorized("the bearer token's issuer is not this service client")
	}
	return nil
}

func describeTokenError(err error) string {
	switch {
	case errors.Is(err, jwt.ErrTokenMalformed):
		return "the bearer token is not a well-formed JWT"
	case errors.Is(err, errUnknownKeyID):
		return "the bearer token is signed with an unknown key id"
	case errors.Is(err, jwt.ErrTokenSignatureInvalid), errors.Is(err, jwt.ErrTokenUnverifiable):
		return "the bearer token's signature is not valid for this service client"
	case errors.Is(err, jwt.ErrTokenExpired):
		return "the bearer token has expired"
	case errors.Is(err, jwt.ErrTokenRequiredClaimMissing):
		return "the bearer token lacks a required claim (exp)"
	case errors.Is(err, jwt.ErrTokenInvalidAudience):
		return "the bearer token's audience is not this account"
	case errors.Is(err, jwt.ErrTokenInvalidSubject):
		return "the bearer token's subject is not this service client"
	case errors.Is(err, jwt.ErrTokenNotValidYet):
		return "the bearer token is not valid yet"
	default:
		return "the bearer token is not valid"
	}
}

func unauthorized(title string) *apiError {
	return newAPIError(http.StatusUnauthorized, codeUnauthorized, title)
}
