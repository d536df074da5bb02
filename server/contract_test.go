package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/knotmock/knotmock/openapi"
	"github.com/knotmock/knotmock/server/servertest"
)

// sample builds a value valid for a schema from its examples, enums and
// bounds, for calling operations generically.
func sample(s *openapi3.Schema) any {
	if s == nil {
		return nil
	}
	if s.Example != nil {
		return s.Example
	}
	if len(s.Examples) > 0 {
		return s.Examples[0]
	}
	if len(s.Enum) > 0 {
		return s.Enum[0]
	}
	if s.Default != nil {
		return s.Default
	}
	for _, group := range [][]*openapi3.SchemaRef{s.OneOf, s.AnyOf, s.AllOf} {
		if len(group) > 0 {
			return sample(group[0].Value)
		}
	}
	switch {
	case s.Type.Includes("object"):
		obj := map[string]any{}
		for _, name := range s.Required {
			obj[name] = sample(s.Properties[name].Value)
		}
		return obj
	case s.Type.Includes("array"):
		return []any{sample(s.Items.Value)}
	case s.Type.Includes("integer"), s.Type.Includes("number"):
		if s.Min != nil {
			return *s.Min
		}
		return 1
	case s.Type.Includes("boolean"):
		return true
	case s.Type.Includes("string"):
		switch s.Format {
		case "email":
			return "ada@example.com"
		case "uuid":
			return "13da3c28-a068-4642-9ce2-b730cfda5f5f"
		}
		return "abc123"
	}
	return nil
}

// requestFor builds a request for an operation: the first named request
// example, else one built from the schema.
func requestFor(t *testing.T, base string, path string, item *openapi3.PathItem, method string, op *openapi3.Operation) *http.Request {
	t.Helper()
	q := url.Values{}
	for _, p := range append(item.Parameters, op.Parameters...) {
		v := sample(p.Value.Schema.Value)
		if p.Value.Example != nil {
			v = p.Value.Example
		}
		str := strings.Trim(mustJSON(t, v), `"`)
		switch p.Value.In {
		case "path":
			path = strings.ReplaceAll(path, "{"+p.Value.Name+"}", url.PathEscape(str))
		case "query":
			if p.Value.Required {
				q.Set(p.Value.Name, str)
			}
		}
	}
	var body io.Reader
	if rb := op.RequestBody; rb != nil {
		mt := rb.Value.Content.Get("application/json")
		var v any
		names := make([]string, 0, len(mt.Examples))
		for n := range mt.Examples {
			names = append(names, n)
		}
		sort.Strings(names)
		switch {
		case len(names) > 0:
			v = mt.Examples[names[0]].Value.Value
		case mt.Example != nil:
			v = mt.Example
		default:
			v = sample(mt.Schema.Value)
		}
		body = strings.NewReader(mustJSON(t, v))
	}
	u := base + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return req
}

func mustJSON(t *testing.T, v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Every operation of the document answers, and its answer is one the
// document allows (status documented, body valid against its schema).
func TestEveryOperationAnswersAsDocumented(t *testing.T) {
	srv := servertest.New(t)
	doc, err := openapi.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range doc.Paths.InMatchingOrder() {
		item := doc.Paths.Value(path)
		for method, op := range item.Operations() {
			t.Run(op.OperationID, func(t *testing.T) {
				req := requestFor(t, srv.URL, path, item, method, op)
				req.Header.Set("Authorization", servertest.BasicAuth(srv.ClientID, srv.Secret))
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				body, _ := io.ReadAll(resp.Body)
				if resp.StatusCode == 404 || resp.StatusCode == 405 || resp.StatusCode == 500 {
					t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, body)
				}
				checkResponse(t, doc, item, path, method, op, req, resp, body)
			})
		}
	}
}

func checkResponse(t *testing.T, doc *openapi3.T, item *openapi3.PathItem, path, method string, op *openapi3.Operation, req *http.Request, resp *http.Response, body []byte) {
	t.Helper()
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request: req,
			Route:   &routers.Route{Spec: doc, Path: path, PathItem: item, Method: method, Operation: op},
			Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
		},
		Status:  resp.StatusCode,
		Header:  resp.Header,
		Body:    io.NopCloser(bytes.NewReader(body)),
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		t.Fatalf("%s %s answered %d %s\nwhich the document does not allow: %v", method, path, resp.StatusCode, body, err)
	}
}

// Every operation has a handler with state: none answers with its
// documented example any more, and /_mock/operations says the same.
func TestOperationsAnsweringFromExamples(t *testing.T) {
	srv := servertest.New(t)
	got := srv.ExampleOperations()
	if len(got) != 0 {
		t.Errorf("%d operations still answer from examples: %v", len(got), got)
	}
	r := srv.Get(t, "/_mock/operations")
	if r.Status != 200 {
		t.Fatalf("/_mock/operations: %d %s", r.Status, r.Body)
	}
	var listed struct {
		Operations []struct{ OperationID, Handler string } `json:"operations"`
	}
	if err := json.Unmarshal([]byte(r.Body), &listed); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, op := range listed.Operations {
		if op.Handler == "example" {
			n++
		}
	}
	if n != len(got) {
		t.Fatalf("/_mock/operations lists %d example operations, server says %d", n, len(got))
	}
}
