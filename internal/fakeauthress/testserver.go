package fakeauthress

import (
	"net/http/httptest"
	"testing"
)

// NewTestServer starts a Server on a loopback port for the duration of the
// test t. The base URL is set, accepted connections are counted, and the
// listener is closed by t.Cleanup. It fails t when the server cannot be
// created.
func NewTestServer(t testing.TB, opts Options) *Server {
	t.Helper()
	s, err := New(opts)
	if err != nil {
		t.Fatalf("fakeauthress: %v", err)
		return nil
	}
	ts := httptest.NewUnstartedServer(s.Handler())
	ts.Config.ConnState = s.ConnState
	ts.Start()
	t.Cleanup(ts.Close)
	s.SetBaseURL(ts.URL)
	return s
}
