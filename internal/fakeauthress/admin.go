package fakeauthress

import (
	"errors"
	"net/http"
	"slices"
	"sort"
)

// Admin endpoints: unauthenticated HTTP access to the test hooks, for the
// standalone command and for tests that drive the server over HTTP only.
const (
	adminPrefix          = "/_fake/"
	adminStatsPath       = "/_fake/stats"
	adminStatsResetPath  = "/_fake/stats/reset"
	adminConnectionsPath = "/_fake/connections"
	adminSeedPath        = "/_fake/credentials" // seeds user credentials
)

// credentialsSeedFields are the keys of a POST /_fake/credentials body.
var credentialsSeedFields = []string{"accessToken", "connectionId", "userId"}

func (s *Server) serveAdmin(w http.ResponseWriter, r *http.Request, path string) {
	var allowed string
	switch path {
	case adminStatsPath:
		allowed = http.MethodGet
	case adminStatsResetPath, adminConnectionsPath, adminSeedPath:
		allowed = http.MethodPost
	default:
		writeRouteError(w, notFoundRoute())
		return
	}
	if r.Method != allowed {
		writeRouteError(w, methodNotAllowed(allowed))
		return
	}
	body, apiErr := readRequestBody(w, r)
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	switch path {
	case adminStatsPath:
		writeValue(w, http.StatusOK, contentTypeJSON, s.Stats())
	case adminStatsResetPath:
		s.ResetStats()
		w.WriteHeader(http.StatusNoContent)
	case adminConnectionsPath:
		s.adminPutConnection(w, body)
	case adminSeedPath:
		s.adminSeedCredentials(w, body)
	}
}

// adminPutConnection creates or replaces a connection from a Connection
// body and answers the complete stored object, secret included.
func (s *Server) adminPutConnection(w http.ResponseWriter, body []byte) {
	id, err := s.PutConnectionJSON(body)
	if err != nil {
		var apiErr *apiError
		if !errors.As(err, &apiErr) {
			apiErr = internalError("the connection could not be stored")
		}
		writeError(w, apiErr)
		return
	}
	stored, ok := s.Connection(id)
	if !ok {
		writeError(w, connectionNotFound(id)) // deleted concurrently
		return
	}
	writeValue(w, http.StatusOK, contentTypeJSON, stored)
}

// adminSeedCredentials handles {"connectionId","userId","accessToken"}.
func (s *Server) adminSeedCredentials(w http.ResponseWriter, body []byte) {
	decoded, err := decodeStrictJSON(body)
	if err != nil {
		writeError(w, invalidRequest("the request body is not valid JSON: "+err.Error()))
		return
	}
	obj, ok := decoded.(map[string]any)
	if !ok {
		writeError(w, invalidRequest("the request body must be a JSON object"))
		return
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !slices.Contains(credentialsSeedFields, k) {
			writeError(w, invalidInput("unknown field \""+k+"\": expected connectionId, userId and accessToken"))
			return
		}
	}
	values := map[string]string{}
	for _, k := range credentialsSeedFields {
		v, _ := obj[k].(string)
		if v == "" {
			writeError(w, invalidInput("\""+k+"\" is required and must be a non-empty string"))
			return
		}
		values[k] = v
	}
	if err := s.seedCredentials(values["connectionId"], values["userId"], values["accessToken"]); err != nil {
		writeError(w, invalidRequest("too many seeded credentials"))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
