package openapi

import (
	"bytes"
	"testing"
)

func TestServingSpecIsUpToDate(t *testing.T) {
	want, err := Serving(Spec)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(want, ServingSpec) {
		t.Fatal("openapi/serve.json is out of date with knot.yaml: run `go generate ./openapi`")
	}
}

func TestWebhookExamplesAreUpToDate(t *testing.T) {
	want, err := WebhookExamplesOf(Spec)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(want, WebhookExamplesJSON) {
		t.Fatal("openapi/webhooks.json is out of date with knot.yaml: run `go generate ./openapi`")
	}
	m, err := WebhookExamples()
	if err != nil || len(m) < 28 {
		t.Fatalf("%d webhook examples, err %v", len(m), err)
	}
}

func TestServingSpecKeepsWhatTheServerUses(t *testing.T) {
	full, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	serving, err := LoadServing()
	if err != nil {
		t.Fatal(err)
	}
	if len(serving.Webhooks) != 0 {
		t.Error("serve.json still has webhooks")
	}
	for _, path := range full.Paths.InMatchingOrder() {
		for method, op := range full.Paths.Value(path).Operations() {
			sitem := serving.Paths.Value(path)
			if sitem == nil || sitem.GetOperation(method) == nil {
				t.Errorf("serve.json lacks %s %s", method, path)
				continue
			}
			sop := sitem.GetOperation(method)
			if sop.OperationID != op.OperationID {
				t.Errorf("%s %s: operationId %q, want %q", method, path, sop.OperationID, op.OperationID)
			}
			for code, resp := range op.Responses.Map() {
				sr := sop.Responses.Value(code)
				if sr == nil {
					t.Errorf("%s: response %s missing", op.OperationID, code)
					continue
				}
				if mt := resp.Value.Content.Get("application/json"); mt != nil {
					if len(sr.Value.Content.Get("application/json").Examples) != len(mt.Examples) {
						t.Errorf("%s %s: examples differ", op.OperationID, code)
					}
				}
			}
		}
	}
}

func BenchmarkLoadServing(b *testing.B) {
	for b.Loop() {
		if _, err := LoadServing(); err != nil {
			b.Fatal(err)
		}
	}
}
