package server

import (
	"net/http"
	"time"

	"github.com/knotmock/knotmock/fixtures"
	"github.com/knotmock/knotmock/server/events"
	"github.com/knotmock/knotmock/server/fake"
	"github.com/knotmock/knotmock/server/knoterr"
	"github.com/knotmock/knotmock/server/state"
)

// subscriptionAPI serves SubscriptionManager: List Subscriptions, Get
// Subscription By ID and Cancel Subscription. The client must have the
// subscription_manager product.
//
// Subscriptions come from discoverSubscriptions, which the card switch
// calls when CARD_UPDATED fires (its data.subscriptions carries the ids).
type subscriptionAPI struct {
	s *Server

	listNoAccess, getNoAccess, cancelNoAccess *knoterr.Error
	listUserNotFound, listUnknownMerchant     *knoterr.Error
	invalidCursor, notFound                   *knoterr.Error
	cancel                                    accountErrors
	cancelNotFound, ongoing                   *knoterr.Error
}

func init() { registerAPI(newSubscriptionAPI) }

func newSubscriptionAPI(s *Server, res *knoterr.Resolver) api {
	return &subscriptionAPI{
		s:                   s,
		listNoAccess:        res.Get("subscription_list", "NoAccessEndpoint"),
		getNoAccess:         res.Get("subscription_get_by_id", "NoAccessEndpoint"),
		cancelNoAccess:      res.Get("subscription_cancel", "NoAccessEndpoint"),
		listUserNotFound:    res.Get("subscription_list", "UserNotFound"),
		listUnknownMerchant: res.Get("subscription_list", "UnknownMerchant"),
		invalidCursor:       res.Get("subscription_list", "InvalidCursor"),
		notFound:            res.Get("subscription_get_by_id", "SubscriptionNotFound"),
		cancel:              accountErrorsOf(res, "subscription_cancel"),
		cancelNotFound:      res.Get("subscription_cancel", "SubscriptionNotFound"),
		ongoing:             res.Get("subscription_cancel", "OngoingOperation"),
	}
}

func (a *subscriptionAPI) handlers() map[string]Handler {
	return map[string]Handler{
		"subscription_list":      a.list,
		"subscription_get_by_id": a.get,
		"subscription_cancel":    a.cancelSubscription,
	}
}

// Outcomes of Cancel Subscription.
const (
	subscriptionCancelled = "CANCELLED"
	reasonNotCancellable  = "subscription is not cancellable"
	busyCancel            = "subscription_cancel" // Account.Busy while a cancellation runs
)

type listSubscriptionsRequest struct {
	ExternalUserID string  `json:"external_user_id"`
	MerchantID     *int    `json:"merchant_id"`
	Cursor         *string `json:"cursor"`
	Limit          *int    `json:"limit"`
}

type listSubscriptionsResponse struct {
	Subscriptions []fake.Subscription `json:"subscriptions"`
	NextCursor    *string             `json:"next_cursor"`
	Limit         int                 `json:"limit"`
}

// list pages through a user's subscriptions (optionally at one merchant),
// ordered by merchant id then subscription id; items carry the merchant's
// category and logo.
func (a *subscriptionAPI) list(c *Call) {
	if !c.Client.Enabled(productSubscriptions) {
		c.Fail(a.listNoAccess)
		return
	}
	var req listSubscriptionsRequest
	if !c.Decode(&req) {
		return
	}
	limit, from := defaultPageLimit, 0
	if req.Limit != nil {
		limit = *req.Limit
	}
	if req.Cursor != nil {
		pos, ok := decodeCursor(*req.Cursor)
		if !ok {
			c.Fail(a.invalidCursor)
			return
		}
		from = pos
	}
	merchantID := 0
	if req.MerchantID != nil {
		m, ok := a.s.world.merchants.ByID(*req.MerchantID)
		if !ok {
			c.Fail(a.listUnknownMerchant)
			return
		}
		merchantID = m.ID
	}
	var page []fake.Subscription
	var fail *knoterr.Error
	more := false
	c.Tenant.Do(func(d *state.Data) {
		u, ok := d.Users[req.ExternalUserID]
		if !ok {
			fail = a.listUserNotFound
			return
		}
		all := u.SubscriptionsAt(merchantID)
		if from > len(all) {
			fail = a.invalidCursor
			return
		}
		end := min(from+limit, len(all))
		page = make([]fake.Subscription, 0, end-from)
		for _, sub := range all[from:end] {
			page = append(page, sub.Subscription)
		}
		more = end < len(all)
	})
	if fail != nil {
		c.Fail(fail)
		return
	}
	for i := range page {
		if m, ok := a.s.world.merchants.ByID(page[i].Merchant.ID); ok {
			page[i].Merchant = fake.MerchantRef{ID: m.ID, Name: m.Name, Category: m.Category, Logo: m.Logo}
		}
	}
	resp := listSubscriptionsResponse{Subscriptions: page, Limit: limit}
	if more {
		next := encodeCursor(from + len(page))
		resp.NextCursor = &next
	}
	c.JSON(http.StatusOK, resp)
}

func (a *subscriptionAPI) get(c *Call) {
	if !c.Client.Enabled(productSubscriptions) {
		c.Fail(a.getNoAccess)
		return
	}
	id := c.Param("id")
	var sub fake.Subscription
	var ok bool
	c.Tenant.Do(func(d *state.Data) {
		var s *state.Subscription
		if _, s, ok = d.Subscription(id); ok {
			sub = s.Subscription
		}
	})
	if !ok {
		c.Fail(a.notFound)
		return
	}
	sub.Merchant = fake.MerchantRef{ID: sub.Merchant.ID, Name: sub.Merchant.Name}
	c.JSON(http.StatusOK, sub)
}

type cancelSubscriptionRequest struct {
	ExternalUserID string `json:"external_user_id"`
	MerchantID     int    `json:"merchant_id"`
}

// cancelSubscription accepts a cancellation; the outcome follows after the
// async delay as CANCELLATION_SUCCEEDED (status CANCELLED) or, for a
// subscription that is not cancellable, CANCELLATION_FAILED.
func (a *subscriptionAPI) cancelSubscription(c *Call) {
	if !c.Client.Enabled(productSubscriptions) {
		c.Fail(a.cancelNoAccess)
		return
	}
	var req cancelSubscriptionRequest
	if !c.Decode(&req) {
		return
	}
	id := c.Param("id")
	m, ok := a.cancel.merchant(c, req.MerchantID)
	if !ok {
		return
	}
	var fail *knoterr.Error
	c.Tenant.Do(func(d *state.Data) {
		u, ok := d.Users[req.ExternalUserID]
		if !ok {
			fail = a.cancel.userNotFound
			return
		}
		if sub, ok := u.Subscriptions[id]; !ok || sub.MerchantID != m.ID {
			fail = a.cancelNotFound
			return
		}
		acct, ok := u.Accounts[m.ID]
		switch {
		case !ok:
			fail = a.cancel.accountNotFound
		case acct.Status != state.Connected:
			fail = a.cancel.disconnected
		case !acct.HasScope("cancel"):
			fail = a.cancel.accountNotFound // linked without SubscriptionManager
		case acct.Busy != "":
			fail = a.ongoing
		default:
			acct.Busy = busyCancel
		}
	})
	if fail != nil {
		c.Fail(fail)
		return
	}
	t := c.Tenant
	a.s.later(a.s.cfg.AsyncDelay, func() { a.s.cancelDone(t, req.ExternalUserID, m, id) })
	c.Success(http.StatusAccepted)
}

// cancelDone ends a cancellation: the subscription becomes CANCELLED (no
// further billing, expired today, no longer cancellable) and
// CANCELLATION_SUCCEEDED follows, or CANCELLATION_FAILED when it is not
// cancellable.
func (s *Server) cancelDone(t *state.Tenant, externalUserID string, m fixtures.Merchant, id string) {
	now := s.clock.Now().UTC()
	t.Do(func(d *state.Data) {
		u, acct, ok := d.Account(externalUserID, m.ID)
		if ok && acct.Busy == busyCancel {
			acct.Busy = ""
		}
		if u == nil {
			return // the user was deleted meanwhile
		}
		sub, ok := u.Subscriptions[id]
		if !ok {
			return
		}
		data := map[string]any{"subscription_id": id, "metadata": map[string]string{}}
		if !sub.IsCancellable {
			data["reason"] = reasonNotCancellable
			s.emit(t.ClientID, events.Envelope{Event: "CANCELLATION_FAILED", ExternalUserID: externalUserID, Merchant: merchantRef(m), Data: data})
			return
		}
		// Assign fresh values, never write through the pointers: readers
		// copy subscriptions by value and encode them unlocked.
		today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC).Format(fake.DatetimeLayout)
		sub.Status = subscriptionCancelled
		sub.IsCancellable = false
		sub.NextBillingDate, sub.NextRenewalDate, sub.ExpirationDate = nil, nil, &today
		s.emit(t.ClientID, events.Envelope{Event: "CANCELLATION_SUCCEEDED", ExternalUserID: externalUserID, Merchant: merchantRef(m), Data: data})
	})
}

// discoverSubscriptions generates a user's subscriptions at a merchant
// from the merchant's plans, stores them and returns their ids. It runs
// inside t.Do (it takes d and does not lock). A user who already has
// subscriptions there keeps them: their ids come back and nothing new is
// generated. A merchant without plans (no subscription_manager) yields none.
func (s *Server) discoverSubscriptions(t *state.Tenant, d *state.Data, u *state.User, m fixtures.Merchant, now time.Time) []string {
	_ = d // callers hold its lock; subscriptions live on the user
	if len(m.Plans) == 0 {
		return nil
	}
	if have := u.SubscriptionsAt(m.ID); len(have) > 0 {
		ids := make([]string, len(have))
		for i, sub := range have {
			ids[i] = sub.ID
		}
		return ids
	}
	plans := make([]fake.Plan, len(m.Plans))
	for i, p := range m.Plans {
		plans[i] = fake.Plan{Name: p.Name, Description: p.Description, BillingCycle: p.BillingCycle, Price: p.Price,
			IsFamilyPlan: p.IsFamilyPlan, CancelInstructions: p.CancelInstructions}
	}
	subs := s.world.gen.Subscriptions(u.Key(t.ClientID, m.ID, "subscriptions"), fakeMerchant(m), plans, now)
	ids := make([]string, len(subs))
	for i, sub := range subs {
		d.AddSubscription(u, &state.Subscription{Subscription: sub, MerchantID: m.ID})
		ids[i] = sub.ID
	}
	return ids
}

// announceSubscriptions tells the client about subscriptions found at a
// merchant (NEW_SUBSCRIPTIONS_AVAILABLE, data.subscriptions[{id}]). No ids,
// no event.
func (s *Server) announceSubscriptions(clientID, externalUserID string, m fixtures.Merchant, ids []string) {
	if len(ids) == 0 {
		return
	}
	refs := make([]map[string]string, len(ids))
	for i, id := range ids {
		refs[i] = map[string]string{"id": id}
	}
	s.emit(clientID, events.Envelope{
		Event: "NEW_SUBSCRIPTIONS_AVAILABLE", ExternalUserID: externalUserID, Merchant: merchantRef(m),
		Data: map[string]any{"subscriptions": refs},
	})
}
