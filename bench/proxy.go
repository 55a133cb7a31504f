package main

import (
	"context"
	"crypto/sha256"
	"errors"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strconv"
	"sync"
	"time"
)

// auditProxy sits between the provider and the fake for the audit part. It
// counts what the fake cannot see: how many distinct bearer tokens the
// provider sent (each signed JWT is a distinct token, except that two
// signings with the same key and claims in the same second are identical),
// and how many requests were in flight at once.
type auditProxy struct {
	server   *http.Server
	listener net.Listener
	port     int

	mu       sync.Mutex
	counts   proxyCounts
	inFlight int
}

// proxyCounts is what the proxy saw since its last reset.
type proxyCounts struct {
	Requests    int
	Conns       int
	Tokens      map[[sha256.Size]byte]int
	MaxInFlight int
	Busy        time.Duration // sum of request durations
	First, Last time.Time
}

func startAuditProxy(ctx context.Context, target string) (*auditProxy, error) {
	u, err := url.Parse(target)
	if err != nil {
		return nil, err
	}
	p := &auditProxy{counts: proxyCounts{Tokens: map[[sha256.Size]byte]int{}}}
	upstream := &http.Transport{MaxIdleConnsPerHost: 256, IdleConnTimeout: time.Minute}
	rp := &httputil.ReverseProxy{
		Rewrite:   func(r *httputil.ProxyRequest) { r.SetURL(u) },
		Transport: upstream,
	}
	var lc net.ListenConfig
	p.listener, err = lc.Listen(ctx, "tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p.port, _ = strconv.Atoi(portOf(p.listener.Addr().String()))
	p.server = &http.Server{
		ReadHeaderTimeout: 10 * time.Second,
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			token := sha256.Sum256([]byte(r.Header.Get("Authorization"))) // only the digest is kept
			p.mu.Lock()
			p.counts.Requests++
			p.counts.Tokens[token]++
			p.inFlight++
			p.counts.MaxInFlight = max(p.counts.MaxInFlight, p.inFlight)
			if p.counts.First.IsZero() {
				p.counts.First = start
			}
			p.mu.Unlock()

			rp.ServeHTTP(w, r)

			end := time.Now()
			p.mu.Lock()
			p.inFlight--
			p.counts.Busy += end.Sub(start)
			p.counts.Last = end
			p.mu.Unlock()
		}),
		ConnState: func(_ net.Conn, state http.ConnState) {
			if state == http.StateNew {
				p.mu.Lock()
				p.counts.Conns++
				p.mu.Unlock()
			}
		},
	}
	go func() { _ = p.server.Serve(p.listener) }()
	return p, nil
}

func (p *auditProxy) url() string { return "http://" + p.listener.Addr().String() }

// take returns the counts since the last call and starts afresh.
func (p *auditProxy) take() proxyCounts {
	p.mu.Lock()
	defer p.mu.Unlock()
	c := p.counts
	p.counts = proxyCounts{Tokens: map[[sha256.Size]byte]int{}}
	return c
}

func (p *auditProxy) close() {
	if p == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := p.server.Shutdown(ctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		_ = p.server.Close()
	}
}

func portOf(hostport string) string {
	_, port, _ := net.SplitHostPort(hostport)
	return port
}
