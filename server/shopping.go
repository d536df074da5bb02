package server

import (
	"errors"
	"net/http"
	"time"

	"github.com/knotmock/knotmock/fixtures"
	"github.com/knotmock/knotmock/server/card"
	"github.com/knotmock/knotmock/server/events"
	"github.com/knotmock/knotmock/server/fake"
	"github.com/knotmock/knotmock/server/knoterr"
	"github.com/knotmock/knotmock/server/state"
)

// shoppingAPI serves Sync Cart and Checkout. Both are asynchronous: the
// account is busy from the 202 until the webhook.
type shoppingAPI struct {
	s            *Server
	sync, check  shopAccountErrors
	fulfillment  *knoterr.Error
	cartNotFound *knoterr.Error
	cards        *cardReader // payment_method.jwe
}

// shopAccountErrors are the merchant account errors of one operation.
// shopAccountErrors adds the one-operation-at-a-time rule to the account
// errors.
type shopAccountErrors struct {
	accountErrors
	ongoing *knoterr.Error
}

func init() { registerAPI(newShoppingAPI) }

const (
	opCartSync = "cart_sync"
	opCheckout = "checkout"
)

// Outcomes Knot documents as examples; the sandbox uses them for
// simulate "failed".
const (
	reasonOutOfStock    = "product out of stock"
	reasonCardDeclined  = "card declined"
	reasonDisconnected  = "merchant account disconnected" // sandbox choice
	shoppingSimulateBad = "failed"
)

func newShoppingAPI(s *Server, res *knoterr.Resolver) api {
	errs := func(op string) shopAccountErrors {
		return shopAccountErrors{accountErrorsOf(res, op), res.Get(op, "OngoingOperation")}
	}
	return &shoppingAPI{
		s: s, sync: errs(opCartSync), check: errs(opCheckout),
		fulfillment:  res.Get(opCartSync, "FulfillmentNotFound"),
		cartNotFound: res.Get(opCheckout, "CartNotFound"),
		// Checkout's payment_method.jwe is checked like Switch Card's JWE.
		cards: newCardReader(s, res, opCheckout, false),
	}
}

func (a *shoppingAPI) handlers() map[string]Handler {
	return map[string]Handler{opCartSync: a.syncCart, opCheckout: a.checkout}
}

// account finds a connected, idle account (under the tenant lock).
func (e *shopAccountErrors) account(d *state.Data, externalUserID string, merchantID int) (*state.User, *state.Account, *knoterr.Error) {
	u, acct, err := e.connected(d, externalUserID, merchantID)
	if err == nil && acct.Busy != "" {
		return nil, nil, e.ongoing
	}
	return u, acct, err
}

type syncCartRequest struct {
	ExternalUserID string `json:"external_user_id"`
	MerchantID     int    `json:"merchant_id"`
	Products       []struct {
		ExternalID  string `json:"external_id"`
		Fulfillment *struct {
			ID string `json:"id"`
		} `json:"fulfillment"`
	} `json:"products"`
	DeliveryLocation *locationPatch `json:"delivery_location"`
	Simulate         string         `json:"simulate"`
}

// locationPatch is a Sync Cart delivery_location: the fields sent replace
// those of the cart's current location.
type locationPatch struct {
	Address *struct {
		Line1      *string `json:"line1"`
		Line2      *string `json:"line2"`
		City       *string `json:"city"`
		Region     *string `json:"region"`
		PostalCode *string `json:"postal_code"`
		Country    *string `json:"country"`
	} `json:"address"`
	FirstName   *string `json:"first_name"`
	LastName    *string `json:"last_name"`
	PhoneNumber *string `json:"phone_number"`
}

func (p *locationPatch) apply(loc fake.DeliveryLocation) fake.DeliveryLocation {
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	if ad := p.Address; ad != nil {
		set(&loc.Address.Line1, ad.Line1)
		if ad.Line2 != nil {
			loc.Address.Line2 = fake.Str(*ad.Line2)
		}
		set(&loc.Address.City, ad.City)
		set(&loc.Address.Region, ad.Region)
		set(&loc.Address.PostalCode, ad.PostalCode)
		set(&loc.Address.Country, ad.Country)
	}
	if p.FirstName != nil {
		loc.FirstName = fake.Str(*p.FirstName)
	}
	if p.LastName != nil {
		loc.LastName = fake.Str(*p.LastName)
	}
	if p.PhoneNumber != nil {
		loc.PhoneNumber = fake.Str(*p.PhoneNumber)
	}
	return loc
}

// savedLocation is the merchant account's saved address: the generated
// person of the cart key.
func (a *shoppingAPI) savedLocation(key string) fake.DeliveryLocation {
	p := a.s.world.gen.Person(key)
	return fake.DeliveryLocation{Address: p.Address, FirstName: fake.Str(p.FirstName),
		LastName: fake.Str(p.LastName), PhoneNumber: fake.Str(p.PhoneNumber)}
}

func (a *shoppingAPI) syncCart(c *Call) {
	var req syncCartRequest
	if !c.Decode(&req) {
		return
	}
	m, ok := a.sync.merchant(c, req.MerchantID)
	if !ok {
		return
	}
	items := make([]fake.CartItem, len(req.Products))
	for i, p := range req.Products {
		items[i].ExternalID = p.ExternalID
		if p.Fulfillment != nil {
			items[i].FulfillmentID = p.Fulfillment.ID
		}
	}
	now := c.Now()
	var fail *knoterr.Error
	var acct *state.Account
	var cart fake.Cart
	c.Tenant.Do(func(d *state.Data) {
		var u *state.User
		if u, acct, fail = a.sync.account(d, req.ExternalUserID, req.MerchantID); fail != nil {
			return
		}
		key := u.CartKey(c.Tenant.ClientID, m.ID)
		var loc fake.DeliveryLocation
		if acct.Cart != nil && acct.Cart.DeliveryLocation != nil {
			loc = *acct.Cart.DeliveryLocation
		} else {
			loc = a.savedLocation(key)
		}
		if req.DeliveryLocation != nil {
			loc = req.DeliveryLocation.apply(loc)
		}
		var err error
		cart, err = a.s.world.gen.CartItems(key, fakeMerchant(m), items, &loc, now)
		if err != nil {
			if errors.Is(err, fake.ErrFulfillmentNotFound) {
				fail = a.fulfillment
			} else {
				a.s.log.Error("cart", "op", c.Op.ID, "err", err)
				fail = knoterr.ServerError
			}
			return
		}
		acct.StartOperation(opCartSync)
	})
	if fail != nil {
		c.Fail(fail)
		return
	}
	c.Success(http.StatusAccepted)
	t, uid, failed := c.Tenant, req.ExternalUserID, req.Simulate == shoppingSimulateBad
	a.s.later(a.s.cfg.AsyncDelay, func() {
		a.finish(t, uid, m, acct, opCartSync, "SYNC_CART_FAILED", func(_ *state.Data, _ *state.User, acct *state.Account, _ time.Time) (string, any) {
			if reason := failure(failed, reasonOutOfStock, &acct.NextSyncFail); reason != "" {
				return "SYNC_CART_FAILED", map[string]string{"reason": reason}
			}
			acct.SetCart(cart, items)
			return "SYNC_CART_SUCCEEDED", map[string]any{"cart": cart}
		})
	})
}

type checkoutRequest struct {
	ExternalUserID string `json:"external_user_id"`
	MerchantID     int    `json:"merchant_id"`
	PaymentMethod  *struct {
		JWE *string `json:"jwe"`
	} `json:"payment_method"`
	Simulate string `json:"simulate"`
}

func (a *shoppingAPI) checkout(c *Call) {
	var req checkoutRequest
	if !c.Decode(&req) {
		return
	}
	m, ok := a.check.merchant(c, req.MerchantID)
	if !ok {
		return
	}
	var fail *knoterr.Error
	var acct *state.Account
	c.Tenant.Do(func(d *state.Data) {
		if _, acct, fail = a.check.account(d, req.ExternalUserID, req.MerchantID); fail == nil && acct.Cart == nil {
			fail = a.cartNotFound
		}
	})
	if fail == nil && req.PaymentMethod != nil && req.PaymentMethod.JWE != nil {
		_, fail = a.cards.read(req.PaymentMethod.JWE, card.Payload{}, c.Now())
	}
	if fail == nil {
		c.Tenant.Do(func(d *state.Data) {
			// Checked again: the lock was released while decrypting.
			if _, acct, fail = a.check.account(d, req.ExternalUserID, req.MerchantID); fail == nil && acct.Cart == nil {
				fail = a.cartNotFound
			}
			if fail == nil {
				acct.StartOperation(opCheckout)
			}
		})
	}
	if fail != nil {
		c.Fail(fail)
		return
	}
	c.Success(http.StatusAccepted)
	t, uid, failed := c.Tenant, req.ExternalUserID, req.Simulate == shoppingSimulateBad
	a.s.later(a.s.cfg.AsyncDelay, func() {
		a.finish(t, uid, m, acct, opCheckout, "CHECKOUT_FAILED", func(d *state.Data, u *state.User, acct *state.Account, now time.Time) (string, any) {
			if reason := failure(failed, reasonCardDeclined, &acct.NextCheckoutFail); reason != "" {
				return "CHECKOUT_FAILED", map[string]string{"reason": reason}
			}
			return "CHECKOUT_SUCCEEDED", map[string]any{"transactions": a.placeOrder(d, t.ClientID, u, m, acct, now)}
		})
	})
}

// placeOrder turns the account's cart into transactions (stored on the
// account, so Get Transaction By ID finds them), clears the cart and returns
// the ids as [{id}].
func (a *shoppingAPI) placeOrder(d *state.Data, clientID string, u *state.User, m fixtures.Merchant, acct *state.Account, now time.Time) []map[string]string {
	txs := a.s.world.gen.CheckoutTransactions(u.Key(clientID, m.ID, "checkout"), fakeMerchant(m), *acct.Cart, now)
	d.AddTransactions(acct, txs)
	acct.ClearCart()
	ids := make([]map[string]string, len(txs))
	for i, tx := range txs {
		ids[i] = map[string]string{"id": tx.ID}
	}
	return ids
}

// finish ends the Shopping operation op started on acct: unless the
// account was unlinked meanwhile, result decides the webhook (failedEvent
// when the account was disconnected meanwhile), which is emitted as the
// account becomes idle again.
func (a *shoppingAPI) finish(t *state.Tenant, externalUserID string, m fixtures.Merchant, acct *state.Account,
	op, failedEvent string, result func(*state.Data, *state.User, *state.Account, time.Time) (event string, data any)) {
	now := a.s.clock.Now()
	t.Do(func(d *state.Data) {
		u, current, ok := d.Account(externalUserID, m.ID)
		if !ok || current != acct || acct.Busy != op {
			return // unlinked (or the user deleted): nobody to tell
		}
		acct.FinishOperation()
		event, data := failedEvent, any(map[string]string{"reason": reasonDisconnected})
		if acct.Status == state.Connected {
			event, data = result(d, u, acct, now)
		}
		a.s.emit(t.ClientID, events.Envelope{Event: event, ExternalUserID: externalUserID, Merchant: merchantRef(m), Data: data})
	})
}

// failure is why a shopping operation fails, "" when it succeeds:
// simulate "failed" gives Knot's documented reason, else a scenario's cart
// step may have queued one (used once).
func failure(simulated bool, documented string, queued *string) string {
	if simulated {
		return documented
	}
	reason := *queued
	*queued = ""
	return reason
}
