// Package e2e runs the sandbox's SDK page in headless Chromium with the
// genuine knotapi-js (from npm) and with the sandbox's drop-in script, and
// checks the callbacks an integrator's app receives, in order. run.mjs
// drives the browser (flows.mjs); these tests start the sandbox, create
// sessions and play the integrator's backend (card data, webhooks).
//
// Needs /usr/bin/chromium, node and `npm ci --prefix e2e`; skipped without
// them unless KNOTMOCK_E2E=require. KNOTMOCK_E2E_SCREENSHOTS=1 rewrites
// docs/sdk-merchants.png and docs/sdk-login.png.
package e2e

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/knotmock/knotmock/server/card"
)

const testCard = `{"user":{"name":{"first_name":"Ada","last_name":"Lovelace"},` +
	`"address":{"street":"100 Main Street","street2":"#100","city":"NEW YORK","region":"NY","postal_code":"12345","country":"US"},` +
	`"phone_number":"+11234567890"},"card":{"number":"4242424242424242","expiration":"08/2030","cvv":"012"}}`

// A card switch: the merchant list, search, login, AUTHENTICATED with
// sendCard, onSuccess, Done; then the backend sends the card and gets
// CARD_UPDATED, signed.
func TestCardSwitch(t *testing.T) {
	node := needBrowser(t)
	s := newSandbox(t)
	sid := s.session(t, "card_switcher", "e2e_switch")
	r := s.run(t, node, "card-switch", map[string]any{"sessionId": sid})
	expectCalls(t, r, "onEvent MERCHANT_CLICKED", "onEvent LOGIN_STARTED", "onEvent AUTHENTICATED", "onSuccess", "onExit")

	auth := r.find(t, "onEvent AUTHENTICATED").Arg
	meta, _ := auth["metaData"].(map[string]any)
	if auth["merchant"] != "DoorDash" || auth["merchantId"] != float64(19) || auth["product"] != "card_switcher" ||
		auth["environment"] != "development" || meta["sendCard"] != true {
		t.Fatalf("AUTHENTICATED: %v", auth)
	}
	taskID, ok := auth["taskId"].(float64)
	if !ok || taskID <= 0 {
		t.Fatalf("AUTHENTICATED has no taskId: %v", auth)
	}
	if succ := r.find(t, "onSuccess").Arg; succ["merchant"] != "DoorDash" || succ["product"] != "card_switcher" {
		t.Fatalf("onSuccess: %v", succ)
	}
	if clicked := r.find(t, "onEvent MERCHANT_CLICKED").Arg; clicked["merchantId"] != float64(19) {
		t.Fatalf("MERCHANT_CLICKED: %v", clicked)
	}

	// The backend's part: AUTHENTICATED webhook, card data, CARD_UPDATED.
	if h := s.hooks.wait(t, "e2e_switch", "AUTHENTICATED", 5*time.Second); h.TaskID != int64(taskID) || !h.signed {
		t.Fatalf("AUTHENTICATED webhook: task %d signed %v %s", h.TaskID, h.signed, h.body)
	}
	key := s.Get(t, "/jwe/key")
	jwe, err := card.Encrypt([]byte(key.Body), []byte(testCard))
	if err != nil {
		t.Fatal(err)
	}
	if resp := s.Post(t, "/card", fmt.Sprintf(`{"task_id":"%d","jwe":%q}`, int64(taskID), jwe)); resp.Status != 200 {
		t.Fatalf("POST /card: %d %s", resp.Status, resp.Body)
	}
	h := s.hooks.wait(t, "e2e_switch", "CARD_UPDATED", 10*time.Second)
	if !h.signed || h.TaskID != int64(taskID) || h.SessionID != sid {
		t.Fatalf("CARD_UPDATED: signed %v task %d session %q: %s", h.signed, h.TaskID, h.SessionID, h.body)
	}
	expectAnalytics(t, s, sid, "identify", "SDK Opened", "SDK Closed")
}

func TestOTP(t *testing.T) {
	node := needBrowser(t)
	s := newSandbox(t)
	r := s.run(t, node, "otp", map[string]any{"sessionId": s.session(t, "card_switcher", "e2e_otp"), "merchantIds": []int{19}})
	expectCalls(t, r, "onEvent MERCHANT_CLICKED", "onEvent LOGIN_STARTED", "onEvent OTP_REQUIRED", "onEvent AUTHENTICATED", "onSuccess")
	s.hooks.wait(t, "e2e_otp", "AUTHENTICATED", 5*time.Second)
}

func TestWrongOTP(t *testing.T) {
	node := needBrowser(t)
	s := newSandbox(t)
	r := s.run(t, node, "wrong-otp", map[string]any{"sessionId": s.session(t, "card_switcher", "e2e_wrong_otp"), "merchantIds": []int{19}})
	expectCalls(t, r, "onEvent MERCHANT_CLICKED", "onEvent LOGIN_STARTED", "onEvent OTP_REQUIRED",
		"onEvent OTP_REQUIRED", "onEvent AUTHENTICATED", "onSuccess")
	s.hooks.wait(t, "e2e_wrong_otp", "OTP_FAILED", 5*time.Second)
}

func TestSecurityQuestions(t *testing.T) {
	node := needBrowser(t)
	s := newSandbox(t)
	r := s.run(t, node, "questions", map[string]any{"sessionId": s.session(t, "card_switcher", "e2e_questions"), "merchantIds": []int{19}})
	expectCalls(t, r, "onEvent MERCHANT_CLICKED", "onEvent LOGIN_STARTED", "onEvent QUESTIONS_REQUIRED", "onEvent AUTHENTICATED", "onSuccess")
}

// Invalid credentials: an error on the login form, no onSuccess; Escape
// closes.
func TestFailedLogin(t *testing.T) {
	node := needBrowser(t)
	s := newSandbox(t)
	r := s.run(t, node, "failed", map[string]any{"sessionId": s.session(t, "card_switcher", "e2e_failed"), "merchantIds": []int{19}})
	expectCalls(t, r, "onEvent MERCHANT_CLICKED", "onEvent LOGIN_STARTED", "onExit")
	s.hooks.wait(t, "e2e_failed", "CREDENTIALS_FAILED", 5*time.Second)
}

func TestInvalidSession(t *testing.T) {
	node := needBrowser(t)
	s := newSandbox(t)
	r := s.run(t, node, "invalid-session", map[string]any{"sessionId": "not-a-session", "merchantIds": []int{19}})
	expectCalls(t, r, "onError", "onExit")
	if e := r.Calls[0].Arg; e["errorCode"] != "INVALID_SESSION" || e["errorDescription"] != "The session ID is invalid." {
		t.Fatalf("onError: %v", e)
	}
}

// Closing from the login form: onExit, and knotapi-js removes its frame.
func TestClose(t *testing.T) {
	node := needBrowser(t)
	s := newSandbox(t)
	sid := s.session(t, "card_switcher", "e2e_close")
	r := s.run(t, node, "close", map[string]any{"sessionId": sid, "merchantIds": []int{19}})
	expectCalls(t, r, "onEvent MERCHANT_CLICKED", "onExit")
	expectAnalytics(t, s, sid, "identify", "SDK Opened", "SDK Closed")
}

// The drop-in script: the app loads /sdk/knotapi.js (or imports
// /sdk/knotapi.mjs) from the sandbox instead of knotapi-js; nothing is
// routed.
func TestDropInScript(t *testing.T) {
	node := needBrowser(t)
	for _, script := range []string{"knotapi.js", "knotapi.mjs"} {
		t.Run(script, func(t *testing.T) {
			s := newSandbox(t)
			sid := s.session(t, "card_switcher", "e2e_dropin")
			r := s.run(t, node, "dropin", map[string]any{"sessionId": sid, "merchantIds": []int{19}, "dropin": script})
			expectCalls(t, r, "onEvent MERCHANT_CLICKED", "onEvent LOGIN_STARTED", "onEvent OTP_REQUIRED", "onEvent AUTHENTICATED", "onSuccess", "onExit")
			auth := r.find(t, "onEvent AUTHENTICATED").Arg
			if auth["metaData"].(map[string]any)["sendCard"] != true || auth["product"] != "card_switcher" || auth["environment"] != "development" {
				t.Fatalf("AUTHENTICATED: %v", auth)
			}
			expectAnalytics(t, s, sid, "identify", "SDK Opened", "SDK Closed")
		})
	}
}

// expectAnalytics checks the knotapi-js analytics the sandbox journaled
// for a session: identify, then the tracked events, in order.
func expectAnalytics(t *testing.T, s *sandbox, sid string, want ...string) {
	t.Helper()
	var got []string
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		r := s.Get(t, "/_mock/sdk/analytics")
		var out struct {
			Calls []struct {
				Type      string `json:"type"`
				SessionID string `json:"session_id"`
				Event     struct {
					Event string `json:"event"`
				} `json:"event"`
			} `json:"calls"`
		}
		if err := json.Unmarshal([]byte(r.Body), &out); err != nil {
			t.Fatalf("analytics: %d %s", r.Status, r.Body)
		}
		got = got[:0]
		for _, c := range out.Calls {
			if c.SessionID != sid {
				continue
			}
			if c.Type == "identify" {
				got = append(got, "identify")
			} else {
				got = append(got, c.Event.Event)
			}
		}
		if strings.Join(got, ",") == strings.Join(want, ",") || time.Now().After(deadline) {
			break
		}
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("analytics for the session: %v, want %v", got, want)
	}
}

// Later events come through the page's long poll: REFRESH_SESSION_REQUEST
// 5 s before the session expires, then the expiry as onError.
func TestSessionExpiry(t *testing.T) {
	node := needBrowser(t)
	s := newSandbox(t)
	r := s.run(t, node, "expiry", map[string]any{"sessionId": s.session(t, "card_switcher", "e2e_expiry"), "merchantIds": []int{19}})
	expectCalls(t, r, "onEvent MERCHANT_CLICKED", "onEvent REFRESH_SESSION_REQUEST", "onError")
	if e := r.find(t, "onError").Arg; e["errorCode"] != "EXPIRED_SESSION" || e["errorDescription"] != "The session has expired." {
		t.Fatalf("onError: %v", e)
	}
}

// merchantIds with two merchants, useSearch and useCategories off, Back;
// a TransactionLink session, whose login brings transactions.
func TestOptionsAndTransactionLink(t *testing.T) {
	node := needBrowser(t)
	s := newSandbox(t)
	r := s.run(t, node, "options", map[string]any{
		"sessionId": s.session(t, "transaction_link", "e2e_options"), "merchantIds": []int{44, 19},
		"useSearch": false, "useCategories": false,
	})
	expectCalls(t, r, "onEvent MERCHANT_CLICKED", "onEvent MERCHANT_CLICKED", "onEvent LOGIN_STARTED", "onEvent AUTHENTICATED", "onSuccess")
	if first := r.Calls[0].Arg; first["merchant"] != "Amazon" || first["product"] != "transaction_link" {
		t.Fatalf("first MERCHANT_CLICKED: %v", first)
	}
	if auth := r.find(t, "onEvent AUTHENTICATED").Arg; auth["merchant"] != "DoorDash" || auth["metaData"].(map[string]any)["sendCard"] != false {
		t.Fatalf("AUTHENTICATED: %v", auth)
	}
	if succ := r.find(t, "onSuccess").Arg; succ["product"] != "transaction_link" {
		t.Fatalf("onSuccess: %v", succ)
	}
	s.hooks.wait(t, "e2e_options", "NEW_TRANSACTIONS_AVAILABLE", 10*time.Second)
}

func TestApproval(t *testing.T) {
	node := needBrowser(t)
	s := newSandbox(t)
	r := s.run(t, node, "approval", map[string]any{"sessionId": s.session(t, "card_switcher", "e2e_approval"), "merchantIds": []int{19}})
	expectCalls(t, r, "onEvent MERCHANT_CLICKED", "onEvent LOGIN_STARTED", "onEvent APPROVAL_REQUIRED",
		"onEvent LOGIN_STARTED", "onEvent APPROVAL_REQUIRED", "onEvent AUTHENTICATED", "onSuccess")
}
