package fake

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestSubscriptions(t *testing.T) {
	g := New(18)
	statuses := map[string]int{}
	for i := 0; i < 300; i++ {
		cycle := BillingCycles[i%5]
		plans := []Plan{
			{Name: "Disney+, Hulu Bundle Premium", Description: "Ad-free streaming", BillingCycle: cycle, Price: "11.99", CancelInstructions: "Cancel online."},
			{Name: "Family", BillingCycle: cycle, Price: "19.99", IsFamilyPlan: true},
			{Name: "Basic", BillingCycle: cycle, Price: "5.00"},
		}
		m := Merchant{ID: 18, Name: "Hulu", Category: "Streaming"}
		now := testNow.AddDate(0, 0, i) // different days of the month
		subs := g.Subscriptions(fmt.Sprintf("c/u%d/18", i), m, plans, now)
		if len(subs) < 1 || len(subs) > 3 {
			t.Fatalf("%d subscriptions", len(subs))
		}
		for _, s := range subs {
			statuses[s.Status]++
			if !subIDRE.MatchString(s.ID) || uuidV4.MatchString(s.ID) || s.ExternalID == "" {
				t.Fatalf("subscription id %q / external id %q", s.ID, s.ExternalID)
			}
			if !slices.Contains(SubscriptionStatuses, s.Status) || s.BillingCycle != cycle || s.Merchant != (MerchantRef{ID: 18, Name: "Hulu"}) {
				t.Fatalf("subscription %+v", s)
			}
			plan := plans[slices.IndexFunc(plans, func(p Plan) bool { return p.Name == s.Name })]
			if s.Price.Total != plan.Price || s.Price.Currency != "USD" || *s.IsFamilyPlan != plan.IsFamilyPlan {
				t.Fatalf("subscription %q price %+v, plan %+v", s.Name, s.Price, plan)
			}
			parse := func(p *string) time.Time {
				d, err := time.Parse(DatetimeLayout, *p)
				if err != nil {
					t.Fatal(err)
				}
				return d
			}
			start, last := parse(s.StartDate), parse(s.LastBillingDate)
			if start.After(last) || last.After(now) {
				t.Fatalf("start %s, last billing %s, now %s", start, last, now)
			}
			if s.NextBillingDate != nil {
				next := parse(s.NextBillingDate)
				if !next.After(now) || !next.Equal(AddCycle(last, cycle, 1)) {
					t.Fatalf("%s: last %s, next %s, now %s", cycle, last, next, now)
				}
			} else if s.Status == "ACTIVE" {
				t.Fatal("ACTIVE subscription without a next billing date")
			}
			if s.Status == "ACTIVE_CANCELLATION" && (s.ExpirationDate == nil || !parse(s.ExpirationDate).After(now) || s.IsCancellable) {
				t.Fatalf("ACTIVE_CANCELLATION %+v", s)
			}
			if s.NextRenewalDate != nil && !parse(s.NextRenewalDate).After(now) {
				t.Fatal("next renewal date in the past")
			}
		}
	}
	if statuses["ACTIVE"] < 250 || statuses["ACTIVE_CANCELLATION"] == 0 {
		t.Errorf("statuses %v: want mostly ACTIVE, some ACTIVE_CANCELLATION", statuses)
	}
	if s := g.Subscriptions("k", Merchant{ID: 1, Name: "Acme"}, nil, testNow); len(s) != 1 || s[0].Price.Total != "9.99" {
		t.Errorf("no plans: %+v", s)
	}
}

func TestDetectedAccounts(t *testing.T) {
	g := New(6)
	for i := 0; i < 50; i++ {
		got := g.DetectedAccounts(fmt.Sprintf("c/u%d", i), testMerchants, testNow)
		if len(got) != 6 {
			t.Fatalf("%d detected accounts, want 6", len(got))
		}
		seen := map[int]bool{}
		for _, d := range got {
			at, err := time.Parse(DetectedAtLayout, d.DetectedAt)
			if err != nil || at.After(testNow) || seen[d.Merchant.ID] {
				t.Fatalf("detected account %+v (%v)", d, err)
			}
			seen[d.Merchant.ID] = true
			if !slices.ContainsFunc(testMerchants, func(m Merchant) bool { return m.ID == d.Merchant.ID && m.Name == d.Merchant.Name }) {
				t.Fatalf("detected merchant %+v not in the catalogue", d.Merchant)
			}
		}
	}
	dup := []Merchant{testMerchants[0], testMerchants[0], testMerchants[1]}
	if got := g.DetectedAccounts("k", dup, testNow); len(got) != 2 {
		t.Fatalf("small catalogue: %d accounts, want 2", len(got))
	}
	if !strings.Contains(toJSON(t, g.DetectedAccounts("k", testMerchants[:1], testNow)), `"logo":"https://knot.imgix.net/`) {
		t.Fatal("detected account without its logo")
	}
}

func TestPersonAndAddress(t *testing.T) {
	g := New(4)
	p := g.Person("c/u")
	if p.FirstName == "" || p.LastName == "" || !strings.Contains(p.Email, "@") || len(p.PhoneNumber) != 12 || !strings.HasPrefix(p.PhoneNumber, "+1") {
		t.Fatalf("person %+v", p)
	}
	if a := g.Address("c/u"); toJSON(t, a) != toJSON(t, p.Address) || a.Country != "US" || len(a.PostalCode) != 5 || a.Line1 == "" {
		t.Fatalf("address %+v", a)
	}
}
