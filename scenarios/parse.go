package scenarios

import (
	"errors"
	"fmt"
	"regexp"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

var (
	nameRE    = regexp.MustCompile(`^[a-z0-9_\-]+$`)
	topKeys   = []string{"name", "description", "match", "default_for", "steps"}
	matchKeys = []string{"username", "password", "products", "merchants", "external_user_id"}
)

// ParseFile parses and validates one scenario file; path names it in errors ("path:line: message",
// all of the file's errors joined).
func ParseFile(path string, data []byte, opts Options) (*Scenario, error) {
	d := &decoder{file: path, opts: opts, anchors: map[string]ast.Node{}, budget: maxNodes}
	sc := d.file1(data)
	if len(d.errs) > 0 {
		return nil, errors.Join(d.errs...)
	}
	return sc, nil
}

// syntax parses the YAML into its AST; a panic of the YAML parser is an error too.
func syntax(data []byte) (f *ast.File, err error) {
	defer func() {
		if r := recover(); r != nil {
			f, err = nil, fmt.Errorf("invalid YAML: %v", r)
		}
	}()
	return parser.ParseBytes(data, 0)
}

func (d *decoder) file1(data []byte) *Scenario {
	f, err := syntax(data)
	if err != nil {
		line, msg := 1, err.Error()
		var se *yaml.SyntaxError
		if errors.As(err, &se) {
			msg = se.Message
			if se.Token != nil && se.Token.Position != nil {
				line = se.Token.Position.Line
			}
		}
		d.errorf(line, "%s", msg)
		return nil
	}
	var body ast.Node
	for _, doc := range f.Docs {
		if doc == nil || doc.Body == nil {
			continue
		}
		if body != nil {
			d.errorf(lineOf(doc.Body, 1), "one scenario per file: a second YAML document starts here")
			return nil
		}
		body = doc.Body
	}
	if body == nil {
		d.errorf(1, "empty file: a scenario needs name and steps")
		return nil
	}
	d.collectAnchors(body, 0)
	top := lineOf(body, 1)
	entries, ok := d.mapping(body)
	if !ok {
		d.errorf(top, "a scenario must be a map with the keys %s", list(topKeys))
		return nil
	}
	sc := &Scenario{Source: d.file}
	hasName, hasSteps := false, false
	for _, e := range entries {
		switch e.key {
		case "name":
			hasName, sc.Line = true, e.line
			name, ok := d.scalar(e.value)
			switch {
			case !ok:
				d.errorf(lineOf(e.value, e.line), "name must be a string")
			case !nameRE.MatchString(name):
				d.errorf(lineOf(e.value, e.line), `name %q must match ^[a-z0-9_\-]+$`, name)
			}
			sc.Name = name
		case "description":
			if d.resolve(e.value) == nil {
				continue
			}
			desc, ok := d.scalar(e.value)
			if !ok {
				d.errorf(lineOf(e.value, e.line), "description must be a string")
			}
			sc.Description = desc
		case "match":
			sc.Match = d.match(e)
		case "default_for":
			sc.DefaultFor = d.products(e, "default_for")
		case "steps":
			hasSteps = true
			if d.resolve(e.value) == nil || isEmptyList(d, e.value) {
				d.errorf(lineOf(e.value, e.line), "steps must not be empty")
				continue
			}
			sc.Steps = d.steps(e.value, e.line, "steps", 0)
		default:
			d.errorf(e.line, "unknown key %q (known: %s)", e.key, list(topKeys))
		}
	}
	if !hasName {
		d.errorf(top, "missing name")
	}
	if !hasSteps {
		d.errorf(top, "missing steps")
	}
	return sc
}

func isEmptyList(d *decoder, n ast.Node) bool {
	s, ok := d.resolve(n).(*ast.SequenceNode)
	return ok && len(s.Values) == 0
}

func (d *decoder) match(e entry) Match {
	var m Match
	v := d.resolve(e.value)
	if v == nil {
		return m // `match:` or `match: {}`: every login
	}
	entries, ok := d.mapping(v)
	if !ok {
		d.errorf(lineOf(e.value, e.line), "match must be a map with the keys %s", list(matchKeys))
		return m
	}
	for _, c := range entries {
		line := lineOf(c.value, c.line)
		switch c.key {
		case "username", "password":
			s, ok := d.scalar(c.value)
			if !ok {
				d.errorf(line, "%s must be a string", c.key)
				continue
			}
			if c.key == "username" {
				m.Username = &s
			} else {
				m.Password = &s
			}
		case "products":
			m.Products = d.products(c, "products")
		case "merchants":
			items, ok := d.sequence(c.value)
			if !ok {
				d.errorf(line, "merchants must be a list of positive integers")
				continue
			}
			for _, it := range items {
				id, ok := d.integer(it)
				if !ok || id <= 0 {
					d.errorf(lineOf(it, line), "merchants must be a list of positive integers")
					continue
				}
				m.Merchants = append(m.Merchants, id)
			}
		case "external_user_id":
			s, ok := d.scalar(c.value)
			if !ok {
				d.errorf(line, "external_user_id must be a regular expression")
				continue
			}
			re, err := regexp.Compile(s)
			if err != nil {
				d.errorf(line, "bad external_user_id regexp: %v", err)
				continue
			}
			m.ExternalUserID = re
		default:
			d.errorf(c.line, "unknown key %q in match (known: %s)", c.key, list(matchKeys))
		}
	}
	return m
}

// products decodes a list of products.
func (d *decoder) products(e entry, what string) []string {
	line := lineOf(e.value, e.line)
	if d.resolve(e.value) == nil {
		return nil
	}
	items, ok := d.sequence(e.value)
	if !ok {
		d.errorf(line, "%s must be a list of products (%s)", what, list(Products))
		return nil
	}
	var out []string
	for _, it := range items {
		p, ok := d.scalar(it)
		if !ok || !contains(Products, p) {
			d.errorf(lineOf(it, line), "unknown product %q (known: %s)", p, list(Products))
			continue
		}
		out = append(out, p)
	}
	return out
}

// duration decodes a Go duration ("2s", "5m"); what names it in messages.
func (d *decoder) duration(n ast.Node, line int, what string) (time.Duration, bool) {
	line = lineOf(n, line)
	s, ok := d.scalar(n)
	if !ok {
		d.errorf(line, "bad duration for %s (write 500ms, 2s, 5m or 1h)", what)
		return 0, false
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		d.errorf(line, "bad duration %q for %s (write 500ms, 2s, 5m or 1h)", s, what)
		return 0, false
	}
	if v < 0 {
		d.errorf(line, "negative duration %q for %s", s, what)
		return 0, false
	}
	return v, true
}

// count decodes a non-negative integer.
func (d *decoder) count(n ast.Node, line int, what string) (int, bool) {
	line = lineOf(n, line)
	v, ok := d.integer(n)
	if !ok {
		d.errorf(line, "%s must be an integer", what)
		return 0, false
	}
	if v < 0 {
		d.errorf(line, "%s must not be negative", what)
		return 0, false
	}
	if v > maxCount {
		d.errorf(line, "%s may not be greater than %d", what, maxCount)
		return 0, false
	}
	return v, true
}

// maxCount bounds counts (generated transactions, attempts, fault times) so
// a file cannot make the sandbox exhaust its memory.
const maxCount = 10000
