package authress

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// APIError is an error answer from the Authress API. Title, ErrorCode and ErrorID
// come from the body when it has them; any may be empty.
type APIError struct {
	Method     string
	Path       string
	StatusCode int
	Title      string
	ErrorCode  string
	ErrorID    string
	// BodyNote describes a body that was not an Authress error document, such as an
	// HTML page from a proxy.
	BodyNote string
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: HTTP %d %s", e.Method, e.Path, e.StatusCode, http.StatusText(e.StatusCode))
	if e.Title != "" {
		fmt.Fprintf(&b, ": %s", e.Title)
	}
	var details []string
	if e.ErrorCode != "" {
		details = append(details, "errorCode "+e.ErrorCode)
	}
	if e.ErrorID != "" {
		details = append(details, "errorId "+e.ErrorID)
	}
	if e.BodyNote != "" {
		details = append(details, e.BodyNote)
	}
	if len(details) > 0 {
		fmt.Fprintf(&b, " (%s)", strings.Join(details, ", "))
	}
	if hint := statusHint(e.StatusCode); hint != "" {
		b.WriteString(". ")
		b.WriteString(hint)
	}
	return b.String()
}

func statusHint(status int) string {
	switch status {
	case http.StatusUnauthorized:
		return "The access key or token was rejected: check that it belongs to this account and API URL, and has not expired or been revoked"
	case http.StatusForbidden:
		return "The service client is not allowed to do this: grant it access to connections in Authress"
	case http.StatusPaymentRequired:
		return "The account's plan has exceeded its API call limit; this is not retried"
	case http.StatusTooManyRequests:
		return "The API kept rate-limiting the requests; raise max_retries or lower -parallelism"
	}
	return ""
}

// IsNotFound reports whether err is the API's 404 answer.
func IsNotFound(err error) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound
}

// IsConflict reports whether err is the API's 409 answer.
func IsConflict(err error) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusConflict
}
