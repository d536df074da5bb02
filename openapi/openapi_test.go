package openapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

func mustLoad(t *testing.T) *openapi3.T {
	t.Helper()
	doc, err := Load()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return doc
}

// operations is every operation of the document: knot-api.md §2.0 plus the
// legacy aliases.
var operations = []struct{ method, path, id string }{
	{http.MethodPost, "/session/create", "session_create"},
	{http.MethodPost, "/session/extend", "session_extend"},
	{http.MethodPost, "/merchant/list", "merchant_list"},
	{http.MethodGet, "/merchant/list", "merchant_list_get"},
	{http.MethodPost, "/merchant/connected", "merchant_connected"},
	{http.MethodGet, "/accounts/get", "accounts_get"},
	{http.MethodPost, "/accounts/unlink", "accounts_unlink"},
	{http.MethodPost, "/user/delete", "user_delete"},
	{http.MethodGet, "/user/{external_user_id}", "user_get"},
	{http.MethodGet, "/jwe/key", "jwe_get_public_key"},
	{http.MethodPost, "/card", "card_switch"},
	{http.MethodPost, "/transactions/sync", "transaction_sync"},
	{http.MethodGet, "/transactions/{id}", "transaction_get_by_id"},
	{http.MethodGet, "/transactions/get/{id}", "transaction_get_by_id_legacy"},
	{http.MethodPost, "/transactions/refresh", "transaction_refresh"},
	{http.MethodPost, "/cart", "cart_sync"},
	{http.MethodPost, "/cart/checkout", "checkout"},
	{http.MethodGet, "/subscriptions/{id}", "subscription_get_by_id"},
	{http.MethodPost, "/subscriptions/list", "subscription_list"},
	{http.MethodPost, "/subscriptions/{id}/cancel", "subscription_cancel"},
	{http.MethodPost, "/detect", "detect_accounts"},
	{http.MethodPost, "/detected-accounts/list", "detected_accounts_list"},
	{http.MethodPost, "/detected-accounts/search", "detected_accounts_search"},
	{http.MethodPost, "/detected_accounts/sync", "detected_accounts_sync"},
	{http.MethodPost, "/development/accounts/link", "development_accounts_link"},
	{http.MethodPost, "/development/accounts/disconnect", "development_accounts_disconnect"},
}

// accepted are the operations that answer 202; every other one answers 200.
var accepted = map[string]bool{
	"cart_sync":           true,
	"checkout":            true,
	"transaction_refresh": true,
	"detect_accounts":     true,
	"subscription_cancel": true,
}

var webhookEvents = []string{
	"AUTHENTICATED", "CREDENTIALS_FAILED", "OTP_REQUIRED", "OTP_FAILED", "QUESTIONS_REQUIRED",
	"QUESTIONS_FAILED", "LOGIN_APPROVAL", "LICENSE_REQUIRED", "LICENSE_FAILED", "ACCOUNTS_RETRIEVED",
	"ACCOUNT_LOGIN_REQUIRED", "MERCHANT_STATUS_UPDATE", "CARD_UPDATING", "CARD_UPDATED", "CARD_FAILED",
	"NEW_TRANSACTIONS_AVAILABLE", "UPDATED_TRANSACTIONS_AVAILABLE", "SYNC_CART_SUCCEEDED",
	"SYNC_CART_FAILED", "CHECKOUT_SUCCEEDED", "CHECKOUT_FAILED", "VAULTING_SUCCEEDED", "VAULTING_FAILED",
	"NEW_SUBSCRIPTIONS_AVAILABLE", "UPDATED_SUBSCRIPTIONS_AVAILABLE", "CANCELLATION_SUCCEEDED",
	"CANCELLATION_FAILED", "NEW_DETECTED_ACCOUNTS_AVAILABLE",
}

type opRef struct {
	method, path string
	op           *openapi3.Operation
}

// allOperations lists the document's operations by operationId.
func allOperations(t *testing.T, doc *openapi3.T) map[string]opRef {
	t.Helper()
	ops := map[string]opRef{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if op.OperationID == "" {
				t.Errorf("%s %s has no operationId", method, path)
				continue
			}
			if prev, dup := ops[op.OperationID]; dup {
				t.Errorf("operationId %s used by %s %s and %s %s", op.OperationID, prev.method, prev.path, method, path)
			}
			ops[op.OperationID] = opRef{method, path, op}
		}
	}
	return ops
}

func jsonValue(t *testing.T, s string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("bad literal %s: %v", s, err)
	}
	return v
}

// normalize round-trips a value through JSON so YAML-decoded values compare
// equal to JSON literals.
func normalize(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("unmarshal: %v", err)
	}
	return out
}

func mediaJSON(resp *openapi3.ResponseRef) *openapi3.MediaType {
	if resp == nil || resp.Value == nil {
		return nil
	}
	return resp.Value.Content.Get("application/json")
}

// findExample returns the named example of an operation and its status.
func findExample(op *openapi3.Operation, name string) (int, any, bool) {
	for code, resp := range op.Responses.Map() {
		mt := mediaJSON(resp)
		if mt == nil {
			continue
		}
		if ex, ok := mt.Examples[name]; ok && ex.Value != nil {
			status, _ := strconv.Atoi(code)
			return status, ex.Value.Value, true
		}
	}
	return 0, nil, false
}

// errorExampleNames lists the examples documented under a status >= 400.
func errorExampleNames(op *openapi3.Operation) map[string]int {
	names := map[string]int{}
	for code, resp := range op.Responses.Map() {
		status, err := strconv.Atoi(code)
		if err != nil || status < 400 {
			continue
		}
		if mt := mediaJSON(resp); mt != nil {
			for name := range mt.Examples {
				names[name] = status
			}
		}
	}
	return names
}

func TestLoad(t *testing.T) {
	doc := mustLoad(t)
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi = %q, want 3.1.0", doc.OpenAPI)
	}
	if doc.Info == nil || doc.Info.Title != "Knot API" {
		t.Errorf("info.title is not Knot API")
	}
	var urls []string
	for _, s := range doc.Servers {
		urls = append(urls, s.URL)
	}
	if want := []string{"https://development.knotapi.com", "http://localhost:8080"}; !reflect.DeepEqual(urls, want) {
		t.Errorf("servers = %v, want %v", urls, want)
	}
	if len(doc.Security) != 1 || doc.Security[0]["basicAuth"] == nil {
		t.Errorf("global security = %v, want [{basicAuth: []}]", doc.Security)
	}
	ss := doc.Components.SecuritySchemes["basicAuth"]
	if ss == nil || ss.Value == nil || ss.Value.Type != "http" || ss.Value.Scheme != "basic" {
		t.Errorf("components.securitySchemes.basicAuth is not http/basic")
	}
}

func TestParseRejectsInvalidExample(t *testing.T) {
	// Guards the premise of the other tests: Parse validates examples.
	bad := strings.Replace(string(Spec), "session: 915efe72-5136-4652-z91q-d9d48003c102", "session: 12", 1)
	if bad == string(Spec) {
		t.Fatal("the Create Session success example is gone")
	}
	if _, err := Parse([]byte(bad)); err == nil {
		t.Fatal("Parse accepted an example that contradicts its schema")
	}
}

func TestOperations(t *testing.T) {
	doc := mustLoad(t)
	for _, want := range operations {
		item := doc.Paths.Value(want.path)
		if item == nil {
			t.Errorf("path %s is missing", want.path)
			continue
		}
		op := item.GetOperation(want.method)
		if op == nil {
			t.Errorf("%s %s is missing", want.method, want.path)
			continue
		}
		if op.OperationID != want.id {
			t.Errorf("%s %s operationId = %q, want %q", want.method, want.path, op.OperationID, want.id)
		}
		if op.Summary == "" {
			t.Errorf("%s has no summary", want.id)
		}
	}
	if got := allOperations(t, doc); len(got) != len(operations) {
		var names []string
		for id := range got {
			names = append(names, id)
		}
		sort.Strings(names)
		t.Errorf("document has %d operations, want %d: %v", len(got), len(operations), names)
	}
}

func TestEveryOperationHasSuccessAuthAndServerErrorExamples(t *testing.T) {
	doc := mustLoad(t)
	authFailed := jsonValue(t, `{"error_type":"INVALID_INPUT","error_code":"INVALID_API_KEYS","error_message":"Invalid client_id or secret provided."}`)
	serverError := jsonValue(t, `{"message":"Server Error"}`)
	for id, ref := range allOperations(t, doc) {
		op := ref.op
		wantStatus := "200"
		if accepted[id] {
			wantStatus = "202"
		}
		for code := range op.Responses.Map() {
			if strings.HasPrefix(code, "2") && code != wantStatus {
				t.Errorf("%s documents success status %s, want only %s", id, code, wantStatus)
			}
		}
		mt := mediaJSON(op.Responses.Value(wantStatus))
		if mt == nil || mt.Schema == nil {
			t.Errorf("%s: no application/json schema under %s", id, wantStatus)
		} else if len(mt.Examples) == 0 {
			t.Errorf("%s: no named success example under %s", id, wantStatus)
		} else {
			for name, ex := range mt.Examples {
				if err := mt.Schema.Value.VisitJSON(ex.Value.Value, openapi3.EnableJSONSchema2020()); err != nil {
					t.Errorf("%s: success example %s does not match its schema: %v", id, name, err)
				}
			}
		}
		if status, v, ok := findExample(op, "AuthFailed"); !ok || status != 401 || !reflect.DeepEqual(normalize(t, v), authFailed) {
			t.Errorf("%s: AuthFailed = %d %v, want 401 %v", id, status, v, authFailed)
		}
		if status, v, ok := findExample(op, "InternalServerError"); !ok || status != 500 || !reflect.DeepEqual(normalize(t, v), serverError) {
			t.Errorf("%s: InternalServerError = %d %v, want 500 %v", id, status, v, serverError)
		}
	}
}

func TestResponsesHaveNamedJSONExamples(t *testing.T) {
	doc := mustLoad(t)
	for id, ref := range allOperations(t, doc) {
		for code, resp := range ref.op.Responses.Map() {
			mt := mediaJSON(resp)
			switch {
			case mt == nil:
				t.Errorf("%s %s: no application/json content", id, code)
			case mt.Example != nil:
				t.Errorf("%s %s: lone example; use named examples", id, code)
			case len(mt.Examples) == 0:
				t.Errorf("%s %s: no named examples", id, code)
			}
		}
	}
}

func TestErrorExamplesAreErrorObjects(t *testing.T) {
	doc := mustLoad(t)
	errSchema := doc.Components.Schemas["Error"].Value
	for id, ref := range allOperations(t, doc) {
		for code, resp := range ref.op.Responses.Map() {
			status, _ := strconv.Atoi(code)
			if status < 400 || status == 500 {
				continue
			}
			for name, ex := range mediaJSON(resp).Examples {
				if !isUpperCamel(name) {
					t.Errorf("%s: example name %q is not UpperCamelCase", id, name)
				}
				if err := errSchema.VisitJSON(ex.Value.Value, openapi3.EnableJSONSchema2020()); err != nil {
					t.Errorf("%s %d %s is not a Knot error object: %v", id, status, name, err)
				}
			}
		}
	}
}

func isUpperCamel(s string) bool {
	if s == "" || s[0] < 'A' || s[0] > 'Z' {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

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
func requestSchemas(op *openapi3.Operation) map[string]*openapi3.SchemaRef {
	out := map[string]*openapi3.SchemaRef{}
	if op.RequestBody != nil && op.RequestBody.Value != nil {
		if mt := op.RequestBody.Value.Content.Get("application/json"); mt != nil {
			out["body"] = mt.Schema
		}
	}
	for _, p := range op.Parameters {
		out[p.Value.In+" "+p.Value.Name] = p.Value.Schema
	}
	return out
}

// walkSchema visits a schema and every schema under it.
func walkSchema(path string, ref *openapi3.SchemaRef, visit func(path string, s *openapi3.Schema)) {
	if ref == nil || ref.Value == nil {
		return
	}
	s := ref.Value
	visit(path, s)
	for name, p := range s.Properties {
		walkSchema(path+"."+name, p, visit)
	}
	walkSchema(path+"[]", s.Items, visit)
	walkSchema(path+"{}", s.AdditionalProperties.Schema, visit)
	for i, sub := range s.OneOf {
		walkSchema(fmt.Sprintf("%s/oneOf/%d", path, i), sub, visit)
	}
	for i, sub := range s.AnyOf {
		walkSchema(fmt.Sprintf("%s/anyOf/%d", path, i), sub, visit)
	}
	for i, sub := range s.AllOf {
		walkSchema(fmt.Sprintf("%s/allOf/%d", path, i), sub, visit)
	}
	walkSchema(path+"/not", s.Not, visit)
}

// builtinKeywords are the keywords kin-openapi's built-in validator
// implements (docs/design.md); request schemas may use nothing else.
var builtinKeywords = map[string]bool{
	"type": true, "properties": true, "required": true, "enum": true, "format": true, "pattern": true,
	"minLength": true, "maxLength": true, "minimum": true, "maximum": true, "minItems": true,
	"maxItems": true, "maxProperties": true, "additionalProperties": true, "items": true,
	"oneOf": true, "anyOf": true, "allOf": true, "description": true, "example": true,
	"examples": true, "default": true, "deprecated": true,
}

func TestRequestSchemasUseOnlyBuiltinKeywords(t *testing.T) {
	doc := mustLoad(t)
	for id, ref := range allOperations(t, doc) {
		for where, schema := range requestSchemas(ref.op) {
			walkSchema(id+" "+where, schema, func(path string, s *openapi3.Schema) {
				b, err := json.Marshal(s)
				if err != nil {
					t.Fatalf("%s: %v", path, err)
				}
				var keys map[string]any
				if err := json.Unmarshal(b, &keys); err != nil {
					t.Fatalf("%s: %v", path, err)
				}
				for k := range keys {
					if !builtinKeywords[k] && !strings.HasPrefix(k, "x-") {
						t.Errorf("%s uses %q, which the built-in validator does not implement", path, k)
					}
				}
				if s.AdditionalProperties.Has != nil && !*s.AdditionalProperties.Has {
					t.Errorf("%s sets additionalProperties: false; Knot ignores unknown fields", path)
				}
			})
		}
	}
}

// xKnotErrorKeywords are the keywords x-knot-errors may map (docs/design.md).
var xKnotErrorKeywords = map[string]bool{
	"required": true, "type": true, "enum": true, "format": true, "pattern": true, "maxLength": true,
	"minLength": true, "maximum": true, "minimum": true, "maxItems": true, "minItems": true,
	"maxProperties": true,
}

func TestValidationExtensionsNameExamples(t *testing.T) {
	doc := mustLoad(t)
	for id, ref := range allOperations(t, doc) {
		names := errorExampleNames(ref.op)
		checkName := func(where string, v any) {
			name, _ := v.(string)
			if status, ok := names[name]; !ok || status != 400 {
				t.Errorf("%s: %s names %q, which is not a 400 example of the operation", id, where, v)
			}
		}
		for where, schema := range requestSchemas(ref.op) {
			walkSchema(where, schema, func(path string, s *openapi3.Schema) {
				if raw, ok := s.Extensions["x-knot-errors"]; ok {
					m, ok := raw.(map[string]any)
					if !ok {
						t.Errorf("%s: %s x-knot-errors is not a map", id, path)
					}
					for kw, name := range m {
						if !xKnotErrorKeywords[kw] {
							t.Errorf("%s: %s x-knot-errors maps unknown keyword %q", id, path, kw)
						}
						checkName(path+" x-knot-errors."+kw, name)
						present := map[string]bool{
							"required": true, "type": s.Type != nil,
							"enum": len(s.Enum) > 0, "format": s.Format != "", "pattern": s.Pattern != "",
							"maxLength": s.MaxLength != nil, "minLength": s.MinLength > 0,
							"maximum": s.Max != nil, "minimum": s.Min != nil, "maxItems": s.MaxItems != nil,
							"minItems": s.MinItems > 0, "maxProperties": s.MaxProps != nil,
						}
						if !present[kw] {
							t.Errorf("%s: %s x-knot-errors.%s but the schema has no %s", id, path, kw, kw)
						}
					}
				}
				for _, ext := range []string{"x-knot-required-if", "x-knot-exclusive"} {
					raw, ok := s.Extensions[ext]
					if !ok {
						continue
					}
					rules, ok := raw.([]any)
					if !ok || len(rules) == 0 {
						t.Errorf("%s: %s %s is not a list of rules", id, path, ext)
						continue
					}
					for _, r := range rules {
						rule, _ := r.(map[string]any)
						checkName(path+" "+ext, rule["error"])
						var props []any
						if ext == "x-knot-required-if" {
							props = []any{rule["property"]}
						} else {
							props, _ = rule["properties"].([]any)
						}
						when, _ := rule["when"].(map[string]any)
						if len(when) == 0 || len(props) == 0 {
							t.Errorf("%s: %s %s rule %v lacks when or properties", id, path, ext, rule)
						}
						for k := range when {
							props = append(props, k)
						}
						for _, p := range props {
							if name, _ := p.(string); s.Properties[name] == nil {
								t.Errorf("%s: %s %s names unknown property %v", id, path, ext, p)
							}
						}
					}
				}
			})
		}
	}
}

// TestExternalUserIDRequired: every external_user_id request field names
// the shared ExternalUserIdRequired example.
func TestExternalUserIDRequired(t *testing.T) {
	doc := mustLoad(t)
	for id, ref := range allOperations(t, doc) {
		for where, schema := range requestSchemas(ref.op) {
			var s *openapi3.SchemaRef
			switch {
			case where == "body" && schema.Value.Properties["external_user_id"] != nil:
				s = schema.Value.Properties["external_user_id"]
			case strings.HasSuffix(where, " external_user_id") && !strings.HasPrefix(where, "path "):
				s = schema
			default:
				continue
			}
			errs, _ := s.Value.Extensions["x-knot-errors"].(map[string]any)
			if errs["required"] != "ExternalUserIdRequired" {
				t.Errorf("%s %s external_user_id lacks x-knot-errors {required: ExternalUserIdRequired}", id, where)
			}
			status, v, ok := findExample(ref.op, "ExternalUserIdRequired")
			want := jsonValue(t, `{"error_type":"INVALID_REQUEST","error_code":"INVALID_FIELD","error_message":"The external user id field is required."}`)
			if !ok || status != 400 || !reflect.DeepEqual(normalize(t, v), want) {
				t.Errorf("%s does not list the ExternalUserIdRequired example", id)
			}
		}
	}
}

func TestComponentSchemas(t *testing.T) {
	doc := mustLoad(t)
	for _, name := range []string{
		"Error", "ServerError", "Transaction", "Subscription", "SubscriptionListItem", "Merchant",
		"Account", "Cart", "Fulfillment", "CartPrice", "Adjustment", "DetectedAccount", "JWK",
	} {
		if doc.Components.Schemas[name] == nil {
			t.Errorf("components.schemas.%s is missing", name)
		}
	}
	errSchema := doc.Components.Schemas["Error"].Value
	for _, code := range []string{"SUBSCRIPTION_NOT_FOUND", "ONGOING_OPERATION", "PRODUCT_NOT_VALID", "PRODUCT_NOT_ENABLED", "NO_TRANSACTIONS"} {
		if !contains(errSchema.Properties["error_code"].Value.Enum, code) {
			t.Errorf("Error.error_code lacks %s", code)
		}
	}
	if !contains(errSchema.Properties["error_type"].Value.Enum, "SUBSCRIPTION_ERROR") {
		t.Error("Error.error_type lacks SUBSCRIPTION_ERROR")
	}
	txn := doc.Components.Schemas["Transaction"].Value
	if l := txn.Properties["loyalty"]; l == nil || !l.Value.Type.IncludesNull() {
		t.Error("Transaction.loyalty must be nullable")
	}
	account := doc.Components.Schemas["Account"].Value
	lifecycle := account.Properties["lifecycle"].Value.Properties["status"].Value
	if !contains(lifecycle.Enum, nil) || !contains(lifecycle.Enum, "completed") {
		t.Errorf("Account.lifecycle.status enum = %v", lifecycle.Enum)
	}
}

func contains(list []any, v any) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func TestWebhooks(t *testing.T) {
	doc := mustLoad(t)
	if len(doc.Webhooks) != len(webhookEvents) {
		t.Errorf("document has %d webhooks, want %d", len(doc.Webhooks), len(webhookEvents))
	}
	for _, event := range webhookEvents {
		item := doc.Webhooks[event]
		if item == nil || item.Post == nil {
			t.Errorf("webhook %s is missing", event)
			continue
		}
		op := item.Post
		if want := "webhook_" + strings.ToLower(event); op.OperationID != want {
			t.Errorf("%s operationId = %q, want %q", event, op.OperationID, want)
		}
		if op.Security == nil || len(*op.Security) != 0 {
			t.Errorf("%s must have security: []", event)
		}
		if op.Responses.Value("200") == nil {
			t.Errorf("%s has no 200 response", event)
		}
		mt := op.RequestBody.Value.Content.Get("application/json")
		if mt == nil || mt.Schema == nil || len(mt.Examples) != 1 {
			t.Errorf("%s needs a JSON schema and one named example", event)
			continue
		}
		schema := mt.Schema.Value
		for name, ex := range mt.Examples {
			value := normalize(t, ex.Value.Value)
			if err := schema.VisitJSON(value, openapi3.EnableJSONSchema2020()); err != nil {
				t.Errorf("%s example %s does not match its schema: %v", event, name, err)
				continue
			}
			if got := value.(map[string]any)["event"]; got != event {
				t.Errorf("%s example %s has event %v", event, name, got)
			}
			for what, mutate := range webhookMistakes(event, value.(map[string]any)) {
				bad := normalize(t, value).(map[string]any)
				mutate(bad)
				if err := schema.VisitJSON(bad, openapi3.EnableJSONSchema2020()); err == nil {
					t.Errorf("%s schema accepts a payload with %s", event, what)
				}
			}
		}
	}
}

// webhookMistakes are changes each webhook schema must reject.
func webhookMistakes(event string, example map[string]any) map[string]func(map[string]any) {
	m := map[string]func(map[string]any){
		"another event":   func(p map[string]any) { p["event"] = "SOMETHING_ELSE" },
		"no event":        func(p map[string]any) { delete(p, "event") },
		"no timestamp":    func(p map[string]any) { delete(p, "timestamp") },
		"seconds as text": func(p map[string]any) { p["timestamp"] = "x" },
	}
	if event == "SYNC_CART_SUCCEEDED" {
		m["an integer timestamp"] = func(p map[string]any) { p["timestamp"] = 1710864923198 }
	} else {
		m["a string timestamp"] = func(p map[string]any) { p["timestamp"] = "1710864923198" }
	}
	if _, ok := example["task_id"]; ok {
		m["a string task_id"] = func(p map[string]any) { p["task_id"] = "25605" }
		m["no task_id"] = func(p map[string]any) { delete(p, "task_id") }
	}
	if _, ok := example["merchant"]; ok {
		m["a string merchant.id"] = func(p map[string]any) { p["merchant"].(map[string]any)["id"] = "10" }
		m["no merchant"] = func(p map[string]any) { delete(p, "merchant") }
	}
	if _, ok := example["external_user_id"]; ok {
		m["no external_user_id"] = func(p map[string]any) { delete(p, "external_user_id") }
	}
	if data, ok := example["data"].(map[string]any); ok {
		m["no data"] = func(p map[string]any) { delete(p, "data") }
		if _, ok := data["metadata"]; ok {
			m["non-string metadata"] = func(p map[string]any) {
				p["data"].(map[string]any)["metadata"] = map[string]any{"k": 1}
			}
		}
	}
	return m
}

func TestWebhookChoices(t *testing.T) {
	doc := mustLoad(t)
	schemaOf := func(event string) *openapi3.Schema {
		return doc.Webhooks[event].Post.RequestBody.Value.Content.Get("application/json").Schema.Value
	}
	cases := []struct {
		event, payload string
		ok             bool
	}{
		{"AUTHENTICATED", `{"event":"AUTHENTICATED","session_id":"s","task_id":1,"external_user_id":"u","merchant":{"id":1,"name":"M"},"data":{"card_id":null,"send_card":false,"entrypoint":null,"metadata":{}},"timestamp":1}`, true},
		{"AUTHENTICATED", `{"event":"AUTHENTICATED","session_id":"s","task_id":1,"external_user_id":"u","merchant":{"id":1,"name":"M"},"data":{"card_id":"c","entrypoint":null},"timestamp":1}`, false},
		{"CARD_FAILED", `{"event":"CARD_FAILED","task_id":1,"external_user_id":"u","merchant":{"id":1,"name":"M"},"data":{"card_id":"c","reason":"card in use"},"timestamp":1}`, true},
		{"CARD_FAILED", `{"event":"CARD_FAILED","task_id":1,"external_user_id":"u","merchant":{"id":1,"name":"M"},"data":{"card_id":"c","reason":"nope"},"timestamp":1}`, false},
		{"VAULTING_FAILED", `{"event":"VAULTING_FAILED","session_id":"s","task_id":1,"external_user_id":"u","merchant":{"id":1,"name":"M"},"data":{"reason":"r","metadata":{}},"timestamp":1}`, true},
		{"CANCELLATION_FAILED", `{"event":"CANCELLATION_FAILED","external_user_id":"u","merchant":{"id":1,"name":"M"},"data":{"subscription_id":"x","reason":"r"},"timestamp":1}`, true},
		{"CANCELLATION_FAILED", `{"event":"CANCELLATION_FAILED","external_user_id":"u","merchant":{"id":1,"name":"M"},"data":{"subscription_id":"x"},"timestamp":1}`, false},
		{"NEW_SUBSCRIPTIONS_AVAILABLE", `{"event":"NEW_SUBSCRIPTIONS_AVAILABLE","external_user_id":"u","merchant":{"id":1,"name":"M"},"data":{"subscriptions":[{"id":"x"}]},"timestamp":1}`, true},
		{"NEW_DETECTED_ACCOUNTS_AVAILABLE", `{"event":"NEW_DETECTED_ACCOUNTS_AVAILABLE","external_user_id":"u","data":{"detected_accounts":[{"id":1,"name":"M","logo":"l"}]},"timestamp":1}`, true},
		{"UPDATED_TRANSACTIONS_AVAILABLE", `{"event":"UPDATED_TRANSACTIONS_AVAILABLE","external_user_id":"u","merchant":{"id":1,"name":"M"},"data":{"updated":[{"id":"x"}]},"timestamp":1}`, false},
		{"MERCHANT_STATUS_UPDATE", `{"event":"MERCHANT_STATUS_UPDATE","merchant":{"id":1,"name":"M","category":"c","logo":"l"},"data":{"type":"shopping","status":"UP","platform":"web","sdk":null},"timestamp":1}`, true},
	}
	for _, c := range cases {
		err := schemaOf(c.event).VisitJSON(jsonValue(t, c.payload), openapi3.EnableJSONSchema2020())
		if (err == nil) != c.ok {
			t.Errorf("%s %s: valid = %v, want %v (%v)", c.event, c.payload, err == nil, c.ok, err)
		}
	}
	reasons := schemaOf("CARD_FAILED").AllOf[1].Value.Properties["data"].Value.Properties["reason"].Value.Enum
	if len(reasons) != 21 {
		t.Errorf("CARD_FAILED reasons: %d, want the newest list of 21", len(reasons))
	}
}

func ExampleLoad() {
	doc, err := Load()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(doc.OpenAPI)
	fmt.Println(doc.Paths.Value("/session/create").Post.OperationID)
	fmt.Println(doc.Components.Examples["AuthFailed"].Value.Value.(map[string]any)["error_message"])
	fmt.Println(len(doc.Webhooks), "webhook events")
	// Output:
	// 3.1.0
	// session_create
	// Invalid client_id or secret provided.
	// 28 webhook events
}
