package server

import (
	"net/http"

	"github.com/knotmock/knotmock/fixtures"
	"github.com/knotmock/knotmock/scenarios"
	"github.com/knotmock/knotmock/server/knoterr"
	"github.com/knotmock/knotmock/server/state"
)

// devAPI serves the development-only Link Account and Disconnect Account.
type devAPI struct {
	s                                                     *Server
	linkUnknownMerchant, linkNoAccess, updatedRequiresNew *knoterr.Error
	discUserNotFound, discUnknownMerchant, discNoAccount  *knoterr.Error
}

func init() { registerAPI(newDevAPI) }

func newDevAPI(s *Server, res *knoterr.Resolver) api {
	return &devAPI{
		s:                   s,
		linkUnknownMerchant: res.Get("development_accounts_link", "UnknownMerchant"),
		linkNoAccess:        res.Get("development_accounts_link", "NoAccessEndpoint"),
		updatedRequiresNew:  res.Get("development_accounts_link", "UpdatedRequiresNew"),
		discUserNotFound:    res.Get("development_accounts_disconnect", "UserNotFound"),
		discUnknownMerchant: res.Get("development_accounts_disconnect", "UnknownMerchant"),
		discNoAccount:       res.Get("development_accounts_disconnect", "MerchantAccountNotFound"),
	}
}

func (a *devAPI) handlers() map[string]Handler {
	return map[string]Handler{
		"development_accounts_link":       a.link,
		"development_accounts_disconnect": a.disconnect,
	}
}

type devLinkRequest struct {
	ExternalUserID string               `json:"external_user_id"`
	MerchantID     int                  `json:"merchant_id"`
	CardSwitcher   bool                 `json:"card_switcher"`
	CardID         *string              `json:"card_id"`
	Transactions   *devLinkTransactions `json:"transactions"`
}

// product is the session type the link stands for, and the List Merchants
// product the merchant must support for it.
func (r *devLinkRequest) product() (session, merchant string) {
	switch {
	case r.CardSwitcher:
		return productCardSwitcher, fixtures.ProductCardSwitcher
	case r.Transactions != nil:
		return productTransactionLink, fixtures.ProductTransactionLink
	default:
		return productLink, fixtures.ProductShopping
	}
}

// link makes an internal session for the product and authenticates it, as
// a user would in the SDK: AUTHENTICATED now, then what the product does.
func (a *devAPI) link(c *Call) {
	var req devLinkRequest
	if !c.Decode(&req) {
		return
	}
	if req.Transactions != nil && req.Transactions.Updated && !req.Transactions.New {
		c.Fail(a.updatedRequiresNew)
		return
	}
	product, listed := req.product()
	if !c.Client.Enabled(product) {
		c.Fail(a.linkNoAccess)
		return
	}
	m, ok := a.s.world.merchants.ByID(req.MerchantID)
	if !ok || !m.Supports(listed) {
		c.Fail(a.linkUnknownMerchant)
		return
	}
	sc, ok := a.scenario(c.GetHeader(ScenarioHeader), product, req.Transactions)
	if !ok {
		c.Fail(knoterr.UnknownScenario(c.GetHeader(ScenarioHeader)))
		return
	}
	sess := c.Tenant.CreateSession(state.Session{
		Type: product, ExternalUserID: req.ExternalUserID, CardID: deref(req.CardID),
		CardHasFunds: true, // Create Session's default
	}, c.Now())
	// The same engine as the SDK, answering any input itself.
	f := a.s.newFlow(c.Tenant, sess, m, false)
	version := f.view().Version
	f.start(sc) // a new flow is at its login form: it starts
	f.waitChange(c.Request.Context(), version, true, settleWait)
	c.Success(http.StatusOK)
}

type devLinkTransactions struct {
	New     bool `json:"new"`
	Updated bool `json:"updated"`
}

// ScenarioHeader names the scenario Link Account runs (a sandbox feature).
const ScenarioHeader = "X-Knotmock-Scenario"

// scenario picks what Link Account runs: the named one, else the default of
// what the request asks for.
func (a *devAPI) scenario(named, product string, tx *devLinkTransactions) (*scenarios.Scenario, bool) {
	set := a.s.scenarios
	switch {
	case named != "":
		return set.Named(named)
	case tx != nil && tx.Updated:
		return set.Named("transactions_updated")
	case tx != nil && tx.New:
		return set.Named("transactions_new")
	case tx != nil: // linked without transactions
		return set.Named("success")
	}
	return set.DefaultFor(product)
}

// disconnect marks the account disconnected (no scopes) and fires
// ACCOUNT_LOGIN_REQUIRED.
func (a *devAPI) disconnect(c *Call) {
	var req acctUserMerchantReq
	if !c.Decode(&req) {
		return
	}
	var fail *knoterr.Error
	c.Tenant.Do(func(d *state.Data) {
		if _, ok := d.Users[req.ExternalUserID]; !ok {
			fail = a.discUserNotFound
		}
	})
	m, ok := a.s.world.merchants.ByID(req.MerchantID)
	switch {
	case fail != nil:
	case !ok:
		fail = a.discUnknownMerchant
	case !a.s.disconnect(c.Tenant, req.ExternalUserID, m):
		fail = a.discNoAccount
	}
	if fail != nil {
		c.Fail(fail)
		return
	}
	c.Success(http.StatusOK)
}
