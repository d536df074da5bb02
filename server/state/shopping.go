package state

import "github.com/knotmock/knotmock/server/fake"

// Shopping: Sync Cart and Checkout, one operation at a time per account.

// CartKey is the generator key of a user's cart at a merchant. Unlike Key it
// is the same on every call, so the fulfillment ids of one
// SYNC_CART_SUCCEEDED select an option in the next Sync Cart, and the
// merchant account's saved address (the generated person's) stays the same.
func (u *User) CartKey(clientID string, merchantID int) string {
	return clientID + "/" + u.ExternalUserID + "/" + itoa(merchantID) + "/cart"
}

// StartOperation marks the account busy with op (a Shopping operation) and
// reports true, or reports false when another operation is running.
func (a *Account) StartOperation(op string) bool {
	if a.Busy != "" {
		return false
	}
	a.Busy = op
	return true
}

// FinishOperation marks the account idle again.
func (a *Account) FinishOperation() { a.Busy = "" }

// SetCart stores a synced cart and the items it was built from.
func (a *Account) SetCart(c fake.Cart, items []fake.CartItem) {
	a.Cart = &c
	a.CartItems = items
}

// ClearCart forgets the cart (after a checkout).
func (a *Account) ClearCart() {
	a.Cart = nil
	a.CartItems = nil
}
