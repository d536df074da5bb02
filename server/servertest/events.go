package servertest

import (
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/knotmock/knotmock/openapi"
	"github.com/knotmock/knotmock/server/events"
)

// Recorder collects every event the server publishes and checks each one
// against the document's webhooks: schema for its name: an event the
// document does not allow fails the test.
type Recorder struct {
	t       testing.TB
	mu      sync.Mutex
	events  []events.Event
	changed chan struct{}
}

var (
	fullDoc     *openapi3.T
	fullDocErr  error
	fullDocOnce sync.Once
)

// Document is the full OpenAPI document (webhooks included), loaded once.
func Document(t testing.TB) *openapi3.T {
	t.Helper()
	fullDocOnce.Do(func() { fullDoc, fullDocErr = openapi.Load() })
	if fullDocErr != nil {
		t.Fatal(fullDocErr)
	}
	return fullDoc
}

// Record starts recording the server's events.
func (s *Server) Record(t testing.TB) *Recorder {
	t.Helper()
	r := &Recorder{t: t, changed: make(chan struct{})}
	doc := Document(t)
	s.Events().Subscribe(func(ev events.Event) {
		if err := CheckWebhook(doc, ev.Name, ev.Payload); err != nil {
			t.Errorf("event %s does not match the document: %v\n%s", ev.Name, err, ev.Payload)
		}
		r.mu.Lock()
		r.events = append(r.events, ev)
		close(r.changed)
		r.changed = make(chan struct{})
		r.mu.Unlock()
	})
	return r
}

// CheckWebhook validates a webhook body against the document's schema for
// that event.
func CheckWebhook(doc *openapi3.T, name string, payload []byte) error {
	item := doc.Webhooks[name]
	if item == nil || item.Post == nil {
		return &json.UnsupportedValueError{Str: "no webhook " + name + " in the document"}
	}
	var v any
	if err := json.Unmarshal(payload, &v); err != nil {
		return err
	}
	schema := item.Post.RequestBody.Value.Content.Get("application/json").Schema.Value
	return schema.VisitJSON(v, openapi3.EnableJSONSchema2020(), openapi3.MultiErrors())
}

// Events returns the events so far.
func (r *Recorder) Events() []events.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]events.Event(nil), r.events...)
}

// Names returns the names of the events so far, in order.
func (r *Recorder) Names() []string {
	var out []string
	for _, ev := range r.Events() {
		out = append(out, ev.Name)
	}
	return out
}

// Wait blocks until an event named name has been published n times in all
// (real time, at most timeout) and returns the last of them decoded.
func (r *Recorder) Wait(name string, n int, timeout time.Duration) map[string]any {
	r.t.Helper()
	deadline := time.After(timeout)
	for {
		r.mu.Lock()
		var found []events.Event
		for _, ev := range r.events {
			if ev.Name == name {
				found = append(found, ev)
			}
		}
		ch := r.changed
		r.mu.Unlock()
		if len(found) >= n {
			var m map[string]any
			if err := json.Unmarshal(found[n-1].Payload, &m); err != nil {
				r.t.Fatal(err)
			}
			return m
		}
		select {
		case <-ch:
		case <-deadline:
			r.t.Fatalf("no %d× %s within %v; events so far: %v", n, name, timeout, r.Names())
			return nil
		}
	}
}
