package fake

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// everything renders every generator's output for a key as JSON.
func everything(t testing.TB, g *Generator, key string) string {
	m := testMerchants[0]
	txs := g.Transactions(key, m, 20, testNow)
	cart := g.Cart(key, m, []string{"123abc", "3324893784"}, nil, testNow)
	plans := []Plan{{Name: "Premium", BillingCycle: "MONTHLY", Price: "11.99"}, {Name: "Family", BillingCycle: "ANNUALLY", Price: "99.00"}}
	return toJSON(t, []any{
		txs, g.UpdateTransaction(key, txs[0], testNow), cart, g.CheckoutTransactions(key, m, cart, testNow),
		g.Subscriptions(key, m, plans, testNow), g.DetectedAccounts(key, testMerchants, testNow), g.Person(key),
	})
}

func TestSameSeedAndKeyGiveSameData(t *testing.T) {
	a, b := everything(t, New(7), "client/user/45"), everything(t, New(7), "client/user/45")
	if a != b {
		t.Fatal("same seed and key gave different data")
	}
}

func TestDifferentKeyOrSeedGiveDifferentData(t *testing.T) {
	base := everything(t, New(7), "client/user/45")
	if everything(t, New(7), "client/user2/45") == base {
		t.Fatal("different keys gave the same data")
	}
	if everything(t, New(8), "client/user/45") == base {
		t.Fatal("different seeds gave the same data")
	}
	g := New(7)
	m := testMerchants[4]
	if toJSON(t, g.Transactions("k", m, 3, testNow)) == toJSON(t, g.Transactions("k", testMerchants[5], 3, testNow)) {
		t.Fatal("different merchants gave the same transactions")
	}
}

// A tenant's data does not depend on what other tenants generate, in which
// order, or concurrently.
func TestOrderAndConcurrencyIndependence(t *testing.T) {
	keys := []string{"a/1/45", "b/1/45", "a/2/45", "c/9/45", "d/d/45", "e/e/45", "f/f/45", "g/g/45"}
	want := map[string]string{}
	for _, k := range keys {
		want[k] = everything(t, New(3), k)
	}
	g := New(3)
	var wg sync.WaitGroup
	var mu sync.Mutex
	got := map[string]string{}
	for i := 0; i < 4; i++ {
		for _, k := range slices.Backward(keys) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				s := everything(t, g, k)
				mu.Lock()
				defer mu.Unlock()
				if prev, ok := got[k]; ok && prev != s {
					t.Errorf("key %s: concurrent calls disagree", k)
				}
				got[k] = s
			}()
		}
	}
	wg.Wait()
	for _, k := range keys {
		if got[k] != want[k] {
			t.Errorf("key %s: data depends on other calls", k)
		}
	}
}

func TestTransactionsArePrefixStable(t *testing.T) {
	g := New(11)
	m := testMerchants[1]
	short, long := g.Transactions("k", m, 5, testNow), g.Transactions("k", m, 205, testNow)
	if len(long) != 205 || toJSON(t, short) != toJSON(t, long[:5]) {
		t.Fatal("Transactions(5) is not a prefix of Transactions(205)")
	}
	if len(g.Transactions("k", m, 0, testNow)) != 0 || g.Transactions("k", m, -1, testNow) == nil {
		t.Fatal("n <= 0 should give an empty, non-nil slice")
	}
}

func TestTransactionInvariants(t *testing.T) {
	g := New(2024)
	ids := map[string]bool{}
	statuses := map[string]int{}
	var withShipping, n int
	for i := 0; n < 1100; i++ {
		m := testMerchants[i%len(testMerchants)]
		for _, tx := range g.Transactions(fmt.Sprintf("client/user-%d/%d", i, m.ID), m, 10, testNow) {
			checkTransaction(t, tx, testNow)
			if ids[tx.ID] {
				t.Fatalf("duplicate transaction id %s", tx.ID)
			}
			ids[tx.ID] = true
			statuses[tx.OrderStatus]++
			if tx.Shipping != nil {
				withShipping++
			}
			n++
		}
	}
	if statuses[StatusCompleted]+statuses[StatusDelivered] < n/2 {
		t.Errorf("statuses %v: want mostly COMPLETED/DELIVERED", statuses)
	}
	for _, s := range []string{StatusReturned, StatusRefunded, StatusCancelled, StatusPickedUp, StatusBilled} {
		if statuses[s] == 0 {
			t.Errorf("no transaction with status %s in %d: %v", s, n, statuses)
		}
	}
	if withShipping < n/5 || withShipping > n*9/10 {
		t.Errorf("%d of %d transactions have shipping", withShipping, n)
	}
}

func TestProductNamesFitTheMerchant(t *testing.T) {
	g := New(5)
	cases := map[string][]item{"Instacart": groceryItems, "Best Buy": electronicsItems, "Chewy": petItems, "Uber": uberItems}
	for _, m := range testMerchants {
		table, ok := cases[m.Name]
		if !ok {
			continue
		}
		for _, tx := range g.Transactions("k", m, 30, testNow) {
			for _, p := range tx.Products {
				if !slices.ContainsFunc(table, func(it item) bool { return it.title(m.Name) == p.Name }) {
					t.Errorf("%s sold %q", m.Name, p.Name)
				}
			}
		}
	}
	for _, tx := range g.Transactions("k", testMerchants[4], 30, testNow) { // DoorDash: one restaurant per order
		if tx.Products[0].Seller == nil {
			t.Fatal("DoorDash order without a restaurant seller")
		}
		for _, p := range tx.Products {
			if *p.Seller != *tx.Products[0].Seller {
				t.Fatal("DoorDash order from two restaurants")
			}
		}
	}
}

func TestUpdateTransaction(t *testing.T) {
	g := New(99)
	next := map[string][]string{
		StatusOrdered: {StatusShipped, StatusCompleted, StatusCancelled}, StatusShipped: {StatusDelivered},
		StatusBilled: {StatusCompleted}, StatusDelivered: {StatusReturned, StatusRefunded},
		StatusCompleted: {StatusRefunded}, StatusPickedUp: {StatusRefunded},
	}
	updated := 0
	for i, m := range testMerchants {
		for _, tx := range g.Transactions(fmt.Sprintf("u/%d", i), m, 40, testNow) {
			before := toJSON(t, tx)
			for step := 0; step < 6; step++ {
				u := g.UpdateTransaction("u", tx, testNow)
				if toJSON(t, u) != toJSON(t, g.UpdateTransaction("u", tx, testNow)) {
					t.Fatal("UpdateTransaction is not deterministic")
				}
				if step == 0 && toJSON(t, tx) != before {
					t.Fatal("UpdateTransaction modified its argument")
				}
				if u.ID != tx.ID || u.Datetime != tx.Datetime {
					t.Fatal("UpdateTransaction changed the id or datetime")
				}
				checkTransaction(t, u, testNow)
				if !CanUpdate(tx) {
					if toJSON(t, u) != toJSON(t, tx) {
						t.Fatalf("final state %s was changed", tx.OrderStatus)
					}
					break
				}
				if !slices.Contains(next[tx.OrderStatus], u.OrderStatus) {
					t.Fatalf("%s → %s is not a plausible update", tx.OrderStatus, u.OrderStatus)
				}
				if u.OrderStatus == StatusRefunded && !slices.ContainsFunc(u.Price.Adjustments, func(a Adjustment) bool { return a.Type == AdjustmentRefund }) {
					t.Fatal("REFUNDED without a REFUND adjustment")
				}
				updated++
				tx = u
			}
		}
	}
	if updated < 500 {
		t.Fatalf("only %d updates exercised", updated)
	}
}

func TestCartsAndCheckouts(t *testing.T) {
	g := New(31337)
	shops := []Merchant{testMerchants[0], testMerchants[1], testMerchants[4], testMerchants[6], testMerchants[31]}
	two := 0
	for i := 0; i < 200; i++ {
		m := shops[i%len(shops)]
		var ids []string
		for j, n := 0, 1+i%5; j < n; j++ {
			ids = append(ids, fmt.Sprintf("%d", 1000+(i*7+j*13)%40))
		}
		if i%9 == 0 {
			ids = append(ids, ids[0]) // the same product twice
		}
		var delivery *DeliveryLocation
		if i%2 == 0 {
			delivery = &DeliveryLocation{Address: Address{Line1: "123 Main St", Line2: Str("Floor 4"), City: "Los Angeles",
				Region: "CA", PostalCode: "94105", Country: "US"}, FirstName: Str("Ada"), LastName: Str("Lovelace"), PhoneNumber: Str("+11234567890")}
		}
		key := fmt.Sprintf("c/u%d/%d", i, m.ID)
		cart := g.Cart(key, m, ids, delivery, testNow)
		if len(cart.Products) != len(ids) {
			t.Fatalf("cart has %d products, want %d", len(cart.Products), len(ids))
		}
		checkCart(t, cart, delivery)
		// Select the last option of every product: totals still add up.
		items := make([]CartItem, len(ids))
		for j, p := range cart.Products {
			items[j] = CartItem{ExternalID: p.ExternalID, FulfillmentID: p.Fulfillment.Options[len(p.Fulfillment.Options)-1].ID}
		}
		if i%3 == 0 {
			var err error
			if cart, err = g.CartItems(key, m, items, delivery, testNow.Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
			checkCart(t, cart, delivery)
		}
		txs := g.CheckoutTransactions(key+"/checkout", m, cart, testNow)
		if len(txs) < 1 || len(txs) > 2 {
			t.Fatalf("%d checkout transactions", len(txs))
		}
		two += len(txs) - 1
		var total, sub Cents
		qty := 0
		for _, tx := range txs {
			checkTransaction(t, tx, testNow)
			if tx.OrderStatus != StatusOrdered || tx.Shipping == nil {
				t.Fatalf("checkout transaction status %s, shipping %v", tx.OrderStatus, tx.Shipping)
			}
			if delivery != nil && *tx.Shipping.Location.Address != delivery.Address {
				t.Fatal("checkout does not ship to the delivery location")
			}
			total += amount(t, "total", tx.Price.Total)
			sub += amount(t, "sub_total", tx.Price.SubTotal)
			for _, p := range tx.Products {
				qty += p.Quantity
				if !slices.Contains(ids, p.ExternalID) {
					t.Fatalf("checkout product %s not in the cart", p.ExternalID)
				}
			}
		}
		if total != amount(t, "cart total", cart.Price.Total) || sub != amount(t, "cart sub_total", cart.Price.SubTotal) || qty != len(ids) {
			t.Fatalf("checkout totals %s/%s (%d items) do not match cart %s/%s (%d)", total, sub, qty, cart.Price.Total, cart.Price.SubTotal, len(ids))
		}
	}
	if two == 0 {
		t.Error("no checkout produced two transactions")
	}
	if got := g.CheckoutTransactions("k", shops[0], Cart{}, testNow); got == nil || len(got) != 0 {
		t.Error("an empty cart should give no transactions")
	}
}

func TestCartFulfillmentSelection(t *testing.T) {
	g := New(1)
	m := testMerchants[0]
	cart := g.Cart("k", m, []string{"3324893784"}, nil, testNow)
	// Ids survive a later sync (virtual time moved on).
	later := g.Cart("k", m, []string{"3324893784"}, nil, testNow.Add(48*time.Hour))
	if later.Products[0].Fulfillment.Options[1].ID != cart.Products[0].Fulfillment.Options[1].ID {
		t.Fatal("fulfillment ids change with time")
	}
	opt := cart.Products[0].Fulfillment.Options[1]
	got, err := g.CartItems("k", m, []CartItem{{"3324893784", opt.ID}}, nil, testNow)
	if err != nil || toJSON(t, got.Products[0].Fulfillment.Fulfillment) != toJSON(t, opt) {
		t.Fatalf("selecting %s: %v, %+v", opt.ID, err, got.Products[0].Fulfillment.Fulfillment)
	}
	if got.Price.Total == cart.Price.Total {
		t.Fatal("a paid fulfillment did not change the total")
	}
	_, err = g.CartItems("k", m, []CartItem{{"3324893784", "01fdc244-306c-570b-9274-b04910f1f3da"}}, nil, testNow)
	if !errors.Is(err, ErrFulfillmentNotFound) || !strings.Contains(err.Error(), "3324893784") {
		t.Fatalf("unknown fulfillment id: %v", err)
	}
}

func BenchmarkTransactions205(b *testing.B) {
	g := New(1)
	m := testMerchants[0]
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		g.Transactions("client/user/45", m, 205, testNow)
	}
}

// A split checkout gives the last transaction the remainder of each cart
// adjustment, so halves that both round up cannot add a cent.
func TestCheckoutSplitKeepsTheCents(t *testing.T) {
	g := New(77)
	m := testMerchants[0]
	byPrice := map[string]string{}
	var pair []string
	for i := 0; pair == nil && i < 2000; i++ {
		id := fmt.Sprint(i)
		sub := g.Cart("k", m, []string{id}, nil, testNow).Price.SubTotal
		if other, ok := byPrice[sub]; ok {
			pair = []string{other, id}
		}
		byPrice[sub] = id
	}
	if pair == nil {
		t.Fatal("no two products with the same price")
	}
	split := 0
	for i := 0; i < 200; i++ {
		key := fmt.Sprintf("k%d", i)
		cart := g.Cart(key, m, pair, nil, testNow)
		sub := amount(t, "sub", cart.Price.SubTotal)
		cart.Price.Adjustments = []Adjustment{{Type: AdjustmentTax, Label: "Tax", Amount: "0.01"}}
		cart.Price.Total = (sub + 1).String() // standard delivery is free
		txs := g.CheckoutTransactions(key, m, cart, testNow)
		var total Cents
		for _, tx := range txs {
			checkTransaction(t, tx, testNow)
			total += amount(t, "total", tx.Price.Total)
		}
		if total != sub+1 {
			t.Fatalf("%d transactions total %s, cart %s", len(txs), total, cart.Price.Total)
		}
		split += len(txs) - 1
	}
	if split == 0 {
		t.Fatal("no split checkout")
	}
}
