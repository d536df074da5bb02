package server_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/knotmock/knotmock/server"
	"github.com/knotmock/knotmock/server/servertest"
)

// waitFlow polls a flow until its status is want (the runner works in the
// background).
func waitFlow(t *testing.T, srv *servertest.Server, f flowState, want string) flowState {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		f = sdkCall(t, srv, "GET", "/_mock/sdk/flows/"+f.ID+"?after=-1", "", 200)
		if f.Status == want {
			return f
		}
		if time.Now().After(deadline) {
			t.Fatalf("flow is %s, want %s (events %s)", f.Status, want, f.sdkEvents())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// A login slower than the session: REFRESH_SESSION_REQUEST 5 s before the
// 30 minutes are up, then the flow ends with the session; extending the
// session in time keeps it going.
func TestSessionExpiryDuringAFlow(t *testing.T) {
	srv, _ := flowServer(t, 1) // unscaled: only the clock moves time
	f := login(t, srv, openFlow(t, srv, "card_switcher", "x_slow", 19), "user_good", "pass_slow")
	expectFlow(t, f, "working", "MERCHANT_CLICKED,LOGIN_STARTED")
	srv.Clock().Advance(29*time.Minute + 56*time.Second)
	f = waitEvents(t, srv, f, "MERCHANT_CLICKED,LOGIN_STARTED,REFRESH_SESSION_REQUEST")
	srv.Clock().Advance(10 * time.Second)
	f = waitFlow(t, srv, f, "error")
	if f.Error["message"] != "The session has expired." || f.Error["errorCode"] != "Session_Expired" {
		t.Fatalf("error %v", f.Error)
	}
	// Regression: finished flows are forgotten 10 minutes later.
	srv.Clock().Advance(11 * time.Minute)
	deadline := time.Now().Add(5 * time.Second)
	for srv.Get(t, "/_mock/sdk/flows/"+f.ID).Status != 404 {
		if time.Now().After(deadline) {
			t.Fatal("the expired flow is still kept")
		}
		time.Sleep(5 * time.Millisecond)
	}

	// Extended in time: the login finishes after its 31 minutes.
	sid := sessionID(t, srv.Post(t, "/session/create", `{"type":"card_switcher","external_user_id":"x_extended","card_id":"c"}`))
	g := sdkCall(t, srv, "POST", "/_mock/sdk/flows", `{"sessionId":"`+sid+`","clientId":"`+srv.ClientID+`","merchantId":19}`, 201)
	g = login(t, srv, g, "user_good", "pass_slow")
	srv.Clock().Advance(29*time.Minute + 56*time.Second)
	waitEvents(t, srv, g, "MERCHANT_CLICKED,LOGIN_STARTED,REFRESH_SESSION_REQUEST")
	if r := srv.Post(t, "/session/extend", `{"session_id":"`+sid+`"}`); r.Status != 200 {
		t.Fatalf("extend: %d %s", r.Status, r.Body)
	}
	srv.Clock().Advance(2 * time.Minute)
	waitFlow(t, srv, g, "success")
}

func waitEvents(t *testing.T, srv *servertest.Server, f flowState, want string) flowState {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		f = sdkCall(t, srv, "GET", "/_mock/sdk/flows/"+f.ID, "", 200)
		if f.sdkEvents() == want {
			return f
		}
		if time.Now().After(deadline) {
			t.Fatalf("SDK events %s, want %s", f.sdkEvents(), want)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestLoginRequiredLaterAndInputTimeout(t *testing.T) {
	srv, rec := flowServer(t, 1)
	login(t, srv, openFlow(t, srv, "transaction_link", "x_later", 19), "user_good", "pass_login_later")
	waitHooks(t, rec, "x_later", "AUTHENTICATED")
	srv.Clock().Advance(61 * time.Minute)
	waitHooks(t, rec, "x_later", "AUTHENTICATED,ACCOUNT_LOGIN_REQUIRED")
	r := srv.Get(t, "/accounts/get?external_user_id=x_later&merchant_id=19")
	if r.Status != 200 || !strings.Contains(r.Body, `"status":"disconnected"`) {
		t.Fatalf("accounts: %d %s", r.Status, r.Body)
	}

	// Nobody types the OTP: after 5 minutes, Knot's reason and an error.
	f := login(t, srv, openFlow(t, srv, "card_switcher", "x_idle", 19), "user_good", "pass_otp")
	srv.Clock().Advance(6 * time.Minute)
	f = waitFlow(t, srv, f, "error")
	waitHooks(t, rec, "x_idle", "OTP_REQUIRED,CARD_FAILED")
	if reason := lastHook(t, rec, "x_idle", "CARD_FAILED")["data"].(map[string]any)["reason"]; reason != "otp timeout" {
		t.Fatalf("reason %v", reason)
	}
}

// A user's own scenario files: the documented examples, an override of a
// built-in, and faults on the API.
func TestUserScenarios(t *testing.T) {
	dir := t.TempDir()
	examples, _ := filepath.Glob("../scenarios/examples/*.yaml")
	for _, p := range examples {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		_ = os.WriteFile(filepath.Join(dir, filepath.Base(p)), b, 0o644)
	}
	_ = os.WriteFile(filepath.Join(dir, "otp.yaml"), []byte(`name: otp
description: "Overrides the built-in OTP: any code works."
match: {username: user_good, password: pass_otp}
steps:
  - input: otp
    expect: anything
    fail_first: 0
    timeout: 1m
    on_timeout: [{end: close}]
  - authenticate: {}
`), 0o644)
	_ = os.WriteFile(filepath.Join(dir, "flaky.yaml"), []byte(`name: flaky_sync
description: The next Sync Transactions answers 500, the one after is 3 s late.
match: {username: user_good, password: pass_flaky}
steps:
  - authenticate: {}
  - fault: {operation: transaction_sync, status: 500}
  - fault: {operation: transaction_sync, delay: 3s}
`), 0o644)
	srv := servertest.New(t, server.Config{AsyncDelay: time.Millisecond, ScenariosDir: dir, TimeScale: 0.01})
	rec := srv.Record(t)

	f := login(t, srv, openFlow(t, srv, "card_switcher", "u_twice", 19), "user_good", "pass_otp_twice")
	for i := 0; i < 2; i++ {
		f = input(t, srv, f, `{"kind":"otp","value":"1234"}`) // rejected whatever it is
		expectFlow(t, f, "otp", strings.TrimSuffix("MERCHANT_CLICKED,LOGIN_STARTED,OTP_REQUIRED"+strings.Repeat(",OTP_REQUIRED", i+1), ","))
	}
	f = input(t, srv, f, `{"kind":"otp","value":"1234"}`)
	expectFlow(t, f, "success", "MERCHANT_CLICKED,LOGIN_STARTED,OTP_REQUIRED,OTP_REQUIRED,OTP_REQUIRED,AUTHENTICATED")
	waitHooks(t, rec, "u_twice", "OTP_REQUIRED,OTP_FAILED,OTP_FAILED,AUTHENTICATED")

	f = login(t, srv, openFlow(t, srv, "card_switcher", "u_poor", 19), "anyone", "pass_poor")
	postPlainCard(t, srv, *f.TaskID)
	waitHooks(t, rec, "u_poor", "AUTHENTICATED,CARD_UPDATING,CARD_FAILED")

	f = login(t, srv, openFlow(t, srv, "card_switcher", "u_override", 19), "user_good", "pass_otp")
	expectFlow(t, f, "otp", "MERCHANT_CLICKED") // the override has no LOGIN_STARTED
	f = input(t, srv, f, `{"kind":"otp","value":"anything"}`)
	expectFlow(t, f, "success", "MERCHANT_CLICKED,AUTHENTICATED")

	// Faults: Link Account with a named scenario, then the API misbehaves once each.
	r := srv.Post(t, "/development/accounts/link", `{"external_user_id":"u_flaky","merchant_id":19,"transactions":{"new":true}}`, server.ScenarioHeader, "flaky_sync")
	if r.Status != 200 {
		t.Fatalf("link: %d %s", r.Status, r.Body)
	}
	sync := `{"merchant_id":19,"external_user_id":"u_flaky"}`
	if r := srv.Post(t, "/transactions/sync", sync); r.Status != 500 || r.Body != `{"message":"Server Error"}` {
		t.Fatalf("first sync: %d %s", r.Status, r.Body)
	}
	start := time.Now()
	if r := srv.Post(t, "/transactions/sync", sync); r.Status != 200 || time.Since(start) < 25*time.Millisecond {
		t.Fatalf("second sync: %d after %v", r.Status, time.Since(start)) // 3 s × time scale 0.01
	}
	if r := srv.Post(t, "/transactions/sync", sync); r.Status != 200 {
		t.Fatalf("third sync: %d %s", r.Status, r.Body)
	}
	if r := srv.Post(t, "/development/accounts/link", `{"external_user_id":"u","merchant_id":19}`, server.ScenarioHeader, "nope"); r.Status != 400 ||
		r.Body != invalidField(`The selected scenario \"nope\" is invalid. GET /_mock/scenarios lists them.`) {
		t.Fatalf("unknown scenario: %d %s", r.Status, r.Body)
	}
}

func TestBadScenarioFileStopsStartUp(t *testing.T) {
	dir := t.TempDir()
	_ = os.WriteFile(filepath.Join(dir, "bad.yaml"), []byte("name: bad\nmatch: {}\nsteps:\n  - smd: LOGIN_STARTED\n"), 0o644)
	_, err := server.New(server.Config{ScenariosDir: dir})
	if err == nil || !strings.Contains(err.Error(), "bad.yaml:4:") {
		t.Fatalf("want an error naming bad.yaml:4, got %v", err)
	}
}

func TestSDKInit(t *testing.T) {
	srv, _ := flowServer(t, 1)
	sid := sessionID(t, srv.Post(t, "/session/create", `{"type":"transaction_link","external_user_id":"i1"}`))
	cases := []struct {
		body   string
		status int
		want   string
	}{
		{`{"sessionId":"nope","clientId":"` + srv.ClientID + `"}`, 400, `{"errorCode":"Session_Not_Found","message":"The session ID is invalid."}`},
		{`{"sessionId":"` + sid + `","clientId":"someone"}`, 400, `{"errorCode":"Client_ID_Not_Found","message":"The client ID is invalid."}`},
		{`{"sessionId":"` + sid + `","clientId":"` + srv.ClientID + `"}`, 400, `{"errorCode":"MERCHANT_ID_NOT_FOUND","message":"Merchant ID is required in all SDKs."}`},
	}
	for _, c := range cases {
		if r := srv.Do(t, "POST", "/_mock/sdk/init", c.body, "Authorization", ""); r.Status != c.status || r.Body != c.want {
			t.Errorf("%s: %d %s", c.body, r.Status, r.Body)
		}
	}
	r := srv.Do(t, "POST", "/_mock/sdk/init", `{"sessionId":"`+sid+`","clientId":"`+srv.ClientID+`","merchantIds":[19]}`, "Authorization", "")
	if r.Status != 200 || !strings.Contains(r.Body, `"merchants":[{"id":19,"name":"DoorDash"`) ||
		!strings.Contains(r.Body, `"username":"user_good_transactions","password":"pass_good"`) || strings.Contains(r.Body, `user_good_vault`) {
		t.Fatalf("init: %d %s", r.Status, r.Body)
	}
	srv.Clock().Advance(31 * time.Minute)
	r = srv.Do(t, "POST", "/_mock/sdk/init", `{"sessionId":"`+sid+`","clientId":"`+srv.ClientID+`","merchantIds":[19]}`, "Authorization", "")
	if r.Status != 400 || r.Body != `{"errorCode":"Session_Expired","message":"The session has expired."}` {
		t.Fatalf("expired: %d %s", r.Status, r.Body)
	}
	// knotapi-js's analytics land on /events.
	if r := srv.Do(t, "POST", "/events", `{"type":"identify","session_id":"x"}`, "Authorization", ""); r.Status != 200 {
		t.Fatalf("events: %d %s", r.Status, r.Body)
	}
	if r := srv.Get(t, "/_mock/sdk/analytics"); !strings.Contains(r.Body, `"type":"identify"`) {
		t.Fatalf("analytics: %s", r.Body)
	}
}

// A scenario decides the next cart result: the first sync fails with its
// reason, the next one succeeds.
func TestScenarioCartResult(t *testing.T) {
	dir := t.TempDir()
	_ = os.WriteFile(filepath.Join(dir, "cart.yaml"), []byte(`name: cart_out_of_stock
description: The first cart sync fails.
match: {username: user_good, password: pass_cart}
steps:
  - authenticate: {}
  - cart: {sync_fail: "item discontinued"}
`), 0o644)
	srv := servertest.New(t, server.Config{AsyncDelay: time.Millisecond, ScenariosDir: dir})
	rec := srv.Record(t)
	if r := srv.Post(t, "/development/accounts/link", `{"external_user_id":"c_user","merchant_id":45}`, server.ScenarioHeader, "cart_out_of_stock"); r.Status != 200 {
		t.Fatalf("link: %d %s", r.Status, r.Body)
	}
	cart := `{"external_user_id":"c_user","merchant_id":45,"products":[{"external_id":"p1"}]}`
	for i, want := range []string{"SYNC_CART_FAILED", "SYNC_CART_SUCCEEDED"} {
		if r := srv.Post(t, "/cart", cart); r.Status != 202 {
			t.Fatalf("cart %d: %d %s", i, r.Status, r.Body)
		}
		ev := rec.Wait(want, 1, 5*time.Second)
		if i == 0 && ev["data"].(map[string]any)["reason"] != "item discontinued" {
			t.Fatalf("SYNC_CART_FAILED %v", ev)
		}
	}
}
