package fake

import (
	"sort"
	"time"
)

// DetectedAccount is an item of List Detected Accounts.
type DetectedAccount struct {
	Merchant   MerchantRef `json:"merchant"`
	DetectedAt string      `json:"detected_at"` // "2025-10-23T17:00:00Z"
}

// DetectedAtLayout is the format of detected_at.
const DetectedAtLayout = "2006-01-02T15:04:05Z07:00"

// DetectedAccountsCount is how many accounts Knot's development environment
// detects per user.
const DetectedAccountsCount = 6

// DetectedAccounts returns key's detected accounts: 6 distinct merchants of
// the catalogue (all of them when it has fewer), detected within the minute
// before now, newest first. Merchants carry id, name and logo.
func (g *Generator) DetectedAccounts(key string, catalogue []Merchant, now time.Time) []DetectedAccount {
	// Distinct merchant ids, in catalogue order.
	var ms []Merchant
	seen := make(map[int]bool, len(catalogue))
	for _, m := range catalogue {
		if !seen[m.ID] {
			seen[m.ID] = true
			ms = append(ms, m)
		}
	}
	f := g.faker(key, "detect", 0)
	n := min(DetectedAccountsCount, len(ms))
	out := make([]DetectedAccount, n)
	for i := 0; i < n; i++ { // partial Fisher-Yates
		j := i + f.Rand.Intn(len(ms)-i)
		ms[i], ms[j] = ms[j], ms[i]
		at := now.UTC().Add(-time.Duration(f.Rand.Intn(60)) * time.Second).Truncate(time.Second)
		out[i] = DetectedAccount{
			Merchant:   MerchantRef{ID: ms[i].ID, Name: ms[i].Name, Logo: ms[i].Logo},
			DetectedAt: at.Format(DetectedAtLayout),
		}
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].DetectedAt > out[b].DetectedAt })
	return out
}
