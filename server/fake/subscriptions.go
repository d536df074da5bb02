package fake

import (
	"time"
)

// Knot's subscription status and billing_cycle values (§2.10.1).
var (
	SubscriptionStatuses = []string{"ACTIVE", "ACTIVE_CANCELLATION", "ACTIVE_PLAN_CHANGE", "PENDING", "PAUSED",
		"CANCELLED", "SUSPENDED", "UNRECOGNIZED"}
	BillingCycles = []string{"MONTHLY", "WEEKLY", "BIWEEKLY", "ANNUALLY", "DAILY", "UNRECOGNIZED"}
)

// Subscription is Knot's Subscription object. Dates are midnight UTC in
// DatetimeLayout, or null.
type Subscription struct {
	ID                 string            `json:"id"`
	ExternalID         string            `json:"external_id"`
	Name               string            `json:"name"`
	Description        *string           `json:"description"`
	Merchant           MerchantRef       `json:"merchant"`
	Status             string            `json:"status"`
	BillingCycle       string            `json:"billing_cycle"`
	NextBillingDate    *string           `json:"next_billing_date"`
	LastBillingDate    *string           `json:"last_billing_date"`
	StartDate          *string           `json:"start_date"`
	NextRenewalDate    *string           `json:"next_renewal_date"`
	ExpirationDate     *string           `json:"expiration_date"`
	CancelInstructions *string           `json:"cancel_instructions"`
	IsPaid             *bool             `json:"is_paid"`
	IsFamilyPlan       *bool             `json:"is_family_plan"`
	IsCancellable      bool              `json:"is_cancellable"`
	Price              SubscriptionPrice `json:"price"`
}

// SubscriptionPrice is a subscription's price per billing cycle.
type SubscriptionPrice struct {
	Total    string `json:"total"`
	Currency string `json:"currency"`
}

// AddCycle returns t plus n billing cycles (unknown cycles count as
// MONTHLY).
func AddCycle(t time.Time, cycle string, n int) time.Time {
	switch cycle {
	case "DAILY":
		return t.AddDate(0, 0, n)
	case "WEEKLY":
		return t.AddDate(0, 0, 7*n)
	case "BIWEEKLY":
		return t.AddDate(0, 0, 14*n)
	case "ANNUALLY":
		return t.AddDate(n, 0, 0)
	}
	return t.AddDate(0, n, 0)
}

// Subscriptions returns key's subscriptions at the merchant: one, sometimes
// two or three distinct plans. Mostly ACTIVE; start_date ≤ last_billing_date
// ≤ now < next_billing_date = last_billing_date + one cycle. An
// ACTIVE_CANCELLATION subscription has no next billing date and expires at
// the end of the paid period; a PAUSED one has no next billing date. With no
// plans, a generic "<merchant> Premium" plan at 9.99 a month is used.
func (g *Generator) Subscriptions(key string, m Merchant, plans []Plan, now time.Time) []Subscription {
	if len(plans) == 0 {
		plans = []Plan{{Name: m.Name + " Premium", BillingCycle: "MONTHLY", Price: "9.99",
			CancelInstructions: "You can cancel your subscription at any time from your account settings."}}
	}
	purpose := "subscription:" + itoa(m.ID)
	f := g.faker(key, purpose, 0)
	n := 1
	if len(plans) >= 2 && chance(f, 20) {
		n = 2
		if len(plans) >= 3 && chance(f, 25) {
			n = 3
		}
	}
	order := f.Rand.Perm(len(plans))[:n]
	out := make([]Subscription, n)
	for i, idx := range order {
		out[i] = g.subscription(key, purpose, i, m, plans[idx], now)
	}
	return out
}

func (g *Generator) subscription(key, purpose string, i int, m Merchant, p Plan, now time.Time) Subscription {
	f := g.faker(key, purpose, uint64(i+1))
	now = now.UTC()
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	var daysAgo int
	switch p.BillingCycle {
	case "DAILY":
		daysAgo = between(f, 2, 60)
	case "WEEKLY", "BIWEEKLY":
		daysAgo = between(f, 15, 400)
	case "ANNUALLY":
		daysAgo = between(f, 30, 1500)
	default:
		daysAgo = between(f, 35, 1100)
	}
	start := today.AddDate(0, 0, -daysAgo)
	if p.BillingCycle != "DAILY" && p.BillingCycle != "WEEKLY" && p.BillingCycle != "BIWEEKLY" {
		// Bill on days 1-28 so that adding months never overflows.
		start = time.Date(start.Year(), start.Month(), between(f, 1, 28), 0, 0, 0, 0, time.UTC)
		if start.After(today) {
			start = start.AddDate(0, -1, 0)
		}
	}
	k := 0
	for !AddCycle(start, p.BillingCycle, k+1).After(now) {
		k++
	}
	last := AddCycle(start, p.BillingCycle, k)
	next := AddCycle(start, p.BillingCycle, k+1)
	renewal := next
	if p.BillingCycle != "ANNUALLY" {
		y := 1
		for !start.AddDate(y, 0, 0).After(now) {
			y++
		}
		renewal = start.AddDate(y, 0, 0)
	}
	price, err := ParseCents(p.Price)
	if err != nil {
		price = 0
	}
	date := func(t time.Time) *string { return Str(t.Format(DatetimeLayout)) }
	s := Subscription{
		ID:              randString(f, lowerAlnum, 29),
		ExternalID:      randString(f, lowerAlnum, 12),
		Name:            p.Name,
		Merchant:        MerchantRef{ID: m.ID, Name: m.Name},
		Status:          "ACTIVE",
		BillingCycle:    p.BillingCycle,
		NextBillingDate: date(next),
		LastBillingDate: date(last),
		StartDate:       date(start),
		NextRenewalDate: date(renewal),
		IsPaid:          ptr(!chance(f, 3)),
		IsFamilyPlan:    ptr(p.IsFamilyPlan),
		IsCancellable:   chance(f, 92),
		Price:           SubscriptionPrice{Total: price.String(), Currency: "USD"},
	}
	if p.Description != "" {
		s.Description = Str(p.Description)
	}
	if p.CancelInstructions != "" {
		s.CancelInstructions = Str(p.CancelInstructions)
	}
	switch r := f.Rand.Intn(100); {
	case r < 7:
		s.Status = "ACTIVE_CANCELLATION"
		s.NextBillingDate, s.NextRenewalDate, s.ExpirationDate = nil, nil, date(next)
		s.IsCancellable = false
	case r < 12:
		s.Status = "ACTIVE_PLAN_CHANGE"
	case r < 15:
		s.Status = "PAUSED"
		s.NextBillingDate = nil
	}
	return s
}

func ptr[T any](v T) *T { return &v }
