package scenarios

import (
	"fmt"
	"math"
	"strings"

	"github.com/goccy/go-yaml/ast"
)

// Error is one problem of a scenario file, at a line.
type Error struct {
	File    string
	Line    int
	Message string
}

func (e *Error) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Message) }

const (
	maxNodes = 100_000 // nodes visited per file, aliases expanded (stops alias bombs)
	maxDepth = 64      // nesting of YAML values and of step lists
)

// decoder walks the AST of one file and collects its errors.
type decoder struct {
	file    string
	opts    Options
	errs    []error
	seen    map[string]bool // reported errors (an alias resolved twice reports once)
	anchors map[string]ast.Node
	budget  int
	spent   bool // the budget error was reported
}

func (d *decoder) errorf(line int, format string, args ...any) {
	e := &Error{File: d.file, Line: max(line, 1), Message: fmt.Sprintf(format, args...)}
	if d.seen == nil {
		d.seen = map[string]bool{}
	}
	if !d.seen[e.Error()] {
		d.seen[e.Error()] = true
		d.errs = append(d.errs, e)
	}
}

// lineOf is the line of n, or fallback when n has none.
func lineOf(n ast.Node, fallback int) int {
	if n == nil {
		return fallback
	}
	if tk := n.GetToken(); tk != nil && tk.Position != nil && tk.Position.Line > 0 {
		return tk.Position.Line
	}
	return fallback
}

// collectAnchors records every anchor of the document, for aliases.
func (d *decoder) collectAnchors(n ast.Node, depth int) {
	if n == nil || depth > maxDepth {
		return
	}
	switch v := n.(type) {
	case *ast.AnchorNode:
		if name, ok := v.Name.(ast.ScalarNode); ok && name != nil {
			d.anchors[fmt.Sprint(name.GetValue())] = v.Value
		}
		d.collectAnchors(v.Value, depth+1)
	case *ast.TagNode:
		d.collectAnchors(v.Value, depth+1)
	case *ast.MappingNode:
		for _, mv := range v.Values {
			d.collectAnchors(mv, depth+1)
		}
	case *ast.MappingValueNode:
		d.collectAnchors(v.Key, depth+1)
		d.collectAnchors(v.Value, depth+1)
	case *ast.SequenceNode:
		for _, e := range v.Values {
			d.collectAnchors(e, depth+1)
		}
	}
}

// resolve unwraps anchors, tags and aliases. It returns nil for a null value, an unknown alias or
// when the file is too complex (both reported).
func (d *decoder) resolve(n ast.Node) ast.Node {
	for i := 0; n != nil; i++ {
		d.budget--
		if d.budget < 0 || i > maxDepth {
			if !d.spent {
				d.spent = true
				d.errorf(lineOf(n, 1), "the file is too complex (aliases expand to too many values)")
			}
			return nil
		}
		switch v := n.(type) {
		case *ast.AnchorNode:
			n = v.Value
		case *ast.TagNode:
			n = v.Value
		case *ast.AliasNode:
			name := ""
			if s, ok := v.Value.(ast.ScalarNode); ok && s != nil {
				name = fmt.Sprint(s.GetValue())
			}
			target, ok := d.anchors[name]
			if !ok {
				d.errorf(lineOf(v, 1), "unknown alias *%s", name)
				return nil
			}
			n = target
		case *ast.NullNode:
			return nil
		default:
			return n
		}
	}
	return nil
}

// entry is one key of a mapping.
type entry struct {
	key   string
	line  int // line of the key
	value ast.Node
}

// mapping returns the entries of n when it is a map (ok false otherwise; a bad key is reported).
func (d *decoder) mapping(n ast.Node) ([]entry, bool) {
	m, ok := d.resolve(n).(*ast.MappingNode)
	if !ok {
		return nil, false
	}
	out := make([]entry, 0, len(m.Values))
	for _, mv := range m.Values {
		if mv == nil {
			continue
		}
		line := lineOf(mv.Key, lineOf(mv, lineOf(m, 1)))
		if _, merge := mv.Key.(*ast.MergeKeyNode); merge {
			d.errorf(line, "merge keys (<<) are not supported")
			continue
		}
		key, ok := d.scalar(mv.Key)
		if !ok {
			d.errorf(line, "keys must be strings")
			continue
		}
		out = append(out, entry{key: key, line: line, value: mv.Value})
	}
	return out, true
}

// scalar returns the text of a string or number (as written: 0012 stays "0012").
func (d *decoder) scalar(n ast.Node) (string, bool) {
	switch v := d.resolve(n).(type) {
	case *ast.StringNode:
		return v.Value, true
	case *ast.LiteralNode:
		if v.Value == nil {
			return "", true
		}
		return v.Value.Value, true
	case *ast.IntegerNode, *ast.FloatNode:
		if tk := v.GetToken(); tk != nil {
			return tk.Value, true
		}
	}
	return "", false
}

// integer returns the value of an integer node.
func (d *decoder) integer(n ast.Node) (int, bool) {
	v, ok := d.resolve(n).(*ast.IntegerNode)
	if !ok {
		return 0, false
	}
	switch i := v.Value.(type) {
	case int64:
		if i >= math.MinInt && i <= math.MaxInt {
			return int(i), true
		}
	case uint64:
		if i <= math.MaxInt {
			return int(i), true
		}
	}
	return 0, false
}

// sequence returns the items of a list.
func (d *decoder) sequence(n ast.Node) ([]ast.Node, bool) {
	s, ok := d.resolve(n).(*ast.SequenceNode)
	if !ok {
		return nil, false
	}
	return s.Values, true
}

// strings decodes a list of strings or numbers; what names the list in messages.
func (d *decoder) strings(n ast.Node, line int, what string) ([]string, bool) {
	items, ok := d.sequence(n)
	if !ok {
		d.errorf(lineOf(n, line), "%s must be a list of strings", what)
		return nil, false
	}
	out := make([]string, 0, len(items))
	for _, it := range items {
		s, ok := d.scalar(it)
		if !ok {
			d.errorf(lineOf(it, line), "%s must be a list of strings", what)
			return nil, false
		}
		out = append(out, s)
	}
	return out, true
}

// value decodes any YAML value into string, int64, uint64, float64, bool, nil, []any or
// map[string]any (webhook data).
func (d *decoder) value(n ast.Node, line, depth int) any {
	if depth > maxDepth {
		d.errorf(lineOf(n, line), "values nested too deeply")
		return nil
	}
	switch v := d.resolve(n).(type) {
	case nil:
		return nil
	case *ast.MappingNode:
		entries, _ := d.mapping(v)
		out := make(map[string]any, len(entries))
		for _, e := range entries {
			out[e.key] = d.value(e.value, e.line, depth+1)
		}
		return out
	case *ast.SequenceNode:
		out := make([]any, 0, len(v.Values))
		for _, it := range v.Values {
			out = append(out, d.value(it, lineOf(it, line), depth+1))
		}
		return out
	case *ast.StringNode:
		return v.Value
	case *ast.LiteralNode:
		s, _ := d.scalar(v)
		return s
	case *ast.InfinityNode, *ast.NanNode:
		d.errorf(lineOf(v, line), "infinity and NaN are not JSON values")
		return nil
	case ast.ScalarNode:
		return v.GetValue()
	default:
		d.errorf(lineOf(n, line), "unsupported value %s", strings.ToLower(v.Type().String()))
		return nil
	}
}

// checkKeys reports the keys of entries not in known (what names the map in the message).
func (d *decoder) checkKeys(entries []entry, known []string, format string, args ...any) {
	for _, e := range entries {
		if !contains(known, e.key) {
			d.errorf(e.line, format, append([]any{e.key}, args...)...)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func list(names []string) string { return strings.Join(names, ", ") }
