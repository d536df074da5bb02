package scenarios

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// FuzzParseFile: no input makes the parser panic; a parsed scenario is valid; every error is an
// *Error with a line.
func FuzzParseFile(f *testing.F) {
	entries, _ := builtinFS.ReadDir("builtin")
	for _, e := range entries {
		data, _ := builtinFS.ReadFile("builtin/" + e.Name())
		f.Add(data)
	}
	examples, _ := filepath.Glob("examples/*.yaml")
	for _, path := range examples {
		f.Add(readFile(f, path))
	}
	f.Add([]byte(everyKind))
	f.Add([]byte("a: &a [*a, *a]\nname: *a\nsteps: *a\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		sc, err := ParseFile("f.yaml", data, testOpts)
		if err != nil {
			if sc != nil {
				t.Fatal("scenario and error")
			}
			errs := []error{err}
			if j, ok := err.(interface{ Unwrap() []error }); ok {
				errs = j.Unwrap()
			}
			for _, e := range errs {
				var pe *Error
				if !errors.As(e, &pe) || pe.File != "f.yaml" || pe.Line < 1 || pe.Message == "" {
					t.Fatalf("error %q is not an *Error with a line", e)
				}
			}
			return
		}
		if !nameRE.MatchString(sc.Name) || len(sc.Steps) == 0 || sc.Line < 1 {
			t.Fatalf("invalid scenario parsed: %+v", sc)
		}
		checkSteps(t, sc.Steps)
	})
}

func checkSteps(t *testing.T, steps []Step) {
	for _, st := range steps {
		if st.Line < 1 || !slices.Contains(Kinds, st.Kind) {
			t.Fatalf("bad step %+v", st)
		}
		switch st.Kind {
		case KindSDK:
			if !slices.Contains(SDKEvents, st.Event) {
				t.Fatalf("sdk %q", st.Event)
			}
		case KindInput:
			in := st.Input
			if in.Timeout <= 0 || in.Attempts < 0 || in.FailFirst < 0 ||
				in.Kind == InputQuestions && len(in.Expect) != len(in.Questions) {
				t.Fatalf("bad input %+v", in)
			}
			checkSteps(t, in.OnWrong)
			checkSteps(t, in.OnExhausted)
			checkSteps(t, in.OnTimeout)
		case KindDelay:
			if st.Duration < 0 {
				t.Fatalf("delay %v", st.Duration)
			}
		case KindFault:
			if st.Fault.Operation == "" || st.Fault.Times < 1 {
				t.Fatalf("fault %+v", st.Fault)
			}
		case KindEnd:
			if e := st.End; e.Kind != EndSuccess && e.Kind != EndClose && (e.Kind != EndError || e.Message == "") {
				t.Fatalf("end %+v", e)
			}
		}
	}
}
