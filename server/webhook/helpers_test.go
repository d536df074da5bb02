package webhook_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/knotmock/knotmock/server/events"
	"github.com/knotmock/knotmock/server/webhook"
)

const testSecret = "sk_test_knotmock_5e1f0c"

// clients is the test's tenant table, changeable at run time.
type clients struct {
	mu sync.Mutex
	m  map[string]clientConf
}

type clientConf struct {
	secret string
	urls   []string
}

func (c *clients) set(id, secret string, urls ...string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]clientConf{}
	}
	c.m[id] = clientConf{secret, urls}
}

func (c *clients) lookup(id string) ([]string, string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	cc, ok := c.m[id]
	return append([]string(nil), cc.urls...), cc.secret, ok
}

func quietLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }

// newDispatcher starts a dispatcher with test-friendly defaults, closed at
// the end of the test.
func newDispatcher(t testing.TB, c *clients, mod func(*webhook.Config)) *webhook.Dispatcher {
	t.Helper()
	cfg := webhook.Config{
		Client:   c.lookup,
		Timeout:  2 * time.Second,
		RetryGap: 10 * time.Millisecond,
		Logger:   quietLogger(),
	}
	if mod != nil {
		mod(&cfg)
	}
	d := webhook.New(cfg)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = d.Close(ctx)
	})
	return d
}

// hit is one request seen by a receiver.
type hit struct {
	header http.Header
	body   []byte
	method string
	status int
}

// receiver is a local webhook endpoint. answer decides the status of the
// n-th request (0-based); nil answers 200.
type receiver struct {
	*httptest.Server
	mu     sync.Mutex
	hits   []hit
	answer func(n int, r *http.Request, body []byte) int
}

func newReceiver(t testing.TB, answer func(n int, r *http.Request, body []byte) int) *receiver {
	t.Helper()
	rc := &receiver{answer: answer}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		n := len(rc.hits)
		rc.hits = append(rc.hits, hit{header: r.Header.Clone(), body: body, method: r.Method})
		rc.mu.Unlock()
		status := http.StatusOK
		if rc.answer != nil {
			status = rc.answer(n, r, body)
		}
		rc.mu.Lock()
		rc.hits[n].status = status
		rc.mu.Unlock()
		w.WriteHeader(status)
	}))
	t.Cleanup(rc.Close)
	return rc
}

func (rc *receiver) count() int {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return len(rc.hits)
}

func (rc *receiver) all() []hit {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]hit(nil), rc.hits...)
}

// event builds an event with a JSON envelope like Knot's.
func event(client, name, user, session string, idx int) events.Event {
	body := map[string]any{"event": name, "external_user_id": user, "idx": idx,
		"merchant": map[string]any{"id": 19, "name": "DoorDash"}, "timestamp": 1710864923198}
	if session != "" {
		body["session_id"] = session
	}
	if user == "" {
		delete(body, "external_user_id")
	}
	payload, _ := json.Marshal(body)
	return events.Event{ClientID: client, Name: name, SessionID: session, ExternalUserID: user,
		MerchantID: 19, Payload: payload, CreatedAt: time.Now()}
}

// verify checks a received webhook the way a Knot customer would, with its
// own implementation of the documented scheme (not webhook.Sign).
func verify(secret string, h http.Header, body []byte) error {
	var b struct {
		Event     string `json:"event"`
		SessionID string `json:"session_id"`
	}
	if err := json.Unmarshal(body, &b); err != nil {
		return err
	}
	s := "Content-Length|" + h.Get("Content-Length") + "|Content-Type|" + h.Get("Content-Type") +
		"|Encryption-Type|" + h.Get("Encryption-Type") + "|event|" + b.Event
	if b.SessionID != "" {
		s += "|session_id|" + b.SessionID
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(s))
	want := base64.StdEncoding.EncodeToString(mac.Sum(nil))
	if !hmac.Equal([]byte(want), []byte(h.Get("Knot-Signature"))) {
		return fmt.Errorf("signature %q, want %q for %q", h.Get("Knot-Signature"), want, s)
	}
	return nil
}

// waitFor waits for a settled delivery matching f, failing the test after 5 s.
func waitFor(t testing.TB, d *webhook.Dispatcher, client string, f webhook.Filter) webhook.Delivery {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	dl, err := d.Journal().Wait(ctx, client, f)
	if err != nil {
		t.Fatalf("Wait(%s, %+v): %v; journal: %+v", client, f, err, d.Journal().List(client, webhook.Filter{}))
	}
	return dl
}

// eventually polls cond (test-side only) for up to 5 s.
func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}
