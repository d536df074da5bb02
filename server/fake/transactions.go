package fake

import (
	"strings"
	"time"

	"github.com/brianvoe/gofakeit/v6"
)

// DatetimeLayout is Knot's transaction datetime format (always UTC):
// "2024-11-10T00:00:00+00:00".
const DatetimeLayout = "2006-01-02T15:04:05-07:00"

// Knot's order_status values.
const (
	StatusOrdered      = "ORDERED"
	StatusBilled       = "BILLED"
	StatusShipped      = "SHIPPED"
	StatusDelivered    = "DELIVERED"
	StatusReturned     = "RETURNED"
	StatusRefunded     = "REFUNDED"
	StatusCancelled    = "CANCELLED"
	StatusFailed       = "FAILED"
	StatusCompleted    = "COMPLETED"
	StatusPickedUp     = "PICKED_UP"
	StatusUnrecognized = "UNRECOGNIZED"
)

// Knot's price.adjustments[].type values.
const (
	AdjustmentDiscount = "DISCOUNT"
	AdjustmentTax      = "TAX"
	AdjustmentTip      = "TIP"
	AdjustmentFee      = "FEE"
	AdjustmentRefund   = "REFUND"
)

// Enumerations as Knot documents them (§2.8.4).
var (
	OrderStatuses = []string{StatusOrdered, StatusBilled, StatusShipped, StatusDelivered, StatusReturned,
		StatusRefunded, StatusCancelled, StatusFailed, StatusCompleted, StatusPickedUp, StatusUnrecognized}
	PaymentMethodTypes = []string{"CARD", "APPLE_PAY", "GOOGLE_PAY", "AMAZON_PAY", "PAYPAL", "CASH_APP", "VENMO",
		"AFFIRM", "KLARNA", "GIFT_CARD", "CASH", "BANK_ACCOUNT", "LOYALTY_POINTS", "UNRECOGNIZED"}
	AdjustmentTypes = []string{AdjustmentDiscount, AdjustmentTax, AdjustmentTip, AdjustmentFee, AdjustmentRefund, "UNRECOGNIZED"}
	// CardBrands are the brands the generator uses (Knot documents no enum).
	CardBrands = []string{"VISA", "MASTERCARD", "AMEX", "DISCOVER"}
)

// Transaction is Knot's Transaction object. Fields Knot declares nullable
// are pointers where the generator sometimes emits null; the others are
// always filled. Loyalty is always null (Knot has not published its shape).
type Transaction struct {
	ID             string          `json:"id"`
	ExternalID     string          `json:"external_id"`
	Datetime       string          `json:"datetime"`
	URL            string          `json:"url"`
	OrderStatus    string          `json:"order_status"`
	Shipping       *Shipping       `json:"shipping"`
	PaymentMethods []PaymentMethod `json:"payment_methods"`
	Price          Price           `json:"price"`
	Products       []Product       `json:"products"`
	Loyalty        *struct{}       `json:"loyalty"`
}

// Shipping is the recipient and delivery address.
type Shipping struct {
	Location *ShippingLocation `json:"location"`
}

// ShippingLocation is Knot's shipping.location.
type ShippingLocation struct {
	Address   *Address `json:"address"`
	FirstName *string  `json:"first_name"`
	LastName  *string  `json:"last_name"`
}

// PaymentMethod is one payment of a transaction; the amounts of a
// transaction's payment methods add up to its price.total.
type PaymentMethod struct {
	ExternalID        string  `json:"external_id"`
	Type              string  `json:"type"`
	Brand             *string `json:"brand"`
	LastFour          *string `json:"last_four"`
	Name              string  `json:"name"`
	TransactionAmount string  `json:"transaction_amount"`
}

// Price is a transaction's (or a cart's) price: total = sub_total + the sum
// of the adjustments.
type Price struct {
	SubTotal    string       `json:"sub_total"`
	Adjustments []Adjustment `json:"adjustments"`
	Total       string       `json:"total"`
	Currency    string       `json:"currency"`
}

// Adjustment is a tax, discount, tip, fee or refund; negative amounts
// decrease the total.
type Adjustment struct {
	Type   string `json:"type"`
	Label  string `json:"label"`
	Amount string `json:"amount"`
}

// Product is a line of a transaction.
type Product struct {
	ExternalID  string       `json:"external_id"`
	Name        string       `json:"name"`
	Description *string      `json:"description"`
	URL         *string      `json:"url"`
	ImageURL    *string      `json:"image_url"`
	Quantity    int          `json:"quantity"`
	Price       ProductPrice `json:"price"`
	Seller      *Seller      `json:"seller"`
	Eligibility []string     `json:"eligibility"`
}

// ProductPrice: sub_total = unit_price × quantity; total = sub_total.
type ProductPrice struct {
	SubTotal  string `json:"sub_total"`
	Total     string `json:"total"`
	UnitPrice string `json:"unit_price"`
}

// Seller is the third party selling a product (null when the merchant is the
// seller).
type Seller struct {
	Name string `json:"name"`
	URL  string `json:"url"`
}

// txnCtx is what every transaction of one Transactions call shares.
type txnCtx struct {
	key     string
	purpose string
	m       Merchant
	mi      merchantInfo
	items   []item
	u       user
	// per-item external id and unit price, computed once per call
	extIDs map[string]string
	prices map[string]Cents
}

// catalogue returns the merchant's external id and unit price of an item.
func (g *Generator) catalogue(c *txnCtx, it item) (string, Cents) {
	ext, ok := c.extIDs[it.name]
	if !ok {
		ext = g.productExternalID(c.m, c.mi, it)
		c.extIDs[it.name] = ext
		c.prices[it.name] = g.unitPrice(c.m, it)
	}
	return ext, c.prices[it.name]
}

func (g *Generator) txnContext(key string, m Merchant, purpose string) *txnCtx {
	mi := info(m)
	return &txnCtx{key: key, purpose: purpose + ":" + itoa(m.ID), m: m, mi: mi, items: mi.items(m.Category), u: g.user(key),
		extIDs: map[string]string{}, prices: map[string]Cents{}}
}

// maxAge is how far back generated transactions go (~18 months).
const maxAge = 548 * 24 * time.Hour

// Transactions returns n transactions of key's account at the merchant,
// dated within the ~18 months before now (never after). Transaction i
// depends only on (seed, key, merchant, i, now), so Transactions(key, m, 5,
// now) is a prefix of Transactions(key, m, 205, now). Callers that need new,
// different transactions later use another key (e.g. append a batch number).
func (g *Generator) Transactions(key string, m Merchant, n int, now time.Time) []Transaction {
	out := make([]Transaction, 0, max(n, 0))
	if n <= 0 {
		return out
	}
	c := g.txnContext(key, m, "transaction")
	for i := 0; i < n; i++ {
		f := g.faker(key, c.purpose, uint64(i))
		at := now.Add(-time.Duration(f.Rand.Int63n(int64(maxAge)))).UTC().Truncate(time.Second)
		out = append(out, g.transaction(f, c, at, now))
	}
	return out
}

// line is a product of an order before formatting.
type line struct {
	it   item
	qty  int
	unit Cents
	ext  string
}

func (l line) total() Cents { return l.unit * Cents(l.qty) }

func (g *Generator) transaction(f *gofakeit.Faker, c *txnCtx, at, now time.Time) Transaction {
	k := c.mi.kind
	var restaurant string
	items := c.items
	if k == kindFood || k == kindRestaurant {
		mn := menuFor(f, c.mi)
		items, restaurant = mn.dishes, pick(f, mn.restaurants)
	}
	lines := g.pickLines(f, c, items, k)
	t := Transaction{ID: f.UUID(), Datetime: at.Format(DatetimeLayout)}
	t.ExternalID = orderExternalID(f, c.mi)
	t.URL = orderURL(c.mi, t.ExternalID)

	pickup := hasShipping(k) && k != kindFood && chance(f, 10)
	if hasShipping(k) && !pickup {
		t.Shipping = g.shipping(f, c)
	}
	seller := g.seller(f, c, k, restaurant)
	t.Products = make([]Product, len(lines))
	var sub Cents
	for i, l := range lines {
		t.Products[i] = g.product(f, c, l, seller, at)
		sub += l.total()
	}
	t.Price = g.orderPrice(f, c, k, sub, lines)
	total := mustCents(&t.Price.Total)
	t.PaymentMethods = g.payments(f, c, k, total)
	t.OrderStatus = orderStatus(f, k, pickup, now.Sub(at))
	switch t.OrderStatus {
	case StatusRefunded:
		refundSome(f, &t)
	case StatusReturned:
		refundProduct(&t, f.Rand.Intn(len(t.Products)), "Return refund")
	case StatusCancelled:
		refund(&t, total, "Order cancelled")
	}
	return t
}

// pickLines chooses distinct items and quantities.
func (g *Generator) pickLines(f *gofakeit.Faker, c *txnCtx, items []item, k kind) []line {
	n := 1
	switch k {
	case kindGrocery:
		n = between(f, 2, 5)
	case kindFood:
		n = between(f, 1, 4)
	case kindRestaurant, kindMovies:
		n = between(f, 1, 3)
	case kindRide, kindTravel, kindFitness, kindTickets:
		n = 1
	case kindService:
		if billsExtras(c.m.Category) && chance(f, 30) {
			n = 2
		}
	case kindGaming:
		if chance(f, 10) {
			n = 2
		}
	default:
		n = pick(f, []int{1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3, 4, 4, 5})
	}
	n = min(n, len(items))
	chosen := make([]int, 0, n)
	for len(chosen) < n {
		i := f.Rand.Intn(len(items))
		dup := false
		for _, j := range chosen {
			dup = dup || i == j
		}
		if !dup {
			chosen = append(chosen, i)
		}
	}
	lines := make([]line, n)
	for i, idx := range chosen {
		it := items[idx]
		ext, unit := g.catalogue(c, it)
		l := line{it: it, qty: 1, unit: unit, ext: ext}
		switch k {
		case kindGrocery:
			l.qty = pick(f, []int{1, 1, 1, 2, 2, 3})
		case kindFood, kindRestaurant:
			l.qty = pick(f, []int{1, 1, 1, 2})
		case kindTravel:
			l.qty = between(f, 1, 5) // nights or passengers
		case kindTickets, kindMovies:
			l.qty = between(f, 1, 4)
		case kindHome:
			if l.unit < 1000 {
				l.qty = between(f, 2, 16)
			}
		case kindGeneral, kindPets, kindApparel, kindBeauty, kindPharmacy:
			if chance(f, 15) {
				l.qty = 2
			}
		}
		lines[i] = l
	}
	return lines
}

// billsExtras reports whether bills of the category carry several lines
// (plan + device payment, service + equipment rental) and autopay discounts.
func billsExtras(category string) bool {
	return strings.EqualFold(category, "Telecom") || strings.EqualFold(category, "Utilities")
}

func hasShipping(k kind) bool {
	switch k {
	case kindGeneral, kindElectronics, kindGrocery, kindFood, kindPets, kindApparel, kindBeauty, kindHome, kindPharmacy:
		return true
	}
	return false
}

func (g *Generator) shipping(f *gofakeit.Faker, c *txnCtx) *Shipping {
	p := c.u.person
	if chance(f, 12) { // a gift or a second address
		other, _ := g.person(f)
		p = other
	}
	addr := p.Address
	return &Shipping{Location: &ShippingLocation{Address: &addr, FirstName: Str(p.FirstName), LastName: Str(p.LastName)}}
}

var instacartStores = []string{"Costco", "Safeway", "Sprouts Farmers Market", "ALDI", "Publix", "Wegmans", "CVS", "Kroger"}

// seller returns the third-party seller of an order's products, or nil.
func (g *Generator) seller(f *gofakeit.Faker, c *txnCtx, k kind, restaurant string) *Seller {
	switch {
	case k == kindFood:
		return &Seller{Name: restaurant, URL: "https://www." + c.mi.domain + "/store/" + slugify(restaurant) + "-" + randString(f, digits, 6)}
	case k == kindGrocery && has(c.mi.lname, "instacart"):
		store := pick(f, instacartStores)
		return &Seller{Name: store, URL: "https://www.instacart.com/store/" + slugify(store)}
	case has(c.mi.lname, "ebay", "etsy", "shop pay", "temu") || (has(c.mi.lname, "amazon", "walmart") && chance(f, 25)):
		name := f.Company()
		return &Seller{Name: name, URL: "https://www." + c.mi.domain + "/shop/" + slugify(name)}
	}
	return nil
}

func (g *Generator) product(f *gofakeit.Faker, c *txnCtx, l line, seller *Seller, at time.Time) Product {
	name := l.it.title(c.m.Name)
	p := Product{
		ExternalID:  l.ext,
		Name:        name,
		Quantity:    l.qty,
		Seller:      seller,
		Eligibility: []string{},
		Price:       ProductPrice{SubTotal: l.total().String(), Total: l.total().String(), UnitPrice: l.unit.String()},
	}
	if l.it.fsa {
		p.Eligibility = []string{"FSA/HSA"}
	}
	k := c.mi.kind
	switch k {
	case kindService, kindFitness:
		end := at.AddDate(0, 1, -1)
		p.Description = Str("Service period " + at.Format("Jan 2, 2006") + " - " + end.Format("Jan 2, 2006"))
	case kindRide:
		p.Description = Str("Trip from " + street(f) + " to " + street(f) + ", " + c.u.loc.city)
	case kindTravel:
		unit := " night"
		if has(strings.ToLower(name), "round trip", "one way", "bag", "seat") {
			unit = " traveler"
		}
		if l.qty != 1 {
			unit += "s"
		}
		p.Description = Str("Booked " + at.Format("Jan 2, 2006") + " · " + itoa(l.qty) + unit)
	case kindFood, kindRestaurant:
		if chance(f, 50) {
			p.Description = Str(name + ", made to order.")
		}
		if k == kindFood && chance(f, 60) {
			p.ImageURL = Str("https://storage.googleapis.com/txn-product-images/" + c.mi.slug + "/" + randString(f, digits, 11) + ".jpg")
		}
	default:
		p.Description = description(f, k, name)
		p.URL = Str(productURL(c.mi, l.ext))
		p.ImageURL = Str("https://storage.googleapis.com/txn-product-images/" + c.mi.slug + "/" + randString(f, digits, 11) + ".jpg")
	}
	return p
}
