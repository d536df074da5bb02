package validate

import (
	"fmt"

	"github.com/getkin/kin-openapi/openapi3"
)

// checkKeywords lists the JSON Schema 2020-12 keywords in a request schema
// that kin-openapi's built-in validator would silently ignore. Request
// schemas must not use them (see docs/design.md).
func checkKeywords(where string, ref *openapi3.SchemaRef) []string {
	var problems []string
	seen := map[*openapi3.Schema]bool{}
	var walk func(path string, r *openapi3.SchemaRef)
	walk = func(path string, r *openapi3.SchemaRef) {
		if r == nil || r.Value == nil || seen[r.Value] {
			return
		}
		s := r.Value
		seen[s] = true
		bad := func(kw string) { problems = append(problems, fmt.Sprintf("%s%s uses %q", where, path, kw)) }
		if s.Const != nil {
			bad("const")
		}
		if s.If != nil || s.Then != nil || s.Else != nil {
			bad("if/then/else")
		}
		if len(s.PrefixItems) > 0 {
			bad("prefixItems")
		}
		if s.Contains != nil {
			bad("contains")
		}
		if len(s.PatternProperties) > 0 {
			bad("patternProperties")
		}
		if len(s.DependentRequired) > 0 || len(s.DependentSchemas) > 0 {
			bad("dependentRequired/dependentSchemas")
		}
		if s.PropertyNames != nil {
			bad("propertyNames")
		}
		if s.UnevaluatedItems.Has != nil || s.UnevaluatedItems.Schema != nil ||
			s.UnevaluatedProperties.Has != nil || s.UnevaluatedProperties.Schema != nil {
			bad("unevaluated*")
		}
		if s.AdditionalProperties.Has != nil && !*s.AdditionalProperties.Has {
			bad("additionalProperties: false")
		}
		for name, p := range s.Properties {
			walk(path+"."+name, p)
		}
		walk(path+"[]", s.Items)
		walk(path+".*", s.AdditionalProperties.Schema)
		for _, group := range [][]*openapi3.SchemaRef{s.OneOf, s.AnyOf, s.AllOf} {
			for _, c := range group {
				walk(path, c)
			}
		}
		walk(path, s.Not)
	}
	walk("", ref)
	return problems
}
