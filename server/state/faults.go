package state

import (
	"sync"
	"sync/atomic"
	"time"
)

// Fault is a one-off API failure a scenario asked for: the tenant's next
// calls of an operation answer with a documented response, or late.
type Fault struct {
	Operation string
	Status    int           // answer with the documented example of this status
	Example   string        // or with this named example
	Delay     time.Duration // or answer normally after this delay
	Remaining int           // calls it still applies to
}

// faults are kept apart from Data: every request checks them, so the common
// case (none pending) is one atomic load, not the tenant lock.
type faults struct {
	pending atomic.Int64
	mu      sync.Mutex
	byOp    map[string][]Fault
}

// AddFault queues a fault for an operation.
func (t *Tenant) AddFault(f Fault) {
	if f.Remaining <= 0 {
		f.Remaining = 1
	}
	t.faults.mu.Lock()
	defer t.faults.mu.Unlock()
	if t.faults.byOp == nil {
		t.faults.byOp = map[string][]Fault{}
	}
	t.faults.byOp[f.Operation] = append(t.faults.byOp[f.Operation], f)
	t.faults.pending.Add(1)
}

// TakeFault uses up one call of the oldest fault queued for an operation.
func (t *Tenant) TakeFault(operation string) (Fault, bool) {
	if t.faults.pending.Load() == 0 {
		return Fault{}, false
	}
	t.faults.mu.Lock()
	defer t.faults.mu.Unlock()
	queue := t.faults.byOp[operation]
	if len(queue) == 0 {
		return Fault{}, false
	}
	f := queue[0]
	queue[0].Remaining--
	if queue[0].Remaining == 0 {
		t.faults.byOp[operation] = queue[1:]
		t.faults.pending.Add(-1)
	}
	return f, true
}
