package server_test

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/knotmock/knotmock/server"
	"github.com/knotmock/knotmock/server/card"
	"github.com/knotmock/knotmock/server/servertest"
)

// The user and card of knot-api.md §2.7.1 ("sufficient to pass validation").
const (
	csNumber  = "4242424242424242"
	csPayload = `{"user":{"name":{"first_name":"Ada","last_name":"Lovelace"},` +
		`"address":{"street":"100 Main Street","street2":"#100","city":"NEW YORK","region":"NY","postal_code":"12345","country":"US"},` +
		`"phone_number":"+11234567890"},"card":{"number":"` + csNumber + `","expiration":"08/2030","cvv":"012"}}`
	csMerchant = 19 // DoorDash: card_switcher, no subscription_manager
)

var (
	csSuccess      = `{"message":"Success"}`
	csJWEInvalid   = errBody("INVALID_REQUEST", "INVALID_JWE", "The jwe is invalid.")
	csTaskNotFound = invalidField("The selected task id is invalid.")
	csWindowClosed = invalidField("The task id has expired. Card data must be sent within 15 seconds of the AUTHENTICATED webhook.")
)

func csServer(t *testing.T, cfg ...server.Config) (*servertest.Server, *servertest.Recorder) {
	t.Helper()
	c := server.Config{AsyncDelay: time.Millisecond}
	if len(cfg) > 0 {
		c = cfg[0]
	}
	srv := servertest.New(t, c)
	return srv, srv.Record(t)
}

// csPost posts and requires the exact answer; no answer may carry card data.
func csPost(t *testing.T, srv *servertest.Server, path, body string, status int, want string) {
	t.Helper()
	r := srv.Post(t, path, body)
	if strings.Contains(r.Body, csNumber) || (strings.Contains(body, `"jwe"`) && strings.Contains(r.Body, "eyJ")) {
		t.Fatalf("%s answered with card data: %s", path, r.Body)
	}
	if r.Status != status || r.Body != want {
		t.Fatalf("POST %s %.200s\ngot  %d %s\nwant %d %s", path, body, r.Status, r.Body, status, want)
	}
}

// csEncrypt encrypts plaintext to the key GET /jwe/key publishes.
func csEncrypt(t testing.TB, srv *servertest.Server, plaintext string) string {
	t.Helper()
	r := srv.Get(t, "/jwe/key")
	if r.Status != 200 {
		t.Fatalf("GET /jwe/key: %d %s", r.Status, r.Body)
	}
	jwe, err := card.Encrypt([]byte(r.Body), []byte(plaintext))
	if err != nil {
		t.Fatal(err)
	}
	return jwe
}

// csWaitEvent waits for the n-th event name of a user and returns it decoded.
func csWaitEvent(t *testing.T, rec *servertest.Recorder, name, user string, n int) map[string]any {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		seen := 0
		for _, ev := range rec.Events() {
			if ev.Name == name && ev.ExternalUserID == user {
				if seen++; seen == n {
					var m map[string]any
					if err := json.Unmarshal(ev.Payload, &m); err != nil {
						t.Fatal(err)
					}
					return m
				}
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %d× %s for %s; events: %v", n, name, user, rec.Names())
		}
		time.Sleep(time.Millisecond)
	}
}

// csCountEvents counts a user's events of a name.
func csCountEvents(rec *servertest.Recorder, name, user string) int {
	n := 0
	for _, ev := range rec.Events() {
		if ev.Name == name && ev.ExternalUserID == user {
			n++
		}
	}
	return n
}

// csLink links an account with the dev endpoint (card_switcher when cardID
// is set) and returns the task_id of its AUTHENTICATED, as Switch Card
// takes it.
func csLink(t *testing.T, srv *servertest.Server, rec *servertest.Recorder, user string, merchant int, cardID string) string {
	t.Helper()
	body := `{"external_user_id":"` + user + `","merchant_id":` + strconv.Itoa(merchant)
	if cardID != "" {
		body += `,"card_switcher":true,"card_id":"` + cardID + `"`
	}
	before := csCountEvents(rec, "AUTHENTICATED", user)
	csPost(t, srv, "/development/accounts/link", body+"}", 200, csSuccess)
	ev := csWaitEvent(t, rec, "AUTHENTICATED", user, before+1)
	return strconv.FormatInt(int64(ev["task_id"].(float64)), 10)
}

// csAdvanceUntil advances the clock by d until the user's event comes. (A
// timer started just before is registered by its goroutine, which may run
// after a single Advance.)
func csAdvanceUntil(t *testing.T, srv *servertest.Server, rec *servertest.Recorder, d time.Duration, name, user string) {
	t.Helper()
	for i := 0; i < 500 && csCountEvents(rec, name, user) == 0; i++ {
		srv.Clock().Advance(d)
		time.Sleep(time.Millisecond)
	}
}

func csBody(jwe, taskID string) string { return `{"jwe":"` + jwe + `","task_id":"` + taskID + `"}` }

func TestSwitchCardJWERoundTrip(t *testing.T) {
	srv, rec := csServer(t)
	r := srv.Get(t, "/jwe/key")
	var jwk map[string]any
	if r.Status != 200 || json.Unmarshal([]byte(r.Body), &jwk) != nil || jwk["alg"] != "RSA-OAEP-256" || jwk["kid"] == "" {
		t.Fatalf("GET /jwe/key: %d %s", r.Status, r.Body)
	}
	task := csLink(t, srv, rec, "ada", csMerchant, "card-1")
	jwe := csEncrypt(t, srv, csPayload)

	// Tampered: one character of the ciphertext changed.
	parts := strings.Split(jwe, ".")
	c := []byte(parts[3])
	c[3] ^= 1
	if c[3] == parts[3][3] {
		t.Fatal("no tampering")
	}
	tampered := strings.Join([]string{parts[0], parts[1], parts[2], string(c), parts[4]}, ".")
	csPost(t, srv, "/card", csBody(tampered, task), 400, csJWEInvalid)
	csPost(t, srv, "/card", csBody("not-a-jwe", task), 400, csJWEInvalid)
	csPost(t, srv, "/card", csBody(csEncrypt(t, srv, `["not","an","object"]`), task), 400, csJWEInvalid)

	// A refused request leaves the window open: the real one succeeds.
	csPost(t, srv, "/card", csBody(jwe, task), 200, csSuccess)
	updating := csWaitEvent(t, rec, "CARD_UPDATING", "ada", 1)
	updated := csWaitEvent(t, rec, "CARD_UPDATED", "ada", 1)
	for _, ev := range []map[string]any{updating, updated} {
		if strconv.FormatInt(int64(ev["task_id"].(float64)), 10) != task || ev["session_id"] == nil {
			t.Fatalf("task_id/session_id: %v", ev)
		}
		data := ev["data"].(map[string]any)
		if data["card_id"] != "card-1" {
			t.Fatalf("card_id: %v", data)
		}
		if _, has := data["subscriptions"]; has {
			t.Fatalf("DoorDash has no subscription_manager: %v", data)
		}
	}
	names := rec.Names()
	if strings.Join(names, ",") != "AUTHENTICATED,CARD_UPDATING,CARD_UPDATED" {
		t.Fatalf("events %v", names)
	}
	for _, ev := range rec.Events() {
		if strings.Contains(string(ev.Payload), csNumber) {
			t.Fatalf("webhook with card data: %s", ev.Payload)
		}
	}
	// The card came: the task takes no more.
	csPost(t, srv, "/card", csBody(jwe, task), 400, csWindowClosed)
}

// Every documented validation example, through the endpoint, in both
// variants; and a rule Knot has no example for.
func TestSwitchCardDocumentedExamples(t *testing.T) {
	srv, _ := csServer(t)
	type mod struct{ path, value string } // value "" deletes
	cases := []struct {
		name string
		mod  mod
		msg  string
	}{
		{"UserFieldRequired", mod{"user.phone_number", ""}, "The user.phone number is required."},
		{"CardNumberNotNumeric", mod{"card.number", "4242-4242-4242-4242"}, "The card.number must be numeric."},
		{"CardNumberTooLong", mod{"card.number", "42424242424242424242"}, "The card.number is too long for card type."},
		{"CardNumberTooShort", mod{"card.number", "424242424242"}, "The card.number is too short for card type."},
		{"CardNumberInvalid", mod{"card.number", "4242424242424241"}, "The card.number is invalid and does not pass the Luhn check."},
		{"CVVNotNumeric", mod{"card.cvv", "01a"}, "The card.cvv must be numeric."},
		{"CVVTooLong", mod{"card.cvv", "0123"}, "The card.cvv is too long for card type."},
		{"CVVTooShort", mod{"card.cvv", "01"}, "The card.cvv is too short for card type."},
		{"CVVRequired", mod{"card.cvv", ""}, "The card.cvv is required."},
		{"CardExpirationInvalid", mod{"card.expiration", "2030-08"}, "The card.expiration should be in MM/YYYY or MM/YY format."},
		{"CardExpired", mod{"card.expiration", "01/2020"}, "The card is expired."},
		{"no example: name too long", mod{"user.name.first_name", strings.Repeat("a", 256)}, "The user.name.first name may not be greater than 255 characters."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var p map[string]any
			if err := json.Unmarshal([]byte(csPayload), &p); err != nil {
				t.Fatal(err)
			}
			obj, keys := p, strings.Split(c.mod.path, ".")
			for _, k := range keys[:len(keys)-1] {
				obj = obj[k].(map[string]any)
			}
			if last := keys[len(keys)-1]; c.mod.value == "" {
				delete(obj, last)
			} else {
				obj[last] = c.mod.value
			}
			plaintext, _ := json.Marshal(p)
			// No such task: the card data is checked first.
			csPost(t, srv, "/card", csBody(csEncrypt(t, srv, string(plaintext)), "1"), 400,
				errBody("INVALID_REQUEST", "INVALID_JWE", c.msg))
			plain := strings.TrimSuffix(string(plaintext), "}") + `,"task_id":"1"}`
			csPost(t, srv, "/card", plain, 400, invalidField(c.msg))
		})
	}
}

func TestSwitchCardTaskErrors(t *testing.T) {
	srv, rec := csServer(t)
	jwe := csEncrypt(t, srv, csPayload)
	plain := strings.TrimSuffix(csPayload, "}")
	csPost(t, srv, "/card", `{"jwe":"`+jwe+`"}`, 400, invalidField("The task id field is required when external user id is not present."))
	csPost(t, srv, "/card", plain+`,"merchant_id":19}`, 400, invalidField("The task id field is required when external user id is not present."))
	csPost(t, srv, "/card", `{"jwe":"`+jwe+`","external_user_id":"ada"}`, 400, invalidField("The merchant id field is required when external user id is present."))
	for _, id := range []string{"999999", "abc", "+25601", "-1", "25601.0"} {
		csPost(t, srv, "/card", csBody(jwe, id), 400, csTaskNotFound)
		csPost(t, srv, "/card", plain+`,"task_id":"`+id+`"}`, 400, csTaskNotFound)
	}
	// A login that expects no card (shopping link: send_card false).
	shop := csLink(t, srv, rec, "shopper", 45, "")
	csPost(t, srv, "/card", csBody(jwe, shop), 400, csTaskNotFound)

	// Plain variant happy path, then twice.
	task := csLink(t, srv, rec, "plain", csMerchant, "card-p")
	csPost(t, srv, "/card", plain+`,"task_id":"`+task+`"}`, 200, csSuccess)
	csWaitEvent(t, rec, "CARD_UPDATED", "plain", 1)
	csPost(t, srv, "/card", plain+`,"task_id":"`+task+`"}`, 400, csWindowClosed)

	// After the window: the timer failed the switch.
	late := csLink(t, srv, rec, "late", csMerchant, "card-l")
	csAdvanceUntil(t, srv, rec, 16*time.Second, "CARD_FAILED", "late")
	failed := csWaitEvent(t, rec, "CARD_FAILED", "late", 1)
	if failed["data"].(map[string]any)["reason"] != "did not receive payment method information" {
		t.Fatalf("CARD_FAILED %v", failed)
	}
	csPost(t, srv, "/card", csBody(jwe, late), 400, csWindowClosed)
}

// Past the window before the timer fired: refused, and the handler sends
// the CARD_FAILED the timer would have sent.
func TestSwitchCardWindowOverdue(t *testing.T) {
	srv, rec := csServer(t)
	jwe := csEncrypt(t, srv, csPayload)
	task := csLink(t, srv, rec, "late", csMerchant, "c")
	// Closing the server stops its timers; its handler still serves.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Server.Close(ctx); err != nil {
		t.Fatal(err)
	}
	srv.Clock().Advance(15 * time.Second)
	csPost(t, srv, "/card", csBody(jwe, task), 400, csWindowClosed)
	ev := csWaitEvent(t, rec, "CARD_FAILED", "late", 1)
	if ev["data"].(map[string]any)["reason"] != "did not receive payment method information" {
		t.Fatalf("CARD_FAILED %v", ev)
	}
	csPost(t, srv, "/card", csBody(jwe, task), 400, csWindowClosed)
	if n := csCountEvents(rec, "CARD_FAILED", "late"); n != 1 || csCountEvents(rec, "CARD_UPDATING", "late") != 0 {
		t.Fatalf("events %v", rec.Names())
	}
}

func TestSwitchCardNoAccess(t *testing.T) {
	srv, _ := csServer(t, server.Config{Clients: []server.Client{{ID: "c", Secret: "s", Products: []string{"link"}}}})
	csPost(t, srv, "/card", csBody("x", "1"), 403, errBody("INVALID_REQUEST", "NO_ACCESS", "Please contact Knot for access to this endpoint."))
}

func TestCardUpdater(t *testing.T) {
	srv, rec := csServer(t)
	jwe := csEncrypt(t, srv, csPayload)
	upd := func(user string, merchant int) string {
		return `{"jwe":"` + jwe + `","external_user_id":"` + user + `","merchant_id":` + strconv.Itoa(merchant) + `,"card_name":"My Credit Card","customer_name":"John Doe"}`
	}
	csLink(t, srv, rec, "ada", csMerchant, "card-1")
	csPost(t, srv, "/card", upd("ada", csMerchant), 200, csSuccess)
	updating := csWaitEvent(t, rec, "CARD_UPDATING", "ada", 1)
	updated := csWaitEvent(t, rec, "CARD_UPDATED", "ada", 1)
	for _, ev := range []map[string]any{updating, updated} {
		if _, has := ev["session_id"]; has {
			t.Fatalf("CardUpdater event with a session: %v", ev)
		}
		if id, ok := ev["task_id"].(float64); !ok || id <= 0 {
			t.Fatalf("task_id %v", ev["task_id"])
		}
	}
	// Plain variant.
	plain := strings.TrimSuffix(csPayload, "}") + `,"external_user_id":"ada","merchant_id":19}`
	csPost(t, srv, "/card", plain, 200, csSuccess)
	csWaitEvent(t, rec, "CARD_UPDATED", "ada", 2)

	csPost(t, srv, "/card", upd("ada", 999999), 400, invalidField("The selected merchant id is invalid."))
	csPost(t, srv, "/card", upd("nobody", csMerchant), 400, errBody("USER_ERROR", "USER_NOT_FOUND", "The selected external user id is invalid."))
	notFound := errBody("MERCHANT_ACCOUNT_ERROR", "MERCHANT_ACCOUNT_NOT_FOUND", "No merchant account was found for this user and merchant.")
	csPost(t, srv, "/card", upd("ada", 12), 400, notFound)
	// Linked without CardSwitcher: no update_card scope.
	csLink(t, srv, rec, "shopper", 45, "")
	csPost(t, srv, "/card", upd("shopper", 45), 400, notFound)
	csPost(t, srv, "/development/accounts/disconnect", `{"external_user_id":"ada","merchant_id":19}`, 200, csSuccess)
	csPost(t, srv, "/card", upd("ada", csMerchant), 400,
		errBody("MERCHANT_ACCOUNT_ERROR", "MERCHANT_ACCOUNT_DISCONNECTED", "The merchant account is disconnected. The user must log in again."))
}

// The card object of Create Session decides the outcome.
func TestSwitchCardSessionCard(t *testing.T) {
	srv, rec := csServer(t)
	jwe := csEncrypt(t, srv, csPayload)
	for _, c := range []struct{ card, reason string }{
		{`{"blocked":true}`, "card"},
		{`{"has_funds":false}`, "insufficient funds"},
		{`{"blocked":false,"has_funds":true}`, ""},
	} {
		user := "u" + strconv.Itoa(len(c.reason))
		sess := sessionID(t, srv.Post(t, "/session/create",
			`{"type":"card_switcher","external_user_id":"`+user+`","card_id":"c1","card":`+c.card+`}`))
		r := srv.Post(t, "/_mock/webhooks/trigger",
			`{"event":"AUTHENTICATED","session_id":"`+sess+`","external_user_id":"`+user+`","merchant_id":19,"send_card":true}`)
		if r.Status != 202 {
			t.Fatalf("trigger: %d %s", r.Status, r.Body)
		}
		auth := csWaitEvent(t, rec, "AUTHENTICATED", user, 1)
		task := strconv.FormatInt(int64(auth["task_id"].(float64)), 10)
		csPost(t, srv, "/card", csBody(jwe, task), 200, csSuccess)
		if c.reason == "" {
			csWaitEvent(t, rec, "CARD_UPDATED", user, 1)
			continue
		}
		ev := csWaitEvent(t, rec, "CARD_FAILED", user, 1)
		if got := ev["data"].(map[string]any)["reason"]; got != c.reason || ev["session_id"] != sess {
			t.Fatalf("CARD_FAILED %v, want reason %q", ev, c.reason)
		}
	}
}

// With SubscriptionManager, CARD_UPDATED lists the subscriptions found at a
// merchant that supports it.
func TestSwitchCardSubscriptions(t *testing.T) {
	for _, enabled := range []bool{true, false} {
		cfg := server.Config{AsyncDelay: time.Millisecond}
		if !enabled {
			cfg.Clients = []server.Client{{ID: "c", Secret: "s", Products: []string{"card_switcher"}}}
		}
		srv, rec := csServer(t, cfg)
		task := csLink(t, srv, rec, "ada", 18, "card-1") // Hulu
		csPost(t, srv, "/card", csBody(csEncrypt(t, srv, csPayload), task), 200, csSuccess)
		data := csWaitEvent(t, rec, "CARD_UPDATED", "ada", 1)["data"].(map[string]any)
		subs, has := data["subscriptions"].([]any)
		if !enabled {
			if has {
				t.Fatalf("subscriptions without SubscriptionManager: %v", data)
			}
			continue
		}
		if len(subs) == 0 {
			t.Fatalf("no subscriptions: %v", data)
		}
		for _, s := range subs {
			id := s.(map[string]any)["id"].(string)
			if r := srv.Get(t, "/subscriptions/"+id); r.Status != 200 || !strings.Contains(r.Body, id) {
				t.Fatalf("GET /subscriptions/%s: %d %.200s", id, r.Status, r.Body)
			}
		}
	}
}
