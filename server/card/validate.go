package card

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/knotmock/knotmock/server/knoterr"
)

// Rule is the first rule a payload fails. Example is the name of Knot's
// documented error example when the failure is one of them ("" otherwise);
// Err is the error to answer with. Handlers replace Err by the operation's
// catalogue example when Example is set, and set error_code INVALID_JWE or
// INVALID_FIELD according to the variant (Err.WithCode).
type Rule struct {
	Example string
	Err     *knoterr.Error
}

// Documented example names (the JWE variant's table; the plain variant has
// all but CVVRequired).
const (
	UserFieldRequired     = "UserFieldRequired"
	CardNumberNotNumeric  = "CardNumberNotNumeric"
	CardNumberTooLong     = "CardNumberTooLong"
	CardNumberTooShort    = "CardNumberTooShort"
	CardNumberInvalid     = "CardNumberInvalid"
	CVVNotNumeric         = "CVVNotNumeric"
	CVVTooLong            = "CVVTooLong"
	CVVTooShort           = "CVVTooShort"
	CVVRequired           = "CVVRequired"
	CardExpirationInvalid = "CardExpirationInvalid"
	CardExpired           = "CardExpired"
)

func invalidJWE(msg string) *knoterr.Error {
	return knoterr.New(http.StatusBadRequest, knoterr.TypeInvalidRequest, knoterr.CodeInvalidJWE, msg)
}

// documented holds Knot's documented Switch Card validation errors, keyed by
// example name. Messages in Laravel's wording come from the knoterr
// builders; the others are Knot's own sentences.
var documented = map[string]*knoterr.Error{
	UserFieldRequired:     knoterr.Present(attrPhone),
	CardNumberNotNumeric:  knoterr.Numeric(attrNumber),
	CardNumberTooLong:     invalidJWE("The card.number is too long for card type."),
	CardNumberTooShort:    invalidJWE("The card.number is too short for card type."),
	CardNumberInvalid:     invalidJWE("The card.number is invalid and does not pass the Luhn check."),
	CVVNotNumeric:         knoterr.Numeric(attrCVV),
	CVVTooLong:            invalidJWE("The card.cvv is too long for card type."),
	CVVTooShort:           invalidJWE("The card.cvv is too short for card type."),
	CVVRequired:           knoterr.Present(attrCVV),
	CardExpirationInvalid: invalidJWE("The card.expiration should be in MM/YYYY or MM/YY format."),
	CardExpired:           invalidJWE("The card is expired."),
}

// Documented returns Knot's documented Switch Card validation messages by
// example name (for cross-checking the OpenAPI document).
func Documented() map[string]string {
	m := make(map[string]string, len(documented))
	for name, e := range documented {
		m[name] = e.Message
	}
	return m
}

func example(name string) *Rule { return &Rule{Example: name, Err: documented[name]} }

func fail(err *knoterr.Error) *Rule { return &Rule{Err: err} }

// Field names as Knot's messages render them.
var (
	attrName       = knoterr.Attr("user", "name")
	attrFirstName  = knoterr.Attr("user", "name", "first_name")
	attrLastName   = knoterr.Attr("user", "name", "last_name")
	attrPhone      = knoterr.Attr("user", "phone_number")
	attrAddress    = knoterr.Attr("user", "address")
	attrStreet     = knoterr.Attr("user", "address", "street")
	attrStreet2    = knoterr.Attr("user", "address", "street2")
	attrCity       = knoterr.Attr("user", "address", "city")
	attrRegion     = knoterr.Attr("user", "address", "region")
	attrPostalCode = knoterr.Attr("user", "address", "postal_code")
	attrCountry    = knoterr.Attr("user", "address", "country")
	attrNumber     = knoterr.Attr("card", "number")
	attrExpiration = knoterr.Attr("card", "expiration")
	attrCVV        = knoterr.Attr("card", "cvv")
)

var (
	e164       = regexp.MustCompile(`^\+[1-9][0-9]{1,14}$`)
	region     = regexp.MustCompile(`^[A-Z0-9]{1,3}$`)
	expiration = regexp.MustCompile(`^(0[1-9]|1[0-2])/([0-9]{4}|[0-9]{2})$`)
)

// text checks a string member: sent (a missing member, null, "" or only
// white space yields missing, and the caller picks the error), a string, at
// most max characters (max 0: no limit).
func text(t Text, attr string, max int, missing func() *Rule) *Rule {
	if !t.Set || (!t.NotString && strings.TrimSpace(t.Value) == "") {
		if missing == nil {
			return nil
		}
		return missing()
	}
	if t.NotString {
		return fail(knoterr.String(attr))
	}
	if max > 0 && utf8.RuneCountInString(t.Value) > max {
		return fail(knoterr.MaxChars(attr, uint64(max)))
	}
	return nil
}

// requiredText is text for a required member with the Laravel message.
func requiredText(t Text, attr string, max int) *Rule {
	return text(t, attr, max, func() *Rule { return fail(knoterr.Present(attr)) })
}

// exampleIfMissing is a text missing-callback returning a documented example.
func exampleIfMissing(name string) func() *Rule { return func() *Rule { return example(name) } }

// Validate applies Switch Card's user and card rules to p, in the order
// documented in the package comment, and returns the first that fails, or
// nil. now decides whether the card has expired.
func Validate(p Payload, now time.Time) *Rule {
	if r := validateUser(p.User); r != nil {
		return r
	}
	return validateCard(p.Card, now)
}

func validateUser(u *User) *Rule {
	switch {
	case u == nil:
		return fail(knoterr.Present("user"))
	case u.NotObject:
		return fail(knoterr.Object("user"))
	}
	switch n := u.Name; {
	case n == nil:
		return fail(knoterr.Present(attrName))
	case n.NotObject:
		return fail(knoterr.Object(attrName))
	}
	if r := requiredText(u.Name.FirstName, attrFirstName, 255); r != nil {
		return r
	}
	if r := requiredText(u.Name.LastName, attrLastName, 255); r != nil {
		return r
	}
	if r := text(u.PhoneNumber, attrPhone, 0, exampleIfMissing(UserFieldRequired)); r != nil {
		return r
	}
	if !e164.MatchString(u.PhoneNumber.Value) {
		return fail(knoterr.Format(attrPhone))
	}
	return validateAddress(u.Address)
}

func validateAddress(a *Address) *Rule {
	switch {
	case a == nil:
		return fail(knoterr.Present(attrAddress))
	case a.NotObject:
		return fail(knoterr.Object(attrAddress))
	}
	if r := requiredText(a.Street, attrStreet, 46); r != nil {
		return r
	}
	if r := text(a.Street2, attrStreet2, 46, nil); r != nil {
		return r
	}
	if r := requiredText(a.City, attrCity, 32); r != nil {
		return r
	}
	if r := requiredText(a.Region, attrRegion, 0); r != nil {
		return r
	}
	if !region.MatchString(a.Region.Value) {
		return fail(knoterr.Format(attrRegion))
	}
	if r := requiredText(a.PostalCode, attrPostalCode, 10); r != nil {
		return r
	}
	if utf8.RuneCountInString(a.PostalCode.Value) < 5 {
		return fail(knoterr.MinChars(attrPostalCode, 5))
	}
	if r := requiredText(a.Country, attrCountry, 0); r != nil {
		return r
	}
	if !isCountry(a.Country.Value) {
		return fail(knoterr.Selected(attrCountry))
	}
	return nil
}

func validateCard(c *CardData, now time.Time) *Rule {
	switch {
	case c == nil:
		return fail(knoterr.Present("card"))
	case c.NotObject:
		return fail(knoterr.Object("card"))
	}
	// card.number
	if r := requiredText(c.Number, attrNumber, 0); r != nil {
		return r
	}
	number := c.Number.Value
	if !digits(number) {
		return example(CardNumberNotNumeric)
	}
	b := brandOf(number)
	if r := checkLength(len(number), b.lengths, CardNumberTooShort, CardNumberTooLong); r != nil {
		return r
	}
	if !luhn(number) {
		return example(CardNumberInvalid)
	}
	// card.expiration
	if r := requiredText(c.Expiration, attrExpiration, 0); r != nil {
		return r
	}
	m := expiration.FindStringSubmatch(c.Expiration.Value)
	if m == nil {
		return example(CardExpirationInvalid)
	}
	month, _ := strconv.Atoi(m[1])
	year, _ := strconv.Atoi(m[2])
	if len(m[2]) == 2 {
		year += 2000
	}
	// Valid through the last day of the month, in the clock's time zone.
	if !now.Before(time.Date(year, time.Month(month)+1, 1, 0, 0, 0, 0, now.Location())) {
		return example(CardExpired)
	}
	// card.cvv
	if r := text(c.CVV, attrCVV, 0, exampleIfMissing(CVVRequired)); r != nil {
		return r
	}
	if !digits(c.CVV.Value) {
		return example(CVVNotNumeric)
	}
	return checkLength(len(c.CVV.Value), b.cvv, CVVTooShort, CVVTooLong)
}

// checkLength reports n against the allowed lengths (ascending): above the
// longest is too long; any other length not allowed is too short (it falls
// short of the next allowed length, e.g. 14 digits for Visa).
func checkLength(n int, allowed []int, short, long string) *Rule {
	for _, l := range allowed {
		if n == l {
			return nil
		}
	}
	if n > allowed[len(allowed)-1] {
		return example(long)
	}
	return example(short)
}

func digits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// luhn reports whether the digit string s passes the Luhn check.
func luhn(s string) bool {
	sum, double := 0, false
	for i := len(s) - 1; i >= 0; i-- {
		d := int(s[i] - '0')
		if double {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum%10 == 0
}

type brand struct {
	lengths []int // allowed number lengths, ascending
	cvv     []int // allowed CVV lengths
}

var (
	amex       = brand{[]int{15}, []int{4}}
	visa       = brand{[]int{13, 16, 19}, []int{3}}
	mastercard = brand{[]int{16}, []int{3}}
	discover   = brand{[]int{16, 17, 18, 19}, []int{3}}
	otherBrand = brand{[]int{12, 13, 14, 15, 16, 17, 18, 19}, []int{3}}
)

// brandOf identifies the brand of a digit string from its IIN prefix.
func brandOf(n string) brand {
	prefix := func(k int) int {
		if len(n) < k {
			return -1
		}
		v, _ := strconv.Atoi(n[:k])
		return v
	}
	p2, p3, p4 := prefix(2), prefix(3), prefix(4)
	switch {
	case p2 == 34 || p2 == 37:
		return amex
	case strings.HasPrefix(n, "4"):
		return visa
	case p2 >= 51 && p2 <= 55, p4 >= 2221 && p4 <= 2720:
		return mastercard
	case p4 == 6011, p2 == 65, p3 >= 644 && p3 <= 649:
		return discover
	}
	return otherBrand
}

// Last4 is the last four digits of a card number, for logs and state; it
// is "" unless number is at least 8 digits long, so short or malformed input
// is never echoed. Never log more of a card number than this.
func Last4(number string) string {
	if len(number) < 8 || !digits(number) {
		return ""
	}
	return number[len(number)-4:]
}
