package server

import (
	"github.com/knotmock/knotmock/fixtures"
	"github.com/knotmock/knotmock/server/events"
	"github.com/knotmock/knotmock/server/fake"
	"github.com/knotmock/knotmock/server/state"
)

// This file holds the outcomes every way of linking shares (the
// development endpoints now, the SDK flows and scenarios later): what a
// successful login does to state and which webhooks follow, with Knot's
// timing.

// Last user actions and lifecycle statuses (sandbox choices; Knot documents
// no values).
const (
	actionAuthenticated = "authenticated"
	actionCardUpdated   = "card_updated"
	actionCardFailed    = "card_failed"

	lifecyclePending    = "pending"
	lifecycleProcessing = "processing"
	lifecycleCompleted  = "completed"
	lifecycleFailed     = "failed"
)

// Product names as Create Session and List Merchants know them.
const (
	productCardSwitcher    = "card_switcher"
	productTransactionLink = "transaction_link"
	productLink            = "link"
	productShopping        = "shopping"
	productVault           = "vault"
	productSubscriptions   = "subscription_manager"
	productDetect          = "detect"
)

// Transactions updated by default when UPDATED_TRANSACTIONS_AVAILABLE is
// triggered (Knot's development figure; the scenarios hold the rest).
const devUpdatedTransactions = 3

// Reasons CARD_FAILED carries (Knot's documented values).
const (
	reasonNoCard            = "did not receive payment method information"
	reasonCard              = "card"
	reasonInsufficientFunds = "insufficient funds"
)

// login describes a successful authentication to a merchant.
type login struct {
	Session    state.Session // the SDK session (dev link makes one)
	TaskID     int64         // the login's task when one exists already (SDK flows)
	CardFail   string        // a scenario's CARD_FAILED reason for the card switch
	Merchant   fixtures.Merchant
	SendCard   bool    // AUTHENTICATED.data.send_card
	Entrypoint *string // from the SDK's entryPoint
	Scenario   string  // the scenario running the login
}

// authenticated links the account, emits AUTHENTICATED and, when card data
// is expected, opens the card window. It returns the task.
func (s *Server) authenticated(t *state.Tenant, in login) state.Task {
	now := s.clock.Now()
	sess := in.Session
	var task state.Task
	t.Do(func(d *state.Data) {
		scopes := []string{}
		if sess.Type == productCardSwitcher || sess.Type == productVault {
			scopes = append(scopes, "update_card")
		}
		if in.Merchant.Supports(productSubscriptions) {
			scopes = append(scopes, "cancel")
		}
		_, acct := d.Link(sess.ExternalUserID, in.Merchant.ID, scopes, now)
		acct.SetAction(actionAuthenticated, now)
		acct.SetLifecycle(lifecycleCompleted)
		fields := state.Task{
			SessionID: sess.ID, ExternalUserID: sess.ExternalUserID, MerchantID: in.Merchant.ID,
			CardID: sess.CardID, SendCard: in.SendCard, Product: sess.Type, Metadata: sess.Metadata,
			Scenario: in.Scenario, AuthenticatedAt: now, WindowEnds: now.Add(s.cfg.CardWindow),
			CardBlocked: sess.CardBlocked, CardHasFunds: sess.CardHasFunds, CardFail: in.CardFail,
			Closed: !in.SendCard, // only a card switch keeps its task open (the card window)
		}
		tk, ok := d.Tasks[in.TaskID]
		if ok {
			fields.ID = tk.ID
			*tk = fields
		} else {
			tk = d.NewTask(fields)
		}
		if in.SendCard {
			acct.SetLifecycle(lifecyclePending)
		}
		task = *tk
		s.emit(t.ClientID, events.Envelope{
			Event: "AUTHENTICATED", SessionID: sess.ID, TaskID: tk.ID, ExternalUserID: sess.ExternalUserID,
			Merchant: merchantRef(in.Merchant),
			Data: map[string]any{
				"card_id": nullable(sess.CardID), "send_card": in.SendCard,
				"entrypoint": in.Entrypoint, "metadata": metadata(sess.Metadata),
			},
		})
	})
	if in.SendCard {
		s.later(s.cfg.CardWindow, func() { s.cardWindowOver(t, task.ID, in.Merchant) })
	}
	return task
}

// cardWindowOver fails a card switch whose card data never came.
func (s *Server) cardWindowOver(t *state.Tenant, taskID int64, m fixtures.Merchant) {
	now := s.clock.Now()
	t.Do(func(d *state.Data) {
		tk, ok := d.Tasks[taskID]
		if !ok || tk.Closed {
			return
		}
		tk.Closed = true
		if _, acct, ok := d.Account(tk.ExternalUserID, tk.MerchantID); ok {
			acct.SetAction(actionCardFailed, now)
			acct.SetLifecycle(lifecycleFailed)
		}
		s.emit(t.ClientID, cardEvent("CARD_FAILED", tk, m, map[string]any{"reason": reasonNoCard}))
	})
}

// cardEvent builds a CARD_* webhook of a task.
func cardEvent(name string, tk *state.Task, m fixtures.Merchant, extra map[string]any) events.Envelope {
	data := map[string]any{"card_id": nullable(tk.CardID)}
	for k, v := range extra {
		data[k] = v
	}
	if tk.SessionID != "" {
		data["metadata"] = metadata(tk.Metadata)
	}
	return events.Envelope{
		Event: name, SessionID: tk.SessionID, TaskID: tk.ID, ExternalUserID: tk.ExternalUserID,
		Merchant: merchantRef(m), Data: data,
	}
}

// newTransactions generates n transactions on a linked account and tells
// the client (NEW_TRANSACTIONS_AVAILABLE).
func (s *Server) newTransactions(t *state.Tenant, externalUserID string, m fixtures.Merchant, n int) {
	now := s.clock.Now()
	t.Do(func(d *state.Data) {
		u, acct, ok := d.Account(externalUserID, m.ID)
		if !ok || acct.Status != state.Connected {
			return // unlinked or disconnected meanwhile
		}
		d.AddTransactions(acct, s.world.gen.Transactions(u.Key(t.ClientID, m.ID, "transactions"), fakeMerchant(m), n, now))
		s.emit(t.ClientID, events.Envelope{Event: "NEW_TRANSACTIONS_AVAILABLE", ExternalUserID: externalUserID, Merchant: merchantRef(m)})
	})
}

// updateTransactions moves n existing transactions to a later state and
// tells the client which (UPDATED_TRANSACTIONS_AVAILABLE, ids at top level).
func (s *Server) updateTransactions(t *state.Tenant, externalUserID string, m fixtures.Merchant, n int) {
	now := s.clock.Now()
	t.Do(func(d *state.Data) {
		u, acct, ok := d.Account(externalUserID, m.ID)
		if !ok || acct.Status != state.Connected {
			return
		}
		var updated []map[string]string
		for _, tx := range acct.Transactions {
			if len(updated) == n {
				break
			}
			if !fake.CanUpdate(*tx) {
				continue
			}
			*tx = s.world.gen.UpdateTransaction(u.Key(t.ClientID, m.ID, "update"), *tx, now)
			updated = append(updated, map[string]string{"id": tx.ID})
		}
		if len(updated) == 0 {
			return
		}
		s.emit(t.ClientID, events.Envelope{Event: "UPDATED_TRANSACTIONS_AVAILABLE", ExternalUserID: externalUserID, Merchant: merchantRef(m), Updated: updated})
	})
}

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func metadata(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

// disconnect marks an account disconnected (scopes gone, as in Knot's
// example) and tells the client the user must log in again.
func (s *Server) disconnect(t *state.Tenant, externalUserID string, m fixtures.Merchant) bool {
	found := false
	t.Do(func(d *state.Data) {
		_, acct, ok := d.Account(externalUserID, m.ID)
		if !ok {
			return
		}
		found = true
		acct.Status = state.Disconnected
		acct.Scopes = nil
		s.emit(t.ClientID, events.Envelope{Event: "ACCOUNT_LOGIN_REQUIRED", ExternalUserID: externalUserID, Merchant: merchantRef(m)})
	})
	return found
}
