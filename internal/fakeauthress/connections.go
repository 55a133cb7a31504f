package fakeauthress

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"time"
)

// result is the outcome of an API operation. Operations compute it while
// holding the lock; it is written to the client after the lock is released
// so a slow reader never stalls other requests.
type result struct {
	status int
	body   []byte // encoded links+json body; nil for 204
	err    *apiError
}

func failed(err *apiError) result { return result{err: err} }

func (res result) write(w http.ResponseWriter) {
	switch {
	case res.err != nil:
		writeError(w, res.err)
	case res.body == nil:
		w.WriteHeader(res.status)
	default:
		writeBody(w, res.status, contentTypeLinksJSON, res.body)
	}
}

// Response shapes of the list and credentials operations.
type (
	connectionCollection struct {
		Connections []json.RawMessage `json:"connections"`
		Pagination  *pagination       `json:"pagination,omitempty"`
		Links       collectionLinks   `json:"links"`
	}
	pagination struct {
		Next *pageCursor `json:"next,omitempty"`
	}
	pageCursor struct {
		Cursor string `json:"cursor"`
	}
	collectionLinks struct {
		Self link `json:"self"`
	}
	link struct {
		Href string `json:"href"`
	}
	userCredentials struct {
		AccessToken string `json:"accessToken"`
	}
)

func connectionNotFound(id string) *apiError {
	return newAPIError(http.StatusNotFound, codeConnectionNotFound, fmt.Sprintf("connection %q does not exist", id))
}

func internalError(title string) *apiError {
	return newAPIError(http.StatusInternalServerError, "InternalError", title)
}

func (s *Server) createConnection(body []byte) result {
	in, apiErr := parseConnection(body, s.extraFieldChecker())
	if apiErr != nil {
		return failed(apiErr)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, apiErr := s.insertLocked(in)
	if apiErr != nil {
		return failed(apiErr)
	}
	s.countWriteLocked()
	return s.connectionResultLocked(http.StatusCreated, c)
}

// insertLocked stores a new connection, assigning an id when the body has
// none. The caller holds s.mu.
func (s *Server) insertLocked(in *connectionInput) (*storedConnection, *apiError) {
	id := in.id
	if id == "" {
		var err error
		if id, err = s.newConnectionIDLocked(); err != nil {
			return nil, internalError("a connection id could not be generated")
		}
	}
	c, err := s.store.insert(id, in.fields, time.Now())
	switch {
	case errors.Is(err, errConnectionExists):
		return nil, newAPIError(http.StatusConflict, codeConnectionAlreadyExists, fmt.Sprintf("connection %q already exists", id))
	case errors.Is(err, errConnectionLimit):
		return nil, newAPIError(http.StatusBadRequest, codeConnectionLimitExceeded, fmt.Sprintf("the account already has %d connections", maxConnections))
	case err != nil:
		return nil, internalError("the connection could not be stored")
	}
	return c, nil
}

// newConnectionIDLocked returns an unused server-assigned id.
func (s *Server) newConnectionIDLocked() (string, error) {
	for {
		suffix, err := randomAlphanumeric(20)
		if err != nil {
			return "", err
		}
		id := "con_" + suffix
		if _, taken := s.store.get(id); !taken {
			return id, nil
		}
	}
}

func (s *Server) listConnections(r *http.Request) result {
	s.mu.Lock()
	defer s.mu.Unlock()
	q, apiErr := parseListQuery(r.URL.RawQuery, s.pageSize)
	if apiErr != nil {
		return failed(apiErr)
	}
	items, more := s.store.page(q.afterSeq, q.limit)
	resp := connectionCollection{
		Connections: make([]json.RawMessage, 0, len(items)),
		Links:       collectionLinks{Self: link{Href: s.baseURL + r.URL.RequestURI()}},
	}
	for _, c := range items {
		raw, err := s.renderLocked(c)
		if err != nil {
			return failed(internalError("a connection could not be encoded"))
		}
		resp.Connections = append(resp.Connections, raw)
	}
	if more && len(items) > 0 {
		resp.Pagination = &pagination{Next: &pageCursor{Cursor: encodeCursor(items[len(items)-1].seq)}}
	}
	return encodedResult(http.StatusOK, resp)
}

func (s *Server) getConnection(id string) result {
	if apiErr := validatePathConnectionID(id); apiErr != nil {
		return failed(apiErr)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.store.get(id)
	if !ok {
		return failed(connectionNotFound(id))
	}
	return s.connectionResultLocked(http.StatusOK, c)
}

func (s *Server) updateConnection(id string, body []byte) result {
	if apiErr := validatePathConnectionID(id); apiErr != nil {
		return failed(apiErr)
	}
	in, apiErr := parseConnection(body, s.extraFieldChecker())
	if apiErr != nil {
		return failed(apiErr)
	}
	if in.id != "" && in.id != id {
		return failed(invalidInput(fmt.Sprintf("%q in the body (%q) must equal the connection id in the path (%q)", fieldConnectionID, in.id, id)))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.store.replace(id, in.fields, time.Now())
	if err != nil {
		return failed(connectionNotFound(id))
	}
	s.countWriteLocked()
	return s.connectionResultLocked(http.StatusOK, c)
}

func (s *Server) deleteConnection(id string) result {
	if apiErr := validatePathConnectionID(id); apiErr != nil {
		return failed(apiErr)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.store.remove(id) {
		return failed(connectionNotFound(id))
	}
	s.countWriteLocked()
	return result{status: http.StatusNoContent}
}

func (s *Server) getUserCredentials(connectionID, userID string) result {
	if apiErr := validatePathConnectionID(connectionID); apiErr != nil {
		return failed(apiErr)
	}
	if apiErr := validatePathUserID(userID); apiErr != nil {
		return failed(apiErr)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.store.get(connectionID); !ok {
		return failed(connectionNotFound(connectionID))
	}
	token, ok := s.store.lookupCredentials(connectionID, userID)
	if !ok {
		return failed(newAPIError(http.StatusNotFound, codeUserNotFound,
			fmt.Sprintf("user %q has no credentials for connection %q", userID, connectionID)))
	}
	return encodedResult(http.StatusOK, userCredentials{AccessToken: token})
}

// renderLocked encodes a stored connection as a response body, leaving out
// clientSecret unless echoing is enabled. The caller holds s.mu.
func (s *Server) renderLocked(c *storedConnection) (json.RawMessage, error) {
	fields := c.fields
	if !s.echoClientSecret {
		if _, has := fields[fieldClientSecret]; has {
			fields = maps.Clone(fields)
			delete(fields, fieldClientSecret)
		}
	}
	return marshalJSON(fields)
}

func (s *Server) connectionResultLocked(status int, c *storedConnection) result {
	raw, err := s.renderLocked(c)
	if err != nil {
		return failed(internalError("the connection could not be encoded"))
	}
	return result{status: status, body: raw}
}

func encodedResult(status int, v any) result {
	raw, err := marshalJSON(v)
	if err != nil {
		return failed(internalError("the response could not be encoded"))
	}
	return result{status: status, body: raw}
}
