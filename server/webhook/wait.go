package webhook

import "context"

// Wait returns the first (oldest) delivery of the client matching f that is
// settled: when f.Status is set, the first delivery matching f including its
// status; otherwise the first delivery matching f whose status is final
// (delivered, failed, not_sent, dropped or abandoned). It blocks until one
// exists or ctx is done, in which case it returns ctx's error.
//
// Waiters sleep on the client's notification channel, which the journal
// closes on every change (close-and-replace broadcast): no polling.
func (j *Journal) Wait(ctx context.Context, clientID string, f Filter) (Delivery, error) {
	cj := j.client(clientID)
	for {
		cj.mu.Lock()
		for _, r := range cj.items[cj.head:] {
			if f.match(&r.d, true) && (f.Status != "" || r.d.Status.Final()) {
				d := r.d.clone()
				cj.mu.Unlock()
				return d, nil
			}
		}
		if cj.notify == nil {
			cj.notify = make(chan struct{})
		}
		ch := cj.notify
		cj.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return Delivery{}, ctx.Err()
		}
	}
}
