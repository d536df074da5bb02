package openapi

import (
	"fmt"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

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
