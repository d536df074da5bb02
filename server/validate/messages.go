package validate

import (
	"errors"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/knotmock/knotmock/server/knoterr"
)

// fieldError is one failure, tied to the top-level field it concerns so the
// first one can be chosen the way Knot reports a single error.
type fieldError struct {
	field    string
	param    bool // query/path parameters are checked before the body
	required bool // a missing value is reported before a wrong one
	err      *knoterr.Error
}

// collect flattens kin-openapi's errors into fieldErrors.
func (op *Operation) collect(found []fieldError, err error, prefix []string) []fieldError {
	// Concrete types first: a RequestError unwraps to a MultiError, so
	// errors.As alone would lose which parameter failed.
	switch e := err.(type) {
	case openapi3.MultiError:
		for _, inner := range e {
			found = op.collect(found, inner, prefix)
		}
		return found
	case *openapi3filter.RequestError:
		if e.Parameter != nil {
			return op.paramError(found, e)
		}
		return op.collect(found, e.Err, prefix)
	case *openapi3.SchemaError:
		return append(found, op.schemaError(e, prefix))
	}
	var schemaErr *openapi3.SchemaError
	if errors.As(err, &schemaErr) {
		return append(found, op.schemaError(schemaErr, prefix))
	}
	name := "request"
	if len(prefix) > 0 {
		name = prefix[0]
	}
	return append(found, fieldError{field: name, err: knoterr.Format(knoterr.Attr(prefix...))})
}

func (op *Operation) paramError(found []fieldError, e *openapi3filter.RequestError) []fieldError {
	p := e.Parameter
	attr := knoterr.Attr(p.Name)
	var multi openapi3.MultiError
	var schemaErr *openapi3.SchemaError
	switch {
	case errors.Is(e.Err, openapi3filter.ErrInvalidRequired):
		return append(found, fieldError{field: p.Name, param: true, required: true, err: knoterr.Required(attr)})
	case errors.As(e.Err, &multi), errors.As(e.Err, &schemaErr):
		start := len(found)
		found = op.collect(found, e.Err, []string{p.Name})
		for i := start; i < len(found); i++ {
			found[i].param = true
		}
		return found
	}
	// A value that could not be parsed as the parameter's type.
	var fe *knoterr.Error
	if p.Schema != nil && p.Schema.Value != nil {
		fe = typeError(p.Schema.Value, attr)
	} else {
		fe = knoterr.Format(attr)
	}
	return append(found, fieldError{field: p.Name, param: true, err: fe})
}

func (op *Operation) schemaError(e *openapi3.SchemaError, prefix []string) fieldError {
	path := append(append([]string(nil), prefix...), e.JSONPointer()...)
	kw := e.SchemaField
	target := e.Schema
	if kw == "required" && len(path) > 0 && target != nil {
		if p := target.Properties[path[len(path)-1]]; p != nil && p.Value != nil {
			target = p.Value
		}
	}
	fe := fieldError{required: kw == "required"}
	if len(path) > 0 {
		fe.field = path[0]
	}
	if op.rules != nil {
		if override := op.rules.overrides[target][kw]; override != nil {
			fe.err = override
			return fe
		}
	}
	attr := knoterr.Attr(path...)
	if len(path) == 0 {
		attr = "request body"
	}
	fe.err = message(kw, target, attr)
	return fe
}

// message is the Laravel wording for a failed JSON Schema keyword.
func message(kw string, s *openapi3.Schema, attr string) *knoterr.Error {
	if s == nil {
		return knoterr.Format(attr)
	}
	switch kw {
	case "required":
		return knoterr.Required(attr)
	case "type":
		return typeError(s, attr)
	case "enum":
		return knoterr.Selected(attr)
	case "format":
		switch s.Format {
		case "email":
			return knoterr.Email(attr)
		case "uuid":
			return knoterr.UUID(attr)
		case "date", "date-time":
			return knoterr.Date(attr)
		}
	case "maxLength":
		if s.MaxLength != nil {
			return knoterr.MaxChars(attr, *s.MaxLength)
		}
	case "minLength":
		return knoterr.MinChars(attr, s.MinLength)
	case "maximum":
		if s.Max != nil {
			return knoterr.Max(attr, *s.Max)
		}
	case "minimum":
		if s.Min != nil {
			return knoterr.Min(attr, *s.Min)
		}
	case "maxItems":
		if s.MaxItems != nil {
			return knoterr.MaxItems(attr, *s.MaxItems)
		}
	case "minItems":
		return knoterr.MinItems(attr, s.MinItems)
	case "maxProperties":
		if s.MaxProps != nil {
			return knoterr.MaxItems(attr, *s.MaxProps)
		}
	}
	return knoterr.Format(attr)
}

func typeError(s *openapi3.Schema, attr string) *knoterr.Error {
	for _, t := range s.Type.Slice() {
		switch t {
		case "string":
			return knoterr.String(attr)
		case "boolean":
			return knoterr.Boolean(attr)
		case "integer":
			return knoterr.Integer(attr)
		case "number":
			return knoterr.Number(attr)
		case "array":
			return knoterr.Array(attr)
		case "object":
			return knoterr.Object(attr)
		}
	}
	return knoterr.Format(attr)
}

// first picks the error Knot would report: parameters first, then body
// fields in the order of the body's required list, then the other fields
// alphabetically; for one field a missing value before a wrong one.
func first(found []fieldError, r *bodyRules) *knoterr.Error {
	rank := func(f fieldError) (int, int) {
		if f.param {
			return 0, 0
		}
		if r != nil {
			if i, ok := r.order[f.field]; ok {
				return 1, i
			}
		}
		return 2, 0
	}
	sort.SliceStable(found, func(i, j int) bool {
		gi, oi := rank(found[i])
		gj, oj := rank(found[j])
		if gi != gj {
			return gi < gj
		}
		if oi != oj {
			return oi < oj
		}
		if c := strings.Compare(found[i].field, found[j].field); c != 0 {
			return c < 0
		}
		return found[i].required && !found[j].required
	})
	return found[0].err
}
