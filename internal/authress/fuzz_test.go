package authress

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// FuzzParseAccessKey: any input is either a key or an error that does not
// repeat the private key part; nothing panics.
func FuzzParseAccessKey(f *testing.F) {
	key, _, err := generateAccessKey()
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range []string{
		key, "", ".", "...", "a.b.c.d", "a.b.c.====", "sc.k.acc.MC4CAQAwBQYDK2VwBCIEIA",
		"eyJhbGciOiJFZERTQSJ9.e30.sig", strings.Repeat("a.", 5000),
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, input string) {
		parsed, err := ParseAccessKey(input)
		if err != nil {
			parts := strings.Split(input, ".")
			if private := parts[len(parts)-1]; len(private) >= 24 && strings.Contains(err.Error(), private) {
				t.Fatalf("the error repeats the private key part: %v", err)
			}
			return
		}
		if parsed.ClientID == "" || parsed.KeyID == "" || parsed.AccountID == "" || len(parsed.privateKey) == 0 {
			t.Fatalf("accepted %q with an empty part", input)
		}
	})
}

// FuzzDecodeResponse: any body the API (or a proxy) could send decodes to a
// value or an error, and a decoded connection encodes again; nothing panics.
func FuzzDecodeResponse(f *testing.F) {
	for _, seed := range []string{
		`{"connectionId":"a","type":"OAUTH2","data":{"name":"x"},"tags":{"a":"b"},"newField":[1,2]}`,
		`{"connections":[{"connectionId":"a"}],"pagination":{"next":{"cursor":"c"}}}`,
		`{"connections":null,"pagination":{"next":null}}`,
		`{"title":"t","errorCode":"c","errorId":"i"}`,
		`<html><body>502 Bad Gateway</body></html>`,
		`{"connectionId":`, `null`, `[]`, `"s"`, `{"data":"not an object"}`, `{"links":{}}`,
	} {
		f.Add([]byte(seed), 200)
		f.Add([]byte(seed), 500)
	}
	f.Fuzz(func(t *testing.T, body []byte, status int) {
		var conn Connection
		if json.Unmarshal(body, &conn) == nil {
			encoded, err := json.Marshal(conn)
			if err != nil {
				t.Fatalf("a decoded connection does not encode: %v", err)
			}
			if !json.Valid(encoded) {
				t.Fatalf("invalid JSON encoded: %s", encoded)
			}
		}
		var page ConnectionCollection
		if json.Unmarshal(body, &page) == nil {
			_ = page.NextCursor()
		}
		resp := &http.Response{
			StatusCode: status,
			Header:     http.Header{"Content-Type": {"text/html"}},
			Body:       io.NopCloser(bytes.NewReader(body)),
		}
		if apiErr := readAPIError("GET", "/v1/connections", resp); apiErr.Error() == "" {
			t.Fatal("empty error text")
		}
	})
}
