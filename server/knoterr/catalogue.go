package knoterr

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"

	"github.com/getkin/kin-openapi/openapi3"
)

// Catalogue indexes every named error example of the OpenAPI document:
// operation → example name → error, with the status code it is documented
// under. Handlers resolve the names they use once at start-up (Must), so a
// misspelt or missing example stops the server instead of failing a request.
type Catalogue struct {
	byOp map[string]map[string]*Error
}

// NewCatalogue reads the error examples (status >= 400) of every operation.
func NewCatalogue(doc *openapi3.T) (*Catalogue, error) {
	c := &Catalogue{byOp: map[string]map[string]*Error{}}
	for _, path := range doc.Paths.InMatchingOrder() {
		for _, op := range doc.Paths.Value(path).Operations() {
			if op.OperationID == "" {
				return nil, fmt.Errorf("knoterr: %s has an operation without operationId", path)
			}
			named := map[string]*Error{}
			for code, ref := range op.Responses.Map() {
				status, err := strconv.Atoi(code)
				if err != nil || status < 400 || ref.Value == nil {
					continue
				}
				mt := ref.Value.Content.Get("application/json")
				if mt == nil {
					continue
				}
				for name, ex := range mt.Examples {
					if ex.Value == nil {
						continue
					}
					body, err := json.Marshal(ex.Value.Value)
					if err != nil {
						return nil, fmt.Errorf("knoterr: %s example %s: %w", op.OperationID, name, err)
					}
					if prev, dup := named[name]; dup && prev.Status != status {
						return nil, fmt.Errorf("knoterr: %s documents example %s under %d and %d", op.OperationID, name, prev.Status, status)
					}
					named[name] = Raw(status, body)
				}
			}
			c.byOp[op.OperationID] = named
		}
	}
	return c, nil
}

// Lookup returns the named error example of an operation.
func (c *Catalogue) Lookup(operationID, name string) (*Error, bool) {
	e, ok := c.byOp[operationID][name]
	return e, ok
}

// Names lists the error examples of an operation, sorted.
func (c *Catalogue) Names(operationID string) []string {
	names := make([]string, 0, len(c.byOp[operationID]))
	for n := range c.byOp[operationID] {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Resolver collects the examples a package needs and reports every missing
// one at once.
type Resolver struct {
	c       *Catalogue
	missing []string
}

// Resolver starts a batch of lookups.
func (c *Catalogue) Resolver() *Resolver { return &Resolver{c: c} }

// Get returns the example, or records it as missing and returns a
// placeholder that must never be served (Err reports it first).
func (r *Resolver) Get(operationID, name string) *Error {
	if e, ok := r.c.Lookup(operationID, name); ok {
		return e
	}
	r.missing = append(r.missing, operationID+"/"+name)
	return ServerError
}

// Err reports the examples that were asked for but are not documented.
func (r *Resolver) Err() error {
	if len(r.missing) == 0 {
		return nil
	}
	return fmt.Errorf("knoterr: the OpenAPI document lacks these error examples: %v", r.missing)
}
