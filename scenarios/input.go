package scenarios

import "github.com/goccy/go-yaml/ast"

// input decodes `input: KIND` and its options.
func (d *decoder) input(kind entry, opts []entry, depth int) *Input {
	line := lineOf(kind.value, kind.line)
	in := &Input{Timeout: DefaultInputTimeout}
	in.Kind, _ = d.scalar(kind.value)
	if !contains(InputKinds, in.Kind) {
		d.errorf(line, "unknown input kind %q (known: %s)", in.Kind, list(InputKinds))
		return in
	}
	var expect, questions *entry
	qok := false
	for i, o := range opts {
		oline := lineOf(o.value, o.line)
		switch o.key {
		case "expect":
			expect = &opts[i]
		case "questions":
			questions = &opts[i]
			in.Questions, qok = d.strings(o.value, oline, "questions")
		case "attempts":
			in.Attempts, _ = d.count(o.value, o.line, "attempts")
		case "fail_first":
			in.FailFirst, _ = d.count(o.value, o.line, "fail_first")
		case "on_wrong":
			in.OnWrong = d.steps(o.value, o.line, o.key, depth+1)
		case "on_exhausted":
			in.OnExhausted = d.steps(o.value, o.line, o.key, depth+1)
		case "on_timeout":
			in.OnTimeout, in.HasOnTimeout = d.steps(o.value, o.line, o.key, depth+1), true
		case "timeout":
			if t, ok := d.duration(o.value, o.line, "timeout"); ok && t == 0 {
				d.errorf(oline, "timeout must be positive")
			} else if ok {
				in.Timeout = t
			}
		}
	}
	if questions != nil && in.Kind != InputQuestions {
		d.errorf(questions.line, "questions is only for input questions")
	}
	if hasKey(opts, "on_exhausted") && !hasKey(opts, "attempts") {
		d.errorf(line, "on_exhausted needs attempts (the wrong answers allowed)")
	}
	switch {
	case in.Kind == InputApproval:
		if expect != nil {
			d.errorf(expect.line, "input approval takes no expect (the user approves or declines)")
		}
	case expect == nil:
		d.errorf(line, "input %s needs expect", in.Kind)
	case in.Kind == InputQuestions:
		eline := lineOf(expect.value, expect.line)
		var eok bool
		in.Expect, eok = d.strings(expect.value, eline, "expect")
		switch {
		case questions == nil:
			d.errorf(line, "input questions needs questions (the questions shown)")
		case !qok || !eok:
		case len(in.Questions) == 0:
			d.errorf(lineOf(questions.value, questions.line), "questions must not be empty")
		case len(in.Expect) != len(in.Questions):
			d.errorf(expect.line, "input questions has %d questions but %d answers", len(in.Questions), len(in.Expect))
		}
	default:
		s, ok := d.scalar(expect.value)
		if _, isList := d.resolve(expect.value).(*ast.SequenceNode); !ok || isList {
			d.errorf(lineOf(expect.value, expect.line), "expect must be a string")
		}
		in.Expect = []string{s}
	}
	return in
}
