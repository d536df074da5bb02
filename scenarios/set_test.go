package scenarios

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/knotmock/knotmock/openapi"
)

// docOptions are the webhook names and operationIds of the Knot document, as the server passes them.
func docOptions(t *testing.T) Options {
	t.Helper()
	doc, err := openapi.Load()
	if err != nil {
		t.Fatal(err)
	}
	var opts Options
	for name := range doc.Webhooks {
		opts.Webhooks = append(opts.Webhooks, name)
	}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			opts.Operations = append(opts.Operations, op.OperationID)
		}
	}
	slices.Sort(opts.Webhooks)
	slices.Sort(opts.Operations)
	return opts
}

func TestBuiltin(t *testing.T) {
	set, err := Builtin(docOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, sc := range set.All() {
		names = append(names, sc.Name)
		if !sc.BuiltIn || sc.Source != "builtin/"+sc.Name+".yaml" || sc.Line != 1 || sc.Description == "" {
			t.Errorf("%s: BuiltIn %v, Source %s, Line %d, description %q", sc.Name, sc.BuiltIn, sc.Source, sc.Line, sc.Description)
		}
	}
	want := []string{"account_failure", "approval", "card_not_supported", "detect", "insufficient_funds",
		"invalid_credentials", "keychain", "keychain_no_accounts", "license", "login_required_later", "merchant_down",
		"merchant_failure", "no_subscription", "otp", "security_questions", "session_expiry", "shopping_failed", "subscription_admin",
		"success", "too_many_attempts", "transactions_new", "transactions_updated", "unknown_credentials",
		"vault_failed", "vault_success", "zipcode"}
	if !slices.Equal(names, want) {
		t.Errorf("built-ins\n got %v\nwant %v", names, want)
	}
	otp, ok := set.Named("otp")
	if !ok || otp.Steps[3].Input.Expect[0] != "1234" || len(otp.Steps[3].Input.OnWrong) != 2 {
		t.Errorf("otp: %+v", otp)
	}
	if _, ok := set.Named("nope"); ok {
		t.Error("Named(nope)")
	}
	for product, want := range map[string]string{"card_switcher": "success", "link": "success",
		"transaction_link": "transactions_new", "vault": "vault_success"} {
		if sc, ok := set.DefaultFor(product); !ok || sc.Name != want {
			t.Errorf("DefaultFor(%s) = %v", product, sc)
		}
	}
	if sc, ok := set.DefaultFor("shopping"); ok {
		t.Errorf("DefaultFor(shopping) = %s", sc.Name)
	}
}

// TestForLogin: every credential of knot-api.md §4 and the extras select their scenario.
func TestForLogin(t *testing.T) {
	set, err := Builtin(Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ product, user, pass, want string }{
		{"card_switcher", "user_good", "pass_good", "success"},
		{"transaction_link", "user_good", "pass_good", "success"},
		{"card_switcher", "user_good", "pass_otp", "otp"},
		{"card_switcher", "credentials", "failed", "invalid_credentials"},
		{"link", "credentials", "failed", "invalid_credentials"},
		{"card_switcher", "account", "failed", "account_failure"},
		{"vault", "account", "failed", "account_failure"},
		{"transaction_link", "account", "failed", "unknown_credentials"},
		{"card_switcher", "merchant", "failed", "merchant_failure"},
		{"card_switcher", "too many attempts", "failed", "too_many_attempts"},
		{"card_switcher", "card not supported", "failed", "card_not_supported"},
		{"card_switcher", "insufficient funds", "failed", "insufficient_funds"},
		{"link", "insufficient funds", "failed", "unknown_credentials"},
		{"card_switcher", "subscription", "failed", "no_subscription"},
		{"card_switcher", "subscription admin", "failed", "subscription_admin"},
		{"card_switcher", "keychain", "pass_good", "keychain"},
		{"vault", "keychain", "pass_good", "unknown_credentials"},
		{"card_switcher", "keychain", "no_accounts", "keychain_no_accounts"},
		{"transaction_link", "user_good_transactions", "pass_good", "transactions_new"},
		{"transaction_link", "user_good_transactions", "pass_good_updates", "transactions_updated"},
		{"card_switcher", "user_good_transactions", "pass_good", "unknown_credentials"},
		{"link", "user_good", "pass_good", "success"},
		{"link", "user_good", "pass_cart_failed", "shopping_failed"},
		{"card_switcher", "user_good", "pass_cart_failed", "unknown_credentials"},
		{"vault", "user_good_vault", "pass_good", "vault_success"},
		{"vault", "user_good_vault", "failed", "vault_failed"},
		{"card_switcher", "user_good_vault", "pass_good", "unknown_credentials"},
		{"card_switcher", "user_good", "pass_detect", "detect"},
		{"transaction_link", "user_good", "pass_login_later", "login_required_later"},
		{"card_switcher", "user_good", "pass_merchant_down", "merchant_down"},
		{"card_switcher", "user_good", "pass_questions", "security_questions"},
		{"card_switcher", "user_good", "pass_approval", "approval"},
		{"card_switcher", "user_good", "pass_license", "license"},
		{"card_switcher", "user_good", "pass_zipcode", "zipcode"},
		{"card_switcher", "user_good", "pass_slow", "session_expiry"},
		{"card_switcher", "user_good", "pass_bad", "unknown_credentials"},
		{"card_switcher", "User_Good", "pass_good", "unknown_credentials"},
		{"link", "", "", "unknown_credentials"},
	} {
		l := Login{Product: tc.product, MerchantID: 19, ExternalUserID: "u1", Username: tc.user, Password: tc.pass}
		sc, ok := set.ForLogin(l)
		if !ok || sc.Name != tc.want {
			t.Errorf("ForLogin(%s %q/%q) = %v, want %s", tc.product, tc.user, tc.pass, sc, tc.want)
		}
	}
}

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestLoad(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"otp.yaml":               "name: otp\nmatch: {username: user_good, password: pass_otp}\nsteps:\n  - input: otp\n    expect: \"9999\"\n",
		"sub/extra.yml":          "name: extra\nmatch: {password: pass_good}\ndefault_for: [card_switcher]\nsteps: [{end: close}]\n",
		"sub/json.json":          `{"name": "json", "match": {"username": "j", "merchants": [45]}, "steps": [{"end": "success"}]}`,
		"tie.yaml":               "name: zz_tie\nmatch: {username: user_good, password: pass_detect}\nsteps: [{end: close}]\n",
		"notes.txt":              "not a scenario",
		".hidden.yaml":           "broken: [",
		".git/config.yaml":       "broken: [",
		"sub/README.md":          "# docs",
		"sub/deeper/more.yaml":   "name: more\nsteps: [{delay: 1s}]\n",
		"sub/deeper/.other.json": "{",
	})
	set, err := Load(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(set.All()); n != 26+4 {
		t.Errorf("%d scenarios, want 29", n)
	}
	otp, _ := set.Named("otp")
	if otp.BuiltIn || otp.Source != filepath.Join(dir, "otp.yaml") || otp.Steps[0].Input.Expect[0] != "9999" {
		t.Errorf("otp not replaced: %+v", otp)
	}
	for _, tc := range []struct {
		l    Login
		want string
	}{
		{Login{Product: "card_switcher", Username: "user_good", Password: "pass_otp"}, "otp"},
		{Login{Product: "card_switcher", Username: "someone", Password: "pass_good"}, "extra"}, // 1 condition beats 0
		{Login{Product: "card_switcher", Username: "user_good", Password: "pass_good"}, "success"},
		{Login{Product: "card_switcher", Username: "user_good", Password: "pass_detect"}, "zz_tie"}, // user beats built-in
		{Login{Product: "card_switcher", Username: "j", MerchantID: 45}, "json"},
		// more has an empty match: like unknown_credentials, but a user file beats a built-in.
		{Login{Product: "card_switcher", Username: "j", MerchantID: 46}, "more"},
	} {
		if sc, _ := set.ForLogin(tc.l); sc.Name != tc.want {
			t.Errorf("ForLogin(%+v) = %s, want %s", tc.l, sc.Name, tc.want)
		}
	}
	if sc, _ := set.DefaultFor("card_switcher"); sc.Name != "extra" {
		t.Errorf("DefaultFor(card_switcher) = %s, want the user file", sc.Name)
	}
	if sc, _ := set.DefaultFor("link"); sc.Name != "success" {
		t.Errorf("DefaultFor(link) = %s", sc.Name)
	}
	if set, err := Load("", Options{}); err != nil || len(set.All()) != 26 {
		t.Errorf("Load(\"\"): %v", err)
	}
}

func TestLoadErrors(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"a.yaml":     "name: twice\nsteps: [{end: close}]\n",
		"b/b.yaml":   "# again\nname: twice\nsteps: [{end: close}]\n",
		"bad.yaml":   "name: bad\nsteps:\n  - sdk: LOGIN_STARTED\n  - delay: soon\n",
		"worse.json": "{\"name\": \"worse\", \"steps\": [{\"webhook\": \"NOPE\"}]}",
	})
	opts := docOptions(t)
	_, err := Load(dir, opts)
	if err == nil {
		t.Fatal("no error")
	}
	want := []string{
		filepath.Join(dir, "b/b.yaml") + `:2: scenario "twice" is already defined in ` + filepath.Join(dir, "a.yaml") + ":1",
		filepath.Join(dir, "bad.yaml") + `:4: bad duration "soon" for delay (write 500ms, 2s, 5m or 1h)`,
		filepath.Join(dir, "worse.json") + `:1: unknown webhook event "NOPE" (known: ` + strings.Join(opts.Webhooks, ", ") + ")",
	}
	if got := strings.Split(err.Error(), "\n"); !slices.Equal(got, want) {
		t.Errorf("errors\n got %q\nwant %q", got, want)
	}
	if _, err := Load(filepath.Join(dir, "missing"), Options{}); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Errorf("missing dir: %v", err)
	}
	// built-ins are checked with the same options: a webhook list without OTP_REQUIRED rejects otp.
	if _, err := Builtin(Options{Webhooks: []string{"CARD_FAILED"}}); err == nil || !strings.Contains(err.Error(),
		`builtin/otp.yaml:8: unknown webhook event "OTP_REQUIRED" (known: CARD_FAILED)`) {
		t.Errorf("Builtin with few webhooks: %v", err)
	}
}

func TestExamples(t *testing.T) {
	opts := docOptions(t)
	files, _ := filepath.Glob("examples/*.yaml")
	if len(files) != 3 {
		t.Fatalf("examples: %v", files)
	}
	set, err := Load("examples", opts)
	if err != nil {
		t.Fatal(err)
	}
	otp, _ := set.Named("otp_fails_twice")
	if in := otp.Steps[3].Input; in.FailFirst != 2 || in.Expect[0] != "1234" {
		t.Errorf("otp_fails_twice: %+v", in)
	}
	poor, _ := set.ForLogin(Login{Product: "card_switcher", Username: "anyone", Password: "pass_poor"})
	if poor.Name != "card_insufficient_funds" || poor.Steps[1].Authenticate.CardFail != "insufficient funds" {
		t.Errorf("pass_poor selects %s", poor.Name)
	}
	later, _ := set.ForLogin(Login{Product: "transaction_link", Username: "user_good", Password: "pass_hour"})
	if later.Name != "login_again_in_an_hour" || later.Steps[len(later.Steps)-1].Account != AccountDisconnected {
		t.Errorf("pass_hour selects %s", later.Name)
	}
}
