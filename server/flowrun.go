package server

import (
	"context"
	"strings"
	"time"

	"github.com/knotmock/knotmock/scenarios"
	"github.com/knotmock/knotmock/server/events"
	"github.com/knotmock/knotmock/server/state"
)

// outcome says how a run of steps ended.
type outcome int

const (
	carryOn    outcome = iota // every step ran
	backToForm                // login_error: the user is back at the login form
	stopped                   // the flow was closed, or its session expired
)

const defaultInputTimeout = 5 * time.Minute

// start runs a scenario for the flow in the background, unless the flow is
// not at its login form (a login already running, say): then it reports
// false. The login's task is made first so every webhook of this login
// carries the same task_id.
func (f *flow) start(sc *scenarios.Scenario) bool {
	f.mu.Lock()
	if f.ended || f.status != flowLogin {
		f.mu.Unlock()
		return false
	}
	f.status = flowWorking // claimed: a concurrent login now finds the flow busy
	f.mu.Unlock()
	ctx, cancel := context.WithCancel(context.Background())
	var taskID int64
	f.tenant.Do(func(d *state.Data) {
		taskID = d.NewTask(state.Task{
			SessionID: f.session.ID, ExternalUserID: f.session.ExternalUserID, MerchantID: f.merchant.ID,
			CardID: f.session.CardID, Product: f.session.Type, Metadata: f.metadata, Scenario: sc.Name, Closed: true,
		}).ID
	})
	f.update(func() {
		f.taskID, f.scenario, f.cancel = taskID, sc.Name, cancel
		f.status, f.screen, f.waiting = flowWorking, flowScreen{}, ""
	})
	f.s.world.bg.Add(1)
	go func() {
		defer f.s.world.bg.Done()
		defer cancel()
		go func() { // the server closing stops every flow
			select {
			case <-f.s.world.stop:
				cancel()
			case <-ctx.Done():
			}
		}()
		if f.run(ctx, sc.Steps) == carryOn {
			f.end(flowSuccess, f.successResult(), nil) // no end step: success
		}
	}()
	return true
}

func (f *flow) successResult() map[string]any {
	return map[string]any{"merchant": f.merchant.Name, "product": f.session.Type}
}

// run executes steps in order.
func (f *flow) run(ctx context.Context, steps []scenarios.Step) outcome {
	for i := range steps {
		if ctx.Err() != nil {
			return stopped
		}
		if o := f.step(ctx, &steps[i]); o != carryOn {
			return o
		}
	}
	return carryOn
}

func (f *flow) step(ctx context.Context, st *scenarios.Step) outcome {
	s, t := f.s, f.tenant
	switch st.Kind {
	case scenarios.KindSDK:
		f.sdk(st.Event, st.Metadata, nil)
	case scenarios.KindWebhook:
		f.webhook(st.Event, st.Data)
	case scenarios.KindDelay:
		return f.sleep(ctx, st.Duration)
	case scenarios.KindInput:
		return f.input(ctx, st.Input)
	case scenarios.KindAuthenticate:
		f.authenticate(st.Authenticate)
	case scenarios.KindAccount:
		if st.Account == state.Disconnected {
			s.disconnect(t, f.session.ExternalUserID, f.merchant)
		} else {
			t.Do(func(d *state.Data) { d.Link(f.session.ExternalUserID, f.merchant.ID, nil, s.clock.Now()) })
		}
	case scenarios.KindTransactions:
		if st.Transactions.New > 0 {
			s.newTransactions(t, f.session.ExternalUserID, f.merchant, st.Transactions.New)
		}
		if st.Transactions.Updated > 0 {
			if o := f.sleep(ctx, s.cfg.AsyncDelay); o != carryOn {
				return o
			}
			s.updateTransactions(t, f.session.ExternalUserID, f.merchant, st.Transactions.Updated)
		}
	case scenarios.KindSubscriptions:
		var ids []string
		t.Do(func(d *state.Data) {
			if u, ok := d.User(f.session.ExternalUserID, s.clock.Now(), false); ok {
				ids = s.discoverSubscriptions(t, d, u, f.merchant, s.clock.Now())
			}
		})
		if len(ids) > 0 {
			s.announceSubscriptions(t.ClientID, f.session.ExternalUserID, f.merchant, ids)
		}
	case scenarios.KindVault:
		if st.Vault.Failed {
			f.webhook("VAULTING_FAILED", map[string]any{"reason": st.Vault.Reason})
		} else {
			f.webhook("VAULTING_SUCCEEDED", nil)
		}
	case scenarios.KindMerchantStatus:
		f.merchantStatus(st.MerchantStatus)
	case scenarios.KindCart:
		t.Do(func(d *state.Data) {
			if _, acct, ok := d.Account(f.session.ExternalUserID, f.merchant.ID); ok {
				acct.NextSyncFail, acct.NextCheckoutFail = st.Cart.SyncFail, st.Cart.CheckoutFail
			}
		})
	case scenarios.KindDetect:
		s.detectAccounts(t, f.session.ExternalUserID)
	case scenarios.KindFault:
		t.AddFault(state.Fault{Operation: st.Fault.Operation, Status: st.Fault.Status, Example: st.Fault.Example,
			Delay: s.scaled(st.Fault.Delay), Remaining: st.Fault.Times})
	case scenarios.KindLoginError:
		f.setStatus(flowLogin, flowScreen{Error: st.Message})
		return backToForm
	case scenarios.KindEnd:
		switch st.End.Kind {
		case "close":
			f.end(flowClosed, nil, nil)
		case "error":
			f.end(flowError, nil, map[string]any{"message": st.End.Message})
		default:
			f.end(flowSuccess, f.successResult(), nil)
		}
	}
	return carryOn
}

// sleep waits d of scenario time (scaled by --time-scale; the admin clock
// can jump over it).
func (f *flow) sleep(ctx context.Context, d time.Duration) outcome {
	f.update(func() { f.sleeping = true })
	defer f.update(func() { f.sleeping = false })
	select {
	case <-f.s.clock.After(f.s.scaled(d)):
		return carryOn
	case <-ctx.Done():
		return stopped
	}
}

// webhook sends an event of this login: the documented payload with the
// session, task, user, merchant and metadata of the flow, data overridden.
func (f *flow) webhook(name string, data map[string]any) {
	if f.tenant.Dead() {
		return // reset meanwhile
	}
	sess := f.session
	sess.Metadata = f.metadata
	env, err := f.s.envelopeFromTemplate(name, sess, f.taskID, f.session.ExternalUserID, &f.merchant, data)
	if err != nil {
		f.s.log.Error("scenario webhook", "event", name, "scenario", f.scenario, "err", err)
		return
	}
	f.s.emit(f.tenant.ClientID, env)
}

func (f *flow) authenticate(a *scenarios.Authenticate) {
	sendCard := f.session.Type == productCardSwitcher || f.session.Type == productVault
	if a.SendCard != nil {
		sendCard = *a.SendCard
	}
	sess := f.session
	sess.Metadata = f.metadata
	f.s.authenticated(f.tenant, login{
		Session: sess, TaskID: f.taskID, Merchant: f.merchant, SendCard: sendCard,
		Entrypoint: f.entrypoint, CardFail: a.CardFail, Scenario: f.scenario,
	})
	f.sdk("AUTHENTICATED", nil, &sendCard)
}

func (f *flow) merchantStatus(ms *scenarios.MerchantStatus) {
	typ, platform := ms.Type, ms.Platform
	if typ == "" {
		typ = productCardSwitcher
	}
	if platform == "" {
		platform = "web"
	}
	var sdkVersion *string
	if v, ok := f.merchant.MinSDKVersion[platform]; ok {
		sdkVersion = &v
	}
	ref := merchantRef(f.merchant)
	ref.Category = f.merchant.Category
	f.s.emit(f.tenant.ClientID, events.Envelope{
		Event: "MERCHANT_STATUS_UPDATE", Merchant: ref,
		Data: map[string]any{"type": typ, "status": ms.Status, "platform": platform, "sdk": sdkVersion},
	})
}

// input waits for the user's answer to an OTP, questions, approval,
// license or zip code step.
func (f *flow) input(ctx context.Context, in *scenarios.Input) outcome {
	timeout := in.Timeout
	if timeout <= 0 {
		timeout = defaultInputTimeout
	}
	expired := f.s.clock.After(f.s.scaled(timeout))
	answered, wrong := 0, 0
	screen := flowScreen{Questions: in.Questions, Message: inputMessage(in.Kind)}
	for {
		if !f.interactive { // Link Account: the user answers right at once
			return carryOn
		}
		f.update(func() {
			if !f.ended {
				f.status, f.screen = in.Kind, screen
			}
			f.waiting = in.Kind
		})
		select {
		case a := <-f.answers:
			answered++
			if answered > in.FailFirst && correct(in, a) {
				f.setStatus(flowWorking, flowScreen{})
				return carryOn
			}
			wrong++
			if in.Attempts > 0 && wrong >= in.Attempts {
				if len(in.OnExhausted) == 0 {
					f.end(flowError, nil, map[string]any{"message": "Too many incorrect attempts."})
					return stopped
				}
				if o := f.run(ctx, in.OnExhausted); o != carryOn {
					return o
				}
				return stopped
			}
			if o := f.run(ctx, in.OnWrong); o != carryOn {
				return o
			}
			screen.Error = wrongMessage(in.Kind)
		case <-expired:
			f.update(func() { f.waiting = "" })
			if in.HasOnTimeout {
				if o := f.run(ctx, in.OnTimeout); o != carryOn {
					return o
				}
				return stopped
			}
			if f.session.Type == productCardSwitcher {
				f.webhook("CARD_FAILED", map[string]any{"reason": timeoutReason(in.Kind)})
			}
			f.end(flowError, nil, map[string]any{"message": "The " + inputNoun(in.Kind) + " step timed out."})
			return stopped
		case <-ctx.Done():
			return stopped
		}
	}
}

// submit hands the user's answer to the runner waiting for it.
func (f *flow) submit(a answer) bool {
	f.mu.Lock()
	if f.ended || f.waiting == "" || f.waiting != a.kind {
		f.mu.Unlock()
		return false
	}
	f.waiting = ""
	f.mu.Unlock()
	f.setStatus(flowWorking, flowScreen{})
	f.answers <- a // buffered; one answer at a time since waiting was cleared
	return true
}

func correct(in *scenarios.Input, a answer) bool {
	if in.Kind == "approval" {
		return a.approved
	}
	if len(a.values) != len(in.Expect) {
		return false
	}
	for i, want := range in.Expect {
		if !strings.EqualFold(strings.TrimSpace(a.values[i]), strings.TrimSpace(want)) {
			return false
		}
	}
	return true
}

func inputNoun(kind string) string {
	switch kind {
	case "otp":
		return "verification code"
	case "questions":
		return "security questions"
	case "zipcode":
		return "ZIP code"
	}
	return kind
}

func inputMessage(kind string) string {
	switch kind {
	case "otp":
		return "Enter the verification code sent to your phone."
	case "questions":
		return "Answer your security questions."
	case "approval":
		return "Approve this login in the merchant's app."
	case "license":
		return "Enter your driver's license number."
	case "zipcode":
		return "Enter the ZIP code of your billing address."
	}
	return ""
}

func wrongMessage(kind string) string {
	switch kind {
	case "otp":
		return "That code is incorrect. Try again."
	case "questions":
		return "One or more answers are incorrect. Try again."
	case "approval":
		return "The login was not approved."
	}
	return "That " + inputNoun(kind) + " is incorrect. Try again."
}

// timeoutReason is Knot's CARD_FAILED reason for an input that never came.
func timeoutReason(kind string) string {
	switch kind {
	case "otp":
		return "otp timeout"
	case "questions":
		return "questions timeout"
	case "zipcode":
		return "zip timeout"
	}
	return "other"
}
