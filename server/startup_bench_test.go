package server_test

import (
	"testing"

	"github.com/knotmock/knotmock/server"
)

// BenchmarkNew is the server's share of start-up: loading the document,
// preparing validators and examples, and mounting the routes.
func BenchmarkNew(b *testing.B) {
	for b.Loop() {
		if _, err := server.New(server.Config{}); err != nil {
			b.Fatal(err)
		}
	}
}
