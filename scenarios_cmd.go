package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/knotmock/knotmock/openapi"
	"github.com/knotmock/knotmock/scenarios"
)

// scenariosCommand is `knotmock scenarios list|validate`.
func scenariosCommand(args []string, stdout, stderr io.Writer) int {
	usage := "usage: knotmock scenarios list [--scenarios DIR] | knotmock scenarios validate DIR"
	if len(args) == 0 {
		fmt.Fprintln(stderr, usage)
		return 2
	}
	opts, err := scenarioOptions()
	if err != nil {
		fmt.Fprintln(stderr, "knotmock:", err)
		return 1
	}
	switch args[0] {
	case "list":
		fs := flag.NewFlagSet("knotmock scenarios list", flag.ContinueOnError)
		fs.SetOutput(stderr)
		dir := fs.String("scenarios", env("KNOTMOCK_SCENARIOS", ""), "directory of user scenarios (KNOTMOCK_SCENARIOS)")
		if err := fs.Parse(args[1:]); err != nil {
			return 2
		}
		set, err := loadSet(*dir, opts)
		if err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "NAME\tUSERNAME\tPASSWORD\tPRODUCTS\tSOURCE\tDESCRIPTION")
		for _, sc := range set.All() {
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", sc.Name, deref(sc.Match.Username), deref(sc.Match.Password),
				orAny(sc.Match.Products), sc.Source, firstLine(sc.Description))
		}
		_ = w.Flush()
		return 0
	case "validate":
		if len(args) != 2 {
			fmt.Fprintln(stderr, usage)
			return 2
		}
		set, err := scenarios.Load(args[1], opts)
		if err != nil {
			for _, e := range unjoin(err) {
				fmt.Fprintln(stderr, e)
			}
			return 1
		}
		user := 0
		for _, sc := range set.All() {
			if !sc.BuiltIn {
				user++
			}
		}
		fmt.Fprintf(stdout, "%s: %d scenario files valid\n", args[1], user)
		return 0
	}
	fmt.Fprintln(stderr, usage)
	return 2
}

// scenarioOptions lets the parser check webhook and operation names
// against the document the server serves.
func scenarioOptions() (scenarios.Options, error) {
	var opts scenarios.Options
	hooks, err := openapi.WebhookExamples()
	if err != nil {
		return opts, err
	}
	for name := range hooks {
		opts.Webhooks = append(opts.Webhooks, name)
	}
	sort.Strings(opts.Webhooks)
	doc, err := openapi.LoadServing()
	if err != nil {
		return opts, err
	}
	for _, path := range doc.Paths.InMatchingOrder() {
		for _, op := range doc.Paths.Value(path).Operations() {
			opts.Operations = append(opts.Operations, op.OperationID)
		}
	}
	return opts, nil
}

func loadSet(dir string, opts scenarios.Options) (*scenarios.Set, error) {
	if dir == "" {
		return scenarios.Builtin(opts)
	}
	return scenarios.Load(dir, opts)
}

func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{errors.Unwrap(err), err}[1:]
}

func deref(p *string) string {
	if p == nil {
		return "*"
	}
	return *p
}

func orAny(list []string) string {
	if len(list) == 0 {
		return "any"
	}
	return strings.Join(list, ",")
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}
