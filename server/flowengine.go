package server

import (
	"context"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/knotmock/knotmock/fixtures"
	"github.com/knotmock/knotmock/scenarios"
	"github.com/knotmock/knotmock/server/state"
)

// The flow engine runs a user's login to one merchant through a scenario:
// the SDK page, the headless SDK API and the development Link Account all
// drive flows (docs/scenarios.md). This file is the flow and what can be
// observed of it; flowrun.go executes steps.

// Flow statuses, as the SDK page sees them.
const (
	flowLogin   = "login"   // waiting for credentials
	flowWorking = "working" // a step is running (a delay, say)
	flowSuccess = "success"
	flowError   = "error"
	flowClosed  = "closed"
)

// sdkEvent is one event for the SDK's onEvent, in knotapi-js's terms.
type sdkEvent struct {
	Seq        int               `json:"seq"`
	Event      string            `json:"event"`
	Merchant   string            `json:"merchant"`
	MerchantID int               `json:"merchantId"`
	TaskID     *int64            `json:"taskId"`
	MetaData   map[string]string `json:"metaData"`
	SendCard   *bool             `json:"sendCard,omitempty"`
}

type flowScreen struct {
	Message   string   `json:"message,omitempty"`
	Questions []string `json:"questions,omitempty"`
	Error     string   `json:"error,omitempty"`
}

// flowView is the flow state the API answers (docs/scenarios.md).
type flowView struct {
	ID       string         `json:"id"`
	Version  int            `json:"version"`
	Status   string         `json:"status"`
	Screen   flowScreen     `json:"screen"`
	Product  string         `json:"product"`
	Merchant merchantView   `json:"merchant"`
	Scenario string         `json:"scenario,omitempty"`
	TaskID   *int64         `json:"task_id"`
	Events   []sdkEvent     `json:"events"`
	Result   map[string]any `json:"result,omitempty"`
	Error    map[string]any `json:"error,omitempty"`
}

type merchantView struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
	Logo string `json:"logo"`
}

// flow is one user's login to one merchant.
type flow struct {
	id          string
	s           *Server
	tenant      *state.Tenant
	session     state.Session
	merchant    fixtures.Merchant
	entrypoint  *string
	metadata    map[string]string // session metadata, SDK metadata over it
	interactive bool              // false: Link Account answers inputs itself

	mu       sync.Mutex
	version  int
	status   string
	screen   flowScreen
	events   []sdkEvent
	result   map[string]any
	errInfo  map[string]any
	taskID   int64
	scenario string
	waiting  string        // input kind the runner waits for, "" when none
	sleeping bool          // in a delay step: callers need not wait for it
	answers  chan answer   // to the runner waiting for input
	changed  chan struct{} // closed and replaced on every change
	done     chan struct{} // closed when the flow is closed
	ended    bool          // success, error or closed reached
	cancel   context.CancelFunc
}

// answer is what the user submitted for an input step.
type answer struct {
	kind     string
	values   []string
	approved bool
}

func (s *Server) newFlow(t *state.Tenant, sess state.Session, m fixtures.Merchant, interactive bool) *flow {
	md := map[string]string{}
	for k, v := range sess.Metadata {
		md[k] = v
	}
	f := &flow{
		id: "flw_" + uuid.NewString(), s: s, tenant: t, session: sess, merchant: m, metadata: md,
		interactive: interactive, status: flowLogin, answers: make(chan answer, 1),
		changed: make(chan struct{}), done: make(chan struct{}),
	}
	if interactive { // Link Account's flows are never looked up
		s.flows.Store(f.id, f)
	}
	return f
}

// flowKeep is how long a finished SDK flow stays readable.
const flowKeep = 10 * time.Minute

// forgetLater drops a flow from the registry some time after its session
// expired or it was closed, so a long-running sandbox does not keep them all.
func (s *Server) forgetLater(f *flow) {
	s.later(flowKeep, func() { s.flows.Delete(f.id) })
}

// flowFor finds a flow of a client.
func (s *Server) flowFor(clientID, id string) (*flow, bool) {
	v, ok := s.flows.Load(id)
	if !ok {
		return nil, false
	}
	f := v.(*flow)
	return f, f.tenant.ClientID == clientID
}

// update changes the flow under its lock and wakes everyone watching.
func (f *flow) update(fn func()) {
	f.mu.Lock()
	fn()
	f.version++
	close(f.changed)
	f.changed = make(chan struct{})
	f.mu.Unlock()
}

// sdk records an SDK event for onEvent.
func (f *flow) sdk(name string, metadata map[string]string, sendCard *bool) {
	f.update(func() {
		md := map[string]string{}
		for k, v := range metadata {
			md[k] = v
		}
		ev := sdkEvent{Seq: len(f.events) + 1, Event: name, Merchant: f.merchant.Name, MerchantID: f.merchant.ID, MetaData: md, SendCard: sendCard}
		if f.taskID != 0 {
			id := f.taskID
			ev.TaskID = &id
		}
		f.events = append(f.events, ev)
	})
}

func (f *flow) setStatus(status string, screen flowScreen) {
	f.update(func() {
		if f.ended && status != flowClosed {
			return // the SDK part is over; background steps go on silently
		}
		f.status, f.screen = status, screen
	})
}

// end finishes the SDK part of the flow; later steps run in the background.
func (f *flow) end(status string, result, errInfo map[string]any) {
	f.update(func() {
		if f.ended {
			return
		}
		f.ended = true
		f.status, f.result, f.errInfo = status, result, errInfo
		f.screen = flowScreen{}
		if errInfo != nil {
			if msg, ok := errInfo["message"].(string); ok {
				f.screen.Error = msg
			}
		}
	})
}

// view is the flow's state as the API shows it.
func (f *flow) view() flowView {
	f.mu.Lock()
	defer f.mu.Unlock()
	v := flowView{
		ID: f.id, Version: f.version, Status: f.status, Screen: f.screen, Product: f.session.Type,
		Merchant: merchantView{f.merchant.ID, f.merchant.Name, f.merchant.Logo},
		Scenario: f.scenario, Events: append([]sdkEvent{}, f.events...), Result: f.result, Error: f.errInfo,
	}
	if f.taskID != 0 {
		id := f.taskID
		v.TaskID = &id
	}
	return v
}

// settled reports whether the flow waits for the user, sleeps in a delay
// or has ended: a call that started a step need not wait any longer.
func (f *flow) settled() bool {
	return f.ended || f.sleeping || f.status != flowWorking
}

// waitChange blocks until the flow's version passes after, it settles (when
// settle is set), or d passes (real time), whichever is first.
func (f *flow) waitChange(ctx context.Context, after int, settle bool, d time.Duration) {
	timer := time.NewTimer(d)
	defer timer.Stop()
	for {
		f.mu.Lock()
		ch, version, ok := f.changed, f.version, !settle || f.settled()
		f.mu.Unlock()
		if version > after && ok {
			return
		}
		select {
		case <-ch:
		case <-timer.C:
			return
		case <-ctx.Done():
			return
		}
	}
}

// close ends the flow as the user closing the SDK would.
// A flow closed before it ended stops its scenario (a waiting input would
// otherwise time out minutes later); one that ended goes on with its
// background steps.
func (f *flow) close() {
	var stop context.CancelFunc
	f.update(func() {
		if f.status != flowClosed {
			if !f.ended {
				stop = f.cancel
			}
			f.ended = true
			f.status = flowClosed
			f.waiting = ""
			select {
			case <-f.done:
			default:
				close(f.done)
			}
		}
	})
	if stop != nil {
		stop()
	}
}

// scenarioLogin is the scenario's view of a login.
func (f *flow) scenarioLogin(username, password string) scenarios.Login {
	return scenarios.Login{
		Product: f.session.Type, MerchantID: f.merchant.ID, ExternalUserID: f.session.ExternalUserID,
		Username: username, Password: password,
	}
}
