package server_test

import (
	"regexp"
	"testing"
	"time"

	"github.com/knotmock/knotmock/server"
	"github.com/knotmock/knotmock/server/servertest"
)

// Helpers of the account, development, merchant and detect tests.

const acctSuccess = `{"message":"Success"}`

// acctFast is a sandbox whose asynchronous results come at once and whose
// card window is short.
func acctFast(t *testing.T) *servertest.Server {
	return servertest.New(t, server.Config{AsyncDelay: time.Millisecond, CardWindow: 200 * time.Millisecond})
}

// acctExpect requires an exact status and body.
func acctExpect(t *testing.T, r servertest.Response, status int, body string) {
	t.Helper()
	if r.Status != status || r.Body != body {
		t.Fatalf("got %d %s\nwant %d %s", r.Status, r.Body, status, body)
	}
}

var acctTime = regexp.MustCompile(`"(attempted_at|detected_at)":"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)"`)

// acctNormalise replaces the RFC 3339 UTC times of a body, which must be
// within the last minute, with "T".
func acctNormalise(t *testing.T, body string) string {
	t.Helper()
	return acctTime.ReplaceAllStringFunc(body, func(m string) string {
		sub := acctTime.FindStringSubmatch(m)
		at, err := time.Parse(time.RFC3339, sub[2])
		if err != nil {
			t.Fatalf("%s: %v", m, err)
		}
		if d := time.Since(at); d < -time.Second || d > 2*time.Minute {
			t.Errorf("%s is %v from now", m, d)
		}
		return `"` + sub[1] + `":"T"`
	})
}

// acctLink links an account with the development endpoint.
func acctLink(t *testing.T, srv *servertest.Server, body string, headers ...string) {
	t.Helper()
	acctExpect(t, srv.Post(t, "/development/accounts/link", body, headers...), 200, acctSuccess)
}

func acctUserNotFound() string {
	return errBody("USER_ERROR", "USER_NOT_FOUND", "The selected external user id is invalid.")
}

func acctNoAccount() string {
	return errBody("MERCHANT_ACCOUNT_ERROR", "MERCHANT_ACCOUNT_NOT_FOUND", "No merchant account was found for this user and merchant.")
}

func acctUnknownMerchant() string { return invalidField("The selected merchant id is invalid.") }

const (
	acctTarget  = `{"merchant":{"id":12,"name":"Target","logo":"https://knot.imgix.net/merchants/aZN0dnruqXa71P2tD8vkQXRYO1NiJ7brD03q2YBV.png"},`
	acctWalmart = `{"merchant":{"id":45,"name":"Walmart","logo":"https://knot.imgix.net/merchants/KBQ5j6cN010PPpwbO7RpKGyDrCpsZ91FRhwnZp5u.png"},`
	acctLinked  = `"lifecycle":{"status":"completed"},"last_user_action":{"attempted_at":"T","status":"authenticated"}}`
	acctNull    = `"lifecycle":{"status":null},"last_user_action":{"attempted_at":null,"status":null}}`
)

func TestAccountsGetErrors(t *testing.T) {
	t.Parallel()
	srv := acctFast(t)
	acctLink(t, srv, `{"external_user_id":"u1","merchant_id":45}`)
	cases := []struct{ name, query, want string }{
		{"ExternalUserIdRequired", ``, invalidField("The external user id field is required.")},
		{"UserNotFound", `?external_user_id=nobody`, acctUserNotFound()},
		{"UserNotFound before merchant", `?external_user_id=nobody&merchant_id=999999`, acctUserNotFound()},
		{"UnknownMerchant", `?external_user_id=u1&merchant_id=999999`, acctUnknownMerchant()},
		{"MerchantAccountNotFound", `?external_user_id=u1&merchant_id=12`, acctNoAccount()},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			acctExpect(t, srv.Get(t, "/accounts/get"+c.query), 400, c.want)
		})
	}
}

func TestAccountsGet(t *testing.T) {
	t.Parallel()
	srv := acctFast(t)
	acctLink(t, srv, `{"external_user_id":"u1","merchant_id":45}`)
	acctLink(t, srv, `{"external_user_id":"u1","merchant_id":12}`)
	acctLink(t, srv, `{"external_user_id":"other","merchant_id":19}`)

	// Sorted by merchant name; Walmart supports SubscriptionManager: cancel.
	r := srv.Get(t, "/accounts/get?external_user_id=u1")
	want := `[` + acctTarget + `"connection":{"status":"connected","scopes":[]},` + acctLinked + `,` +
		acctWalmart + `"connection":{"status":"connected","scopes":[{"type":"cancel"}]},` + acctLinked + `]`
	if r.Status != 200 || acctNormalise(t, r.Body) != want {
		t.Fatalf("got %d %s\nwant %s", r.Status, r.Body, want)
	}

	r = srv.Get(t, "/accounts/get?external_user_id=u1&merchant_id=45")
	want = acctWalmart + `"connection":{"status":"connected","scopes":[{"type":"cancel"}]},` + acctLinked
	if r.Status != 200 || acctNormalise(t, r.Body) != want {
		t.Fatalf("got %d %s\nwant %s", r.Status, r.Body, want)
	}

	// The last login was a Shopping link: nothing for another product.
	r = srv.Get(t, "/accounts/get?external_user_id=u1&merchant_id=45&type=card_switcher")
	acctExpect(t, r, 200, acctWalmart+`"connection":{"status":"connected","scopes":[{"type":"cancel"}]},`+acctNull)
}

func TestAccountsUnlink(t *testing.T) {
	t.Parallel()
	srv := acctFast(t)
	acctLink(t, srv, `{"external_user_id":"u1","merchant_id":45}`)
	acctLink(t, srv, `{"external_user_id":"u1","merchant_id":12}`)
	for _, c := range []struct{ name, body, want string }{
		{"ExternalUserIdRequired", `{"merchant_id":45}`, invalidField("The external user id field is required.")},
		{"MerchantIdRequired", `{"external_user_id":"u1"}`, invalidField("The merchant id field is required.")},
		{"UserNotFound", `{"external_user_id":"nobody","merchant_id":45}`, acctUserNotFound()},
		{"UnknownMerchant", `{"external_user_id":"u1","merchant_id":999999}`, acctUnknownMerchant()},
		{"MerchantAccountNotFound", `{"external_user_id":"u1","merchant_id":19}`, acctNoAccount()},
	} {
		t.Run(c.name, func(t *testing.T) {
			acctExpect(t, srv.Post(t, "/accounts/unlink", c.body), 400, c.want)
		})
	}
	acctExpect(t, srv.Post(t, "/accounts/unlink", `{"external_user_id":"u1","merchant_id":45}`), 200, acctSuccess)
	acctExpect(t, srv.Get(t, "/accounts/get?external_user_id=u1&merchant_id=45"), 400, acctNoAccount())
	acctExpect(t, srv.Post(t, "/accounts/unlink", `{"external_user_id":"u1","merchant_id":45}`), 400, acctNoAccount())
	r := srv.Get(t, "/accounts/get?external_user_id=u1")
	want := `[` + acctTarget + `"connection":{"status":"connected","scopes":[]},` + acctLinked + `]`
	if r.Status != 200 || acctNormalise(t, r.Body) != want {
		t.Fatalf("got %d %s\nwant %s", r.Status, r.Body, want)
	}
	acctExpect(t, srv.Post(t, "/accounts/unlink", `{"external_user_id":"u1","merchant_id":12}`), 200, acctSuccess)
	acctExpect(t, srv.Get(t, "/accounts/get?external_user_id=u1"), 200, `[]`)
	// The account can be linked again.
	acctLink(t, srv, `{"external_user_id":"u1","merchant_id":45}`)
	if r := srv.Get(t, "/accounts/get?external_user_id=u1&merchant_id=45"); r.Status != 200 {
		t.Fatalf("relinked: %d %s", r.Status, r.Body)
	}
}

func TestUserDelete(t *testing.T) {
	t.Parallel()
	srv := acctFast(t)
	acctExpect(t, srv.Post(t, "/user/delete", `{}`), 400, invalidField("The external user id field is required."))
	acctExpect(t, srv.Post(t, "/user/delete", `{"external_user_id":"nobody"}`), 400, acctUserNotFound())

	acctLink(t, srv, `{"external_user_id":"u1","merchant_id":45}`)
	acctLink(t, srv, `{"external_user_id":"u2","merchant_id":45}`)
	mine := sessionID(t, srv.Post(t, "/session/create", `{"type":"link","external_user_id":"u1"}`))
	theirs := sessionID(t, srv.Post(t, "/session/create", `{"type":"link","external_user_id":"u2"}`))

	acctExpect(t, srv.Post(t, "/user/delete", `{"external_user_id":"u1"}`), 200, acctSuccess)
	acctExpect(t, srv.Get(t, "/accounts/get?external_user_id=u1"), 400, acctUserNotFound())
	acctExpect(t, srv.Get(t, "/user/u1"), 400, acctUserNotFound())
	acctExpect(t, srv.Post(t, "/user/delete", `{"external_user_id":"u1"}`), 400, acctUserNotFound())
	// The user's sessions are gone too; other users keep theirs.
	notFound := errBody("SESSION_ERROR", "SESSION_NOT_FOUND", "The selected session id is invalid.")
	acctExpect(t, srv.Post(t, "/session/extend", `{"session_id":"`+mine+`"}`), 400, notFound)
	acctExpect(t, srv.Post(t, "/merchant/connected", `{"session_id":"`+mine+`"}`), 400, notFound)
	acctExpect(t, srv.Post(t, "/session/extend", `{"session_id":"`+theirs+`"}`), 200, `{"session":"`+theirs+`"}`)
	acctExpect(t, srv.Get(t, "/user/u2"), 200, `{"linkedMerchants":[45],"pendingMerchants":[]}`)
}

func TestUserGetLegacy(t *testing.T) {
	t.Parallel()
	srv := servertest.New(t, server.Config{AsyncDelay: time.Millisecond, CardWindow: time.Hour})
	acctExpect(t, srv.Get(t, "/user/nobody"), 400, acctUserNotFound())
	acctLink(t, srv, `{"external_user_id":"u1","merchant_id":45}`)
	acctLink(t, srv, `{"external_user_id":"u1","merchant_id":19}`)
	acctLink(t, srv, `{"external_user_id":"u1","merchant_id":12}`)
	acctExpect(t, srv.Get(t, "/user/u1?unique=true"), 200, `{"linkedMerchants":[12,19,45],"pendingMerchants":[]}`)
	// Disconnected, and a card switch waiting for its card: pending.
	acctExpect(t, srv.Post(t, "/development/accounts/disconnect", `{"external_user_id":"u1","merchant_id":19}`), 200, acctSuccess)
	acctLink(t, srv, `{"external_user_id":"u1","merchant_id":18,"card_switcher":true,"card_id":"c1"}`)
	acctExpect(t, srv.Get(t, "/user/u1"), 200, `{"linkedMerchants":[12,45],"pendingMerchants":[18,19]}`)
}
