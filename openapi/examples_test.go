package openapi

import (
	"reflect"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

type knotErr struct {
	status             int
	typ, code, message string
}

func checkErrors(t *testing.T, doc *openapi3.T, opID string, want map[string]knotErr) {
	t.Helper()
	ref, ok := allOperations(t, doc)[opID]
	if !ok {
		t.Fatalf("operation %s is missing", opID)
	}
	for name, w := range want {
		status, v, ok := findExample(ref.op, name)
		if !ok {
			t.Errorf("%s: example %s is missing", opID, name)
			continue
		}
		want := map[string]any{"error_type": w.typ, "error_code": w.code, "error_message": w.message}
		if status != w.status || !reflect.DeepEqual(normalize(t, v), normalize(t, want)) {
			t.Errorf("%s: %s = %d %v, want %d %v", opID, name, status, v, w.status, want)
		}
	}
}

func TestCreateSessionExamples(t *testing.T) {
	doc := mustLoad(t)
	op := doc.Paths.Value("/session/create").Post
	want := map[string]string{
		"InvalidProductType":     `{"error_type":"INVALID_INPUT","error_code":"PRODUCT_NOT_VALID","error_message":"The selected type is invalid."}`,
		"CardIdRequired":         `{"error_type":"INVALID_REQUEST","error_code":"INVALID_FIELD","error_message":"The card_id field is required when type = card_switcher."}`,
		"ExternalUserIdRequired": `{"error_type":"INVALID_REQUEST","error_code":"INVALID_FIELD","error_message":"The external user id field is required."}`,
		"TypeRequired":           `{"error_type":"INVALID_REQUEST","error_code":"INVALID_FIELD","error_message":"The type field is required."}`,
		"InvalidPhoneNumber":     `{"error_type":"INVALID_REQUEST","error_code":"INVALID_FIELD","error_message":"The phone number format is invalid."}`,
		"InvalidEmail":           `{"error_type":"INVALID_REQUEST","error_code":"INVALID_FIELD","error_message":"The email must be a valid email address."}`,
		"InvalidProcessorToken":  `{"error_type":"INVALID_REQUEST","error_code":"INVALID_FIELD","error_message":"The processor token must be a string."}`,
		"InvalidCardBlocked":     `{"error_type":"INVALID_REQUEST","error_code":"INVALID_FIELD","error_message":"The card.blocked field must be true or false."}`,
		"AuthFailed":             `{"error_type":"INVALID_INPUT","error_code":"INVALID_API_KEYS","error_message":"Invalid client_id or secret provided."}`,
		"NoAccess":               `{"error_type":"INVALID_REQUEST","error_code":"NO_ACCESS","error_message":"The type is not enabled. Please contact Knot for access to this endpoint."}`,
		"InternalServerError":    `{"message":"Server Error"}`,
	}
	wantStatus := map[string]int{"AuthFailed": 401, "NoAccess": 403, "InternalServerError": 500}
	for name, body := range want {
		status, v, ok := findExample(op, name)
		if !ok {
			t.Errorf("example %s is missing", name)
			continue
		}
		ws := wantStatus[name]
		if ws == 0 {
			ws = 400
		}
		if status != ws {
			t.Errorf("%s is documented under %d, want %d", name, status, ws)
		}
		if got := normalize(t, v); !reflect.DeepEqual(got, jsonValue(t, body)) {
			t.Errorf("%s = %v, want %s", name, got, body)
		}
	}
	if n := len(mediaJSON(op.Responses.Value("400")).Examples); n != 8 {
		t.Errorf("Create Session documents %d 400 examples, want the 8 of Knot's table", n)
	}

	// The request schema of seed 001, plus seed 002's card object.
	body := op.RequestBody.Value.Content.Get("application/json").Schema.Value
	if want := []string{"type", "external_user_id"}; !reflect.DeepEqual(body.Required, want) {
		t.Errorf("required = %v, want %v", body.Required, want)
	}
	typ := body.Properties["type"].Value
	if !reflect.DeepEqual(normalize(t, typ.Enum), jsonValue(t, `["card_switcher","transaction_link","link","vault"]`)) {
		t.Errorf("type enum = %v", typ.Enum)
	}
	phone := body.Properties["phone_number"].Value
	if phone.Pattern != `^\+[1-9]\d{1,14}$` {
		t.Errorf("phone_number pattern = %q", phone.Pattern)
	}
	if body.Properties["email"].Value.Format != "email" {
		t.Errorf("email has no format: email")
	}
	meta := body.Properties["metadata"].Value
	if meta.MaxProps == nil || *meta.MaxProps != 10 || meta.AdditionalProperties.Schema == nil ||
		meta.AdditionalProperties.Schema.Value.MaxLength == nil || *meta.AdditionalProperties.Schema.Value.MaxLength != 500 {
		t.Errorf("metadata is not a map of at most 10 strings of at most 500 characters")
	}
	card := body.Properties["card"]
	if card == nil || card.Value.Properties["blocked"] == nil || card.Value.Properties["has_funds"] == nil {
		t.Errorf("card {blocked, has_funds} is missing")
	}
	for mode, opts := range validatorModes {
		for _, accept := range []string{
			`{"type":"card_switcher","external_user_id":"123abc","card_id":"81n9al10a0ayn13","email":"ada.lovelace@gmail.com","phone_number":"+11234567890","processor_token":null,"metadata":{"reference_token":"abc123","trace_id":"def456"}}`,
			`{"type":"transaction_link","external_user_id":"ryan","card":{"has_funds":true,"blocked":false}}`,
			`{"type":"link","external_user_id":"a","merchant_id":45,"email":null,"phone_number":null,"metadata":null,"card_id":null}`,
		} {
			if err := body.VisitJSON(jsonValue(t, accept), opts...); err != nil {
				t.Errorf("%s: rejects %s: %v", mode, accept, err)
			}
		}
		for _, reject := range []string{
			`{"type":"shopping","external_user_id":"a"}`,
			`{"type":"link"}`,
			`{"type":"link","external_user_id":"a","phone_number":"1234"}`,
			`{"type":"link","external_user_id":"a","card":{"blocked":"yes"}}`,
			`{"type":"link","external_user_id":"a","processor_token":5}`,
			`{"type":"link","external_user_id":"a","metadata":{"k":1}}`,
			`{"type":"link","external_user_id":"a","metadata":{"a":"1","b":"2","c":"3","d":"4","e":"5","f":"6","g":"7","h":"8","i":"9","j":"10","k":"11"}}`,
		} {
			if err := body.VisitJSON(jsonValue(t, reject), opts...); err == nil {
				t.Errorf("%s: accepts %s", mode, reject)
			}
		}
	}
}

// validatorModes are the two ways request schemas are evaluated: the
// built-in validator server/validate uses per request, and JSON Schema
// 2020-12 (OpenAPI 3.1 semantics).
var validatorModes = map[string][]openapi3.SchemaValidationOption{
	"built-in": {openapi3.VisitAsRequest()},
	"2020-12":  {openapi3.VisitAsRequest(), openapi3.EnableJSONSchema2020()},
}

func TestRequestExamplesValidInBothModes(t *testing.T) {
	doc := mustLoad(t)
	for id, ref := range allOperations(t, doc) {
		if ref.op.RequestBody == nil {
			continue
		}
		mt := ref.op.RequestBody.Value.Content.Get("application/json")
		if len(mt.Examples) == 0 {
			t.Errorf("%s: the request body has no named example", id)
		}
		for name, ex := range mt.Examples {
			for mode, opts := range validatorModes {
				if err := mt.Schema.Value.VisitJSON(normalize(t, ex.Value.Value), opts...); err != nil {
					t.Errorf("%s: request example %s fails the %s validator: %v", id, name, mode, err)
				}
			}
		}
	}
}

func TestSharedExamples(t *testing.T) {
	doc := mustLoad(t)
	want := map[string]string{
		"UserNotFound":                `{"error_type":"USER_ERROR","error_code":"USER_NOT_FOUND","error_message":"The selected external user id is invalid."}`,
		"UnknownMerchant":             `{"error_type":"INVALID_REQUEST","error_code":"INVALID_FIELD","error_message":"The selected merchant id is invalid."}`,
		"MerchantAccountNotFound":     `{"error_type":"MERCHANT_ACCOUNT_ERROR","error_code":"MERCHANT_ACCOUNT_NOT_FOUND","error_message":"No merchant account was found for this user and merchant."}`,
		"MerchantAccountDisconnected": `{"error_type":"MERCHANT_ACCOUNT_ERROR","error_code":"MERCHANT_ACCOUNT_DISCONNECTED","error_message":"The merchant account is disconnected. The user must log in again."}`,
		"MerchantUnavailable":         `{"error_type":"MERCHANT_ERROR","error_code":"MERCHANT_UNAVAILABLE","error_message":"The merchant is currently unavailable."}`,
		"TransactionNotFound":         `{"error_type":"TRANSACTION_ERROR","error_code":"TRANSACTION_NOT_FOUND","error_message":"The selected transaction id is invalid."}`,
		"NoTransactions":              `{"error_type":"TRANSACTION_ERROR","error_code":"NO_TRANSACTIONS","error_message":"No transactions are available for this merchant account yet."}`,
		"InvalidCursor":               `{"error_type":"INVALID_REQUEST","error_code":"INVALID_CURSOR_FORMAT","error_message":"The cursor format is invalid."}`,
		"SubscriptionNotFound":        `{"error_type":"SUBSCRIPTION_ERROR","error_code":"SUBSCRIPTION_NOT_FOUND","error_message":"The selected subscription id is invalid."}`,
		"OngoingOperation":            `{"error_type":"MERCHANT_ACCOUNT_ERROR","error_code":"ONGOING_OPERATION","error_message":"Cannot perform multiple operations on the same merchant account simultaneously."}`,
		"CartNotFound":                `{"error_type":"CART_ERROR","error_code":"CART_NOT_FOUND","error_message":"No cart was found for this merchant account. Sync a cart first."}`,
		"FulfillmentNotFound":         `{"error_type":"CART_ERROR","error_code":"FULFILLMENT_NOT_FOUND","error_message":"The selected fulfillment id is invalid."}`,
		"TaskNotFound":                `{"error_type":"INVALID_REQUEST","error_code":"INVALID_FIELD","error_message":"The selected task id is invalid."}`,
		"CardWindowClosed":            `{"error_type":"INVALID_REQUEST","error_code":"INVALID_FIELD","error_message":"The task id has expired. Card data must be sent within 15 seconds of the AUTHENTICATED webhook."}`,
		"NoAccessEndpoint":            `{"error_type":"INVALID_REQUEST","error_code":"NO_ACCESS","error_message":"Please contact Knot for access to this endpoint."}`,
		"ExternalUserIdRequired":      `{"error_type":"INVALID_REQUEST","error_code":"INVALID_FIELD","error_message":"The external user id field is required."}`,
		"AuthFailed":                  `{"error_type":"INVALID_INPUT","error_code":"INVALID_API_KEYS","error_message":"Invalid client_id or secret provided."}`,
		"InternalServerError":         `{"message":"Server Error"}`,
	}
	for name, body := range want {
		ex := doc.Components.Examples[name]
		if ex == nil || ex.Value == nil {
			t.Errorf("components.examples.%s is missing", name)
			continue
		}
		if got := normalize(t, ex.Value.Value); !reflect.DeepEqual(got, jsonValue(t, body)) {
			t.Errorf("components.examples.%s = %v, want %s", name, got, body)
		}
	}
}

func TestSessionExtendExamples(t *testing.T) {
	checkErrors(t, mustLoad(t), "session_extend", map[string]knotErr{
		"SessionIdRequired": {400, "INVALID_REQUEST", "INVALID_FIELD", "The session id field is required."},
		"SessionNotFound":   {400, "SESSION_ERROR", "SESSION_NOT_FOUND", "The selected session id is invalid."},
		"SessionExpired":    {400, "SESSION_ERROR", "EXTEND_NOT_SUPPORTED", "The session has expired and cannot be extended. Create a new session instead."},
	})
}

func TestCardSwitchExamples(t *testing.T) {
	doc := mustLoad(t)
	messages := map[string]string{
		"UserFieldRequired":     "The user.phone number is required.",
		"CardNumberNotNumeric":  "The card.number must be numeric.",
		"CardNumberTooLong":     "The card.number is too long for card type.",
		"CardNumberTooShort":    "The card.number is too short for card type.",
		"CardNumberInvalid":     "The card.number is invalid and does not pass the Luhn check.",
		"CVVNotNumeric":         "The card.cvv must be numeric.",
		"CVVTooLong":            "The card.cvv is too long for card type.",
		"CVVTooShort":           "The card.cvv is too short for card type.",
		"CVVRequired":           "The card.cvv is required.",
		"CardExpirationInvalid": "The card.expiration should be in MM/YYYY or MM/YY format.",
		"CardExpired":           "The card is expired.",
		"JWEInvalid":            "The jwe is invalid.",
	}
	want := map[string]knotErr{
		"NoAccess":                    {403, "INVALID_REQUEST", "NO_ACCESS", "Please contact Knot for access to this endpoint."},
		"TaskNotFound":                {400, "INVALID_REQUEST", "INVALID_FIELD", "The selected task id is invalid."},
		"CardWindowClosed":            {400, "INVALID_REQUEST", "INVALID_FIELD", "The task id has expired. Card data must be sent within 15 seconds of the AUTHENTICATED webhook."},
		"MerchantAccountNotFound":     {400, "MERCHANT_ACCOUNT_ERROR", "MERCHANT_ACCOUNT_NOT_FOUND", "No merchant account was found for this user and merchant."},
		"MerchantAccountDisconnected": {400, "MERCHANT_ACCOUNT_ERROR", "MERCHANT_ACCOUNT_DISCONNECTED", "The merchant account is disconnected. The user must log in again."},
		"UserNotFound":                {400, "USER_ERROR", "USER_NOT_FOUND", "The selected external user id is invalid."},
		"UnknownMerchant":             {400, "INVALID_REQUEST", "INVALID_FIELD", "The selected merchant id is invalid."},
	}
	for name, msg := range messages {
		want[name] = knotErr{400, "INVALID_REQUEST", "INVALID_JWE", msg}
		if name != "JWEInvalid" {
			want["Plain"+name] = knotErr{400, "INVALID_REQUEST", "INVALID_FIELD", msg}
		}
	}
	checkErrors(t, doc, "card_switch", want)
	op := allOperations(t, doc)["card_switch"].op
	if _, _, ok := findExample(op, "PlainJWEInvalid"); ok {
		t.Error("the plain variant has no JWEInvalid")
	}

	// One body schema, every property optional; the handler checks the
	// variant and the user/card fields with Knot's own messages.
	body := op.RequestBody.Value.Content.Get("application/json").Schema.Value
	if len(body.Required) != 0 {
		t.Errorf("card_switch body requires %v; the handler decides the variant", body.Required)
	}
	for _, p := range []string{"jwe", "task_id", "external_user_id", "merchant_id", "card_name", "customer_name", "user", "card"} {
		if body.Properties[p] == nil {
			t.Errorf("card_switch body lacks %s", p)
		}
	}
	if !body.Properties["task_id"].Value.Type.Is("string") {
		t.Error("task_id must be a string in requests")
	}
	var walk func(path string, s *openapi3.Schema)
	walk = func(path string, s *openapi3.Schema) {
		if len(s.Required) != 0 || s.MaxLength != nil || s.MinLength != 0 || s.Pattern != "" {
			t.Errorf("%s constrains its fields at schema level; the card package owns those rules", path)
		}
		for name, p := range s.Properties {
			walk(path+"."+name, p.Value)
		}
	}
	walk("user", body.Properties["user"].Value)
	walk("card", body.Properties["card"].Value)
}

func TestDevelopmentLinkExamples(t *testing.T) {
	checkErrors(t, mustLoad(t), "development_accounts_link", map[string]knotErr{
		"CardIdRequired":                    {400, "INVALID_REQUEST", "INVALID_FIELD", "The card_id field is required when card_switcher = true."},
		"CardSwitcherTransactionsExclusive": {400, "INVALID_REQUEST", "INVALID_FIELD", "The card_switcher and transactions fields cannot be used together."},
		"UpdatedRequiresNew":                {400, "INVALID_REQUEST", "INVALID_FIELD", "The transactions.updated field requires transactions.new to be true."},
		"ExternalUserIdRequired":            {400, "INVALID_REQUEST", "INVALID_FIELD", "The external user id field is required."},
	})
}

// TestErrorExampleStatusIsUnique mirrors knoterr.NewCatalogue: an example
// name means one status within an operation.
func TestErrorExampleStatusIsUnique(t *testing.T) {
	doc := mustLoad(t)
	for id, ref := range allOperations(t, doc) {
		seen := map[string]string{}
		for code, resp := range ref.op.Responses.Map() {
			mt := mediaJSON(resp)
			if mt == nil {
				continue
			}
			for name := range mt.Examples {
				if prev, dup := seen[name]; dup && prev != code {
					t.Errorf("%s documents %s under %s and %s", id, name, prev, code)
				}
				seen[name] = code
			}
		}
	}
}

// requestSchemas yields every request schema of an operation: the JSON body
// and each parameter, with whether the parameter is required.
