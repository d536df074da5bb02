package server_test

import (
	"encoding/json"
	"reflect"
	"sort"
	"testing"
	"time"

	"github.com/knotmock/knotmock/server"
	"github.com/knotmock/knotmock/server/servertest"
	"github.com/knotmock/knotmock/server/state"
)

const (
	subHuluLogo    = "https://knot.imgix.net/merchants/IsPymzeLltcppaWvV82bhzo0VK3zDJyycFRPX8ih.png"
	subHulu        = 18
	subNetflix     = 16
	subMerchantRef = `{"id":18,"name":"Hulu","logo":"` + subHuluLogo + `"}`
)

var (
	subNotFound = errBody("SUBSCRIPTION_ERROR", "SUBSCRIPTION_NOT_FOUND", "The selected subscription id is invalid.")
	subNoAccess = errBody("INVALID_REQUEST", "NO_ACCESS", "Please contact Knot for access to this endpoint.")
)

type subItem struct {
	ID            string         `json:"id"`
	Merchant      map[string]any `json:"merchant"`
	Status        string         `json:"status"`
	IsCancellable bool           `json:"is_cancellable"`
	NextBilling   *string        `json:"next_billing_date"`
	Expiration    *string        `json:"expiration_date"`
}

type subList struct {
	Subscriptions []json.RawMessage `json:"subscriptions"`
	NextCursor    *string           `json:"next_cursor"`
	Limit         int               `json:"limit"`
}

func subListOK(t *testing.T, srv *servertest.Server, body string) subList {
	t.Helper()
	r := srv.Post(t, "/subscriptions/list", body)
	var out subList
	if r.Status != 200 || json.Unmarshal([]byte(r.Body), &out) != nil {
		t.Fatalf("list %s: %d %s", body, r.Status, r.Body)
	}
	return out
}

func subDecode(t *testing.T, raw []byte) subItem {
	t.Helper()
	var s subItem
	if err := json.Unmarshal(raw, &s); err != nil || s.ID == "" {
		t.Fatalf("subscription: %v %s", err, raw)
	}
	return s
}

// subSetup links Hulu and Netflix accounts with their subscriptions and
// checks NEW_SUBSCRIPTIONS_AVAILABLE for each. It returns the ids per
// merchant.
func subSetup(t *testing.T, srv *servertest.Server, rec *servertest.Recorder, user string) map[int][]string {
	t.Helper()
	out := map[int][]string{}
	for i, m := range []int{subHulu, subNetflix} {
		ids := srv.LinkWithSubscriptionsForTest(t, srv.ClientID, user, m)
		if len(ids) == 0 {
			t.Fatalf("no subscriptions at %d", m)
		}
		ev := rec.Wait("NEW_SUBSCRIPTIONS_AVAILABLE", 2*i+1, txWait)
		var got []string
		for _, ref := range ev["data"].(map[string]any)["subscriptions"].([]any) {
			got = append(got, ref.(map[string]any)["id"].(string))
		}
		if !reflect.DeepEqual(got, ids) || ev["external_user_id"] != user || ev["merchant"].(map[string]any)["id"] != float64(m) {
			t.Fatalf("NEW_SUBSCRIPTIONS_AVAILABLE %v, want ids %v", ev, ids)
		}
		// Discovering again keeps what the user has.
		if again := srv.LinkWithSubscriptionsForTest(t, srv.ClientID, user, m); !reflect.DeepEqual(again, ids) {
			t.Fatalf("second discovery %v, want %v", again, ids)
		}
		rec.Wait("NEW_SUBSCRIPTIONS_AVAILABLE", 2*i+2, txWait)
		out[m] = ids
	}
	return out
}

func TestSubscriptionsListAndGet(t *testing.T) {
	srv := txFast(t)
	rec := srv.Record(t)
	ids := subSetup(t, srv, rec, "sub-user")
	want := append(append([]string(nil), ids[subNetflix]...), ids[subHulu]...) // by merchant id, then id
	sort.Strings(want[:len(ids[subNetflix])])
	sort.Strings(want[len(ids[subNetflix]):])

	all := subListOK(t, srv, `{"external_user_id":"sub-user"}`)
	if all.Limit != 100 || all.NextCursor != nil || len(all.Subscriptions) != len(want) {
		t.Fatalf("list: limit %d, next %v, %d items, want %d", all.Limit, all.NextCursor, len(all.Subscriptions), len(want))
	}
	for i, raw := range all.Subscriptions {
		s := subDecode(t, raw)
		if s.ID != want[i] {
			t.Fatalf("item %d is %s, want %s", i, s.ID, want[i])
		}
		m := s.Merchant
		if m["category"] != "Streaming" || m["logo"] == "" || m["logo"] == nil || len(m) != 4 {
			t.Fatalf("list item merchant %v", m)
		}
		// Get By ID: the same subscription, merchant {id, name} only.
		r := srv.Get(t, "/subscriptions/"+s.ID)
		var got, listed map[string]any
		_ = json.Unmarshal([]byte(r.Body), &got)
		_ = json.Unmarshal(raw, &listed)
		listed["merchant"] = map[string]any{"id": m["id"], "name": m["name"]}
		if r.Status != 200 || !reflect.DeepEqual(got, listed) {
			t.Fatalf("get %s: %d %s\nlisted %v", s.ID, r.Status, r.Body, listed)
		}
	}

	hulu := subListOK(t, srv, `{"external_user_id":"sub-user","merchant_id":18}`)
	if len(hulu.Subscriptions) != len(ids[subHulu]) {
		t.Fatalf("merchant filter: %d items, want %d", len(hulu.Subscriptions), len(ids[subHulu]))
	}
	for _, raw := range hulu.Subscriptions {
		if subDecode(t, raw).Merchant["id"] != 18.0 {
			t.Fatalf("merchant filter let through %s", raw)
		}
	}
	if none := subListOK(t, srv, `{"external_user_id":"sub-user","merchant_id":19}`); len(none.Subscriptions) != 0 || none.NextCursor != nil {
		t.Fatalf("no subscriptions at DoorDash: %+v", none)
	}

	// Paging one at a time visits the same list.
	var paged []string
	cursor := ""
	for {
		body := `{"external_user_id":"sub-user","limit":1`
		if cursor != "" {
			body += `,"cursor":"` + cursor + `"`
		}
		page := subListOK(t, srv, body+"}")
		if page.Limit != 1 || len(page.Subscriptions) != 1 {
			t.Fatalf("page: %+v", page)
		}
		paged = append(paged, subDecode(t, page.Subscriptions[0]).ID)
		if page.NextCursor == nil {
			break
		}
		cursor = *page.NextCursor
	}
	if !reflect.DeepEqual(paged, want) {
		t.Fatalf("paged %v, want %v", paged, want)
	}
}

func TestSubscriptionsListAndGetErrors(t *testing.T) {
	srv := txFast(t)
	rec := srv.Record(t)
	subSetup(t, srv, rec, "u")
	list := func(body string, want string) {
		t.Helper()
		txExpect(t, srv.Post(t, "/subscriptions/list", body), 400, want)
	}
	list(`{"external_user_id":"nobody"}`, txUserNotFound)
	list(`{"external_user_id":"u","merchant_id":999999}`, txUnknownMerchant)
	list(`{}`, invalidField("The external user id field is required."))
	list(`{"external_user_id":"u","cursor":"%%%"}`, txInvalidCursor)
	list(`{"external_user_id":"u","cursor":"eyJpZCI6MjI3ODEsIl9wb2ludHNUb05leHRJdGVtcyI6dHJ1ZX0"}`, txInvalidCursor)
	list(`{"external_user_id":"u","limit":0}`, invalidField("The limit must be at least 1."))
	list(`{"external_user_id":"u","limit":101}`, invalidField("The limit may not be greater than 100."))
	txExpect(t, srv.Get(t, "/subscriptions/ka8sdf0asdfm10as0a0sdfja7ssa8"), 400, subNotFound)
}

// subCancelServer has a Hulu and a Netflix account whose first
// subscriptions are cancellable.
func subCancelServer(t *testing.T, cfg server.Config) (*servertest.Server, *servertest.Recorder, string, string) {
	srv := servertest.New(t, cfg)
	rec := srv.Record(t)
	ids := subSetup(t, srv, rec, "u")
	hulu, netflix := ids[subHulu][0], ids[subNetflix][0]
	srv.DoForTest(srv.ClientID, func(d *state.Data) {
		d.Users["u"].Subscriptions[hulu].IsCancellable = true
		d.Users["u"].Subscriptions[netflix].IsCancellable = true
	})
	return srv, rec, hulu, netflix
}

func TestCancelSubscription(t *testing.T) {
	srv, rec, hulu, _ := subCancelServer(t, server.Config{AsyncDelay: time.Millisecond})
	cancel := `{"external_user_id":"u","merchant_id":18}`
	txExpect(t, srv.Post(t, "/subscriptions/"+hulu+"/cancel", cancel), 202, `{"message":"Success"}`)
	ev := rec.Wait("CANCELLATION_SUCCEEDED", 1, txWait)
	devCheck(t, ev, `{"event":"CANCELLATION_SUCCEEDED","external_user_id":"u","merchant":`+subMerchantRef+
		`,"data":{"subscription_id":"`+hulu+`","metadata":{}},"timestamp":"TS"}`)
	r := srv.Get(t, "/subscriptions/"+hulu)
	s := subDecode(t, []byte(r.Body))
	if s.Status != "CANCELLED" || s.IsCancellable || s.NextBilling != nil || s.Expiration == nil {
		t.Fatalf("after cancellation: %s", r.Body)
	}
	// Cancelling again fails: no longer cancellable.
	txExpect(t, srv.Post(t, "/subscriptions/"+hulu+"/cancel", cancel), 202, `{"message":"Success"}`)
	ev = rec.Wait("CANCELLATION_FAILED", 1, txWait)
	devCheck(t, ev, `{"event":"CANCELLATION_FAILED","external_user_id":"u","merchant":`+subMerchantRef+
		`,"data":{"subscription_id":"`+hulu+`","reason":"subscription is not cancellable","metadata":{}},"timestamp":"TS"}`)
	if r := srv.Get(t, "/subscriptions/"+hulu); subDecode(t, []byte(r.Body)).Status != "CANCELLED" || subOutcomes(rec) != 2 {
		t.Fatalf("after the failed cancellation: %s; events %v", r.Body, rec.Names())
	}
}

func TestCancelSubscriptionErrors(t *testing.T) {
	srv, rec, hulu, netflix := subCancelServer(t, server.Config{AsyncDelay: time.Hour})
	post := func(id, body string) servertest.Response { return srv.Post(t, "/subscriptions/"+id+"/cancel", body) }
	ok := `{"external_user_id":"u","merchant_id":18}`
	txExpect(t, post(hulu, `{"external_user_id":"nobody","merchant_id":18}`), 400, txUserNotFound)
	txExpect(t, post(hulu, `{"external_user_id":"u","merchant_id":999999}`), 400, txUnknownMerchant)
	txExpect(t, post(hulu, `{"merchant_id":18}`), 400, invalidField("The external user id field is required."))
	txExpect(t, post(hulu, `{"external_user_id":"u"}`), 400, invalidField("The merchant id field is required."))
	txExpect(t, post("ka8sdf0asdfm10as0a0sdfja7ssa8", ok), 400, subNotFound)
	txExpect(t, post(netflix, ok), 400, subNotFound) // Netflix's, not Hulu's
	srv.LinkWithSubscriptionsForTest(t, srv.ClientID, "other", subHulu)
	txExpect(t, post(hulu, `{"external_user_id":"other","merchant_id":18}`), 400, subNotFound) // another user's

	// One operation at a time per account.
	txExpect(t, post(hulu, ok), 202, `{"message":"Success"}`)
	txExpect(t, post(hulu, ok), 400,
		errBody("MERCHANT_ACCOUNT_ERROR", "ONGOING_OPERATION", "Cannot perform multiple operations on the same merchant account simultaneously."))
	txAdvanceUntil(t, srv, rec, "CANCELLATION_SUCCEEDED", 1)

	// Netflix: no cancel scope, then disconnected, then unlinked.
	nf := `{"external_user_id":"u","merchant_id":16}`
	srv.DoForTest(srv.ClientID, func(d *state.Data) { d.Users["u"].Accounts[subNetflix].Scopes = nil })
	txExpect(t, post(netflix, nf), 400, txNoAccount)
	srv.DoForTest(srv.ClientID, func(d *state.Data) { d.Users["u"].Accounts[subNetflix].Scopes = []string{"cancel"} })
	if r := srv.Post(t, "/development/accounts/disconnect", nf); r.Status != 200 {
		t.Fatalf("dev disconnect: %d %s", r.Status, r.Body)
	}
	txExpect(t, post(netflix, nf), 400, txDisconnected)
	srv.DoForTest(srv.ClientID, func(d *state.Data) { delete(d.Users["u"].Accounts, subNetflix) })
	txExpect(t, post(netflix, nf), 400, txNoAccount)
	// Only the accepted cancellation had an outcome.
	if n := subOutcomes(rec); n != 1 {
		t.Fatalf("%d cancellation outcomes: %v", n, rec.Names())
	}
}

func subOutcomes(rec *servertest.Recorder) int {
	n := 0
	for _, name := range rec.Names() {
		if name == "CANCELLATION_SUCCEEDED" || name == "CANCELLATION_FAILED" {
			n++
		}
	}
	return n
}

// A client without SubscriptionManager gets the documented 403 on every
// operation; clients do not see each other's subscriptions.
func TestSubscriptionsAccessAndIsolation(t *testing.T) {
	srv := servertest.New(t, server.Config{AsyncDelay: time.Millisecond, Clients: []server.Client{
		{ID: "client-a", Secret: "secret-a"},
		{ID: "client-b", Secret: "secret-b"},
		{ID: "client-c", Secret: "secret-c", Products: []string{"card_switcher", "transaction_link"}},
	}})
	rec := srv.Record(t)
	ids := subSetup(t, srv, rec, "u") // client-a
	id := ids[subHulu][0]
	for _, c := range []struct {
		auth   []string
		status int
		list   string
		get    string
		cancel string
	}{
		{[]string{"Authorization", servertest.BasicAuth("client-b", "secret-b")}, 400, txUserNotFound, subNotFound, txUserNotFound},
		{[]string{"Authorization", servertest.BasicAuth("client-c", "secret-c")}, 403, subNoAccess, subNoAccess, subNoAccess},
	} {
		txExpect(t, srv.Post(t, "/subscriptions/list", `{"external_user_id":"u"}`, c.auth...), c.status, c.list)
		txExpect(t, srv.Get(t, "/subscriptions/"+id, c.auth...), c.status, c.get)
		txExpect(t, srv.Post(t, "/subscriptions/"+id+"/cancel", `{"external_user_id":"u","merchant_id":18}`, c.auth...), c.status, c.cancel)
	}
	if r := srv.Get(t, "/subscriptions/"+id); r.Status != 200 {
		t.Fatalf("client-a: %d %s", r.Status, r.Body)
	}
}
