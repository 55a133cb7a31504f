package fakeauthress_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"terraform-provider-authress/internal/fakeauthress"
)

// outcomeSequence sends the same requests in order and records each answer.
func outcomeSequence(t *testing.T, c *apiClient) []int {
	t.Helper()
	var statuses []int
	for i := 0; i < 30; i++ {
		path := "/v1/connections"
		if i%3 == 0 {
			path = "/v1/connections/x"
		}
		r := c.send(http.MethodGet, path, "")
		statuses = append(statuses, r.status)
	}
	return statuses
}

func TestFaultsAreDeterministic(t *testing.T) {
	cfg := fakeauthress.FaultConfig{
		Rate:  0.5,
		Kinds: []fakeauthress.FaultKind{fakeauthress.Fault503, fakeauthress.Fault429, fakeauthress.FaultHTML500},
		Seed:  42,
	}
	s1, c1 := newTestServer(t, fakeauthress.Options{})
	s1.SetFaults(cfg)
	first := outcomeSequence(t, c1)
	s1.SetFaults(cfg) // restarts the sequence
	again := outcomeSequence(t, c1)

	s2, c2 := newTestServer(t, fakeauthress.Options{})
	s2.SetFaults(cfg)
	other := outcomeSequence(t, c2)

	if !slices.Equal(first, again) || !slices.Equal(first, other) {
		t.Errorf("same seed, different outcomes:\n%v\n%v\n%v", first, again, other)
	}
	faulted := 0
	for _, st := range first {
		if st >= 429 && st != http.StatusNotFound {
			faulted++
		}
	}
	if faulted == 0 || faulted == len(first) {
		t.Errorf("rate 0.5 faulted %d of %d requests", faulted, len(first))
	}

	cfg.Seed = 43
	s2.SetFaults(cfg)
	if slices.Equal(outcomeSequence(t, c2), first) {
		t.Error("a different seed produced the same outcomes")
	}
	st := s1.Stats()
	total := 0
	for _, n := range st.FaultsInjected {
		total += n
	}
	if total != 2*faulted {
		t.Errorf("FaultsInjected total %d, want %d", total, 2*faulted)
	}
	if st.Requests[fakeauthress.RouteListConnections] != 40 {
		t.Errorf("faulted requests not counted: %v", st.Requests)
	}
}

func onlyFault(kind fakeauthress.FaultKind) fakeauthress.FaultConfig {
	return fakeauthress.FaultConfig{Rate: 1, Kinds: []fakeauthress.FaultKind{kind}}
}

func TestEachFaultKind(t *testing.T) {
	s, c := newTestServer(t, fakeauthress.Options{})
	createBody := func(id string) string { return `{"connectionId":"` + id + `","authenticationUrl":"https://a"}` }

	s.SetFaults(onlyFault(fakeauthress.Fault503))
	expectError(t, c.send(http.MethodPost, "/v1/connections", createBody("f503")), http.StatusServiceUnavailable, "ServiceUnavailable", "")

	cfg := onlyFault(fakeauthress.Fault429)
	cfg.RetryAfter = 1500 * time.Millisecond
	s.SetFaults(cfg)
	r := c.send(http.MethodPost, "/v1/connections", createBody("f429"))
	expectError(t, r, http.StatusTooManyRequests, "TooManyRequests", "")
	if ra := r.header.Get("Retry-After"); ra != "2" {
		t.Errorf("Retry-After %q, want 2 (rounded up)", ra)
	}
	s.SetFaults(onlyFault(fakeauthress.Fault429))
	if ra := c.send(http.MethodGet, "/v1/connections", "").header.Get("Retry-After"); ra != "1" {
		t.Errorf("default Retry-After %q, want 1", ra)
	}

	s.SetFaults(onlyFault(fakeauthress.FaultHTML500))
	r = c.send(http.MethodPost, "/v1/connections", createBody("fhtml"))
	expectStatus(t, r, http.StatusInternalServerError)
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") || !strings.Contains(string(r.body), "<html>") {
		t.Errorf("html-500: %q %s", ct, r.body)
	}

	s.SetFaults(onlyFault(fakeauthress.FaultMalformedJSON))
	r = c.send(http.MethodGet, "/v1/connections", "")
	expectStatus(t, r, http.StatusOK)
	if json.Valid(r.body) || len(r.body) == 0 {
		t.Errorf("malformed-json body is valid JSON: %s", r.body)
	}

	s.SetFaults(onlyFault(fakeauthress.FaultDropBefore))
	if _, err := c.trySend(http.MethodPost, "/v1/connections", createBody("fdrop1"), c.token); err == nil {
		t.Error("drop-before: got an answer")
	}
	if s.ConnectionCount() != 0 {
		t.Errorf("requests were applied by non-committing faults: %v", s.ConnectionIDs())
	}

	s.SetFaults(onlyFault(fakeauthress.FaultDropAfter))
	if _, err := c.trySend(http.MethodPost, "/v1/connections", createBody("fdrop2"), c.token); err == nil {
		t.Error("drop-after: got an answer")
	}
	if _, ok := s.Connection("fdrop2"); !ok {
		t.Error("drop-after did not commit the create")
	}

	s.SetFaults(fakeauthress.FaultConfig{})
	expectError(t, c.send(http.MethodPost, "/v1/connections", createBody("fdrop2")), http.StatusConflict, "ConnectionAlreadyExists", "fdrop2")

	st := s.Stats()
	want := map[string]int{"503": 1, "429": 2, "html-500": 1, "malformed-json": 1, "drop-before": 1, "drop-after": 1}
	for kind, n := range want {
		if st.FaultsInjected[kind] != n {
			t.Errorf("FaultsInjected[%s] = %d, want %d", kind, st.FaultsInjected[kind], n)
		}
	}
	if st.Writes != 1 {
		t.Errorf("Writes = %d, want 1 (the committed drop-after)", st.Writes)
	}
}

func TestLatency(t *testing.T) {
	s, c := newTestServer(t, fakeauthress.Options{})
	s.SetFaults(fakeauthress.FaultConfig{Latency: 60 * time.Millisecond})
	start := time.Now()
	expectStatus(t, c.send(http.MethodGet, "/v1/connections", ""), http.StatusOK)
	if elapsed := time.Since(start); elapsed < 60*time.Millisecond {
		t.Errorf("answered after %v, latency is 60ms", elapsed)
	}

	// The delay ends with the request's context.
	s.SetFaults(fakeauthress.FaultConfig{Latency: time.Minute})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.URL()+"/v1/connections", nil)
	req.Header.Set("Authorization", "Bearer "+c.token)
	start = time.Now()
	resp, err := c.http.Do(req)
	if err == nil {
		_ = resp.Body.Close()
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err %v, want deadline exceeded", err)
	}
	s.SetFaults(fakeauthress.FaultConfig{})
	// The server side returns promptly too: a new request is served at once.
	expectStatus(t, c.send(http.MethodGet, "/v1/connections", ""), http.StatusOK)
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Errorf("took %v", elapsed)
	}
}

func TestParseFaultKinds(t *testing.T) {
	kinds, err := fakeauthress.ParseFaultKinds(" 503, drop-after,,html-500 ")
	if err != nil || !slices.Equal(kinds, []fakeauthress.FaultKind{"503", "drop-after", "html-500"}) {
		t.Errorf("ParseFaultKinds = %v, %v", kinds, err)
	}
	if _, err := fakeauthress.ParseFaultKinds("503,teapot"); err == nil {
		t.Error("unknown kind accepted")
	}
	if len(fakeauthress.AllFaultKinds()) != 6 {
		t.Error("AllFaultKinds")
	}
}
