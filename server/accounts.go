package server

import (
	"net/http"
	"sort"
	"strconv"
	"time"

	"github.com/knotmock/knotmock/fixtures"
	"github.com/knotmock/knotmock/server/knoterr"
	"github.com/knotmock/knotmock/server/state"
)

// accountAPI serves Get Merchant Accounts, Unlink Merchant Account, Delete
// User and the legacy Get User.
type accountAPI struct {
	s *Server
	// per operation, as each documents them
	getUserNotFound, getUnknownMerchant, getNoAccount          *knoterr.Error
	unlinkUserNotFound, unlinkUnknownMerchant, unlinkNoAccount *knoterr.Error
	deleteUserNotFound, legacyUserNotFound                     *knoterr.Error
}

func init() { registerAPI(newAccountAPI) }

func newAccountAPI(s *Server, res *knoterr.Resolver) api {
	return &accountAPI{
		s:                     s,
		getUserNotFound:       res.Get("accounts_get", "UserNotFound"),
		getUnknownMerchant:    res.Get("accounts_get", "UnknownMerchant"),
		getNoAccount:          res.Get("accounts_get", "MerchantAccountNotFound"),
		unlinkUserNotFound:    res.Get("accounts_unlink", "UserNotFound"),
		unlinkUnknownMerchant: res.Get("accounts_unlink", "UnknownMerchant"),
		unlinkNoAccount:       res.Get("accounts_unlink", "MerchantAccountNotFound"),
		deleteUserNotFound:    res.Get("user_delete", "UserNotFound"),
		legacyUserNotFound:    res.Get("user_get", "UserNotFound"),
	}
}

func (a *accountAPI) handlers() map[string]Handler {
	return map[string]Handler{
		"accounts_get":    a.get,
		"accounts_unlink": a.unlink,
		"user_delete":     a.deleteUser,
		"user_get":        a.legacyUser,
	}
}

// acctBody is Knot's merchant account object.
type acctBody struct {
	Merchant struct {
		ID   int    `json:"id"`
		Name string `json:"name"`
		Logo string `json:"logo"`
	} `json:"merchant"`
	Connection struct {
		Status string      `json:"status"`
		Scopes []acctScope `json:"scopes"`
	} `json:"connection"`
	Lifecycle struct {
		Status *string `json:"status"`
	} `json:"lifecycle"`
	LastUserAction struct {
		AttemptedAt *string `json:"attempted_at"`
		Status      *string `json:"status"`
	} `json:"last_user_action"`
}

type acctScope struct {
	Type string `json:"type"`
}

// acctRender renders an account. With a product type, the lifecycle and the
// last user action are those of the most recent login when it was of that
// type, and null otherwise. Called inside Do.
func acctRender(d *state.Data, externalUserID string, m fixtures.Merchant, acct *state.Account, product string) acctBody {
	var b acctBody
	b.Merchant.ID, b.Merchant.Name, b.Merchant.Logo = m.ID, m.Name, m.Logo
	b.Connection.Status = acct.Status
	b.Connection.Scopes = make([]acctScope, 0, len(acct.Scopes))
	for _, sc := range acct.Scopes {
		b.Connection.Scopes = append(b.Connection.Scopes, acctScope{Type: sc})
	}
	if product != "" {
		if tk := d.LatestTask(externalUserID, m.ID); tk == nil || tk.Product != product {
			return b
		}
	}
	b.Lifecycle.Status = acctCopyStr(acct.LifecycleStatus)
	b.LastUserAction.Status = acctCopyStr(acct.LastAction)
	if acct.LastActionAt != nil {
		at := acct.LastActionAt.UTC().Format(time.RFC3339)
		b.LastUserAction.AttemptedAt = &at
	}
	return b
}

func acctCopyStr(p *string) *string {
	if p == nil {
		return nil
	}
	s := *p
	return &s
}

func (a *accountAPI) get(c *Call) {
	userID, product := c.Query("external_user_id"), c.Query("type")
	merchantID, single := 0, false
	if v, ok := c.GetQuery("merchant_id"); ok && v != "" {
		n, err := strconv.Atoi(v)
		if err != nil { // validation guarantees an integer; one too large for int is unknown
			n = -1
		}
		merchantID, single = n, true
	}
	var (
		fail *knoterr.Error
		one  acctBody
		all  []acctBody
	)
	c.Tenant.Do(func(d *state.Data) {
		u, ok := d.Users[userID]
		if !ok {
			fail = a.getUserNotFound
			return
		}
		if single {
			m, ok := a.s.world.merchants.ByID(merchantID)
			if !ok {
				fail = a.getUnknownMerchant
				return
			}
			acct, ok := u.Accounts[merchantID]
			if !ok {
				fail = a.getNoAccount
				return
			}
			one = acctRender(d, userID, m, acct, product)
			return
		}
		all = make([]acctBody, 0, len(u.Accounts))
		for id, acct := range u.Accounts {
			if m, ok := a.s.world.merchants.ByID(id); ok {
				all = append(all, acctRender(d, userID, m, acct, product))
			}
		}
	})
	switch {
	case fail != nil:
		c.Fail(fail)
	case single:
		c.JSON(http.StatusOK, one)
	default:
		sort.Slice(all, func(i, j int) bool {
			return merchantLess(all[i].Merchant.Name, all[i].Merchant.ID, all[j].Merchant.Name, all[j].Merchant.ID)
		})
		c.JSON(http.StatusOK, all)
	}
}

// acctUserMerchantReq is the body of the account operations: a user and a
// merchant.
type acctUserMerchantReq struct {
	ExternalUserID string `json:"external_user_id"`
	MerchantID     int    `json:"merchant_id"`
}

func (a *accountAPI) unlink(c *Call) {
	var req acctUserMerchantReq
	if !c.Decode(&req) {
		return
	}
	var fail *knoterr.Error
	c.Tenant.Do(func(d *state.Data) {
		if _, ok := d.Users[req.ExternalUserID]; !ok {
			fail = a.unlinkUserNotFound
			return
		}
		if _, ok := a.s.world.merchants.ByID(req.MerchantID); !ok {
			fail = a.unlinkUnknownMerchant
			return
		}
		if !d.Unlink(req.ExternalUserID, req.MerchantID) {
			fail = a.unlinkNoAccount
		}
	})
	if fail != nil {
		c.Fail(fail)
		return
	}
	c.Success(http.StatusOK)
}

type acctUserReq struct {
	ExternalUserID string `json:"external_user_id"`
}

// deleteUser removes the user, everything stored under them and their
// tasks, and forgets their sessions so none can be used again.
func (a *accountAPI) deleteUser(c *Call) {
	var req acctUserReq
	if !c.Decode(&req) {
		return
	}
	var deleted bool
	c.Tenant.Do(func(d *state.Data) { deleted = d.DeleteUser(req.ExternalUserID) })
	if !deleted {
		c.Fail(a.deleteUserNotFound)
		return
	}
	c.Tenant.DeleteUserSessions(req.ExternalUserID)
	c.Success(http.StatusOK)
}

// legacyUserBody is the legacy Get User answer.
type legacyUserBody struct {
	LinkedMerchants  []int `json:"linkedMerchants"`
	PendingMerchants []int `json:"pendingMerchants"`
}

// legacyUser lists the merchant ids a user is linked to and those pending
// (disconnected, or a task not finished). Ids are unique whatever `unique`
// says: an account is one per merchant.
func (a *accountAPI) legacyUser(c *Call) {
	userID := c.Param("external_user_id")
	body := legacyUserBody{LinkedMerchants: []int{}, PendingMerchants: []int{}}
	found := false
	c.Tenant.Do(func(d *state.Data) {
		u, ok := d.Users[userID]
		if !ok {
			return
		}
		found = true
		for id, acct := range u.Accounts {
			pending := acct.Status != state.Connected || (acct.LifecycleStatus != nil &&
				(*acct.LifecycleStatus == lifecyclePending || *acct.LifecycleStatus == lifecycleProcessing))
			if pending {
				body.PendingMerchants = append(body.PendingMerchants, id)
			} else {
				body.LinkedMerchants = append(body.LinkedMerchants, id)
			}
		}
	})
	if !found {
		c.Fail(a.legacyUserNotFound)
		return
	}
	sort.Ints(body.LinkedMerchants)
	sort.Ints(body.PendingMerchants)
	c.JSON(http.StatusOK, body)
}
