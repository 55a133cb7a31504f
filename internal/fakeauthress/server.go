package fakeauthress

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

const (
	defaultAccountID = "acc_fake"
	defaultPageSize  = 20
	maxPageSize      = 1000 // bound for the configured default page size
	maxBodyBytes     = 1 << 20
)

// Options configures a Server.
type Options struct {
	// AccountID is the Authress account the server impersonates; default "acc_fake".
	AccountID string
	// PageSize is the list page size when a request has no limit parameter;
	// default 20.
	PageSize int
	// EchoClientSecret makes responses include clientSecret. When false the
	// secret is stored but omitted from every response body, the other
	// reading of the contract.
	EchoClientSecret bool
}

// Server is an in-memory Authress connections API. Create it with New or
// NewTestServer; all methods are safe for concurrent use.
type Server struct {
	client *serviceClient // immutable after New

	mu               sync.Mutex
	baseURL          string
	pageSize         int
	echoClientSecret bool
	extraFields      map[string]struct{}
	forced           *apiError
	faults           faultState
	store            connectionStore
	stats            statsRecorder
}

// New creates a server for opts with a fresh service client and Ed25519 key
// pair. It does not listen: serve Handler() yourself or use NewTestServer.
func New(opts Options) (*Server, error) {
	accountID := opts.AccountID
	if accountID == "" {
		accountID = defaultAccountID
	}
	client, err := newServiceClient(accountID)
	if err != nil {
		return nil, err
	}
	return &Server{
		client:           client,
		pageSize:         clampPageSize(opts.PageSize),
		echoClientSecret: opts.EchoClientSecret,
		extraFields:      map[string]struct{}{},
		faults:           newFaultState(),
		store:            newConnectionStore(),
		stats:            newStatsRecorder(),
	}, nil
}

func clampPageSize(n int) int {
	if n <= 0 {
		return defaultPageSize
	}
	return min(n, maxPageSize)
}

// Handler returns the HTTP handler serving the API under /v1/ and the
// unauthenticated admin endpoints under /_fake/.
func (s *Server) Handler() http.Handler { return http.HandlerFunc(s.serveHTTP) }

// SetBaseURL records the URL clients use to reach the server; it appears in
// list links and in the issuer of IssueToken. A trailing '/' is dropped.
func (s *Server) SetBaseURL(u string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.baseURL = strings.TrimSuffix(u, "/")
}

// URL returns the base URL set by SetBaseURL or NewTestServer.
func (s *Server) URL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.baseURL
}

// AccountID returns the account id of the server's service client.
func (s *Server) AccountID() string { return s.client.accountID }

// ClientID returns the id of the server's service client.
func (s *Server) ClientID() string { return s.client.clientID }

// AccessKey returns the service client access key
// "<clientId>.<keyId>.<accountId>.<base64 PKCS#8 DER private key>".
func (s *Server) AccessKey() string { return s.client.accessKey }

// ConnState counts accepted TCP connections; install it as
// http.Server.ConnState.
func (s *Server) ConnState(_ net.Conn, state http.ConnState) {
	if state != http.StateNew {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stats.connsOpened++
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	path := rawRequestPath(r)
	switch {
	case path == "/v1" || strings.HasPrefix(path, "/v1/"):
		s.serveAPI(w, r, path)
	case strings.HasPrefix(path, adminPrefix):
		s.serveAdmin(w, r, path)
	default:
		writeRouteError(w, notFoundRoute())
	}
}

// serveAPI runs one /v1 request through the pipeline: route, record,
// latency, forced status, fault injection, authentication, operation.
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request, path string) {
	route, routeErr := matchRoute(r.Method, path)
	if routeErr != nil {
		writeRouteError(w, routeErr)
		return
	}
	body, readErr := readRequestBody(w, r)
	s.recordRequest(route.key, body)
	if !s.waitLatency(r.Context()) {
		return // the client went away
	}
	if readErr != nil {
		writeError(w, readErr)
		return
	}
	if forced := s.forcedStatus(); forced != nil {
		writeError(w, forced)
		return
	}
	if kind, faulted := s.decideFault(r.Method, path); faulted {
		s.injectFault(w, kind, func(w http.ResponseWriter) { s.apply(w, r, route, body) })
		return
	}
	s.apply(w, r, route, body)
}

// apply authenticates the request and performs its operation.
func (s *Server) apply(w http.ResponseWriter, r *http.Request, route routeMatch, body []byte) {
	if apiErr := s.authenticate(r); apiErr != nil {
		s.mu.Lock()
		s.stats.unauthorized++
		s.mu.Unlock()
		writeError(w, apiErr)
		return
	}
	s.perform(r, route, body).write(w)
}

// perform runs the operation route names.
func (s *Server) perform(r *http.Request, route routeMatch, body []byte) result {
	switch route.key {
	case RouteCreateConnection:
		return s.createConnection(body)
	case RouteListConnections:
		return s.listConnections(r)
	case RouteGetConnection:
		return s.getConnection(route.connectionID)
	case RouteUpdateConnection:
		return s.updateConnection(route.connectionID, body)
	case RouteDeleteConnection:
		return s.deleteConnection(route.connectionID)
	case RouteGetUserCredentials:
		return s.getUserCredentials(route.connectionID, route.userID)
	}
	return failed(notFoundRoute().err)
}

// readRequestBody reads at most maxBodyBytes of the body. The bytes read are
// returned even on error so that they can still be recorded.
func readRequestBody(w http.ResponseWriter, r *http.Request) ([]byte, *apiError) {
	if r.Body == nil {
		return nil, nil
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return body, newAPIError(http.StatusRequestEntityTooLarge, codeRequestTooLarge, "the request body exceeds 1 MiB")
	case err != nil:
		return body, invalidRequest("the request body could not be read")
	}
	return body, nil
}

// waitLatency delays the answer by the configured latency. It returns false
// when the request's context ends first.
func (s *Server) waitLatency(ctx context.Context) bool {
	s.mu.Lock()
	latency := s.faults.cfg.Latency
	s.mu.Unlock()
	if latency <= 0 {
		return ctx.Err() == nil
	}
	timer := time.NewTimer(latency)
	defer timer.Stop()
	select {
	case <-timer.C:
		return true
	case <-ctx.Done():
		return false
	}
}

func (s *Server) forcedStatus() *apiError {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.forced == nil {
		return nil
	}
	copied := *s.forced
	return &copied
}
