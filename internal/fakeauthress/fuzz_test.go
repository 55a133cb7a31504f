package fakeauthress_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"terraform-provider-authress/internal/fakeauthress"
)

// fuzzServer returns a handler and a valid token for driving it in-process.
func fuzzServer(f *testing.F) (http.Handler, string) {
	s, err := fakeauthress.New(fakeauthress.Options{})
	if err != nil {
		f.Fatal(err)
	}
	s.AllowExtraField("extra")
	token, err := s.IssueToken(time.Hour)
	if err != nil {
		f.Fatal(err)
	}
	return s.Handler(), token
}

// checkAnswer requires a known status and a JSON body matching it.
func checkAnswer(t *testing.T, rec *httptest.ResponseRecorder, allowed ...int) {
	t.Helper()
	if !slices.Contains(allowed, rec.Code) {
		t.Fatalf("status %d not in %v: %s", rec.Code, allowed, rec.Body.Bytes())
	}
	if rec.Code == http.StatusNoContent {
		return
	}
	if !json.Valid(rec.Body.Bytes()) {
		t.Fatalf("status %d with invalid JSON body %q", rec.Code, rec.Body.Bytes())
	}
}

func FuzzConnectionBody(f *testing.F) {
	for _, seed := range []string{
		`{"authenticationUrl":"https://a"}`,
		`{"connectionId":"c1","authenticationUrl":"https://a","data":{"tenantId":"x"},"tags":{"a":"b"}}`,
		`{"authenticationUrl":"https://a","extra":[1,{"a":null}]}`,
		`{"authenticationUrl":null,"data":null}`,
		`[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[`,
		`{"a":1,"a":2}`,
		"",
	} {
		f.Add(seed)
	}
	handler, token := fuzzServer(f)
	f.Fuzz(func(t *testing.T, body string) {
		for _, target := range []struct{ method, path string }{
			{http.MethodPost, "/v1/connections"},
			{http.MethodPut, "/v1/connections/c1"},
		} {
			req := httptest.NewRequestWithContext(t.Context(), target.method, target.path, bytes.NewReader([]byte(body)))
			req.Header.Set("Authorization", "Bearer "+token)
			rec := httptest.NewRecorder()
			handler.ServeHTTP(rec, req)
			checkAnswer(t, rec, http.StatusOK, http.StatusCreated, http.StatusBadRequest, http.StatusNotFound, http.StatusConflict)
		}
	})
}

func FuzzRequestTarget(f *testing.F) {
	for _, seed := range []string{
		"/v1/connections", "/v1/connections/", "/v1/connections?limit=5&cursor=x",
		"/v1/connections/a%2Fb/users/u%7C1%2Fx/credentials", "/v1/connections/%", "/_fake/stats", "//", "/v1/connections/a/../b",
	} {
		f.Add("GET", seed)
	}
	handler, token := fuzzServer(f)
	f.Fuzz(func(t *testing.T, method, target string) {
		req := httptest.NewRequestWithContext(t.Context(), http.MethodGet, "/", nil)
		req.Method = method
		req.RequestURI = target
		if u, err := req.URL.Parse(target); err == nil {
			req.URL = u
		}
		req.Header.Set("Authorization", "Bearer "+token)
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)
		checkAnswer(t, rec, http.StatusOK, http.StatusNoContent, http.StatusBadRequest, http.StatusNotFound, http.StatusMethodNotAllowed)
	})
}
