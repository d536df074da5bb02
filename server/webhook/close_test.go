package webhook_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/knotmock/knotmock/server/events"
	"github.com/knotmock/knotmock/server/webhook"
)

// TestCloseWaitsForInFlight: the attempt in flight finishes and is
// delivered, the events still queued are abandoned, Close returns nil.
func TestCloseWaitsForInFlight(t *testing.T) {
	started := make(chan struct{}, 10)
	rc := newReceiver(t, func(int, *http.Request, []byte) int {
		started <- struct{}{}
		time.Sleep(300 * time.Millisecond)
		return 200
	})
	var c clients
	c.set("cli", testSecret, rc.URL)
	d := webhook.New(webhook.Config{Client: c.lookup, Logger: quietLogger(), RetryGap: 10 * time.Millisecond})
	for i := range 3 {
		d.Publish(event("cli", "CARD_UPDATED", "u", "s", i))
	}
	<-started
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	start := time.Now()
	if err := d.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if el := time.Since(start); el < 200*time.Millisecond {
		t.Fatalf("Close returned after %v without waiting for the attempt in flight", el)
	}
	var st []webhook.Status
	for _, dl := range d.Journal().List("cli", webhook.Filter{}) {
		st = append(st, dl.Status)
	}
	want := []webhook.Status{webhook.StatusDelivered, webhook.StatusAbandoned, webhook.StatusAbandoned}
	if len(st) != 3 || st[0] != want[0] || st[1] != want[1] || st[2] != want[2] {
		t.Fatalf("statuses %v, want %v", st, want)
	}
	if rc.count() != 1 {
		t.Fatalf("receiver got %d", rc.count())
	}
	// Closed: new events are journaled as dropped, Replay refuses.
	d.Publish(event("cli", "CARD_UPDATED", "u", "s", 9))
	if l := d.Journal().List("cli", webhook.Filter{Status: webhook.StatusDropped}); len(l) != 1 || l[0].Reason != "dispatcher closed" {
		t.Fatalf("after Close: %+v", l)
	}
	if _, err := d.Replay("cli", d.Journal().List("cli", webhook.Filter{})[0].ID); !errors.Is(err, webhook.ErrClosed) {
		t.Fatalf("Replay after Close: %v", err)
	}
	if s := d.Stats(); s.Queued != 0 || s.InFlight != 0 || s.Abandoned != 2 {
		t.Fatalf("stats %+v", s)
	}
}

// TestCloseIsBounded: a receiver that never answers does not hold Close
// past its ctx; the delivery is abandoned, and so is one parked for a retry.
func TestCloseIsBounded(t *testing.T) {
	hang := newReceiver(t, func(_ int, r *http.Request, _ []byte) int {
		<-r.Context().Done()
		return 200
	})
	failing := newReceiver(t, func(int, *http.Request, []byte) int { return 500 })
	var c clients
	c.set("hang", testSecret, hang.URL)
	c.set("fail", testSecret, failing.URL)
	d := webhook.New(webhook.Config{Client: c.lookup, Logger: quietLogger(), RetryGap: time.Hour})
	d.Publish(event("hang", "CARD_UPDATED", "u", "s", 0))
	d.Publish(event("fail", "CARD_UPDATED", "u", "s", 0))
	eventually(t, "both attempts started", func() bool { return hang.count() == 1 && failing.count() == 1 })
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := d.Close(ctx)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Close: %v", err)
	}
	if el := time.Since(start); el > time.Second {
		t.Fatalf("Close took %v", el)
	}
	for _, cl := range []string{"hang", "fail"} {
		l := d.Journal().List(cl, webhook.Filter{})
		if len(l) != 1 || l[0].Status != webhook.StatusAbandoned {
			t.Fatalf("%s: %+v", cl, l)
		}
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestLogsNoSecrets: logs name the event, client, URL and status, never the
// payload, the signature or the secret.
func TestLogsNoSecrets(t *testing.T) {
	var buf syncBuffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ok := newReceiver(t, nil)
	bad := newReceiver(t, func(int, *http.Request, []byte) int { return 500 })
	var c clients
	badURL := bad.URL + "/hook?token=URL_TOKEN_123" // a token in a URL stays out of logs
	c.set("cli", testSecret, ok.URL, badURL)
	d := newDispatcher(t, &c, func(cfg *webhook.Config) { cfg.Logger = logger; cfg.QueueSize = 1 })
	ev := event("cli", "CARD_UPDATED", "u", "s", 0)
	ev.Payload = []byte(`{"event":"CARD_UPDATED","session_id":"s","data":{"card_id":"card_SECRET_4242"}}`)
	d.Publish(ev)
	d.Publish(ev) // dropped: queue full
	waitFor(t, d, "cli", webhook.Filter{URL: ok.URL})
	bl := waitFor(t, d, "cli", webhook.Filter{URL: badURL})
	out := buf.String()
	for _, secret := range []string{testSecret, "card_SECRET_4242", bl.Attempts[0].Signature, "URL_TOKEN_123"} {
		if strings.Contains(out, secret) {
			t.Fatalf("log contains %q:\n%s", secret, out)
		}
	}
	for _, want := range []string{"CARD_UPDATED", "client_id=cli", bad.URL + "/hook", "status=500", "webhook failed", "queue full", "latency_ms="} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
}

func TestJournalIsBounded(t *testing.T) {
	var c clients
	c.set("cli", testSecret) // no URL: every event settles at once as not_sent
	d := newDispatcher(t, &c, func(cfg *webhook.Config) { cfg.JournalSize = 3 })
	for i := range 7 {
		ev := event("cli", "CARD_UPDATED", "u", "s", i)
		ev.Seq = int64(i + 1)
		d.Publish(ev)
	}
	eventually(t, "all settled", func() bool { return d.Stats().NotSent == 7 })
	l := d.Journal().List("cli", webhook.Filter{})
	if len(l) != 3 {
		t.Fatalf("kept %d deliveries", len(l))
	}
	for i, dl := range l {
		if want := fmt.Sprintf("dlv_%d_%d", 5+i, 5+i); dl.Seq != int64(5+i) || dl.ID != want {
			t.Fatalf("kept %s (seq %d), want %s: the newest, newest last", dl.ID, dl.Seq, want)
		}
	}
	if _, ok := d.Journal().Get("cli", "dlv_1_1"); ok {
		t.Fatal("evicted delivery still found")
	}
	if since := d.Journal().List("cli", webhook.Filter{SinceSeq: 6}); len(since) != 1 || since[0].Seq != 7 {
		t.Fatalf("SinceSeq 6: %+v", since)
	}
}

// TestStreamSubscriber wires the dispatcher to the real event stream.
func TestStreamSubscriber(t *testing.T) {
	rc := newReceiver(t, nil)
	var c clients
	c.set("cli", testSecret, rc.URL)
	d := newDispatcher(t, &c, nil)
	s := events.NewStream()
	s.Subscribe(d.Publish)
	s.Publish(event("cli", "AUTHENTICATED", "u", "s", 0))
	ev := s.Publish(event("cli", "CARD_UPDATED", "u", "s", 1))
	dl := waitFor(t, d, "cli", webhook.Filter{SinceSeq: ev.Seq - 1})
	if dl.Seq != ev.Seq || dl.Event != "CARD_UPDATED" || dl.Status != webhook.StatusDelivered || dl.MerchantID != 19 {
		t.Fatalf("%+v", dl)
	}
}
