// Package fake generates knotmock's sandbox data: Knot transactions,
// subscriptions, carts and detected accounts that look real and are
// internally consistent (totals add up to the cent, dates are ordered).
//
// Everything is deterministic. A Generator is made from a seed; each call
// takes a caller-chosen key (e.g. client_id+"/"+external_user_id+"/"+
// merchant_id) and derives its own gofakeit.Faker from an FNV-64a hash of
// (seed, key, purpose, counter). The same seed and the same calls give the
// same data whatever other tenants do in between, and the Generator needs no
// lock: it is immutable and safe for concurrent use. No function reads the
// clock; times come in as parameters.
package fake

import (
	"encoding/binary"
	"math/rand"
	"strconv"
	"strings"

	"github.com/brianvoe/gofakeit/v6"
)

// Generator derives all data from its seed. The zero value is not useful;
// use New.
type Generator struct {
	seed int64
}

// New returns a Generator for the seed.
func New(seed int64) *Generator { return &Generator{seed: seed} }

// Seed returns the generator's seed.
func (g *Generator) Seed() int64 { return g.seed }

// Merchant is what the generators need to know about a merchant (the caller
// converts from the fixtures catalogue).
type Merchant struct {
	ID       int
	Name     string
	Category string // Knot category: "Food delivery", "Groceries", "Streaming", ...
	Logo     string
}

// Plan is a subscription plan (the caller converts from the fixtures
// catalogue).
type Plan struct {
	Name               string
	Description        string
	BillingCycle       string // MONTHLY, WEEKLY, BIWEEKLY, ANNUALLY, DAILY
	Price              string // "11.99"
	IsFamilyPlan       bool
	CancelInstructions string
}

// MerchantRef is the merchant object embedded in Knot responses. Category and
// Logo are omitted when empty (Get Subscription shows only id and name).
type MerchantRef struct {
	ID       int    `json:"id"`
	Name     string `json:"name"`
	Category string `json:"category,omitempty"`
	Logo     string `json:"logo,omitempty"`
}

// Address is Knot's address object. Line2 is null when there is none.
type Address struct {
	Line1      string  `json:"line1"`
	Line2      *string `json:"line2"`
	City       string  `json:"city"`
	Region     string  `json:"region"`
	PostalCode string  `json:"postal_code"`
	Country    string  `json:"country"`
}

// Person is a generated identity with a home address.
type Person struct {
	FirstName   string
	LastName    string
	Email       string
	PhoneNumber string // E.164, "+12125550123"
	Address     Address
}

// Str returns a pointer to s, for the nullable string fields.
func Str(s string) *string { return &s }

// ---- deterministic randomness ----

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// hash is FNV-64a over the seed, the key, the purpose and the counter.
func (g *Generator) hash(key, purpose string, n uint64) uint64 {
	h := uint64(fnvOffset)
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], uint64(g.seed))
	for _, c := range b {
		h = (h ^ uint64(c)) * fnvPrime
	}
	for i := 0; i < len(key); i++ {
		h = (h ^ uint64(key[i])) * fnvPrime
	}
	h = (h ^ 0xff) * fnvPrime
	for i := 0; i < len(purpose); i++ {
		h = (h ^ uint64(purpose[i])) * fnvPrime
	}
	h = (h ^ 0xff) * fnvPrime
	binary.LittleEndian.PutUint64(b[:], n)
	for _, c := range b {
		h = (h ^ uint64(c)) * fnvPrime
	}
	return h
}

// faker returns a fresh Faker for (key, purpose, n). It uses a SplitMix64
// source: seeding math/rand's default source costs ~10 µs and 5 KB per
// Faker, which matters when every transaction gets its own.
func (g *Generator) faker(key, purpose string, n uint64) *gofakeit.Faker {
	return gofakeit.NewCustom(&splitMix{state: g.hash(key, purpose, n)})
}

// splitMix is SplitMix64, a small, fast rand.Source64.
type splitMix struct{ state uint64 }

func (s *splitMix) Uint64() uint64 {
	s.state += 0x9e3779b97f4a7c15
	z := s.state
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

func (s *splitMix) Int63() int64    { return int64(s.Uint64() >> 1) }
func (s *splitMix) Seed(seed int64) { s.state = uint64(seed) }

var _ rand.Source64 = (*splitMix)(nil)

// between returns a uniform int in [lo, hi].
func between(f *gofakeit.Faker, lo, hi int) int {
	if hi <= lo {
		return lo
	}
	return lo + f.Rand.Intn(hi-lo+1)
}

// chance reports true with probability pct/100.
func chance(f *gofakeit.Faker, pct int) bool { return f.Rand.Intn(100) < pct }

func pick[T any](f *gofakeit.Faker, xs []T) T { return xs[f.Rand.Intn(len(xs))] }

const (
	lowerAlnum = "abcdefghijklmnopqrstuvwxyz0123456789"
	hexDigits  = "0123456789abcdef"
	digits     = "0123456789"
)

func randString(f *gofakeit.Faker, alphabet string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[f.Rand.Intn(len(alphabet))]
	}
	return string(b)
}

// hex64 returns 64 hex characters derived from h (a fulfillment id).
func hex64(h uint64) string {
	s := splitMix{state: h}
	b := make([]byte, 0, 64)
	for i := 0; i < 4; i++ {
		v := s.Uint64()
		for j := 0; j < 16; j++ {
			b = append(b, hexDigits[v>>60])
			v <<= 4
		}
	}
	return string(b)
}

// ---- identities ----

type location struct {
	city, region, zip3, area string
	taxBP                    int // combined sales tax, basis points
}

var locations = []location{
	{"New York", "NY", "100", "212", 888}, {"Brooklyn", "NY", "112", "718", 888},
	{"Los Angeles", "CA", "900", "213", 950}, {"San Francisco", "CA", "941", "415", 863},
	{"San Diego", "CA", "921", "619", 775}, {"Chicago", "IL", "606", "312", 1025},
	{"Houston", "TX", "770", "713", 825}, {"Austin", "TX", "787", "512", 825},
	{"Dallas", "TX", "752", "214", 825}, {"Phoenix", "AZ", "850", "602", 860},
	{"Philadelphia", "PA", "191", "215", 800}, {"Seattle", "WA", "981", "206", 1035},
	{"Denver", "CO", "802", "303", 915}, {"Boston", "MA", "021", "617", 625},
	{"Miami", "FL", "331", "305", 700}, {"Atlanta", "GA", "303", "404", 890},
	{"Portland", "OR", "972", "503", 0}, {"Nashville", "TN", "372", "615", 925},
	{"Minneapolis", "MN", "554", "612", 903}, {"Charlotte", "NC", "282", "704", 725},
	{"Columbus", "OH", "432", "614", 750}, {"Las Vegas", "NV", "891", "702", 838},
	{"Salt Lake City", "UT", "841", "801", 775}, {"Detroit", "MI", "482", "313", 600},
	{"Washington", "DC", "200", "202", 600}, {"Baltimore", "MD", "212", "410", 600},
	{"Wilmington", "DE", "198", "302", 0}, {"Kansas City", "MO", "641", "816", 886},
}

// taxBPFor returns the sales tax rate of a region (state), or 700 bp.
func taxBPFor(region string) int {
	for _, l := range locations {
		if strings.EqualFold(l.region, region) {
			return l.taxBP
		}
	}
	return 700
}

var streetNames = []string{"Main", "Oak", "Maple", "Cedar", "Pine", "Elm", "Washington", "Lake", "Hill", "Park",
	"Sunset", "Lincoln", "Highland", "Jefferson", "Madison", "Franklin", "Willow", "Church", "Spring", "River",
	"Chestnut", "Walnut", "Broad", "Market", "Mill", "Center", "Ridge", "Meadow", "Forest", "Lakeview",
	"2nd", "3rd", "4th", "5th", "7th", "10th", "12th", "Adams", "Jackson", "Monroe"}

var streetSuffixes = []string{"St", "St", "Ave", "Ave", "Rd", "Dr", "Blvd", "Ln", "Way", "Ct", "Pl"}

// street returns a street address line: "1234 Maple Ave".
func street(f *gofakeit.Faker) string {
	return itoa(between(f, 1, 9899)) + " " + pick(f, streetNames) + " " + pick(f, streetSuffixes)
}

var line2s = []string{"Apt %d", "Apt %dB", "Unit %d", "Floor %d", "Suite %d"}

func (g *Generator) address(f *gofakeit.Faker, loc location) Address {
	a := Address{
		Line1:      street(f),
		City:       loc.city,
		Region:     loc.region,
		PostalCode: loc.zip3 + randString(f, digits, 2),
		Country:    "US",
	}
	if chance(f, 35) {
		a.Line2 = Str(strings.Replace(pick(f, line2s), "%d", itoa(between(f, 1, 40)), 1))
	}
	return a
}

func (g *Generator) person(f *gofakeit.Faker) (Person, location) {
	loc := pick(f, locations)
	first, last := f.FirstName(), f.LastName()
	p := Person{
		FirstName:   first,
		LastName:    last,
		Email:       strings.ToLower(first+"."+last) + itoa(between(f, 1, 99)) + "@example.com",
		PhoneNumber: "+1" + loc.area + itoa(between(f, 2, 9)) + randString(f, digits, 6),
	}
	p.Address = g.address(f, loc)
	return p, loc
}

// Person returns the identity of key (stable: same seed and key, same
// person). Transactions, carts and checkouts for the key ship to it.
func (g *Generator) Person(key string) Person { return g.user(key).person }

// Address returns the home address of key's person.
func (g *Generator) Address(key string) Address { return g.user(key).person.Address }

// user is everything derived from the key alone.
type user struct {
	person Person
	loc    location
	wallet []card
}

type card struct {
	brand, lastFour, externalID, name string
}

var cardNames = map[string][]string{
	"VISA":       {"Chase Sapphire Preferred", "Chase Freedom Unlimited", "Capital One Venture", "%s's credit card"},
	"MASTERCARD": {"Citi Double Cash", "Capital One Quicksilver", "%s's debit card", "%s's credit card"},
	"AMEX":       {"Amex Gold Card", "Blue Cash Preferred", "Amex Platinum"},
	"DISCOVER":   {"Discover it Cash Back", "%s's credit card"},
}

var cardBrands = []string{"VISA", "VISA", "VISA", "MASTERCARD", "MASTERCARD", "AMEX", "DISCOVER"}

func (g *Generator) user(key string) user {
	f := g.faker(key, "user", 0)
	p, loc := g.person(f)
	u := user{person: p, loc: loc}
	for i, n := 0, between(f, 2, 3); i < n; i++ {
		brand := pick(f, cardBrands)
		u.wallet = append(u.wallet, card{
			brand:      brand,
			lastFour:   randString(f, digits, 4),
			externalID: randString(f, lowerAlnum, 14),
			name:       strings.Replace(pick(f, cardNames[brand]), "%s", p.FirstName, 1),
		})
	}
	return u
}

func itoa(n int) string { return strconv.Itoa(n) }
