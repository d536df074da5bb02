package fake

import (
	"errors"
	"strconv"
)

// Cents is an amount of money in cents. All arithmetic is done in cents and
// formatted with two decimals, so Knot's invariants hold exactly.
type Cents int64

// String formats c as Knot does: "43.20", "-4.37", "0.00".
func (c Cents) String() string {
	neg := c < 0
	if neg {
		c = -c
	}
	s := strconv.FormatInt(int64(c/100), 10) + "." + string([]byte{byte('0' + c%100/10), byte('0' + c%10)})
	if neg {
		return "-" + s
	}
	return s
}

// Ptr returns the formatted amount as a pointer, for nullable fields.
func (c Cents) Ptr() *string { s := c.String(); return &s }

// ErrAmount is returned by ParseCents for a string that is not an amount.
var ErrAmount = errors.New("fake: not a decimal amount")

// ParseCents parses a decimal amount with at most two decimals ("12", "-4.5",
// "43.20").
func ParseCents(s string) (Cents, error) {
	neg := false
	if len(s) > 0 && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		s = s[1:]
	}
	whole, frac := s, ""
	for i := 0; i < len(s); i++ {
		if s[i] == '.' {
			whole, frac = s[:i], s[i+1:]
			break
		}
	}
	if whole == "" || len(frac) > 2 || (len(frac) == 0 && len(whole) != len(s)) {
		return 0, ErrAmount
	}
	var c int64
	for _, part := range []string{whole, frac} {
		for i := 0; i < len(part); i++ {
			if part[i] < '0' || part[i] > '9' {
				return 0, ErrAmount
			}
			c = c*10 + int64(part[i]-'0')
			if c > 1<<53 {
				return 0, ErrAmount
			}
		}
	}
	for i := len(frac); i < 2; i++ {
		c *= 10
	}
	if neg {
		c = -c
	}
	return Cents(c), nil
}

// percentOf returns round(c × bp / 10000), rounding half away from zero.
func percentOf(c Cents, bp int) Cents {
	v := int64(c) * int64(bp)
	if v >= 0 {
		return Cents((v + 5000) / 10000)
	}
	return Cents(-((-v + 5000) / 10000))
}

// share returns round(c × part / whole): c split in proportion.
func share(c, part, whole Cents) Cents {
	if whole == 0 {
		return 0
	}
	v := int64(c) * int64(part)
	w := int64(whole)
	if (v >= 0) == (w > 0) {
		return Cents((abs64(v) + abs64(w)/2) / abs64(w))
	}
	return -Cents((abs64(v) + abs64(w)/2) / abs64(w))
}

func abs64(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// mustCents parses an amount this package formatted; garbage counts as 0.
func mustCents(s *string) Cents {
	if s == nil {
		return 0
	}
	c, _ := ParseCents(*s)
	return c
}
