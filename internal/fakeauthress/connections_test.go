package fakeauthress_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"terraform-provider-authress/internal/fakeauthress"
)

func TestCreateFillsServerDefaults(t *testing.T) {
	_, c := newTestServer(t, fakeauthress.Options{})
	created := mustCreate(t, c, `{"authenticationUrl":"https://idp.example.com/authorize"}`)
	id, _ := created["connectionId"].(string)
	if !strings.HasPrefix(id, "con_") || len(id) <= len("con_") {
		t.Errorf("assigned id %q", id)
	}
	if created["type"] != "OAUTH2" || created["isActiveConnection"] != true {
		t.Errorf("type/isActiveConnection: %v", created)
	}
	wantData := map[string]any{"supportedContentType": "application/json", "userIdExpression": "{sub}", "trustIdentityUserId": false}
	if !reflect.DeepEqual(created["data"], wantData) {
		t.Errorf("data = %v, want %v", created["data"], wantData)
	}
	wantProps := map[string]any{"scope": "profile email openid"}
	if !reflect.DeepEqual(created["defaultConnectionProperties"], wantProps) {
		t.Errorf("defaultConnectionProperties = %v", created["defaultConnectionProperties"])
	}
	for _, absent := range []string{"conditions", "userDataConfiguration", "linkingConfiguration", "tags", "clientSecret", "tokenUrl"} {
		if _, ok := created[absent]; ok {
			t.Errorf("%s present although not sent", absent)
		}
	}
	for _, field := range []string{"createdTime", "lastUpdated"} {
		v, _ := created[field].(string)
		ts, err := time.Parse(time.RFC3339, v)
		if err != nil || ts.Location() != time.UTC {
			t.Errorf("%s = %q is not RFC 3339 UTC: %v", field, v, err)
		}
	}

	// Partial objects are completed, explicit values and nulls handled.
	created = mustCreate(t, c, `{"authenticationUrl":"https://a","tokenUrl":null,
		"data":{"name":"n","userIdExpression":null,"trustIdentityUserId":true},
		"defaultConnectionProperties":{"prompt":"login"}}`)
	wantData = map[string]any{"name": "n", "supportedContentType": "application/json", "userIdExpression": "{sub}", "trustIdentityUserId": true}
	if !reflect.DeepEqual(created["data"], wantData) {
		t.Errorf("data = %v, want %v", created["data"], wantData)
	}
	if _, ok := created["tokenUrl"]; ok {
		t.Error("null tokenUrl returned")
	}
	wantProps = map[string]any{"prompt": "login", "scope": "profile email openid"}
	if !reflect.DeepEqual(created["defaultConnectionProperties"], wantProps) {
		t.Errorf("defaultConnectionProperties = %v", created["defaultConnectionProperties"])
	}
	created = mustCreate(t, c, `{"authenticationUrl":"https://a","data":{"supportedContentType":null}}`)
	if created["data"].(map[string]any)["supportedContentType"] != "application/json" {
		t.Errorf("null supportedContentType not defaulted: %v", created["data"])
	}
	r := c.send(http.MethodPost, "/v1/connections", `{"authenticationUrl":"https://a/authorize?x=1&y=<2>"}`)
	expectStatus(t, r, http.StatusCreated)
	if !strings.Contains(string(r.body), `"https://a/authorize?x=1&y=<2>"`) {
		t.Errorf("URL not returned verbatim: %s", r.body)
	}
	created = mustCreate(t, c, `{"authenticationUrl":"https://a","type":"SAML2","defaultConnectionProperties":{"scope":"openid"}}`)
	if created["type"] != "SAML2" || created["defaultConnectionProperties"].(map[string]any)["scope"] != "openid" {
		t.Errorf("explicit values replaced by defaults: %v", created)
	}
}

func TestCreateEchoesEveryField(t *testing.T) {
	_, c := newTestServer(t, fakeauthress.Options{EchoClientSecret: true})
	body := `{
		"connectionId": "google:prod.1_a-b",
		"type": "OPENID-LEGACY",
		"authenticationUrl": "https://idp/authorize",
		"tokenUrl": "https://idp/token",
		"issuerUrl": "https://idp",
		"providerCertificate": "-----BEGIN CERTIFICATE-----",
		"clientId": "cid",
		"clientSecretId": "sid",
		"clientSecret": "shh",
		"data": {"name": "Google", "tenantId": "t-1:a.b_c", "developerAccountId": "dev",
			"supportedContentType": "application/x-www-form-urlencoded", "oidcUserEndpointUrl": "https://idp/userinfo",
			"userIdExpression": "{email}", "trustIdentityUserId": true},
		"defaultConnectionProperties": {"scope": "openid", "prompt": "consent"},
		"userDataConfiguration": {"location": "DEU"},
		"conditions": {"requireBusinessAccount": true},
		"linkingConfiguration": {"type": "AUTOMATIC"},
		"tags": {"env": "prod"}
	}`
	created := mustCreate(t, c, body)
	sent := decodeJSONObject(t, body)
	for k, v := range sent {
		if !reflect.DeepEqual(created[k], v) {
			t.Errorf("%s = %v, want %v", k, created[k], v)
		}
	}
	// Lengths count characters, not bytes: 64 two-byte characters fit.
	mustCreate(t, c, `{"authenticationUrl":"https://a","data":{"name":"`+strings.Repeat("é", 64)+`"}}`)
}

func TestGetUpdateDeleteLifecycle(t *testing.T) {
	s, c := newTestServer(t, fakeauthress.Options{})
	created := mustCreate(t, c, `{"connectionId":"c1","authenticationUrl":"https://a","tokenUrl":"https://t",
		"tags":{"env":"dev"},"conditions":{"requireBusinessAccount":true}}`)

	r := c.send(http.MethodGet, "/v1/connections/c1", "")
	expectStatus(t, r, http.StatusOK)
	if got := r.object(t); !reflect.DeepEqual(got, created) {
		t.Errorf("GET = %v, want %v", got, created)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/links+json" {
		t.Errorf("Content-Type %q", ct)
	}

	time.Sleep(5 * time.Millisecond) // let lastUpdated move on
	r = c.send(http.MethodPut, "/v1/connections/c1", `{"authenticationUrl":"https://b","type":"SAML2"}`)
	expectStatus(t, r, http.StatusOK)
	updated := r.object(t)
	for _, cleared := range []string{"tokenUrl", "tags", "conditions"} {
		if _, ok := updated[cleared]; ok {
			t.Errorf("PUT kept %s although the body left it out", cleared)
		}
	}
	if updated["authenticationUrl"] != "https://b" || updated["type"] != "SAML2" || updated["connectionId"] != "c1" {
		t.Errorf("PUT result %v", updated)
	}
	if updated["createdTime"] != created["createdTime"] {
		t.Errorf("createdTime changed: %v → %v", created["createdTime"], updated["createdTime"])
	}
	if updated["lastUpdated"] == created["lastUpdated"] {
		t.Error("lastUpdated not bumped by PUT")
	}
	if updated["data"] == nil || updated["defaultConnectionProperties"] == nil {
		t.Errorf("defaults missing after PUT: %v", updated)
	}
	stored, _ := s.Connection("c1")
	if _, ok := stored["tokenUrl"]; ok {
		t.Error("stored connection kept tokenUrl after PUT")
	}

	r = c.send(http.MethodPut, "/v1/connections/c1", `{"connectionId":"other","authenticationUrl":"https://b"}`)
	expectError(t, r, http.StatusBadRequest, "InvalidInput", "connectionId")
	r = c.send(http.MethodPut, "/v1/connections/c1", `{"connectionId":"c1","authenticationUrl":"https://b"}`)
	expectStatus(t, r, http.StatusOK)
	r = c.send(http.MethodPut, "/v1/connections/c1", `{"tokenUrl":"https://t"}`)
	expectError(t, r, http.StatusBadRequest, "InvalidInput", "authenticationUrl")
	r = c.send(http.MethodPut, "/v1/connections/missing", `{"authenticationUrl":"https://b"}`)
	expectError(t, r, http.StatusNotFound, "ConnectionNotFound", "missing")

	r = c.send(http.MethodDelete, "/v1/connections/c1", "")
	expectStatus(t, r, http.StatusNoContent)
	if len(r.body) != 0 {
		t.Errorf("DELETE body %q", r.body)
	}
	r = c.send(http.MethodDelete, "/v1/connections/c1", "")
	expectError(t, r, http.StatusNotFound, "ConnectionNotFound", "c1")
	r = c.send(http.MethodGet, "/v1/connections/c1", "")
	expectError(t, r, http.StatusNotFound, "ConnectionNotFound", "c1")
}

func TestCreateDuplicateIDConflicts(t *testing.T) {
	s, c := newTestServer(t, fakeauthress.Options{})
	mustCreate(t, c, `{"connectionId":"dup","authenticationUrl":"https://a"}`)
	r := c.send(http.MethodPost, "/v1/connections", `{"connectionId":"dup","authenticationUrl":"https://b"}`)
	expectError(t, r, http.StatusConflict, "ConnectionAlreadyExists", "dup")
	if got, _ := s.Connection("dup"); got["authenticationUrl"] != "https://a" {
		t.Errorf("conflicting create changed the stored connection: %v", got)
	}
	if s.Stats().Writes != 1 {
		t.Errorf("Writes = %d, want 1 (the conflict changed nothing)", s.Stats().Writes)
	}
}

func TestValidationRejectsInvalidBodies(t *testing.T) {
	_, c := newTestServer(t, fakeauthress.Options{})
	long := func(n int) string { return strings.Repeat("a", n) }
	withField := func(field, jsonValue string) string {
		return fmt.Sprintf(`{"authenticationUrl":"https://a",%q:%s}`, field, jsonValue)
	}
	withData := func(field, jsonValue string) string {
		return fmt.Sprintf(`{"authenticationUrl":"https://a","data":{%q:%s}}`, field, jsonValue)
	}
	q := func(s string) string { return `"` + s + `"` }
	cases := []struct {
		name, body, code, field string
	}{
		{"not JSON", `{"authenticationUrl":`, "InvalidRequest", "JSON"},
		{"trailing data", `{"authenticationUrl":"https://a"} {}`, "InvalidRequest", "JSON"},
		{"duplicate key", `{"authenticationUrl":"https://a","authenticationUrl":"https://b"}`, "InvalidRequest", "authenticationUrl"},
		{"array body", `[]`, "InvalidRequest", "object"},
		{"empty body", ``, "InvalidRequest", "body"},
		{"unknown field", withField("foo", `1`), "InvalidInput", "foo"},
		{"unknown nested field", withData("foo", `1`), "InvalidInput", "data.foo"},
		{"unknown field in conditions", `{"authenticationUrl":"https://a","conditions":{"x":true}}`, "InvalidInput", "conditions.x"},
		{"read-only createdTime", withField("createdTime", q("2024-01-01T00:00:00Z")), "InvalidInput", "createdTime"},
		{"read-only lastUpdated", withField("lastUpdated", q("2024-01-01T00:00:00Z")), "InvalidInput", "lastUpdated"},
		{"read-only isActiveConnection", withField("isActiveConnection", `true`), "InvalidInput", "isActiveConnection"},
		{"missing authenticationUrl", `{"tokenUrl":"https://t"}`, "InvalidInput", "authenticationUrl"},
		{"null authenticationUrl", `{"authenticationUrl":null}`, "InvalidInput", "authenticationUrl"},
		{"empty authenticationUrl", `{"authenticationUrl":""}`, "InvalidInput", "authenticationUrl"},
		{"long authenticationUrl", `{"authenticationUrl":"` + long(257) + `"}`, "InvalidInput", "authenticationUrl"},
		{"authenticationUrl number", `{"authenticationUrl":5}`, "InvalidInput", "authenticationUrl"},
		{"connectionId too long", withField("connectionId", q(long(65))), "InvalidInput", "connectionId"},
		{"connectionId empty", withField("connectionId", q("")), "InvalidInput", "connectionId"},
		{"connectionId pattern", withField("connectionId", q("a b")), "InvalidInput", "connectionId"},
		{"connectionId slash", withField("connectionId", q("a/b")), "InvalidInput", "connectionId"},
		{"type enum", withField("type", q("OIDC")), "InvalidInput", "type"},
		{"type null", withField("type", `null`), "InvalidInput", "type"},
		{"type number", withField("type", `1`), "InvalidInput", "type"},
		{"tokenUrl", withField("tokenUrl", q(long(129))), "InvalidInput", "tokenUrl"},
		{"issuerUrl", withField("issuerUrl", q(long(129))), "InvalidInput", "issuerUrl"},
		{"providerCertificate", withField("providerCertificate", q(long(4097))), "InvalidInput", "providerCertificate"},
		{"clientId", withField("clientId", q(long(129))), "InvalidInput", "clientId"},
		{"clientSecretId", withField("clientSecretId", q(long(33))), "InvalidInput", "clientSecretId"},
		{"clientSecret", withField("clientSecret", q(long(2049))), "InvalidInput", "clientSecret"},
		{"data not object", withField("data", q("x")), "InvalidInput", "data"},
		{"data.name", withData("name", q(long(65))), "InvalidInput", "data.name"},
		{"data.tenantId length", withData("tenantId", q(long(129))), "InvalidInput", "data.tenantId"},
		{"data.tenantId pattern", withData("tenantId", q("a/b")), "InvalidInput", "data.tenantId"},
		{"data.developerAccountId", withData("developerAccountId", q(long(33))), "InvalidInput", "data.developerAccountId"},
		{"data.developerAccountId null", withData("developerAccountId", `null`), "InvalidInput", "data.developerAccountId"},
		{"data.supportedContentType", withData("supportedContentType", q("text/plain")), "InvalidInput", "data.supportedContentType"},
		{"data.oidcUserEndpointUrl", withData("oidcUserEndpointUrl", q(long(129))), "InvalidInput", "data.oidcUserEndpointUrl"},
		{"data.userIdExpression", withData("userIdExpression", q(long(129))), "InvalidInput", "data.userIdExpression"},
		{"data.trustIdentityUserId", withData("trustIdentityUserId", q("yes")), "InvalidInput", "data.trustIdentityUserId"},
		{"scope too long", withField("defaultConnectionProperties", `{"scope":"`+long(385)+`"}`), "InvalidInput", "defaultConnectionProperties.scope"},
		{"property not string", withField("defaultConnectionProperties", `{"max_age":5}`), "InvalidInput", "defaultConnectionProperties.max_age"},
		{"location enum", withField("userDataConfiguration", `{"location":"XYZ"}`), "InvalidInput", "userDataConfiguration.location"},
		{"linking enum", withField("linkingConfiguration", `{"type":"MANUAL"}`), "InvalidInput", "linkingConfiguration.type"},
		{"requireBusinessAccount type", withField("conditions", `{"requireBusinessAccount":"true"}`), "InvalidInput", "conditions.requireBusinessAccount"},
		{"tag too long", withField("tags", `{"env":"`+long(129)+`"}`), "InvalidInput", "tags.env"},
		{"tags not object", withField("tags", `["a"]`), "InvalidInput", "tags"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := c.send(http.MethodPost, "/v1/connections", tc.body)
			expectError(t, r, http.StatusBadRequest, tc.code, tc.field)
		})
	}
	// Limits are inclusive: values at the limit are accepted.
	mustCreate(t, c, `{"connectionId":"`+long(64)+`","authenticationUrl":"`+long(256)+`","tokenUrl":"`+long(128)+`",
		"clientSecretId":"`+long(32)+`","data":{"tenantId":"","developerAccountId":"`+long(32)+`"},
		"userDataConfiguration":{"location":null},"linkingConfiguration":{"type":null}}`)
	if n := c.s.ConnectionCount(); n != 1 {
		t.Errorf("ConnectionCount = %d, want 1 (only the valid body stored)", n)
	}
}

func TestClientSecretEcho(t *testing.T) {
	s, c := newTestServer(t, fakeauthress.Options{})
	body := `{"connectionId":"sec","authenticationUrl":"https://a","clientSecret":"shh"}`
	noSecret := func(what string, m map[string]any) {
		t.Helper()
		if _, ok := m["clientSecret"]; ok {
			t.Errorf("%s returned clientSecret", what)
		}
	}
	noSecret("POST", mustCreate(t, c, body))
	noSecret("GET", c.send(http.MethodGet, "/v1/connections/sec", "").object(t))
	noSecret("PUT", c.send(http.MethodPut, "/v1/connections/sec", `{"authenticationUrl":"https://a","clientSecret":"shh2"}`).object(t))
	list := c.send(http.MethodGet, "/v1/connections", "")
	if strings.Contains(string(list.body), "shh") {
		t.Errorf("list returned the secret: %s", list.body)
	}
	if stored, _ := s.Connection("sec"); stored["clientSecret"] != "shh2" {
		t.Errorf("stored secret %v, want shh2", stored["clientSecret"])
	}

	s.SetEchoClientSecret(true)
	if got := c.send(http.MethodGet, "/v1/connections/sec", "").object(t); got["clientSecret"] != "shh2" {
		t.Errorf("GET with echo: clientSecret %v", got["clientSecret"])
	}
	if list := c.send(http.MethodGet, "/v1/connections", ""); !strings.Contains(string(list.body), `"clientSecret":"shh2"`) {
		t.Errorf("list with echo lacks the secret: %s", list.body)
	}
}

func TestExtraFieldsOnlyWhenAllowed(t *testing.T) {
	s, c := newTestServer(t, fakeauthress.Options{})
	body := `{"connectionId":"x","authenticationUrl":"https://a","newFeature":{"enabled":true,"level":3}}`
	r := c.send(http.MethodPost, "/v1/connections", body)
	expectError(t, r, http.StatusBadRequest, "InvalidInput", "newFeature")

	s.AllowExtraField("newFeature")
	created := mustCreate(t, c, body)
	want := map[string]any{"enabled": true, "level": float64(3)}
	if !reflect.DeepEqual(created["newFeature"], want) {
		t.Errorf("newFeature = %v, want %v", created["newFeature"], want)
	}
	if got := c.send(http.MethodGet, "/v1/connections/x", "").object(t); !reflect.DeepEqual(got["newFeature"], want) {
		t.Errorf("GET newFeature = %v", got["newFeature"])
	}
	r = c.send(http.MethodPut, "/v1/connections/x", `{"authenticationUrl":"https://a"}`)
	expectStatus(t, r, http.StatusOK)
	if _, ok := r.object(t)["newFeature"]; ok {
		t.Error("PUT without the extra field kept it")
	}
	if stored, _ := s.Connection("x"); stored["newFeature"] != nil {
		t.Error("stored connection kept the extra field")
	}
	// Declaring a read-only field does not make it writable.
	s.AllowExtraField("createdTime")
	r = c.send(http.MethodPost, "/v1/connections", `{"authenticationUrl":"https://a","createdTime":"x"}`)
	expectError(t, r, http.StatusBadRequest, "InvalidInput", "createdTime")
}

func TestRoutingErrors(t *testing.T) {
	_, c := newTestServer(t, fakeauthress.Options{})
	expectError(t, c.send(http.MethodGet, "/v1/other", ""), http.StatusNotFound, "NotFound", "")
	expectError(t, c.send(http.MethodGet, "/", ""), http.StatusNotFound, "NotFound", "")
	expectError(t, c.send(http.MethodGet, "/v1/connections/a/b", ""), http.StatusNotFound, "NotFound", "")
	expectError(t, c.send(http.MethodGet, "/v1/connections/a/", ""), http.StatusNotFound, "NotFound", "")
	r := c.send(http.MethodPatch, "/v1/connections/a", `{}`)
	expectError(t, r, http.StatusMethodNotAllowed, "MethodNotAllowed", "")
	if allow := r.header.Get("Allow"); allow != "GET, PUT, DELETE" {
		t.Errorf("Allow %q", allow)
	}
	expectError(t, c.send(http.MethodDelete, "/v1/connections", ""), http.StatusMethodNotAllowed, "MethodNotAllowed", "")
	expectError(t, c.send(http.MethodPost, "/v1/connections/a/users/u/credentials", ""), http.StatusMethodNotAllowed, "MethodNotAllowed", "")
	// An escaped '/' stays inside the id, which then fails the id pattern.
	expectError(t, c.send(http.MethodGet, "/v1/connections/a%2Fb", ""), http.StatusBadRequest, "InvalidInput", "connectionId")

	huge := `{"authenticationUrl":"` + strings.Repeat("a", 1<<20) + `"}`
	expectError(t, c.send(http.MethodPost, "/v1/connections", huge), http.StatusRequestEntityTooLarge, "RequestTooLarge", "")

	// net/http clients and servers refuse malformed escapes, so drive the
	// handler directly.
	req := httptest.NewRequestWithContext(t.Context(), http.MethodGet, "/v1/connections/x", nil)
	req.RequestURI = "/v1/connections/a%zz"
	req.Header.Set("Authorization", "Bearer "+c.token)
	rec := httptest.NewRecorder()
	c.s.Handler().ServeHTTP(rec, req)
	expectError(t, readResponse(t, rec.Result()), http.StatusBadRequest, "InvalidRequest", "")
}
