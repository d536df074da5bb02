package scenarios

import (
	"strings"
	"testing"
)

const kindList = "sdk, webhook, delay, input, authenticate, account, transactions, subscriptions, vault, " +
	"merchant_status, detect, fault, cart, login_error, end"

// withSteps is a valid header; the first line of steps is line 3.
func withSteps(steps string) string { return "name: t\nsteps:\n" + steps }

var testOpts = Options{
	Webhooks:   []string{"OTP_REQUIRED", "OTP_FAILED", "CARD_FAILED"},
	Operations: []string{"transaction_sync", "card_switch"},
}

func TestParseErrors(t *testing.T) {
	step := "a step must be a map with exactly one of: " + kindList
	for _, tc := range []struct{ name, src, want string }{
		// the file
		{"syntax", "name: [t\n", `t.yaml:1: sequence end token ']' not found`},
		{"duplicate key", "name: t\nname: u\n", `t.yaml:2: mapping key "name" already defined at [1:1]`},
		{"empty file", "# nothing\n", "t.yaml:1: empty file: a scenario needs name and steps"},
		{"two documents", withSteps("  - end: success\n---\nname: u\n"),
			"t.yaml:5: one scenario per file: a second YAML document starts here"},
		{"not a map", "- name: t\n",
			"t.yaml:1: a scenario must be a map with the keys name, description, match, default_for, steps"},
		{"unknown top-level key", "name: t\nfoo: 1\nsteps:\n  - end: success\n",
			`t.yaml:2: unknown key "foo" (known: name, description, match, default_for, steps)`},
		{"missing name", "description: d\nsteps:\n  - end: success\n", "t.yaml:1: missing name"},
		{"missing steps", "name: t\n", "t.yaml:1: missing steps"},
		{"bad name", "name: Bad Name\nsteps:\n  - end: success\n", `t.yaml:1: name "Bad Name" must match ^[a-z0-9_\-]+$`},
		{"name not a string", "name: [a]\nsteps:\n  - end: success\n", "t.yaml:1: name must be a string"},
		{"description not a string", "name: t\ndescription: {a: 1}\nsteps:\n  - end: success\n",
			"t.yaml:2: description must be a string"},
		{"empty steps", "name: t\nsteps: []\n", "t.yaml:2: steps must not be empty"},
		{"null steps", "name: t\nsteps:\n", "t.yaml:2: steps must not be empty"},
		{"steps not a list", "name: t\nsteps: {end: success}\n", "t.yaml:2: steps must be a list of steps"},
		{"merge key", "name: t\n<<: {a: 1}\nsteps:\n  - end: success\n", "t.yaml:2: merge keys (<<) are not supported"},
		{"unknown alias", withSteps("  - end: *nope\n"), "t.yaml:3: unknown alias *nope\nt.yaml:3: end must be success, close or {error: MESSAGE}"},
		// match and default_for
		{"match not a map", "name: t\nmatch: [a]\nsteps:\n  - end: success\n",
			"t.yaml:2: match must be a map with the keys username, password, products, merchants, external_user_id"},
		{"unknown match key", "name: t\nmatch:\n  user: a\nsteps:\n  - end: success\n",
			`t.yaml:3: unknown key "user" in match (known: username, password, products, merchants, external_user_id)`},
		{"username not a string", "name: t\nmatch: {username: {a: b}}\nsteps:\n  - end: success\n",
			"t.yaml:2: username must be a string"},
		{"unknown product", "name: t\nmatch:\n  products:\n    - card_switcher\n    - shopping\nsteps:\n  - end: success\n",
			`t.yaml:5: unknown product "shopping" (known: card_switcher, transaction_link, link, vault)`},
		{"products not a list", "name: t\nmatch: {products: vault}\nsteps:\n  - end: success\n",
			"t.yaml:2: products must be a list of products (card_switcher, transaction_link, link, vault)"},
		{"unknown default_for product", "name: t\ndefault_for: [cards]\nsteps:\n  - end: success\n",
			`t.yaml:2: unknown product "cards" (known: card_switcher, transaction_link, link, vault)`},
		{"merchant zero", "name: t\nmatch:\n  merchants:\n    - 19\n    - 0\nsteps:\n  - end: success\n",
			"t.yaml:5: merchants must be a list of positive integers"},
		{"merchant negative", "name: t\nmatch: {merchants: [-3]}\nsteps:\n  - end: success\n",
			"t.yaml:2: merchants must be a list of positive integers"},
		{"merchant not a number", "name: t\nmatch:\n  merchants: [x]\nsteps:\n  - end: success\n",
			"t.yaml:3: merchants must be a list of positive integers"},
		{"bad regexp", "name: t\nmatch:\n  external_user_id: \"^(a\"\nsteps:\n  - end: success\n",
			"t.yaml:3: bad external_user_id regexp: error parsing regexp: missing closing ): `^(a`"},
		// the shape of a step
		{"step not a map", withSteps("  - end: success\n  - LOGIN_STARTED\n"), "t.yaml:4: " + step},
		{"step without kind", withSteps("  - sdkk: LOGIN_STARTED\n"), "t.yaml:3: " + step + " (found none)"},
		{"step with two kinds", withSteps("  - sdk: LOGIN_STARTED\n    webhook: OTP_REQUIRED\n"),
			"t.yaml:3: " + step + " (found sdk and webhook)"},
		{"unknown sdk option", withSteps("  - sdk: LOGIN_STARTED\n    data: {}\n"),
			`t.yaml:4: unknown option "data" of sdk step (known: metadata)`},
		{"unknown input option", withSteps("  - input: otp\n    expect: \"1\"\n    retries: 2\n"),
			`t.yaml:5: unknown option "retries" of input step (known: expect, questions, attempts, fail_first, on_wrong, on_exhausted, on_timeout, timeout)`},
		{"option next to authenticate", withSteps("  - authenticate: {}\n    send_card: false\n"),
			`t.yaml:4: unknown option "send_card" of authenticate step (its options go inside authenticate: {send_card, card})`},
		{"option next to delay", withSteps("  - delay: 1s\n    times: 2\n"), `t.yaml:4: unknown option "times" of delay step (it takes none)`},
		{"unknown authenticate option", withSteps("  - authenticate: {sendcard: false}\n"),
			`t.yaml:3: unknown option "sendcard" of authenticate step (known: send_card, card)`},
		{"unknown transactions option", withSteps("  - transactions:\n      new: 1\n      old: 2\n"),
			`t.yaml:5: unknown option "old" of transactions step (known: new, updated)`},
		{"unknown detect option", withSteps("  - detect: {count: 6}\n"), `t.yaml:3: unknown option "count" of detect step (it takes none)`},
		{"unknown card option", withSteps("  - authenticate: {card: {fail: card, why: x}}\n"),
			`t.yaml:3: unknown option "why" of card (known: fail)`},
		{"authenticate not a map", withSteps("  - authenticate: yes\n"),
			"t.yaml:3: authenticate must be a map (authenticate: {send_card, card})"},
		// events
		{"unknown sdk event", withSteps("  - sdk: LOGIN_DONE\n"),
			`t.yaml:3: unknown SDK event "LOGIN_DONE" (known: MERCHANT_CLICKED, LOGIN_STARTED, AUTHENTICATED, OTP_REQUIRED, QUESTIONS_REQUIRED, SECURITY_QUESTIONS_REQUIRED, APPROVAL_REQUIRED, ZIPCODE_REQUIRED, LICENSE_REQUIRED, REFRESH_SESSION_REQUEST)`},
		{"sdk not a name", withSteps("  - sdk: [a]\n"), "t.yaml:3: sdk must be an event name"},
		{"unknown webhook event", withSteps("  - webhook: OTP_NEEDED\n"),
			`t.yaml:3: unknown webhook event "OTP_NEEDED" (known: OTP_REQUIRED, OTP_FAILED, CARD_FAILED)`},
		{"metadata not a map", withSteps("  - sdk: LOGIN_STARTED\n    metadata: [a]\n"), "t.yaml:4: metadata must be a map"},
		{"metadata value not a string", withSteps("  - sdk: LOGIN_STARTED\n    metadata: {a: [b]}\n"),
			"t.yaml:4: metadata values must be strings"},
		{"data not a map", withSteps("  - webhook: CARD_FAILED\n    data: reason\n"), "t.yaml:4: data must be a map"},
		{"data infinity", withSteps("  - webhook: CARD_FAILED\n    data: {n: .inf}\n"), "t.yaml:4: infinity and NaN are not JSON values"},
		// durations and numbers
		{"bad duration", withSteps("  - delay: 5\n"), `t.yaml:3: bad duration "5" for delay (write 500ms, 2s, 5m or 1h)`},
		{"duration not a scalar", withSteps("  - delay: [1s]\n"), "t.yaml:3: bad duration for delay (write 500ms, 2s, 5m or 1h)"},
		{"negative duration", withSteps("  - delay: -1s\n"), `t.yaml:3: negative duration "-1s" for delay`},
		{"zero timeout", withSteps("  - input: approval\n    timeout: 0s\n"), "t.yaml:4: timeout must be positive"},
		{"negative attempts", withSteps("  - input: otp\n    expect: \"1\"\n    attempts: -1\n"), "t.yaml:5: attempts must not be negative"},
		{"negative fail_first", withSteps("  - input: otp\n    expect: \"1\"\n    fail_first: -2\n"), "t.yaml:5: fail_first must not be negative"},
		{"attempts not a number", withSteps("  - input: otp\n    expect: \"1\"\n    attempts: many\n"), "t.yaml:5: attempts must be an integer"},
		{"negative transactions", withSteps("  - transactions: {new: -5}\n"), "t.yaml:3: new must not be negative"},
		{"fractional transactions", withSteps("  - transactions: {updated: 1.5}\n"), "t.yaml:3: updated must be an integer"},
		// input
		{"unknown input kind", withSteps("  - input: sms\n"), `t.yaml:3: unknown input kind "sms" (known: otp, questions, approval, license, zipcode)`},
		{"otp without expect", withSteps("  - input: otp\n"), "t.yaml:3: input otp needs expect"},
		{"license without expect", withSteps("  - input: license\n    attempts: 1\n"), "t.yaml:3: input license needs expect"},
		{"zipcode without expect", withSteps("  - input: zipcode\n"), "t.yaml:3: input zipcode needs expect"},
		{"questions without expect", withSteps("  - input: questions\n    questions: [a]\n"), "t.yaml:3: input questions needs expect"},
		{"questions without questions", withSteps("  - input: questions\n    expect: [a]\n"),
			"t.yaml:3: input questions needs questions (the questions shown)"},
		{"questions count", withSteps("  - input: questions\n    questions: [a, b]\n    expect:\n      - x\n"),
			"t.yaml:5: input questions has 2 questions but 1 answers"},
		{"no questions", withSteps("  - input: questions\n    questions: []\n    expect: []\n"), "t.yaml:4: questions must not be empty"},
		{"expect not a list", withSteps("  - input: questions\n    questions: [a]\n    expect: a\n"), "t.yaml:5: expect must be a list of strings"},
		{"expect a list", withSteps("  - input: otp\n    expect: [\"1\"]\n"), "t.yaml:4: expect must be a string"},
		{"questions for otp", withSteps("  - input: otp\n    expect: \"1\"\n    questions: [a]\n"), "t.yaml:5: questions is only for input questions"},
		{"approval with expect", withSteps("  - input: approval\n    expect: \"yes\"\n"),
			"t.yaml:4: input approval takes no expect (the user approves or declines)"},
		{"on_exhausted without attempts", withSteps("  - input: approval\n    on_exhausted: []\n"),
			"t.yaml:3: on_exhausted needs attempts (the wrong answers allowed)"},
		{"on_wrong not a list", withSteps("  - input: approval\n    on_wrong: {end: close}\n"), "t.yaml:4: on_wrong must be a list of steps"},
		{"nested step", withSteps("  - input: otp\n    expect: \"1\"\n    on_wrong:\n      - sdk: OTP_REQUIRED\n      - sdk: OTP_WRONG\n"),
			`t.yaml:7: unknown SDK event "OTP_WRONG" (known: MERCHANT_CLICKED, LOGIN_STARTED, AUTHENTICATED, OTP_REQUIRED, QUESTIONS_REQUIRED, SECURITY_QUESTIONS_REQUIRED, APPROVAL_REQUIRED, ZIPCODE_REQUIRED, LICENSE_REQUIRED, REFRESH_SESSION_REQUEST)`},
		{"nested on_timeout step", withSteps("  - input: approval\n    on_timeout:\n      - end: later\n"),
			"t.yaml:5: end must be success, close or {error: MESSAGE}"},
		// the other kinds
		{"send_card not a bool", withSteps("  - authenticate: {send_card: \"no\"}\n"), "t.yaml:3: send_card must be true or false"},
		{"card without fail", withSteps("  - authenticate:\n      card: {}\n"), "t.yaml:4: card must be {fail: REASON}"},
		{"bad account", withSteps("  - account: linked\n"), "t.yaml:3: account must be connected or disconnected"},
		{"subscriptions not a map", withSteps("  - subscriptions: [a]\n"), "t.yaml:3: subscriptions must be a map (subscriptions: {})"},
		{"bad vault", withSteps("  - vault: failed\n"), "t.yaml:3: vault must be succeeded or {failed: REASON}"},
		{"vault without reason", withSteps("  - vault: {failed: \"\"}\n"), "t.yaml:3: vault must be succeeded or {failed: REASON}"},
		{"cart without outcome", withSteps("  - cart: {}\n"), "t.yaml:3: cart needs sync_fail or checkout_fail"},
		{"cart with empty reason", withSteps("  - cart: {sync_fail: \"\"}\n"), "t.yaml:3: cart sync_fail must be a reason"},
		{"cart with unknown option", withSteps("  - cart: {fail: x}\n"), "t.yaml:3: unknown option \"fail\" of cart step (known: sync_fail, checkout_fail)"},
		{"merchant_status without status", withSteps("  - merchant_status: {platform: ios}\n"),
			"t.yaml:3: merchant_status needs status (UP or DOWN)"},
		{"merchant_status values", withSteps("  - merchant_status:\n      status: down\n      type: card\n      platform: mac\n"),
			"t.yaml:4: status must be UP or DOWN\nt.yaml:5: type must be one of card_switcher, transaction_link, shopping\n" +
				"t.yaml:6: platform must be one of ios, android, web"},
		{"fault without outcome", withSteps("  - fault: {operation: card_switch}\n"), "t.yaml:3: fault needs exactly one of status, example, delay"},
		{"fault with two outcomes", withSteps("  - fault: {operation: card_switch, status: 500, delay: 1s}\n"),
			"t.yaml:3: fault needs exactly one of status, example, delay"},
		{"fault without operation", withSteps("  - fault: {status: 500}\n"), "t.yaml:3: fault needs operation"},
		{"unknown fault operation", withSteps("  - fault:\n      operation: cart_sync\n      status: 500\n"),
			`t.yaml:4: unknown operation "cart_sync" (known: transaction_sync, card_switch)`},
		{"fault status", withSteps("  - fault: {operation: card_switch, status: 99}\n"), "t.yaml:3: status must be an HTTP status code (100-599)"},
		{"fault times", withSteps("  - fault: {operation: card_switch, example: X, times: 0}\n"), "t.yaml:3: times must be positive"},
		{"fault not a map", withSteps("  - fault: card_switch\n"),
			"t.yaml:3: fault must be a map (fault: {operation, status, example, delay, times})"},
		{"empty login_error", withSteps("  - login_error: \"\"\n"), "t.yaml:3: login_error must be a message"},
		{"end error without message", withSteps("  - end: error\n"), "t.yaml:3: end error needs a message: end: {error: MESSAGE}"},
		{"end error empty message", withSteps("  - end: {error: \"\"}\n"), "t.yaml:3: end error needs a message: end: {error: MESSAGE}"},
		{"unknown end", withSteps("  - end: done\n"), "t.yaml:3: end must be success, close or {error: MESSAGE}"},
		{"unknown end option", withSteps("  - end: {message: x}\n"),
			"t.yaml:3: unknown option \"message\" of end step (known: error)\nt.yaml:3: end error needs a message: end: {error: MESSAGE}"},
		// several errors are all reported, in order
		{"several", "name: T\nsteps:\n  - sdk: NOPE\n  - delay: soon\n",
			`t.yaml:1: name "T" must match ^[a-z0-9_\-]+$` + "\n" + `t.yaml:3: unknown SDK event "NOPE" (known: ` +
				strings.Join(SDKEvents, ", ") + ")\n" + `t.yaml:4: bad duration "soon" for delay (write 500ms, 2s, 5m or 1h)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sc, err := ParseFile("t.yaml", []byte(tc.src), testOpts)
			if err == nil {
				t.Fatalf("parsed %+v, want error %q", sc, tc.want)
			}
			if sc != nil {
				t.Errorf("got a scenario with an error")
			}
			if err.Error() != tc.want {
				t.Errorf("error\n got: %s\nwant: %s", err, tc.want)
			}
		})
	}
}

func TestParseLimits(t *testing.T) {
	bomb := "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
	for i, prev := 0, "a"; i < 8; i++ {
		name := string(rune('b' + i))
		bomb += name + ": &" + name + " [" + strings.Repeat("*"+prev+", ", 9) + "*" + prev + "]\n"
		prev = name
	}
	src := withSteps("  - webhook: CARD_FAILED\n    data: {x: *i}\n") + "anchors:\n" + indent(bomb)
	_, err := ParseFile("t.yaml", []byte(src), Options{})
	if err == nil || !strings.Contains(err.Error(), "the file is too complex") {
		t.Errorf("alias bomb: %v", err)
	}
	deep := withSteps("")
	ind := "  "
	for i := 0; i < 20; i++ {
		deep += ind + "- input: approval\n" + ind + "  on_wrong:\n"
		ind += "    "
	}
	deep += ind + "- end: close\n"
	_, err = ParseFile("t.yaml", []byte(deep), Options{})
	if err == nil || !strings.Contains(err.Error(), "steps nested too deeply") {
		t.Errorf("deep nesting: %v", err)
	}
}

func indent(s string) string {
	return "  " + strings.ReplaceAll(strings.TrimSuffix(s, "\n"), "\n", "\n  ") + "\n"
}
