package fakeauthress

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// List limit bounds for the ?limit= parameter.
const (
	minListLimit    = 1
	maxListLimit    = 100
	maxCursorLength = 64
	cursorPrefix    = "seq:"
)

// listQuery is a parsed list request: where to resume and how many to return.
type listQuery struct {
	afterSeq uint64
	limit    int
}

// parseListQuery reads cursor and limit from a raw query string.
func parseListQuery(rawQuery string, defaultLimit int) (listQuery, *apiError) {
	q := listQuery{limit: defaultLimit}
	values, err := url.ParseQuery(rawQuery)
	if err != nil {
		return q, invalidRequest("the query string is not validly URL-encoded")
	}
	if raw := values.Get("limit"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < minListLimit || n > maxListLimit {
			return q, invalidInput(fmt.Sprintf("%q must be an integer from %d to %d", "limit", minListLimit, maxListLimit))
		}
		q.limit = n
	}
	if raw := values.Get("cursor"); raw != "" {
		seq, ok := decodeCursor(raw)
		if !ok {
			return q, invalidInput(fmt.Sprintf("%q is not a cursor returned by this API", "cursor"))
		}
		q.afterSeq = seq
	}
	return q, nil
}

// encodeCursor makes an opaque cursor meaning "after creation sequence seq".
func encodeCursor(seq uint64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(cursorPrefix + strconv.FormatUint(seq, 10)))
}

func decodeCursor(cursor string) (uint64, bool) {
	if len(cursor) > maxCursorLength {
		return 0, false
	}
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		return 0, false
	}
	digits, ok := strings.CutPrefix(string(raw), cursorPrefix)
	if !ok {
		return 0, false
	}
	seq, err := strconv.ParseUint(digits, 10, 64)
	if err != nil {
		return 0, false
	}
	return seq, true
}
