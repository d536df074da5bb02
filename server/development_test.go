package server_test

import (
	"encoding/json"
	"reflect"
	"regexp"
	"testing"
	"time"

	"github.com/knotmock/knotmock/server"
	"github.com/knotmock/knotmock/server/servertest"
)

const devWait = 5 * time.Second

var devUUID = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// devCheck compares a decoded webhook with want after checking and
// replacing the fields that vary: timestamp, session_id, task_id.
func devCheck(t *testing.T, got map[string]any, want string) {
	t.Helper()
	if ts, ok := got["timestamp"].(float64); !ok || ts < 1.7e12 {
		t.Errorf("timestamp %v", got["timestamp"])
	}
	got["timestamp"] = "TS"
	if id, ok := got["session_id"]; ok {
		if s, _ := id.(string); !devUUID.MatchString(s) {
			t.Errorf("session_id %v", id)
		}
		got["session_id"] = "SESSION"
	}
	if id, ok := got["task_id"]; ok {
		if n, _ := id.(float64); n <= 0 {
			t.Errorf("task_id %v", id)
		}
		got["task_id"] = "TASK"
	}
	var w map[string]any
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, w) {
		b, _ := json.Marshal(got)
		t.Fatalf("webhook\n got %s\nwant %s", b, want)
	}
}

const (
	devDoorDash = `{"id":19,"name":"DoorDash","logo":"https://knot.imgix.net/merchants/y6WU1josnTA0pkHE37AK1AsjarA7717TZnLiRtTF.png"}`
	devHulu     = `{"id":18,"name":"Hulu","logo":"https://knot.imgix.net/merchants/IsPymzeLltcppaWvV82bhzo0VK3zDJyycFRPX8ih.png"}`
	devWalmart  = `{"id":45,"name":"Walmart","logo":"https://knot.imgix.net/merchants/KBQ5j6cN010PPpwbO7RpKGyDrCpsZ91FRhwnZp5u.png"}`
)

func devAuthenticated(user, merchant, cardID string, sendCard bool) string {
	card := `null`
	if cardID != "" {
		card = `"` + cardID + `"`
	}
	send := "false"
	if sendCard {
		send = "true"
	}
	return `{"event":"AUTHENTICATED","session_id":"SESSION","task_id":"TASK","external_user_id":"` + user +
		`","merchant":` + merchant + `,"data":{"card_id":` + card + `,"send_card":` + send +
		`,"entrypoint":null,"metadata":{}},"timestamp":"TS"}`
}

func TestDevLinkErrors(t *testing.T) {
	t.Parallel()
	srv := acctFast(t)
	for _, c := range []struct{ name, body, want string }{
		{"ExternalUserIdRequired", `{"merchant_id":19}`, invalidField("The external user id field is required.")},
		{"UnknownMerchant", `{"external_user_id":"u1","merchant_id":999999}`, acctUnknownMerchant()},
		{"shopping not supported", `{"external_user_id":"u1","merchant_id":16}`, acctUnknownMerchant()},
		{"transactions not supported", `{"external_user_id":"u1","merchant_id":16,"transactions":{"new":true}}`, acctUnknownMerchant()},
		{"CardIdRequired", `{"external_user_id":"u1","merchant_id":19,"card_switcher":true}`, invalidField("The card_id field is required when card_switcher = true.")},
		{"CardSwitcherTransactionsExclusive", `{"external_user_id":"u1","merchant_id":19,"card_switcher":true,"card_id":"c","transactions":{"new":true}}`, invalidField("The card_switcher and transactions fields cannot be used together.")},
		{"UpdatedRequiresNew", `{"external_user_id":"u1","merchant_id":19,"transactions":{"new":false,"updated":true}}`, invalidField("The transactions.updated field requires transactions.new to be true.")},
	} {
		t.Run(c.name, func(t *testing.T) {
			acctExpect(t, srv.Post(t, "/development/accounts/link", c.body), 400, c.want)
		})
	}
	// Nothing was linked.
	acctExpect(t, srv.Get(t, "/accounts/get?external_user_id=u1"), 400, acctUserNotFound())
}

func TestDevLinkTransactionLink(t *testing.T) {
	t.Parallel()
	srv := acctFast(t)
	rec := srv.Record(t)
	acctLink(t, srv, `{"external_user_id":"tl1","merchant_id":19,"transactions":{"new":true}}`)
	devCheck(t, rec.Wait("AUTHENTICATED", 1, devWait), devAuthenticated("tl1", devDoorDash, "", false))
	devCheck(t, rec.Wait("NEW_TRANSACTIONS_AVAILABLE", 1, devWait),
		`{"event":"NEW_TRANSACTIONS_AVAILABLE","external_user_id":"tl1","merchant":`+devDoorDash+`,"timestamp":"TS"}`)
	if got := rec.Names(); !reflect.DeepEqual(got, []string{"AUTHENTICATED", "NEW_TRANSACTIONS_AVAILABLE"}) {
		t.Fatalf("events %v", got)
	}
	r := srv.Get(t, "/accounts/get?external_user_id=tl1&merchant_id=19&type=transaction_link")
	want := `{"merchant":` + devDoorDash + `,"connection":{"status":"connected","scopes":[]},` + acctLinked
	if r.Status != 200 || acctNormalise(t, r.Body) != want {
		t.Fatalf("got %d %s\nwant %s", r.Status, r.Body, want)
	}
}

func TestDevLinkTransactionLinkUpdated(t *testing.T) {
	t.Parallel()
	srv := acctFast(t)
	rec := srv.Record(t)
	acctLink(t, srv, `{"external_user_id":"tl2","merchant_id":19,"transactions":{"new":true,"updated":true}}`)
	ev := rec.Wait("UPDATED_TRANSACTIONS_AVAILABLE", 1, devWait)
	updated, _ := ev["updated"].([]any)
	if len(updated) != 3 {
		t.Fatalf("updated %v", ev["updated"])
	}
	seen := map[string]bool{}
	for _, u := range updated {
		id, _ := u.(map[string]any)["id"].(string)
		if !devUUID.MatchString(id) || seen[id] {
			t.Fatalf("updated ids %v", updated)
		}
		seen[id] = true
	}
	ev["updated"] = "IDS"
	devCheck(t, ev, `{"event":"UPDATED_TRANSACTIONS_AVAILABLE","external_user_id":"tl2","merchant":`+devDoorDash+`,"updated":"IDS","timestamp":"TS"}`)
	if got := rec.Names(); !reflect.DeepEqual(got, []string{"AUTHENTICATED", "NEW_TRANSACTIONS_AVAILABLE", "UPDATED_TRANSACTIONS_AVAILABLE"}) {
		t.Fatalf("events %v", got)
	}
}

func TestDevLinkCardSwitcherNoCard(t *testing.T) {
	t.Parallel()
	srv := acctFast(t)
	rec := srv.Record(t)
	acctLink(t, srv, `{"external_user_id":"cs1","merchant_id":18,"card_switcher":true,"card_id":"test-card-123"}`)
	auth := rec.Wait("AUTHENTICATED", 1, devWait)
	task := auth["task_id"]
	devCheck(t, auth, devAuthenticated("cs1", devHulu, "test-card-123", true))
	// While the card window is open the switch is pending.
	r := srv.Get(t, "/accounts/get?external_user_id=cs1&merchant_id=18&type=card_switcher")
	want := `{"merchant":` + devHulu + `,"connection":{"status":"connected","scopes":[{"type":"update_card"},{"type":"cancel"}]},` +
		`"lifecycle":{"status":"pending"},"last_user_action":{"attempted_at":"T","status":"authenticated"}}`
	if r.Status != 200 || acctNormalise(t, r.Body) != want {
		t.Fatalf("got %d %s\nwant %s", r.Status, r.Body, want)
	}

	failed := rec.Wait("CARD_FAILED", 1, devWait)
	if failed["task_id"] != task {
		t.Errorf("CARD_FAILED task %v, AUTHENTICATED task %v", failed["task_id"], task)
	}
	devCheck(t, failed, `{"event":"CARD_FAILED","session_id":"SESSION","task_id":"TASK","external_user_id":"cs1","merchant":`+devHulu+
		`,"data":{"card_id":"test-card-123","reason":"did not receive payment method information","metadata":{}},"timestamp":"TS"}`)
	r = srv.Get(t, "/accounts/get?external_user_id=cs1&merchant_id=18&type=card_switcher")
	want = `{"merchant":` + devHulu + `,"connection":{"status":"connected","scopes":[{"type":"update_card"},{"type":"cancel"}]},` +
		`"lifecycle":{"status":"failed"},"last_user_action":{"attempted_at":"T","status":"card_failed"}}`
	if r.Status != 200 || acctNormalise(t, r.Body) != want {
		t.Fatalf("got %d %s\nwant %s", r.Status, r.Body, want)
	}
}

func TestDevLinkShopping(t *testing.T) {
	t.Parallel()
	srv := acctFast(t)
	rec := srv.Record(t)
	acctLink(t, srv, `{"external_user_id":"sh1","merchant_id":45}`)
	devCheck(t, rec.Wait("AUTHENTICATED", 1, devWait), devAuthenticated("sh1", devWalmart, "", false))
	// Well past AsyncDelay and the card window: still nothing else.
	time.Sleep(300 * time.Millisecond)
	if got := rec.Names(); !reflect.DeepEqual(got, []string{"AUTHENTICATED"}) {
		t.Fatalf("events %v", got)
	}
}

func TestDevDisconnect(t *testing.T) {
	t.Parallel()
	srv := acctFast(t)
	rec := srv.Record(t)
	acctLink(t, srv, `{"external_user_id":"d1","merchant_id":45}`)
	for _, c := range []struct{ name, body, want string }{
		{"ExternalUserIdRequired", `{"merchant_id":45}`, invalidField("The external user id field is required.")},
		{"UserNotFound", `{"external_user_id":"nobody","merchant_id":45}`, acctUserNotFound()},
		{"UnknownMerchant", `{"external_user_id":"d1","merchant_id":999999}`, acctUnknownMerchant()},
		{"MerchantAccountNotFound", `{"external_user_id":"d1","merchant_id":19}`, acctNoAccount()},
	} {
		t.Run(c.name, func(t *testing.T) {
			acctExpect(t, srv.Post(t, "/development/accounts/disconnect", c.body), 400, c.want)
		})
	}
	acctExpect(t, srv.Post(t, "/development/accounts/disconnect", `{"external_user_id":"d1","merchant_id":45}`), 200, acctSuccess)
	devCheck(t, rec.Wait("ACCOUNT_LOGIN_REQUIRED", 1, devWait),
		`{"event":"ACCOUNT_LOGIN_REQUIRED","external_user_id":"d1","merchant":`+devWalmart+`,"timestamp":"TS"}`)
	r := srv.Get(t, "/accounts/get?external_user_id=d1")
	want := `[{"merchant":` + devWalmart + `,"connection":{"status":"disconnected","scopes":[]},` + acctLinked + `]`
	if r.Status != 200 || acctNormalise(t, r.Body) != want {
		t.Fatalf("got %d %s\nwant %s", r.Status, r.Body, want)
	}
	// Linking again reconnects.
	acctLink(t, srv, `{"external_user_id":"d1","merchant_id":45}`)
	r = srv.Get(t, "/accounts/get?external_user_id=d1&merchant_id=45")
	want = `{"merchant":` + devWalmart + `,"connection":{"status":"connected","scopes":[{"type":"cancel"}]},` + acctLinked
	if r.Status != 200 || acctNormalise(t, r.Body) != want {
		t.Fatalf("got %d %s\nwant %s", r.Status, r.Body, want)
	}
}

// Each client_id is its own world: accounts, users and webhooks.
func TestDevTenantsIsolated(t *testing.T) {
	t.Parallel()
	srv := servertest.New(t, server.Config{AcceptAnyCredentials: true, AsyncDelay: time.Millisecond, CardWindow: 200 * time.Millisecond})
	rec := srv.Record(t)
	a := servertest.BasicAuth("tenant_a", "secret_a")
	b := servertest.BasicAuth("tenant_b", "secret_b")
	acctLink(t, srv, `{"external_user_id":"same","merchant_id":45}`, "Authorization", a)
	acctExpect(t, srv.Get(t, "/accounts/get?external_user_id=same", "Authorization", b), 400, acctUserNotFound())
	acctExpect(t, srv.Post(t, "/accounts/unlink", `{"external_user_id":"same","merchant_id":45}`, "Authorization", b), 400, acctUserNotFound())
	acctExpect(t, srv.Post(t, "/user/delete", `{"external_user_id":"same"}`, "Authorization", b), 400, acctUserNotFound())
	acctLink(t, srv, `{"external_user_id":"same","merchant_id":12}`, "Authorization", b)
	acctExpect(t, srv.Get(t, "/user/same", "Authorization", a), 200, `{"linkedMerchants":[45],"pendingMerchants":[]}`)
	acctExpect(t, srv.Get(t, "/user/same", "Authorization", b), 200, `{"linkedMerchants":[12],"pendingMerchants":[]}`)
	rec.Wait("AUTHENTICATED", 2, devWait)
	var got []string
	for _, ev := range rec.Events() {
		got = append(got, ev.ClientID)
	}
	if !reflect.DeepEqual(got, []string{"tenant_a", "tenant_b"}) {
		t.Fatalf("event tenants %v", got)
	}
}

func TestDevelopmentLinkNeedsTheProductEnabled(t *testing.T) {
	srv := servertest.New(t, server.Config{Clients: []server.Client{{ID: "tl_only", Secret: "s", Products: []string{"transaction_link"}}}})
	r := srv.Post(t, "/development/accounts/link", `{"external_user_id":"u","merchant_id":19,"card_switcher":true,"card_id":"c"}`)
	want := `{"error_type":"INVALID_REQUEST","error_code":"NO_ACCESS","error_message":"Please contact Knot for access to this endpoint."}`
	if r.Status != 403 || r.Body != want {
		t.Fatalf("got %d %s", r.Status, r.Body)
	}
	if r := srv.Post(t, "/development/accounts/link", `{"external_user_id":"u","merchant_id":19,"transactions":{"new":true}}`); r.Status != 200 {
		t.Fatalf("enabled product: %d %s", r.Status, r.Body)
	}
}
