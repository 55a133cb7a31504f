package fakeauthress_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"terraform-provider-authress/internal/fakeauthress"
)

type listPage struct {
	Connections []map[string]any `json:"connections"`
	Pagination  *struct {
		Next *struct {
			Cursor string `json:"cursor"`
		} `json:"next"`
	} `json:"pagination"`
	Links struct {
		Self struct {
			Href string `json:"href"`
		} `json:"self"`
	} `json:"links"`
}

func (p listPage) ids() []string {
	var ids []string
	for _, c := range p.Connections {
		id, _ := c["connectionId"].(string)
		ids = append(ids, id)
	}
	return ids
}

func (p listPage) next() string {
	if p.Pagination == nil || p.Pagination.Next == nil {
		return ""
	}
	return p.Pagination.Next.Cursor
}

func getPage(t *testing.T, c *apiClient, pathAndQuery string) listPage {
	t.Helper()
	r := c.send(http.MethodGet, pathAndQuery, "")
	expectStatus(t, r, http.StatusOK)
	if ct := r.header.Get("Content-Type"); ct != "application/links+json" {
		t.Errorf("Content-Type %q", ct)
	}
	var p listPage
	if err := json.Unmarshal(r.body, &p); err != nil {
		t.Fatalf("list body: %v\n%s", err, r.body)
	}
	return p
}

func createIDs(t *testing.T, c *apiClient, ids ...string) {
	t.Helper()
	for _, id := range ids {
		mustCreate(t, c, fmt.Sprintf(`{"connectionId":%q,"authenticationUrl":"https://a"}`, id))
	}
}

func TestListEmptyAndBothPaths(t *testing.T) {
	s, c := newTestServer(t, fakeauthress.Options{})
	r := c.send(http.MethodGet, "/v1/connections", "")
	expectStatus(t, r, http.StatusOK)
	if !strings.Contains(string(r.body), `"connections":[]`) {
		t.Errorf("empty list body %s, want connections: []", r.body)
	}
	createIDs(t, c, "a", "b")
	plain := getPage(t, c, "/v1/connections")
	slash := getPage(t, c, "/v1/connections/")
	if !slices.Equal(plain.ids(), []string{"a", "b"}) || !slices.Equal(slash.ids(), plain.ids()) {
		t.Errorf("ids %v and %v, want [a b]", plain.ids(), slash.ids())
	}
	if plain.next() != "" || slash.next() != "" {
		t.Error("single page has pagination.next")
	}
	if plain.Links.Self.Href != s.URL()+"/v1/connections" {
		t.Errorf("links.self.href %q", plain.Links.Self.Href)
	}
	if got := s.Stats().Requests[fakeauthress.RouteListConnections]; got != 3 {
		t.Errorf("list requests counted %d, want 3 (both path forms share a key)", got)
	}
}

func TestListPaginationSurvivesChangesBetweenPages(t *testing.T) {
	s, c := newTestServer(t, fakeauthress.Options{PageSize: 3})
	createIDs(t, c, "c1", "c2", "c3", "c4", "c5", "c6", "c7")

	page1 := getPage(t, c, "/v1/connections")
	if !slices.Equal(page1.ids(), []string{"c1", "c2", "c3"}) || page1.next() == "" {
		t.Fatalf("page 1: %v next %q", page1.ids(), page1.next())
	}
	// Between pages: delete a seen and an unseen connection, add a new one.
	expectStatus(t, c.send(http.MethodDelete, "/v1/connections/c2", ""), http.StatusNoContent)
	expectStatus(t, c.send(http.MethodDelete, "/v1/connections/c4", ""), http.StatusNoContent)
	createIDs(t, c, "c8")
	// Deleting the connection the cursor points at must not break it either.
	if !s.DeleteConnectionOutOfBand("c3") {
		t.Fatal("c3 missing")
	}

	seen := page1.ids()
	cursor := page1.next()
	for pages := 0; cursor != ""; pages++ {
		if pages > 5 {
			t.Fatal("pagination does not terminate")
		}
		p := getPage(t, c, "/v1/connections?cursor="+url.QueryEscape(cursor))
		seen = append(seen, p.ids()...)
		cursor = p.next()
	}
	want := []string{"c1", "c2", "c3", "c5", "c6", "c7", "c8"}
	if !slices.Equal(seen, want) {
		t.Errorf("seen %v, want %v (no skip, no repeat)", seen, want)
	}
}

func TestListLimitAndCursorValidation(t *testing.T) {
	s, c := newTestServer(t, fakeauthress.Options{})
	createIDs(t, c, "a", "b", "c", "d", "e")
	p := getPage(t, c, "/v1/connections?limit=2")
	if !slices.Equal(p.ids(), []string{"a", "b"}) || p.next() == "" {
		t.Fatalf("limit=2: %v next %q", p.ids(), p.next())
	}
	p = getPage(t, c, "/v1/connections/?limit=2&cursor="+url.QueryEscape(p.next()))
	if !slices.Equal(p.ids(), []string{"c", "d"}) {
		t.Errorf("second page %v", p.ids())
	}
	// A page ending exactly on the last connection has no next.
	p = getPage(t, c, "/v1/connections?limit=5")
	if len(p.ids()) != 5 || p.next() != "" {
		t.Errorf("limit=5: %v next %q", p.ids(), p.next())
	}
	s.SetPageSize(4)
	if p = getPage(t, c, "/v1/connections"); len(p.ids()) != 4 {
		t.Errorf("page size 4 returned %d", len(p.ids()))
	}
	for _, bad := range []string{"0", "101", "-1", "abc", "1.5"} {
		r := c.send(http.MethodGet, "/v1/connections?limit="+bad, "")
		expectError(t, r, http.StatusBadRequest, "InvalidInput", "limit")
	}
	getPage(t, c, "/v1/connections?limit=100")
	for _, bad := range []string{"garbage!", "Zm9v", strings.Repeat("A", 100)} {
		r := c.send(http.MethodGet, "/v1/connections?cursor="+url.QueryEscape(bad), "")
		expectError(t, r, http.StatusBadRequest, "InvalidInput", "cursor")
	}
}
