package fakeauthress_test

import (
	"net/http"
	"net/url"
	"testing"

	"terraform-provider-authress/internal/fakeauthress"
)

func credentialsPath(connectionID, userID string) string {
	return "/v1/connections/" + url.PathEscape(connectionID) + "/users/" + url.PathEscape(userID) + "/credentials"
}

func TestUserCredentials(t *testing.T) {
	s, c := newTestServer(t, fakeauthress.Options{})
	createIDs(t, c, "google")
	userID := "google-oauth2|1234/abc"
	s.SeedCredentials("google", userID, "idp-token")

	path := credentialsPath("google", userID)
	if path != "/v1/connections/google/users/google-oauth2%7C1234%2Fabc/credentials" {
		t.Fatalf("unexpected escaping %q", path)
	}
	r := c.send(http.MethodGet, path, "")
	expectStatus(t, r, http.StatusOK)
	if got := r.object(t); got["accessToken"] != "idp-token" || len(got) != 1 {
		t.Errorf("credentials body %v", got)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/links+json" {
		t.Errorf("Content-Type %q", ct)
	}
	if got := s.Stats().Requests[fakeauthress.RouteGetUserCredentials]; got != 1 {
		t.Errorf("credentials requests %d", got)
	}

	expectError(t, c.send(http.MethodGet, credentialsPath("google", "someone-else"), ""),
		http.StatusNotFound, "UserNotFound", "someone-else")
	expectError(t, c.send(http.MethodGet, credentialsPath("nope", userID), ""),
		http.StatusNotFound, "ConnectionNotFound", "nope")
	expectError(t, c.send(http.MethodGet, credentialsPath("google", "bad user"), ""),
		http.StatusBadRequest, "InvalidInput", "userId")

	// Credentials go away with their connection.
	expectStatus(t, c.send(http.MethodDelete, "/v1/connections/google", ""), http.StatusNoContent)
	createIDs(t, c, "google")
	expectError(t, c.send(http.MethodGet, path, ""), http.StatusNotFound, "UserNotFound", userID)
}
