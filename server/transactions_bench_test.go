package server

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/knotmock/knotmock/server/state"
)

// BenchmarkTransactionsSync205 pages through an account's 205 transactions
// (three calls of limit 100: 100, 100, 5) through the whole stack: routing,
// Basic auth, validation against the document, the handler, the tenant's
// state and JSON encoding. One op is the three calls.
func BenchmarkTransactionsSync205(b *testing.B) {
	s, err := New(Config{})
	if err != nil {
		b.Fatal(err)
	}
	const user = "bench-user"
	m, _ := s.world.merchants.ByID(19) // DoorDash
	tenant := s.store.Tenant(DefaultClientID)
	tenant.Do(func(d *state.Data) { d.Link(user, m.ID, nil, s.clock.Now()) })
	s.newTransactions(tenant, user, m, 205) // Knot's development figure

	h := s.Handler()
	auth := "Basic " + base64.StdEncoding.EncodeToString([]byte(DefaultClientID+":"+DefaultSecret))
	first := `{"merchant_id":19,"external_user_id":"` + user + `","limit":100}`
	call := func(body string) (next *string, n int) {
		req := httptest.NewRequest(http.MethodPost, "/transactions/sync", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", auth)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("%d %s", w.Code, w.Body)
		}
		var resp struct {
			Transactions []struct{} `json:"transactions"`
			NextCursor   *string    `json:"next_cursor"`
		}
		if err := json.Unmarshal(w.Body.Bytes(), &resp); err != nil {
			b.Fatal(err)
		}
		return resp.NextCursor, len(resp.Transactions)
	}
	page := func(cursor string) string {
		return `{"merchant_id":19,"external_user_id":"` + user + `","limit":100,"cursor":"` + cursor + `"}`
	}

	// Check once what one op does, then time it without decoding.
	c1, n1 := call(first)
	c2, n2 := call(page(*c1))
	c3, n3 := call(page(*c2))
	if n1 != 100 || n2 != 100 || n3 != 5 || c3 != nil {
		b.Fatalf("pages of %d, %d, %d, last cursor %v", n1, n2, n3, c3)
	}
	bodies := []string{first, page(*c1), page(*c2)}
	rewind := func() { tenant.Do(func(d *state.Data) { d.Users[user].Accounts[m.ID].SyncedTo = 0 }) }

	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		rewind() // the first call starts from the watermark, as a client's first sync does
		for _, body := range bodies {
			req := httptest.NewRequest(http.MethodPost, "/transactions/sync", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", auth)
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != http.StatusOK {
				b.Fatalf("%d %s", w.Code, w.Body)
			}
		}
	}
}
