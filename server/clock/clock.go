// Package clock is the sandbox's time source. It runs with the wall clock
// but can be moved forward (Advance) so tests jump over session expiry,
// card windows and retry gaps instead of sleeping.
package clock

import (
	"sync"
	"sync/atomic"
	"time"
)

// Clock is wall time plus an offset that only grows.
type Clock struct {
	offset atomic.Int64 // nanoseconds added to the wall clock
	wall   func() time.Time

	mu     sync.Mutex
	timers []*timer
}

type timer struct {
	at time.Time
	ch chan time.Time
}

// New returns a clock that follows the wall clock.
func New() *Clock { return &Clock{wall: time.Now} }

// Now is the sandbox's current time.
func (c *Clock) Now() time.Time {
	return c.wall().Add(time.Duration(c.offset.Load()))
}

// Advance moves the clock forward by d and fires the timers that are due.
func (c *Clock) Advance(d time.Duration) time.Time {
	if d > 0 {
		c.offset.Add(int64(d))
	}
	now := c.Now()
	c.mu.Lock()
	kept := c.timers[:0]
	for _, t := range c.timers {
		if !t.at.After(now) {
			t.ch <- now // buffered, never blocks
		} else {
			kept = append(kept, t)
		}
	}
	c.timers = kept
	c.mu.Unlock()
	return now
}

// Offset is how far the clock has been moved ahead of the wall clock.
func (c *Clock) Offset() time.Duration { return time.Duration(c.offset.Load()) }

// After fires after d of sandbox time: when the wall clock gets there, or
// earlier when Advance moves past it.
func (c *Clock) After(d time.Duration) <-chan time.Time {
	return c.Until(c.Now().Add(d))
}

// Until fires at sandbox time at. Unlike After it cannot drift when the
// clock is advanced between reading Now and asking for the timer.
func (c *Clock) Until(at time.Time) <-chan time.Time {
	out := make(chan time.Time, 1)
	d := at.Sub(c.Now())
	if d <= 0 {
		out <- c.Now()
		return out
	}
	t := &timer{at: at, ch: make(chan time.Time, 1)}
	c.mu.Lock()
	c.timers = append(c.timers, t)
	c.mu.Unlock()
	go func() {
		wall := time.NewTimer(d)
		defer wall.Stop()
		select {
		case <-wall.C:
			c.remove(t)
		case <-t.ch:
		}
		out <- c.Now()
	}()
	return out
}

func (c *Clock) remove(t *timer) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, x := range c.timers {
		if x == t {
			c.timers = append(c.timers[:i], c.timers[i+1:]...)
			return
		}
	}
}
