package state

import (
	"sort"

	"github.com/knotmock/knotmock/server/fake"
)

// TransactionPage is one page of an account's transactions, copied out of
// the tenant's state so that it can be encoded after the lock is released.
type TransactionPage struct {
	Transactions []fake.Transaction
	Next         int  // position after the page
	More         bool // transactions remain after Next
}

// SyncPage returns up to limit transactions from position from (the
// account's SyncedTo watermark when from is negative). ok is false when
// from lies past the end. The page that reaches the end moves SyncedTo
// there, so a later sync without a cursor returns only what is new since.
func (a *Account) SyncPage(from, limit int) (p TransactionPage, ok bool) {
	if from < 0 {
		from = a.SyncedTo
	}
	if from > len(a.Transactions) || limit < 1 {
		return p, false
	}
	end := min(from+limit, len(a.Transactions))
	p.Transactions = make([]fake.Transaction, end-from)
	for i, tx := range a.Transactions[from:end] {
		// A value copy is safe to read unlocked: updates replace the whole
		// value (slices included) rather than editing it in place.
		p.Transactions[i] = *tx
	}
	p.Next, p.More = end, end < len(a.Transactions)
	if !p.More && end > a.SyncedTo {
		a.SyncedTo = end
	}
	return p, true
}

// Transaction finds one of the tenant's transactions by id, whichever
// account holds it, and returns a copy. It asks each linked account's
// index (Account.TxByID), so it is always consistent with unlinked
// accounts and deleted users and costs one map lookup per linked account.
func (d *Data) Transaction(id string) (fake.Transaction, bool) {
	if tx, ok := d.txByID[id]; ok {
		return *tx, true
	}
	return fake.Transaction{}, false
}

// Subscription finds one of the tenant's subscriptions by id, with its
// user.
func (d *Data) Subscription(id string) (*User, *Subscription, bool) {
	if u, ok := d.subUser[id]; ok {
		if s, ok := u.Subscriptions[id]; ok {
			return u, s, true
		}
	}
	return nil, nil, false
}

// SubscriptionsAt returns a user's subscriptions, all of them or those at
// one merchant (merchantID 0), in a stable order: merchant id, then
// subscription id. Positions in it are what list cursors count.
func (u *User) SubscriptionsAt(merchantID int) []*Subscription {
	out := make([]*Subscription, 0, len(u.Subscriptions))
	for _, s := range u.Subscriptions {
		if merchantID == 0 || s.MerchantID == merchantID {
			out = append(out, s)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].MerchantID != out[j].MerchantID {
			return out[i].MerchantID < out[j].MerchantID
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// HasScope reports whether the account was granted a scope ("cancel",
// "update_card").
func (a *Account) HasScope(scope string) bool { return contains(a.Scopes, scope) }
