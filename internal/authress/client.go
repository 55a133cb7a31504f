// Package authress is a small client for the Authress connections API. It knows
// nothing of Terraform: it signs requests, retries transient failures and maps
// the API's JSON and errors to Go values.
package authress

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-cleanhttp"
	"github.com/hashicorp/go-retryablehttp"
)

// Defaults for Config's zero values.
const (
	DefaultMaxRetries    = 5
	DefaultRetryWaitMin  = 200 * time.Millisecond
	DefaultRetryWaitMax  = 10 * time.Second
	DefaultRetryAfterMax = 60 * time.Second
	// DefaultAttemptTimeout bounds one HTTP attempt, so an unreachable or hung
	// API fails in bounded time instead of stalling a pipeline.
	DefaultAttemptTimeout = 60 * time.Second

	// maxResponseBytes caps how much of a response is read.
	maxResponseBytes = 16 << 20
	// maxListPages bounds the pagination loop.
	maxListPages = 100_000
)

// Config configures a Client.
type Config struct {
	// APIURL is the account's API origin. Optional with a service client access
	// key: it then defaults to https://<accountId>.api.authress.io.
	APIURL string
	// AccessKey is a service client access key, which the client signs short-lived
	// JWTs with, or a ready JWT sent as the bearer token unchanged.
	AccessKey string
	// MaxRetries is how many times a transient failure is retried. Negative means 0;
	// nil means DefaultMaxRetries.
	MaxRetries *int
	// UserAgent is sent with every request.
	UserAgent string

	// Zero values take the defaults above.
	RetryWaitMin   time.Duration
	RetryWaitMax   time.Duration
	RetryAfterMax  time.Duration
	AttemptTimeout time.Duration

	// OnAttempt, when set, is called before every HTTP attempt. It receives no
	// headers or bodies, so it is safe to log.
	OnAttempt func(ctx context.Context, a Attempt)
}

// attemptsKey carries an *atomic.Int32 that counts one request's attempts.
type attemptsKey struct{}

// Attempt describes one HTTP attempt; Number 0 is the first try, higher numbers are retries.
type Attempt struct {
	Method string
	Path   string
	Number int
}

// ConfigError is a configuration problem; Field says which setting is wrong.
type ConfigError struct {
	Field ConfigField
	Err   error
}

// ConfigField names a Config setting.
type ConfigField int

const (
	FieldAccessKey ConfigField = iota + 1
	FieldAPIURL
)

func (e *ConfigError) Error() string { return e.Err.Error() }
func (e *ConfigError) Unwrap() error { return e.Err }

// ErrNoAccessKey and ErrNoAPIURL say that a required setting is missing.
var (
	ErrNoAccessKey = errors.New("no access key is configured")
	ErrNoAPIURL    = errors.New("no API URL is configured, and a ready token does not say which account it is for")
)

// Client calls the Authress API. It is safe for concurrent use.
type Client struct {
	baseURL   string
	userAgent string
	tokens    tokenSource
	http      *retryablehttp.Client
	retries   atomic.Int64
}

// New validates cfg and builds a Client. It makes no request.
func New(cfg Config) (*Client, error) {
	credential := strings.TrimSpace(cfg.AccessKey)
	if credential == "" {
		return nil, &ConfigError{Field: FieldAccessKey, Err: ErrNoAccessKey}
	}
	var key *AccessKey
	if !IsJWT(credential) {
		var err error
		if key, err = ParseAccessKey(credential); err != nil {
			return nil, &ConfigError{Field: FieldAccessKey, Err: err}
		}
	}

	apiURL := strings.TrimSpace(cfg.APIURL)
	if apiURL == "" {
		if key == nil {
			return nil, &ConfigError{Field: FieldAPIURL, Err: ErrNoAPIURL}
		}
		apiURL = DefaultBaseURL(key.AccountID)
	}
	baseURL, err := NormalizeBaseURL(apiURL)
	if err != nil {
		return nil, &ConfigError{Field: FieldAPIURL, Err: err}
	}

	c := &Client{baseURL: baseURL, userAgent: cfg.UserAgent}
	if key != nil {
		c.tokens = newSigningTokenSource(key, baseURL, nil)
	} else {
		c.tokens = staticToken(credential)
	}
	c.http = newRetryingHTTPClient(cfg, &c.retries)
	return c, nil
}

// BaseURL is the API origin requests go to.
func (c *Client) BaseURL() string { return c.baseURL }

// Retries is how many retries this client has made so far.
func (c *Client) Retries() int64 { return c.retries.Load() }

func newRetryingHTTPClient(cfg Config, retries *atomic.Int64) *retryablehttp.Client {
	transport := cleanhttp.DefaultPooledTransport()
	// Terraform runs up to -parallelism operations at once; keep that many
	// connections alive instead of the default of GOMAXPROCS+1.
	transport.MaxIdleConnsPerHost = 64
	transport.DialContext = (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext

	rc := retryablehttp.NewClient()
	rc.HTTPClient = &http.Client{Transport: transport, Timeout: durationOr(cfg.AttemptTimeout, DefaultAttemptTimeout)}
	rc.Logger = nil
	rc.RetryMax = DefaultMaxRetries
	if cfg.MaxRetries != nil {
		rc.RetryMax = max(*cfg.MaxRetries, 0)
	}
	rc.RetryWaitMin = durationOr(cfg.RetryWaitMin, DefaultRetryWaitMin)
	rc.RetryWaitMax = durationOr(cfg.RetryWaitMax, DefaultRetryWaitMax)
	rc.CheckRetry = retryPolicy
	rc.Backoff = jitteredBackoff(durationOr(cfg.RetryAfterMax, DefaultRetryAfterMax))
	rc.ErrorHandler = retryablehttp.PassthroughErrorHandler
	rc.RequestLogHook = func(_ retryablehttp.Logger, req *http.Request, attempt int) {
		if attempt > 0 {
			retries.Add(1)
		}
		if counter, ok := req.Context().Value(attemptsKey{}).(*atomic.Int32); ok {
			counter.Store(int32(min(attempt+1, math.MaxInt32))) //nolint:gosec // bounded just above
		}
		if cfg.OnAttempt != nil {
			cfg.OnAttempt(req.Context(), Attempt{Method: req.Method, Path: req.URL.EscapedPath(), Number: attempt})
		}
	}
	return rc
}

func durationOr(d, fallback time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return fallback
}

// retryPolicy retries what the API documents as transient: 429, 5xx (but 501),
// dropped connections and unreadable success bodies. Other 4xx are final, and a
// cancelled context stops at once.
func retryPolicy(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	var decodeErr *decodeError
	if errors.As(err, &decodeErr) {
		return true, nil
	}
	if err != nil {
		// The library's policy knows which transport errors are permanent
		// (bad scheme, TLS trust, redirects).
		return retryablehttp.DefaultRetryPolicy(ctx, resp, err)
	}
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		return true, nil
	case resp.StatusCode >= 500 && resp.StatusCode != http.StatusNotImplemented:
		return true, nil
	}
	return false, nil
}

// jitteredBackoff is exponential backoff with full jitter, so parallel
// operations that failed together do not retry together. A Retry-After header
// on 429 or 503 is honoured up to retryAfterMax.
func jitteredBackoff(retryAfterMax time.Duration) retryablehttp.Backoff {
	return func(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
		if resp != nil && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable) {
			if wait, ok := parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
				return min(wait, retryAfterMax)
			}
		}
		ceiling := maxWait
		if attempt < 30 {
			ceiling = min(minWait<<attempt, maxWait)
		}
		if ceiling <= minWait {
			return minWait
		}
		return minWait + rand.N(ceiling-minWait) //nolint:gosec // jitter needs no cryptographic randomness
	}
}

func parseRetryAfter(value string, now time.Time) (time.Duration, bool) {
	value = strings.TrimSpace(value)
	if value == "" {
		return 0, false
	}
	if seconds, err := strconv.ParseInt(value, 10, 64); err == nil {
		if seconds < 0 {
			return 0, false
		}
		if seconds > int64(time.Hour/time.Second) {
			seconds = int64(time.Hour / time.Second)
		}
		return time.Duration(seconds) * time.Second, true
	}
	if at, err := http.ParseTime(value); err == nil {
		return max(at.Sub(now), 0), true
	}
	return 0, false
}

// decodeError is a success answer whose body could not be read as the expected
// JSON; it is retried like a transient failure.
type decodeError struct {
	contentType string
	err         error
}

func (e *decodeError) Error() string {
	return fmt.Sprintf("the response body (content type %q) is not the expected JSON: %v", e.contentType, e.err)
}

func (e *decodeError) Unwrap() error { return e.err }

// do sends one API request, retrying as configured, and decodes a success body
// into out (when non-nil). Error answers become *APIError.
func (c *Client) do(ctx context.Context, method, path string, query url.Values, body, out any) error {
	var payload []byte
	if body != nil {
		var err error
		if payload, err = json.Marshal(body); err != nil {
			return fmt.Errorf("encoding the %s %s request: %w", method, path, err)
		}
	}
	target := c.baseURL + path
	if len(query) > 0 {
		target += "?" + query.Encode()
	}
	var reqBody any
	if payload != nil {
		reqBody = payload
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, method, target, reqBody)
	if err != nil {
		return fmt.Errorf("building the %s %s request: %w", method, path, err)
	}
	token, err := c.tokens.Token(ctx)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "application/links+json, application/json")
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.userAgent != "" {
		req.Header.Set("User-Agent", c.userAgent)
	}
	// Success bodies are decoded inside the retry loop so that a truncated or
	// garbled answer is retried rather than failing the run.
	req.SetResponseHandler(func(resp *http.Response) error {
		if resp.StatusCode < 200 || resp.StatusCode > 299 {
			return nil
		}
		defer resp.Body.Close()
		data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
		if err != nil {
			return &decodeError{contentType: resp.Header.Get("Content-Type"), err: err}
		}
		if out == nil {
			// No body is expected (a delete answers 204), but one that is not
			// JSON means the answer was garbled on the way: retry.
			if len(bytes.TrimSpace(data)) > 0 && !json.Valid(data) {
				return &decodeError{contentType: resp.Header.Get("Content-Type"), err: errors.New("invalid JSON")}
			}
			return nil
		}
		if err := json.Unmarshal(data, out); err != nil {
			return &decodeError{contentType: resp.Header.Get("Content-Type"), err: err}
		}
		return nil
	})

	resp, err := c.http.Do(req)
	if resp == nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return fmt.Errorf("%s %s: %w", method, path, ctxErr)
		}
		return fmt.Errorf("%s %s: the Authress API at %s could not be reached: %w", method, path, c.baseURL, unwrapURLError(err))
	}
	if resp.StatusCode >= 200 && resp.StatusCode <= 299 {
		if err != nil {
			return fmt.Errorf("%s %s: %w", method, path, err)
		}
		return nil
	}
	defer resp.Body.Close()
	return readAPIError(method, path, resp)
}

// unwrapURLError drops net/url's wrapper, whose text repeats the full URL.
func unwrapURLError(err error) error {
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		return urlErr.Err
	}
	return err
}

func readAPIError(method, path string, resp *http.Response) *APIError {
	apiErr := &APIError{Method: method, Path: path, StatusCode: resp.StatusCode}
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	var doc struct {
		Title     string `json:"title"`
		ErrorCode string `json:"errorCode"`
		ErrorID   string `json:"errorId"`
	}
	contentType := resp.Header.Get("Content-Type")
	if err := json.Unmarshal(bytes.TrimSpace(data), &doc); err == nil {
		apiErr.Title, apiErr.ErrorCode, apiErr.ErrorID = doc.Title, doc.ErrorCode, doc.ErrorID
	} else if len(bytes.TrimSpace(data)) > 0 {
		apiErr.BodyNote = fmt.Sprintf("the body was not an Authress error document but %d bytes of %q", len(data), contentType)
	}
	return apiErr
}
