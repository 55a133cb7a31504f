package authress

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"terraform-provider-authress/internal/fakeauthress"
)

func ptr[T any](v T) *T { return &v }

// newTestClient is a client of the fake with short retry waits.
func newTestClient(t *testing.T, fake *fakeauthress.Server, maxRetries int) *Client {
	t.Helper()
	client, err := New(Config{
		APIURL:        fake.URL(),
		AccessKey:     fake.AccessKey(),
		MaxRetries:    &maxRetries,
		RetryWaitMin:  time.Millisecond,
		RetryWaitMax:  5 * time.Millisecond,
		RetryAfterMax: 10 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	return client
}

func TestConnectionLifecycle(t *testing.T) {
	fake := fakeauthress.NewTestServer(t, fakeauthress.Options{})
	client := newTestClient(t, fake, 0)
	ctx := t.Context()

	created, err := client.CreateConnection(ctx, &Connection{
		ConnectionID:      ptr("corp"),
		AuthenticationURL: ptr("https://idp.example.com/authorize"),
		ClientSecret:      ptr("s3cret"),
		Data:              &ConnectionData{Name: ptr("Corp")},
		Tags:              map[string]string{"team": "platform"},
		// Read-only fields are never sent: the fake rejects them.
		CreatedTime: ptr("2020-01-01T00:00:00Z"),
	})
	if err != nil {
		t.Fatal(err)
	}
	if *created.ConnectionID != "corp" || *created.Type != DefaultConnectionType || created.CreatedTime == nil {
		t.Fatalf("created %+v", created)
	}
	if created.DefaultConnectionProperties[ScopeProperty] != DefaultScope || *created.Data.UserIDExpression != DefaultUserIDExpression {
		t.Fatalf("server defaults missing: %+v %+v", created.DefaultConnectionProperties, created.Data)
	}

	got, err := client.GetConnection(ctx, "corp")
	if err != nil || *got.Data.Name != "Corp" {
		t.Fatalf("GetConnection = %+v, %v", got, err)
	}

	// A full replace: the tags left out are cleared.
	updated, err := client.UpdateConnection(ctx, "corp", &Connection{AuthenticationURL: ptr("https://idp.example.com/v2/authorize")})
	if err != nil {
		t.Fatal(err)
	}
	if updated.Tags != nil || *updated.AuthenticationURL != "https://idp.example.com/v2/authorize" {
		t.Fatalf("updated %+v", updated)
	}

	if err := client.DeleteConnection(ctx, "corp"); err != nil {
		t.Fatal(err)
	}
	if _, err := client.GetConnection(ctx, "corp"); !IsNotFound(err) {
		t.Fatalf("GetConnection after delete = %v, want not found", err)
	}
	if err := client.DeleteConnection(ctx, "corp"); !IsNotFound(err) {
		t.Fatalf("second delete = %v, want not found", err)
	}
}

func TestAPIErrorsCarryTitleCodeAndID(t *testing.T) {
	fake := fakeauthress.NewTestServer(t, fakeauthress.Options{})
	client := newTestClient(t, fake, 0)
	_, err := client.CreateConnection(t.Context(), &Connection{AuthenticationURL: ptr(strings.Repeat("a", 300))})
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("error %v is not an APIError", err)
	}
	if apiErr.StatusCode != http.StatusBadRequest || apiErr.Title == "" || apiErr.ErrorCode == "" || apiErr.ErrorID == "" {
		t.Fatalf("APIError %+v lacks a field", apiErr)
	}
	for _, part := range []string{"HTTP 400", apiErr.Title, "errorCode " + apiErr.ErrorCode, "errorId " + apiErr.ErrorID} {
		if !strings.Contains(err.Error(), part) {
			t.Errorf("error %q lacks %q", err, part)
		}
	}
}

func TestListFollowsCursors(t *testing.T) {
	fake := fakeauthress.NewTestServer(t, fakeauthress.Options{PageSize: 3})
	for i := range 10 {
		if _, err := fake.PutConnectionJSON(fmt.Appendf(nil, `{"connectionId":"c%02d","authenticationUrl":"https://idp.example.com"}`, i)); err != nil {
			t.Fatal(err)
		}
	}
	client := newTestClient(t, fake, 0)
	all, err := client.ListConnections(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 10 || *all[0].ConnectionID != "c00" || *all[9].ConnectionID != "c09" {
		t.Fatalf("listed %d connections", len(all))
	}
	if n := fake.Stats().Requests[fakeauthress.RouteListConnections]; n != 4 {
		t.Fatalf("%d list requests, want 4 pages", n)
	}
}

func TestListStopsOnARepeatedCursor(t *testing.T) {
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(`{"connections":[{"connectionId":"a"}],"pagination":{"next":{"cursor":"same"}}}`))
	}))
	t.Cleanup(server.Close)
	key, _ := newTestAccessKey(t)
	client, err := New(Config{APIURL: server.URL, AccessKey: key})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.ListConnections(t.Context()); err == nil || !strings.Contains(err.Error(), "a second time") {
		t.Fatalf("error %v, want a repeated-cursor error", err)
	}
}

func TestUserCredentialsEscapesIDs(t *testing.T) {
	fake := fakeauthress.NewTestServer(t, fakeauthress.Options{})
	if _, err := fake.PutConnectionJSON([]byte(`{"connectionId":"google","authenticationUrl":"https://idp.example.com"}`)); err != nil {
		t.Fatal(err)
	}
	fake.SeedCredentials("google", "google|1/2", "token-1")
	client := newTestClient(t, fake, 0)
	token, err := client.UserCredentials(t.Context(), "google", "google|1/2")
	if err != nil || token != "token-1" {
		t.Fatalf("UserCredentials = %q, %v", token, err)
	}
	if _, err := client.UserCredentials(t.Context(), "google", "google|1"); !IsNotFound(err) {
		t.Fatalf("unknown user: %v, want not found", err)
	}
}

func TestUnmodeledFieldsRoundTrip(t *testing.T) {
	var c Connection
	if err := json.Unmarshal([]byte(`{"connectionId":"a","newField":{"x":1},"links":{"self":{}}}`), &c); err != nil {
		t.Fatal(err)
	}
	if string(c.Unmodeled["newField"]) != `{"x":1}` || c.Unmodeled["links"] != nil {
		t.Fatalf("unmodeled = %v", c.Unmodeled)
	}
	out, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != `{"connectionId":"a","newField":{"x":1}}` {
		t.Fatalf("marshalled %s", out)
	}
}

func TestRetriesTransientFaults(t *testing.T) {
	for _, kind := range []fakeauthress.FaultKind{
		fakeauthress.Fault503, fakeauthress.Fault429, fakeauthress.FaultDropBefore,
		fakeauthress.FaultMalformedJSON, fakeauthress.FaultHTML500,
	} {
		t.Run(string(kind), func(t *testing.T) {
			fake := fakeauthress.NewTestServer(t, fakeauthress.Options{})
			if _, err := fake.PutConnectionJSON([]byte(`{"connectionId":"a","authenticationUrl":"https://idp.example.com"}`)); err != nil {
				t.Fatal(err)
			}
			fake.SetFaults(fakeauthress.FaultConfig{Rate: 0.5, Kinds: []fakeauthress.FaultKind{kind}, Seed: 7})
			client := newTestClient(t, fake, 10)
			for range 20 {
				if _, err := client.GetConnection(t.Context(), "a"); err != nil {
					t.Fatalf("GetConnection under %s faults: %v", kind, err)
				}
			}
			injected := int64(fake.Stats().FaultsInjected[string(kind)])
			retries := client.Retries()
			if kind == fakeauthress.FaultDropBefore {
				// net/http itself resends an idempotent request once when a
				// reused connection closes before any answer, so not every
				// drop costs a retry of ours.
				if injected == 0 || retries == 0 || retries > injected {
					t.Fatalf("%d drops injected, %d retries: want 0 < retries <= drops", injected, retries)
				}
				return
			}
			if injected == 0 || retries != injected {
				t.Fatalf("%d faults injected, %d retries: want equal and non-zero", injected, retries)
			}
		})
	}
}

func TestGivesUpAfterMaxRetries(t *testing.T) {
	fake := fakeauthress.NewTestServer(t, fakeauthress.Options{})
	fake.SetFaults(fakeauthress.FaultConfig{Rate: 1, Kinds: []fakeauthress.FaultKind{fakeauthress.FaultHTML500}, Seed: 1})
	client := newTestClient(t, fake, 3)
	_, err := client.GetConnection(t.Context(), "a")
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 500 || !strings.Contains(apiErr.BodyNote, "text/html") {
		t.Fatalf("error %v, want the last 500 with a note on its HTML body", err)
	}
	if n := fake.Stats().Requests[fakeauthress.RouteGetConnection]; n != 4 {
		t.Fatalf("%d attempts, want 1 + 3 retries", n)
	}
}

func TestNeverRetriesClientErrors(t *testing.T) {
	for _, status := range []int{http.StatusBadRequest, http.StatusUnauthorized, http.StatusPaymentRequired, http.StatusForbidden, http.StatusNotFound} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			fake := fakeauthress.NewTestServer(t, fakeauthress.Options{})
			fake.SetForcedStatus(status, "Forced", "forced by the test")
			client := newTestClient(t, fake, 5)
			_, err := client.GetConnection(t.Context(), "a")
			var apiErr *APIError
			if !errors.As(err, &apiErr) || apiErr.StatusCode != status || apiErr.ErrorCode != "Forced" {
				t.Fatalf("error %v, want HTTP %d", err, status)
			}
			if client.Retries() != 0 {
				t.Fatalf("%d retries of a %d", client.Retries(), status)
			}
		})
	}
}

func TestCancellationStopsRetrying(t *testing.T) {
	fake := fakeauthress.NewTestServer(t, fakeauthress.Options{})
	fake.SetFaults(fakeauthress.FaultConfig{Rate: 1, Kinds: []fakeauthress.FaultKind{fakeauthress.Fault503}, Seed: 1})
	maxRetries := 20
	client, err := New(Config{APIURL: fake.URL(), AccessKey: fake.AccessKey(), MaxRetries: &maxRetries, RetryWaitMin: time.Second, RetryWaitMax: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	_, err = client.GetConnection(ctx, "a")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	if elapsed := time.Since(start); elapsed > 2*time.Second {
		t.Fatalf("cancellation took %s", elapsed)
	}
}

func TestRetryAfterIsHonouredUpToTheCap(t *testing.T) {
	backoff := jitteredBackoff(2 * time.Second)
	resp := &http.Response{StatusCode: http.StatusTooManyRequests, Header: http.Header{"Retry-After": {"1"}}}
	if wait := backoff(10*time.Millisecond, time.Second, 0, resp); wait != time.Second {
		t.Fatalf("wait %s, want the server's 1s", wait)
	}
	resp.Header.Set("Retry-After", "3600")
	if wait := backoff(10*time.Millisecond, time.Second, 0, resp); wait != 2*time.Second {
		t.Fatalf("wait %s, want the 2s cap", wait)
	}
	for attempt := range 10 {
		wait := backoff(10*time.Millisecond, 80*time.Millisecond, attempt, nil)
		if wait < 10*time.Millisecond || wait > 80*time.Millisecond {
			t.Fatalf("attempt %d waits %s, outside [10ms, 80ms]", attempt, wait)
		}
	}
}

func TestUnreachableAPIFailsClearly(t *testing.T) {
	server := httptest.NewServer(http.NotFoundHandler())
	url := server.URL
	server.Close()
	key, _ := newTestAccessKey(t)
	zero := 0
	client, err := New(Config{APIURL: url, AccessKey: key, MaxRetries: &zero})
	if err != nil {
		t.Fatal(err)
	}
	_, err = client.GetConnection(t.Context(), "a")
	if err == nil || !strings.Contains(err.Error(), "could not be reached") {
		t.Fatalf("error %v", err)
	}
	if strings.Contains(err.Error(), key[20:40]) {
		t.Fatal("the error contains the key")
	}
}

// Many goroutines share one client across a token renewal; run with -race.
func TestConcurrentUseAcrossTokenRenewal(t *testing.T) {
	fake := fakeauthress.NewTestServer(t, fakeauthress.Options{})
	if _, err := fake.PutConnectionJSON([]byte(`{"connectionId":"a","authenticationUrl":"https://idp.example.com"}`)); err != nil {
		t.Fatal(err)
	}
	client := newTestClient(t, fake, 0)
	source := client.tokens.(*signingTokenSource)
	var clockMu sync.Mutex
	now := time.Now()
	source.now = func() time.Time { clockMu.Lock(); defer clockMu.Unlock(); return now }

	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for i := range 32 {
		wg.Go(func() {
			if i == 16 {
				// Move the clock past the renewal point while requests are in flight.
				clockMu.Lock()
				now = now.Add(23*time.Hour + 30*time.Minute)
				clockMu.Unlock()
			}
			if _, err := client.GetConnection(t.Context(), "a"); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := source.signedCount(); n != 2 {
		t.Fatalf("signed %d tokens, want 2: one, then one renewal", n)
	}
}
