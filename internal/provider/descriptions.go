package provider

import (
	"fmt"
	"regexp"
	"strings"

	"terraform-provider-authress/internal/authress"
)

// Attribute descriptions shared by the resource and the data sources, so the
// generated docs say the same thing everywhere.
var (
	connectionTypes       = []string{"OAUTH2", "SAML2", "WebAuthN", "PASSWORD", "OPENID-LEGACY"}
	supportedContentTypes = []string{"application/json", "application/x-www-form-urlencoded"}
	dataLocations         = []string{"ZAF", "HKG", "IND", "JPN", "KOR", "SGP", "AUS", "IDN", "CAN", "DEU", "CHE", "SWE", "ITA", "IRL", "GBR", "FRA", "ISR", "BHR", "ARE", "BRA", "USA"}
	linkingTypes          = []string{"EXPLICIT", "AUTOMATIC"}
)

const (
	connectionIDPattern = `^[a-zA-Z0-9-_.:]+$`
	tenantIDPattern     = `^[a-zA-Z0-9-_.:]*$`
	userIDPattern       = `^[a-zA-Z0-9-._|/~:@]+$`
)

var (
	connectionIDRegexp = regexp.MustCompile(connectionIDPattern)
	tenantIDRegexp     = regexp.MustCompile(tenantIDPattern)
	userIDRegexp       = regexp.MustCompile(userIDPattern)
)

func oneOfText(values []string) string {
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = "`" + v + "`"
	}
	return strings.Join(quoted, ", ")
}

var descriptions = map[string]string{ //nolint:gosec // G101 matches "secret" in the descriptions' keys.
	"connection_id": "The connection's id, 1–64 characters of letters, digits and `-_.:`. Changing it replaces " +
		"the connection. When left out, the provider chooses a random id (`con_` and 26 characters) before it " +
		"creates the connection, so that a create retried after a lost answer cannot make a duplicate.",
	"type": "The kind of identity provider: one of " + oneOfText(connectionTypes) +
		". Defaults to `" + authress.DefaultConnectionType + "`. An `OAUTH2` connection uses `authentication_url`, " +
		"`token_url`, `client_id` and a client secret; a `SAML2` connection uses `authentication_url` (the SSO " +
		"URL), `issuer_url` (the entity id) and `provider_certificate`. The API does not enforce these pairings, " +
		"so neither does the provider.",
	"authentication_url": "The identity provider's OAuth authorization URL or SAML single sign-on URL " +
		"(`https://` or `http://`, at most 256 characters).",
	"token_url":            "The OAuth token URL (`https://` or `http://`, at most 128 characters).",
	"issuer_url":           "The OAuth issuer (`iss`) or SAML entity id, at most 128 characters.",
	"provider_certificate": "The identity provider's SAML signing certificate, PEM encoded, at most 4096 characters.",
	"client_id":            "The OAuth client id Authress uses at the identity provider, at most 128 characters.",
	"client_secret_id":     "The id of the client secret, which some identity providers require, at most 32 characters.",
	"client_secret": "The OAuth client secret, at most 2048 characters. Sensitive: hidden in plan output, but " +
		"stored in state; on Terraform 1.11 and later prefer `client_secret_wo`, which is never stored. Conflicts " +
		"with `client_secret_wo`. The API's update replaces the whole connection, so the provider sends the secret " +
		"with every update, and leaving both out clears the secret at Authress. When the API does not return " +
		"secrets, the configured value is kept in state and a secret changed outside Terraform is not detected.",
	"client_secret_wo": "The OAuth client secret as a write-only argument (Terraform 1.11 and later), at most 2048 " +
		"characters: sent with every create and update, never stored in plan or state. Conflicts with " +
		"`client_secret`. Terraform cannot see a change of a write-only value: change `client_secret_wo_version` " +
		"to send a new secret.",
	"client_secret_wo_version": "Any number; changing it makes Terraform update the connection and so send the " +
		"current `client_secret_wo`. Requires `client_secret_wo`. Import cannot know it, so it is empty after an " +
		"import: set it in the configuration, and the first apply sends the write-only secret.",
	"data":      "Provider-specific settings. Left out, it takes the API's defaults.",
	"data.name": "The display name users see on the login page, at most 64 characters.",
	"data.tenant_id": "The identity provider's tenant id (for example Azure AD's), at most 128 characters of " +
		"letters, digits and `-_.:`.",
	"data.developer_account_id": "The developer account id some providers (such as Apple) require, at most 32 characters.",
	"data.supported_content_type": "How the token request is encoded: one of " + oneOfText(supportedContentTypes) +
		". Defaults to `" + authress.DefaultSupportedContentType + "`.",
	"data.oidc_user_endpoint_url": "A user-info endpoint for identity providers that are not OpenID compliant " +
		"(`https://` or `http://`, at most 128 characters).",
	"data.user_id_expression": "How the user id is built from the identity provider's claims, at most 128 characters. " +
		"Defaults to `" + authress.DefaultUserIDExpression + "`.",
	"data.trust_identity_user_id": "Whether the identity provider's user id is trusted as is. Defaults to `false`.",
	"default_connection_properties": "Extra parameters sent to the identity provider's authorization endpoint: " +
		"non-empty names, values at most 384 characters. Authress adds `scope = \"" + authress.DefaultScope + "\"` when `scope` is not set; " +
		"that default is kept out of state unless you set `scope` yourself.",
	"user_data_configuration":          "Where Authress stores user data for this connection. Left out, data is stored globally.",
	"user_data_configuration.location": "The data residency region: one of " + oneOfText(dataLocations) + ".",
	"conditions":                       "Conditions a user must meet to log in with this connection.",
	"conditions.require_business_account": "Whether only business (not personal) accounts of the identity provider " +
		"may log in. Defaults to `false`.",
	"linking_configuration":      "Identity linking. Left out, linking is disabled.",
	"linking_configuration.type": "How identities are linked: one of " + oneOfText(linkingTypes) + ".",
	"tags":                       "Tags on the connection: non-empty names, values at most 128 characters.",
	"created_time":               "When the connection was created (RFC 3339).",
	"last_updated":               "When the connection was last changed (RFC 3339).",
	"is_active_connection":       "Whether the connection is active, as Authress reports it; set by Authress, not by configuration.",

	"credentials.connection_id": "The id of the connection the user logged in with.",
	"credentials.user_id": "The Authress user id, 1–64 characters of letters, digits and `-._|/~:@` " +
		"(for example `google|118234`); it is escaped in the request path.",
	"credentials.access_token": "The access token the identity provider issued to the user.",
}

// computedDescriptions replace, in the data sources, the descriptions whose
// wording is about setting a value rather than reading it.
var computedDescriptions = map[string]string{
	"connection_id": "The connection's id.",
	"type":          "The kind of identity provider: one of " + oneOfText(connectionTypes) + ".",
	"data":          "Provider-specific settings, with the API's defaults filled in.",
	"data.supported_content_type": "How the token request is encoded: one of " + oneOfText(supportedContentTypes) +
		" (the API's default is `" + authress.DefaultSupportedContentType + "`).",
	"data.user_id_expression": "How the user id is built from the identity provider's claims (the API's default " +
		"is `" + authress.DefaultUserIDExpression + "`).",
	"data.trust_identity_user_id": "Whether the identity provider's user id is trusted as is.",
	"default_connection_properties": "Extra parameters sent to the identity provider's authorization endpoint. " +
		"The API's default `scope = \"" + authress.DefaultScope + "\"` is left out, so that this map can feed " +
		"an `authress_connection` as it is.",
	"user_data_configuration":             "Where Authress stores user data for this connection; null when stored globally.",
	"conditions.require_business_account": "Whether only business (not personal) accounts of the identity provider may log in.",
	"linking_configuration":               "Identity linking; null when linking is disabled.",
	"tags":                                "Tags on the connection.",
}

// describeComputed is the description of a read-only attribute of a data source.
func describeComputed(attr string) string {
	if d, ok := computedDescriptions[attr]; ok {
		return d
	}
	return describe(attr)
}

func describe(attr string) string {
	d, ok := descriptions[attr]
	if !ok {
		panic(fmt.Sprintf("no description for attribute %q", attr))
	}
	return d
}
