// Package events is the one internal stream of asynchronous results (the
// webhooks Knot would send). Handlers and scenarios publish; the webhook
// dispatcher and the journal subscribe.
package events

import (
	"sync"
	"sync/atomic"
	"time"
)

// Event is one webhook-worthy occurrence, already rendered as the exact
// JSON body Knot would POST.
type Event struct {
	Seq            int64     // assigned by the stream, increasing
	ClientID       string    // tenant
	Name           string    // e.g. "AUTHENTICATED"
	SessionID      string    // empty for account-level events
	ExternalUserID string    // empty for MERCHANT_STATUS_UPDATE
	MerchantID     int       // 0 when the event has no merchant
	TaskID         int64     // 0 when the event has no task
	Payload        []byte    // the webhook body
	CreatedAt      time.Time // when it was published (virtual clock)
}

// Subscriber receives every event in publish order. It must not block:
// queue the work and return.
type Subscriber func(Event)

// Stream fans events out to subscribers. Publish order is delivery order
// to every subscriber.
type Stream struct {
	seq  atomic.Int64
	mu   sync.Mutex // serialises fan-out so subscribers see one order
	subs []Subscriber
}

// NewStream returns an empty stream.
func NewStream() *Stream { return &Stream{} }

// Subscribe adds a subscriber for events published from now on.
func (s *Stream) Subscribe(fn Subscriber) {
	s.mu.Lock()
	s.subs = append(s.subs, fn)
	s.mu.Unlock()
}

// Publish assigns the event its sequence number and hands it to every
// subscriber. It returns the event as delivered.
func (s *Stream) Publish(ev Event) Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	ev.Seq = s.seq.Add(1)
	for _, fn := range s.subs {
		fn(ev)
	}
	return ev
}
