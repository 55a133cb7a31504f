package fakeauthress

import (
	"errors"
	"sort"
	"time"
)

// Capacity limits that keep the fake's memory bounded.
const (
	maxConnections = 10000
	maxCredentials = 10000
)

var (
	errConnectionExists    = errors.New("connection already exists")
	errConnectionLimit     = errors.New("connection limit reached")
	errCredentialsLimit    = errors.New("credentials limit reached")
	errConnectionNotStored = errors.New("connection not found")
)

// timestampLayout is RFC 3339 in UTC with milliseconds, so that successive
// updates within one second still produce different lastUpdated values.
const timestampLayout = "2006-01-02T15:04:05.000Z07:00"

func timestamp(t time.Time) string { return t.UTC().Format(timestampLayout) }

// storedConnection is one connection as the server keeps it: the complete
// JSON object, read-only fields and secret included.
type storedConnection struct {
	id     string
	seq    uint64 // creation sequence number; defines list order and cursors
	fields map[string]any
}

// connectionStore holds connections in creation order plus seeded user
// credentials. It is not synchronised: Server guards it with its mutex.
type connectionStore struct {
	byID    map[string]*storedConnection
	ordered []*storedConnection // ascending seq
	lastSeq uint64

	credentials     map[string]map[string]string // connectionId → userId → access token
	credentialCount int
}

func newConnectionStore() connectionStore {
	return connectionStore{
		byID:        map[string]*storedConnection{},
		credentials: map[string]map[string]string{},
	}
}

func (st *connectionStore) get(id string) (*storedConnection, bool) {
	c, ok := st.byID[id]
	return c, ok
}

// insert stores a new connection built from fields, stamping the read-only
// fields. fields becomes owned by the store.
func (st *connectionStore) insert(id string, fields map[string]any, now time.Time) (*storedConnection, error) {
	if _, exists := st.byID[id]; exists {
		return nil, errConnectionExists
	}
	if len(st.byID) >= maxConnections {
		return nil, errConnectionLimit
	}
	st.lastSeq++
	stamp := timestamp(now)
	fields[fieldConnectionID] = id
	fields[fieldIsActiveConnection] = true
	fields[fieldCreatedTime] = stamp
	fields[fieldLastUpdated] = stamp
	c := &storedConnection{id: id, seq: st.lastSeq, fields: fields}
	st.byID[id] = c
	st.ordered = append(st.ordered, c)
	return c, nil
}

// replace makes fields the complete new content of connection id, keeping
// its creation time and position in the list.
func (st *connectionStore) replace(id string, fields map[string]any, now time.Time) (*storedConnection, error) {
	c, ok := st.byID[id]
	if !ok {
		return nil, errConnectionNotStored
	}
	created := c.fields[fieldCreatedTime]
	fields[fieldConnectionID] = id
	fields[fieldIsActiveConnection] = true
	fields[fieldCreatedTime] = created
	fields[fieldLastUpdated] = timestamp(now)
	c.fields = fields
	return c, nil
}

// remove deletes connection id and the credentials seeded for it.
func (st *connectionStore) remove(id string) bool {
	c, ok := st.byID[id]
	if !ok {
		return false
	}
	delete(st.byID, id)
	i := sort.Search(len(st.ordered), func(i int) bool { return st.ordered[i].seq >= c.seq })
	if i < len(st.ordered) && st.ordered[i] == c {
		st.ordered = append(st.ordered[:i], st.ordered[i+1:]...)
	}
	st.credentialCount -= len(st.credentials[id])
	delete(st.credentials, id)
	return true
}

// page returns up to limit connections created after afterSeq, and whether
// more remain. Because it keys on creation sequence numbers, deletions and
// insertions between pages never skip or repeat surviving connections.
func (st *connectionStore) page(afterSeq uint64, limit int) ([]*storedConnection, bool) {
	start := sort.Search(len(st.ordered), func(i int) bool { return st.ordered[i].seq > afterSeq })
	end := min(start+limit, len(st.ordered))
	return st.ordered[start:end], end < len(st.ordered)
}

func (st *connectionStore) ids() []string {
	out := make([]string, len(st.ordered))
	for i, c := range st.ordered {
		out[i] = c.id
	}
	return out
}

func (st *connectionStore) count() int { return len(st.byID) }

// seedCredentials records the access token returned for userID on
// connectionID, replacing any earlier one.
func (st *connectionStore) seedCredentials(connectionID, userID, accessToken string) error {
	users := st.credentials[connectionID]
	if _, replacing := users[userID]; !replacing {
		if st.credentialCount >= maxCredentials {
			return errCredentialsLimit
		}
		st.credentialCount++
	}
	if users == nil {
		users = map[string]string{}
		st.credentials[connectionID] = users
	}
	users[userID] = accessToken
	return nil
}

func (st *connectionStore) lookupCredentials(connectionID, userID string) (string, bool) {
	token, ok := st.credentials[connectionID][userID]
	return token, ok
}
