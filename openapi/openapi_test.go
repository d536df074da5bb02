package openapi

import (
	"encoding/json"
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
