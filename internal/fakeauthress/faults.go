package fakeauthress

import (
	"fmt"
	"hash/fnv"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// FaultKind names a way a request can fail.
type FaultKind string

const (
	// Fault503 answers 503 Service Unavailable without applying the request.
	Fault503 FaultKind = "503"
	// Fault429 answers 429 Too Many Requests with a Retry-After header,
	// without applying the request.
	Fault429 FaultKind = "429"
	// FaultDropBefore closes the TCP connection without answering, before
	// the request is applied.
	FaultDropBefore FaultKind = "drop-before"
	// FaultDropAfter applies the request (a POST is committed) and then
	// closes the connection without answering: a lost response.
	FaultDropAfter FaultKind = "drop-after"
	// FaultMalformedJSON answers 200 with a truncated JSON body, without
	// applying the request.
	FaultMalformedJSON FaultKind = "malformed-json"
	// FaultHTML500 answers 500 with an HTML page (Content-Type text/html),
	// as a proxy in front of the API would, without applying the request.
	FaultHTML500 FaultKind = "html-500"
)

// AllFaultKinds lists every fault kind the server can inject.
func AllFaultKinds() []FaultKind {
	return []FaultKind{Fault503, Fault429, FaultDropBefore, FaultDropAfter, FaultMalformedJSON, FaultHTML500}
}

// Valid reports whether k is a known fault kind.
func (k FaultKind) Valid() bool { return slices.Contains(AllFaultKinds(), k) }

// ParseFaultKinds parses a comma-separated list such as "503,drop-after".
// Blank entries are ignored; an unknown name is an error.
func ParseFaultKinds(list string) ([]FaultKind, error) {
	var kinds []FaultKind
	for _, name := range strings.Split(list, ",") {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		k := FaultKind(name)
		if !k.Valid() {
			return nil, fmt.Errorf("unknown fault kind %q (known: %v)", name, AllFaultKinds())
		}
		kinds = append(kinds, k)
	}
	return kinds, nil
}

// FaultConfig controls fault injection and latency for /v1 requests.
type FaultConfig struct {
	// Rate is the fraction of /v1 requests to fault, 0..1.
	Rate float64
	// Kinds are the faults drawn from; empty means all kinds. Unknown kinds
	// are ignored.
	Kinds []FaultKind
	// Seed selects the deterministic fault sequence.
	Seed int64
	// RetryAfter is sent with 429 answers, in whole seconds rounded up;
	// zero or negative means one second.
	RetryAfter time.Duration
	// Latency delays the answer to every /v1 request, faulted or not.
	Latency time.Duration
}

// Bounds applied to FaultConfig values.
const (
	maxLatency       = time.Minute
	maxRetryAfter    = time.Hour
	maxFaultCounters = 1 << 16
)

// faultState is the active configuration plus how often each method+path
// has been requested, which makes fault decisions independent of goroutine
// scheduling. Guarded by Server.mu.
type faultState struct {
	cfg  FaultConfig
	seen map[string]uint64
}

func newFaultState() faultState { return faultState{seen: map[string]uint64{}} }

// SetFaults replaces the fault configuration and restarts the fault
// sequence: the same configuration followed by the same requests yields the
// same faults.
func (s *Server) SetFaults(cfg FaultConfig) {
	clean := FaultConfig{Seed: cfg.Seed}
	if cfg.Rate > 0 && !math.IsNaN(cfg.Rate) {
		clean.Rate = min(cfg.Rate, 1)
	}
	for _, k := range cfg.Kinds {
		if k.Valid() && !slices.Contains(clean.Kinds, k) {
			clean.Kinds = append(clean.Kinds, k)
		}
	}
	if len(cfg.Kinds) == 0 {
		clean.Kinds = AllFaultKinds()
	}
	clean.RetryAfter = min(cfg.RetryAfter, maxRetryAfter)
	if clean.RetryAfter <= 0 {
		clean.RetryAfter = time.Second
	}
	clean.Latency = min(max(cfg.Latency, 0), maxLatency)

	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = faultState{cfg: clean, seen: map[string]uint64{}}
}

// decideFault reports whether the request to method+path is faulted and
// how. The decision is a hash of the seed, method, escaped path and the
// number of earlier requests to the same method+path.
func (s *Server) decideFault(method, path string) (FaultKind, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := method + " " + path
	n, known := s.faults.seen[key]
	if !known && len(s.faults.seen) >= maxFaultCounters {
		s.faults.seen = map[string]uint64{} // keep memory bounded
	}
	s.faults.seen[key] = n + 1
	cfg := s.faults.cfg
	if cfg.Rate <= 0 || len(cfg.Kinds) == 0 {
		return "", false
	}
	h := faultHash(cfg.Seed, method, path, n)
	if unitInterval(h) >= cfg.Rate {
		return "", false
	}
	kind := cfg.Kinds[splitmix64(h)%uint64(len(cfg.Kinds))]
	s.stats.faultsInjected[string(kind)]++
	return kind, true
}

func faultHash(seed int64, method, path string, n uint64) uint64 {
	key := strconv.AppendInt(nil, seed, 10)
	key = append(key, 0)
	key = append(key, method...)
	key = append(key, 0)
	key = append(key, path...)
	key = append(key, 0)
	key = strconv.AppendUint(key, n, 10)
	h := fnv.New64a()
	_, _ = h.Write(key) // hash.Hash writes never fail
	return splitmix64(h.Sum64())
}

// splitmix64 is a bijective mixer spreading FNV's weak low bits.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// unitInterval maps h to [0, 1).
func unitInterval(h uint64) float64 { return float64(h>>11) / (1 << 53) }

const (
	truncatedJSONBody = `{"connectionId":"con_`
	htmlErrorPage     = "<!DOCTYPE html>\n<html><head><title>500 Internal Server Error</title></head>\n" +
		"<body><h1>500 Internal Server Error</h1><p>The server encountered an internal error.</p></body></html>\n"
)

// injectFault answers the request with fault kind. apply performs the
// request's operation, used by faults that commit it.
func (s *Server) injectFault(w http.ResponseWriter, kind FaultKind, apply func(http.ResponseWriter)) {
	switch kind {
	case Fault503:
		writeError(w, newAPIError(http.StatusServiceUnavailable, codeServiceUnavailable, "the service is temporarily unavailable, retry later"))
	case Fault429:
		s.mu.Lock()
		retryAfter := s.faults.cfg.RetryAfter
		s.mu.Unlock()
		seconds := int64((retryAfter + time.Second - 1) / time.Second)
		w.Header().Set("Retry-After", strconv.FormatInt(seconds, 10))
		writeError(w, newAPIError(http.StatusTooManyRequests, codeTooManyRequests, "too many requests, retry later"))
	case FaultDropBefore:
		dropConnection(w)
	case FaultDropAfter:
		apply(&discardResponseWriter{header: http.Header{}})
		dropConnection(w)
	case FaultMalformedJSON:
		writeBody(w, http.StatusOK, contentTypeLinksJSON, []byte(truncatedJSONBody))
	case FaultHTML500:
		writeBody(w, http.StatusInternalServerError, "text/html; charset=utf-8", []byte(htmlErrorPage))
	}
}

// dropConnection closes the client's TCP connection without an answer. When
// the connection cannot be taken over (HTTP/2), a 503 is sent instead so the
// client still sees a transient failure.
func dropConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		writeError(w, newAPIError(http.StatusServiceUnavailable, codeServiceUnavailable, "the service is temporarily unavailable, retry later"))
		return
	}
	_ = conn.Close()
}

// discardResponseWriter swallows the answer of a request whose response is
// lost on purpose.
type discardResponseWriter struct{ header http.Header }

func (d *discardResponseWriter) Header() http.Header         { return d.header }
func (d *discardResponseWriter) Write(p []byte) (int, error) { return len(p), nil }
func (d *discardResponseWriter) WriteHeader(int)             {}
