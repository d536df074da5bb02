package webhook

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/knotmock/knotmock/server/events"
)

// Defaults. Timeout and Attempts are Knot's ("no response within 10
// seconds ... retry sending the webhook up to two times"); Knot waits "a few
// minutes" between attempts, the sandbox waits RetryGap so CI stays fast.
const (
	DefaultTimeout   = 10 * time.Second
	DefaultAttempts  = 3
	DefaultRetryGap  = 2 * time.Second
	DefaultQueueSize = 10_000
	DefaultWorkers   = 8
)

// Errors returned by Replay.
var (
	ErrNotFound  = errors.New("webhook: delivery not found")
	ErrQueueFull = errors.New("webhook: queue full")
	ErrClosed    = errors.New("webhook: dispatcher closed")
)

// Config configures a Dispatcher; zero fields take the defaults.
type Config struct {
	// Client returns the webhook URLs and secret of a client. It is called
	// off the publisher's goroutine when an event is routed (URLs) and
	// before every attempt (secret), so runtime changes apply.
	Client     func(clientID string) (urls []string, secret string, ok bool)
	Timeout    time.Duration // per attempt; default 10 s
	Attempts   int           // in total, first try included; default 3
	RetryGap   time.Duration // between attempts; default 2 s
	QueueSize  int           // events held (waiting or in progress); default 10,000
	Workers    int           // concurrent HTTP attempts; default 8
	Logger     *slog.Logger  // default slog.Default()
	Now        func() time.Time
	After      func(d time.Duration) <-chan time.Time // drives retry gaps; default time.After
	HTTPClient *http.Client                           // redirects are never followed, whatever it says
	// JournalSize is how many deliveries are kept per client; default 10,000.
	JournalSize int
}

// Stats are the dispatcher's counters.
type Stats struct {
	Published int64 `json:"published"` // events handed to Publish
	Delivered int64 `json:"delivered"` // deliveries that got a 2xx
	Failed    int64 `json:"failed"`    // deliveries that used up their attempts
	Dropped   int64 `json:"dropped"`   // events refused (queue full or closed)
	NotSent   int64 `json:"not_sent"`  // events of clients without a webhook URL
	Abandoned int64 `json:"abandoned"` // deliveries cut short by Close
	Attempts  int64 `json:"attempts"`  // HTTP POSTs made
	InFlight  int64 `json:"in_flight"` // HTTP POSTs in progress
	// Queued counts the events held: accepted and not finished (waiting,
	// being attempted or waiting for a retry). Publish drops at QueueSize.
	Queued int64 `json:"queued"`
}

// Dispatcher is the one webhook sender. Publish is an events.Subscriber.
type Dispatcher struct {
	cfg     Config
	log     *slog.Logger
	http    *http.Client
	journal *Journal

	acceptMu sync.Mutex // guards closed and the send on in (never blocks)
	closed   bool
	in       chan *item // events to route, cap QueueSize

	held                                           atomic.Int64
	published, delivered, failed, dropped, notSent atomic.Int64
	abandoned, attempts, inFlight                  atomic.Int64
	lanes                                          laneSet
	quit                                           chan struct{}
	base                                           context.Context
	cancel                                         context.CancelFunc
	workers, timers                                sync.WaitGroup
	routerDone                                     chan struct{}
}

// item is an accepted event on its way to the router.
type item struct {
	ev  events.Event
	rec *record // the delivery journaled at Publish
	url string  // fixed URL (replay); "" resolves the client's URLs
}

// New starts a dispatcher: a router goroutine and cfg.Workers workers.
func New(cfg Config) *Dispatcher {
	if cfg.Client == nil {
		cfg.Client = func(string) ([]string, string, bool) { return nil, "", false }
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.Attempts <= 0 {
		cfg.Attempts = DefaultAttempts
	}
	if cfg.RetryGap <= 0 {
		cfg.RetryGap = DefaultRetryGap
	}
	if cfg.QueueSize <= 0 {
		cfg.QueueSize = DefaultQueueSize
	}
	if cfg.Workers <= 0 {
		cfg.Workers = DefaultWorkers
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.After == nil {
		cfg.After = time.After
	}
	var hc http.Client
	if cfg.HTTPClient != nil {
		hc = *cfg.HTTPClient
	} else {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.DisableCompression = true // send no Accept-Encoding: the documented headers only
		tr.MaxIdleConnsPerHost = max(cfg.Workers, 2)
		hc = http.Client{Transport: tr, Timeout: cfg.Timeout}
	}
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

	d := &Dispatcher{
		cfg:        cfg,
		log:        cfg.Logger,
		http:       &hc,
		journal:    NewJournal(cfg.JournalSize),
		in:         make(chan *item, cfg.QueueSize),
		quit:       make(chan struct{}),
		routerDone: make(chan struct{}),
	}
	d.lanes.init()
	d.base, d.cancel = context.WithCancel(context.Background())
	go d.route()
	d.workers.Add(cfg.Workers)
	for range cfg.Workers {
		go d.work()
	}
	return d
}

// Journal returns the dispatcher's journal.
func (d *Dispatcher) Journal() *Journal { return d.journal }

// Stats returns the counters.
func (d *Dispatcher) Stats() Stats {
	return Stats{
		Published: d.published.Load(), Delivered: d.delivered.Load(), Failed: d.failed.Load(),
		Dropped: d.dropped.Load(), NotSent: d.notSent.Load(), Abandoned: d.abandoned.Load(),
		Attempts: d.attempts.Load(), InFlight: d.inFlight.Load(), Queued: d.held.Load(),
	}
}

func newDelivery(ev *events.Event, url string, st Status) Delivery {
	return Delivery{
		Seq: ev.Seq, ClientID: ev.ClientID, Event: ev.Name, ExternalUserID: ev.ExternalUserID,
		SessionID: ev.SessionID, MerchantID: ev.MerchantID, TaskID: ev.TaskID, URL: url,
		Payload: ev.Payload, Attempts: []Attempt{}, Status: st, CreatedAt: ev.CreatedAt,
	}
}

// Publish journals the event and queues it for delivery. It never blocks:
// when QueueSize events are held it drops the event (journaled "dropped").
// It implements events.Subscriber.
func (d *Dispatcher) Publish(ev events.Event) {
	d.published.Add(1)
	ev.Payload = bytes.Clone(ev.Payload) // the journal owns its copy
	if ev.CreatedAt.IsZero() {
		ev.CreatedAt = d.cfg.Now()
	}
	_, _ = d.accept(ev, "", "")
}

// Replay sends the payload of a journaled delivery again, to the same URL,
// as a new delivery (new ID, same event) through the normal queue. A
// delivery without URL (not_sent, dropped) is routed to the client's
// current URLs.
func (d *Dispatcher) Replay(clientID, deliveryID string) (Delivery, error) {
	r := d.journal.lookup(clientID, deliveryID)
	if r == nil {
		return Delivery{}, ErrNotFound
	}
	src := r.snapshot()
	ev := events.Event{
		Seq: src.Seq, ClientID: src.ClientID, Name: src.Event, SessionID: src.SessionID,
		ExternalUserID: src.ExternalUserID, MerchantID: src.MerchantID, TaskID: src.TaskID,
		Payload: src.Payload, CreatedAt: d.cfg.Now(),
	}
	return d.accept(ev, src.URL, src.ID)
}

func (d *Dispatcher) accept(ev events.Event, url, replayOf string) (Delivery, error) {
	d.acceptMu.Lock()
	defer d.acceptMu.Unlock()
	var reason string
	var err error
	switch {
	case d.closed:
		reason, err = "dispatcher closed", ErrClosed
	case d.held.Load() >= int64(d.cfg.QueueSize):
		reason, err = "queue full", ErrQueueFull
	}
	dl := newDelivery(&ev, url, StatusPending)
	dl.ReplayOf = replayOf
	if err != nil {
		dl.Status, dl.Reason = StatusDropped, reason
		rec := d.journal.add(dl)
		d.dropped.Add(1)
		d.log.Warn("webhook dropped", "client_id", ev.ClientID, "event", ev.Name, "reason", reason)
		return rec.snapshot(), err
	}
	d.held.Add(1)
	rec := d.journal.add(dl)
	d.in <- &item{ev: ev, rec: rec, url: url} // held <= QueueSize = cap(in): never blocks
	return rec.snapshot(), nil
}

// Close stops accepting events, waits for the HTTP attempts in flight until
// ctx is done (then cancels them), and journals every unfinished delivery
// as abandoned. It returns ctx's error when ctx ended the wait.
func (d *Dispatcher) Close(ctx context.Context) error {
	d.acceptMu.Lock()
	if d.closed {
		d.acceptMu.Unlock()
		return nil
	}
	d.closed = true
	d.acceptMu.Unlock()
	close(d.quit)
	d.lanes.stop()

	done := make(chan struct{})
	go func() {
		d.workers.Wait()
		<-d.routerDone
		close(done)
	}()
	var err error
	select {
	case <-done:
	case <-ctx.Done():
		err = ctx.Err()
		d.cancel() // abort the attempts still in flight
		<-done
	}
	d.cancel()
	d.timers.Wait()

	for {
		select {
		case it := <-d.in:
			d.abandon(it.rec)
			d.held.Add(-1)
			continue
		default:
		}
		break
	}
	for _, j := range d.lanes.drain() {
		d.abandon(j.rec)
		j.done()
	}
	return err
}

func (d *Dispatcher) abandon(r *record) {
	d.abandoned.Add(1)
	r.update(func(dl *Delivery) {
		dl.Status, dl.Reason = StatusAbandoned, "dispatcher closed before delivery finished"
	})
}
