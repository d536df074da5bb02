package fake

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// Shared fixtures and invariant checks of the tests.

var testNow = time.Date(2026, 3, 14, 15, 9, 26, 535897932, time.UTC)

var testMerchants = []Merchant{
	{45, "Walmart", "Online shopping", "https://knot.imgix.net/merchants/KBQ5j6cN010PPpwbO7RpKGyDrCpsZ91FRhwnZp5u.png"},
	{44, "Amazon", "Online shopping", ""}, {12, "Target", "Online shopping", ""}, {165, "Costco", "Online shopping", ""},
	{19, "DoorDash", "Food delivery", ""}, {36, "Uber Eats", "Food delivery", ""}, {40, "Instacart", "Groceries", ""},
	{41, "Gopuff", "Groceries", ""}, {10, "Uber", "Transportation", ""}, {1501, "Lyft", "Transportation", ""},
	{1502, "Lime", "Transportation", ""}, {16, "Netflix", "Streaming", ""}, {13, "Spotify", "Music", ""},
	{11, "Verizon", "Telecom", ""}, {90, "Spectrum", "Utilities", ""}, {1901, "PG&E", "Utilities", ""},
	{2101, "GitHub", "Software", ""}, {53, "Airbnb", "Travel", ""}, {2003, "Delta Air Lines", "Travel", ""},
	{2005, "Marriott Bonvoy", "Travel", ""}, {2001, "Expedia", "Travel", ""}, {2201, "Steam", "Gaming", ""},
	{2205, "Roblox", "Gaming", ""}, {84, "Chewy", "Pets", ""}, {2401, "StubHub", "Entertainment", ""},
	{2403, "AMC Theatres", "Entertainment", ""}, {2601, "Peloton", "Fitness", ""}, {2501, "Nike", "Retail", ""},
	{2504, "Sephora", "Retail", ""}, {2502, "The Home Depot", "Retail", ""}, {2506, "CVS Pharmacy", "Retail", ""},
	{7, "Best Buy", "Electronics", ""}, {1305, "Starbucks", "Restaurants", ""}, {1306, "Chipotle", "Restaurants", ""},
	{1204, "eBay", "Online shopping", ""}, {2404, "Audible", "Entertainment", ""}, {9999, "Mystery Shop", "Unheard of", ""},
}

var (
	uuidV4     = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	amountRE   = regexp.MustCompile(`^-?(0|[1-9][0-9]*)\.[0-9]{2}$`)
	fourDigits = regexp.MustCompile(`^[0-9]{4}$`)
	hex64RE    = regexp.MustCompile(`^[0-9a-f]{64}$`)
	subIDRE    = regexp.MustCompile(`^[a-z0-9]{29}$`)
)

func toJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// amount parses a formatted amount, failing the test on anything else.
func amount(t testing.TB, what, s string) Cents {
	t.Helper()
	if !amountRE.MatchString(s) {
		t.Fatalf("%s: %q is not a 2-decimal amount", what, s)
	}
	c, err := ParseCents(s)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return c
}

// checkTransaction fails t when tx breaks one of Knot's field rules or the
// money invariants.
func checkTransaction(t testing.TB, tx Transaction, now time.Time) {
	t.Helper()
	where := "transaction " + tx.ID
	if !uuidV4.MatchString(tx.ID) {
		t.Fatalf("%s: id is not a UUID v4", where)
	}
	if tx.ExternalID == "" || !strings.HasPrefix(tx.URL, "https://") {
		t.Fatalf("%s: external_id %q, url %q", where, tx.ExternalID, tx.URL)
	}
	at, err := time.Parse(DatetimeLayout, tx.Datetime)
	if err != nil || !strings.HasSuffix(tx.Datetime, "+00:00") {
		t.Fatalf("%s: datetime %q: %v", where, tx.Datetime, err)
	}
	if at.After(now) || at.Before(now.AddDate(0, -19, 0)) {
		t.Fatalf("%s: datetime %s not within 19 months before %s", where, at, now)
	}
	if !slices.Contains(OrderStatuses, tx.OrderStatus) || tx.OrderStatus == StatusUnrecognized {
		t.Fatalf("%s: order_status %q", where, tx.OrderStatus)
	}
	if s := tx.Shipping; s != nil {
		if s.Location == nil || s.Location.Address == nil || s.Location.Address.Country != "US" || s.Location.Address.Line1 == "" {
			t.Fatalf("%s: incomplete shipping %+v", where, s)
		}
	}
	// Products: sub_total = unit × quantity = total; their sum is the sub_total.
	if n := len(tx.Products); n < 1 || n > 5 {
		t.Fatalf("%s: %d products", where, n)
	}
	var sum Cents
	for _, p := range tx.Products {
		if p.Name == "" || strings.Contains(p.Name, "%s") || p.ExternalID == "" || p.Quantity < 1 || p.Eligibility == nil {
			t.Fatalf("%s: bad product %+v", where, p)
		}
		for _, e := range p.Eligibility {
			if e != "FSA/HSA" {
				t.Fatalf("%s: eligibility %q", where, e)
			}
		}
		if p.Seller != nil && (p.Seller.Name == "" || p.Seller.URL == "") {
			t.Fatalf("%s: empty seller object", where)
		}
		unit := amount(t, where+" unit_price", p.Price.UnitPrice)
		psub := amount(t, where+" product sub_total", p.Price.SubTotal)
		if psub != unit*Cents(p.Quantity) || amount(t, where+" product total", p.Price.Total) != psub || unit <= 0 {
			t.Fatalf("%s: product %q price %+v × %d inconsistent", where, p.Name, p.Price, p.Quantity)
		}
		sum += psub
	}
	sub := amount(t, where+" sub_total", tx.Price.SubTotal)
	if sub != sum {
		t.Fatalf("%s: sub_total %s != sum of products %s", where, sub, sum)
	}
	// total = sub_total + adjustments, with signs by type.
	total := sub
	if tx.Price.Adjustments == nil {
		t.Fatalf("%s: adjustments is null", where)
	}
	for _, a := range tx.Price.Adjustments {
		v := amount(t, where+" adjustment", a.Amount)
		if !slices.Contains(AdjustmentTypes, a.Type) || a.Type == "UNRECOGNIZED" || a.Label == "" {
			t.Fatalf("%s: adjustment %+v", where, a)
		}
		neg := a.Type == AdjustmentDiscount || a.Type == AdjustmentRefund
		if (neg && v >= 0) || (!neg && v < 0) {
			t.Fatalf("%s: %s adjustment with amount %s", where, a.Type, a.Amount)
		}
		total += v
	}
	if got := amount(t, where+" total", tx.Price.Total); got != total || total < 0 {
		t.Fatalf("%s: total %s, sub_total + adjustments = %s", where, got, total)
	}
	if tx.Price.Currency != "USD" {
		t.Fatalf("%s: currency %q", where, tx.Price.Currency)
	}
	// Payment methods add up to the total.
	if n := len(tx.PaymentMethods); n < 1 || n > 2 {
		t.Fatalf("%s: %d payment methods", where, n)
	}
	var paid Cents
	for _, pm := range tx.PaymentMethods {
		if !slices.Contains(PaymentMethodTypes, pm.Type) || pm.Type == "UNRECOGNIZED" || pm.ExternalID == "" {
			t.Fatalf("%s: payment method %+v", where, pm)
		}
		if pm.Brand != nil && !slices.Contains(CardBrands, *pm.Brand) {
			t.Fatalf("%s: brand %q", where, *pm.Brand)
		}
		if pm.LastFour != nil && !fourDigits.MatchString(*pm.LastFour) {
			t.Fatalf("%s: last_four %q", where, *pm.LastFour)
		}
		if (pm.Type == "CARD" || pm.Type == "APPLE_PAY" || pm.Type == "GOOGLE_PAY") && (pm.Brand == nil || pm.LastFour == nil) {
			t.Fatalf("%s: card without brand or last_four", where)
		}
		v := amount(t, where+" transaction_amount", pm.TransactionAmount)
		if v < 0 {
			t.Fatalf("%s: negative payment", where)
		}
		paid += v
	}
	if paid != total {
		t.Fatalf("%s: payments %s != total %s", where, paid, total)
	}
	js := toJSON(t, tx)
	for _, want := range []string{`"loyalty":null`, `"shipping":`, `"eligibility":[`} {
		if !strings.Contains(js, want) {
			t.Fatalf("%s: JSON lacks %s: %s", where, want, js)
		}
	}
}

func checkCart(t testing.TB, c Cart, delivery *DeliveryLocation) {
	t.Helper()
	total := amount(t, "cart sub_total", c.Price.SubTotal)
	for _, a := range c.Price.Adjustments {
		if a.Type != AdjustmentTax {
			t.Fatalf("cart adjustment %+v, want TAX only", a)
		}
		total += amount(t, "cart tax", a.Amount)
	}
	for _, p := range c.Products {
		f := p.Fulfillment
		total += amount(t, "fulfillment price", f.Price.Total)
		found := false
		for _, o := range f.Options {
			found = found || o == f.Fulfillment
			if !hex64RE.MatchString(o.ID) || !slices.Contains(FulfillmentTypes, o.Type) || o.Label == "" || o.Price.Currency != "USD" {
				t.Fatalf("bad fulfillment option %+v", o)
			}
			start, err1 := time.Parse(AvailabilityLayout, *o.AvailabilityStart)
			end, err2 := time.Parse(AvailabilityLayout, *o.AvailabilityEnd)
			if err1 != nil || err2 != nil || end.Before(start) || (o.Type == FulfillmentUnscheduled && !end.Equal(start)) {
				t.Fatalf("bad availability %q..%q (%v, %v)", *o.AvailabilityStart, *o.AvailabilityEnd, err1, err2)
			}
		}
		if !found {
			t.Fatalf("selected fulfillment %s not among the options", f.ID)
		}
	}
	if got := amount(t, "cart total", c.Price.Total); got != total {
		t.Fatalf("cart total %s, sub_total + adjustments + fulfillment = %s", got, total)
	}
	if c.Price.Currency != "USD" || c.DeliveryLocation != delivery {
		t.Fatalf("cart currency %q, delivery %v (want %v)", c.Price.Currency, c.DeliveryLocation, delivery)
	}
}
