// Command gen writes openapi/serve.json and openapi/webhooks.json from openapi/knot.yaml
// (run by `go generate ./openapi`).
package main

import (
	"fmt"
	"os"

	"github.com/knotmock/knotmock/openapi"
)

func main() {
	full, err := os.ReadFile("knot.yaml")
	if err == nil {
		var out []byte
		if out, err = openapi.Serving(full); err == nil {
			err = os.WriteFile("serve.json", out, 0o644)
		}
		if err == nil {
			if out, err = openapi.WebhookExamplesOf(full); err == nil {
				err = os.WriteFile("webhooks.json", out, 0o644)
			}
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}
