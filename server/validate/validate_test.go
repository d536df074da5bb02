package validate_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/knotmock/knotmock/openapi"
	"github.com/knotmock/knotmock/server/knoterr"
	"github.com/knotmock/knotmock/server/validate"
)

const testDoc = `openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /things:
    post:
      operationId: thing_create
      requestBody:
        content:
          application/json:
            schema:
              type: object
              required: [kind, owner_id]
              x-knot-required-if:
                - {property: card_id, when: {kind: card}, error: CardIdRequired}
              x-knot-exclusive:
                - {properties: [flag, extra], when: {flag: true}, error: FlagExtra}
              properties:
                kind: {type: string, enum: [card, bank], x-knot-errors: {required: KindRequired, enum: KindInvalid}}
                owner_id: {type: string}
                card_id: {type: [string, "null"]}
                email: {type: [string, "null"], format: email}
                phone: {type: string, pattern: '^\+[1-9]\d{1,14}$'}
                count: {type: integer, minimum: 1, maximum: 100}
                flag: {type: boolean}
                extra: {type: object}
                meta:
                  type: object
                  maxProperties: 2
                  additionalProperties: {type: string, maxLength: 5}
                card:
                  type: object
                  properties:
                    blocked: {type: boolean}
      responses:
        '200':
          description: ok
        '400':
          description: bad
          content:
            application/json:
              examples:
                KindRequired: {value: {error_type: INVALID_REQUEST, error_code: INVALID_FIELD, error_message: The kind field is required.}}
                KindInvalid: {value: {error_type: INVALID_INPUT, error_code: KIND_NOT_VALID, error_message: The selected kind is invalid.}}
                CardIdRequired: {value: {error_type: INVALID_REQUEST, error_code: INVALID_FIELD, error_message: The card_id field is required when kind = card.}}
                FlagExtra: {value: {error_type: INVALID_REQUEST, error_code: INVALID_FIELD, error_message: flag and extra together.}}
  /things/{id}:
    get:
      operationId: thing_get
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: limit, in: query, required: true, schema: {type: integer, maximum: 10}}
      responses:
        '200': {description: ok}
`

func prepare(t *testing.T, doc string) *validate.Validator {
	t.Helper()
	d, err := openapi.Parse([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	cat, err := knoterr.NewCatalogue(d)
	if err != nil {
		t.Fatal(err)
	}
	v, err := validate.New(d, cat)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestBodyErrorsBecomeKnotMessages(t *testing.T) {
	v := prepare(t, testDoc)
	op, _ := v.Operation("thing_create")
	cases := []struct{ name, body, want string }{
		{"valid", `{"kind":"bank","owner_id":"u"}`, ""},
		{"empty body means no fields", ``, `The kind field is required.`},
		{"override for required", `{"owner_id":"u"}`, `The kind field is required.`},
		{"override for enum keeps its code", `{"kind":"x","owner_id":"u"}`, `INVALID_INPUT/KIND_NOT_VALID: The selected kind is invalid.`},
		{"default required wording with spaces", `{"kind":"bank"}`, `The owner id field is required.`},
		{"empty string counts as missing", `{"kind":"bank","owner_id":""}`, `The owner id field is required.`},
		{"null counts as missing", `{"kind":"bank","owner_id":null}`, `The owner id field is required.`},
		{"required list order decides", `{}`, `The kind field is required.`},
		{"required-if", `{"kind":"card","owner_id":"u"}`, `The card_id field is required when kind = card.`},
		{"required-if satisfied", `{"kind":"card","owner_id":"u","card_id":"c"}`, ""},
		{"required-if with null", `{"kind":"card","owner_id":"u","card_id":null}`, `The card_id field is required when kind = card.`},
		{"nullable accepts null", `{"kind":"bank","owner_id":"u","email":null}`, ""},
		{"email format", `{"kind":"bank","owner_id":"u","email":"nope"}`, `The email must be a valid email address.`},
		{"email with display name", `{"kind":"bank","owner_id":"u","email":"Ada <a@b.co>"}`, `The email must be a valid email address.`},
		{"type string", `{"kind":"bank","owner_id":5}`, `The owner id must be a string.`},
		{"pattern", `{"kind":"bank","owner_id":"u","phone":"123"}`, `The phone format is invalid.`},
		{"integer", `{"kind":"bank","owner_id":"u","count":1.5}`, `The count must be an integer.`},
		{"maximum", `{"kind":"bank","owner_id":"u","count":101}`, `The count may not be greater than 100.`},
		{"minimum", `{"kind":"bank","owner_id":"u","count":0}`, `The count must be at least 1.`},
		{"nested boolean", `{"kind":"bank","owner_id":"u","card":{"blocked":"yes"}}`, `The card.blocked field must be true or false.`},
		{"map values", `{"kind":"bank","owner_id":"u","meta":{"a":"toolong"}}`, `The meta.a may not be greater than 5 characters.`},
		{"map size", `{"kind":"bank","owner_id":"u","meta":{"a":"1","b":"2","c":"3"}}`, `The meta may not have more than 2 items.`},
		{"exclusive", `{"kind":"bank","owner_id":"u","flag":true,"extra":{}}`, `flag and extra together.`},
		{"exclusive not triggered", `{"kind":"bank","owner_id":"u","flag":false,"extra":{}}`, ""},
		{"unknown fields are ignored", `{"kind":"bank","owner_id":"u","merchant_id":45}`, ""},
		{"malformed", `{"kind":`, `The request body must be valid JSON.`},
		{"not an object", `[1]`, `The request body must be an object.`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/things", strings.NewReader(c.body))
			r.Header.Set("Content-Type", "application/json")
			_, got := op.Validate(r, nil, []byte(c.body))
			if c.want == "" {
				if got != nil {
					t.Fatalf("want valid, got %v", got)
				}
				return
			}
			if got == nil {
				t.Fatalf("want %q, got valid", c.want)
			}
			if got.Status != 400 {
				t.Errorf("status %d", got.Status)
			}
			msg := got.Message
			if strings.Contains(c.want, ": ") {
				msg = got.Type + "/" + got.Code + ": " + got.Message
			}
			if msg != c.want {
				t.Errorf("got %q, want %q", msg, c.want)
			}
		})
	}
}

func TestContentTypeMustBeJSON(t *testing.T) {
	v := prepare(t, testDoc)
	op, _ := v.Operation("thing_create")
	body := `{"kind":"bank","owner_id":"u"}`
	for ct, ok := range map[string]bool{"application/json": true, "application/json; charset=utf-8": true, "text/plain": false, "": false, "application/x-www-form-urlencoded": false} {
		r := httptest.NewRequest(http.MethodPost, "/things", strings.NewReader(body))
		r.Header.Set("Content-Type", ct)
		_, got := op.Validate(r, nil, []byte(body))
		if ok != (got == nil) {
			t.Errorf("Content-Type %q: got %v", ct, got)
		}
		if got != nil && !strings.Contains(got.Message, "application/json") {
			t.Errorf("Content-Type %q: message %q does not say what is expected", ct, got.Message)
		}
	}
}

func TestParameters(t *testing.T) {
	v := prepare(t, testDoc)
	op, _ := v.Operation("thing_get")
	for query, want := range map[string]string{
		"limit=5":   "",
		"":          "The limit field is required.",
		"limit=abc": "The limit must be an integer.",
		"limit=11":  "The limit may not be greater than 10.",
	} {
		r := httptest.NewRequest(http.MethodGet, "/things/x?"+query, nil)
		_, got := op.Validate(r, map[string]string{"id": "x"}, nil)
		switch {
		case want == "" && got != nil:
			t.Errorf("%q: want valid, got %v", query, got)
		case want != "" && (got == nil || got.Message != want):
			t.Errorf("%q: got %v, want %q", query, got, want)
		}
	}
}

func TestNewRefusesKeywordsTheValidatorIgnores(t *testing.T) {
	doc := strings.Replace(testDoc, "owner_id: {type: string}", "owner_id: {type: string, const: x}", 1)
	d, err := openapi.Parse([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	cat, _ := knoterr.NewCatalogue(d)
	_, err = validate.New(d, cat)
	if err == nil || !strings.Contains(err.Error(), `"const"`) {
		t.Fatalf("want a const error, got %v", err)
	}
}

func TestNewRefusesUnknownExampleNames(t *testing.T) {
	doc := strings.Replace(testDoc, "enum: KindInvalid", "enum: KindMisspelt", 1)
	d, err := openapi.Parse([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	cat, _ := knoterr.NewCatalogue(d)
	_, err = validate.New(d, cat)
	if err == nil || !strings.Contains(err.Error(), "thing_create/KindMisspelt") {
		t.Fatalf("want a missing-example error, got %v", err)
	}
}
