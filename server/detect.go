package server

import (
	"net/http"
	"strings"

	"github.com/knotmock/knotmock/server/events"
	"github.com/knotmock/knotmock/server/fake"
	"github.com/knotmock/knotmock/server/knoterr"
	"github.com/knotmock/knotmock/server/state"
)

// detectAPI serves Detect Accounts and the detected-accounts endpoints.
// Detect must be enabled for the client.
type detectAPI struct {
	s                               *Server
	noAccess                        map[string]*knoterr.Error // operationId → 403
	listUserNotFound, listBadCursor *knoterr.Error
	syncUserNotFound, syncBadCursor *knoterr.Error
	searchUserNotFound              *knoterr.Error
}

func init() { registerAPI(newDetectAPI) }

var detectOperations = []string{"detect_accounts", "detected_accounts_list", "detected_accounts_search", "detected_accounts_sync"}

func newDetectAPI(s *Server, res *knoterr.Resolver) api {
	a := &detectAPI{
		s:                  s,
		noAccess:           map[string]*knoterr.Error{},
		listUserNotFound:   res.Get("detected_accounts_list", "UserNotFound"),
		listBadCursor:      res.Get("detected_accounts_list", "InvalidCursor"),
		syncUserNotFound:   res.Get("detected_accounts_sync", "UserNotFound"),
		syncBadCursor:      res.Get("detected_accounts_sync", "InvalidCursor"),
		searchUserNotFound: res.Get("detected_accounts_search", "UserNotFound"),
	}
	for _, op := range detectOperations {
		a.noAccess[op] = res.Get(op, "NoAccessEndpoint")
	}
	return a
}

func (a *detectAPI) handlers() map[string]Handler {
	return map[string]Handler{
		"detect_accounts":          a.gate(a.detect),
		"detected_accounts_list":   a.gate(a.list),
		"detected_accounts_search": a.gate(a.search),
		"detected_accounts_sync":   a.gate(a.sync),
	}
}

// gate refuses clients without the Detect product.
func (a *detectAPI) gate(h Handler) Handler {
	return func(c *Call) {
		if !c.Client.Enabled(productDetect) {
			c.Fail(a.noAccess[c.Op.ID])
			return
		}
		h(c)
	}
}

type detectRequest struct {
	ExternalUserID string `json:"external_user_id"`
	// email and phone_number are validated and not kept: the sandbox
	// detects from the catalogue.
}

// detect generates the user's detected accounts (creating the user if
// new), stores them in place of earlier ones, and after a moment tells the
// client (NEW_DETECTED_ACCOUNTS_AVAILABLE).
func (a *detectAPI) detect(c *Call) {
	var req detectRequest
	if !c.Decode(&req) {
		return
	}
	a.s.detectAccounts(c.Tenant, req.ExternalUserID)
	c.Success(http.StatusAccepted)
}

// detectAccounts finds the user's six detected accounts (creating the user
// if new) and announces them with NEW_DETECTED_ACCOUNTS_AVAILABLE after
// the async delay. Detect, Create Session with an email and the scenario
// step `detect` all use it.
func (s *Server) detectAccounts(t *state.Tenant, externalUserID string) {
	all := s.world.merchants.All()
	catalogue := make([]fake.Merchant, len(all))
	for i, m := range all {
		catalogue[i] = fakeMerchant(m)
	}
	now := s.clock.Now()
	var found []fake.DetectedAccount
	t.Do(func(d *state.Data) {
		u, _ := d.User(externalUserID, now, true)
		found = s.world.gen.DetectedAccounts(u.Key(t.ClientID, 0, "detect"), catalogue, now)
		u.Detected = found
		u.DetectedAt = now
	})
	refs := make([]events.Merchant, len(found))
	for i, da := range found {
		refs[i] = events.Merchant{ID: da.Merchant.ID, Name: da.Merchant.Name, Logo: da.Merchant.Logo}
	}
	supported := true
	s.later(s.cfg.AsyncDelay, func() {
		t.Do(func(d *state.Data) {
			if _, ok := d.Users[externalUserID]; !ok {
				return // deleted meanwhile
			}
			s.emit(t.ClientID, events.Envelope{
				Event: "NEW_DETECTED_ACCOUNTS_AVAILABLE", ExternalUserID: externalUserID,
				HasSupportedMerchants: &supported,
				Data:                  map[string]any{"detected_accounts": refs},
			})
		})
	})
}

// detected reports whether Detect already ran for a user.
func (s *Server) detected(t *state.Tenant, externalUserID string) bool {
	done := false
	t.Do(func(d *state.Data) {
		u, ok := d.Users[externalUserID]
		done = ok && !u.DetectedAt.IsZero()
	})
	return done
}

type detectListRequest struct {
	ExternalUserID string  `json:"external_user_id"`
	Cursor         *string `json:"cursor"`
	Limit          *int    `json:"limit"`
}

// detectPage is one page of a user's detected accounts.
type detectPage struct {
	items []fake.DetectedAccount
	next  *string
	limit int
}

// page reads a page of the user's detected accounts. A user who never ran
// Detect has none; an unknown user or a bad cursor is an error.
func (a *detectAPI) page(c *Call, userNotFound, badCursor *knoterr.Error) (detectPage, bool) {
	var req detectListRequest
	if !c.Decode(&req) {
		return detectPage{}, false
	}
	p := detectPage{limit: 100}
	if req.Limit != nil {
		p.limit = *req.Limit
	}
	pos := 0
	if req.Cursor != nil && *req.Cursor != "" {
		n, ok := decodeCursor(*req.Cursor)
		if !ok {
			c.Fail(badCursor)
			return detectPage{}, false
		}
		pos = n
	}
	found, badPos := false, false
	c.Tenant.Do(func(d *state.Data) {
		u, ok := d.Users[req.ExternalUserID]
		if !ok {
			return
		}
		found = true
		if pos > len(u.Detected) {
			badPos = true
			return
		}
		end := min(pos+p.limit, len(u.Detected))
		p.items = append([]fake.DetectedAccount(nil), u.Detected[pos:end]...)
		if end < len(u.Detected) {
			next := encodeCursor(end)
			p.next = &next
		}
	})
	if !found {
		c.Fail(userNotFound)
		return detectPage{}, false
	}
	if badPos {
		c.Fail(badCursor)
		return detectPage{}, false
	}
	if p.items == nil {
		p.items = []fake.DetectedAccount{}
	}
	return p, true
}

type detectListBody struct {
	DetectedAccounts []fake.DetectedAccount `json:"detected_accounts"`
	NextCursor       *string                `json:"next_cursor"`
	Limit            int                    `json:"limit"`
}

func (a *detectAPI) list(c *Call) {
	p, ok := a.page(c, a.listUserNotFound, a.listBadCursor)
	if !ok {
		return
	}
	c.JSON(http.StatusOK, detectListBody{DetectedAccounts: p.items, NextCursor: p.next, Limit: p.limit})
}

// detectSyncItem is an item of the older Sync Detected Accounts page. The
// sandbox knows neither how the user logs in nor when the account was
// created: "" and null, as Knot's own second example shows.
type detectSyncItem struct {
	fake.DetectedAccount
	LoginMethod      string  `json:"login_method"`
	AccountCreatedAt *string `json:"account_created_at"`
}

type detectSyncBody struct {
	DetectedAccounts []detectSyncItem `json:"detected_accounts"`
	NextCursor       *string          `json:"next_cursor"`
	Limit            int              `json:"limit"`
}

func (a *detectAPI) sync(c *Call) {
	p, ok := a.page(c, a.syncUserNotFound, a.syncBadCursor)
	if !ok {
		return
	}
	items := make([]detectSyncItem, len(p.items))
	for i, da := range p.items {
		items[i] = detectSyncItem{DetectedAccount: da}
	}
	c.JSON(http.StatusOK, detectSyncBody{DetectedAccounts: items, NextCursor: p.next, Limit: p.limit})
}

type detectSearchRequest struct {
	ExternalUserID string   `json:"external_user_id"`
	Names          []string `json:"names"`
}

type detectSearchResult struct {
	Name       string  `json:"name"`
	Detected   bool    `json:"detected"`
	DetectedAt *string `json:"detected_at"`
}

// search answers each name, as sent, with whether an account at a merchant
// of that name (case-insensitive, surrounding spaces ignored) was detected.
func (a *detectAPI) search(c *Call) {
	var req detectSearchRequest
	if !c.Decode(&req) {
		return
	}
	byName := map[string]string{} // lower-cased merchant name → detected_at
	found := false
	c.Tenant.Do(func(d *state.Data) {
		u, ok := d.Users[req.ExternalUserID]
		if !ok {
			return
		}
		found = true
		for _, da := range u.Detected {
			byName[strings.ToLower(da.Merchant.Name)] = da.DetectedAt
		}
	})
	if !found {
		c.Fail(a.searchUserNotFound)
		return
	}
	out := make([]detectSearchResult, len(req.Names))
	for i, name := range req.Names {
		out[i].Name = name
		if at, ok := byName[strings.ToLower(strings.TrimSpace(name))]; ok {
			out[i].Detected, out[i].DetectedAt = true, &at
		}
	}
	c.JSON(http.StatusOK, out)
}
