package fakeauthress_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"terraform-provider-authress/internal/fakeauthress"
)

func TestAdminEndpoints(t *testing.T) {
	s, c := newTestServer(t, fakeauthress.Options{})
	admin := func(method, path, body string) response {
		t.Helper()
		r, err := c.trySend(method, path, body, "") // no token: admin is unauthenticated
		if err != nil {
			t.Fatal(err)
		}
		return r
	}

	r := admin(http.MethodPost, "/_fake/connections", `{"connectionId":"byhand","authenticationUrl":"https://a","clientSecret":"s"}`)
	expectStatus(t, r, http.StatusOK)
	stored := r.object(t)
	if stored["connectionId"] != "byhand" || stored["clientSecret"] != "s" || stored["type"] != "OAUTH2" {
		t.Errorf("admin create returned %v", stored)
	}
	expectError(t, admin(http.MethodPost, "/_fake/connections", `{"authenticationUrl":"https://a","nope":1}`),
		http.StatusBadRequest, "InvalidInput", "nope")

	r = admin(http.MethodPost, "/_fake/credentials", `{"connectionId":"byhand","userId":"u|1","accessToken":"tok"}`)
	expectStatus(t, r, http.StatusNoContent)
	if got := c.send(http.MethodGet, credentialsPath("byhand", "u|1"), "").object(t); got["accessToken"] != "tok" {
		t.Errorf("seeded credentials: %v", got)
	}
	expectError(t, admin(http.MethodPost, "/_fake/credentials", `{"connectionId":"byhand","userId":"u"}`),
		http.StatusBadRequest, "InvalidInput", "accessToken")
	expectError(t, admin(http.MethodPost, "/_fake/credentials", `{"connectionId":"byhand","userId":"u","accessToken":"t","x":1}`),
		http.StatusBadRequest, "InvalidInput", "x")

	r = admin(http.MethodGet, "/_fake/stats", "")
	expectStatus(t, r, http.StatusOK)
	var st fakeauthress.Stats
	if err := json.Unmarshal(r.body, &st); err != nil {
		t.Fatal(err)
	}
	if st.Requests[fakeauthress.RouteGetUserCredentials] != 1 || st.ConnsOpened == 0 {
		t.Errorf("stats over HTTP: %+v", st)
	}
	expectStatus(t, admin(http.MethodPost, "/_fake/stats/reset", ""), http.StatusNoContent)
	if st := s.Stats(); len(st.Requests) != 0 {
		t.Errorf("reset over HTTP left %v", st.Requests)
	}
	expectError(t, admin(http.MethodPost, "/_fake/stats", ""), http.StatusMethodNotAllowed, "MethodNotAllowed", "")
	expectError(t, admin(http.MethodGet, "/_fake/other", ""), http.StatusNotFound, "NotFound", "")
}

func TestConcurrentUse(t *testing.T) {
	s, c := newTestServer(t, fakeauthress.Options{PageSize: 5})
	s.SetFaults(fakeauthress.FaultConfig{Rate: 0.2, Kinds: []fakeauthress.FaultKind{fakeauthress.Fault503}, Seed: 7})
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < 10; i++ {
				id := fmt.Sprintf("w%d-%d", w, i)
				_, _ = c.trySend(http.MethodPost, "/v1/connections", `{"connectionId":"`+id+`","authenticationUrl":"https://a"}`, c.token)
				_, _ = c.trySend(http.MethodGet, "/v1/connections", "", c.token)
				_ = s.UpdateConnectionOutOfBand(id, func(m map[string]any) { m["tokenUrl"] = "https://t" })
				s.Connection(id)
				s.Stats()
				if i%2 == 0 {
					_, _ = c.trySend(http.MethodDelete, "/v1/connections/"+id, "", c.token)
				}
			}
		}(w)
	}
	wg.Wait()
	if n := s.ConnectionCount(); n < 0 || n > 80 {
		t.Errorf("ConnectionCount %d", n)
	}
	if len(s.ConnectionIDs()) != s.ConnectionCount() {
		t.Error("ConnectionIDs and ConnectionCount disagree")
	}
}
