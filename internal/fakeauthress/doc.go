// Package fakeauthress is an in-memory implementation of the Authress
// connections API (/v1/connections) as described by the provider's API
// contract. It verifies service-client JWTs, validates request bodies against
// the Connection schema, fills server defaults, paginates lists with opaque
// cursors and can inject deterministic faults (errors, rate limiting, dropped
// connections, malformed bodies) and latency.
//
// A Server is safe for concurrent use. Its test hooks change state out of
// band (without authentication) and expose counters and the last request body
// per route, so tests can assert what a client actually sent. Admin endpoints
// under /_fake/ expose the same hooks over HTTP for the standalone command.
//
// Every quantity the server keeps is bounded: request bodies, the number of
// connections, seeded credentials, extra field names and fault counters.
package fakeauthress
