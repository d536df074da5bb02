package scenarios

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

//go:embed builtin/*.yaml
var builtinFS embed.FS

// Schema is the JSON Schema (2020-12) of the scenario file format.
//
//go:embed schema.json
var Schema []byte

// Set is a loaded set of scenarios with unique names.
type Set struct {
	all    []*Scenario // sorted by name
	byName map[string]*Scenario
}

// Builtin returns the embedded built-in scenarios.
func Builtin(opts Options) (*Set, error) {
	list, err := builtins(opts)
	if err != nil {
		return nil, err
	}
	return newSet(list), nil
}

func builtins(opts Options) ([]*Scenario, error) {
	entries, err := fs.ReadDir(builtinFS, "builtin")
	if err != nil {
		return nil, err
	}
	var out []*Scenario
	var errs []error
	for _, e := range entries {
		path := "builtin/" + e.Name()
		data, err := builtinFS.ReadFile(path)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		sc, err := ParseFile(path, data, opts)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		sc.BuiltIn = true
		out = append(out, sc)
	}
	return out, errors.Join(errs...)
}

// isScenarioFile says whether Load reads the file: *.yaml, *.yml and *.json, not hidden.
func isScenarioFile(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".yaml", ".yml", ".json":
		return !strings.HasPrefix(name, ".")
	}
	return false
}

// Load returns the built-ins plus every scenario file under dir (recursively; hidden files and
// directories are skipped). A user file with a built-in's name replaces it; two user files with
// one name are an error. All errors of all files are reported, each "path:line: message".
// An empty dir loads the built-ins only.
func Load(dir string, opts Options) (*Set, error) {
	base, err := builtins(opts)
	var errs []error
	if err != nil {
		errs = append(errs, err)
	}
	user := map[string]*Scenario{}
	if dir != "" {
		walkErr := filepath.WalkDir(dir, func(path string, de fs.DirEntry, err error) error {
			switch {
			case err != nil:
				errs = append(errs, err)
				return nil
			case de.IsDir():
				if path != dir && strings.HasPrefix(de.Name(), ".") {
					return filepath.SkipDir
				}
				return nil
			case !isScenarioFile(de.Name()):
				return nil
			}
			data, err := os.ReadFile(path)
			if err != nil {
				errs = append(errs, err)
				return nil
			}
			sc, err := ParseFile(path, data, opts)
			if err != nil {
				errs = append(errs, err)
				return nil
			}
			if prev, dup := user[sc.Name]; dup {
				errs = append(errs, &Error{File: path, Line: sc.Line, Message: fmt.Sprintf(
					"scenario %q is already defined in %s:%d", sc.Name, prev.Source, prev.Line)})
				return nil
			}
			user[sc.Name] = sc
			return nil
		})
		if walkErr != nil {
			errs = append(errs, walkErr)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	all := make([]*Scenario, 0, len(base)+len(user))
	for _, sc := range base {
		if _, replaced := user[sc.Name]; !replaced {
			all = append(all, sc)
		}
	}
	for _, sc := range user {
		all = append(all, sc)
	}
	return newSet(all), nil
}

func newSet(list []*Scenario) *Set {
	s := &Set{all: slices.Clone(list), byName: make(map[string]*Scenario, len(list))}
	slices.SortFunc(s.all, func(a, b *Scenario) int { return strings.Compare(a.Name, b.Name) })
	for _, sc := range s.all {
		s.byName[sc.Name] = sc
	}
	return s
}

// All returns the scenarios sorted by name.
func (s *Set) All() []*Scenario { return slices.Clone(s.all) }

// Named returns the scenario with that name.
func (s *Set) Named(name string) (*Scenario, bool) {
	sc, ok := s.byName[name]
	return sc, ok
}

// better says whether a beats b on a tie of conditions: a user file beats a built-in, then the name.
func better(a, b *Scenario) bool {
	if a.BuiltIn != b.BuiltIn {
		return !a.BuiltIn
	}
	return a.Name < b.Name
}

// ForLogin returns the scenario a login runs: of those that match, the one with the most
// conditions; on a tie a user file beats a built-in, then the name decides.
func (s *Set) ForLogin(l Login) (*Scenario, bool) {
	var best *Scenario
	for _, sc := range s.all {
		if !sc.Match.Matches(l) {
			continue
		}
		if best == nil {
			best = sc
			continue
		}
		if c, bc := sc.Match.Conditions(), best.Match.Conditions(); c > bc || c == bc && better(sc, best) {
			best = sc
		}
	}
	return best, best != nil
}

// DefaultFor returns the scenario POST /development/accounts/link runs for product: one whose
// default_for names it (a user file before a built-in, then by name).
func (s *Set) DefaultFor(product string) (*Scenario, bool) {
	var best *Scenario
	for _, sc := range s.all {
		if slices.Contains(sc.DefaultFor, product) && (best == nil || better(sc, best)) {
			best = sc
		}
	}
	return best, best != nil
}
