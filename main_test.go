package main

import (
	"bytes"
	"net"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/knotmock/knotmock/server"
)

func TestVersionAndHelp(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run([]string{"version"}, &out, &errOut); code != 0 || strings.TrimSpace(out.String()) != version {
		t.Fatalf("version: %d %q", code, out.String())
	}
	out.Reset()
	if code := run([]string{"--version"}, &out, &errOut); code != 0 || strings.TrimSpace(out.String()) != version {
		t.Fatalf("--version: %d %q", code, out.String())
	}
	errOut.Reset()
	if code := run([]string{"--help"}, &out, &errOut); code != 0 || !strings.Contains(errOut.String(), "KNOTMOCK_WEBHOOK_URL") {
		t.Fatalf("--help: %d %q", code, errOut.String())
	}
}

func TestBadInvocations(t *testing.T) {
	for _, args := range [][]string{
		{"--no-such-flag"},
		{"serve-please"},
		{"--log-format", "xml"},
		{"--log-level", "loud"},
	} {
		var out, errOut bytes.Buffer
		if code := run(args, &out, &errOut); code != 2 {
			t.Errorf("%v: exit %d, stderr %q", args, code, errOut.String())
		}
	}
	var out, errOut bytes.Buffer
	if code := run([]string{"--addr", "127.0.0.1:1", "--config", "/does/not/exist.json"}, &out, &errOut); code != 1 || !strings.Contains(errOut.String(), "exist.json") {
		t.Errorf("missing config: exit %d, stderr %q", code, errOut.String())
	}
}

func TestEnvironmentAndFlags(t *testing.T) {
	t.Setenv("KNOTMOCK_WEBHOOK_URL", "http://a.test/hook, http://b.test/hook")
	t.Setenv("KNOTMOCK_SECRET", "from_env")
	t.Setenv("KNOTMOCK_CARD_WINDOW", "3s")
	o, _, err := parseFlags([]string{"--client-id", "from_flag"}, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config(o, nil)
	if err != nil {
		t.Fatal(err)
	}
	c := cfg.Clients[0]
	if c.ID != "from_flag" || c.Secret != "from_env" || len(c.WebhookURLs) != 2 || c.WebhookURLs[1] != "http://b.test/hook" || cfg.CardWindow != 3*time.Second {
		t.Fatalf("config: %+v %v", c, cfg.CardWindow)
	}
	// A flag wins over its variable.
	o, _, _ = parseFlags([]string{"--webhook-url", "http://c.test", "--webhook-url", "http://d.test"}, &bytes.Buffer{})
	cfg, _ = config(o, nil)
	if got := cfg.Clients[0].WebhookURLs; len(got) != 2 || got[0] != "http://c.test" {
		t.Fatalf("webhook flags: %v", got)
	}
	t.Setenv("KNOTMOCK_CARD_WINDOW", "soon")
	if _, _, err := parseFlags(nil, &bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), "KNOTMOCK_CARD_WINDOW") {
		t.Fatalf("bad duration in env: %v", err)
	}
}

func TestHealthcheck(t *testing.T) {
	srv, err := server.New(server.Config{})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	addr := strings.TrimPrefix(hs.URL, "http://")
	if code := healthcheck([]string{"--addr", addr}, &bytes.Buffer{}); code != 0 {
		t.Fatalf("healthy server: exit %d", code)
	}
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	free := ln.Addr().String()
	ln.Close()
	var errOut bytes.Buffer
	if code := healthcheck([]string{"--addr", free}, &errOut); code != 1 || errOut.Len() == 0 {
		t.Fatalf("no server: exit %d %q", code, errOut.String())
	}
}

func TestScenariosCommand(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run([]string{"scenarios", "list"}, &out, &errOut); code != 0 {
		t.Fatalf("list: %d %s", code, errOut.String())
	}
	for _, want := range []string{"otp", "user_good", "pass_otp", "builtin/otp.yaml", "unknown_credentials"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("list lacks %q:\n%s", want, out.String())
		}
	}
	out.Reset()
	if code := run([]string{"scenarios", "validate", "scenarios/examples"}, &out, &errOut); code != 0 || !strings.Contains(out.String(), "3 scenario files valid") {
		t.Fatalf("validate examples: %d %q %q", code, out.String(), errOut.String())
	}
	dir := t.TempDir()
	bad := dir + "/bad.yaml"
	if err := os.WriteFile(bad, []byte("name: bad\nsteps:\n  - webhook: NOT_AN_EVENT\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	errOut.Reset()
	if code := run([]string{"scenarios", "validate", dir}, &out, &errOut); code != 1 || !strings.Contains(errOut.String(), bad+":3:") {
		t.Fatalf("validate bad: %d %q", code, errOut.String())
	}
	if code := run([]string{"scenarios"}, &out, &errOut); code != 2 {
		t.Fatalf("no subcommand: %d", code)
	}
}
