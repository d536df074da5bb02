package server

import (
	"encoding/base64"
	"testing"

	"github.com/knotmock/knotmock/server/state"
)

// Knot's documented example cursor is base64url (no padding) of
// {"id":22781,"_pointsToNextItems":true}: ours are byte for byte the same.
func TestCursorMatchesKnotsExample(t *testing.T) {
	const knot = "eyJpZCI6MjI3ODEsIl9wb2ludHNUb05leHRJdGVtcyI6dHJ1ZX0"
	if got := encodeCursor(22781); got != knot {
		t.Fatalf("encodeCursor(22781) = %s, want %s", got, knot)
	}
	if pos, ok := decodeCursor(knot); !ok || pos != 22781 {
		t.Fatalf("decodeCursor(Knot's example) = %d, %v", pos, ok)
	}
}

func TestCursorRoundTrip(t *testing.T) {
	for _, pos := range []int{0, 1, 99, 100, 205, 1 << 20, maxCursor} {
		c := encodeCursor(pos)
		got, ok := decodeCursor(c)
		if !ok || got != pos {
			t.Fatalf("decodeCursor(encodeCursor(%d)) = %d, %v (%s)", pos, got, ok, c)
		}
	}
}

func TestDecodeCursorAcceptsEquivalentForms(t *testing.T) {
	b64 := func(s string) string { return base64.URLEncoding.EncodeToString([]byte(s)) } // padded
	cases := map[string]int{
		b64(`{"id":7,"_pointsToNextItems":true}`):                                         7,
		base64.StdEncoding.EncodeToString([]byte(`{"id":300,"_pointsToNextItems":true}`)): 300,
		b64(`{"_pointsToNextItems":true,"id":12}`):                                        12,
		b64(`{ "id" : 3 }`): 3,
	}
	for c, want := range cases {
		if got, ok := decodeCursor(c); !ok || got != want {
			t.Errorf("decodeCursor(%s) = %d, %v; want %d", c, got, ok, want)
		}
	}
}

func TestDecodeCursorRejects(t *testing.T) {
	raw := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	for name, c := range map[string]string{
		"empty":           "",
		"garbage":         "not a cursor!",
		"not JSON":        raw("hello"),
		"JSON array":      raw(`[1]`),
		"no id":           raw(`{"_pointsToNextItems":true}`),
		"negative":        raw(`{"id":-1,"_pointsToNextItems":true}`),
		"fraction":        raw(`{"id":1.5,"_pointsToNextItems":true}`),
		"string id":       raw(`{"id":"5","_pointsToNextItems":true}`),
		"null id":         raw(`{"id":null}`),
		"leading zero":    raw(`{"id":07,"_pointsToNextItems":true}`),
		"too large":       raw(`{"id":2147483648,"_pointsToNextItems":true}`),
		"huge":            raw(`{"id":99999999999999999999999,"_pointsToNextItems":true}`),
		"trailing bytes":  raw(`{"id":5,"_pointsToNextItems":true}x`),
		"overlong cursor": raw(`{"id":5,"pad":"` + string(make([]byte, 300)) + `"}`),
	} {
		if pos, ok := decodeCursor(c); ok {
			t.Errorf("%s: decodeCursor(%q) = %d, true; want rejected", name, c, pos)
		}
	}
}

// ---------------------------------------------------------------- test hooks
//
// Exported only to this package's tests (the export_test pattern), for the
// black-box tests of package server_test: state the API cannot create yet.

// LinkWithSubscriptionsForTest links a user's account at a merchant with
// the scopes the link flow grants ("cancel" for SubscriptionManager
// merchants), discovers its subscriptions as a card switch would, announces
// them (NEW_SUBSCRIPTIONS_AVAILABLE) and returns their ids.
func (s *Server) LinkWithSubscriptionsForTest(t testing.TB, clientID, externalUserID string, merchantID int) []string {
	t.Helper()
	m, ok := s.world.merchants.ByID(merchantID)
	if !ok {
		t.Fatalf("no merchant %d", merchantID)
	}
	var scopes []string
	if m.Supports(productSubscriptions) {
		scopes = append(scopes, "cancel")
	}
	tenant := s.store.Tenant(clientID)
	now := s.clock.Now()
	var ids []string
	tenant.Do(func(d *state.Data) {
		u, _ := d.Link(externalUserID, m.ID, scopes, now)
		ids = s.discoverSubscriptions(tenant, d, u, m, now)
	})
	s.announceSubscriptions(clientID, externalUserID, m, ids)
	return ids
}

// DoForTest runs fn on a tenant's state, locked.
func (s *Server) DoForTest(clientID string, fn func(d *state.Data)) {
	s.store.Tenant(clientID).Do(fn)
}
