package card

import (
	"strings"
	"testing"
	"time"

	"github.com/knotmock/knotmock/server/knoterr"
)

// valid is the documented development payload (knot-api.md §2.7.1).
func valid() Payload {
	return Payload{
		User: &User{
			Name: &Name{FirstName: S("Ada"), LastName: S("Lovelace")},
			Address: &Address{Street: S("100 Main Street"), Street2: S("#100"), City: S("NEW YORK"),
				Region: S("NY"), PostalCode: S("12345"), Country: S("US")},
			PhoneNumber: S("+11234567890"),
		},
		Card: &CardData{Number: S("4242424242424242"), Expiration: S("08/2030"), CVV: S("012")},
	}
}

func with(edit func(p *Payload)) Payload {
	p := valid()
	edit(&p)
	return p
}

func TestDocumentedPayloadPasses(t *testing.T) {
	if r := Validate(valid(), testNow); r != nil {
		t.Fatalf("%s: %v", r.Example, r.Err)
	}
	p, err := ParsePayload([]byte(testPlaintext))
	if err != nil {
		t.Fatal(err)
	}
	if r := Validate(p, testNow); r != nil {
		t.Fatalf("parsed: %s: %v", r.Example, r.Err)
	}
}

func number(n, cvv string) func(p *Payload) {
	return func(p *Payload) { p.Card.Number, p.Card.CVV = S(n), S(cvv) }
}

func TestDocumentedErrors(t *testing.T) {
	cases := []struct {
		name, example, message string
		edit                   func(p *Payload)
	}{
		{"phone missing", UserFieldRequired, "The user.phone number is required.", func(p *Payload) { p.User.PhoneNumber = Text{} }},
		{"phone blank", UserFieldRequired, "The user.phone number is required.", func(p *Payload) { p.User.PhoneNumber = S("  ") }},
		{"number spaces", CardNumberNotNumeric, "The card.number must be numeric.", number("4242 4242 4242 4242", "012")},
		{"number hyphens", CardNumberNotNumeric, "The card.number must be numeric.", number("4242-4242-4242-4242", "012")},
		{"number 20 digits", CardNumberTooLong, "The card.number is too long for card type.", number("42424242424242424242", "012")},
		{"amex 16 digits", CardNumberTooLong, "The card.number is too long for card type.", number("3782822463100050", "1234")},
		{"mastercard 17", CardNumberTooLong, "The card.number is too long for card type.", number("55555555555544440", "012")},
		{"visa 12", CardNumberTooShort, "The card.number is too short for card type.", number("424242424242", "012")},
		{"visa 14", CardNumberTooShort, "The card.number is too short for card type.", number("42424242424242", "012")},
		{"discover 15", CardNumberTooShort, "The card.number is too short for card type.", number("601111111111111", "012")},
		{"other 11", CardNumberTooShort, "The card.number is too short for card type.", number("12345678903", "012")},
		{"luhn", CardNumberInvalid, "The card.number is invalid and does not pass the Luhn check.", number("4242424242424241", "012")},
		{"cvv letters", CVVNotNumeric, "The card.cvv must be numeric.", number("4242424242424242", "01a")},
		{"cvv 4 on visa", CVVTooLong, "The card.cvv is too long for card type.", number("4242424242424242", "0123")},
		{"cvv 5 on amex", CVVTooLong, "The card.cvv is too long for card type.", number("378282246310005", "12345")},
		{"cvv 2", CVVTooShort, "The card.cvv is too short for card type.", number("4242424242424242", "01")},
		{"cvv 3 on amex", CVVTooShort, "The card.cvv is too short for card type.", number("378282246310005", "123")},
		{"cvv missing", CVVRequired, "The card.cvv is required.", func(p *Payload) { p.Card.CVV = Text{} }},
		{"cvv empty", CVVRequired, "The card.cvv is required.", func(p *Payload) { p.Card.CVV = S("") }},
		{"expiration M/YYYY", CardExpirationInvalid, "The card.expiration should be in MM/YYYY or MM/YY format.", func(p *Payload) { p.Card.Expiration = S("8/2030") }},
		{"expiration month 13", CardExpirationInvalid, "The card.expiration should be in MM/YYYY or MM/YY format.", func(p *Payload) { p.Card.Expiration = S("13/2030") }},
		{"expiration dash", CardExpirationInvalid, "The card.expiration should be in MM/YYYY or MM/YY format.", func(p *Payload) { p.Card.Expiration = S("08-2030") }},
		{"expiration 3-digit year", CardExpirationInvalid, "The card.expiration should be in MM/YYYY or MM/YY format.", func(p *Payload) { p.Card.Expiration = S("08/203") }},
		{"expired last month", CardExpired, "The card is expired.", func(p *Payload) { p.Card.Expiration = S("10/2026") }},
		{"expired YY", CardExpired, "The card is expired.", func(p *Payload) { p.Card.Expiration = S("10/26") }},
	}
	seen := map[string]bool{}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := Validate(with(c.edit), testNow)
			if r == nil {
				t.Fatal("passed")
			}
			if r.Example != c.example || r.Err.Message != c.message {
				t.Fatalf("got %q %q, want %q %q", r.Example, r.Err.Message, c.example, c.message)
			}
			if r.Err.Status != 400 || r.Err.Type != knoterr.TypeInvalidRequest {
				t.Fatalf("error object %v", r.Err)
			}
			if Documented()[c.example] != c.message {
				t.Fatalf("Documented()[%s] = %q", c.example, Documented()[c.example])
			}
		})
		seen[c.example] = true
	}
	if len(seen) != len(Documented()) {
		t.Fatalf("covered %d of %d documented examples", len(seen), len(Documented()))
	}
}

func TestOtherRules(t *testing.T) {
	long := func(n int) Text { return S(strings.Repeat("é", n)) }
	cases := []struct {
		name, message string
		edit          func(p *Payload)
	}{
		{"user missing", "The user is required.", func(p *Payload) { p.User = nil }},
		{"user not object", "The user must be an object.", func(p *Payload) { p.User = &User{NotObject: true} }},
		{"name missing", "The user.name is required.", func(p *Payload) { p.User.Name = nil }},
		{"first name missing", "The user.name.first name is required.", func(p *Payload) { p.User.Name.FirstName = Text{} }},
		{"first name long", "The user.name.first name may not be greater than 255 characters.", func(p *Payload) { p.User.Name.FirstName = long(256) }},
		{"last name not string", "The user.name.last name must be a string.", func(p *Payload) { p.User.Name.LastName = Text{Set: true, NotString: true} }},
		{"phone format", "The user.phone number format is invalid.", func(p *Payload) { p.User.PhoneNumber = S("1234567890") }},
		{"phone leading zero", "The user.phone number format is invalid.", func(p *Payload) { p.User.PhoneNumber = S("+01234567890") }},
		{"phone 16 digits", "The user.phone number format is invalid.", func(p *Payload) { p.User.PhoneNumber = S("+1234567890123456") }},
		{"address missing", "The user.address is required.", func(p *Payload) { p.User.Address = nil }},
		{"street missing", "The user.address.street is required.", func(p *Payload) { p.User.Address.Street = Text{} }},
		{"street long", "The user.address.street may not be greater than 46 characters.", func(p *Payload) { p.User.Address.Street = long(47) }},
		{"street2 long", "The user.address.street2 may not be greater than 46 characters.", func(p *Payload) { p.User.Address.Street2 = long(47) }},
		{"city long", "The user.address.city may not be greater than 32 characters.", func(p *Payload) { p.User.Address.City = long(33) }},
		{"region lowercase", "The user.address.region format is invalid.", func(p *Payload) { p.User.Address.Region = S("ny") }},
		{"region prefixed", "The user.address.region format is invalid.", func(p *Payload) { p.User.Address.Region = S("US-NY") }},
		{"postal short", "The user.address.postal code must be at least 5 characters.", func(p *Payload) { p.User.Address.PostalCode = S("1234") }},
		{"postal long", "The user.address.postal code may not be greater than 10 characters.", func(p *Payload) { p.User.Address.PostalCode = S("12345678901") }},
		{"country unknown", "The selected user.address.country is invalid.", func(p *Payload) { p.User.Address.Country = S("XX") }},
		{"country lowercase", "The selected user.address.country is invalid.", func(p *Payload) { p.User.Address.Country = S("us") }},
		{"card missing", "The card is required.", func(p *Payload) { p.Card = nil }},
		{"number missing", "The card.number is required.", func(p *Payload) { p.Card.Number = Text{} }},
		{"expiration missing", "The card.expiration is required.", func(p *Payload) { p.Card.Expiration = S("") }},
		// Order: the user is checked before the card.
		{"user before card", "The user.address.city is required.", func(p *Payload) { p.User.Address.City = Text{}; p.Card.Number = S("x") }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := Validate(with(c.edit), testNow)
			if r == nil {
				t.Fatal("passed")
			}
			if r.Example != "" || r.Err.Message != c.message {
				t.Fatalf("got %q %q, want %q", r.Example, r.Err.Message, c.message)
			}
		})
	}
}

func TestValidVariants(t *testing.T) {
	for name, edit := range map[string]func(p *Payload){
		"amex":                number("378282246310005", "1234"),
		"mastercard 2-series": number("2223003122003222", "123"),
		"mastercard":          number("5555555555554444", "123"),
		"discover":            number("6011111111111117", "123"),
		"visa 13":             number("4222222222222", "123"),
		"expiration YY":       func(p *Payload) { p.Card.Expiration = S("08/30") },
		"expires this month":  func(p *Payload) { p.Card.Expiration = S("11/2026") },
		"no street2":          func(p *Payload) { p.User.Address.Street2 = Text{} },
		"one-letter region":   func(p *Payload) { p.User.Address.Region = S("C") },
		"255 chars":           func(p *Payload) { p.User.Name.FirstName = S(strings.Repeat("é", 255)) },
	} {
		if r := Validate(with(edit), testNow); r != nil {
			t.Errorf("%s: %s %v", name, r.Example, r.Err)
		}
	}
	// The month ends at midnight of the next month, in the clock's zone.
	edge := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	p := with(func(p *Payload) { p.Card.Expiration = S("11/2026") })
	if r := Validate(p, edge.Add(-time.Nanosecond)); r != nil {
		t.Errorf("expired on its last day: %v", r.Err)
	}
	if r := Validate(p, edge); r == nil || r.Example != CardExpired {
		t.Errorf("not expired after its last day: %v", r)
	}
}

func TestParsePayloadTypes(t *testing.T) {
	p, err := ParsePayload([]byte(`{"user":{"name":{"first_name":"Ada","last_name":"L"},"phone_number":null,
		"address":[]},"card":{"number":4242424242424242,"cvv":null}}`))
	if err != nil {
		t.Fatal(err)
	}
	if p.User.PhoneNumber.Set || !p.User.Address.NotObject || !p.Card.Number.NotString || p.Card.CVV.Set {
		t.Fatalf("decoded %+v %+v", *p.User, *p.Card)
	}
	if r := Validate(p, testNow); r == nil || r.Example != UserFieldRequired {
		t.Fatalf("null phone: %v", r)
	}
	p.User.PhoneNumber = S("+14155550100")
	if r := Validate(p, testNow); r == nil || r.Err.Message != "The user.address must be an object." {
		t.Fatalf("address array: %v", r)
	}
	p.User.Address = valid().User.Address
	if r := Validate(p, testNow); r == nil || r.Err.Message != "The card.number must be a string." {
		t.Fatalf("numeric number: %v", r)
	}
	for _, bad := range []string{``, `[]`, `"x"`, `5`, `{"user":`, `null`} {
		if _, err := ParsePayload([]byte(bad)); err == nil {
			t.Errorf("ParsePayload accepted %q", bad)
		}
	}
}

func TestErrorsNeverEchoCardData(t *testing.T) {
	const n = "4242424242424241"
	for _, edit := range []func(p *Payload){
		number(n, "012"), number(n+"9999", "012"), number("4242424242424242", "98765"),
		func(p *Payload) { p.Card.Number = S(n + "x") },
		func(p *Payload) { p.Card.Expiration = S(n) },
		func(p *Payload) { p.User.PhoneNumber = S(n) },
	} {
		r := Validate(with(edit), testNow)
		if r == nil {
			t.Fatal("passed")
		}
		if msg := string(r.Err.Body()) + r.Err.Error(); strings.Contains(msg, "42424242") || strings.Contains(msg, "98765") {
			t.Errorf("error echoes card data: %s", msg)
		}
	}
}

func TestLast4(t *testing.T) {
	for in, want := range map[string]string{
		"4242424242424242": "4242", "378282246310005": "0005", "1234567": "", "4242 4242 4242 4242": "", "": "",
	} {
		if got := Last4(in); got != want {
			t.Errorf("Last4(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCountryList(t *testing.T) {
	if len(countries) != 249 {
		t.Fatalf("%d country codes, want 249", len(countries))
	}
	for _, c := range []string{"US", "GB", "DE", "SS", "XK"} {
		if isCountry(c) != (c != "XK") {
			t.Errorf("isCountry(%s) = %v", c, isCountry(c))
		}
	}
}
