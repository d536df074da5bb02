package server_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/knotmock/knotmock/server"
	"github.com/knotmock/knotmock/server/servertest"
)

func TestMerchantsFileReplacesTheCatalogue(t *testing.T) {
	path := filepath.Join(t.TempDir(), "merchants.json")
	const catalogue = `[{"id":9001,"name":"Corner Shop","category":"Groceries","logo":"https://example.com/corner.png",
	  "products":["transaction_link","card_switcher"],"min_sdk_version":{"ios":"1.0.0","android":"2.0.0","web":"1.0.0"}}]`
	if err := os.WriteFile(path, []byte(catalogue), 0o644); err != nil {
		t.Fatal(err)
	}
	srv := servertest.New(t, server.Config{MerchantsFile: path})
	r := srv.Post(t, "/merchant/list", `{"type":"transaction_link"}`)
	want := `[{"id":9001,"name":"Corner Shop","category":"Groceries","logo":"https://example.com/corner.png"}]`
	if r.Status != 200 || r.Body != want {
		t.Fatalf("got %d %s", r.Status, r.Body)
	}
}

func TestBadConfigurationStopsStartUp(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	_ = os.WriteFile(bad, []byte(`[{"id":1,"name":"X","category":"Retail","logo":"https://example.com/x.png","products":["teleport"],"min_sdk_version":{"web":"1.0.0"}}]`), 0o644)
	cases := map[string]server.Config{
		"teleport":             {MerchantsFile: bad},
		"no such file":         {MerchantsFile: filepath.Join(dir, "missing.json")},
		"configured twice":     {Clients: []server.Client{{ID: "a", Secret: "s"}, {ID: "a", Secret: "t"}}},
		"client_id and secret": {Clients: []server.Client{{ID: "a"}}},
		"unknown product":      {Clients: []server.Client{{ID: "a", Secret: "s", Products: []string{"banking"}}}},
		"at most 10":           {Clients: []server.Client{{ID: "a", Secret: "s", WebhookURLs: make([]string, 11)}}},
	}
	for want, cfg := range cases {
		_, err := server.New(cfg)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("want an error mentioning %q, got %v", want, err)
		}
	}
}
