package fakeauthress

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"time"
)

// maxExtraFields bounds how many unmodelled field names can be declared.
const maxExtraFields = 64

// AllowExtraField declares a top-level Connection field that the contract
// does not model (for example one added by a newer API version). Such fields
// are then accepted in request bodies without validation, stored, returned,
// and cleared by a PUT that omits them. Names of modelled or read-only
// fields, empty names and names beyond the 64th are ignored.
func (s *Server) AllowExtraField(name string) {
	if name == "" || slices.Contains(readOnlyFields, name) {
		return
	}
	if _, modelled := connectionRules[name]; modelled {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.extraFields) < maxExtraFields {
		s.extraFields[name] = struct{}{}
	}
}

// extraFieldChecker returns a predicate over a snapshot of the declared
// extra fields, usable without holding the lock.
func (s *Server) extraFieldChecker() func(string) bool {
	s.mu.Lock()
	allowed := maps.Clone(s.extraFields)
	s.mu.Unlock()
	return func(name string) bool {
		_, ok := allowed[name]
		return ok
	}
}

// PutConnectionJSON creates or replaces a connection out of band, without
// authentication, applying the same validation and defaults as the API. The
// body's connectionId selects the connection to replace; without one a new
// id is assigned. It returns the connection's id.
func (s *Server) PutConnectionJSON(body []byte) (string, error) {
	in, apiErr := parseConnection(body, s.extraFieldChecker())
	if apiErr != nil {
		return "", apiErr
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if in.id != "" {
		if _, exists := s.store.get(in.id); exists {
			if _, err := s.store.replace(in.id, in.fields, time.Now()); err != nil {
				return "", err
			}
			return in.id, nil
		}
	}
	c, apiErr := s.insertLocked(in)
	if apiErr != nil {
		return "", apiErr
	}
	return c.id, nil
}

// UpdateConnectionOutOfBand lets mutate edit a copy of the stored JSON
// object, simulating a change made outside the client (for example in the
// Authress console), then stores it without validation and bumps
// lastUpdated. The connectionId field is kept equal to id. mutate runs
// without the server's lock held, so it may call other methods; values it
// stores must be representable as JSON.
func (s *Server) UpdateConnectionOutOfBand(id string, mutate func(c map[string]any)) error {
	current, ok := s.Connection(id)
	if !ok {
		return fmt.Errorf("connection %q does not exist", id)
	}
	if mutate != nil {
		mutate(current)
	}
	fields, err := normaliseJSONObject(current)
	if err != nil {
		return fmt.Errorf("mutated connection %q is not valid JSON: %w", id, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.store.get(id)
	if !ok {
		return fmt.Errorf("connection %q was deleted during the update", id)
	}
	fields[fieldConnectionID] = id
	fields[fieldLastUpdated] = timestamp(time.Now())
	c.fields = fields
	return nil
}

// DeleteConnectionOutOfBand removes a connection without authentication and
// reports whether it existed.
func (s *Server) DeleteConnectionOutOfBand(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.store.remove(id)
}

// Connection returns a deep copy of the stored JSON object, including
// clientSecret, read-only fields and extra fields.
func (s *Server) Connection(id string) (map[string]any, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.store.get(id)
	if !ok {
		return nil, false
	}
	copied, _ := deepCopyJSON(c.fields).(map[string]any)
	return copied, true
}

// ConnectionIDs returns the ids of all connections in creation order.
func (s *Server) ConnectionIDs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.store.ids()
}

// ConnectionCount returns the number of stored connections.
func (s *Server) ConnectionCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.store.count()
}

// SeedCredentials makes the credentials operation return accessToken for
// userID on connectionID. Credentials are forgotten when the connection is
// deleted. Beyond 10000 seeded entries new ones are ignored.
func (s *Server) SeedCredentials(connectionID, userID, accessToken string) {
	_ = s.seedCredentials(connectionID, userID, accessToken)
}

func (s *Server) seedCredentials(connectionID, userID, accessToken string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.store.seedCredentials(connectionID, userID, accessToken)
}

// SetPageSize changes the default list page size; n <= 0 restores the
// default of 20.
func (s *Server) SetPageSize(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pageSize = clampPageSize(n)
}

// SetEchoClientSecret selects whether responses include clientSecret.
func (s *Server) SetEchoClientSecret(echo bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.echoClientSecret = echo
}

// SetForcedStatus makes every /v1 request, authenticated or not, answer
// status with an error body carrying errorCode and title (an empty title
// becomes the status text). Status 0, or any status outside 200-599, clears
// it.
func (s *Server) SetForcedStatus(status int, errorCode, title string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if status < 200 || status > 599 {
		s.forced = nil
		return
	}
	if title == "" {
		title = http.StatusText(status)
	}
	s.forced = newAPIError(status, errorCode, title)
}
