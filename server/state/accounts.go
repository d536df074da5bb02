package state

// Account-level and user-level removals: Unlink Merchant Account and Delete
// User.

// Unlink removes a user's account at a merchant. Its transactions and cart
// go with it, and so do the user's subscriptions at that merchant. It
// reports whether there was an account.
func (d *Data) Unlink(externalUserID string, merchantID int) bool {
	u, ok := d.Users[externalUserID]
	if !ok {
		return false
	}
	a, ok := u.Accounts[merchantID]
	if !ok {
		return false
	}
	d.forgetAccount(a)
	delete(u.Accounts, merchantID)
	for id, sub := range u.Subscriptions {
		if sub.MerchantID == merchantID {
			delete(u.Subscriptions, id)
			delete(d.subUser, id)
		}
	}
	return true
}

func (d *Data) forgetAccount(a *Account) {
	for id := range a.TxByID {
		delete(d.txByID, id)
	}
}

// DeleteUser removes a user and everything stored under them (accounts,
// transactions, carts, subscriptions, detected accounts) and their tasks.
// Sessions live outside Data: see Tenant.DeleteUserSessions. It reports
// whether the user existed.
func (d *Data) DeleteUser(externalUserID string) bool {
	u, ok := d.Users[externalUserID]
	if !ok {
		return false
	}
	for _, a := range u.Accounts {
		d.forgetAccount(a)
	}
	for id := range u.Subscriptions {
		delete(d.subUser, id)
	}
	delete(d.Users, externalUserID)
	for id, tk := range d.Tasks {
		if tk.ExternalUserID == externalUserID {
			delete(d.Tasks, id)
		}
	}
	return true
}

// LatestTask returns the most recent task of a user's account at a merchant
// (the highest task id), or nil.
func (d *Data) LatestTask(externalUserID string, merchantID int) *Task {
	var latest *Task
	for _, tk := range d.Tasks {
		if tk.ExternalUserID == externalUserID && tk.MerchantID == merchantID && (latest == nil || tk.ID > latest.ID) {
			latest = tk
		}
	}
	return latest
}

// DeleteUserSessions forgets every session of a user, so that none of them
// can be used any more (they answer "not found"). It returns how many there
// were. Call it outside Do: it takes the session locks.
func (t *Tenant) DeleteUserSessions(externalUserID string) int {
	n := 0
	for i := range t.sessions.shards {
		sh := &t.sessions.shards[i]
		sh.mu.Lock()
		for id, s := range sh.byID {
			if s.ExternalUserID == externalUserID {
				delete(sh.byID, id)
				n++
			}
		}
		sh.mu.Unlock()
	}
	return n
}
