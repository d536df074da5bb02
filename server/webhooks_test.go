package server_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/knotmock/knotmock/server"
	"github.com/knotmock/knotmock/server/servertest"
)

// receiver is an integrator's webhook endpoint.
type receiver struct {
	*httptest.Server
	mu     sync.Mutex
	got    []received
	status func(n int) int // status for the n-th request (1-based)
	notify chan struct{}
}

type received struct {
	header http.Header
	body   []byte
	event  map[string]any
}

func newReceiver(t *testing.T) *receiver {
	r := &receiver{status: func(int) int { return 200 }, notify: make(chan struct{}, 1000)}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		var ev map[string]any
		_ = json.Unmarshal(body, &ev)
		r.mu.Lock()
		r.got = append(r.got, received{req.Header.Clone(), body, ev})
		n := len(r.got)
		r.mu.Unlock()
		w.WriteHeader(r.status(n))
		r.notify <- struct{}{}
	}))
	t.Cleanup(r.Close)
	return r
}

// wait returns the first request whose event is name, waiting up to 5 s.
func (r *receiver) wait(t *testing.T, name string) received {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		r.mu.Lock()
		for _, g := range r.got {
			if g.event["event"] == name {
				r.mu.Unlock()
				return g
			}
		}
		r.mu.Unlock()
		select {
		case <-r.notify:
		case <-deadline:
			t.Fatalf("no %s webhook received", name)
		}
	}
}

func (r *receiver) events() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, g := range r.got {
		out = append(out, g.event["event"].(string))
	}
	return out
}

// verify checks Knot-Signature the way a receiver following Knot's docs
// does, written independently of the sender.
func verify(t *testing.T, secret string, g received) {
	t.Helper()
	h := g.header
	if h.Get("Content-Type") != "application/json" || h.Get("Encryption-Type") != "HMAC-SHA256" {
		t.Fatalf("headers: %v", h)
	}
	if h.Get("Content-Length") != strconv.Itoa(len(g.body)) {
		t.Fatalf("Content-Length %q for %d bytes", h.Get("Content-Length"), len(g.body))
	}
	parts := []string{"Content-Length", h.Get("Content-Length"), "Content-Type", "application/json",
		"Encryption-Type", "HMAC-SHA256", "event", g.event["event"].(string)}
	if sid, ok := g.event["session_id"].(string); ok {
		parts = append(parts, "session_id", sid)
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(strings.Join(parts, "|")))
	if want := base64.StdEncoding.EncodeToString(mac.Sum(nil)); h.Get("Knot-Signature") != want {
		t.Fatalf("Knot-Signature %q, want %q", h.Get("Knot-Signature"), want)
	}
}

func webhookServer(t *testing.T, urls ...string) *servertest.Server {
	return servertest.New(t, server.Config{
		Clients:         []server.Client{{ID: "hooks_client", Secret: "hooks_secret", WebhookURLs: urls}},
		AsyncDelay:      time.Millisecond,
		CardWindow:      500 * time.Millisecond,
		WebhookRetryGap: 20 * time.Millisecond,
		WebhookTimeout:  2 * time.Second,
	})
}

func TestWebhookDeliveredSignedWithSessionMetadata(t *testing.T) {
	rcv := newReceiver(t)
	srv := webhookServer(t, rcv.URL)
	srv.Record(t) // every event must match the document's webhook schema
	r := srv.Post(t, "/development/accounts/link", `{"external_user_id":"hook_user","merchant_id":19,"card_switcher":true,"card_id":"card_123"}`)
	if r.Status != 200 {
		t.Fatalf("link: %d %s", r.Status, r.Body)
	}
	auth := rcv.wait(t, "AUTHENTICATED")
	verify(t, "hooks_secret", auth)
	data := auth.event["data"].(map[string]any)
	if data["send_card"] != true || data["card_id"] != "card_123" {
		t.Fatalf("AUTHENTICATED data: %v", data)
	}
	if _, isNumber := auth.event["task_id"].(float64); !isNumber {
		t.Fatalf("task_id is not an integer: %v", auth.event["task_id"])
	}
	if ts, _ := auth.event["timestamp"].(float64); ts < 1e12 {
		t.Fatalf("timestamp is not in milliseconds: %v", auth.event["timestamp"])
	}
	// No card within the window: Knot's reason.
	failed := rcv.wait(t, "CARD_FAILED")
	verify(t, "hooks_secret", failed)
	if reason := failed.event["data"].(map[string]any)["reason"]; reason != "did not receive payment method information" {
		t.Fatalf("CARD_FAILED reason %v", reason)
	}
}

func TestWebhookRetriedUntilAccepted(t *testing.T) {
	rcv := newReceiver(t)
	rcv.status = func(n int) int {
		if n == 1 {
			return 500
		}
		return 200
	}
	srv := webhookServer(t, rcv.URL)
	srv.Post(t, "/development/accounts/link", `{"external_user_id":"retry_user","merchant_id":45}`)
	r := srv.Get(t, "/_mock/webhooks/deliveries?event=AUTHENTICATED&wait=5s&status=delivered")
	if r.Status != 200 {
		t.Fatalf("deliveries: %d %s", r.Status, r.Body)
	}
	var list struct {
		Deliveries []struct {
			Status   string
			Attempts []struct {
				StatusCode int `json:"status_code"`
			}
		}
	}
	if err := json.Unmarshal([]byte(r.Body), &list); err != nil || len(list.Deliveries) != 1 {
		t.Fatalf("deliveries: %s", r.Body)
	}
	d := list.Deliveries[0]
	if d.Status != "delivered" || len(d.Attempts) != 2 || d.Attempts[0].StatusCode != 500 || d.Attempts[1].StatusCode != 200 {
		t.Fatalf("delivery: %+v", d)
	}
	if got := rcv.events(); len(got) != 2 || got[0] != "AUTHENTICATED" || got[1] != "AUTHENTICATED" {
		t.Fatalf("receiver saw %v", got)
	}
}

func TestWebhookURLsChangeAtRunTimeAndReplay(t *testing.T) {
	rcv := newReceiver(t)
	srv := webhookServer(t) // no URL: recorded, not sent
	srv.Post(t, "/development/accounts/link", `{"external_user_id":"late_user","merchant_id":45}`)
	r := srv.Get(t, "/_mock/webhooks/deliveries?event=AUTHENTICATED&wait=5s")
	if !strings.Contains(r.Body, `"status":"not_sent"`) {
		t.Fatalf("without URL: %s", r.Body)
	}
	if r := srv.Do(t, http.MethodPut, "/_mock/webhooks/urls", `{"urls":["`+rcv.URL+`/knot"]}`); r.Status != 200 {
		t.Fatalf("put urls: %d %s", r.Status, r.Body)
	}
	if r := srv.Do(t, http.MethodPut, "/_mock/webhooks/urls", `{"urls":["ftp://x"]}`); r.Status != 400 {
		t.Fatalf("bad url accepted: %d %s", r.Status, r.Body)
	}
	var list struct{ Deliveries []struct{ ID string } }
	_ = json.Unmarshal([]byte(r.Body), &list)
	rep := srv.Post(t, "/_mock/webhooks/deliveries/"+list.Deliveries[0].ID+"/replay", "")
	if rep.Status != 202 {
		t.Fatalf("replay: %d %s", rep.Status, rep.Body)
	}
	verify(t, "hooks_secret", rcv.wait(t, "AUTHENTICATED"))
	if r := srv.Post(t, "/_mock/webhooks/deliveries/dlv_nope/replay", ""); r.Status != 400 {
		t.Fatalf("replay unknown: %d %s", r.Status, r.Body)
	}
}

func TestWaitTimesOut(t *testing.T) {
	srv := webhookServer(t)
	r := srv.Get(t, "/_mock/webhooks/deliveries?event=CARD_UPDATED&wait=50ms")
	if r.Status != 408 || r.Body != `{"error_type":"INVALID_REQUEST","error_code":"TIMEOUT","error_message":"No matching webhook delivery within 50ms."}` {
		t.Fatalf("%d %s", r.Status, r.Body)
	}
}

// Every event the sandbox can emit, triggered through the admin API,
// matches the document's webhooks: schema (Record checks each).
func TestTriggerEveryEventMatchesTheDocument(t *testing.T) {
	rcv := newReceiver(t)
	srv := webhookServer(t, rcv.URL)
	rec := srv.Record(t)
	srv.Post(t, "/development/accounts/link", `{"external_user_id":"trig","merchant_id":45,"transactions":{"new":true}}`)
	rec.Wait("NEW_TRANSACTIONS_AVAILABLE", 1, 5*time.Second)
	doc := servertest.Document(t)
	n := 0
	for name := range doc.Webhooks {
		body := `{"event":"` + name + `","external_user_id":"trig","merchant_id":45}`
		if name == "ACCOUNT_LOGIN_REQUIRED" {
			continue // disconnects the account the others need; tested below
		}
		if r := srv.Post(t, "/_mock/webhooks/trigger", body); r.Status != 202 {
			t.Errorf("trigger %s: %d %s", name, r.Status, r.Body)
			continue
		}
		n++
		rec.Wait(name, 1, 5*time.Second)
	}
	if r := srv.Post(t, "/_mock/webhooks/trigger", `{"event":"ACCOUNT_LOGIN_REQUIRED","external_user_id":"trig","merchant_id":45}`); r.Status != 202 {
		t.Fatalf("ACCOUNT_LOGIN_REQUIRED: %d %s", r.Status, r.Body)
	}
	rec.Wait("ACCOUNT_LOGIN_REQUIRED", 1, 5*time.Second)
	if n < 27 {
		t.Fatalf("only %d events triggered", n)
	}
	// A merchant event has no session: signed without the session_id pair.
	verify(t, "hooks_secret", rcv.wait(t, "MERCHANT_STATUS_UPDATE"))
	if r := srv.Post(t, "/_mock/webhooks/trigger", `{"event":"NOPE"}`); r.Status != 400 {
		t.Fatalf("unknown event: %d %s", r.Status, r.Body)
	}
}
