package validate

import (
	"encoding/json"
	"sort"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/knotmock/knotmock/openapi"
	"github.com/knotmock/knotmock/server/knoterr"
)

// TestValidatorAgreesWith31Mode pins the reason the validator may use
// kin-openapi's built-in validator: for every request body of the document,
// and many wrong variants of each, it gives the same verdict as
// kin-openapi's JSON Schema 2020-12 (OpenAPI 3.1) mode.
func TestValidatorAgreesWith31Mode(t *testing.T) {
	doc, err := openapi.Load()
	if err != nil {
		t.Fatal(err)
	}
	cat, err := knoterr.NewCatalogue(doc)
	if err != nil {
		t.Fatal(err)
	}
	v, err := New(doc, cat)
	if err != nil {
		t.Fatal(err)
	}
	wrong := []any{nil, "x", "", 123, 1.5, -1, true, map[string]any{}, []any{}, []any{"x"}, map[string]any{"a": 1}}
	checked := 0
	for _, op := range v.Operations() {
		if op.body == nil {
			continue
		}
		for _, base := range bodies(op) {
			variants := []map[string]any{base}
			keys := make([]string, 0, len(op.body.Properties))
			for k := range op.body.Properties {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				without := clone(base)
				delete(without, k)
				variants = append(variants, without)
				for _, w := range wrong {
					m := clone(base)
					m[k] = w
					variants = append(variants, m)
				}
			}
			for _, body := range variants {
				fast := op.body.VisitJSON(roundTrip(t, body), op.visit...) == nil
				full := op.body.VisitJSON(roundTrip(t, body), openapi3.EnableJSONSchema2020(),
					openapi3.WithStringFormatValidator("email", emailFormat{}),
					openapi3.WithStringFormatValidator("uuid", openapi3.NewRegexpFormatValidator(openapi3.FormatOfStringForUUIDOfRFC9562))) == nil
				if fast != full {
					b, _ := json.Marshal(body)
					t.Errorf("%s: built-in validator says valid=%v, 3.1 mode says valid=%v for %s", op.ID, fast, full, b)
				}
				checked++
			}
		}
	}
	if checked < 500 {
		t.Fatalf("only %d bodies compared", checked)
	}
	t.Logf("%d bodies compared", checked)
}

func bodies(op *Operation) []map[string]any {
	var out []map[string]any
	mt := op.Spec.RequestBody.Value.Content.Get("application/json")
	for _, ex := range mt.Examples {
		if m, ok := ex.Value.Value.(map[string]any); ok {
			out = append(out, m)
		}
	}
	if m, ok := mt.Example.(map[string]any); ok {
		out = append(out, m)
	}
	if len(out) == 0 {
		m := map[string]any{}
		for _, r := range op.body.Required {
			if p := op.body.Properties[r]; p != nil && p.Value.Example != nil {
				m[r] = p.Value.Example
			}
		}
		out = append(out, m)
	}
	return out
}

func clone(m map[string]any) map[string]any {
	c := make(map[string]any, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

func roundTrip(t *testing.T, v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}
