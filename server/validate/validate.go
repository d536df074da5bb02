// Package validate checks requests against the OpenAPI document before any
// handler runs and turns every failure into Knot's error body.
//
// Everything is prepared once in New: one kin-openapi route per operation,
// the body schema, the x-knot-* rules and the error examples they name. The
// request path only decodes the body once and walks prepared schemas.
package validate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/mail"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/knotmock/knotmock/server/knoterr"
)

// Validator holds the prepared operations of one document.
type Validator struct {
	ops map[string]*Operation
}

// Operation is one prepared operation.
type Operation struct {
	ID       string
	Method   string
	Path     string // OpenAPI template, e.g. /transactions/{id}
	Spec     *openapi3.Operation
	route    *routers.Route
	hasQuery bool // parameters other than path ones need openapi3filter
	body     *openapi3.Schema
	rules    *bodyRules
	options  *openapi3filter.Options
	visit    []openapi3.SchemaValidationOption
}

// New prepares every operation of doc. It fails when a request schema uses
// a keyword the validator would ignore, or names an error example the
// operation does not document.
func New(doc *openapi3.T, cat *knoterr.Catalogue) (*Validator, error) {
	// kin-openapi compiles a JSON Schema 2020-12 validator on every call for
	// 3.1 documents (~200 µs a request); its built-in validator does the same
	// checks for the keywords checkKeywords allows, 40 times faster. The
	// routes therefore point at a copy of the document flagged 3.0.
	fast := *doc
	fast.OpenAPI = "3.0.3"

	v := &Validator{ops: map[string]*Operation{}}
	res := cat.Resolver()
	visit := []openapi3.SchemaValidationOption{
		openapi3.MultiErrors(),
		openapi3.VisitAsRequest(),
		openapi3.WithStringFormatValidator("email", emailFormat{}),
		openapi3.WithStringFormatValidator("uuid", openapi3.NewRegexpFormatValidator(openapi3.FormatOfStringForUUIDOfRFC9562)),
	}
	options := &openapi3filter.Options{
		ExcludeRequestBody: true, // decoded and visited once by Validate itself
		MultiError:         true,
		// Authentication runs before validation (401 before 400), so the
		// security requirement is already met when openapi3filter looks.
		AuthenticationFunc:      openapi3filter.NoopAuthenticationFunc,
		SchemaValidationOptions: visit,
	}
	var problems []string
	for _, path := range doc.Paths.InMatchingOrder() {
		item := doc.Paths.Value(path)
		for method, spec := range item.Operations() {
			op := &Operation{
				ID: spec.OperationID, Method: method, Path: path, Spec: spec,
				route:   &routers.Route{Spec: &fast, Path: path, PathItem: item, Method: method, Operation: spec},
				options: options,
				visit:   visit,
			}
			for _, p := range append(item.Parameters, spec.Parameters...) {
				if p.Value != nil && p.Value.In != openapi3.ParameterInPath {
					op.hasQuery = true
				}
				if p.Value != nil && p.Value.Schema != nil {
					problems = append(problems, checkKeywords(op.ID+" parameter "+p.Value.Name, p.Value.Schema)...)
				}
			}
			if rb := spec.RequestBody; rb != nil && rb.Value != nil {
				if mt := rb.Value.Content.Get("application/json"); mt != nil && mt.Schema != nil {
					op.body = mt.Schema.Value
					problems = append(problems, checkKeywords(op.ID+" request body", mt.Schema)...)
					rules, err := parseRules(op.ID, op.body, res)
					if err != nil {
						problems = append(problems, err.Error())
					}
					op.rules = rules
				}
			}
			if _, dup := v.ops[op.ID]; dup {
				problems = append(problems, "duplicate operationId "+op.ID)
			}
			v.ops[op.ID] = op
		}
	}
	if err := res.Err(); err != nil {
		problems = append(problems, err.Error())
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		return nil, fmt.Errorf("validate: %s", strings.Join(problems, "; "))
	}
	return v, nil
}

// Operation returns a prepared operation by operationId.
func (v *Validator) Operation(id string) (*Operation, bool) {
	op, ok := v.ops[id]
	return op, ok
}

// Operations lists all prepared operations, sorted by path then method.
func (v *Validator) Operations() []*Operation {
	out := make([]*Operation, 0, len(v.ops))
	for _, op := range v.ops {
		out = append(out, op)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Path != out[j].Path {
			return out[i].Path < out[j].Path
		}
		return out[i].Method < out[j].Method
	})
	return out
}

// HasBody reports whether the operation takes a JSON request body.
func (op *Operation) HasBody() bool { return op.body != nil }

// Validate checks path and query parameters and the JSON body (already read;
// empty means {} as Knot treats a missing body as a body without fields).
// It returns the decoded body (a JSON object once valid, nil without a
// body schema) so a handler need not decode it again, or the Knot error to
// send.
func (op *Operation) Validate(r *http.Request, pathParams map[string]string, body []byte) (map[string]any, *knoterr.Error) {
	var found []fieldError
	var obj map[string]any
	if op.hasQuery {
		in := &openapi3filter.RequestValidationInput{Request: r, PathParams: pathParams, Route: op.route, Options: op.options}
		if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
			found = op.collect(found, err, nil)
		}
	}
	if op.body != nil {
		if ct := r.Header.Get("Content-Type"); len(body) > 0 && !isJSON(ct) {
			return nil, knoterr.UnsupportedMediaType(ct)
		}
		var value any = map[string]any{}
		if len(body) > 0 {
			if err := json.Unmarshal(body, &value); err != nil {
				return nil, knoterr.MalformedJSON()
			}
		}
		var isObject bool
		obj, isObject = value.(map[string]any)
		if isObject && op.rules != nil {
			found = op.rules.check(found, obj)
		}
		if err := op.body.VisitJSON(value, op.visit...); err != nil {
			found = op.collect(found, err, nil)
		}
	}
	if len(found) == 0 {
		return obj, nil
	}
	return nil, first(found, op.rules)
}

func isJSON(ct string) bool {
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	ct = strings.TrimSpace(strings.ToLower(ct))
	return ct == "application/json" || strings.HasSuffix(ct, "+json")
}

// emailFormat follows Laravel's "email" rule closely enough: one address,
// no display name, a local part and a domain.
type emailFormat struct{}

func (emailFormat) Validate(s string) error {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return errors.New("not an email address")
	}
	at := strings.LastIndexByte(s, '@')
	if at <= 0 || at == len(s)-1 {
		return errors.New("not an email address")
	}
	return nil
}
