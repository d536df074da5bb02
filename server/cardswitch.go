package server

import (
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"time"

	"github.com/knotmock/knotmock/fixtures"
	"github.com/knotmock/knotmock/server/card"
	"github.com/knotmock/knotmock/server/knoterr"
	"github.com/knotmock/knotmock/server/state"
)

// cardAPI serves Retrieve JWK and Switch Card (both the JWE and the plain
// variant, each with its CardSwitcher and CardUpdater body). Nothing here
// logs or returns card data, JWEs or plaintexts.
type cardAPI struct {
	s *Server

	cards                                *cardReader
	noAccess                             *knoterr.Error
	taskRequired, merchantRequired       *knoterr.Error
	taskNotFound, windowClosed           *knoterr.Error
	unknownMerchant, userNotFound        *knoterr.Error
	accountNotFound, accountDisconnected *knoterr.Error
}

func init() { registerAPI(newCardAPI) }

const opCardSwitch = "card_switch"

// scopeUpdateCard is the connection scope CardUpdater needs.
const scopeUpdateCard = "update_card"

func newCardAPI(s *Server, res *knoterr.Resolver) api {
	a := &cardAPI{
		s:                   s,
		cards:               newCardReader(s, res, opCardSwitch, true),
		noAccess:            res.Get(opCardSwitch, "NoAccess"),
		taskRequired:        res.Get(opCardSwitch, "TaskIdRequired"),
		merchantRequired:    res.Get(opCardSwitch, "MerchantIdRequired"),
		taskNotFound:        res.Get(opCardSwitch, "TaskNotFound"),
		windowClosed:        res.Get(opCardSwitch, "CardWindowClosed"),
		unknownMerchant:     res.Get(opCardSwitch, "UnknownMerchant"),
		userNotFound:        res.Get(opCardSwitch, "UserNotFound"),
		accountNotFound:     res.Get(opCardSwitch, "MerchantAccountNotFound"),
		accountDisconnected: res.Get(opCardSwitch, "MerchantAccountDisconnected"),
	}
	return a
}

// cardReader decrypts and validates Switch Card data and knows the
// documented errors to answer with.
type cardReader struct {
	log        *slog.Logger
	keys       *card.Keys
	jweInvalid *knoterr.Error
	jwe, plain map[string]*knoterr.Error // card.Validate example name → error
}

// newCardReader resolves the documented card errors of an operation: the
// JWE examples under their own names and, withPlain, the plain ones
// prefixed Plain.
func newCardReader(s *Server, res *knoterr.Resolver, op string, withPlain bool) *cardReader {
	names := card.Documented()
	r := &cardReader{
		log: s.log, keys: s.world.keys, jweInvalid: res.Get(op, "JWEInvalid"),
		jwe: make(map[string]*knoterr.Error, len(names)), plain: make(map[string]*knoterr.Error, len(names)),
	}
	for name := range names {
		r.jwe[name] = res.Get(op, name)
		if withPlain {
			r.plain[name] = res.Get(op, "Plain"+name)
		}
	}
	return r
}

func (a *cardAPI) handlers() map[string]Handler {
	return map[string]Handler{
		"jwe_get_public_key": a.publicKey,
		opCardSwitch:         a.switchCard,
	}
}

func (a *cardAPI) publicKey(c *Call) {
	jwk, err := a.s.world.keys.PublicJWK()
	if err != nil {
		a.s.log.Error("jwe key", "op", c.Op.ID, "err", err)
		c.Fail(knoterr.ServerError)
		return
	}
	c.Raw(http.StatusOK, jwk)
}

type switchCardRequest struct {
	JWE            *string `json:"jwe"`
	TaskID         string  `json:"task_id"`
	ExternalUserID string  `json:"external_user_id"`
	MerchantID     *int    `json:"merchant_id"`
	card.Payload           // plain variant: user, card
}

func (a *cardAPI) switchCard(c *Call) {
	if !c.Client.Enabled(productCardSwitcher) {
		c.Fail(a.noAccess)
		return
	}
	var req switchCardRequest
	if !c.Decode(&req) {
		return
	}
	switch {
	case req.TaskID == "" && req.ExternalUserID == "":
		c.Fail(a.taskRequired)
		return
	case req.TaskID == "" && req.MerchantID == nil:
		c.Fail(a.merchantRequired)
		return
	}
	now := c.Now()
	p, e := a.cards.read(req.JWE, req.Payload, now)
	if e != nil {
		c.Fail(e)
		return
	}
	last4 := card.Last4(p.Card.Number.Value)
	if req.TaskID != "" {
		a.cardSwitcher(c, req.TaskID, last4, now)
	} else {
		a.cardUpdater(c, req.ExternalUserID, *req.MerchantID, last4)
	}
}

// read returns the card data of a request: the decrypted jwe when it is
// set, else the plain payload, validated with card.Validate. The error is
// the documented example of the failed rule (JWE or plain), or the rule's
// Laravel message with error_code INVALID_JWE or INVALID_FIELD.
func (r *cardReader) read(jwe *string, plain card.Payload, now time.Time) (card.Payload, *knoterr.Error) {
	p, examples, code := plain, r.plain, knoterr.CodeInvalidField
	if jwe != nil {
		plaintext, err := r.keys.Decrypt(*jwe)
		if err != nil {
			if errors.Is(err, card.ErrInvalidJWE) {
				return card.Payload{}, r.jweInvalid
			}
			r.log.Error("jwe key unavailable", "err", err) // never about the JWE itself
			return card.Payload{}, knoterr.ServerError
		}
		p, err = card.ParsePayload(plaintext)
		clear(plaintext)
		if err != nil {
			return card.Payload{}, r.jweInvalid
		}
		examples, code = r.jwe, knoterr.CodeInvalidJWE
	}
	rule := card.Validate(p, now)
	switch {
	case rule == nil:
		return p, nil
	case rule.Example != "" && examples[rule.Example] != nil:
		return card.Payload{}, examples[rule.Example]
	case rule.Err.Code == code:
		return card.Payload{}, rule.Err
	default:
		return card.Payload{}, rule.Err.WithCode(code)
	}
}

// taskCheck is what cardSwitcher found out about a task.
type taskCheck int

const (
	taskAccepted taskCheck = iota
	taskMissing
	taskClosed
	taskOverdue // past its window, but the timer has not closed it yet
)

// cardSwitcher takes the card data for the task of an AUTHENTICATED webhook.
func (a *cardAPI) cardSwitcher(c *Call, taskID, last4 string, now time.Time) {
	id, ok := parseTaskID(taskID)
	if !ok {
		c.Fail(a.taskNotFound)
		return
	}
	check := taskMissing
	var m fixtures.Merchant
	c.Tenant.Do(func(d *state.Data) {
		tk, ok := d.Tasks[id]
		switch {
		case !ok:
			return
		case !tk.SendCard:
			return // not a card switch: there is no card to take
		case tk.Closed || tk.CardReceived:
			check = taskClosed
			return
		}
		m = a.s.taskMerchant(tk.MerchantID)
		if !now.Before(tk.WindowEnds) {
			check = taskOverdue
			return
		}
		check = taskAccepted
		tk.CardReceived, tk.Closed = true, true
		if _, acct, ok := d.Account(tk.ExternalUserID, tk.MerchantID); ok {
			acct.SetLifecycle(lifecycleProcessing)
		}
		a.s.emit(c.Tenant.ClientID, cardEvent("CARD_UPDATING", tk, m, nil))
	})
	switch check {
	case taskMissing:
		c.Fail(a.taskNotFound)
	case taskClosed:
		c.Fail(a.windowClosed)
	case taskOverdue:
		a.s.cardWindowOver(c.Tenant, id, m) // CARD_FAILED now rather than when the timer fires
		c.Fail(a.windowClosed)
	default:
		c.Success(http.StatusOK)
		t := c.Tenant
		a.s.later(a.s.cfg.AsyncDelay, func() { a.s.cardResult(t, id, last4) })
	}
}

// cardUpdater provisions the card to an already connected merchant account
// (no SDK session). The events carry a task of their own.
func (a *cardAPI) cardUpdater(c *Call, externalUserID string, merchantID int, last4 string) {
	m, ok := a.s.world.merchants.ByID(merchantID)
	if !ok {
		c.Fail(a.unknownMerchant)
		return
	}
	var fail *knoterr.Error
	var id int64
	c.Tenant.Do(func(d *state.Data) {
		u, ok := d.Users[externalUserID]
		if !ok {
			fail = a.userNotFound
			return
		}
		acct, ok := u.Accounts[merchantID]
		switch {
		case !ok:
			fail = a.accountNotFound
			return
		case acct.Status != state.Connected:
			fail = a.accountDisconnected
			return
		case !slices.Contains(acct.Scopes, scopeUpdateCard):
			fail = a.accountNotFound // no account whose card can be updated
			return
		}
		tk := d.NewTask(state.Task{
			ExternalUserID: externalUserID, MerchantID: merchantID, Product: productCardSwitcher,
			CardHasFunds: true, CardReceived: true, Closed: true,
		})
		id = tk.ID
		acct.SetLifecycle(lifecycleProcessing)
		a.s.emit(c.Tenant.ClientID, cardEvent("CARD_UPDATING", tk, m, nil))
	})
	if fail != nil {
		c.Fail(fail)
		return
	}
	c.Success(http.StatusOK)
	t := c.Tenant
	a.s.later(a.s.cfg.AsyncDelay, func() { a.s.cardResult(t, id, last4) })
}

// parseTaskID reads a Switch Card task_id: a string of digits.
func parseTaskID(s string) (int64, bool) {
	if s == "" || len(s) > 18 {
		return 0, false
	}
	var n int64
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int64(s[i]-'0')
	}
	return n, true
}

// taskMerchant is a task's merchant from the catalogue (a bare id if the
// catalogue no longer has it).
func (s *Server) taskMerchant(id int) fixtures.Merchant {
	if m, ok := s.world.merchants.ByID(id); ok {
		return m
	}
	return fixtures.Merchant{ID: id}
}

// subscriptionsEnabled reports whether a client has SubscriptionManager
// (CARD_UPDATED then lists the subscriptions found at the merchant).
func (s *Server) subscriptionsEnabled(clientID string) bool {
	c, ok := s.clients.lookup(clientID)
	return ok && c.Enabled(productSubscriptions)
}

// cardOutcome decides how a card switch whose card data was accepted ends:
// CARD_UPDATED, or CARD_FAILED with a reason. It is the one place that
// decides (scenarios extend it through tk.Scenario).
func (s *Server) cardOutcome(tk *state.Task) (event, reason string) {
	switch {
	case tk.CardFail != "": // the scenario's outcome
		return "CARD_FAILED", tk.CardFail
	case tk.CardBlocked:
		return "CARD_FAILED", reasonCard
	case !tk.CardHasFunds:
		return "CARD_FAILED", reasonInsufficientFunds
	}
	return "CARD_UPDATED", ""
}

// cardResult ends a card switch: the account's last action and lifecycle,
// the card on the account, and CARD_UPDATED or CARD_FAILED.
func (s *Server) cardResult(t *state.Tenant, taskID int64, last4 string) {
	now := s.clock.Now()
	t.Do(func(d *state.Data) {
		tk, ok := d.Tasks[taskID]
		if !ok {
			return // the user was deleted meanwhile
		}
		m := s.taskMerchant(tk.MerchantID)
		u, acct, linked := d.Account(tk.ExternalUserID, tk.MerchantID)
		event, reason := s.cardOutcome(tk)
		if event == "CARD_FAILED" {
			if linked {
				acct.SetAction(actionCardFailed, now)
				acct.SetLifecycle(lifecycleFailed)
			}
			s.emit(t.ClientID, cardEvent(event, tk, m, map[string]any{"reason": reason}))
			return
		}
		var extra map[string]any
		if linked {
			acct.SetAction(actionCardUpdated, now)
			acct.SetLifecycle(lifecycleCompleted)
			acct.CardID, acct.CardLast4 = tk.CardID, last4
			if s.subscriptionsEnabled(t.ClientID) && m.Supports(productSubscriptions) {
				ids := s.discoverSubscriptions(t, d, u, m, now)
				refs := make([]map[string]string, len(ids))
				for i, id := range ids {
					refs[i] = map[string]string{"id": id}
				}
				extra = map[string]any{"subscriptions": refs}
			}
		}
		s.emit(t.ClientID, cardEvent(event, tk, m, extra))
	})
}
