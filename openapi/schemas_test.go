package openapi

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

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
