package authress

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base32"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"sync/atomic"
)

// Connection is an Authress SSO connection. Nil pointers and maps are left out
// of request bodies; the read-only fields are never sent.
type Connection struct {
	ConnectionID                *string                `json:"connectionId,omitempty"`
	Type                        *string                `json:"type,omitempty"`
	AuthenticationURL           *string                `json:"authenticationUrl,omitempty"`
	TokenURL                    *string                `json:"tokenUrl,omitempty"`
	IssuerURL                   *string                `json:"issuerUrl,omitempty"`
	ProviderCertificate         *string                `json:"providerCertificate,omitempty"`
	ClientID                    *string                `json:"clientId,omitempty"`
	ClientSecretID              *string                `json:"clientSecretId,omitempty"`
	ClientSecret                *string                `json:"clientSecret,omitempty"`
	Data                        *ConnectionData        `json:"data,omitempty"`
	DefaultConnectionProperties map[string]string      `json:"defaultConnectionProperties,omitempty"`
	UserDataConfiguration       *UserDataConfiguration `json:"userDataConfiguration,omitempty"`
	Conditions                  *Conditions            `json:"conditions,omitempty"`
	LinkingConfiguration        *LinkingConfiguration  `json:"linkingConfiguration,omitempty"`
	Tags                        map[string]string      `json:"tags,omitempty"`

	// Read-only: filled by the API, cleared before a request is sent.
	CreatedTime        *string `json:"createdTime,omitempty"`
	LastUpdated        *string `json:"lastUpdated,omitempty"`
	IsActiveConnection *bool   `json:"isActiveConnection,omitempty"`

	// Unmodeled holds top-level fields this client does not know (a newer API's),
	// so that a full-replace update can send them back instead of clearing them.
	Unmodeled map[string]json.RawMessage `json:"-"`
}

// ConnectionData is a connection's "data" object.
type ConnectionData struct {
	Name                 *string `json:"name,omitempty"`
	TenantID             *string `json:"tenantId,omitempty"`
	DeveloperAccountID   *string `json:"developerAccountId,omitempty"`
	SupportedContentType *string `json:"supportedContentType,omitempty"`
	OIDCUserEndpointURL  *string `json:"oidcUserEndpointUrl,omitempty"`
	UserIDExpression     *string `json:"userIdExpression,omitempty"`
	TrustIdentityUserID  *bool   `json:"trustIdentityUserId,omitempty"`
}

// UserDataConfiguration is where user data is stored; a nil Location means global.
type UserDataConfiguration struct {
	Location *string `json:"location,omitempty"`
}

// Conditions restrict who may log in with the connection.
type Conditions struct {
	RequireBusinessAccount *bool `json:"requireBusinessAccount,omitempty"`
}

// LinkingConfiguration controls identity linking; a nil Type disables linking.
type LinkingConfiguration struct {
	Type *string `json:"type,omitempty"`
}

// Server-side defaults the API fills when a request leaves them out.
const (
	DefaultConnectionType       = "OAUTH2"
	DefaultSupportedContentType = "application/json"
	DefaultUserIDExpression     = "{sub}"
	DefaultScope                = "profile email openid"
	ScopeProperty               = "scope"
)

// knownConnectionFields are the top-level JSON names Connection models, plus
// "links", which list and read answers may add and which is not connection data.
var knownConnectionFields = map[string]bool{
	"connectionId": true, "type": true, "authenticationUrl": true, "tokenUrl": true,
	"issuerUrl": true, "providerCertificate": true, "clientId": true, "clientSecretId": true,
	"clientSecret": true, "data": true, "defaultConnectionProperties": true,
	"userDataConfiguration": true, "conditions": true, "linkingConfiguration": true,
	"tags": true, "createdTime": true, "lastUpdated": true, "isActiveConnection": true,
	"links": true,
}

// connectionFields is Connection without its methods, to avoid recursion.
type connectionFields Connection

// UnmarshalJSON decodes a connection and keeps the fields it does not model.
func (c *Connection) UnmarshalJSON(data []byte) error {
	var fields connectionFields
	if err := json.Unmarshal(data, &fields); err != nil {
		return err
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(data, &all); err != nil {
		return err
	}
	for name, value := range all {
		if knownConnectionFields[name] {
			continue
		}
		if fields.Unmodeled == nil {
			fields.Unmodeled = map[string]json.RawMessage{}
		}
		fields.Unmodeled[name] = value
	}
	*c = Connection(fields)
	return nil
}

// MarshalJSON encodes a connection with its unmodeled fields.
func (c Connection) MarshalJSON() ([]byte, error) {
	known, err := json.Marshal(connectionFields(c))
	if err != nil || len(c.Unmodeled) == 0 {
		return known, err
	}
	var merged map[string]json.RawMessage
	if err := json.Unmarshal(known, &merged); err != nil {
		return nil, err
	}
	for name, value := range c.Unmodeled {
		if _, clash := merged[name]; !clash && !knownConnectionFields[name] {
			merged[name] = value
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(merged); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

// writable is the body of a create or replace: the connection without read-only fields.
func (c *Connection) writable() Connection {
	out := *c
	out.CreatedTime, out.LastUpdated, out.IsActiveConnection = nil, nil, nil
	return out
}

// ConnectionCollection is one page of the connection list.
type ConnectionCollection struct {
	Connections []Connection `json:"connections"`
	Pagination  *struct {
		Next *struct {
			Cursor string `json:"cursor"`
		} `json:"next"`
	} `json:"pagination"`
}

// NextCursor is the cursor of the following page, or "" on the last page.
func (p *ConnectionCollection) NextCursor() string {
	if p.Pagination == nil || p.Pagination.Next == nil {
		return ""
	}
	return p.Pagination.Next.Cursor
}

func connectionPath(id string) string {
	return "/v1/connections/" + url.PathEscape(id)
}

// CreateConnection creates a connection and returns it as the API stored it.
//
// A create whose answer was lost (a dropped connection, a 5xx after the write)
// is retried; when the connection carries an id, the retry meets 409. The
// connection is then read back and adopted only if it holds exactly what was
// sent, so a retry never duplicates a connection and never takes over a
// different one.
func (c *Client) CreateConnection(ctx context.Context, conn *Connection) (*Connection, error) {
	body := conn.writable()
	var created Connection
	var attempts atomic.Int32
	err := c.do(context.WithValue(ctx, attemptsKey{}, &attempts), http.MethodPost, "/v1/connections", nil, body, &created)
	if err == nil {
		return &created, nil
	}
	if !IsConflict(err) || attempts.Load() < 2 || body.ConnectionID == nil {
		return nil, err
	}
	existing, getErr := c.GetConnection(ctx, *body.ConnectionID)
	if getErr != nil {
		return nil, fmt.Errorf("%w; reading it back to check whether an earlier attempt of this create made it also failed: %w", err, getErr)
	}
	if !holdsRequested(&body, existing) {
		return nil, &CreateConflictError{ConnectionID: *body.ConnectionID, Err: err}
	}
	return existing, nil
}

// CreateConflictError says that a retried create met an existing connection
// with the same id whose content differs from what was sent, so it was not
// adopted.
type CreateConflictError struct {
	ConnectionID string
	Err          error
}

func (e *CreateConflictError) Error() string {
	return fmt.Sprintf("connection %q already exists and differs from what this create sent, so it was not adopted: %v", e.ConnectionID, e.Err)
}

func (e *CreateConflictError) Unwrap() error { return e.Err }

// holdsRequested reports whether stored has every value that was sent. The
// API may add defaults, and may leave secrets out of answers: neither counts
// as a difference.
func holdsRequested(sent, stored *Connection) bool {
	sentJSON, err1 := json.Marshal(sent)
	storedJSON, err2 := json.Marshal(stored.writable())
	if err1 != nil || err2 != nil {
		return false
	}
	var sentValues, storedValues map[string]any
	if json.Unmarshal(sentJSON, &sentValues) != nil || json.Unmarshal(storedJSON, &storedValues) != nil {
		return false
	}
	if _, returned := storedValues["clientSecret"]; !returned {
		delete(sentValues, "clientSecret")
	}
	return isSubset(sentValues, storedValues)
}

// isSubset reports whether every value in want is in got; objects compare
// key by key, so keys only got has are allowed.
func isSubset(want, got any) bool {
	wantObject, ok := want.(map[string]any)
	if !ok {
		return reflect.DeepEqual(want, got)
	}
	gotObject, ok := got.(map[string]any)
	if !ok {
		return false
	}
	for key, value := range wantObject {
		if !isSubset(value, gotObject[key]) {
			return false
		}
	}
	return true
}

// GetConnection reads one connection. A missing one is an error for which IsNotFound is true.
func (c *Client) GetConnection(ctx context.Context, id string) (*Connection, error) {
	var conn Connection
	if err := c.do(ctx, http.MethodGet, connectionPath(id), nil, nil, &conn); err != nil {
		return nil, err
	}
	return &conn, nil
}

// UpdateConnection replaces a connection: the API treats every field left out as cleared.
func (c *Client) UpdateConnection(ctx context.Context, id string, conn *Connection) (*Connection, error) {
	var updated Connection
	if err := c.do(ctx, http.MethodPut, connectionPath(id), nil, conn.writable(), &updated); err != nil {
		return nil, err
	}
	return &updated, nil
}

// DeleteConnection deletes a connection. A missing one is an error for which IsNotFound is true.
func (c *Client) DeleteConnection(ctx context.Context, id string) error {
	return c.do(ctx, http.MethodDelete, connectionPath(id), nil, nil, nil)
}

// ListConnectionsPage reads one page of the list; cursor "" is the first page.
func (c *Client) ListConnectionsPage(ctx context.Context, cursor string) (*ConnectionCollection, error) {
	var query url.Values
	if cursor != "" {
		query = url.Values{"cursor": {cursor}}
	}
	var page ConnectionCollection
	if err := c.do(ctx, http.MethodGet, "/v1/connections", query, nil, &page); err != nil {
		return nil, err
	}
	return &page, nil
}

// ListConnections reads every page of the list. A cursor the API hands out twice
// is an error rather than an endless loop.
func (c *Client) ListConnections(ctx context.Context) ([]Connection, error) {
	var all []Connection
	seen := map[string]bool{}
	cursor := ""
	for range maxListPages {
		page, err := c.ListConnectionsPage(ctx, cursor)
		if err != nil {
			return nil, err
		}
		all = append(all, page.Connections...)
		cursor = page.NextCursor()
		if cursor == "" {
			return all, nil
		}
		if seen[cursor] {
			return nil, fmt.Errorf("listing connections: the API returned the cursor %q a second time after %d pages; stopping instead of looping", cursor, len(seen)+1)
		}
		seen[cursor] = true
	}
	return nil, fmt.Errorf("listing connections: stopped after %d pages", maxListPages)
}

// UserCredentials reads the access token a user's identity provider issued
// through this connection.
func (c *Client) UserCredentials(ctx context.Context, connectionID, userID string) (string, error) {
	var out struct {
		AccessToken string `json:"accessToken"`
	}
	path := connectionPath(connectionID) + "/users/" + url.PathEscape(userID) + "/credentials"
	if err := c.do(ctx, http.MethodGet, path, nil, nil, &out); err != nil {
		return "", err
	}
	return out.AccessToken, nil
}

// NewConnectionID returns a random connection id ("con_" and 26 base32
// characters, 130 bits). Choosing the id before the create, instead of
// letting the API assign one, is what makes a retried create idempotent.
func NewConnectionID() (string, error) {
	random := make([]byte, 17)
	if _, err := rand.Read(random); err != nil {
		return "", fmt.Errorf("generating a connection id: %w", err)
	}
	encoded := strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(random))
	return "con_" + encoded[:26], nil
}
