package server

import (
	"github.com/knotmock/knotmock/fixtures"
	"github.com/knotmock/knotmock/server/knoterr"
	"github.com/knotmock/knotmock/server/state"
)

// accountErrors are the errors of an operation on one merchant account.
type accountErrors struct {
	userNotFound, unknownMerchant, accountNotFound, disconnected *knoterr.Error
}

// accountErrorsOf resolves an operation's account errors.
func accountErrorsOf(res *knoterr.Resolver, op string) accountErrors {
	return accountErrors{
		userNotFound:    res.Get(op, "UserNotFound"),
		unknownMerchant: res.Get(op, "UnknownMerchant"),
		accountNotFound: res.Get(op, "MerchantAccountNotFound"),
		disconnected:    res.Get(op, "MerchantAccountDisconnected"),
	}
}

// connected finds a user's connected account at a merchant, or the error
// to answer.
func (e accountErrors) connected(d *state.Data, externalUserID string, merchantID int) (*state.User, *state.Account, *knoterr.Error) {
	u, ok := d.Users[externalUserID]
	if !ok {
		return nil, nil, e.userNotFound
	}
	acct, ok := u.Accounts[merchantID]
	if !ok {
		return nil, nil, e.accountNotFound
	}
	if acct.Status != state.Connected {
		return nil, nil, e.disconnected
	}
	return u, acct, nil
}

// merchant finds the request's merchant in the catalogue, or answers the
// operation's UnknownMerchant.
func (e accountErrors) merchant(c *Call, merchantID int) (fixtures.Merchant, bool) {
	m, ok := c.s.world.merchants.ByID(merchantID)
	if !ok {
		c.Fail(e.unknownMerchant)
	}
	return m, ok
}
