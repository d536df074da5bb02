package fake

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Knot's fulfillment types (§2.9.3).
const (
	FulfillmentUnscheduled = "UNSCHEDULED_DELIVERY"
	FulfillmentScheduled   = "SCHEDULED_DELIVERY"
)

// FulfillmentTypes lists Knot's fulfillment types.
var FulfillmentTypes = []string{FulfillmentUnscheduled, FulfillmentScheduled}

// AvailabilityLayout is the format of availabilityStart/End.
const AvailabilityLayout = "2006-01-02T15:04:05Z07:00"

// ErrFulfillmentNotFound is returned (wrapped, naming the product) by
// CartItems for a fulfillment id that is not among the product's options.
var ErrFulfillmentNotFound = errors.New("fake: fulfillment not found")

// CartItem is a product of a Sync Cart request; FulfillmentID is empty to
// take the default option.
type CartItem struct {
	ExternalID    string
	FulfillmentID string
}

// DeliveryLocation is a cart's delivery location.
type DeliveryLocation struct {
	Address     Address `json:"address"`
	FirstName   *string `json:"first_name"`
	LastName    *string `json:"last_name"`
	PhoneNumber *string `json:"phone_number"`
}

// Cart is SYNC_CART_SUCCEEDED's data.cart: total = sub_total + the sum of
// the adjustments + the price of each product's selected fulfillment.
type Cart struct {
	Products         []CartProduct     `json:"products"`
	DeliveryLocation *DeliveryLocation `json:"delivery_location"`
	Price            Price             `json:"price"`
}

// CartProduct is a product in a cart with its selected fulfillment.
type CartProduct struct {
	ExternalID  string          `json:"external_id"`
	Fulfillment CartFulfillment `json:"fulfillment"`
}

// CartFulfillment is the selected fulfillment and the alternatives (which
// include the selected one).
type CartFulfillment struct {
	Fulfillment
	Options []Fulfillment `json:"options"`
}

// Fulfillment is a delivery option. Ids are stable for (seed, key, merchant,
// product), so an id from one SYNC_CART_SUCCEEDED selects the option in the
// next Sync Cart.
type Fulfillment struct {
	ID                string           `json:"id"`
	Type              string           `json:"type"`
	Label             string           `json:"label"`
	AvailabilityStart *string          `json:"availabilityStart"`
	AvailabilityEnd   *string          `json:"availabilityEnd"`
	Price             FulfillmentPrice `json:"price"`
}

// FulfillmentPrice is a fulfillment's price.
type FulfillmentPrice struct {
	Total    string `json:"total"`
	Currency string `json:"currency"`
}

// Cart builds the cart for the products (each once, default fulfillment).
// delivery is echoed (null when nil).
func (g *Generator) Cart(key string, m Merchant, productIDs []string, delivery *DeliveryLocation, now time.Time) Cart {
	items := make([]CartItem, len(productIDs))
	for i, id := range productIDs {
		items[i].ExternalID = id
	}
	c, _ := g.CartItems(key, m, items, delivery, now) // no fulfillment ids: cannot fail
	return c
}

// CartItems is Cart with a fulfillment choice per product.
func (g *Generator) CartItems(key string, m Merchant, items []CartItem, delivery *DeliveryLocation, now time.Time) (Cart, error) {
	mi := info(m)
	cart := Cart{Products: make([]CartProduct, 0, len(items)), DeliveryLocation: delivery}
	var sub, delivering Cents
	for _, ci := range items {
		opts := g.fulfillmentOptions(key, m, mi, ci.ExternalID, now)
		sel := opts[0]
		if ci.FulfillmentID != "" {
			found := false
			for _, o := range opts {
				if o.ID == ci.FulfillmentID {
					sel, found = o, true
				}
			}
			if !found {
				return Cart{}, fmt.Errorf("%w: %q for product %q", ErrFulfillmentNotFound, ci.FulfillmentID, ci.ExternalID)
			}
		}
		cart.Products = append(cart.Products, CartProduct{ExternalID: ci.ExternalID, Fulfillment: CartFulfillment{Fulfillment: sel, Options: opts}})
		sub += g.unitPrice(m, g.catalogItem(m, mi, ci.ExternalID))
		delivering += mustCents(&sel.Price.Total)
	}
	region, label := "", "Estimated tax"
	if delivery != nil && delivery.Address.Region != "" {
		region, label = delivery.Address.Region, strings.ToUpper(delivery.Address.Region)+" sales tax"
	} else {
		region = g.user(key).loc.region
	}
	tax := percentOf(sub, taxBPFor(region))
	cart.Price = Price{
		SubTotal:    sub.String(),
		Adjustments: []Adjustment{{Type: AdjustmentTax, Label: label, Amount: tax.String()}},
		Total:       (sub + tax + delivering).String(),
		Currency:    "USD",
	}
	return cart, nil
}

// catalogItem is the product a merchant's external id stands for: the same
// for every user of the generator.
func (g *Generator) catalogItem(m Merchant, mi merchantInfo, externalID string) item {
	f := g.faker(externalID, "catalog:"+itoa(m.ID), 0)
	if mi.kind == kindFood || mi.kind == kindRestaurant {
		return pick(f, menuFor(f, mi).dishes)
	}
	return pick(f, mi.items(m.Category))
}

type fulfillmentSpec struct {
	typ, label string
	price      Cents
	// availability: days from today for unscheduled; hours from now and
	// window length for scheduled.
	days, hours, window int
}

var (
	fastSpecs = []fulfillmentSpec{ // groceries and restaurant delivery
		{FulfillmentScheduled, "Standard delivery", 399, 0, 2, 2},
		{FulfillmentScheduled, "Priority delivery", 599, 0, 1, 1},
		{FulfillmentScheduled, "Schedule ahead", 399, 0, 24, 2},
	}
	shipSpecs = []fulfillmentSpec{ // everything else
		{FulfillmentUnscheduled, "Standard delivery", 0, 5, 0, 0},
		{FulfillmentScheduled, "Express delivery", 799, 0, 20, 4},
		{FulfillmentUnscheduled, "Next-day delivery", 999, 1, 0, 0},
	}
)

func (g *Generator) fulfillmentOptions(key string, m Merchant, mi merchantInfo, externalID string, now time.Time) []Fulfillment {
	specs := shipSpecs
	if mi.kind == kindGrocery || mi.kind == kindFood || mi.kind == kindRestaurant {
		specs = fastSpecs
	}
	now = now.UTC()
	hour := now.Truncate(time.Hour).Add(time.Hour)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	purpose := "fulfillment:" + itoa(m.ID) + ":" + externalID
	opts := make([]Fulfillment, len(specs))
	for i, s := range specs {
		var start, end time.Time
		if s.typ == FulfillmentUnscheduled {
			start = today.AddDate(0, 0, s.days)
			end = start
		} else {
			start = hour.Add(time.Duration(s.hours) * time.Hour)
			end = start.Add(time.Duration(s.window) * time.Hour)
		}
		opts[i] = Fulfillment{
			ID:                hex64(g.hash(key, purpose, uint64(i))),
			Type:              s.typ,
			Label:             s.label,
			AvailabilityStart: Str(start.Format(AvailabilityLayout)),
			AvailabilityEnd:   Str(end.Format(AvailabilityLayout)),
			Price:             FulfillmentPrice{Total: s.price.String(), Currency: "USD"},
		}
	}
	return opts
}

// CheckoutTransactions returns the transactions of a checkout of cart: one,
// sometimes two (the products split between them). Their products are the
// cart's (repeated external ids become one product with a quantity), their
// totals add up to the cart's total, and each selected fulfillment's price
// is a FEE adjustment. Status ORDERED, dated now, shipped to the cart's
// delivery location (or key's home address). An empty cart gives none. Use
// a different key per checkout to get different transaction ids.
func (g *Generator) CheckoutTransactions(key string, m Merchant, cart Cart, now time.Time) []Transaction {
	out := []Transaction{}
	if len(cart.Products) == 0 {
		return out
	}
	c := g.txnContext(key, m, "checkout")
	var digest strings.Builder
	var lines []line
	fulfillments := map[string][]Fulfillment{} // external id → selected fulfillment of each entry
	for _, p := range cart.Products {
		digest.WriteString(p.ExternalID + "/" + p.Fulfillment.ID + ";")
		fulfillments[p.ExternalID] = append(fulfillments[p.ExternalID], p.Fulfillment.Fulfillment)
		merged := false
		for i := range lines {
			if lines[i].ext == p.ExternalID {
				lines[i].qty++
				merged = true
			}
		}
		if !merged {
			it := g.catalogItem(m, c.mi, p.ExternalID)
			lines = append(lines, line{it: it, qty: 1, unit: g.unitPrice(m, it), ext: p.ExternalID})
		}
	}
	f := g.faker(key, c.purpose+":"+digest.String(), 0)
	groups := [][]line{lines}
	if len(lines) >= 2 && chance(f, 25) {
		cut := between(f, 1, len(lines)-1)
		groups = [][]line{lines[:cut], lines[cut:]}
	}
	cartSub := mustCents(&cart.Price.SubTotal)
	allocated := make([]Cents, len(cart.Price.Adjustments))
	at := now.UTC().Truncate(time.Second)
	for gi, group := range groups {
		t := Transaction{ID: f.UUID(), Datetime: at.Format(DatetimeLayout), OrderStatus: StatusOrdered}
		t.ExternalID = orderExternalID(f, c.mi)
		t.URL = orderURL(c.mi, t.ExternalID)
		t.Shipping = g.checkoutShipping(c, cart.DeliveryLocation)
		var sub Cents
		feeByLabel := map[string]Cents{}
		var feeLabels []string
		for _, l := range group {
			t.Products = append(t.Products, g.product(f, c, l, nil, at))
			sub += l.total()
			for _, fl := range fulfillments[l.ext] {
				if _, ok := feeByLabel[fl.Label]; !ok {
					feeLabels = append(feeLabels, fl.Label)
				}
				feeByLabel[fl.Label] += mustCents(&fl.Price.Total)
			}
		}
		t.Price = Price{SubTotal: sub.String(), Adjustments: []Adjustment{}, Currency: "USD"}
		total := sub
		for ai, a := range cart.Price.Adjustments {
			amount := mustCents(&a.Amount)
			part := share(amount, sub, cartSub)
			if gi == len(groups)-1 {
				part = amount - allocated[ai]
			}
			allocated[ai] += part
			t.Price.Adjustments = append(t.Price.Adjustments, Adjustment{Type: a.Type, Label: a.Label, Amount: part.String()})
			total += part
		}
		for _, label := range feeLabels {
			if fee := feeByLabel[label]; fee != 0 {
				t.Price.Adjustments = append(t.Price.Adjustments, Adjustment{Type: AdjustmentFee, Label: label, Amount: fee.String()})
				total += fee
			}
		}
		t.Price.Total = total.String()
		cd := pick(f, c.u.wallet)
		t.PaymentMethods = []PaymentMethod{{ExternalID: cd.externalID, Type: "CARD", Brand: Str(cd.brand),
			LastFour: Str(cd.lastFour), Name: cd.name, TransactionAmount: total.String()}}
		out = append(out, t)
	}
	return out
}

func (g *Generator) checkoutShipping(c *txnCtx, d *DeliveryLocation) *Shipping {
	if d == nil {
		p := c.u.person
		addr := p.Address
		return &Shipping{Location: &ShippingLocation{Address: &addr, FirstName: Str(p.FirstName), LastName: Str(p.LastName)}}
	}
	addr := d.Address
	return &Shipping{Location: &ShippingLocation{Address: &addr, FirstName: d.FirstName, LastName: d.LastName}}
}
