package fakeauthress

import (
	"net/http"
	"net/url"
	"strings"
)

// Route keys identify the API operations in Stats.Requests and
// LastRequestBody. Both spellings of the list path share one key.
const (
	RouteCreateConnection   = "POST /v1/connections"
	RouteListConnections    = "GET /v1/connections"
	RouteGetConnection      = "GET /v1/connections/{id}"
	RouteUpdateConnection   = "PUT /v1/connections/{id}"
	RouteDeleteConnection   = "DELETE /v1/connections/{id}"
	RouteGetUserCredentials = "GET /v1/connections/{id}/users/{userId}/credentials"
)

const connectionsPath = "/v1/connections"

// routeMatch is a request resolved to an operation and its unescaped path
// parameters.
type routeMatch struct {
	key          string
	connectionID string
	userID       string
}

// routeError is a request that matches no operation; allow lists the
// permitted methods for a 405.
type routeError struct {
	err   *apiError
	allow string
}

// rawRequestPath returns the path exactly as the client escaped it. It
// prefers the request target over URL.EscapedPath, which re-escapes the
// decoded path (turning %2F into '/') whenever the client left some other
// character unescaped.
func rawRequestPath(r *http.Request) string {
	if target := r.RequestURI; strings.HasPrefix(target, "/") {
		path, _, _ := strings.Cut(target, "?")
		return path
	}
	return r.URL.EscapedPath()
}

// matchRoute resolves method and escaped path to an API operation. Routing
// happens on the escaped form so that an escaped '/' stays inside its
// segment; each segment is unescaped afterwards.
func matchRoute(method, rawPath string) (routeMatch, *routeError) {
	rest, ok := strings.CutPrefix(rawPath, connectionsPath)
	if !ok {
		return routeMatch{}, notFoundRoute()
	}
	switch rest {
	case "":
		return collectionRoute(method, "GET, POST")
	case "/":
		return collectionRoute(method, "GET")
	}
	if rest[0] != '/' {
		return routeMatch{}, notFoundRoute()
	}
	segments := strings.Split(rest[1:], "/")
	for _, seg := range segments {
		if seg == "" {
			return routeMatch{}, notFoundRoute()
		}
	}
	switch {
	case len(segments) == 1:
		id, err := unescapeSegment(segments[0])
		if err != nil {
			return routeMatch{}, err
		}
		m := routeMatch{connectionID: id}
		switch method {
		case http.MethodGet:
			m.key = RouteGetConnection
		case http.MethodPut:
			m.key = RouteUpdateConnection
		case http.MethodDelete:
			m.key = RouteDeleteConnection
		default:
			return routeMatch{}, methodNotAllowed("GET, PUT, DELETE")
		}
		return m, nil
	case len(segments) == 4 && segments[1] == "users" && segments[3] == "credentials":
		id, err := unescapeSegment(segments[0])
		if err != nil {
			return routeMatch{}, err
		}
		userID, err := unescapeSegment(segments[2])
		if err != nil {
			return routeMatch{}, err
		}
		if method != http.MethodGet {
			return routeMatch{}, methodNotAllowed("GET")
		}
		return routeMatch{key: RouteGetUserCredentials, connectionID: id, userID: userID}, nil
	}
	return routeMatch{}, notFoundRoute()
}

func collectionRoute(method, allow string) (routeMatch, *routeError) {
	switch {
	case method == http.MethodGet:
		return routeMatch{key: RouteListConnections}, nil
	case method == http.MethodPost && strings.Contains(allow, "POST"):
		return routeMatch{key: RouteCreateConnection}, nil
	}
	return routeMatch{}, methodNotAllowed(allow)
}

func unescapeSegment(seg string) (string, *routeError) {
	v, err := url.PathUnescape(seg)
	if err != nil {
		return "", &routeError{err: invalidRequest("a path segment is not validly URL-escaped")}
	}
	return v, nil
}

func notFoundRoute() *routeError {
	return &routeError{err: newAPIError(http.StatusNotFound, codeNotFound, "no such resource")}
}

func methodNotAllowed(allow string) *routeError {
	return &routeError{
		err:   newAPIError(http.StatusMethodNotAllowed, codeMethodNotAllowed, "method not allowed; use "+allow),
		allow: allow,
	}
}

func writeRouteError(w http.ResponseWriter, re *routeError) {
	if re.allow != "" {
		w.Header().Set("Allow", re.allow)
	}
	writeError(w, re.err)
}
