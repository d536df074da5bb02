package server_test

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/knotmock/knotmock/server"
	"github.com/knotmock/knotmock/server/servertest"
)

const (
	mlGitHub  = `{"id":2101,"name":"GitHub","category":"Software","logo":"https://knot.imgix.net/merchants/NdFAKnmyxC1rvlj7YYhWsSWqEXV7cduIJLsQ2dbp.png"`
	mlGrubhub = `{"id":1301,"name":"Grubhub","category":"Food delivery","logo":"https://knot.imgix.net/merchants/0Eyf2eXfjGkldl36AWMudT8qVWth6iUJ2oKdcj23.png"`
	mlStubHub = `{"id":2401,"name":"StubHub","category":"Entertainment","logo":"https://knot.imgix.net/merchants/nVgUaxayXvedgEK47zRv67XNhwPH84NYqkQ84zs0.png"`
	mlCostco  = `{"id":165,"name":"Costco","category":"Online shopping","logo":"https://knot.imgix.net/merchants/097shZXGqa6tcVy4DHkmLrDzq9qStxuUsNh6AV1i.png"`
)

// mlNames decodes a merchant list into its names, checking every item has
// an id, a category and a logo.
func mlNames(t *testing.T, r servertest.Response) []string {
	t.Helper()
	if r.Status != 200 {
		t.Fatalf("%d %s", r.Status, r.Body)
	}
	var items []struct {
		ID             int
		Name, Category string
		Logo           string
	}
	if err := json.Unmarshal([]byte(r.Body), &items); err != nil {
		t.Fatal(err)
	}
	names := []string{}
	for _, m := range items {
		if m.ID <= 0 || m.Category == "" || m.Logo == "" {
			t.Fatalf("incomplete merchant %+v", m)
		}
		names = append(names, m.Name)
	}
	return names
}

// Both forms of List Merchants answer the same.
func mlBoth(t *testing.T, srv *servertest.Server, body, query string) []servertest.Response {
	return []servertest.Response{srv.Post(t, "/merchant/list", body), srv.Get(t, "/merchant/list?"+query)}
}

func TestMerchantListSearch(t *testing.T) {
	t.Parallel()
	srv := servertest.New(t)
	for _, r := range mlBoth(t, srv, `{"type":"card_switcher","search":"hub"}`, `type=card_switcher&search=hub`) {
		acctExpect(t, r, 200, `[`+mlGitHub+`},`+mlGrubhub+`},`+mlStubHub+`}]`)
	}
	// Case-insensitive; the product filters: GitHub has no TransactionLink.
	for _, r := range mlBoth(t, srv, `{"type":"transaction_link","search":"HUB"}`, `type=transaction_link&search=HUB`) {
		acctExpect(t, r, 200, `[`+mlGrubhub+`},`+mlStubHub+`}]`)
	}
	for _, r := range mlBoth(t, srv, `{"type":"shopping","search":"no such merchant"}`, `type=shopping&search=no+such+merchant`) {
		acctExpect(t, r, 200, `[]`)
	}
	// platform adds min_sdk_version.
	for _, r := range mlBoth(t, srv, `{"type":"shopping","search":"costco","platform":"ios"}`, `type=shopping&search=costco&platform=ios`) {
		acctExpect(t, r, 200, `[`+mlCostco+`,"min_sdk_version":"1.2.0"}]`)
	}
	for _, r := range mlBoth(t, srv, `{"type":"shopping","search":"costco","platform":"android"}`, `type=shopping&search=costco&platform=android`) {
		acctExpect(t, r, 200, `[`+mlCostco+`,"min_sdk_version":"2.1.0"}]`)
	}
}

func TestMerchantListProducts(t *testing.T) {
	t.Parallel()
	srv := servertest.New(t)
	shopping := []string{"Amazon", "Best Buy", "Costco", "DoorDash", "Instacart", "Target", "Walmart"}
	for _, r := range mlBoth(t, srv, `{"type":"shopping"}`, `type=shopping`) {
		if got := mlNames(t, r); !reflect.DeepEqual(got, shopping) {
			t.Fatalf("shopping merchants %v", got)
		}
	}
	counts := map[string]int{"card_switcher": 92, "transaction_link": 53, "subscription_manager": 43, "vault": 14}
	for product, n := range counts {
		names := mlNames(t, srv.Post(t, "/merchant/list", `{"type":"`+product+`"}`))
		if len(names) != n {
			t.Errorf("%s: %d merchants, want %d", product, len(names), n)
		}
		if got := mlNames(t, srv.Get(t, "/merchant/list?type="+product)); !reflect.DeepEqual(got, names) {
			t.Errorf("%s: GET and POST differ", product)
		}
	}
}

func TestMerchantListErrors(t *testing.T) {
	t.Parallel()
	srv := servertest.New(t)
	required, invalid := invalidField("The type field is required."), invalidField("The selected type is invalid.")
	acctExpect(t, srv.Post(t, "/merchant/list", `{"search":"hub"}`), 400, required)
	acctExpect(t, srv.Get(t, "/merchant/list?search=hub"), 400, required)
	acctExpect(t, srv.Post(t, "/merchant/list", `{"type":"link"}`), 400, invalid)
	acctExpect(t, srv.Get(t, "/merchant/list?type=link"), 400, invalid)
}

// The deprecated external_user_id adds the deprecated status.
func TestMerchantListStatus(t *testing.T) {
	t.Parallel()
	srv := acctFast(t)
	acctLink(t, srv, `{"external_user_id":"u1","merchant_id":1301,"transactions":{"new":false}}`)
	acctLink(t, srv, `{"external_user_id":"u1","merchant_id":2401,"transactions":{"new":false}}`)
	acctExpect(t, srv.Post(t, "/development/accounts/disconnect", `{"external_user_id":"u1","merchant_id":2401}`), 200, acctSuccess)
	want := `[` + mlGitHub + `,"status":"not enrolled"},` + mlGrubhub + `,"status":"enrolled"},` + mlStubHub + `,"status":"credentials"}]`
	for _, r := range mlBoth(t, srv, `{"type":"card_switcher","search":"hub","external_user_id":"u1"}`, `type=card_switcher&search=hub&external_user_id=u1`) {
		acctExpect(t, r, 200, want)
	}
	// Another user (or an unknown one) has no accounts.
	acctExpect(t, srv.Post(t, "/merchant/list", `{"type":"card_switcher","search":"hub","external_user_id":"u2"}`), 200,
		`[`+mlGitHub+`,"status":"not enrolled"},`+mlGrubhub+`,"status":"not enrolled"},`+mlStubHub+`,"status":"not enrolled"}]`)
	// The deprecated status filter.
	acctExpect(t, srv.Post(t, "/merchant/list", `{"type":"card_switcher","search":"hub","external_user_id":"u1","status":"enrolled"}`), 200,
		`[`+mlGrubhub+`,"status":"enrolled"}]`)
}

func TestMerchantConnected(t *testing.T) {
	t.Parallel()
	srv := servertest.New(t, server.Config{AsyncDelay: time.Millisecond, CardWindow: 50 * time.Millisecond})
	rec := srv.Record(t)
	acctExpect(t, srv.Post(t, "/merchant/connected", `{}`), 400, invalidField("The session id field is required."))
	acctExpect(t, srv.Post(t, "/merchant/connected", `{"session_id":"915efe72-5136-4652-z91q-d9d48003c102"}`), 400,
		errBody("SESSION_ERROR", "SESSION_NOT_FOUND", "The selected session id is invalid."))

	sess := sessionID(t, srv.Post(t, "/session/create", `{"type":"link","external_user_id":"u1"}`))
	acctExpect(t, srv.Post(t, "/merchant/connected", `{"session_id":"`+sess+`"}`), 200, `[]`)

	acctLink(t, srv, `{"external_user_id":"u1","merchant_id":45}`)                                     // enrolled
	acctLink(t, srv, `{"external_user_id":"u1","merchant_id":18,"card_switcher":true,"card_id":"c1"}`) // CARD_FAILED
	acctLink(t, srv, `{"external_user_id":"u1","merchant_id":19}`)                                     // disconnected
	acctExpect(t, srv.Post(t, "/development/accounts/disconnect", `{"external_user_id":"u1","merchant_id":19}`), 200, acctSuccess)
	acctLink(t, srv, `{"external_user_id":"u2","merchant_id":12}`) // another user
	rec.Wait("CARD_FAILED", 1, devWait)
	acctExpect(t, srv.Post(t, "/merchant/connected", `{"session_id":"`+sess+`"}`), 200, `[`+
		`{"id":19,"name":"DoorDash","logo":"https://knot.imgix.net/merchants/y6WU1josnTA0pkHE37AK1AsjarA7717TZnLiRtTF.png","status":"failed"},`+
		`{"id":18,"name":"Hulu","logo":"https://knot.imgix.net/merchants/IsPymzeLltcppaWvV82bhzo0VK3zDJyycFRPX8ih.png","status":"failed"},`+
		`{"id":45,"name":"Walmart","logo":"https://knot.imgix.net/merchants/KBQ5j6cN010PPpwbO7RpKGyDrCpsZ91FRhwnZp5u.png","status":"enrolled"}]`)
}
