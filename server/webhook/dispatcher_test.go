package webhook_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/knotmock/knotmock/server/webhook"
)

// TestPerUserOrdering publishes 50 events for each of two users while the
// receiver is slow and fails some first attempts: each user's events must
// arrive in publish order, one at a time, an event never before the
// previous one of the same user was delivered; the users run in parallel.
func TestPerUserOrdering(t *testing.T) {
	const perUser = 50
	type state struct {
		last      int
		delivered map[int]bool
		inflight  int
	}
	var mu sync.Mutex
	users := map[string]*state{"A": {last: -1, delivered: map[int]bool{}}, "B": {last: -1, delivered: map[int]bool{}}}
	failedOnce := map[string]bool{}
	rng := rand.New(rand.NewPCG(1, 2))
	var violations []string
	var parallel bool

	rc := newReceiver(t, func(_ int, _ *http.Request, body []byte) int {
		var b struct {
			User string `json:"external_user_id"`
			Idx  int    `json:"idx"`
		}
		_ = json.Unmarshal(body, &b)
		key := fmt.Sprintf("%s%d", b.User, b.Idx)
		mu.Lock()
		st := users[b.User]
		st.inflight++
		if st.inflight > 1 {
			violations = append(violations, "concurrent requests for "+b.User)
		}
		if users["A"].inflight+users["B"].inflight > 1 {
			parallel = true
		}
		if b.Idx < st.last || (b.Idx > st.last && st.last >= 0 && !st.delivered[st.last]) {
			violations = append(violations, fmt.Sprintf("%s: event %d after %d (delivered %v)", b.User, b.Idx, st.last, st.delivered[st.last]))
		}
		st.last = b.Idx
		fail := !failedOnce[key] && rng.IntN(4) == 0
		failedOnce[key] = true
		sleep := time.Duration(rng.IntN(1500)) * time.Microsecond
		mu.Unlock()

		time.Sleep(sleep)
		status := 200
		if fail {
			status = 500
		}
		mu.Lock()
		st.inflight--
		if !fail {
			st.delivered[b.Idx] = true
		}
		mu.Unlock()
		return status
	})
	var c clients
	c.set("cli", testSecret, rc.URL)
	d := newDispatcher(t, &c, func(cfg *webhook.Config) { cfg.RetryGap = time.Millisecond })
	for i := range perUser {
		d.Publish(event("cli", "CARD_UPDATED", "A", "sa", i))
		d.Publish(event("cli", "CARD_UPDATED", "B", "sb", i))
	}
	eventually(t, "all deliveries", func() bool { return d.Stats().Delivered == 2*perUser })
	mu.Lock()
	defer mu.Unlock()
	if len(violations) > 0 {
		t.Fatalf("%d ordering violations, first: %v", len(violations), violations[:min(5, len(violations))])
	}
	for u, st := range users {
		if st.last != perUser-1 || len(st.delivered) != perUser {
			t.Fatalf("user %s: last %d, delivered %d", u, st.last, len(st.delivered))
		}
	}
	if !parallel {
		t.Error("users A and B never proceeded in parallel")
	}
	if s := d.Stats(); s.Attempts <= 2*perUser || s.Failed != 0 || s.Queued != 0 {
		t.Fatalf("stats %+v (expected some retries)", s)
	}
}

func TestQueueFullDrops(t *testing.T) {
	release := make(chan struct{})
	rc := newReceiver(t, func(_ int, r *http.Request, _ []byte) int {
		select {
		case <-release:
		case <-r.Context().Done():
		}
		return 200
	})
	var c clients
	c.set("cli", testSecret, rc.URL)
	d := newDispatcher(t, &c, func(cfg *webhook.Config) { cfg.QueueSize = 5 })
	start := time.Now()
	for i := range 20 {
		d.Publish(event("cli", "CARD_UPDATED", "u", "s", i))
	}
	if el := time.Since(start); el > 500*time.Millisecond {
		t.Fatalf("Publish blocked for %v", el)
	}
	if s := d.Stats(); s.Dropped != 15 || s.Published != 20 || s.Queued != 5 {
		t.Fatalf("stats %+v", s)
	}
	dropped := d.Journal().List("cli", webhook.Filter{Status: webhook.StatusDropped})
	if len(dropped) != 15 || dropped[0].Reason != "queue full" || len(dropped[0].Attempts) != 0 {
		t.Fatalf("dropped deliveries: %d, first %+v", len(dropped), dropped[0])
	}
	close(release)
	eventually(t, "5 deliveries", func() bool { return d.Stats().Delivered == 5 })
	if rc.count() != 5 {
		t.Fatalf("receiver got %d", rc.count())
	}
	// Room again once the queue drained.
	eventually(t, "queue drained", func() bool { return d.Stats().Queued == 0 })
	d.Publish(event("cli", "CARD_UPDATED", "u", "s", 99))
	waitFor(t, d, "cli", webhook.Filter{Status: webhook.StatusDelivered, SinceSeq: 0, Event: "CARD_UPDATED", URL: rc.URL})
	eventually(t, "6th delivery", func() bool { return d.Stats().Delivered == 6 })
}

func TestNoURLIsNotSent(t *testing.T) {
	var c clients
	c.set("cli", testSecret)
	d := newDispatcher(t, &c, nil)
	d.Publish(event("cli", "MERCHANT_STATUS_UPDATE", "", "", 0))
	d.Publish(event("unknown", "MERCHANT_STATUS_UPDATE", "", "", 0))
	for _, cl := range []string{"cli", "unknown"} {
		dl := waitFor(t, d, cl, webhook.Filter{})
		if dl.Status != webhook.StatusNotSent || dl.Reason != "no webhook URL configured" || dl.URL != "" {
			t.Fatalf("%s: %+v", cl, dl)
		}
	}
	if s := d.Stats(); s.NotSent != 2 || s.Attempts != 0 {
		t.Fatalf("stats %+v", s)
	}
}

func TestMultipleURLsAndRuntimeChanges(t *testing.T) {
	r1, r2, r3 := newReceiver(t, nil), newReceiver(t, nil), newReceiver(t, func(int, *http.Request, []byte) int { return 500 })
	var c clients
	c.set("cli", testSecret, r1.URL, r2.URL, r3.URL)
	d := newDispatcher(t, &c, func(cfg *webhook.Config) { cfg.Attempts = 1 })
	ev := event("cli", "NEW_TRANSACTIONS_AVAILABLE", "u", "", 0)
	d.Publish(ev)
	for _, rc := range []*receiver{r1, r2} {
		dl := waitFor(t, d, "cli", webhook.Filter{URL: rc.URL})
		if dl.Status != webhook.StatusDelivered {
			t.Fatalf("%s: %+v", rc.URL, dl)
		}
	}
	if dl := waitFor(t, d, "cli", webhook.Filter{URL: r3.URL}); dl.Status != webhook.StatusFailed {
		t.Fatalf("failing URL: %+v", dl)
	}
	all := d.Journal().List("cli", webhook.Filter{})
	ids := map[string]bool{}
	for _, dl := range all {
		ids[dl.ID] = true
		if string(dl.Payload) != string(ev.Payload) {
			t.Fatalf("payload %s", dl.Payload)
		}
	}
	if len(all) != 3 || len(ids) != 3 {
		t.Fatalf("want 3 deliveries with distinct ids, got %+v", all)
	}
	for _, rc := range []*receiver{r1, r2, r3} {
		if h := rc.all(); len(h) != 1 || verify(testSecret, h[0].header, h[0].body) != nil {
			t.Fatalf("%s got %d requests", rc.URL, len(h))
		}
	}

	// URLs and secret changed at run time apply to the next event.
	r4 := newReceiver(t, nil)
	c.set("cli", "new-secret", r4.URL+"/x", r2.URL+"/y")
	d.Publish(event("cli", "NEW_TRANSACTIONS_AVAILABLE", "u", "", 1))
	for _, u := range []string{r4.URL + "/x", r2.URL + "/y"} {
		if dl := waitFor(t, d, "cli", webhook.Filter{URL: u}); dl.Status != webhook.StatusDelivered {
			t.Fatalf("%s: %+v", u, dl)
		}
	}
	if h := r2.all(); len(h) != 2 || verify("new-secret", h[1].header, h[1].body) != nil {
		t.Fatalf("second event to r2: %d requests", len(h))
	}
	if r1.count() != 1 || r3.count() != 1 || r4.count() != 1 {
		t.Fatalf("removed URLs still called")
	}
}

func TestWait(t *testing.T) {
	rc := newReceiver(t, nil)
	var c clients
	c.set("cli", testSecret, rc.URL)
	d := newDispatcher(t, &c, nil)

	got := make(chan webhook.Delivery, 1)
	errc := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		dl, err := d.Journal().Wait(ctx, "cli", webhook.Filter{Event: "CARD_UPDATED", SessionID: "s2"})
		got <- dl
		errc <- err
	}()
	time.Sleep(20 * time.Millisecond) // the waiter is parked before anything is published
	d.Publish(event("cli", "CARD_UPDATED", "u", "s1", 0))
	d.Publish(event("cli", "CARD_UPDATED", "u", "s2", 1))
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	if dl := <-got; dl.SessionID != "s2" || dl.Status != webhook.StatusDelivered {
		t.Fatalf("Wait returned %+v", dl)
	}

	// A status filter returns as soon as a delivery has that status.
	if dl := waitFor(t, d, "cli", webhook.Filter{SessionID: "s1", Status: webhook.StatusDelivered}); dl.SessionID != "s1" {
		t.Fatalf("%+v", dl)
	}

	// Nothing matching: ctx's error, on time.
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := d.Journal().Wait(ctx, "cli", webhook.Filter{Event: "CARD_FAILED"})
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > time.Second {
		t.Fatalf("err %v after %v", err, time.Since(start))
	}
	// Reset forgets the client's deliveries.
	d.Journal().Reset("cli")
	if l := d.Journal().List("cli", webhook.Filter{}); len(l) != 0 {
		t.Fatalf("after Reset: %d deliveries", len(l))
	}
}

func TestReplay(t *testing.T) {
	rc := newReceiver(t, nil)
	var c clients
	c.set("cli", testSecret, rc.URL)
	d := newDispatcher(t, &c, nil)
	d.Publish(event("cli", "CARD_UPDATED", "u", "s", 7))
	first := waitFor(t, d, "cli", webhook.Filter{})
	re, err := d.Replay("cli", first.ID)
	if err != nil {
		t.Fatal(err)
	}
	if re.ID == first.ID || re.ReplayOf != first.ID || re.Event != first.Event || re.Seq != first.Seq {
		t.Fatalf("replay %+v of %+v", re, first)
	}
	var dl webhook.Delivery
	eventually(t, "replay settled", func() bool {
		dl, _ = d.Journal().Get("cli", re.ID)
		return dl.Status.Final()
	})
	if dl.Status != webhook.StatusDelivered || dl.URL != rc.URL || len(dl.Attempts) != 1 {
		t.Fatalf("replayed delivery %+v", dl)
	}
	h := rc.all()
	if len(h) != 2 || string(h[0].body) != string(h[1].body) {
		t.Fatalf("receiver got %d requests", len(h))
	}
	if _, err := d.Replay("cli", "dlv_nope"); !errors.Is(err, webhook.ErrNotFound) {
		t.Fatalf("unknown id: %v", err)
	}
}
