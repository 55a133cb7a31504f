package fakeauthress_test

import (
	"net/http"
	"slices"
	"testing"
	"time"

	"terraform-provider-authress/internal/fakeauthress"
)

func TestOutOfBandHooks(t *testing.T) {
	s, c := newTestServer(t, fakeauthress.Options{})

	id, err := s.PutConnectionJSON([]byte(`{"connectionId":"oob","authenticationUrl":"https://a","clientSecret":"s1"}`))
	if err != nil || id != "oob" {
		t.Fatalf("PutConnectionJSON = %q, %v", id, err)
	}
	assigned, err := s.PutConnectionJSON([]byte(`{"authenticationUrl":"https://b"}`))
	if err != nil || assigned == "" || assigned == "oob" {
		t.Fatalf("PutConnectionJSON without id = %q, %v", assigned, err)
	}
	if _, err := s.PutConnectionJSON([]byte(`{"authenticationUrl":"https://b","bogus":1}`)); err == nil {
		t.Error("PutConnectionJSON accepted an unknown field")
	}
	if got := s.ConnectionIDs(); !slices.Equal(got, []string{"oob", assigned}) {
		t.Errorf("ConnectionIDs = %v", got)
	}

	stored, ok := s.Connection("oob")
	if !ok || stored["clientSecret"] != "s1" || stored["type"] != "OAUTH2" {
		t.Fatalf("Connection = %v, %v", stored, ok)
	}
	// The copy is deep: editing it changes nothing on the server.
	stored["data"].(map[string]any)["name"] = "changed"
	if again, _ := s.Connection("oob"); again["data"].(map[string]any)["name"] != nil {
		t.Error("Connection returned an alias of stored state")
	}

	// Replacing through the hook keeps the creation time and order.
	if _, err := s.PutConnectionJSON([]byte(`{"connectionId":"oob","authenticationUrl":"https://c"}`)); err != nil {
		t.Fatal(err)
	}
	replaced, _ := s.Connection("oob")
	if replaced["createdTime"] != stored["createdTime"] || replaced["clientSecret"] != nil {
		t.Errorf("replace via hook: %v", replaced)
	}

	time.Sleep(5 * time.Millisecond)
	err = s.UpdateConnectionOutOfBand("oob", func(m map[string]any) {
		m["tokenUrl"] = "https://drift"
		m["data"].(map[string]any)["name"] = "Drifted"
		m["connectionId"] = "renamed" // ignored: the id is the key
		m["tags"] = map[string]string{"n": "1"}
	})
	if err != nil {
		t.Fatal(err)
	}
	got := c.send(http.MethodGet, "/v1/connections/oob", "").object(t)
	if got["tokenUrl"] != "https://drift" || got["data"].(map[string]any)["name"] != "Drifted" || got["connectionId"] != "oob" {
		t.Errorf("GET after out-of-band update: %v", got)
	}
	if got["tags"].(map[string]any)["n"] != "1" {
		t.Errorf("tags %v", got["tags"])
	}
	if got["lastUpdated"] == replaced["lastUpdated"] {
		t.Error("lastUpdated not bumped by UpdateConnectionOutOfBand")
	}
	if err := s.UpdateConnectionOutOfBand("oob", func(m map[string]any) { m["bad"] = make(chan int) }); err == nil {
		t.Error("a value JSON cannot represent was accepted")
	}
	if err := s.UpdateConnectionOutOfBand("missing", nil); err == nil {
		t.Error("update of a missing connection succeeded")
	}

	if !s.DeleteConnectionOutOfBand("oob") || s.DeleteConnectionOutOfBand("oob") {
		t.Error("DeleteConnectionOutOfBand results wrong")
	}
	if s.ConnectionCount() != 1 {
		t.Errorf("ConnectionCount = %d", s.ConnectionCount())
	}
	if st := s.Stats(); st.Writes != 0 || len(st.Requests) != 1 {
		t.Errorf("hooks were counted as API traffic: %+v", st)
	}
}

func TestStatsAndLastRequestBody(t *testing.T) {
	s, c := newTestServer(t, fakeauthress.Options{})
	body := `{"connectionId":"x","authenticationUrl":"https://a"}`
	mustCreate(t, c, body)
	c.send(http.MethodPost, "/v1/connections", body) // 409: counted, not a write
	c.send(http.MethodGet, "/v1/connections/x", "")
	c.send(http.MethodPut, "/v1/connections/x", `{"authenticationUrl":"https://b"}`)
	c.send(http.MethodGet, "/v1/connections/", "")
	c.send(http.MethodDelete, "/v1/connections/x", "")
	c.send(http.MethodDelete, "/v1/connections/x", "") // 404: not a write
	c.send(http.MethodGet, "/v1/connections/x/users/u/credentials", "")
	_, _ = c.trySend(http.MethodGet, "/v1/connections", "", "") // 401

	st := s.Stats()
	want := map[string]int{
		fakeauthress.RouteCreateConnection:   2,
		fakeauthress.RouteGetConnection:      1,
		fakeauthress.RouteUpdateConnection:   1,
		fakeauthress.RouteListConnections:    2,
		fakeauthress.RouteDeleteConnection:   2,
		fakeauthress.RouteGetUserCredentials: 1,
	}
	for route, n := range want {
		if st.Requests[route] != n {
			t.Errorf("Requests[%q] = %d, want %d", route, st.Requests[route], n)
		}
	}
	if st.Writes != 3 || st.Unauthorized != 1 {
		t.Errorf("Writes %d (want 3), Unauthorized %d (want 1)", st.Writes, st.Unauthorized)
	}
	if st.ConnsOpened < 9 { // the test client does not keep connections alive
		t.Errorf("ConnsOpened = %d, want >= 9", st.ConnsOpened)
	}
	if got := string(s.LastRequestBody(fakeauthress.RouteUpdateConnection)); got != `{"authenticationUrl":"https://b"}` {
		t.Errorf("LastRequestBody(PUT) = %q", got)
	}
	if got := s.LastRequestBody(fakeauthress.RouteCreateConnection); string(got) != body {
		t.Errorf("LastRequestBody(POST) = %q", got)
	}

	s.ResetStats()
	st = s.Stats()
	if len(st.Requests) != 0 || st.Writes != 0 || st.ConnsOpened != 0 || st.Unauthorized != 0 {
		t.Errorf("after reset: %+v", st)
	}
	if s.LastRequestBody(fakeauthress.RouteCreateConnection) != nil {
		t.Error("reset kept request bodies")
	}
}

func TestForcedStatus(t *testing.T) {
	s, c := newTestServer(t, fakeauthress.Options{})
	s.SetForcedStatus(http.StatusForbidden, "Forbidden", "the client lacks permission")
	expectError(t, c.send(http.MethodGet, "/v1/connections", ""), http.StatusForbidden, "Forbidden", "permission")
	expectError(t, c.send(http.MethodPost, "/v1/connections", `{"authenticationUrl":"https://a"}`), http.StatusForbidden, "Forbidden", "")
	s.SetForcedStatus(http.StatusPaymentRequired, "LimitExceeded", "")
	expectError(t, c.send(http.MethodGet, "/v1/connections/x", ""), http.StatusPaymentRequired, "LimitExceeded", "Payment Required")
	if s.ConnectionCount() != 0 {
		t.Error("a forced answer applied the request")
	}
	s.SetForcedStatus(0, "", "")
	expectStatus(t, c.send(http.MethodGet, "/v1/connections", ""), http.StatusOK)
}
