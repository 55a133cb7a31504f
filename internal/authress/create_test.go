package authress

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"terraform-provider-authress/internal/fakeauthress"
)

// loseFirstCreateAnswer serves the fake, except that the first create is
// applied and its answer lost: the connection is closed before any reply.
// Before applying it, mutate may change the fake (to model a concurrent writer).
func loseFirstCreateAnswer(t *testing.T, fake *fakeauthress.Server, mutate func()) *httptest.Server {
	t.Helper()
	var creates atomic.Int32
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && creates.Add(1) == 1 {
			if mutate != nil {
				mutate()
			}
			fake.Handler().ServeHTTP(httptest.NewRecorder(), r)
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				_ = conn.Close()
			}
			return
		}
		fake.Handler().ServeHTTP(w, r)
	}))
	t.Cleanup(server.Close)
	fake.SetBaseURL(server.URL)
	return server
}

func clientFor(t *testing.T, url string, fake *fakeauthress.Server) *Client {
	t.Helper()
	retries := 3
	client, err := New(Config{APIURL: url, AccessKey: fake.AccessKey(), MaxRetries: &retries, RetryWaitMin: 1, RetryWaitMax: 2})
	if err != nil {
		t.Fatal(err)
	}
	return client
}

func TestCreateAdoptsItsOwnConnectionAfterALostAnswer(t *testing.T) {
	fake, err := fakeauthress.New(fakeauthress.Options{})
	if err != nil {
		t.Fatal(err)
	}
	server := loseFirstCreateAnswer(t, fake, nil)
	client := clientFor(t, server.URL, fake)

	created, err := client.CreateConnection(t.Context(), &Connection{
		ConnectionID:      ptr("lost-answer"),
		AuthenticationURL: ptr("https://idp.example.com"),
		ClientSecret:      ptr("s"),
		Data:              &ConnectionData{Name: ptr("Mine")},
	})
	if err != nil {
		t.Fatalf("a create whose answer was lost did not converge: %v", err)
	}
	if *created.ConnectionID != "lost-answer" || *created.Data.Name != "Mine" {
		t.Fatalf("adopted %+v", created)
	}
	if n := fake.ConnectionCount(); n != 1 {
		t.Fatalf("the fake holds %d connections, want 1", n)
	}
	if n := fake.Stats().Requests[fakeauthress.RouteCreateConnection]; n != 2 {
		t.Fatalf("%d creates, want the lost one and its retry", n)
	}
}

func TestCreateNeverAdoptsADifferentConnection(t *testing.T) {
	fake, err := fakeauthress.New(fakeauthress.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Someone else creates the same id with other content just before our
	// create, whose answer is then lost; the retry meets 409.
	server := loseFirstCreateAnswer(t, fake, func() {
		if _, err := fake.PutConnectionJSON([]byte(`{"connectionId":"taken","authenticationUrl":"https://other.example.com"}`)); err != nil {
			t.Error(err)
		}
	})
	client := clientFor(t, server.URL, fake)
	_, err = client.CreateConnection(t.Context(), &Connection{ConnectionID: ptr("taken"), AuthenticationURL: ptr("https://idp.example.com")})
	var conflict *CreateConflictError
	if !errors.As(err, &conflict) || !IsConflict(err) {
		t.Fatalf("error %v, want a CreateConflictError wrapping the 409", err)
	}
	stored, _ := fake.Connection("taken")
	if stored["authenticationUrl"] != "https://other.example.com" {
		t.Fatal("the other connection was changed")
	}
}

func TestCreateOfAnExistingIDIsAConflict(t *testing.T) {
	fake := fakeauthress.NewTestServer(t, fakeauthress.Options{})
	if _, err := fake.PutConnectionJSON([]byte(`{"connectionId":"exists","authenticationUrl":"https://idp.example.com"}`)); err != nil {
		t.Fatal(err)
	}
	client := newTestClient(t, fake, 3)
	// Same content, but the first attempt met 409: it was not this create that
	// made the connection, so it is not adopted.
	_, err := client.CreateConnection(t.Context(), &Connection{ConnectionID: ptr("exists"), AuthenticationURL: ptr("https://idp.example.com")})
	var conflict *CreateConflictError
	if !IsConflict(err) || errors.As(err, &conflict) {
		t.Fatalf("error %v, want the plain 409", err)
	}
}

func TestUpdateSendsUnmodeledFieldsBack(t *testing.T) {
	fake := fakeauthress.NewTestServer(t, fakeauthress.Options{})
	fake.AllowExtraField("newApiField")
	if _, err := fake.PutConnectionJSON([]byte(`{"connectionId":"a","authenticationUrl":"https://idp.example.com","newApiField":{"enabled":true}}`)); err != nil {
		t.Fatal(err)
	}
	client := newTestClient(t, fake, 0)
	got, err := client.GetConnection(t.Context(), "a")
	if err != nil {
		t.Fatal(err)
	}
	got.Data = &ConnectionData{Name: ptr("Renamed")}
	if _, err := client.UpdateConnection(t.Context(), "a", got); err != nil {
		t.Fatal(err)
	}
	stored, _ := fake.Connection("a")
	if field, ok := stored["newApiField"].(map[string]any); !ok || field["enabled"] != true {
		t.Fatalf("the update lost newApiField: %v", stored["newApiField"])
	}
}
