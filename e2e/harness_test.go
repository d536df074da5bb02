package e2e

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/knotmock/knotmock/server"
	"github.com/knotmock/knotmock/server/servertest"
)

const chromiumPath = "/usr/bin/chromium"

// needBrowser skips the test when Chromium, Node.js or e2e/node_modules is
// missing, unless KNOTMOCK_E2E=require (set by .ci/run): then it fails.
func needBrowser(t *testing.T) string {
	t.Helper()
	var missing []string
	if _, err := os.Stat(chromiumPath); err != nil {
		missing = append(missing, chromiumPath+" (apt-get install chromium)")
	}
	nodeBin, err := exec.LookPath("node")
	if err != nil {
		missing = append(missing, "node")
	}
	for _, p := range []string{"node_modules/playwright-core/package.json", "node_modules/knotapi-js/build/index.js"} {
		if _, err := os.Stat(p); err != nil {
			missing = append(missing, "e2e/"+p+" (npm ci --prefix e2e)")
		}
	}
	if len(missing) > 0 {
		msg := "browser tests need " + strings.Join(missing, ", ")
		if os.Getenv("KNOTMOCK_E2E") == "require" {
			t.Fatal(msg + "; KNOTMOCK_E2E=require")
		}
		t.Skip(msg + "; skipped (KNOTMOCK_E2E=require makes this fail)")
	}
	return nodeBin
}

// hook is one webhook the receiver got.
type hook struct {
	Event          string `json:"event"`
	SessionID      string `json:"session_id"`
	ExternalUserID string `json:"external_user_id"`
	TaskID         int64  `json:"task_id"`
	signed         bool
	body           []byte
}

// receiver is the integration's webhook endpoint; it checks Knot-Signature
// as the README tells integrators to.
type receiver struct {
	secret  string
	mu      sync.Mutex
	hooks   []hook
	changed chan struct{}
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	var h hook
	_ = json.Unmarshal(body, &h)
	h.body = body
	msg := "Content-Length|" + strconv.Itoa(len(body)) + "|Content-Type|application/json|" +
		"Encryption-Type|HMAC-SHA256|event|" + h.Event
	if h.SessionID != "" {
		msg += "|session_id|" + h.SessionID
	}
	mac := hmac.New(sha256.New, []byte(rc.secret))
	mac.Write([]byte(msg))
	want := base64.StdEncoding.EncodeToString(mac.Sum(nil))
	h.signed = hmac.Equal([]byte(want), []byte(r.Header.Get("Knot-Signature")))
	rc.mu.Lock()
	rc.hooks = append(rc.hooks, h)
	close(rc.changed)
	rc.changed = make(chan struct{})
	rc.mu.Unlock()
	w.WriteHeader(http.StatusOK)
}

// wait returns the first webhook named event for the user, waiting for it.
func (rc *receiver) wait(t *testing.T, user, event string, timeout time.Duration) hook {
	t.Helper()
	deadline := time.After(timeout)
	for {
		rc.mu.Lock()
		var names []string
		for _, h := range rc.hooks {
			if h.ExternalUserID == user {
				if h.Event == event {
					rc.mu.Unlock()
					return h
				}
				names = append(names, h.Event)
			}
		}
		ch := rc.changed
		rc.mu.Unlock()
		select {
		case <-ch:
		case <-deadline:
			t.Fatalf("no %s webhook for %s within %v; got %v", event, user, timeout, names)
		}
	}
}

// sandbox is the server under test, its webhook receiver and the app.
type sandbox struct {
	*servertest.Server
	hooks *receiver
	app   string // URL of e2e/app, with knotapi-js at /knotapi-js/
}

func newSandbox(t *testing.T) *sandbox {
	t.Helper()
	rc := &receiver{secret: server.DefaultSecret, changed: make(chan struct{})}
	hs := httptest.NewServer(rc)
	t.Cleanup(hs.Close)
	srv := servertest.New(t, server.Config{
		Clients:    []server.Client{{ID: server.DefaultClientID, Secret: server.DefaultSecret, WebhookURLs: []string{hs.URL}}},
		AsyncDelay: 20 * time.Millisecond,
		CardWindow: 15 * time.Second,
	})
	sb := &sandbox{Server: srv, hooks: rc}
	mux := http.NewServeMux()
	mux.Handle("GET /knotapi-js/", http.StripPrefix("/knotapi-js/", http.FileServer(http.Dir("node_modules/knotapi-js/build"))))
	mux.Handle("GET /", http.FileServer(http.Dir("app")))
	app := httptest.NewServer(mux)
	t.Cleanup(app.Close)
	sb.app = app.URL + "/"
	return sb
}

// session creates a session and returns its id.
func (s *sandbox) session(t *testing.T, typ, user string) string {
	t.Helper()
	body := fmt.Sprintf(`{"type":%q,"external_user_id":%q,"card_id":"card_%s"}`, typ, user, user)
	r := s.Post(t, "/session/create", body)
	var out struct{ Session string }
	if r.Status != 200 || json.Unmarshal([]byte(r.Body), &out) != nil || out.Session == "" {
		t.Fatalf("create session: %d %s", r.Status, r.Body)
	}
	return out.Session
}

// call is one callback the app received.
type call struct {
	Callback string         `json:"callback"`
	Arg      map[string]any `json:"arg"`
}

func (c call) String() string {
	if ev, ok := c.Arg["event"].(string); ok && c.Callback == "onEvent" {
		return "onEvent " + ev
	}
	return c.Callback
}

type result struct {
	OK         bool     `json:"ok"`
	Calls      []call   `json:"calls"`
	Steps      []string `json:"steps"`
	Error      string   `json:"error"`
	Console    []string `json:"console"`
	PageErrors []string `json:"pageErrors"`
}

// names is the callbacks in order, events by name.
func (r result) names() string {
	var out []string
	for _, c := range r.Calls {
		out = append(out, c.String())
	}
	return strings.Join(out, ", ")
}

// find returns the i-th (from 0) call whose String() is name.
func (r result) find(t *testing.T, name string) call {
	t.Helper()
	for _, c := range r.Calls {
		if c.String() == name {
			return c
		}
	}
	t.Fatalf("no %s in %s", name, r.names())
	return call{}
}

// run runs one flow of flows.mjs in Chromium and returns the callbacks the
// app received. Screenshots of each step land in e2e/artifacts on failure.
func (s *sandbox) run(t *testing.T, node, flow string, opts map[string]any) result {
	t.Helper()
	artifacts, _ := filepath.Abs("artifacts")
	o := map[string]any{
		"flow": flow, "sandbox": s.URL, "app": s.app, "clientId": s.ClientID,
		"artifacts": artifacts, "chromium": chromiumPath,
	}
	if os.Getenv("KNOTMOCK_E2E_SCREENSHOTS") == "1" {
		o["docs"], _ = filepath.Abs("../docs")
	}
	for k, v := range opts {
		o[k] = v
	}
	arg, _ := json.Marshal(o)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "run.mjs", string(arg))
	ownGroup(cmd)
	cmd.WaitDelay = 5 * time.Second
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	var res result
	if jerr := json.Unmarshal([]byte(lines[len(lines)-1]), &res); jerr != nil {
		t.Fatalf("node run.mjs %s: %v %v\nstdout: %s\nstderr: %s", flow, err, jerr, out, stderr.String())
	}
	if !res.OK {
		t.Fatalf("flow %s failed after steps %v: %s\ncallbacks: %s\nconsole:\n  %s\npage errors: %v\nscreenshots: %s/%s-*.png",
			flow, res.Steps, res.Error, res.names(), strings.Join(res.Console, "\n  "), res.PageErrors, artifacts, flow)
	}
	if len(res.PageErrors) > 0 {
		t.Errorf("uncaught errors in the page: %v", res.PageErrors)
	}
	return res
}

// expectCalls checks the callbacks, in order.
func expectCalls(t *testing.T, r result, want ...string) {
	t.Helper()
	if got := r.names(); got != strings.Join(want, ", ") {
		t.Fatalf("callbacks:\n got %s\nwant %s", got, strings.Join(want, ", "))
	}
}
