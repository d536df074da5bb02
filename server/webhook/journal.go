package webhook

import (
	"encoding/json"
	"strconv"
	"sync"
	"time"
)

// Status is the state of one delivery.
type Status string

// Delivery statuses. Every status but StatusPending is final.
const (
	StatusPending   Status = "pending"   // queued, being attempted, or waiting for a retry
	StatusDelivered Status = "delivered" // a 2xx answer was received
	StatusFailed    Status = "failed"    // every attempt failed
	StatusNotSent   Status = "not_sent"  // the client has no webhook URL
	StatusDropped   Status = "dropped"   // the queue was full (or the dispatcher closed)
	StatusAbandoned Status = "abandoned" // the dispatcher shut down before it finished
)

// Final reports whether s is a final status.
func (s Status) Final() bool { return s != StatusPending && s != "" }

// DefaultJournalSize is how many deliveries a client keeps (oldest evicted).
const DefaultJournalSize = 10_000

// Attempt is one HTTP POST of a delivery.
type Attempt struct {
	N          int       `json:"n"` // 1-based
	At         time.Time `json:"at"`
	StatusCode int       `json:"status_code,omitempty"` // 0 when no answer
	Error      string    `json:"error,omitempty"`       // empty on success
	LatencyMS  float64   `json:"latency_ms"`
	Signature  string    `json:"signature"` // Knot-Signature sent
}

// Delivery is one event sent (or not) to one webhook URL. An event whose
// client has no URL, or that was dropped, has one delivery with no URL.
type Delivery struct {
	ID             string          `json:"id"` // "dlv_<seq>_<n>", n counts the client's deliveries
	Seq            int64           `json:"seq"`
	ClientID       string          `json:"client_id"`
	Event          string          `json:"event"`
	ExternalUserID string          `json:"external_user_id,omitempty"`
	SessionID      string          `json:"session_id,omitempty"`
	MerchantID     int             `json:"merchant_id,omitempty"`
	TaskID         int64           `json:"task_id,omitempty"`
	URL            string          `json:"url,omitempty"`
	Payload        json.RawMessage `json:"payload"`
	Attempts       []Attempt       `json:"attempts"`
	Status         Status          `json:"status"`
	Reason         string          `json:"reason,omitempty"` // why not_sent / dropped / abandoned / failed
	ReplayOf       string          `json:"replay_of,omitempty"`
	CreatedAt      time.Time       `json:"created_at"`
}

// Filter selects deliveries; zero fields match everything.
type Filter struct {
	Event          string
	ExternalUserID string
	SessionID      string
	MerchantID     int
	URL            string
	Status         Status
	SinceSeq       int64 // only events with Seq > SinceSeq
}

func (f *Filter) match(d *Delivery, withStatus bool) bool {
	return (f.Event == "" || f.Event == d.Event) &&
		(f.ExternalUserID == "" || f.ExternalUserID == d.ExternalUserID) &&
		(f.SessionID == "" || f.SessionID == d.SessionID) &&
		(f.MerchantID == 0 || f.MerchantID == d.MerchantID) &&
		(f.URL == "" || f.URL == d.URL) &&
		(f.SinceSeq == 0 || d.Seq > f.SinceSeq) &&
		(!withStatus || f.Status == "" || f.Status == d.Status)
}

// Journal records every event and every delivery attempt, per client. Each
// client has its own lock; the only shared structure is a sync.Map.
type Journal struct {
	max     int
	clients sync.Map // client id -> *clientJournal
}

// NewJournal returns a journal keeping the last size deliveries per client
// (DefaultJournalSize when size <= 0).
func NewJournal(size int) *Journal {
	if size <= 0 {
		size = DefaultJournalSize
	}
	return &Journal{max: size}
}

type clientJournal struct {
	mu     sync.Mutex
	items  []*record // oldest first; items[head:] are live
	head   int
	byID   map[string]*record
	n      int64         // deliveries ever created (never reset): the <n> of ids
	notify chan struct{} // non-nil while someone waits; closed on any change
}

// record is a journal entry; d is guarded by cj.mu.
type record struct {
	cj *clientJournal
	d  Delivery
}

func (j *Journal) client(clientID string) *clientJournal {
	if v, ok := j.clients.Load(clientID); ok {
		return v.(*clientJournal)
	}
	v, _ := j.clients.LoadOrStore(clientID, &clientJournal{byID: map[string]*record{}})
	return v.(*clientJournal)
}

// add records a new delivery, assigning its ID.
func (j *Journal) add(d Delivery) *record {
	cj := j.client(d.ClientID)
	cj.mu.Lock()
	defer cj.mu.Unlock()
	cj.n++
	d.ID = "dlv_" + strconv.FormatInt(d.Seq, 10) + "_" + strconv.FormatInt(cj.n, 10)
	r := &record{cj: cj, d: d}
	cj.items = append(cj.items, r)
	cj.byID[d.ID] = r
	if len(cj.items)-cj.head > j.max {
		delete(cj.byID, cj.items[cj.head].d.ID)
		cj.items[cj.head] = nil
		cj.head++
		if cj.head >= j.max { // compact, releasing the evicted prefix
			cj.items = append(make([]*record, 0, 2*j.max), cj.items[cj.head:]...)
			cj.head = 0
		}
	}
	cj.changed()
	return r
}

// update mutates a record under its client's lock and wakes waiters. A
// record evicted or reset is still updated, but nobody sees it any more.
func (r *record) update(fn func(d *Delivery)) {
	r.cj.mu.Lock()
	fn(&r.d)
	r.cj.changed()
	r.cj.mu.Unlock()
}

// snapshot returns a copy of the record safe to hand out.
func (r *record) snapshot() Delivery {
	r.cj.mu.Lock()
	defer r.cj.mu.Unlock()
	return r.d.clone()
}

func (d *Delivery) clone() Delivery {
	c := *d
	c.Attempts = append([]Attempt{}, d.Attempts...) // [] rather than null in JSON
	return c
}

// changed broadcasts to waiters (close-and-forget; the next waiter makes a
// new channel). Called with cj.mu held.
func (cj *clientJournal) changed() {
	if cj.notify != nil {
		close(cj.notify)
		cj.notify = nil
	}
}

// List returns the client's deliveries matching f, oldest first (newest last).
func (j *Journal) List(clientID string, f Filter) []Delivery {
	v, ok := j.clients.Load(clientID)
	if !ok {
		return []Delivery{}
	}
	cj := v.(*clientJournal)
	cj.mu.Lock()
	defer cj.mu.Unlock()
	out := []Delivery{}
	for _, r := range cj.items[cj.head:] {
		if f.match(&r.d, true) {
			out = append(out, r.d.clone())
		}
	}
	return out
}

// Get returns one delivery by ID.
func (j *Journal) Get(clientID, deliveryID string) (Delivery, bool) {
	r := j.lookup(clientID, deliveryID)
	if r == nil {
		return Delivery{}, false
	}
	return r.snapshot(), true
}

func (j *Journal) lookup(clientID, deliveryID string) *record {
	v, ok := j.clients.Load(clientID)
	if !ok {
		return nil
	}
	cj := v.(*clientJournal)
	cj.mu.Lock()
	defer cj.mu.Unlock()
	return cj.byID[deliveryID]
}

// Reset forgets the client's journal. Deliveries still in progress go on
// but are no longer listed; delivery numbering is not restarted, so ids are
// never reused.
func (j *Journal) Reset(clientID string) {
	v, ok := j.clients.Load(clientID)
	if !ok {
		return
	}
	cj := v.(*clientJournal)
	cj.mu.Lock()
	cj.items, cj.head, cj.byID = nil, 0, map[string]*record{}
	cj.changed()
	cj.mu.Unlock()
}
