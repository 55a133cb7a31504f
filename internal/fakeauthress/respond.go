package fakeauthress

import (
	"bytes"
	"encoding/json"
	"net/http"
)

// Content types the API answers with. Success bodies use the links media type
// the SDKs ask for; errors are plain JSON.
const (
	contentTypeLinksJSON = "application/links+json"
	contentTypeJSON      = "application/json"
)

// Stable error codes found in the errorCode field of error bodies.
const (
	codeUnauthorized            = "Unauthorized"
	codeNotFound                = "NotFound"
	codeMethodNotAllowed        = "MethodNotAllowed"
	codeInvalidInput            = "InvalidInput"
	codeInvalidRequest          = "InvalidRequest"
	codeRequestTooLarge         = "RequestTooLarge"
	codeConnectionNotFound      = "ConnectionNotFound"
	codeUserNotFound            = "UserNotFound"
	codeConnectionAlreadyExists = "ConnectionAlreadyExists"
	codeConnectionLimitExceeded = "ConnectionLimitExceeded"
	codeServiceUnavailable      = "ServiceUnavailable"
	codeTooManyRequests         = "TooManyRequests"
)

// apiError is an error answer: an HTTP status plus the contract's error body.
type apiError struct {
	Status    int
	ErrorCode string
	Title     string
}

func (e *apiError) Error() string { return e.ErrorCode + ": " + e.Title }

func newAPIError(status int, code, title string) *apiError {
	return &apiError{Status: status, ErrorCode: code, Title: title}
}

func invalidInput(title string) *apiError {
	return newAPIError(http.StatusBadRequest, codeInvalidInput, title)
}

func invalidRequest(title string) *apiError {
	return newAPIError(http.StatusBadRequest, codeInvalidRequest, title)
}

// errorBody is the contract's error shape.
type errorBody struct {
	Title     string `json:"title"`
	ErrorCode string `json:"errorCode"`
	ErrorID   string `json:"errorId"`
}

// writeError sends e with a fresh errorId.
func writeError(w http.ResponseWriter, e *apiError) {
	body, err := marshalJSON(errorBody{Title: e.Title, ErrorCode: e.ErrorCode, ErrorID: newErrorID()})
	if err != nil {
		body = []byte(`{"title":"internal error","errorCode":"InternalError","errorId":"err_marshal"}`)
	}
	w.Header().Set("Content-Type", contentTypeJSON)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(validStatus(e.Status))
	_, _ = w.Write(body)
}

// writeBody sends an already encoded body with the given status and type.
func writeBody(w http.ResponseWriter, status int, contentType string, body []byte) {
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(validStatus(status))
	_, _ = w.Write(body)
}

// writeValue encodes v as JSON and sends it; an encoding failure becomes a 500.
func writeValue(w http.ResponseWriter, status int, contentType string, v any) {
	body, err := marshalJSON(v)
	if err != nil {
		writeError(w, newAPIError(http.StatusInternalServerError, "InternalError", "the response could not be encoded"))
		return
	}
	writeBody(w, status, contentType, body)
}

// validStatus keeps WriteHeader away from codes it refuses.
func validStatus(status int) int {
	if status < 200 || status > 599 {
		return http.StatusInternalServerError
	}
	return status
}

// marshalJSON encodes v without escaping <, > and &, so URLs with query
// strings come back byte-for-byte as they were sent.
func marshalJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}
