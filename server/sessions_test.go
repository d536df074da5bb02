package server_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/knotmock/knotmock/server"
	"github.com/knotmock/knotmock/server/servertest"
)

func errBody(typ, code, msg string) string {
	return `{"error_type":"` + typ + `","error_code":"` + code + `","error_message":"` + msg + `"}`
}

func invalidField(msg string) string { return errBody("INVALID_REQUEST", "INVALID_FIELD", msg) }

var sessionBody = regexp.MustCompile(`^\{"session":"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"\}$`)

func sessionID(t *testing.T, r servertest.Response) string {
	t.Helper()
	if r.Status != 200 || !sessionBody.MatchString(r.Body) {
		t.Fatalf("create session: %d %s", r.Status, r.Body)
	}
	return r.Body[12 : len(r.Body)-2]
}

// Every documented Create Session response, exact status and body.
func TestCreateSessionDocumentedResponses(t *testing.T) {
	srv := servertest.New(t)
	cases := []struct {
		name, body string
		status     int
		want       string
	}{
		{"InvalidProductType", `{"type":"shopping","external_user_id":"123abc"}`, 400, errBody("INVALID_INPUT", "PRODUCT_NOT_VALID", "The selected type is invalid.")},
		{"CardIdRequired", `{"type":"card_switcher","external_user_id":"123abc"}`, 400, invalidField("The card_id field is required when type = card_switcher.")},
		{"ExternalUserIdRequired", `{"type":"link"}`, 400, invalidField("The external user id field is required.")},
		{"TypeRequired", `{"external_user_id":"123abc"}`, 400, invalidField("The type field is required.")},
		{"InvalidPhoneNumber", `{"type":"link","external_user_id":"123abc","phone_number":"555-1234"}`, 400, invalidField("The phone number format is invalid.")},
		{"InvalidEmail", `{"type":"link","external_user_id":"123abc","email":"ada.lovelace"}`, 400, invalidField("The email must be a valid email address.")},
		{"InvalidProcessorToken", `{"type":"link","external_user_id":"123abc","processor_token":12}`, 400, invalidField("The processor token must be a string.")},
		{"InvalidCardBlocked", `{"type":"transaction_link","external_user_id":"123abc","card":{"blocked":"no"}}`, 400, invalidField("The card.blocked field must be true or false.")},
		{"empty body", ``, 400, invalidField("The type field is required.")},
		{"empty external_user_id", `{"type":"link","external_user_id":""}`, 400, invalidField("The external user id field is required.")},
		{"metadata values are strings", `{"type":"link","external_user_id":"u","metadata":{"a":1}}`, 400, invalidField("The metadata.a must be a string.")},
		{"metadata value length", `{"type":"link","external_user_id":"u","metadata":{"a":"` + strings.Repeat("x", 501) + `"}}`, 400, invalidField("The metadata.a may not be greater than 500 characters.")},
		{"metadata key count", `{"type":"link","external_user_id":"u","metadata":{"a":"1","b":"1","c":"1","d":"1","e":"1","f":"1","g":"1","h":"1","i":"1","j":"1","k":"1"}}`, 400, invalidField("The metadata may not have more than 10 items.")},
		{"malformed JSON", `{"type":`, 400, invalidField("The request body must be valid JSON.")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := srv.Post(t, "/session/create", c.body)
			if r.Status != c.status || r.Body != c.want {
				t.Fatalf("got %d %s\nwant %d %s", r.Status, r.Body, c.status, c.want)
			}
			if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type %q", ct)
			}
		})
	}
}

func TestCreateSessionEveryTypeAndField(t *testing.T) {
	srv := servertest.New(t)
	bodies := []string{
		// The newer seed's example, every field.
		`{"type":"card_switcher","external_user_id":"123abc","card_id":"81n9al10a0ayn13","email":"ada.lovelace@gmail.com","phone_number":"+11234567890","processor_token":null,"metadata":{"reference_token":"abc123","trace_id":"def456"}}`,
		// The older seed's curl example with the card object.
		`{"card":{"has_funds":true,"blocked":false},"type":"transaction_link","external_user_id":"ryan"}`,
		`{"type":"link","external_user_id":"abc123","merchant_id":45}`,
		`{"type":"vault","external_user_id":"abc123","card_id":null}`,
		`{"type":"vault","external_user_id":"abc123","card_id":"c1"}`,
	}
	seen := map[string]bool{}
	for _, b := range bodies {
		id := sessionID(t, srv.Post(t, "/session/create", b))
		if seen[id] {
			t.Fatalf("session id %s reused", id)
		}
		seen[id] = true
	}
}

func TestAuthFailures(t *testing.T) {
	srv := servertest.New(t)
	want := errBody("INVALID_INPUT", "INVALID_API_KEYS", "Invalid client_id or secret provided.")
	body := `{"type":"link","external_user_id":"u"}`
	for name, auth := range map[string]string{
		"missing":         "",
		"not basic":       "Bearer abc",
		"not base64":      "Basic %%%",
		"no colon":        "Basic a25vdG1vY2s=",
		"wrong secret":    servertest.BasicAuth(server.DefaultClientID, "nope"),
		"unknown client":  servertest.BasicAuth("someone", server.DefaultSecret),
		"empty secret":    servertest.BasicAuth(server.DefaultClientID, ""),
		"production keys": servertest.BasicAuth("prod_client", "prod_secret"),
	} {
		r := srv.Post(t, "/session/create", body, "Authorization", auth)
		if r.Status != 401 || r.Body != want {
			t.Errorf("%s: got %d %s", name, r.Status, r.Body)
		}
	}
	// Auth is checked before validation: an invalid body still gets 401.
	if r := srv.Post(t, "/session/create", `{}`, "Authorization", ""); r.Status != 401 {
		t.Errorf("invalid body without auth: %d", r.Status)
	}
	// The scheme name is case-insensitive.
	lower := "basic " + strings.TrimPrefix(servertest.BasicAuth(server.DefaultClientID, server.DefaultSecret), "Basic ")
	if r := srv.Post(t, "/session/create", body, "Authorization", lower); r.Status != 200 {
		t.Errorf("lower-case scheme: %d %s", r.Status, r.Body)
	}
}

func TestProductNotEnabledIs403(t *testing.T) {
	srv := servertest.New(t, server.Config{Clients: []server.Client{{ID: "tl_only", Secret: "s", Products: []string{"transaction_link"}}}})
	r := srv.Post(t, "/session/create", `{"type":"card_switcher","external_user_id":"u","card_id":"c"}`)
	want := errBody("INVALID_REQUEST", "NO_ACCESS", "The type is not enabled. Please contact Knot for access to this endpoint.")
	if r.Status != 403 || r.Body != want {
		t.Fatalf("got %d %s", r.Status, r.Body)
	}
	sessionID(t, srv.Post(t, "/session/create", `{"type":"transaction_link","external_user_id":"u"}`))
}

func TestAcceptAnyCredentialsIsolatesTenants(t *testing.T) {
	srv := servertest.New(t, server.Config{AcceptAnyCredentials: true})
	a := servertest.BasicAuth("tenant_a", "x")
	b := servertest.BasicAuth("tenant_b", "y")
	id := sessionID(t, srv.Post(t, "/session/create", `{"type":"link","external_user_id":"u"}`, "Authorization", a))
	if r := srv.Post(t, "/session/extend", `{"session_id":"`+id+`"}`, "Authorization", a); r.Status != 200 {
		t.Fatalf("own session: %d %s", r.Status, r.Body)
	}
	r := srv.Post(t, "/session/extend", `{"session_id":"`+id+`"}`, "Authorization", b)
	if r.Status != 400 || !strings.Contains(r.Body, "SESSION_NOT_FOUND") {
		t.Fatalf("other tenant's session: %d %s", r.Status, r.Body)
	}
	if r := srv.Post(t, "/session/create", `{}`, "Authorization", ""); r.Status != 401 {
		t.Fatalf("no credentials in accept-any mode: %d", r.Status)
	}
}

func TestExtendSession(t *testing.T) {
	srv := servertest.New(t)
	id := sessionID(t, srv.Post(t, "/session/create", `{"type":"link","external_user_id":"u"}`))
	if r := srv.Post(t, "/session/extend", `{"session_id":"`+id+`"}`); r.Status != 200 || r.Body != `{"session":"`+id+`"}` {
		t.Fatalf("extend: %d %s", r.Status, r.Body)
	}
	cases := map[string]string{
		`{}`:                    invalidField("The session id field is required."),
		`{"session_id":"nope"}`: errBody("SESSION_ERROR", "SESSION_NOT_FOUND", "The selected session id is invalid."),
		`{"session_id":""}`:     invalidField("The session id field is required."),
		`{"session_id":12}`:     invalidField("The session id must be a string."),
	}
	for body, want := range cases {
		if r := srv.Post(t, "/session/extend", body); r.Status != 400 || r.Body != want {
			t.Errorf("%s: got %d %s", body, r.Status, r.Body)
		}
	}
}

func TestSessionsExpireAfter30Minutes(t *testing.T) {
	srv := servertest.New(t)
	id := sessionID(t, srv.Post(t, "/session/create", `{"type":"link","external_user_id":"u"}`))
	extend := func() servertest.Response { return srv.Post(t, "/session/extend", `{"session_id":"`+id+`"}`) }

	srv.Clock().Advance(29 * time.Minute)
	if r := extend(); r.Status != 200 { // now lives until 29+30 minutes
		t.Fatalf("extend at 29 min: %d %s", r.Status, r.Body)
	}
	srv.Clock().Advance(29 * time.Minute)
	if r := extend(); r.Status != 200 {
		t.Fatalf("extend 29 min after the extension: %d %s", r.Status, r.Body)
	}
	srv.Clock().Advance(30 * time.Minute)
	want := errBody("SESSION_ERROR", "EXTEND_NOT_SUPPORTED", "The session has expired and cannot be extended. Create a new session instead.")
	if r := extend(); r.Status != 400 || r.Body != want {
		t.Fatalf("extend after expiry: %d %s", r.Status, r.Body)
	}
}

func TestPreferHeader(t *testing.T) {
	srv := servertest.New(t)
	valid := `{"type":"link","external_user_id":"u"}`
	cases := []struct {
		prefer string
		status int
		want   string
	}{
		{"code=500", 500, `{"message":"Server Error"}`},
		{"example=InvalidEmail", 400, invalidField("The email must be a valid email address.")},
		{"code=400, example=CardIdRequired", 400, invalidField("The card_id field is required when type = card_switcher.")},
		{"code=401", 401, errBody("INVALID_INPUT", "INVALID_API_KEYS", "Invalid client_id or secret provided.")},
		{"code=403", 403, errBody("INVALID_REQUEST", "NO_ACCESS", "The type is not enabled. Please contact Knot for access to this endpoint.")},
		{"code=200", 200, `{"session":"915efe72-5136-4652-z91q-d9d48003c102"}`},
		{"code=418", 400, invalidField("The Prefer header asks for code=418, which session_create does not document.")},
		{"example=Nope", 400, invalidField("The Prefer header asks for example=Nope, which session_create does not document.")},
		{"code=401, example=InvalidEmail", 400, invalidField("The Prefer header asks for code=401, example=InvalidEmail, which session_create does not document.")},
	}
	for _, c := range cases {
		r := srv.Post(t, "/session/create", valid, "Prefer", c.prefer)
		if r.Status != c.status || r.Body != c.want {
			t.Errorf("Prefer %q: got %d %s", c.prefer, r.Status, r.Body)
		}
	}
	// Prefer is only for authenticated callers.
	if r := srv.Post(t, "/session/create", valid, "Prefer", "code=500", "Authorization", ""); r.Status != 401 {
		t.Errorf("Prefer without auth: %d", r.Status)
	}
}

func TestMalformedRequests(t *testing.T) {
	srv := servertest.New(t)
	r := srv.Post(t, "/session/create", `{"type":"link","external_user_id":"u"}`, "Content-Type", "text/plain")
	if r.Status != 400 || r.Body != invalidField("The request body must be sent as application/json, not text/plain.") {
		t.Errorf("wrong content type: %d %s", r.Status, r.Body)
	}
	big := `{"type":"link","external_user_id":"` + strings.Repeat("x", 2<<20) + `"}`
	r = srv.Post(t, "/session/create", big)
	if r.Status != 413 || r.Body != errBody("INVALID_REQUEST", "INVALID_FIELD", "The request body may not be greater than 1048576 bytes.") {
		t.Errorf("oversized: %d %.200s", r.Status, r.Body)
	}
	r = srv.Post(t, "/session/create", `[]`)
	if r.Status != 400 || r.Body != invalidField("The request body must be an object.") {
		t.Errorf("array body: %d %s", r.Status, r.Body)
	}
}

func TestUnknownRouteAndMethod(t *testing.T) {
	srv := servertest.New(t)
	r := srv.Get(t, "/nope")
	if r.Status != 404 || r.Body != invalidField("The route nope could not be found.") {
		t.Errorf("404: %d %s", r.Status, r.Body)
	}
	r = srv.Get(t, "/session/create")
	if r.Status != 405 || r.Body != invalidField("The GET method is not supported for route session/create. Supported methods: POST.") {
		t.Errorf("405: %d %s", r.Status, r.Body)
	}
	r = srv.Get(t, "/healthz")
	if r.Status != 200 || r.Body != `{"status":"ok"}` {
		t.Errorf("healthz: %d %s", r.Status, r.Body)
	}
}
