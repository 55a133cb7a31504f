package fakeauthress

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"
)

// connectionInput is a request body after validation, ready to be stored.
type connectionInput struct {
	// id is the body's connectionId, "" when absent or null.
	id string
	// fields holds every accepted field with nulls of nullable fields removed
	// and server defaults filled; read-only fields are added when storing.
	fields map[string]any
}

// parseConnection decodes and validates a Connection request body.
// isExtraField reports whether a top-level name outside the schema has been
// declared part of the API. The returned fields are owned by the caller.
func parseConnection(body []byte, isExtraField func(string) bool) (*connectionInput, *apiError) {
	if len(strings.TrimSpace(string(body))) == 0 {
		return nil, invalidRequest("the request body is empty: a Connection JSON object is required")
	}
	decoded, err := decodeStrictJSON(body)
	if err != nil {
		return nil, invalidRequest("the request body is not valid JSON: " + err.Error())
	}
	obj, ok := decoded.(map[string]any)
	if !ok {
		return nil, invalidRequest("the request body must be a JSON object (Connection)")
	}
	for _, name := range readOnlyFields {
		if _, present := obj[name]; present {
			return nil, invalidInput(fmt.Sprintf("%q is read-only and must not be sent", name))
		}
	}
	if name := firstUnknownKey("", obj, connectionRules, isExtraField); name != "" {
		return nil, invalidInput(fmt.Sprintf("unknown field %q: Connection does not allow additional properties", name))
	}
	extras := map[string]any{}
	modelled := map[string]any{}
	for name, v := range obj {
		if _, known := connectionRules[name]; known {
			modelled[name] = v
		} else {
			extras[name] = v
		}
	}
	if apiErr := validateObject("", modelled, connectionRules); apiErr != nil {
		return nil, apiErr
	}
	fields := dropNulls(modelled, connectionRules)
	for name, v := range extras {
		fields[name] = v // stored verbatim: the fake does not model their schema
	}
	applyDefaults(fields)
	id, _ := fields[fieldConnectionID].(string)
	return &connectionInput{id: id, fields: fields}, nil
}

// firstUnknownKey returns the alphabetically first key of obj that rules
// do not know and isExtra (may be nil) does not accept, prefixed with the
// object's path, or "" when there is none. Sorting keeps error titles
// independent of map iteration order.
func firstUnknownKey(prefix string, obj map[string]any, rules map[string]fieldRule, isExtra func(string) bool) string {
	var unknown []string
	for name := range obj {
		if _, known := rules[name]; known {
			continue
		}
		if isExtra != nil && isExtra(name) {
			continue
		}
		unknown = append(unknown, prefix+name)
	}
	if len(unknown) == 0 {
		return ""
	}
	return slices.Min(unknown)
}

// validateObject checks obj against rules; prefix is the dotted path of obj
// in the body. Keys are visited in sorted order so that the reported field is
// deterministic.
func validateObject(prefix string, obj map[string]any, rules map[string]fieldRule) *apiError {
	if name := firstUnknownKey(prefix, obj, rules, nil); name != "" {
		return invalidInput(fmt.Sprintf("unknown field %q: additional properties are not allowed", name))
	}
	for _, name := range slices.Sorted(maps.Keys(rules)) {
		rule := rules[name]
		v, present := obj[name]
		path := prefix + name
		if !present {
			if rule.required {
				return invalidInput(fmt.Sprintf("%q is required", path))
			}
			continue
		}
		if apiErr := validateValue(path, v, rule); apiErr != nil {
			return apiErr
		}
	}
	return nil
}

func validateValue(path string, v any, rule fieldRule) *apiError {
	if v == nil {
		if rule.nullable {
			return nil
		}
		if rule.required {
			return invalidInput(fmt.Sprintf("%q is required and must not be null", path))
		}
		return invalidInput(fmt.Sprintf("%q must not be null", path))
	}
	switch rule.kind {
	case stringValue:
		s, ok := v.(string)
		if !ok {
			return invalidInput(fmt.Sprintf("%q must be a string, got %s", path, jsonTypeName(v)))
		}
		return validateString(path, s, rule)
	case boolValue:
		if _, ok := v.(bool); !ok {
			return invalidInput(fmt.Sprintf("%q must be a boolean, got %s", path, jsonTypeName(v)))
		}
	case stringMapValue:
		m, ok := v.(map[string]any)
		if !ok {
			return invalidInput(fmt.Sprintf("%q must be an object of strings, got %s", path, jsonTypeName(v)))
		}
		valueRule := fieldRule{kind: stringValue, maxLen: rule.maxLen}
		for _, k := range slices.Sorted(maps.Keys(m)) {
			s, ok := m[k].(string)
			if !ok {
				return invalidInput(fmt.Sprintf("%q must be a string, got %s", path+"."+k, jsonTypeName(m[k])))
			}
			if apiErr := validateString(path+"."+k, s, valueRule); apiErr != nil {
				return apiErr
			}
		}
	case objectValue:
		m, ok := v.(map[string]any)
		if !ok {
			return invalidInput(fmt.Sprintf("%q must be an object, got %s", path, jsonTypeName(v)))
		}
		return validateObject(path+".", m, rule.fields)
	}
	return nil
}

func validateString(path, s string, rule fieldRule) *apiError {
	n := utf8.RuneCountInString(s)
	if rule.minLen > 0 && n < rule.minLen {
		return invalidInput(fmt.Sprintf("%q must be at least %d characters long", path, rule.minLen))
	}
	if rule.maxLen > 0 && n > rule.maxLen {
		return invalidInput(fmt.Sprintf("%q must be at most %d characters long (got %d)", path, rule.maxLen, n))
	}
	if rule.allowedRune != nil {
		for _, r := range s {
			if !rule.allowedRune(r) {
				return invalidInput(fmt.Sprintf("%q must match the pattern %s", path, rule.pattern))
			}
		}
	}
	if rule.enum != nil && !slices.Contains(rule.enum, s) {
		return invalidInput(fmt.Sprintf("%q must be one of %s", path, strings.Join(rule.enum, ", ")))
	}
	return nil
}

func jsonTypeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case json.Number, float64:
		return "a number"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	default:
		return "an unsupported value"
	}
}

// dropNulls copies obj without the JSON nulls of nullable fields: the server
// stores "null" and "absent" alike, so responses never carry explicit nulls.
func dropNulls(obj map[string]any, rules map[string]fieldRule) map[string]any {
	out := make(map[string]any, len(obj))
	for name, v := range obj {
		if v == nil {
			continue
		}
		if rule, ok := rules[name]; ok && rule.kind == objectValue {
			if m, ok := v.(map[string]any); ok {
				out[name] = dropNulls(m, rule.fields)
				continue
			}
		}
		out[name] = deepCopyJSON(v)
	}
	return out
}

// applyDefaults fills the values the server documents as defaults.
func applyDefaults(fields map[string]any) {
	if _, ok := fields[fieldType]; !ok {
		fields[fieldType] = defaultConnectionType
	}
	data, _ := fields[fieldData].(map[string]any)
	if data == nil {
		data = map[string]any{}
		fields[fieldData] = data
	}
	setDefault(data, "supportedContentType", defaultSupportedContentType)
	setDefault(data, "userIdExpression", defaultUserIDExpression)
	setDefault(data, "trustIdentityUserId", false)
	props, _ := fields[fieldDefaultConnectionProperties].(map[string]any)
	if props == nil {
		props = map[string]any{}
		fields[fieldDefaultConnectionProperties] = props
	}
	setDefault(props, "scope", defaultScope)
}

func setDefault(m map[string]any, key string, value any) {
	if _, ok := m[key]; !ok {
		m[key] = value
	}
}

// validatePathUserID checks a userId path parameter against the contract.
func validatePathUserID(userID string) *apiError {
	return validateString("userId", userID, fieldRule{kind: stringValue, minLen: 1, maxLen: 64, allowedRune: isUserIDRune, pattern: userIDPattern})
}

// validatePathConnectionID checks a connectionId path parameter against the contract.
func validatePathConnectionID(id string) *apiError {
	return validateString("connectionId", id, connectionRules[fieldConnectionID])
}
