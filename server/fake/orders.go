package fake

import (
	"time"

	"github.com/brianvoe/gofakeit/v6"
)

// orderPrice builds the price of an order of sub cents: tax, fees, tip and
// discounts by kind of merchant, all in cents.
func (g *Generator) orderPrice(f *gofakeit.Faker, c *txnCtx, k kind, sub Cents, lines []line) Price {
	var adj []Adjustment
	add := func(typ, label string, amount Cents) {
		if amount != 0 {
			adj = append(adj, Adjustment{Type: typ, Label: label, Amount: amount.String()})
		}
	}
	taxBP := c.u.loc.taxBP
	taxLabel := c.u.loc.city + " sales tax"
	if chance(f, 40) {
		taxLabel = "Sales tax"
	}
	switch k {
	case kindGrocery:
		taxBP /= 3 // most groceries are untaxed or taxed at a reduced rate
	case kindRide, kindGaming:
		taxBP = 0
	case kindTravel:
		taxBP, taxLabel = between(f, 1100, 1500), "Occupancy taxes"
		if has(lines[0].it.name, "Round trip", "One way") {
			taxBP, taxLabel = 750, "Taxes & carrier-imposed fees"
		}
	case kindService:
		if billsExtras(c.m.Category) {
			taxBP, taxLabel = between(f, 300, 1400), "Taxes, surcharges & fees"
		}
	}
	add(AdjustmentTax, taxLabel, percentOf(sub, taxBP))

	switch k {
	case kindFood:
		add(AdjustmentFee, "Delivery fee", Cents(pick(f, []int{0, 0, 199, 299, 399, 599})))
		add(AdjustmentFee, "Service fee", max(199, min(percentOf(sub, 1500), 1500)))
		if chance(f, 90) {
			tip := "Courier tip"
			if has(c.mi.lname, "doordash") {
				tip = "Dasher tip"
			}
			add(AdjustmentTip, tip, percentOf(sub, between(f, 1500, 2500)))
		}
	case kindGrocery:
		if has(c.mi.lname, "instacart", "gopuff") {
			add(AdjustmentFee, "Service fee", percentOf(sub, 500))
			add(AdjustmentFee, "Delivery fee", Cents(pick(f, []int{0, 399, 599})))
			if chance(f, 80) {
				add(AdjustmentTip, "Shopper tip", percentOf(sub, between(f, 500, 1500)))
			}
		}
	case kindRide:
		add(AdjustmentFee, "Booking fee", Cents(between(f, 245, 325)))
		if chance(f, 15) {
			add(AdjustmentFee, "Airport surcharge", 500)
		}
		if chance(f, 60) {
			add(AdjustmentTip, "Tip", percentOf(sub, between(f, 1500, 2000)))
		}
	case kindTickets:
		add(AdjustmentFee, "Service fee", percentOf(sub, between(f, 1500, 2500)))
		add(AdjustmentFee, "Fulfillment fee", Cents(between(f, 295, 495)))
	case kindMovies:
		add(AdjustmentFee, "Convenience fee", Cents(between(f, 199, 299)))
	case kindTravel:
		if has(c.mi.lname, "airbnb", "vrbo") {
			add(AdjustmentFee, "Cleaning fee", Cents(between(f, 50, 150)*100))
			add(AdjustmentFee, "Airbnb service fee", percentOf(sub, 1410))
		}
	case kindGeneral, kindApparel, kindBeauty, kindHome, kindPets, kindPharmacy:
		if sub < 3500 && chance(f, 40) {
			add(AdjustmentFee, "Shipping", 599)
		}
	}

	if k == kindService && billsExtras(c.m.Category) && sub >= 2000 && chance(f, 50) {
		add(AdjustmentDiscount, "AutoPay discount", -Cents(pick(f, []int{500, 1000})))
	} else if k != kindService && k != kindRide && chance(f, 12) {
		label := pick(f, []string{"Promo code SAVE10", "Member discount", "Coupon savings", "Summer promo", "First order discount"})
		add(AdjustmentDiscount, label, -percentOf(sub, between(f, 500, 2000)))
	}

	total := sub
	for _, a := range adj {
		total += mustCents(&a.Amount)
	}
	if adj == nil {
		adj = []Adjustment{}
	}
	return Price{SubTotal: sub.String(), Adjustments: adj, Total: total.String(), Currency: "USD"}
}

var walletNames = map[string]string{"AFFIRM": "Affirm", "KLARNA": "Klarna Pay in 4", "PAYPAL": "PayPal",
	"VENMO": "Venmo", "CASH_APP": "Cash App Pay", "AMAZON_PAY": "Amazon Pay"}

// payments pays total with one method, sometimes two.
func (g *Generator) payments(f *gofakeit.Faker, c *txnCtx, k kind, total Cents) []PaymentMethod {
	typ := "CARD"
	r := f.Rand.Intn(100)
	switch {
	case total >= 20000 && (k == kindElectronics || k == kindTravel || k == kindHome || k == kindGeneral) && r < 10:
		typ = pick(f, []string{"AFFIRM", "KLARNA"})
	case k == kindService && r < 25:
		typ = "BANK_ACCOUNT"
	case r < 65:
		typ = "CARD"
	case r < 80:
		typ = "APPLE_PAY"
	case r < 85:
		typ = "GOOGLE_PAY"
	case r < 93:
		typ = "PAYPAL"
	case r < 96 && (k == kindFood || k == kindRide || k == kindRestaurant):
		typ = pick(f, []string{"VENMO", "CASH_APP"})
	case r < 96 && c.mi.lname != "amazon" && k != kindService:
		typ = "AMAZON_PAY"
	}
	var second *PaymentMethod
	if total >= 1500 && typ != "AFFIRM" && typ != "KLARNA" && typ != "BANK_ACCOUNT" && chance(f, 18) {
		amount := Cents(between(f, 100, int(min(total-100, 5000))))
		pm := PaymentMethod{ExternalID: randString(f, lowerAlnum, 14), Type: "GIFT_CARD", TransactionAmount: amount.String()}
		if chance(f, 60) {
			pm.LastFour, pm.Name = Str(randString(f, digits, 4)), c.m.Name+" Gift Card"
		} else {
			pm.Type, pm.Name = "LOYALTY_POINTS", c.m.Name+" Rewards"
		}
		second = &pm
		total -= amount
	}
	pm := PaymentMethod{Type: typ, TransactionAmount: total.String()}
	switch typ {
	case "CARD", "APPLE_PAY", "GOOGLE_PAY":
		cd := pick(f, c.u.wallet)
		pm.ExternalID, pm.Brand, pm.LastFour, pm.Name = cd.externalID, Str(cd.brand), Str(cd.lastFour), cd.name
	case "BANK_ACCOUNT":
		pm.ExternalID, pm.LastFour, pm.Name = randString(f, lowerAlnum, 14), Str(randString(f, digits, 4)), "Checking account"
	default:
		pm.ExternalID = randString(f, lowerAlnum, 14)
		pm.Name = walletNames[typ]
	}
	if second != nil {
		return []PaymentMethod{pm, *second}
	}
	return []PaymentMethod{pm}
}

func orderStatus(f *gofakeit.Faker, k kind, pickup bool, age time.Duration) string {
	days := age.Hours() / 24
	r := f.Rand.Intn(100)
	weighted := func(statuses []string, weights []int) string {
		for i, w := range weights {
			if r < w {
				return statuses[i]
			}
			r -= w
		}
		return statuses[len(statuses)-1]
	}
	switch k {
	case kindFood, kindGrocery:
		if days < 0.05 {
			return StatusOrdered
		}
		if pickup {
			return StatusPickedUp
		}
		return weighted([]string{StatusDelivered, StatusCompleted, StatusCancelled, StatusRefunded}, []int{85, 10, 3, 2})
	case kindRestaurant:
		return weighted([]string{StatusPickedUp, StatusCompleted}, []int{75, 25})
	case kindRide:
		return weighted([]string{StatusCompleted, StatusCancelled}, []int{96, 4})
	case kindService:
		if days < 3 {
			return StatusBilled
		}
		return weighted([]string{StatusCompleted, StatusBilled}, []int{85, 15})
	case kindTravel:
		return weighted([]string{StatusCompleted, StatusCancelled, StatusRefunded}, []int{85, 8, 7})
	case kindGaming, kindTickets, kindMovies, kindFitness:
		return weighted([]string{StatusCompleted, StatusRefunded}, []int{95, 5})
	}
	switch {
	case pickup && days < 1:
		return StatusOrdered
	case pickup:
		return weighted([]string{StatusPickedUp, StatusReturned}, []int{95, 5})
	case days < 1:
		return weighted([]string{StatusOrdered, StatusShipped}, []int{60, 40})
	case days < 5:
		return weighted([]string{StatusShipped, StatusDelivered}, []int{50, 50})
	}
	return weighted([]string{StatusDelivered, StatusReturned, StatusRefunded, StatusCancelled}, []int{88, 4, 4, 4})
}

// refund adds a REFUND adjustment of amount (at most the total), lowers the
// total and takes the amount back from the payment methods, last first.
func refund(t *Transaction, amount Cents, label string) {
	total := mustCents(&t.Price.Total)
	amount = min(amount, total)
	if amount <= 0 {
		return
	}
	t.Price.Adjustments = append(t.Price.Adjustments, Adjustment{Type: AdjustmentRefund, Label: label, Amount: (-amount).String()})
	t.Price.Total = (total - amount).String()
	for i := len(t.PaymentMethods) - 1; i >= 0 && amount > 0; i-- {
		paid := mustCents(&t.PaymentMethods[i].TransactionAmount)
		back := min(paid, amount)
		t.PaymentMethods[i].TransactionAmount = (paid - back).String()
		amount -= back
	}
}

// refundProduct refunds product i with its share of the tax.
func refundProduct(t *Transaction, i int, label string) {
	sub := mustCents(&t.Price.SubTotal)
	p := mustCents(&t.Products[i].Price.Total)
	var tax Cents
	for _, a := range t.Price.Adjustments {
		if a.Type == AdjustmentTax {
			tax += mustCents(&a.Amount)
		}
	}
	refund(t, p+share(tax, p, sub), label)
}

// refundSome refunds the whole order or, for orders of several products,
// sometimes one product.
func refundSome(f *gofakeit.Faker, t *Transaction) {
	if len(t.Products) > 1 && chance(f, 40) {
		refundProduct(t, f.Rand.Intn(len(t.Products)), "Partial refund")
		return
	}
	refund(t, mustCents(&t.Price.Total), "Refund")
}

// CanUpdate reports whether UpdateTransaction moves t to a later state
// (false for final states: REFUNDED, RETURNED, CANCELLED, FAILED, ...).
func CanUpdate(t Transaction) bool {
	switch t.OrderStatus {
	case StatusOrdered, StatusShipped, StatusBilled, StatusDelivered, StatusCompleted, StatusPickedUp:
		return true
	}
	return false
}

// UpdateTransaction returns t in a plausible later state, with the same id:
// ORDERED → SHIPPED (or COMPLETED without shipping; sometimes CANCELLED and
// refunded), SHIPPED → DELIVERED, BILLED → COMPLETED, DELIVERED → RETURNED
// or REFUNDED, COMPLETED/PICKED_UP → REFUNDED. Refunds add a REFUND
// adjustment and lower the total and the payment amounts, so the money
// invariants still hold. Final states come back unchanged (see CanUpdate).
// The result depends on (seed, key, t.ID, t.OrderStatus) only; t is not
// modified.
func (g *Generator) UpdateTransaction(key string, t Transaction, now time.Time) Transaction {
	_ = now // the order's datetime stays; reserved for future time-dependent changes
	u := t
	u.PaymentMethods = append([]PaymentMethod(nil), t.PaymentMethods...)
	u.Price.Adjustments = append([]Adjustment{}, t.Price.Adjustments...)
	u.Products = append([]Product(nil), t.Products...)
	f := g.faker(key, "update:"+t.ID+":"+t.OrderStatus, 0)
	switch t.OrderStatus {
	case StatusOrdered:
		switch {
		case chance(f, 15):
			u.OrderStatus = StatusCancelled
			refund(&u, mustCents(&u.Price.Total), "Order cancelled")
		case u.Shipping == nil:
			u.OrderStatus = StatusCompleted
		default:
			u.OrderStatus = StatusShipped
		}
	case StatusShipped:
		u.OrderStatus = StatusDelivered
	case StatusBilled:
		u.OrderStatus = StatusCompleted
	case StatusDelivered:
		if chance(f, 50) && len(u.Products) > 0 {
			u.OrderStatus = StatusReturned
			refundProduct(&u, f.Rand.Intn(len(u.Products)), "Return refund")
		} else {
			u.OrderStatus = StatusRefunded
			refundSome(f, &u)
		}
	case StatusCompleted, StatusPickedUp:
		u.OrderStatus = StatusRefunded
		refundSome(f, &u)
	}
	return u
}
