package webhook_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/knotmock/knotmock/server/webhook"
)

func statuses(dl webhook.Delivery) []int {
	var s []int
	for _, a := range dl.Attempts {
		s = append(s, a.StatusCode)
	}
	return s
}

func TestRetryThenDelivered(t *testing.T) {
	rc := newReceiver(t, func(n int, _ *http.Request, _ []byte) int {
		if n == 0 {
			return 500
		}
		return 200
	})
	var c clients
	c.set("cli", testSecret, rc.URL)
	d := newDispatcher(t, &c, nil)
	d.Publish(event("cli", "CARD_UPDATED", "u", "s", 0))
	dl := waitFor(t, d, "cli", webhook.Filter{})
	if dl.Status != webhook.StatusDelivered || len(dl.Attempts) != 2 || statuses(dl)[0] != 500 || statuses(dl)[1] != 200 {
		t.Fatalf("delivery %+v", dl)
	}
	if dl.Attempts[0].Error == "" || dl.Attempts[1].Error != "" || dl.Attempts[1].N != 2 {
		t.Fatalf("attempts %+v", dl.Attempts)
	}
	if rc.count() != 2 {
		t.Fatalf("receiver got %d requests", rc.count())
	}
	if s := d.Stats(); s.Delivered != 1 || s.Attempts != 2 || s.Failed != 0 {
		t.Fatalf("stats %+v", s)
	}
}

func TestAlways500Fails(t *testing.T) {
	rc := newReceiver(t, func(int, *http.Request, []byte) int { return 500 })
	var c clients
	c.set("cli", testSecret, rc.URL)
	d := newDispatcher(t, &c, nil)
	d.Publish(event("cli", "CARD_FAILED", "u", "s", 0))
	dl := waitFor(t, d, "cli", webhook.Filter{})
	if dl.Status != webhook.StatusFailed || len(dl.Attempts) != 3 {
		t.Fatalf("delivery %+v", dl)
	}
	time.Sleep(50 * time.Millisecond) // no 4th attempt
	if rc.count() != 3 || d.Stats().Failed != 1 {
		t.Fatalf("receiver got %d requests, stats %+v", rc.count(), d.Stats())
	}
}

func TestTimeoutIsRetried(t *testing.T) {
	rc := newReceiver(t, func(n int, r *http.Request, _ []byte) int {
		if n == 0 {
			select { // longer than Timeout
			case <-time.After(2 * time.Second):
			case <-r.Context().Done():
			}
		}
		return 200
	})
	var c clients
	c.set("cli", testSecret, rc.URL)
	d := newDispatcher(t, &c, func(cfg *webhook.Config) { cfg.Timeout = 200 * time.Millisecond })
	start := time.Now()
	d.Publish(event("cli", "AUTHENTICATED", "u", "s", 0))
	dl := waitFor(t, d, "cli", webhook.Filter{})
	if dl.Status != webhook.StatusDelivered || len(dl.Attempts) != 2 || dl.Attempts[0].StatusCode != 0 ||
		dl.Attempts[0].Error == "" || dl.Attempts[0].LatencyMS < 190 {
		t.Fatalf("delivery %+v", dl)
	}
	if el := time.Since(start); el > 1500*time.Millisecond {
		t.Fatalf("took %v: the timeout was not applied", el)
	}
}

func TestConnectionRefusedRetriedThenFailed(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	var c clients
	c.set("cli", testSecret, url)
	d := newDispatcher(t, &c, nil)
	d.Publish(event("cli", "AUTHENTICATED", "u", "s", 0))
	dl := waitFor(t, d, "cli", webhook.Filter{})
	if dl.Status != webhook.StatusFailed || len(dl.Attempts) != 3 {
		t.Fatalf("delivery %+v", dl)
	}
	for _, a := range dl.Attempts {
		if a.StatusCode != 0 || !strings.Contains(a.Error, "refused") {
			t.Fatalf("attempt %+v", a)
		}
	}
}

func TestRedirectIsAFailure(t *testing.T) {
	var targetHits atomic.Int32
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		targetHits.Add(1)
	}))
	defer target.Close()
	rc := httptest.NewServer(http.RedirectHandler(target.URL, http.StatusFound))
	defer rc.Close()
	var c clients
	c.set("cli", testSecret, rc.URL)
	d := newDispatcher(t, &c, nil)
	d.Publish(event("cli", "AUTHENTICATED", "u", "s", 0))
	dl := waitFor(t, d, "cli", webhook.Filter{})
	if dl.Status != webhook.StatusFailed || len(dl.Attempts) != 3 {
		t.Fatalf("delivery %+v", dl)
	}
	for _, a := range dl.Attempts {
		if a.StatusCode != http.StatusFound {
			t.Fatalf("attempt %+v", a)
		}
	}
	if n := targetHits.Load(); n != 0 {
		t.Fatalf("redirect target hit %d times", n)
	}
}

// TestRetryGapUsesAfter drives the retry gap with a fake After: the second
// attempt happens only when the test fires the timer.
func TestRetryGapUsesAfter(t *testing.T) {
	rc := newReceiver(t, func(n int, _ *http.Request, _ []byte) int {
		if n == 0 {
			return 503
		}
		return 200
	})
	timers := make(chan chan time.Time, 4)
	var gaps atomic.Int64
	fixed := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	var c clients
	c.set("cli", testSecret, rc.URL)
	d := newDispatcher(t, &c, func(cfg *webhook.Config) {
		cfg.RetryGap = time.Hour
		cfg.Now = func() time.Time { return fixed }
		cfg.After = func(d time.Duration) <-chan time.Time {
			gaps.Store(int64(d))
			ch := make(chan time.Time, 1)
			timers <- ch
			return ch
		}
	})
	d.Publish(event("cli", "AUTHENTICATED", "u", "s", 0))
	var timer chan time.Time
	select {
	case timer = <-timers:
	case <-time.After(5 * time.Second):
		t.Fatal("no retry timer started")
	}
	if time.Duration(gaps.Load()) != time.Hour {
		t.Fatalf("gap %v", time.Duration(gaps.Load()))
	}
	time.Sleep(50 * time.Millisecond)
	if rc.count() != 1 {
		t.Fatalf("retried before the timer fired: %d requests", rc.count())
	}
	timer <- fixed.Add(time.Hour)
	dl := waitFor(t, d, "cli", webhook.Filter{})
	if dl.Status != webhook.StatusDelivered || len(dl.Attempts) != 2 || !dl.Attempts[1].At.Equal(fixed) {
		t.Fatalf("delivery %+v", dl)
	}
}
