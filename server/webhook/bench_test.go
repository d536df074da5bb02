package webhook_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/knotmock/knotmock/server/events"
	"github.com/knotmock/knotmock/server/webhook"
)

// BenchmarkDeliveries measures throughput: b.N events spread over 64 users
// to one local receiver answering 204.
func BenchmarkDeliveries(b *testing.B) {
	var got atomic.Int64
	done := make(chan struct{})
	target := int64(b.N)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusNoContent)
		if got.Add(1) == target {
			close(done)
		}
	}))
	defer srv.Close()
	var c clients
	c.set("cli", testSecret, srv.URL)
	d := newDispatcher(b, &c, func(cfg *webhook.Config) { cfg.QueueSize = b.N + 1 })
	evs := make([]events.Event, 64)
	for i := range evs {
		evs[i] = event("cli", "CARD_UPDATED", "user-"+strconv.Itoa(i), "s", i)
	}
	b.ResetTimer()
	start := time.Now()
	for i := range b.N {
		d.Publish(evs[i%len(evs)])
	}
	<-done
	el := time.Since(start)
	b.StopTimer()
	b.ReportMetric(float64(b.N)/el.Seconds(), "deliveries/s")
	if s := d.Stats(); s.Dropped != 0 {
		b.Fatalf("dropped %d", s.Dropped)
	}
}

// BenchmarkPublishToDelivery measures latency from Publish to receipt by
// the receiver, one event at a time (no queueing).
func BenchmarkPublishToDelivery(b *testing.B) {
	recv := make(chan time.Time, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		at := time.Now()
		_, _ = io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusOK)
		recv <- at
	}))
	defer srv.Close()
	var c clients
	c.set("cli", testSecret, srv.URL)
	d := newDispatcher(b, &c, nil)
	ev := event("cli", "CARD_UPDATED", "u", "s", 0)
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		d.Publish(ev)
		lat = append(lat, (<-recv).Sub(start))
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Nanoseconds())/1e3, "p50-µs")
	b.ReportMetric(float64(lat[min(len(lat)-1, len(lat)*99/100)].Nanoseconds())/1e3, "p99-µs")
	b.ReportMetric(0, "ns/op")
}
