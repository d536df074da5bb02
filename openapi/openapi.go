// Package openapi holds the Knot API document that drives knotmock: routing,
// request validation, error messages and examples all come from knot.yaml.
// The document is embedded so the binary needs no files at run time.
package openapi

import (
	"context"
	_ "embed"
	"fmt"

	"github.com/getkin/kin-openapi/openapi3"
)

// Spec is the raw OpenAPI 3.1 document.
//
//go:embed knot.yaml
var Spec []byte

// Load parses the embedded document and validates it as OpenAPI 3.1.
func Load() (*openapi3.T, error) {
	return Parse(Spec)
}

// Parse parses and validates an OpenAPI 3.1 document. Examples are checked
// against their schemas, so a documented example can never contradict the
// schema the sandbox validates with.
func Parse(data []byte) (*openapi3.T, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(data)
	if err != nil {
		return nil, fmt.Errorf("openapi: parse: %w", err)
	}
	if err := doc.Validate(context.Background(), openapi3.EnableSchemaFormatValidation()); err != nil {
		return nil, fmt.Errorf("openapi: invalid document: %w", err)
	}
	return doc, nil
}
