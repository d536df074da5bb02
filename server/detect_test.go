package server_test

import (
	"encoding/base64"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/knotmock/knotmock/server"
	"github.com/knotmock/knotmock/server/servertest"
)

type dtAccount struct {
	Merchant struct {
		ID   int    `json:"id"`
		Name string `json:"name"`
		Logo string `json:"logo"`
	} `json:"merchant"`
	DetectedAt       string  `json:"detected_at"`
	LoginMethod      *string `json:"login_method"`
	AccountCreatedAt *string `json:"account_created_at"`
}

type dtPage struct {
	DetectedAccounts []dtAccount `json:"detected_accounts"`
	NextCursor       *string     `json:"next_cursor"`
	Limit            int         `json:"limit"`
}

func dtDecode(t *testing.T, r servertest.Response) dtPage {
	t.Helper()
	if r.Status != 200 {
		t.Fatalf("%d %s", r.Status, r.Body)
	}
	var p dtPage
	dec := json.NewDecoder(strings.NewReader(r.Body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		t.Fatalf("%v: %s", err, r.Body)
	}
	if p.DetectedAccounts == nil {
		t.Fatalf("detected_accounts is not an array: %s", r.Body)
	}
	return p
}

func dtNames(accts []dtAccount) []string {
	out := []string{}
	for _, a := range accts {
		out = append(out, a.Merchant.Name)
	}
	return out
}

// The six merchants the default seed detects for tenant knotmock_client_id's
// user "d1" on the first run: generated data is reproducible.
var dtFirstRun = []string{"Walgreens", "Mint Mobile", "Target", "PG&E", "Xfinity Internet", "Amazon"}

func TestDetectAccounts(t *testing.T) {
	t.Parallel()
	srv := acctFast(t)
	rec := srv.Record(t)
	acctExpect(t, srv.Post(t, "/detect", `{"external_user_id":"d1","email":"ada.lovelace@gmail.com","phone_number":"+11234567890"}`), 202, acctSuccess)
	ev := rec.Wait("NEW_DETECTED_ACCOUNTS_AVAILABLE", 1, devWait)

	// The webhook names the accounts List Detected Accounts returns.
	all := dtDecode(t, srv.Post(t, "/detected-accounts/list", `{"external_user_id":"d1"}`))
	if all.Limit != 100 || all.NextCursor != nil || len(all.DetectedAccounts) != 6 {
		t.Fatalf("list %+v", all)
	}
	if got := dtNames(all.DetectedAccounts); !reflect.DeepEqual(got, dtFirstRun) {
		t.Errorf("detected %q, want %q", got, dtFirstRun)
	}
	var refs []any
	for i, a := range all.DetectedAccounts {
		if a.LoginMethod != nil || a.AccountCreatedAt != nil {
			t.Errorf("list item %d has sync fields", i)
		}
		if i > 0 && a.DetectedAt > all.DetectedAccounts[i-1].DetectedAt {
			t.Errorf("not newest first: %+v", all.DetectedAccounts)
		}
		acctNormalise(t, `"detected_at":"`+a.DetectedAt+`"`)
		refs = append(refs, map[string]any{"id": float64(a.Merchant.ID), "name": a.Merchant.Name, "logo": a.Merchant.Logo})
	}
	devCheck(t, ev, mustMarshal(t, map[string]any{
		"event": "NEW_DETECTED_ACCOUNTS_AVAILABLE", "external_user_id": "d1", "has_supported_merchants": true,
		"data": map[string]any{"detected_accounts": refs}, "timestamp": "TS",
	}))

	// Pages.
	p1 := dtDecode(t, srv.Post(t, "/detected-accounts/list", `{"external_user_id":"d1","limit":4}`))
	if p1.Limit != 4 || p1.NextCursor == nil || !reflect.DeepEqual(p1.DetectedAccounts, all.DetectedAccounts[:4]) {
		t.Fatalf("page 1 %+v", p1)
	}
	if _, err := base64.RawURLEncoding.DecodeString(*p1.NextCursor); err != nil {
		t.Errorf("cursor %q is not base64url: %v", *p1.NextCursor, err)
	}
	p2 := dtDecode(t, srv.Post(t, "/detected-accounts/list", `{"external_user_id":"d1","limit":4,"cursor":"`+*p1.NextCursor+`"}`))
	if p2.NextCursor != nil || !reflect.DeepEqual(p2.DetectedAccounts, all.DetectedAccounts[4:]) {
		t.Fatalf("page 2 %+v", p2)
	}

	// The older Sync page: same items plus login_method and account_created_at.
	sync := dtDecode(t, srv.Post(t, "/detected_accounts/sync", `{"external_user_id":"d1","limit":5}`))
	if sync.Limit != 5 || sync.NextCursor == nil || len(sync.DetectedAccounts) != 5 {
		t.Fatalf("sync %+v", sync)
	}
	for i, a := range sync.DetectedAccounts {
		if a.LoginMethod == nil || *a.LoginMethod != "" || a.AccountCreatedAt != nil {
			t.Fatalf("sync item %d: %+v", i, a)
		}
		a.LoginMethod = nil
		if !reflect.DeepEqual(a, all.DetectedAccounts[i]) {
			t.Fatalf("sync item %d: %+v", i, a)
		}
	}
	rest := dtDecode(t, srv.Post(t, "/detected_accounts/sync", `{"external_user_id":"d1","cursor":"`+*sync.NextCursor+`"}`))
	if rest.NextCursor != nil || len(rest.DetectedAccounts) != 1 || rest.DetectedAccounts[0].Merchant != all.DetectedAccounts[5].Merchant {
		t.Fatalf("sync page 2 %+v", rest)
	}

	// Search: case-insensitive, each name answered as sent.
	first, last := all.DetectedAccounts[0], all.DetectedAccounts[5]
	body := mustMarshal(t, map[string]any{"external_user_id": "d1", "names": []string{strings.ToUpper(first.Merchant.Name), "johnson & johnson", " " + last.Merchant.Name + " "}})
	acctExpect(t, srv.Post(t, "/detected-accounts/search", body), 200, `[`+
		`{"name":"`+strings.ToUpper(first.Merchant.Name)+`","detected":true,"detected_at":"`+first.DetectedAt+`"},`+
		`{"name":"johnson & johnson","detected":false,"detected_at":null},`+
		`{"name":" `+last.Merchant.Name+` ","detected":true,"detected_at":"`+last.DetectedAt+`"}]`)

	// A second run replaces the accounts with a new batch.
	acctExpect(t, srv.Post(t, "/detect", `{"external_user_id":"d1","email":"ada.lovelace@gmail.com"}`), 202, acctSuccess)
	rec.Wait("NEW_DETECTED_ACCOUNTS_AVAILABLE", 2, devWait)
	again := dtDecode(t, srv.Post(t, "/detected-accounts/list", `{"external_user_id":"d1"}`))
	if len(again.DetectedAccounts) != 6 || reflect.DeepEqual(dtNames(again.DetectedAccounts), dtFirstRun) {
		t.Fatalf("second run %v", dtNames(again.DetectedAccounts))
	}
}

func mustMarshal(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestDetectErrors(t *testing.T) {
	t.Parallel()
	srv := acctFast(t)
	acctExpect(t, srv.Post(t, "/detect", `{"external_user_id":"d1","email":"x"}`), 400, invalidField("The email must be a valid email address."))
	acctExpect(t, srv.Post(t, "/detect", `{"email":"ada@example.com"}`), 400, invalidField("The external user id field is required."))
	acctExpect(t, srv.Post(t, "/detect", `{"external_user_id":"d1","email":"ada@example.com","phone_number":"555"}`), 400, invalidField("The phone number format is invalid."))
	acctExpect(t, srv.Post(t, "/detect", `{"external_user_id":"d1","email":"ada@example.com"}`), 202, acctSuccess)

	for _, path := range []string{"/detected-accounts/list", "/detected_accounts/sync"} {
		t.Run(path, func(t *testing.T) {
			acctExpect(t, srv.Post(t, path, `{}`), 400, invalidField("The external user id field is required."))
			acctExpect(t, srv.Post(t, path, `{"external_user_id":"nobody"}`), 400, acctUserNotFound())
			bad := errBody("INVALID_REQUEST", "INVALID_CURSOR_FORMAT", "The cursor format is invalid.")
			for _, cursor := range []string{"!!!", "eyJpZCI6MjI3ODEsIl9wb2ludHNUb05leHRJdGVtcyI6dHJ1ZX0", base64.RawURLEncoding.EncodeToString([]byte("detected:0")), base64.RawURLEncoding.EncodeToString([]byte("detected:x"))} {
				acctExpect(t, srv.Post(t, path, `{"external_user_id":"d1","cursor":"`+cursor+`"}`), 400, bad)
			}
			// Cursors are the ones Sync Transactions uses: at the end, an empty
			// page; past it, invalid.
			at := base64.RawURLEncoding.EncodeToString([]byte(`{"id":6,"_pointsToNextItems":true}`))
			acctExpect(t, srv.Post(t, path, `{"external_user_id":"d1","cursor":"`+at+`","limit":2}`), 200, `{"detected_accounts":[],"next_cursor":null,"limit":2}`)
			past := base64.RawURLEncoding.EncodeToString([]byte(`{"id":7,"_pointsToNextItems":true}`))
			acctExpect(t, srv.Post(t, path, `{"external_user_id":"d1","cursor":"`+past+`"}`), 400, bad)
			acctExpect(t, srv.Post(t, path, `{"external_user_id":"d1","limit":0}`), 400, invalidField("The limit must be at least 1."))
		})
	}
	acctExpect(t, srv.Post(t, "/detected-accounts/search", `{"external_user_id":"nobody","names":["Meta"]}`), 400, acctUserNotFound())
	acctExpect(t, srv.Post(t, "/detected-accounts/search", `{"names":["Meta"]}`), 400, invalidField("The external user id field is required."))

	// A known user who never ran Detect has no detected accounts.
	acctLink(t, srv, `{"external_user_id":"linked","merchant_id":45}`)
	acctExpect(t, srv.Post(t, "/detected-accounts/list", `{"external_user_id":"linked"}`), 200, `{"detected_accounts":[],"next_cursor":null,"limit":100}`)
	acctExpect(t, srv.Post(t, "/detected_accounts/sync", `{"external_user_id":"linked","cursor":null}`), 200, `{"detected_accounts":[],"next_cursor":null,"limit":100}`)
	acctExpect(t, srv.Post(t, "/detected-accounts/search", `{"external_user_id":"linked","names":["Walmart"]}`), 200, `[{"name":"Walmart","detected":false,"detected_at":null}]`)
}

// Detect must be enabled for the client.
func TestDetectNotEnabled(t *testing.T) {
	t.Parallel()
	srv := servertest.New(t, server.Config{Clients: []server.Client{{ID: "c1", Secret: "s1", Products: []string{"link", "card_switcher"}}}})
	rec := srv.Record(t)
	want := errBody("INVALID_REQUEST", "NO_ACCESS", "Please contact Knot for access to this endpoint.")
	acctExpect(t, srv.Post(t, "/detect", `{"external_user_id":"d1","email":"ada@example.com"}`), 403, want)
	acctExpect(t, srv.Post(t, "/detected-accounts/list", `{"external_user_id":"d1"}`), 403, want)
	acctExpect(t, srv.Post(t, "/detected_accounts/sync", `{"external_user_id":"d1"}`), 403, want)
	acctExpect(t, srv.Post(t, "/detected-accounts/search", `{"external_user_id":"d1","names":["Meta"]}`), 403, want)
	if n := len(rec.Events()); n != 0 {
		t.Fatalf("%d events", n)
	}
}

// Deleting the user deletes their detected accounts.
func TestDetectUserDeleted(t *testing.T) {
	t.Parallel()
	srv := acctFast(t)
	rec := srv.Record(t)
	acctExpect(t, srv.Post(t, "/detect", `{"external_user_id":"d1","email":"ada@example.com"}`), 202, acctSuccess)
	rec.Wait("NEW_DETECTED_ACCOUNTS_AVAILABLE", 1, devWait)
	acctExpect(t, srv.Post(t, "/user/delete", `{"external_user_id":"d1"}`), 200, acctSuccess)
	acctExpect(t, srv.Post(t, "/detected-accounts/list", `{"external_user_id":"d1"}`), 400, acctUserNotFound())
}
