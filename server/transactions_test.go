package server_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/knotmock/knotmock/server"
	"github.com/knotmock/knotmock/server/servertest"
)

const txWait = 5 * time.Second

type txSyncResponse struct {
	Merchant struct {
		ID   int
		Name string
	} `json:"merchant"`
	Transactions []json.RawMessage `json:"transactions"`
	NextCursor   *string           `json:"next_cursor"`
	Limit        int               `json:"limit"`
}

type txSummary struct {
	ID          string `json:"id"`
	OrderStatus string `json:"order_status"`
}

func txIDs(t *testing.T, txs []json.RawMessage) []string {
	t.Helper()
	out := make([]string, len(txs))
	for i, raw := range txs {
		var s txSummary
		if err := json.Unmarshal(raw, &s); err != nil || s.ID == "" {
			t.Fatalf("transaction %d: %v %s", i, err, raw)
		}
		out[i] = s.ID
	}
	return out
}

// txSync calls Sync Transactions and requires a 200.
func txSync(t *testing.T, srv *servertest.Server, body string) txSyncResponse {
	t.Helper()
	r := srv.Post(t, "/transactions/sync", body)
	if r.Status != 200 {
		t.Fatalf("sync %s: %d %s", body, r.Status, r.Body)
	}
	var out txSyncResponse
	if err := json.Unmarshal([]byte(r.Body), &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(r.Body, `"next_cursor":`) || !strings.Contains(r.Body, `"loyalty":null`) && len(out.Transactions) > 0 {
		t.Fatalf("sync body lacks next_cursor or loyalty: %.300s", r.Body)
	}
	return out
}

func txSyncBody(user string, merchant int, cursor *string, limit int) string {
	b := fmt.Sprintf(`{"merchant_id":%d,"external_user_id":%q`, merchant, user)
	if cursor != nil {
		b += fmt.Sprintf(`,"cursor":%q`, *cursor)
	}
	if limit > 0 {
		b += fmt.Sprintf(`,"limit":%d`, limit)
	}
	return b + "}"
}

// txLink links a DoorDash account with transactions through the
// development endpoint and waits for the n-th NEW_TRANSACTIONS_AVAILABLE.
func txLink(t *testing.T, srv *servertest.Server, rec *servertest.Recorder, user string, n int) {
	t.Helper()
	r := srv.Post(t, "/development/accounts/link", `{"external_user_id":"`+user+`","merchant_id":19,"transactions":{"new":true}}`)
	if r.Status != 200 {
		t.Fatalf("dev link: %d %s", r.Status, r.Body)
	}
	rec.Wait("NEW_TRANSACTIONS_AVAILABLE", n, txWait)
}

func txExpect(t *testing.T, r servertest.Response, status int, body string) {
	t.Helper()
	if r.Status != status || r.Body != body {
		t.Fatalf("got %d %s\nwant %d %s", r.Status, r.Body, status, body)
	}
}

var txInvalidCursor = errBody("INVALID_REQUEST", "INVALID_CURSOR_FORMAT", "The cursor format is invalid.")

func txFast(t *testing.T) *servertest.Server {
	return servertest.New(t, server.Config{AsyncDelay: time.Millisecond})
}

// The first sync pages through all 205 transactions; once the last page
// was read, a sync without cursor returns only what arrives later.
func TestSyncTransactionsPagesThenOnlyNew(t *testing.T) {
	srv := txFast(t)
	rec := srv.Record(t)
	txLink(t, srv, rec, "tx-user", 1)

	seen := map[string]bool{}
	var cursor *string
	var cursors []string
	for i, want := range []int{100, 100, 5} {
		page := txSync(t, srv, txSyncBody("tx-user", 19, cursor, 0))
		if len(page.Transactions) != want || page.Limit != 100 || page.Merchant.ID != 19 || page.Merchant.Name != "DoorDash" {
			t.Fatalf("page %d: %d transactions, limit %d, merchant %+v", i, len(page.Transactions), page.Limit, page.Merchant)
		}
		for _, id := range txIDs(t, page.Transactions) {
			if seen[id] {
				t.Fatalf("transaction %s returned twice", id)
			}
			seen[id] = true
		}
		if i < 2 && page.NextCursor == nil || i == 2 && page.NextCursor != nil {
			t.Fatalf("page %d: next_cursor %v", i, page.NextCursor)
		}
		if i == 0 {
			// Until the last page is read, a sync without cursor starts over.
			again := txSync(t, srv, txSyncBody("tx-user", 19, nil, 0))
			if got := txIDs(t, again.Transactions); got[0] != txIDs(t, page.Transactions)[0] || len(got) != 100 {
				t.Fatalf("sync without cursor mid-way did not start over")
			}
		}
		cursor = page.NextCursor
		if cursor != nil {
			cursors = append(cursors, *cursor)
		}
	}
	if len(seen) != 205 {
		t.Fatalf("%d distinct transactions, want 205", len(seen))
	}

	// Nothing new yet.
	for i := 0; i < 2; i++ {
		if page := txSync(t, srv, txSyncBody("tx-user", 19, nil, 0)); len(page.Transactions) != 0 || page.NextCursor != nil {
			t.Fatalf("later sync: %d transactions, next_cursor %v", len(page.Transactions), page.NextCursor)
		}
	}

	// Refresh → NEW_TRANSACTIONS_AVAILABLE → only the new ones.
	txExpect(t, srv.Post(t, "/transactions/refresh", `{"merchant_id":19,"external_user_id":"tx-user"}`), 202, `{"message":"Success"}`)
	ev := rec.Wait("NEW_TRANSACTIONS_AVAILABLE", 2, txWait)
	if ev["external_user_id"] != "tx-user" || ev["merchant"].(map[string]any)["id"] != 19.0 {
		t.Fatalf("NEW_TRANSACTIONS_AVAILABLE %v", ev)
	}
	page := txSync(t, srv, txSyncBody("tx-user", 19, nil, 0))
	n := len(page.Transactions)
	if n < 1 || n > 3 || page.NextCursor != nil {
		t.Fatalf("after refresh: %d transactions (want 1-3), next_cursor %v", n, page.NextCursor)
	}
	for _, id := range txIDs(t, page.Transactions) {
		if seen[id] {
			t.Fatalf("refresh returned old transaction %s", id)
		}
	}
	if page := txSync(t, srv, txSyncBody("tx-user", 19, nil, 0)); len(page.Transactions) != 0 {
		t.Fatalf("second sync after refresh: %d transactions", len(page.Transactions))
	}

	// Cursors handed out stay valid: the second one now also reaches the
	// new transactions.
	if page := txSync(t, srv, txSyncBody("tx-user", 19, &cursors[1], 0)); len(page.Transactions) != 5+n || page.NextCursor != nil {
		t.Fatalf("old cursor: %d transactions, want %d", len(page.Transactions), 5+n)
	}
}

func TestSyncTransactionsLimit(t *testing.T) {
	srv := txFast(t)
	rec := srv.Record(t)
	txLink(t, srv, rec, "u", 1)
	var cursor *string
	total := 0
	for pages := 1; ; pages++ {
		page := txSync(t, srv, txSyncBody("u", 19, cursor, 7))
		if page.Limit != 7 || len(page.Transactions) > 7 {
			t.Fatalf("limit %d, %d transactions", page.Limit, len(page.Transactions))
		}
		total += len(page.Transactions)
		if cursor = page.NextCursor; cursor == nil {
			if total != 205 || pages != 30 {
				t.Fatalf("%d transactions in %d pages", total, pages)
			}
			break
		}
	}
	for _, c := range []struct{ limit, want string }{
		{`0`, invalidField("The limit must be at least 1.")},
		{`101`, invalidField("The limit may not be greater than 100.")},
		{`-5`, invalidField("The limit must be at least 1.")},
		{`"5"`, invalidField("The limit must be an integer.")},
		{`2.5`, invalidField("The limit must be an integer.")},
	} {
		txExpect(t, srv.Post(t, "/transactions/sync", `{"merchant_id":19,"external_user_id":"u","limit":`+c.limit+`}`), 400, c.want)
	}
}

func TestSyncTransactionsInvalidCursor(t *testing.T) {
	srv := txFast(t)
	rec := srv.Record(t)
	txLink(t, srv, rec, "u", 1)
	raw := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	for name, cursor := range map[string]string{
		"garbage":          "not-a-cursor!",
		"past the end":     raw(`{"id":206,"_pointsToNextItems":true}`),
		"Knot's example":   "eyJpZCI6MjI3ODEsIl9wb2ludHNUb05leHRJdGVtcyI6dHJ1ZX0", // id 22781
		"negative":         raw(`{"id":-1,"_pointsToNextItems":true}`),
		"non-JSON base64":  raw("hello world"),
		"no id":            raw(`{"_pointsToNextItems":true}`),
		"empty":            "",
		"fractional":       raw(`{"id":1.5,"_pointsToNextItems":true}`),
		"unknown user too": raw("x"),
	} {
		t.Run(name, func(t *testing.T) {
			body := `{"merchant_id":19,"external_user_id":"u","cursor":"` + cursor + `"}`
			txExpect(t, srv.Post(t, "/transactions/sync", body), 400, txInvalidCursor)
		})
	}
	// A null cursor is no cursor.
	if page := txSync(t, srv, `{"merchant_id":19,"external_user_id":"u","cursor":null}`); len(page.Transactions) != 100 {
		t.Fatalf("null cursor: %d transactions", len(page.Transactions))
	}
	// The end itself is a valid position: an empty last page, after which
	// a sync without cursor has nothing new either.
	end := raw(`{"id":205,"_pointsToNextItems":true}`)
	for _, c := range []*string{&end, nil} {
		if page := txSync(t, srv, txSyncBody("u", 19, c, 0)); len(page.Transactions) != 0 || page.NextCursor != nil {
			t.Fatalf("cursor %v: %d transactions, next %v", c, len(page.Transactions), page.NextCursor)
		}
	}
	txExpect(t, srv.Post(t, "/transactions/sync", `{"merchant_id":19,"external_user_id":"u","cursor":5}`), 400,
		invalidField("The cursor must be a string."))
}

var (
	txUserNotFound    = errBody("USER_ERROR", "USER_NOT_FOUND", "The selected external user id is invalid.")
	txUnknownMerchant = invalidField("The selected merchant id is invalid.")
	txNoAccount       = errBody("MERCHANT_ACCOUNT_ERROR", "MERCHANT_ACCOUNT_NOT_FOUND", "No merchant account was found for this user and merchant.")
	txDisconnected    = errBody("MERCHANT_ACCOUNT_ERROR", "MERCHANT_ACCOUNT_DISCONNECTED", "The merchant account is disconnected. The user must log in again.")
	txNotFound        = errBody("TRANSACTION_ERROR", "TRANSACTION_NOT_FOUND", "The selected transaction id is invalid.")
)

// txAdvanceUntil moves the sandbox clock by an hour until the n-th event
// of that name was published. Timers are registered asynchronously, so a
// step may come too early; after each step it waits up to a second for the
// event before stepping again, so that later timers do not fire with it.
func txAdvanceUntil(t *testing.T, srv *servertest.Server, rec *servertest.Recorder, name string, n int) map[string]any {
	t.Helper()
	count := func() int {
		c := 0
		for _, got := range rec.Names() {
			if got == name {
				c++
			}
		}
		return c
	}
	for step := 0; step < 10; step++ {
		srv.Clock().Advance(time.Hour)
		for wait := time.Now().Add(time.Second); time.Now().Before(wait); time.Sleep(2 * time.Millisecond) {
			if count() >= n {
				return rec.Wait(name, n, txWait)
			}
		}
	}
	t.Fatalf("no %d× %s; events: %v", n, name, rec.Names())
	return nil
}

func TestSyncAndRefreshErrors(t *testing.T) {
	srv := servertest.New(t, server.Config{AsyncDelay: time.Hour}) // the clock decides
	rec := srv.Record(t)
	for _, path := range []string{"/transactions/sync", "/transactions/refresh"} {
		txExpect(t, srv.Post(t, path, `{"merchant_id":19,"external_user_id":"nobody"}`), 400, txUserNotFound)
		txExpect(t, srv.Post(t, path, `{"merchant_id":999999,"external_user_id":"nobody"}`), 400, txUnknownMerchant)
		txExpect(t, srv.Post(t, path, `{"merchant_id":19}`), 400, invalidField("The external user id field is required."))
		txExpect(t, srv.Post(t, path, `{"external_user_id":"x"}`), 400, invalidField("The merchant id field is required."))
		txExpect(t, srv.Post(t, path, `{"merchant_id":"19","external_user_id":"x"}`), 400, invalidField("The merchant id must be an integer."))
	}

	if r := srv.Post(t, "/development/accounts/link", `{"external_user_id":"u","merchant_id":19,"transactions":{"new":true}}`); r.Status != 200 {
		t.Fatalf("dev link: %d %s", r.Status, r.Body)
	}
	// Linked, transactions not there yet: sync is empty, refresh is refused.
	if page := txSync(t, srv, txSyncBody("u", 19, nil, 0)); len(page.Transactions) != 0 || page.NextCursor != nil {
		t.Fatalf("before the first transactions: %d, %v", len(page.Transactions), page.NextCursor)
	}
	noTx := errBody("TRANSACTION_ERROR", "NO_TRANSACTIONS", "No transactions are available for this merchant account yet.")
	txExpect(t, srv.Post(t, "/transactions/refresh", `{"merchant_id":19,"external_user_id":"u"}`), 400, noTx)
	txAdvanceUntil(t, srv, rec, "NEW_TRANSACTIONS_AVAILABLE", 1)
	if page := txSync(t, srv, txSyncBody("u", 19, nil, 0)); len(page.Transactions) != 100 {
		t.Fatalf("empty sync moved the watermark: %d transactions", len(page.Transactions))
	}

	// No account at that merchant.
	for _, path := range []string{"/transactions/sync", "/transactions/refresh"} {
		txExpect(t, srv.Post(t, path, `{"merchant_id":45,"external_user_id":"u"}`), 400, txNoAccount)
	}

	// One refresh at a time.
	refresh := `{"merchant_id":19,"external_user_id":"u"}`
	txExpect(t, srv.Post(t, "/transactions/refresh", refresh), 202, `{"message":"Success"}`)
	txExpect(t, srv.Post(t, "/transactions/refresh", refresh), 400,
		errBody("MERCHANT_ACCOUNT_ERROR", "ONGOING_OPERATION", "Cannot perform multiple operations on the same merchant account simultaneously."))
	txAdvanceUntil(t, srv, rec, "NEW_TRANSACTIONS_AVAILABLE", 2)
	txExpect(t, srv.Post(t, "/transactions/refresh", refresh), 202, `{"message":"Success"}`)
	txAdvanceUntil(t, srv, rec, "NEW_TRANSACTIONS_AVAILABLE", 3)

	// Disconnected.
	if r := srv.Post(t, "/development/accounts/disconnect", `{"external_user_id":"u","merchant_id":19}`); r.Status != 200 {
		t.Fatalf("dev disconnect: %d %s", r.Status, r.Body)
	}
	for _, path := range []string{"/transactions/sync", "/transactions/refresh"} {
		txExpect(t, srv.Post(t, path, refresh), 400, txDisconnected)
	}
}

// Get Transaction By ID answers, on both paths, the transaction exactly as
// sync returns it; updated transactions are read in their new state.
func TestGetTransactionByID(t *testing.T) {
	srv := servertest.New(t, server.Config{AsyncDelay: time.Hour})
	rec := srv.Record(t)
	if r := srv.Post(t, "/development/accounts/link", `{"external_user_id":"u","merchant_id":19,"transactions":{"new":true,"updated":true}}`); r.Status != 200 {
		t.Fatalf("dev link: %d %s", r.Status, r.Body)
	}
	txAdvanceUntil(t, srv, rec, "NEW_TRANSACTIONS_AVAILABLE", 1)
	before := map[string]string{} // id → JSON before the update
	var cursor *string
	for {
		page := txSync(t, srv, txSyncBody("u", 19, cursor, 100))
		for i, id := range txIDs(t, page.Transactions) {
			before[id] = string(page.Transactions[i])
		}
		if cursor = page.NextCursor; cursor == nil {
			break
		}
	}
	for id, js := range before {
		for _, path := range []string{"/transactions/", "/transactions/get/"} {
			txExpect(t, srv.Get(t, path+id), 200, js)
		}
	}
	for _, path := range []string{"/transactions/", "/transactions/get/"} {
		txExpect(t, srv.Get(t, path+"13da3c28-a068-4642-9ce2-b730cfda5f5f"), 400, txNotFound)
	}

	ev := txAdvanceUntil(t, srv, rec, "UPDATED_TRANSACTIONS_AVAILABLE", 1)
	updated, _ := ev["updated"].([]any)
	if len(updated) != 3 {
		t.Fatalf("updated: %v", ev["updated"])
	}
	for _, u := range updated {
		id := u.(map[string]any)["id"].(string)
		var old, now txSummary
		_ = json.Unmarshal([]byte(before[id]), &old)
		for _, path := range []string{"/transactions/", "/transactions/get/"} {
			r := srv.Get(t, path+id)
			if r.Status != 200 || json.Unmarshal([]byte(r.Body), &now) != nil || now.ID != id {
				t.Fatalf("get %s: %d %s", id, r.Status, r.Body)
			}
			if now.OrderStatus == old.OrderStatus || r.Body == before[id] {
				t.Fatalf("transaction %s still %s after its update", id, old.OrderStatus)
			}
		}
	}
}

// Each client sees only its own transactions.
func TestTransactionsTenantIsolation(t *testing.T) {
	srv := servertest.New(t, server.Config{AsyncDelay: time.Millisecond, Clients: []server.Client{
		{ID: "client-a", Secret: "secret-a"}, {ID: "client-b", Secret: "secret-b"},
	}})
	rec := srv.Record(t)
	txLink(t, srv, rec, "shared-user", 1) // as client-a
	page := txSync(t, srv, txSyncBody("shared-user", 19, nil, 1))
	id := txIDs(t, page.Transactions)[0]
	asB := []string{"Authorization", servertest.BasicAuth("client-b", "secret-b")}
	txExpect(t, srv.Post(t, "/transactions/sync", txSyncBody("shared-user", 19, nil, 0), asB...), 400, txUserNotFound)
	txExpect(t, srv.Post(t, "/transactions/refresh", `{"merchant_id":19,"external_user_id":"shared-user"}`, asB...), 400, txUserNotFound)
	txExpect(t, srv.Get(t, "/transactions/"+id, asB...), 400, txNotFound)
	txExpect(t, srv.Get(t, "/transactions/get/"+id, asB...), 400, txNotFound)
	if r := srv.Get(t, "/transactions/"+id); r.Status != 200 {
		t.Fatalf("client-a cannot read its own transaction: %d %s", r.Status, r.Body)
	}
}

// Regression: the by-id index must forget what Unlink and Delete User remove.
func TestTransactionsGoneAfterUnlinkAndDelete(t *testing.T) {
	srv := txFast(t)
	rec := srv.Record(t)
	notFound := `{"error_type":"TRANSACTION_ERROR","error_code":"TRANSACTION_NOT_FOUND","error_message":"The selected transaction id is invalid."}`
	for i, remove := range []struct{ user, path string }{
		{"gone_unlink", "/accounts/unlink"},
		{"gone_delete", "/user/delete"},
	} {
		txLink(t, srv, rec, remove.user, i+1)
		ids := txIDs(t, txSync(t, srv, txSyncBody(remove.user, 19, nil, 1)).Transactions)
		if r := srv.Get(t, "/transactions/"+ids[0]); r.Status != 200 {
			t.Fatalf("before %s: %d %s", remove.path, r.Status, r.Body)
		}
		body := `{"external_user_id":"` + remove.user + `","merchant_id":19}`
		if r := srv.Post(t, remove.path, body); r.Status != 200 {
			t.Fatalf("%s: %d %s", remove.path, r.Status, r.Body)
		}
		txExpect(t, srv.Get(t, "/transactions/"+ids[0]), 400, notFound)
	}
}
