package fakeauthress

import (
	"strings"
	"unicode/utf8"
)

// valueKind is the JSON type a Connection field must have.
type valueKind int

const (
	stringValue    valueKind = iota
	boolValue                // JSON true/false
	stringMapValue           // object whose values are all strings
	objectValue              // object with its own field rules
)

// fieldRule is one row of the Connection schema: type, nullability and the
// length, character and enum constraints of the contract.
type fieldRule struct {
	kind     valueKind
	nullable bool
	required bool
	minLen   int // in characters (runes); 0 means no lower bound
	maxLen   int // in characters (runes); for string maps it bounds each value
	// allowedRune and pattern express a character-class pattern such as
	// ^[a-zA-Z0-9-_.:]+$; pattern is only shown in error titles.
	allowedRune func(rune) bool
	pattern     string
	enum        []string
	fields      map[string]fieldRule // for objectValue
}

// Connection JSON field names that the server manages.
const (
	fieldConnectionID                = "connectionId"
	fieldType                        = "type"
	fieldClientSecret                = "clientSecret"
	fieldData                        = "data"
	fieldDefaultConnectionProperties = "defaultConnectionProperties"
	fieldCreatedTime                 = "createdTime"
	fieldLastUpdated                 = "lastUpdated"
	fieldIsActiveConnection          = "isActiveConnection"
)

// Server defaults from the contract.
const (
	defaultConnectionType       = "OAUTH2"
	defaultSupportedContentType = "application/json"
	defaultUserIDExpression     = "{sub}"
	defaultScope                = "profile email openid"
)

// readOnlyFields may appear in responses but never in request bodies.
var readOnlyFields = []string{fieldCreatedTime, fieldLastUpdated, fieldIsActiveConnection}

const (
	idPattern       = "^[a-zA-Z0-9-_.:]+$"
	tenantIDPattern = "^[a-zA-Z0-9-_.:]*$"
	userIDPattern   = "^[a-zA-Z0-9-._|/~:@]+$"
)

func isAlphanumeric(r rune) bool {
	return r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
}

// isIDRune matches the class [a-zA-Z0-9-_.:] used by connection and tenant ids.
func isIDRune(r rune) bool { return isAlphanumeric(r) || strings.ContainsRune("-_.:", r) }

// isUserIDRune matches the class [a-zA-Z0-9-._|/~:@] used by user ids.
func isUserIDRune(r rune) bool { return isAlphanumeric(r) || strings.ContainsRune("-._|/~:@", r) }

var connectionTypes = []string{"OAUTH2", "SAML2", "WebAuthN", "PASSWORD", "OPENID-LEGACY"}

var dataResidencyLocations = []string{
	"ZAF", "HKG", "IND", "JPN", "KOR", "SGP", "AUS", "IDN", "CAN", "DEU", "CHE",
	"SWE", "ITA", "IRL", "GBR", "FRA", "ISR", "BHR", "ARE", "BRA", "USA",
}

func nullableString(maxLen int) fieldRule {
	return fieldRule{kind: stringValue, nullable: true, maxLen: maxLen}
}

// connectionRules is the Connection table of the contract.
var connectionRules = map[string]fieldRule{
	fieldConnectionID:     {kind: stringValue, nullable: true, minLen: 1, maxLen: 64, allowedRune: isIDRune, pattern: idPattern},
	fieldType:             {kind: stringValue, enum: connectionTypes},
	"authenticationUrl":   {kind: stringValue, required: true, minLen: 1, maxLen: 256},
	"tokenUrl":            nullableString(128),
	"issuerUrl":           nullableString(128),
	"providerCertificate": nullableString(4096),
	"clientId":            nullableString(128),
	"clientSecretId":      nullableString(32),
	fieldClientSecret:     nullableString(2048),
	fieldData: {kind: objectValue, fields: map[string]fieldRule{
		"name":               nullableString(64),
		"tenantId":           {kind: stringValue, nullable: true, maxLen: 128, allowedRune: isIDRune, pattern: tenantIDPattern},
		"developerAccountId": {kind: stringValue, maxLen: 32},
		// null is taken as absent and defaulted, like the other data defaults.
		"supportedContentType": {kind: stringValue, nullable: true, enum: []string{"application/json", "application/x-www-form-urlencoded"}},
		"oidcUserEndpointUrl":  nullableString(128),
		"userIdExpression":     nullableString(128),
		"trustIdentityUserId":  {kind: boolValue, nullable: true},
	}},
	fieldDefaultConnectionProperties: {kind: stringMapValue, maxLen: 384},
	"userDataConfiguration": {kind: objectValue, fields: map[string]fieldRule{
		"location": {kind: stringValue, nullable: true, enum: dataResidencyLocations},
	}},
	"conditions": {kind: objectValue, fields: map[string]fieldRule{
		"requireBusinessAccount": {kind: boolValue},
	}},
	"linkingConfiguration": {kind: objectValue, fields: map[string]fieldRule{
		"type": {kind: stringValue, nullable: true, enum: []string{"EXPLICIT", "AUTOMATIC"}},
	}},
	"tags": {kind: stringMapValue, maxLen: 128},
}
