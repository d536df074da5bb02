package validate

import (
	"encoding/json"
	"fmt"
	"reflect"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/knotmock/knotmock/server/knoterr"
)

// bodyRules are the request-body rules JSON Schema cannot express in the
// keyword subset we validate with, read from x-knot-* extensions once.
type bodyRules struct {
	order      map[string]int // position in the body's required list
	required   []requiredProp
	requiredIf []requiredIf
	exclusive  []exclusive
	overrides  map[*openapi3.Schema]map[string]*knoterr.Error
}

type requiredProp struct {
	name     string
	override *knoterr.Error
}

type requiredIf struct {
	Property string         `json:"property"`
	When     map[string]any `json:"when"`
	Error    string         `json:"error"`
	err      *knoterr.Error
}

type exclusive struct {
	Properties []string       `json:"properties"`
	When       map[string]any `json:"when"`
	Error      string         `json:"error"`
	err        *knoterr.Error
}

func parseRules(opID string, body *openapi3.Schema, res *knoterr.Resolver) (*bodyRules, error) {
	r := &bodyRules{order: map[string]int{}, overrides: map[*openapi3.Schema]map[string]*knoterr.Error{}}
	if err := collectOverrides(opID, body, res, r.overrides, map[*openapi3.Schema]bool{}); err != nil {
		return nil, err
	}
	for i, name := range body.Required {
		r.order[name] = i
		rp := requiredProp{name: name}
		if p := body.Properties[name]; p != nil && p.Value != nil {
			rp.override = r.overrides[p.Value]["required"]
		}
		r.required = append(r.required, rp)
	}
	if err := extension(body, "x-knot-required-if", &r.requiredIf); err != nil {
		return nil, fmt.Errorf("%s: %w", opID, err)
	}
	for i := range r.requiredIf {
		r.requiredIf[i].err = res.Get(opID, r.requiredIf[i].Error)
	}
	if err := extension(body, "x-knot-exclusive", &r.exclusive); err != nil {
		return nil, fmt.Errorf("%s: %w", opID, err)
	}
	for i := range r.exclusive {
		if len(r.exclusive[i].Properties) < 2 {
			return nil, fmt.Errorf("%s: x-knot-exclusive needs two properties or more", opID)
		}
		r.exclusive[i].err = res.Get(opID, r.exclusive[i].Error)
	}
	return r, nil
}

// collectOverrides walks a schema and resolves every x-knot-errors map
// (keyword → example name) to the operation's error examples.
func collectOverrides(opID string, s *openapi3.Schema, res *knoterr.Resolver, into map[*openapi3.Schema]map[string]*knoterr.Error, seen map[*openapi3.Schema]bool) error {
	if s == nil || seen[s] {
		return nil
	}
	seen[s] = true
	var names map[string]string
	if err := extension(s, "x-knot-errors", &names); err != nil {
		return fmt.Errorf("%s: %w", opID, err)
	}
	if len(names) > 0 {
		m := map[string]*knoterr.Error{}
		for kw, name := range names {
			m[kw] = res.Get(opID, name)
		}
		into[s] = m
	}
	var children []*openapi3.SchemaRef
	for _, p := range s.Properties {
		children = append(children, p)
	}
	children = append(children, s.Items, s.AdditionalProperties.Schema)
	children = append(children, s.OneOf...)
	children = append(children, s.AnyOf...)
	children = append(children, s.AllOf...)
	for _, c := range children {
		if c != nil {
			if err := collectOverrides(opID, c.Value, res, into, seen); err != nil {
				return err
			}
		}
	}
	return nil
}

func extension(s *openapi3.Schema, name string, into any) error {
	raw, ok := s.Extensions[name]
	if !ok {
		return nil
	}
	b, err := json.Marshal(raw)
	if err == nil {
		err = json.Unmarshal(b, into)
	}
	if err != nil {
		return fmt.Errorf("extension %s: %w", name, err)
	}
	return nil
}

// check applies Laravel's notion of "required" (null and "" count as
// missing) and the x-knot rules to a decoded body.
func (r *bodyRules) check(found []fieldError, obj map[string]any) []fieldError {
	for _, rp := range r.required {
		if v, present := obj[rp.name]; present && blank(v) {
			err := rp.override
			if err == nil {
				err = knoterr.Required(knoterr.Attr(rp.name))
			}
			found = append(found, fieldError{field: rp.name, required: true, err: err})
		}
	}
	for _, ri := range r.requiredIf {
		if holds(obj, ri.When) && blank(obj[ri.Property]) {
			found = append(found, fieldError{field: ri.Property, required: true, err: ri.err})
		}
	}
	for _, ex := range r.exclusive {
		if !holds(obj, ex.When) {
			continue
		}
		all := true
		for _, p := range ex.Properties {
			if v, ok := obj[p]; !ok || v == nil {
				all = false
			}
		}
		if all {
			found = append(found, fieldError{field: ex.Properties[0], err: ex.err})
		}
	}
	return found
}

func blank(v any) bool {
	if v == nil {
		return true
	}
	s, ok := v.(string)
	return ok && s == ""
}

func holds(obj map[string]any, when map[string]any) bool {
	for k, want := range when {
		if !reflect.DeepEqual(obj[k], want) {
			return false
		}
	}
	return true
}
