package server

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/knotmock/knotmock/server/knoterr"
	"github.com/knotmock/knotmock/server/validate"
)

// canned holds an operation's documented responses, encoded once: the
// success example served by operations without a handler, and every example
// the Prefer header can ask for.
type canned struct {
	op        string
	examples  map[string]cannedResponse // example name → response
	byStatus  map[int]string            // status → first example name (sorted)
	okStatus  int
	okExample string
}

type cannedResponse struct {
	status int
	body   []byte
}

func newCanned(op *validate.Operation) (*canned, error) {
	c := &canned{op: op.ID, examples: map[string]cannedResponse{}, byStatus: map[int]string{}}
	for code, ref := range op.Spec.Responses.Map() {
		status, err := strconv.Atoi(code)
		if err != nil || ref.Value == nil {
			continue
		}
		mt := ref.Value.Content.Get("application/json")
		if mt == nil {
			continue
		}
		names := make([]string, 0, len(mt.Examples))
		for name, ex := range mt.Examples {
			if ex.Value == nil {
				continue
			}
			body, err := json.Marshal(ex.Value.Value)
			if err != nil {
				return nil, fmt.Errorf("server: %s example %s: %w", op.ID, name, err)
			}
			if status >= 400 {
				body = knoterr.Raw(status, body).Body() // Knot's field order
			}
			c.examples[name] = cannedResponse{status, body}
			names = append(names, name)
		}
		sort.Strings(names)
		if len(names) > 0 {
			c.byStatus[status] = names[0]
		}
		if status < 300 && (c.okStatus == 0 || status < c.okStatus) && len(names) > 0 {
			c.okStatus, c.okExample = status, names[0]
		}
	}
	if c.okExample == "" {
		return nil, fmt.Errorf("server: operation %s documents no success example", op.ID)
	}
	return c, nil
}

// success answers with the documented success example.
func (c *canned) success(call *Call) {
	r := c.examples[c.okExample]
	call.Raw(r.status, r.body)
}

// prefer serves the response a Prefer header asks for, Prism's convention:
// "code=500", "example=InvalidEmail", or both. It returns an error when
// the operation documents no such response.
func (c *canned) prefer(g *gin.Context, header string) *knoterr.Error {
	var code int
	var example string
	for _, part := range strings.FieldsFunc(header, func(r rune) bool { return r == ',' || r == ';' }) {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		v = strings.Trim(strings.TrimSpace(v), `"`)
		switch strings.ToLower(strings.TrimSpace(k)) {
		case "code":
			n, err := strconv.Atoi(v)
			if err != nil {
				return knoterr.PreferInvalid(header)
			}
			code = n
		case "example":
			example = v
		}
	}
	if example == "" && code == 0 {
		return knoterr.PreferInvalid(header)
	}
	if example == "" {
		if code == c.okStatus {
			example = c.okExample
		} else if example = c.byStatus[code]; example == "" {
			return knoterr.PreferUnknown(c.op, fmt.Sprintf("code=%d", code))
		}
	}
	r, ok := c.examples[example]
	if !ok || (code != 0 && r.status != code) {
		return knoterr.PreferUnknown(c.op, strings.TrimSpace(header))
	}
	g.Header("Preference-Applied", "example="+example)
	g.Data(r.status, "application/json", r.body)
	return nil
}

// fault answers as a scenario's fault asked: a named example, else the
// first example documented for the status, else Knot's 500 body with that
// status.
func (c *canned) fault(g *gin.Context, status int, example string) {
	r, ok := c.examples[example]
	if !ok {
		r, ok = c.examples[c.byStatus[status]]
	}
	if !ok {
		r = cannedResponse{status, knoterr.ServerError.Body()}
	}
	g.Data(r.status, "application/json", r.body)
	g.Abort()
}
