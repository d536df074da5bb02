package server_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/knotmock/knotmock/server"
	"github.com/knotmock/knotmock/server/servertest"
)

// flowState is the part of the headless API's flow state the tests read.
type flowState struct {
	ID     string `json:"id"`
	Status string `json:"status"`
	Screen struct {
		Error     string   `json:"error"`
		Questions []string `json:"questions"`
	} `json:"screen"`
	TaskID *int64 `json:"task_id"`
	Events []struct {
		Event    string            `json:"event"`
		TaskID   *int64            `json:"taskId"`
		SendCard *bool             `json:"sendCard"`
		MetaData map[string]string `json:"metaData"`
	} `json:"events"`
	Result map[string]any `json:"result"`
	Error  map[string]any `json:"error"`
}

func (f flowState) sdkEvents() string {
	var names []string
	for _, e := range f.Events {
		names = append(names, e.Event)
	}
	return strings.Join(names, ",")
}

// sdkCall calls the headless SDK API and decodes the flow state.
func sdkCall(t *testing.T, srv *servertest.Server, method, path, body string, status int) flowState {
	t.Helper()
	r := srv.Do(t, method, path, body, "Authorization", "")
	if r.Status != status {
		t.Fatalf("%s %s: %d %s", method, path, r.Status, r.Body)
	}
	var f flowState
	if err := json.Unmarshal([]byte(r.Body), &f); err != nil {
		t.Fatalf("%s: %v", r.Body, err)
	}
	return f
}

// hooksOf lists the webhooks sent for a user, in order.
func hooksOf(rec *servertest.Recorder, user string) string {
	var names []string
	for _, ev := range rec.Events() {
		if ev.ExternalUserID == user {
			names = append(names, ev.Name)
		}
	}
	return strings.Join(names, ",")
}

func lastHook(t *testing.T, rec *servertest.Recorder, user, name string) map[string]any {
	t.Helper()
	evs := rec.Events()
	for i := len(evs) - 1; i >= 0; i-- {
		if evs[i].ExternalUserID == user && evs[i].Name == name {
			var m map[string]any
			_ = json.Unmarshal(evs[i].Payload, &m)
			return m
		}
	}
	t.Fatalf("no %s for %s; got %s", name, user, hooksOf(rec, user))
	return nil
}

// waitHooks waits until the user's webhooks are exactly want.
func waitHooks(t *testing.T, rec *servertest.Recorder, user, want string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for hooksOf(rec, user) != want {
		if time.Now().After(deadline) {
			t.Fatalf("webhooks for %s: %s\nwant %s", user, hooksOf(rec, user), want)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func flowServer(t *testing.T, scale float64) (*servertest.Server, *servertest.Recorder) {
	srv := servertest.New(t, server.Config{AsyncDelay: time.Millisecond, TimeScale: scale, CardWindow: 5 * time.Second})
	return srv, srv.Record(t)
}

// openFlow creates a session and opens the SDK flow for a merchant.
func openFlow(t *testing.T, srv *servertest.Server, product, user string, merchant int) flowState {
	t.Helper()
	body := fmt.Sprintf(`{"type":%q,"external_user_id":%q,"card_id":"card_1","metadata":{"trace_id":"t-1"}}`, product, user)
	sid := sessionID(t, srv.Post(t, "/session/create", body))
	return sdkCall(t, srv, "POST", "/_mock/sdk/flows",
		fmt.Sprintf(`{"sessionId":%q,"clientId":%q,"merchantId":%d,"metadata":{"sdk_key":"s"}}`, sid, srv.ClientID, merchant), 201)
}

func login(t *testing.T, srv *servertest.Server, f flowState, user, pass string) flowState {
	t.Helper()
	return sdkCall(t, srv, "POST", "/_mock/sdk/flows/"+f.ID+"/login", fmt.Sprintf(`{"username":%q,"password":%q}`, user, pass), 200)
}

func input(t *testing.T, srv *servertest.Server, f flowState, body string) flowState {
	t.Helper()
	return sdkCall(t, srv, "POST", "/_mock/sdk/flows/"+f.ID+"/input", body, 200)
}

// postPlainCard sends the documented test card for a task (plain variant).
func postPlainCard(t *testing.T, srv *servertest.Server, taskID int64) {
	t.Helper()
	body := fmt.Sprintf(`{"task_id":"%d","user":{"name":{"first_name":"Ada","last_name":"Lovelace"},"address":{"street":"100 Main Street","street2":"#100","city":"NEW YORK","region":"NY","postal_code":"12345","country":"US"},"phone_number":"+11234567890"},"card":{"number":"4242424242424242","expiration":"08/2030","cvv":"012"}}`, taskID)
	if r := srv.Post(t, "/card", body); r.Status != 200 {
		t.Fatalf("card: %d %s", r.Status, r.Body)
	}
}

func expectFlow(t *testing.T, f flowState, status, sdk string) {
	t.Helper()
	if f.Status != status || f.sdkEvents() != sdk {
		t.Fatalf("flow %s with SDK events %s (screen %+v)\nwant %s with %s", f.Status, f.sdkEvents(), f.Screen, status, sdk)
	}
}

// Every built-in scenario, end to end through the headless SDK API: the
// SDK events the page would pass to onEvent, the webhooks, and the state.
func TestBuiltinScenariosThroughTheHeadlessAPI(t *testing.T) {
	srv, rec := flowServer(t, 0.001)
	const mc = "MERCHANT_CLICKED,LOGIN_STARTED"

	t.Run("success", func(t *testing.T) {
		f := login(t, srv, openFlow(t, srv, "card_switcher", "s_success", 19), "user_good", "pass_good")
		expectFlow(t, f, "success", mc+",AUTHENTICATED")
		if ev := f.Events[2]; ev.SendCard == nil || !*ev.SendCard || ev.TaskID == nil || *ev.TaskID != *f.TaskID {
			t.Fatalf("AUTHENTICATED SDK event: %+v", ev)
		}
		waitHooks(t, rec, "s_success", "AUTHENTICATED")
		auth := lastHook(t, rec, "s_success", "AUTHENTICATED")
		data := auth["data"].(map[string]any)
		if data["send_card"] != true || data["card_id"] != "card_1" || auth["task_id"] != float64(*f.TaskID) ||
			data["metadata"].(map[string]any)["trace_id"] != "t-1" || data["metadata"].(map[string]any)["sdk_key"] != "s" {
			t.Fatalf("AUTHENTICATED webhook: %v", auth)
		}
		if f.Result["merchant"] != "DoorDash" || f.Result["product"] != "card_switcher" {
			t.Fatalf("result %v", f.Result)
		}
		postPlainCard(t, srv, *f.TaskID)
		waitHooks(t, rec, "s_success", "AUTHENTICATED,CARD_UPDATING,CARD_UPDATED")
	})

	t.Run("otp", func(t *testing.T) {
		f := login(t, srv, openFlow(t, srv, "card_switcher", "s_otp", 19), "user_good", "pass_otp")
		expectFlow(t, f, "otp", mc+",OTP_REQUIRED")
		f = input(t, srv, f, `{"kind":"otp","value":"0000"}`)
		expectFlow(t, f, "otp", mc+",OTP_REQUIRED,OTP_REQUIRED")
		if f.Screen.Error != "That code is incorrect. Try again." {
			t.Fatalf("screen %+v", f.Screen)
		}
		f = input(t, srv, f, `{"kind":"otp","value":"1234"}`)
		expectFlow(t, f, "success", mc+",OTP_REQUIRED,OTP_REQUIRED,AUTHENTICATED")
		waitHooks(t, rec, "s_otp", "OTP_REQUIRED,OTP_FAILED,AUTHENTICATED")
		if otp := lastHook(t, rec, "s_otp", "OTP_REQUIRED"); otp["task_id"] != float64(*f.TaskID) {
			t.Fatalf("OTP_REQUIRED not of the login's task: %v", otp)
		}
	})

	for _, c := range []struct{ user, pass, reason, message string }{
		{"account", "failed", "account", "There is a problem with this merchant account."},
		{"merchant", "failed", "other", "This merchant is not available right now. Try again later."},
		{"too many attempts", "failed", "too many attempts", "Too many login attempts. Try again later."},
	} {
		t.Run(c.user, func(t *testing.T) {
			user := "s_" + strings.ReplaceAll(c.user, " ", "_")
			f := login(t, srv, openFlow(t, srv, "card_switcher", user, 19), c.user, c.pass)
			expectFlow(t, f, "error", mc)
			if f.Error["message"] != c.message {
				t.Fatalf("error %v", f.Error)
			}
			waitHooks(t, rec, user, "CARD_FAILED")
			if r := lastHook(t, rec, user, "CARD_FAILED")["data"].(map[string]any)["reason"]; r != c.reason {
				t.Fatalf("reason %v", r)
			}
		})
	}

	for _, c := range []struct{ user, reason string }{
		{"card not supported", "card"}, {"insufficient funds", "insufficient funds"},
		{"subscription", "subscription"}, {"subscription admin", "subscription admin"},
	} {
		t.Run(c.user, func(t *testing.T) {
			user := "s_" + strings.ReplaceAll(c.user, " ", "_")
			f := login(t, srv, openFlow(t, srv, "card_switcher", user, 19), c.user, "failed")
			expectFlow(t, f, "success", mc+",AUTHENTICATED")
			postPlainCard(t, srv, *f.TaskID)
			waitHooks(t, rec, user, "AUTHENTICATED,CARD_UPDATING,CARD_FAILED")
			if r := lastHook(t, rec, user, "CARD_FAILED")["data"].(map[string]any)["reason"]; r != c.reason {
				t.Fatalf("reason %v", r)
			}
		})
	}

	for _, c := range []struct{ user, pass string }{{"credentials", "failed"}, {"nobody", "whatever"}} {
		t.Run("login error "+c.user, func(t *testing.T) {
			user := "s_login_" + c.user
			f := login(t, srv, openFlow(t, srv, "card_switcher", user, 19), c.user, c.pass)
			expectFlow(t, f, "login", mc)
			if f.Screen.Error != "The username or password is incorrect." {
				t.Fatalf("screen %+v", f.Screen)
			}
			f = login(t, srv, f, "user_good", "pass_good") // the user may try again
			expectFlow(t, f, "success", mc+",LOGIN_STARTED,AUTHENTICATED")
			waitHooks(t, rec, user, "CREDENTIALS_FAILED,AUTHENTICATED")
		})
	}

	t.Run("keychain", func(t *testing.T) {
		f := login(t, srv, openFlow(t, srv, "card_switcher", "s_keychain", 19), "keychain", "pass_good")
		expectFlow(t, f, "success", mc+",AUTHENTICATED")
		waitHooks(t, rec, "s_keychain", "ACCOUNTS_RETRIEVED,AUTHENTICATED")
		f = login(t, srv, openFlow(t, srv, "card_switcher", "s_keychain0", 19), "keychain", "no_accounts")
		expectFlow(t, f, "error", mc)
	})

	t.Run("transactions", func(t *testing.T) {
		f := login(t, srv, openFlow(t, srv, "transaction_link", "s_tx", 19), "user_good_transactions", "pass_good")
		expectFlow(t, f, "success", mc+",AUTHENTICATED")
		waitHooks(t, rec, "s_tx", "AUTHENTICATED,NEW_TRANSACTIONS_AVAILABLE")
		if n := countTransactions(t, srv, "s_tx", 19); n != 205 {
			t.Fatalf("%d transactions", n)
		}
		f = login(t, srv, openFlow(t, srv, "transaction_link", "s_tx_up", 19), "user_good_transactions", "pass_good_updates")
		waitHooks(t, rec, "s_tx_up", "AUTHENTICATED,NEW_TRANSACTIONS_AVAILABLE,UPDATED_TRANSACTIONS_AVAILABLE")
		if up := lastHook(t, rec, "s_tx_up", "UPDATED_TRANSACTIONS_AVAILABLE")["updated"].([]any); len(up) != 3 {
			t.Fatalf("updated %v", up)
		}
	})

	t.Run("vault", func(t *testing.T) {
		f := login(t, srv, openFlow(t, srv, "vault", "s_vault", 19), "user_good_vault", "pass_good")
		expectFlow(t, f, "success", mc+",AUTHENTICATED")
		waitHooks(t, rec, "s_vault", "AUTHENTICATED,VAULTING_SUCCEEDED")
		f = login(t, srv, openFlow(t, srv, "vault", "s_vault_bad", 19), "user_good_vault", "failed")
		expectFlow(t, f, "error", mc+",AUTHENTICATED")
		waitHooks(t, rec, "s_vault_bad", "AUTHENTICATED,VAULTING_FAILED")
	})

	t.Run("shopping failed", func(t *testing.T) {
		f := login(t, srv, openFlow(t, srv, "link", "s_shop", 45), "user_good", "pass_cart_failed")
		expectFlow(t, f, "success", mc+",AUTHENTICATED")
		waitHooks(t, rec, "s_shop", "AUTHENTICATED")
		if r := srv.Post(t, "/cart", `{"external_user_id":"s_shop","merchant_id":45,"products":[{"external_id":"p1"}]}`); r.Status != 202 {
			t.Fatalf("cart: %d %s", r.Status, r.Body)
		}
		waitHooks(t, rec, "s_shop", "AUTHENTICATED,SYNC_CART_FAILED")
		if reason := lastHook(t, rec, "s_shop", "SYNC_CART_FAILED")["data"].(map[string]any)["reason"]; reason != "product out of stock" {
			t.Fatalf("reason %v", reason)
		}
	})

	t.Run("detect", func(t *testing.T) {
		login(t, srv, openFlow(t, srv, "card_switcher", "s_detect", 19), "user_good", "pass_detect")
		waitHooks(t, rec, "s_detect", "AUTHENTICATED,NEW_DETECTED_ACCOUNTS_AVAILABLE")
	})

	t.Run("merchant down", func(t *testing.T) {
		f := login(t, srv, openFlow(t, srv, "card_switcher", "s_down", 19), "user_good", "pass_merchant_down")
		expectFlow(t, f, "error", mc)
		if f.Error["message"] != "This merchant is temporarily unavailable." {
			t.Fatalf("error %v", f.Error)
		}
	})

	t.Run("security questions", func(t *testing.T) {
		f := login(t, srv, openFlow(t, srv, "card_switcher", "s_questions", 19), "user_good", "pass_questions")
		expectFlow(t, f, "questions", mc+",QUESTIONS_REQUIRED")
		if len(f.Screen.Questions) != 2 {
			t.Fatalf("questions %v", f.Screen.Questions)
		}
		f = input(t, srv, f, `{"kind":"questions","answers":["rex","paris"]}`)
		expectFlow(t, f, "questions", mc+",QUESTIONS_REQUIRED,QUESTIONS_REQUIRED")
		f = input(t, srv, f, `{"kind":"questions","answers":[" Fluffy ","PARIS"]}`)
		expectFlow(t, f, "success", mc+",QUESTIONS_REQUIRED,QUESTIONS_REQUIRED,AUTHENTICATED")
		waitHooks(t, rec, "s_questions", "QUESTIONS_REQUIRED,QUESTIONS_FAILED,AUTHENTICATED")
	})

	t.Run("approval", func(t *testing.T) {
		f := login(t, srv, openFlow(t, srv, "card_switcher", "s_approval", 19), "user_good", "pass_approval")
		expectFlow(t, f, "approval", mc+",APPROVAL_REQUIRED")
		f = input(t, srv, f, `{"kind":"approval","approved":false}`)
		expectFlow(t, f, "login", mc+",APPROVAL_REQUIRED")
		f = login(t, srv, f, "user_good", "pass_approval")
		f = input(t, srv, f, `{"kind":"approval","approved":true}`)
		expectFlow(t, f, "success", mc+",APPROVAL_REQUIRED,LOGIN_STARTED,APPROVAL_REQUIRED,AUTHENTICATED")
		waitHooks(t, rec, "s_approval", "LOGIN_APPROVAL,LOGIN_APPROVAL,AUTHENTICATED")
	})

	t.Run("license and zip code", func(t *testing.T) {
		f := login(t, srv, openFlow(t, srv, "card_switcher", "s_license", 19), "user_good", "pass_license")
		expectFlow(t, f, "license", mc+",LICENSE_REQUIRED")
		f = input(t, srv, f, `{"kind":"license","value":"X"}`)
		f = input(t, srv, f, `{"kind":"license","value":"D1234567"}`)
		expectFlow(t, f, "success", mc+",LICENSE_REQUIRED,LICENSE_REQUIRED,AUTHENTICATED")
		waitHooks(t, rec, "s_license", "LICENSE_REQUIRED,LICENSE_FAILED,AUTHENTICATED")
		f = login(t, srv, openFlow(t, srv, "card_switcher", "s_zip", 19), "user_good", "pass_zipcode")
		expectFlow(t, f, "zipcode", mc+",ZIPCODE_REQUIRED")
		f = input(t, srv, f, `{"kind":"zipcode","value":"10001"}`)
		expectFlow(t, f, "success", mc+",ZIPCODE_REQUIRED,AUTHENTICATED")
	})

	t.Run("input of the wrong kind", func(t *testing.T) {
		f := login(t, srv, openFlow(t, srv, "card_switcher", "s_kind", 19), "user_good", "pass_otp")
		r := srv.Post(t, "/_mock/sdk/flows/"+f.ID+"/input", `{"kind":"zipcode","value":"1"}`)
		if r.Status != 409 || r.Body != `{"errorCode":"FLOW_STATE","message":"The flow is otp and cannot take this step now."}` {
			t.Fatalf("%d %s", r.Status, r.Body)
		}
	})
}

// countTransactions pages through Sync Transactions.
func countTransactions(t *testing.T, srv *servertest.Server, user string, merchant int) int {
	t.Helper()
	n := 0
	body := fmt.Sprintf(`{"merchant_id":%d,"external_user_id":%q}`, merchant, user)
	for {
		r := srv.Post(t, "/transactions/sync", body)
		var page struct {
			Transactions []json.RawMessage `json:"transactions"`
			NextCursor   *string           `json:"next_cursor"`
		}
		if r.Status != 200 || json.Unmarshal([]byte(r.Body), &page) != nil {
			t.Fatalf("sync: %d %.300s", r.Status, r.Body)
		}
		n += len(page.Transactions)
		if page.NextCursor == nil {
			return n
		}
		body = fmt.Sprintf(`{"merchant_id":%d,"external_user_id":%q,"cursor":%q}`, merchant, user, *page.NextCursor)
	}
}
