package fake

import (
	"strings"

	"github.com/brianvoe/gofakeit/v6"
)

// kind is what a merchant sells, which decides product names, fees,
// shipping and statuses.
type kind int

const (
	kindGeneral     kind = iota // big-box and marketplace retail
	kindElectronics             // Best Buy
	kindGrocery                 // Instacart, Kroger
	kindFood                    // DoorDash, Uber Eats: restaurant orders delivered
	kindRestaurant              // Starbucks, Chipotle: orders picked up
	kindRide                    // Uber, Lyft, Lime
	kindService                 // streaming, music, telecom, utilities, software: bills
	kindTravel                  // Airbnb, Expedia, airlines
	kindGaming                  // digital games
	kindPets
	kindTickets // StubHub, Ticketmaster
	kindMovies  // AMC
	kindFitness
	kindApparel
	kindBeauty
	kindHome
	kindPharmacy
)

// item is a catalogue entry: a product name ("%s" is replaced by the merchant
// name), a unit price range in cents, and FSA/HSA eligibility.
type item struct {
	name   string
	lo, hi int
	fsa    bool
}

func it(name string, lo, hi int) item  { return item{name: name, lo: lo, hi: hi} }
func hsa(name string, lo, hi int) item { return item{name: name, lo: lo, hi: hi, fsa: true} }

// menu is a restaurant cuisine: restaurants serving it and their dishes.
type menu struct {
	restaurants []string
	dishes      []item
}

type merchantInfo struct {
	kind   kind
	domain string // "doordash.com"
	slug   string // "doordash", for image paths
	lname  string // lower-cased name
}

var domainOverrides = map[string]string{
	"the home depot": "homedepot.com", "the new york times": "nytimes.com", "delta air lines": "delta.com",
	"united airlines": "united.com", "marriott bonvoy": "marriott.com", "shop pay": "shop.app",
	"google keychain": "google.com", "xfinity internet": "xfinity.com", "xfinity mobile": "xfinity.com",
	"cvs pharmacy": "cvs.com", "con edison": "coned.com", "duke energy": "duke-energy.com",
	"microsoft 365": "microsoft.com", "youtube premium": "youtube.com", "google one": "one.google.com",
	"sling tv": "sling.com", "ulta beauty": "ulta.com", "t-mobile": "t-mobile.com", "booking.com": "booking.com",
}

func info(m Merchant) merchantInfo {
	lname := strings.ToLower(m.Name)
	var slug strings.Builder
	for _, r := range lname {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			slug.WriteRune(r)
		case r == '+':
			slug.WriteString("plus")
		}
	}
	mi := merchantInfo{kind: kindOf(lname, m.Category), slug: slug.String(), lname: lname}
	if mi.slug == "" {
		mi.slug = "merchant" + itoa(m.ID)
	}
	mi.domain = domainOverrides[lname]
	if mi.domain == "" {
		mi.domain = mi.slug + ".com"
	}
	return mi
}

func has(s string, subs ...string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

func kindOf(lname, category string) kind {
	switch {
	case has(lname, "best buy", "newegg"):
		return kindElectronics
	case has(lname, "amc "):
		return kindMovies
	case has(lname, "stubhub", "ticketmaster", "seatgeek", "vivid seats"):
		return kindTickets
	case has(lname, "nike", "gap", "macy", "old navy", "h&m", "zara"):
		return kindApparel
	case has(lname, "sephora", "ulta"):
		return kindBeauty
	case has(lname, "home depot", "lowe", "wayfair", "ikea"):
		return kindHome
	case has(lname, "cvs", "walgreens", "rite aid"):
		return kindPharmacy
	}
	switch strings.ToLower(category) {
	case "food delivery":
		return kindFood
	case "restaurants":
		return kindRestaurant
	case "groceries":
		return kindGrocery
	case "transportation":
		return kindRide
	case "streaming", "music", "telecom", "utilities", "software", "entertainment", "news":
		return kindService
	case "travel":
		return kindTravel
	case "gaming":
		return kindGaming
	case "pets":
		return kindPets
	case "fitness":
		return kindFitness
	case "electronics":
		return kindElectronics
	}
	return kindGeneral
}

// items returns the product table of a merchant.
func (mi merchantInfo) items(category string) []item {
	switch mi.kind {
	case kindElectronics:
		return electronicsItems
	case kindGrocery:
		return groceryItems
	case kindRide:
		switch {
		case has(mi.lname, "lyft"):
			return lyftItems
		case has(mi.lname, "lime", "bird"):
			return scooterItems
		}
		return uberItems
	case kindService:
		return serviceItems(mi.lname, category)
	case kindTravel:
		if has(mi.lname, "airline", "delta", "united", "american", "southwest", "jetblue") {
			return flightItems
		}
		if has(mi.lname, "marriott", "hilton", "hyatt") {
			return hotelItems
		}
		if has(mi.lname, "airbnb", "vrbo") {
			return homeStayItems
		}
		return append(hotelItems[:len(hotelItems):len(hotelItems)], homeStayItems...)
	case kindGaming:
		if has(mi.lname, "roblox") {
			return robloxItems
		}
		return gameItems
	case kindPets:
		return petItems
	case kindTickets:
		return ticketItems
	case kindMovies:
		return movieItems
	case kindFitness:
		return fitnessItems
	case kindApparel:
		return apparelItems
	case kindBeauty:
		return beautyItems
	case kindHome:
		return homeItems
	case kindPharmacy:
		return pharmacyItems
	}
	return generalItems
}

func serviceItems(lname, category string) []item {
	switch strings.ToLower(category) {
	case "telecom":
		return telecomItems
	case "utilities":
		if has(lname, "xfinity", "spectrum", "internet", "fios", "cox") {
			return internetItems
		}
		return energyItems
	case "music":
		return musicItems
	case "streaming":
		return streamingItems
	case "software":
		return softwareItems
	}
	return membershipItems
}

// menuFor returns the cuisine a restaurant merchant serves, or a random one
// for delivery platforms.
func menuFor(f *gofakeit.Faker, mi merchantInfo) menu {
	switch {
	case has(mi.lname, "starbucks", "dunkin", "peet"):
		return menus[cuisineCoffee]
	case has(mi.lname, "chipotle", "taco bell", "qdoba"):
		return menus[cuisineMexican]
	case has(mi.lname, "domino", "pizza"):
		return menus[cuisinePizza]
	case mi.kind == kindRestaurant:
		return menus[cuisineBurgers]
	}
	return pick(f, menus)
}

func (it item) title(merchantName string) string {
	if strings.Contains(it.name, "%s") {
		return strings.ReplaceAll(it.name, "%s", merchantName)
	}
	return it.name
}

// unitPrice is the item's price at this merchant: fixed per (seed, merchant,
// item), so the same product costs the same in every order.
func (g *Generator) unitPrice(m Merchant, it item) Cents {
	if it.hi <= it.lo {
		return Cents(it.lo)
	}
	h := g.hash(it.name, "price", uint64(m.ID))
	c := it.lo + int(h%uint64(it.hi-it.lo+1))
	// Prices end in 9 (or 5/0 above $100) the way shops price.
	switch {
	case c >= 10000:
		c = c/500*500 + 499
	case c >= 1000:
		c = c/100*100 + 99
	default:
		c = c/10*10 + 9
	}
	if c > it.hi {
		c = it.hi
	}
	return Cents(c)
}

// productExternalID is the merchant's id for an item: stable per merchant.
func (g *Generator) productExternalID(m Merchant, mi merchantInfo, it item) string {
	r := splitMix{state: g.hash(it.name, "product-id", uint64(m.ID))}
	if mi.lname == "amazon" {
		const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
		b := []byte("B0xxxxxxxx")
		for i := 2; i < len(b); i++ {
			b[i] = alphabet[r.Uint64()%uint64(len(alphabet))]
		}
		return string(b)
	}
	b := make([]byte, 8+r.Uint64()%4)
	b[0] = byte('1' + r.Uint64()%9)
	for i := 1; i < len(b); i++ {
		b[i] = byte('0' + r.Uint64()%10)
	}
	return string(b)
}

var descriptionTemplates = map[kind][]string{
	kindGeneral:     {"%s. Everyday low price.", "%s, shipped in frustration-free packaging.", "%s. Free returns within 30 days."},
	kindElectronics: {"%s. Includes manufacturer's warranty.", "%s, brand new in box.", "%s. Free shipping and 15-day returns."},
	kindGrocery:     {"%s, picked fresh by your shopper.", "%s from your local store.", "%s. Replacement chosen by you if out of stock."},
	kindPets:        {"%s. Autoship eligible.", "%s for happy, healthy pets.", "%s, vet recommended."},
	kindApparel:     {"%s. Machine washable.", "%s in your selected size and color.", "%s. Free returns within 60 days."},
	kindBeauty:      {"%s. Cruelty-free.", "%s, full size.", "%s. Earn points with every purchase."},
	kindHome:        {"%s. Free store pickup available.", "%s, ships to your door.", "%s. Backed by a 1-year warranty."},
	kindPharmacy:    {"%s. Use as directed.", "%s, store brand equivalent available.", "%s. Keep out of reach of children."},
	kindGaming:      {"%s, digital download.", "%s. Redeem on your console or PC.", "%s, delivered to your library."},
	kindTickets:     {"%s. Mobile tickets, delivered before the event.", "%s. Seats together.", "%s. Verified resale tickets."},
	kindMovies:      {"%s. Reserved seating.", "%s, concessions pickup at the counter."},
	kindFitness:     {"%s. Cancel anytime.", "%s, billed to your card on file."},
}

func description(f *gofakeit.Faker, k kind, name string) *string {
	ts, ok := descriptionTemplates[k]
	if !ok {
		return nil
	}
	return Str(strings.Replace(pick(f, ts), "%s", name, 1))
}

func slugify(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

func productURL(mi merchantInfo, ext string) string {
	switch mi.lname {
	case "amazon":
		return "https://www.amazon.com/dp/" + ext
	case "walmart":
		return "https://www.walmart.com/ip/" + ext
	case "target":
		return "https://www.target.com/p/-/A-" + ext
	}
	return "https://www." + mi.domain + "/p/" + ext
}

func orderExternalID(f *gofakeit.Faker, mi merchantInfo) string {
	switch {
	case mi.lname == "amazon":
		return "11" + itoa(between(f, 1, 4)) + "-" + randString(f, digits, 7) + "-" + randString(f, digits, 7)
	case mi.lname == "walmart":
		return "2000" + randString(f, digits, 11)
	case mi.lname == "target":
		return "912" + randString(f, digits, 9)
	case mi.lname == "costco" || mi.lname == "best buy":
		return itoa(between(f, 1, 9)) + randString(f, digits, 9)
	case mi.kind == kindRide:
		return f.UUID()
	}
	return randString(f, lowerAlnum, 12)
}

func orderURL(mi merchantInfo, ext string) string {
	switch {
	case mi.lname == "amazon":
		return "https://www.amazon.com/gp/your-account/order-details?orderID=" + ext
	case mi.lname == "uber":
		return "https://riders.uber.com/trips/" + ext
	}
	return "https://www." + mi.domain + "/orders/" + ext
}
