package webhook

import (
	"sync"
	"sync/atomic"

	"github.com/knotmock/knotmock/server/events"
)

// Ordering. Every delivery belongs to a lane keyed by (client, external
// user, URL); events without a user (MERCHANT_STATUS_UPDATE) share their
// client's lane for that URL. A lane is a FIFO: only its head is attempted,
// and the next job starts when the head is delivered or has given up. A
// lane is handed to one worker at a time through the ready queue; while
// its head waits for a retry the lane is parked (no worker is held) and a
// timer puts it back. Different lanes run in parallel on the bounded pool
// of workers. The lane set's lock only guards the queues; it is never held
// during an HTTP call.

type laneKey struct{ client, user, url string }

type lane struct {
	key    laneKey
	jobs   []*job // jobs[0] is the head
	active bool   // ready, being attempted, or parked for a retry
}

// job is one delivery of one event to one URL.
type job struct {
	ev       *events.Event // shared by the jobs of one event
	rec      *record
	url      string
	secret   string // as routed; refreshed before every attempt
	attempts int    // made so far; touched only by the worker holding the lane
	b        *batch
}

// batch tracks the jobs of one event, so the event stops counting against
// QueueSize once all its deliveries are finished.
type batch struct {
	left atomic.Int32
	held *atomic.Int64
}

func (j *job) done() {
	if j.b.left.Add(-1) == 0 {
		j.b.held.Add(-1)
	}
}

type laneSet struct {
	mu       sync.Mutex
	cond     sync.Cond
	lanes    map[laneKey]*lane
	ready    []*lane
	stopping bool
}

func (s *laneSet) init() {
	s.cond.L = &s.mu
	s.lanes = map[laneKey]*lane{}
}

// push appends jobs to their lanes, in order, and readies idle lanes.
func (s *laneSet) push(jobs []*job) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, j := range jobs {
		k := laneKey{j.ev.ClientID, j.ev.ExternalUserID, j.url}
		l := s.lanes[k]
		if l == nil {
			l = &lane{key: k}
			s.lanes[k] = l
		}
		l.jobs = append(l.jobs, j)
		if !l.active && !s.stopping {
			l.active = true
			s.ready = append(s.ready, l)
			s.cond.Signal()
		}
	}
}

// next blocks until a lane is ready and returns it with its head job; it
// returns nil once the set is stopping.
func (s *laneSet) next() (*lane, *job) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for len(s.ready) == 0 && !s.stopping {
		s.cond.Wait()
	}
	if s.stopping {
		return nil, nil
	}
	l := s.ready[0]
	s.ready[0] = nil
	s.ready = s.ready[1:]
	return l, l.jobs[0]
}

// pop removes the lane's finished head and readies the lane again if it has
// more jobs, or forgets it.
func (s *laneSet) pop(l *lane) {
	s.mu.Lock()
	defer s.mu.Unlock()
	l.jobs[0] = nil
	l.jobs = l.jobs[1:]
	switch {
	case len(l.jobs) == 0:
		l.active = false
		delete(s.lanes, l.key)
	case !s.stopping:
		s.ready = append(s.ready, l)
		s.cond.Signal()
	}
}

// wake puts a lane parked for a retry back in the ready queue.
func (s *laneSet) wake(l *lane) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.stopping {
		s.ready = append(s.ready, l)
		s.cond.Signal()
	}
}

// stop makes next return nil to every worker.
func (s *laneSet) stop() {
	s.mu.Lock()
	s.stopping = true
	s.cond.Broadcast()
	s.mu.Unlock()
}

// drain removes and returns every unfinished job.
func (s *laneSet) drain() []*job {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*job
	for _, l := range s.lanes {
		out = append(out, l.jobs...)
	}
	s.lanes, s.ready = map[laneKey]*lane{}, nil
	return out
}

// route hands accepted events to their lanes in publish order. It runs on
// its own goroutine so that Config.Client is never called by the publisher
// (which may hold its tenant's lock).
func (d *Dispatcher) route() {
	defer close(d.routerDone)
	for {
		select {
		case <-d.quit:
			return
		case it := <-d.in:
			d.routeOne(it)
		}
	}
}

func (d *Dispatcher) routeOne(it *item) {
	ev := &it.ev
	urls, secret, _ := d.cfg.Client(ev.ClientID)
	if it.url != "" {
		urls = []string{it.url}
	} else {
		urls = nonEmpty(urls)
	}
	if len(urls) == 0 {
		it.rec.update(func(dl *Delivery) {
			dl.Status, dl.Reason = StatusNotSent, "no webhook URL configured"
		})
		d.notSent.Add(1)
		d.held.Add(-1)
		d.log.Debug("webhook not sent: no webhook URL configured", "client_id", ev.ClientID, "event", ev.Name)
		return
	}
	b := &batch{held: &d.held}
	b.left.Store(int32(len(urls)))
	jobs := make([]*job, len(urls))
	for i, u := range urls {
		rec := it.rec
		if i == 0 {
			rec.update(func(dl *Delivery) { dl.URL = u })
		} else {
			dl := newDelivery(ev, u, StatusPending)
			dl.ReplayOf = it.rec.snapshot().ReplayOf
			rec = d.journal.add(dl)
		}
		jobs[i] = &job{ev: ev, rec: rec, url: u, secret: secret, b: b}
	}
	d.lanes.push(jobs)
}

func nonEmpty(urls []string) []string {
	out := make([]string, 0, len(urls))
	for _, u := range urls {
		if u != "" {
			out = append(out, u)
		}
	}
	return out
}

// work is one worker: it attempts the head of a ready lane, then settles
// it or parks the lane until its retry gap is over.
func (d *Dispatcher) work() {
	defer d.workers.Done()
	for {
		l, j := d.lanes.next()
		if l == nil {
			return
		}
		switch d.attempt(j) {
		case outcomeDelivered:
			d.settle(l, j, StatusDelivered, "")
		case outcomeAborted:
			// Close cancelled the attempt; it journals the job as abandoned.
		case outcomeFailed:
			if j.attempts >= d.cfg.Attempts {
				d.settle(l, j, StatusFailed, "no 2xx answer after all attempts")
				continue
			}
			d.timers.Add(1) // only workers add, and Close waits for them first
			go d.retryLater(l)
		}
	}
}

// retryLater parks a lane for RetryGap. One goroutine exists per lane
// waiting for a retry (not per event); Close releases them.
func (d *Dispatcher) retryLater(l *lane) {
	defer d.timers.Done()
	select {
	case <-d.cfg.After(d.cfg.RetryGap):
		d.lanes.wake(l)
	case <-d.quit:
	}
}

func (d *Dispatcher) settle(l *lane, j *job, st Status, reason string) {
	j.rec.update(func(dl *Delivery) { dl.Status, dl.Reason = st, reason })
	if st == StatusDelivered {
		d.delivered.Add(1)
	} else {
		d.failed.Add(1)
		d.log.Warn("webhook failed", "client_id", j.ev.ClientID, "event", j.ev.Name,
			"url", logURL(j.url), "attempts", j.attempts)
	}
	d.lanes.pop(l)
	j.done()
}
