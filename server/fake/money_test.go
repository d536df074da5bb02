package fake

import "testing"

func TestCents(t *testing.T) {
	for c, want := range map[Cents]string{0: "0.00", 5: "0.05", 99: "0.99", 100: "1.00", 4320: "43.20", -437: "-4.37", -5: "-0.05", 123456789: "1234567.89"} {
		if got := c.String(); got != want {
			t.Errorf("Cents(%d) = %q, want %q", c, got, want)
		}
		if back, err := ParseCents(want); err != nil || back != c {
			t.Errorf("ParseCents(%q) = %d, %v", want, back, err)
		}
	}
	for s, want := range map[string]Cents{"12": 1200, "12.5": 1250, "+1.01": 101, "-0.1": -10, "007.00": 700} {
		if got, err := ParseCents(s); err != nil || got != want {
			t.Errorf("ParseCents(%q) = %d, %v; want %d", s, got, err, want)
		}
	}
	for _, bad := range []string{"", ".", "-", "1.", ".5", "1.234", "1,00", "1e3", "abc", "1.2.3", " 1.00", "99999999999999999999"} {
		if _, err := ParseCents(bad); err == nil {
			t.Errorf("ParseCents(%q) accepted", bad)
		}
	}
}

func TestPercentAndShare(t *testing.T) {
	if got := percentOf(1256, 888); got != 112 { // 11.15 → 1.12 rounded half up (1256×0.0888 = 111.53)
		t.Errorf("percentOf(12.56, 8.88%%) = %d", got)
	}
	if got := percentOf(-1000, 1550); got != -155 {
		t.Errorf("percentOf(-10.00, 15.5%%) = %d", got)
	}
	// Shares of a split add back up when the last part takes the remainder.
	for _, tc := range []struct{ amount, part, whole Cents }{{367, 1256, 3398}, {-101, 1, 3}, {1, 1, 2}, {0, 5, 0}} {
		a := share(tc.amount, tc.part, tc.whole)
		if b := tc.amount - a; a+b != tc.amount {
			t.Errorf("share %v", tc)
		}
		if tc.whole != 0 && (a > tc.amount && tc.amount >= 0) {
			t.Errorf("share(%v) = %d exceeds the amount", tc, a)
		}
	}
	if got := share(367, 1256, 3398); got != 136 { // 367 × 1256 / 3398 = 135.65
		t.Errorf("share = %d, want 136", got)
	}
}
