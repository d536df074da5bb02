package scenarios

import (
	"reflect"
	"testing"
	"time"
)

const everyKind = `# every step kind and option
name: every-kind_1
description: Every kind.
match:
  username: user
  password: 0012
  products: [card_switcher, vault]
  merchants: [19, 45]
  external_user_id: "^otp_"
default_for: [link]
steps:
  - sdk: LOGIN_STARTED
    metadata: {a: b, n: 1}
  - webhook: CARD_FAILED
    data: &d {reason: card, n: 2, f: 1.5, ok: true, none: null, list: [a, 1], obj: {k: v}}
  - delay: 1m30s
  - input: questions
    questions: [q1, !!str 2]
    expect: [a1, a2]
    attempts: 3
    fail_first: 1
    timeout: 2m
    on_wrong: &wrong
      - webhook: OTP_FAILED
        data: *d
    on_exhausted: []
    on_timeout:
  - input: otp
    expect: 1234
    on_wrong: *wrong
  - authenticate:
  - authenticate: {send_card: false, card: {fail: insufficient funds}}
  - account: connected
  - transactions: {new: 205, updated: 3}
  - subscriptions: {}
  - vault: succeeded
  - vault: {failed: nope}
  - merchant_status: {status: DOWN, platform: ios}
  - detect:
  - fault: {operation: card_switch, example: CardExpired, times: 2}
  - fault: {operation: transaction_sync, status: 500}
  - fault: {operation: transaction_sync, delay: 3s}
  - cart: {sync_fail: product out of stock, checkout_fail: card declined}
  - login_error: Try again.
  - end: close
  - end: {error: Broken.}
`

func TestParseEveryKind(t *testing.T) {
	sc, err := ParseFile("dir/every.yaml", []byte(everyKind), testOpts)
	if err != nil {
		t.Fatal(err)
	}
	if sc.Name != "every-kind_1" || sc.Description != "Every kind." || sc.Line != 2 || sc.Source != "dir/every.yaml" || sc.BuiltIn {
		t.Errorf("header: %+v", sc)
	}
	m := sc.Match
	if *m.Username != "user" || *m.Password != "0012" || !reflect.DeepEqual(m.Products, []string{"card_switcher", "vault"}) ||
		!reflect.DeepEqual(m.Merchants, []int{19, 45}) || m.ExternalUserID.String() != "^otp_" || m.Conditions() != 5 {
		t.Errorf("match: %+v", m)
	}
	if !reflect.DeepEqual(sc.DefaultFor, []string{"link"}) {
		t.Errorf("default_for: %v", sc.DefaultFor)
	}
	f := false
	data := map[string]any{"reason": "card", "n": uint64(2), "f": 1.5, "ok": true, "none": nil,
		"list": []any{"a", uint64(1)}, "obj": map[string]any{"k": "v"}}
	wrong := []Step{{Line: 24, Kind: KindWebhook, Event: "OTP_FAILED", Data: data}}
	want := []Step{
		{Line: 12, Kind: KindSDK, Event: "LOGIN_STARTED", Metadata: map[string]string{"a": "b", "n": "1"}},
		{Line: 14, Kind: KindWebhook, Event: "CARD_FAILED", Data: data},
		{Line: 16, Kind: KindDelay, Duration: 90 * time.Second},
		{Line: 17, Kind: KindInput, Input: &Input{Kind: InputQuestions, Expect: []string{"a1", "a2"}, Questions: []string{"q1", "2"},
			Attempts: 3, FailFirst: 1, Timeout: 2 * time.Minute, OnWrong: wrong, OnExhausted: []Step{}, OnTimeout: []Step{}, HasOnTimeout: true}},
		{Line: 28, Kind: KindInput, Input: &Input{Kind: InputOTP, Expect: []string{"1234"}, Timeout: 5 * time.Minute, OnWrong: wrong}},
		{Line: 31, Kind: KindAuthenticate, Authenticate: &Authenticate{}},
		{Line: 32, Kind: KindAuthenticate, Authenticate: &Authenticate{SendCard: &f, CardFail: "insufficient funds"}},
		{Line: 33, Kind: KindAccount, Account: AccountConnected},
		{Line: 34, Kind: KindTransactions, Transactions: &Transactions{New: 205, Updated: 3}},
		{Line: 35, Kind: KindSubscriptions},
		{Line: 36, Kind: KindVault, Vault: &Vault{}},
		{Line: 37, Kind: KindVault, Vault: &Vault{Failed: true, Reason: "nope"}},
		{Line: 38, Kind: KindMerchantStatus, MerchantStatus: &MerchantStatus{Status: "DOWN", Type: "card_switcher", Platform: "ios"}},
		{Line: 39, Kind: KindDetect},
		{Line: 40, Kind: KindFault, Fault: &Fault{Operation: "card_switch", Example: "CardExpired", Times: 2}},
		{Line: 41, Kind: KindFault, Fault: &Fault{Operation: "transaction_sync", Status: 500, Times: 1}},
		{Line: 42, Kind: KindFault, Fault: &Fault{Operation: "transaction_sync", Delay: 3 * time.Second, Times: 1}},
		{Line: 43, Kind: KindCart, Cart: &Cart{SyncFail: "product out of stock", CheckoutFail: "card declined"}},
		{Line: 44, Kind: KindLoginError, Message: "Try again."},
		{Line: 45, Kind: KindEnd, End: &End{Kind: EndClose}},
		{Line: 46, Kind: KindEnd, End: &End{Kind: EndError, Message: "Broken."}},
	}
	if len(sc.Steps) != len(want) {
		t.Fatalf("%d steps, want %d", len(sc.Steps), len(want))
	}
	for i := range want {
		if !reflect.DeepEqual(sc.Steps[i], want[i]) {
			t.Errorf("step %d:\n got %#v\nwant %#v", i, sc.Steps[i], want[i])
			if in := sc.Steps[i].Input; in != nil {
				t.Errorf("input: %+v", *in)
			}
		}
	}
}

func TestParseJSON(t *testing.T) {
	src := `{"name": "j", "match": {"merchants": [19]},
  "steps": [{"sdk": "LOGIN_STARTED"},
            {"input": "otp", "expect": "1234", "timeout": "30s"}, {"end": {"error": "No."}}]}`
	sc, err := ParseFile("j.json", []byte(src), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(sc.Steps) != 3 || sc.Steps[1].Line != 3 || sc.Steps[1].Input.Timeout != 30*time.Second || sc.Steps[2].End.Message != "No." {
		t.Errorf("%+v", sc.Steps)
	}
	if _, err := ParseFile("j.json", []byte(`{"name": "j", "steps": [{"end": "nope"}]}`), Options{}); err == nil ||
		err.Error() != "j.json:1: end must be success, close or {error: MESSAGE}" {
		t.Errorf("json error: %v", err)
	}
}

func TestMatch(t *testing.T) {
	user, pass := "u", "p"
	sc, err := ParseFile("m.yaml", []byte("name: m\nmatch: {external_user_id: '^a'}\nsteps: [{end: success}]\n"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	full := Match{Username: &user, Password: &pass, Products: []string{"vault"}, Merchants: []int{19}, ExternalUserID: sc.Match.ExternalUserID}
	ok := Login{Product: "vault", MerchantID: 19, ExternalUserID: "abc", Username: "u", Password: "p"}
	if full.Conditions() != 5 || (Match{}).Conditions() != 0 || !full.Matches(ok) || !(Match{}).Matches(Login{}) {
		t.Fatal("full match")
	}
	for _, l := range []Login{
		{Product: "link", MerchantID: 19, ExternalUserID: "abc", Username: "u", Password: "p"},
		{Product: "vault", MerchantID: 20, ExternalUserID: "abc", Username: "u", Password: "p"},
		{Product: "vault", MerchantID: 19, ExternalUserID: "bc", Username: "u", Password: "p"},
		{Product: "vault", MerchantID: 19, ExternalUserID: "abc", Username: "U", Password: "p"},
		{Product: "vault", MerchantID: 19, ExternalUserID: "abc", Username: "u", Password: "p "},
	} {
		if full.Matches(l) {
			t.Errorf("%+v matches", l)
		}
	}
}
