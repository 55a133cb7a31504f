package fakeauthress

import "maps"

// Stats is a snapshot of the server's counters.
type Stats struct {
	// Requests counts requests that reached each route (see the Route*
	// constants), whatever their outcome, faulted or not.
	Requests map[string]int `json:"requests"`
	// Writes counts create, update and delete operations that changed state.
	Writes int `json:"writes"`
	// FaultsInjected counts injected faults by FaultKind.
	FaultsInjected map[string]int `json:"faultsInjected"`
	// ConnsOpened counts accepted TCP connections (see Server.ConnState).
	ConnsOpened int `json:"connsOpened"`
	// Unauthorized counts requests rejected with 401.
	Unauthorized int `json:"unauthorized"`
}

// statsRecorder holds the counters and the last request body per route.
// Guarded by Server.mu; its maps are keyed by the fixed route and fault
// kind names, so they stay small.
type statsRecorder struct {
	requests       map[string]int
	writes         int
	faultsInjected map[string]int
	connsOpened    int
	unauthorized   int
	lastBodies     map[string][]byte
}

func newStatsRecorder() statsRecorder {
	return statsRecorder{
		requests:       map[string]int{},
		faultsInjected: map[string]int{},
		lastBodies:     map[string][]byte{},
	}
}

// Stats returns a snapshot of the counters.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return Stats{
		Requests:       maps.Clone(s.stats.requests),
		Writes:         s.stats.writes,
		FaultsInjected: maps.Clone(s.stats.faultsInjected),
		ConnsOpened:    s.stats.connsOpened,
		Unauthorized:   s.stats.unauthorized,
	}
}

// ResetStats zeroes every counter and forgets the recorded request bodies.
func (s *Server) ResetStats() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stats = newStatsRecorder()
}

// LastRequestBody returns a copy of the body of the last request that
// reached route (a Route* constant), or nil when there was none.
func (s *Server) LastRequestBody(route string) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	body, ok := s.stats.lastBodies[route]
	if !ok {
		return nil
	}
	return append([]byte{}, body...)
}

// recordRequest counts a request that reached route and keeps its body.
func (s *Server) recordRequest(route string, body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stats.requests[route]++
	s.stats.lastBodies[route] = append([]byte{}, body...)
}

// countWriteLocked counts a state-changing operation. The caller holds s.mu.
func (s *Server) countWriteLocked() { s.stats.writes++ }
