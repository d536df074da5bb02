package state

import (
	"time"

	"github.com/knotmock/knotmock/server/fake"
)

// Connection statuses of a merchant account.
const (
	Connected    = "connected"
	Disconnected = "disconnected"
)

// Data is a tenant's state other than sessions. Use it only inside
// Tenant.Do, which holds the tenant's lock.
type Data struct {
	Users    map[string]*User // external_user_id → user
	Tasks    map[int64]*Task  // task_id → task (AUTHENTICATED events)
	nextTask int64

	// Indexes for the by-id endpoints, kept in step by AddTransactions,
	// AddSubscription, Unlink and DeleteUser.
	txByID  map[string]*fake.Transaction
	subUser map[string]*User // subscription id → its user
}

// User is one external_user_id of a tenant.
type User struct {
	ExternalUserID string
	CreatedAt      time.Time
	Accounts       map[int]*Account // merchant id → account (unlinked ones removed)
	Detected       []fake.DetectedAccount
	DetectedAt     time.Time                // zero until Detect ran
	Subscriptions  map[string]*Subscription // subscription id → subscription
	keys           int                      // counter for generator keys, so each batch is new data
}

// Account is a user's merchant account linked to Knot.
type Account struct {
	MerchantID      int
	Status          string   // Connected or Disconnected
	Scopes          []string // e.g. "update_card", "cancel"
	LifecycleStatus *string
	LastAction      *string
	LastActionAt    *time.Time
	LinkedAt        time.Time
	CardID          string // last card switched in (CardSwitcher)
	CardLast4       string

	// TransactionLink: append-only, so a position is a stable cursor.
	Transactions []*fake.Transaction
	TxByID       map[string]*fake.Transaction
	SyncedTo     int // position the last complete sync reached (for "only new" later)

	// Shopping: one operation at a time per account.
	Cart      *fake.Cart
	CartItems []fake.CartItem
	Busy      string // name of the ongoing operation, "" when idle
	// A scenario's outcome for the next cart sync / checkout ("" = success).
	NextSyncFail, NextCheckoutFail string
}

// Subscription is a user's subscription at a merchant.
type Subscription struct {
	fake.Subscription
	MerchantID int
}

// Task is one authentication that produced an AUTHENTICATED event: the
// task_id a Switch Card call refers to.
type Task struct {
	ID              int64
	SessionID       string
	ExternalUserID  string
	MerchantID      int
	CardID          string
	SendCard        bool
	Product         string
	Metadata        map[string]string
	Scenario        string // scenario that produced it, for the card outcome
	AuthenticatedAt time.Time
	WindowEnds      time.Time // card data must arrive before this
	CardBlocked     bool      // from Create Session's card object: the switch fails
	CardFail        string    // a scenario's CARD_FAILED reason once card data arrives
	CardHasFunds    bool      // false: the switch fails with insufficient funds
	CardReceived    bool
	Closed          bool // card window over (card received or CARD_FAILED sent)
}

func newData() Data {
	return Data{
		Users: map[string]*User{}, Tasks: map[int64]*Task{}, nextTask: 25600,
		txByID: map[string]*fake.Transaction{}, subUser: map[string]*User{},
	}
}

// Do runs fn with the tenant's state locked.
// A reset tenant runs nothing, so late timers and flows of the old state
// neither change it nor emit events.
func (t *Tenant) Do(fn func(d *Data)) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.dead {
		return
	}
	fn(&t.data)
}

// User returns a user, creating it when create is true.
func (d *Data) User(externalUserID string, now time.Time, create bool) (*User, bool) {
	u, ok := d.Users[externalUserID]
	if !ok && create {
		u = &User{ExternalUserID: externalUserID, CreatedAt: now, Accounts: map[int]*Account{}, Subscriptions: map[string]*Subscription{}}
		d.Users[externalUserID] = u
		ok = true
	}
	return u, ok
}

// Account returns a user's linked account at a merchant.
func (d *Data) Account(externalUserID string, merchantID int) (*User, *Account, bool) {
	u, ok := d.Users[externalUserID]
	if !ok {
		return nil, nil, false
	}
	a, ok := u.Accounts[merchantID]
	return u, a, ok
}

// Link connects (or reconnects) a user's account at a merchant.
func (d *Data) Link(externalUserID string, merchantID int, scopes []string, now time.Time) (*User, *Account) {
	u, _ := d.User(externalUserID, now, true)
	a, ok := u.Accounts[merchantID]
	if !ok {
		a = &Account{MerchantID: merchantID, LinkedAt: now, TxByID: map[string]*fake.Transaction{}}
		u.Accounts[merchantID] = a
	}
	a.Status = Connected
	for _, s := range scopes {
		if !contains(a.Scopes, s) {
			a.Scopes = append(a.Scopes, s)
		}
	}
	return u, a
}

// keptTasks is how many recent tasks a tenant keeps: a task matters for
// its 15-second card window, so older closed ones are dropped.
const keptTasks = 100_000

// NewTask records an authentication and returns its task.
func (d *Data) NewTask(t Task) *Task {
	d.nextTask++
	t.ID = d.nextTask
	d.Tasks[t.ID] = &t
	if t.ID%(keptTasks/10) == 0 {
		for id, old := range d.Tasks {
			if id <= t.ID-keptTasks && old.Closed {
				delete(d.Tasks, id)
			}
		}
	}
	return &t
}

// Key is a generator key unique to this user and merchant and to each call,
// so generated data is reproducible per user and new on every batch.
func (u *User) Key(clientID string, merchantID int, purpose string) string {
	u.keys++
	return clientID + "/" + u.ExternalUserID + "/" + itoa(merchantID) + "/" + purpose + "/" + itoa(u.keys)
}

// SetAction records the user's last action on an account.
func (a *Account) SetAction(status string, now time.Time) {
	s := status
	a.LastAction = &s
	at := now
	a.LastActionAt = &at
}

// SetLifecycle records the status of the latest task on the account.
func (a *Account) SetLifecycle(status string) {
	s := status
	a.LifecycleStatus = &s
}

// AddTransactions appends generated transactions to an account.
func (d *Data) AddTransactions(a *Account, txs []fake.Transaction) {
	for i := range txs {
		t := txs[i]
		a.Transactions = append(a.Transactions, &t)
		a.TxByID[t.ID] = &t
		d.txByID[t.ID] = &t
	}
}

// AddSubscription stores a user's subscription.
func (d *Data) AddSubscription(u *User, s *Subscription) {
	if u.Subscriptions == nil {
		u.Subscriptions = map[string]*Subscription{}
	}
	u.Subscriptions[s.ID] = s
	d.subUser[s.ID] = u
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	neg := n < 0
	if neg {
		n = -n
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}
