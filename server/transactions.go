package server

import (
	"encoding/binary"
	"hash/fnv"
	"net/http"

	"github.com/knotmock/knotmock/fixtures"
	"github.com/knotmock/knotmock/server/fake"
	"github.com/knotmock/knotmock/server/knoterr"
	"github.com/knotmock/knotmock/server/state"
)

// transactionAPI serves TransactionLink: Sync Transactions, Get Transaction
// By ID (both paths) and Refresh Transactions.
//
// Transactions are an append-only list per merchant account, so a position
// in it is a stable cursor (see cursor.go). A sync without a cursor starts
// at the account's SyncedTo watermark; the last page (next_cursor null)
// moves the watermark to the end, so the next sync without a cursor
// returns only transactions added since.
type transactionAPI struct {
	s *Server

	sync, refresh              accountErrors
	invalidCursor              *knoterr.Error
	noTransactions, ongoing    *knoterr.Error
	txNotFound, legacyNotFound *knoterr.Error
}

func init() { registerAPI(newTransactionAPI) }

func newTransactionAPI(s *Server, res *knoterr.Resolver) api {
	return &transactionAPI{
		s:              s,
		sync:           accountErrorsOf(res, "transaction_sync"),
		refresh:        accountErrorsOf(res, "transaction_refresh"),
		invalidCursor:  res.Get("transaction_sync", "InvalidCursor"),
		noTransactions: res.Get("transaction_refresh", "NoTransactions"),
		ongoing:        res.Get("transaction_refresh", "OngoingOperation"),
		txNotFound:     res.Get("transaction_get_by_id", "TransactionNotFound"),
		legacyNotFound: res.Get("transaction_get_by_id_legacy", "TransactionNotFound"),
	}
}

func (a *transactionAPI) handlers() map[string]Handler {
	return map[string]Handler{
		"transaction_sync":             a.syncTransactions,
		"transaction_get_by_id":        func(c *Call) { a.get(c, a.txNotFound) },
		"transaction_get_by_id_legacy": func(c *Call) { a.get(c, a.legacyNotFound) },
		"transaction_refresh":          a.refreshTransactions,
	}
}

type syncRequest struct {
	MerchantID     int     `json:"merchant_id"`
	ExternalUserID string  `json:"external_user_id"`
	Cursor         *string `json:"cursor"`
	Limit          *int    `json:"limit"`
}

type syncResponse struct {
	Merchant     merchantIDName     `json:"merchant"`
	Transactions []fake.Transaction `json:"transactions"`
	NextCursor   *string            `json:"next_cursor"`
	Limit        int                `json:"limit"`
}

type merchantIDName struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
}

// defaultPageLimit is the limit of Sync Transactions and the list
// operations when the request has none.
const defaultPageLimit = 100

func (a *transactionAPI) syncTransactions(c *Call) {
	var req syncRequest
	if !c.Decode(&req) {
		return
	}
	limit := defaultPageLimit
	if req.Limit != nil {
		limit = *req.Limit
	}
	from := -1 // the watermark
	if req.Cursor != nil {
		pos, ok := decodeCursor(*req.Cursor)
		if !ok {
			c.Fail(a.invalidCursor)
			return
		}
		from = pos
	}
	m, ok := a.sync.merchant(c, req.MerchantID)
	if !ok {
		return
	}
	var page state.TransactionPage
	var fail *knoterr.Error
	c.Tenant.Do(func(d *state.Data) {
		var acct *state.Account
		if _, acct, fail = a.sync.connected(d, req.ExternalUserID, m.ID); fail != nil {
			return
		}
		if page, ok = acct.SyncPage(from, limit); !ok {
			fail = a.invalidCursor
		}
	})
	if fail != nil {
		c.Fail(fail)
		return
	}
	resp := syncResponse{Merchant: merchantIDName{m.ID, m.Name}, Transactions: page.Transactions, Limit: limit}
	if page.More {
		next := encodeCursor(page.Next)
		resp.NextCursor = &next
	}
	c.JSON(http.StatusOK, resp)
}

func (a *transactionAPI) get(c *Call, notFound *knoterr.Error) {
	id := c.Param("id")
	var tx fake.Transaction
	var ok bool
	c.Tenant.Do(func(d *state.Data) { tx, ok = d.Transaction(id) })
	if !ok {
		c.Fail(notFound)
		return
	}
	c.JSON(http.StatusOK, tx)
}

type refreshRequest struct {
	MerchantID     int    `json:"merchant_id"`
	ExternalUserID string `json:"external_user_id"`
}

// busyRefresh marks an account whose refresh is under way (Account.Busy).
const busyRefresh = "transaction_refresh"

// refreshTransactions accepts a refresh and, after the async delay, adds
// one to three new transactions (NEW_TRANSACTIONS_AVAILABLE). An account
// whose first transactions have not arrived yet answers NoTransactions; a
// second refresh before the first is done answers OngoingOperation.
func (a *transactionAPI) refreshTransactions(c *Call) {
	var req refreshRequest
	if !c.Decode(&req) {
		return
	}
	m, ok := a.refresh.merchant(c, req.MerchantID)
	if !ok {
		return
	}
	var n int
	var fail *knoterr.Error
	t := c.Tenant
	c.Tenant.Do(func(d *state.Data) {
		u, acct, e := a.refresh.connected(d, req.ExternalUserID, m.ID)
		switch {
		case e != nil:
			fail = e
		case acct.Busy != "":
			fail = a.ongoing
		case len(acct.Transactions) == 0:
			fail = a.noTransactions
		default:
			acct.Busy = busyRefresh
			n = a.s.refreshCount(u.Key(t.ClientID, m.ID, "refresh"))
		}
	})
	if fail != nil {
		c.Fail(fail)
		return
	}
	a.s.later(a.s.cfg.AsyncDelay, func() { a.s.refreshDone(t, req.ExternalUserID, m, n) })
	c.Success(http.StatusAccepted)
}

// refreshDone adds a refresh's transactions and frees the account.
func (s *Server) refreshDone(t *state.Tenant, externalUserID string, m fixtures.Merchant, n int) {
	t.Do(func(d *state.Data) {
		if _, acct, ok := d.Account(externalUserID, m.ID); ok && acct.Busy == busyRefresh {
			acct.Busy = ""
		}
	})
	s.newTransactions(t, externalUserID, m, n)
}

// refreshCount is how many new transactions a refresh finds: 1 to 3,
// derived from the seed and the generator key, so runs are reproducible.
func (s *Server) refreshCount(key string) int {
	h := fnv.New64a()
	var seed [8]byte
	binary.LittleEndian.PutUint64(seed[:], uint64(s.world.gen.Seed()))
	_, _ = h.Write(seed[:])
	_, _ = h.Write([]byte(key))
	return 1 + int(h.Sum64()%3)
}
