package server

import (
	"net/http"
	"sort"
	"strings"

	"github.com/knotmock/knotmock/server/knoterr"
	"github.com/knotmock/knotmock/server/state"
)

// merchantAPI serves List Merchants (POST and GET forms) and the legacy
// List Connected Merchants.
type merchantAPI struct {
	s               *Server
	sessionNotFound *knoterr.Error
}

func init() { registerAPI(newMerchantAPI) }

func newMerchantAPI(s *Server, res *knoterr.Resolver) api {
	return &merchantAPI{s: s, sessionNotFound: res.Get("merchant_connected", "SessionNotFound")}
}

func (a *merchantAPI) handlers() map[string]Handler {
	return map[string]Handler{
		"merchant_list":      a.listPost,
		"merchant_list_get":  a.listGet,
		"merchant_connected": a.connected,
	}
}

// The deprecated List Merchants Status values the sandbox produces (Knot
// also lists enrolling, otp, approval, questions and failed: states of an
// SDK login in progress, which a finished account never is).
const (
	merchantNotEnrolled = "not enrolled" // no account at the merchant
	merchantEnrolled    = "enrolled"     // connected
	merchantCredentials = "credentials"  // disconnected: the user must log in again
	merchantFailed      = "failed"       // List Connected Merchants: last action failed or disconnected
)

// merchantListRequest is List Merchants' body (and the GET form's query).
type merchantListRequest struct {
	Type           string `json:"type"`
	Platform       string `json:"platform"`
	Search         string `json:"search"`
	ExternalUserID string `json:"external_user_id"`
	Status         string `json:"status"` // deprecated filter on the deprecated status
}

// listedMerchant is an item of List Merchants.
type listedMerchant struct {
	ID            int    `json:"id"`
	Name          string `json:"name"`
	Category      string `json:"category"`
	Logo          string `json:"logo"`
	MinSDKVersion string `json:"min_sdk_version,omitempty"`
	Status        string `json:"status,omitempty"`
}

func (a *merchantAPI) listPost(c *Call) {
	var req merchantListRequest
	if !c.Decode(&req) {
		return
	}
	a.list(c, req)
}

func (a *merchantAPI) listGet(c *Call) {
	a.list(c, merchantListRequest{
		Type:           c.Query("type"),
		Platform:       c.Query("platform"),
		Search:         c.Query("search"),
		ExternalUserID: c.Query("external_user_id"),
	})
}

func (a *merchantAPI) list(c *Call, req merchantListRequest) {
	ms := a.s.world.merchants.Search(req.Type, req.Search)
	var statuses map[int]string // merchant id → deprecated status
	if req.ExternalUserID != "" || req.Status != "" {
		statuses = map[int]string{}
		if req.ExternalUserID != "" {
			c.Tenant.Do(func(d *state.Data) {
				u, ok := d.Users[req.ExternalUserID]
				if !ok {
					return
				}
				for id, acct := range u.Accounts {
					if acct.Status == state.Connected {
						statuses[id] = merchantEnrolled
					} else {
						statuses[id] = merchantCredentials
					}
				}
			})
		}
	}
	out := make([]listedMerchant, 0, len(ms))
	for _, m := range ms {
		item := listedMerchant{ID: m.ID, Name: m.Name, Category: m.Category, Logo: m.Logo}
		if req.Platform != "" {
			item.MinSDKVersion = m.MinSDKVersion[req.Platform]
		}
		if statuses != nil {
			st, ok := statuses[m.ID]
			if !ok {
				st = merchantNotEnrolled
			}
			if req.Status != "" && st != req.Status {
				continue
			}
			if req.ExternalUserID != "" {
				item.Status = st
			}
		}
		out = append(out, item)
	}
	c.JSON(http.StatusOK, out)
}

type merchantConnectedRequest struct {
	SessionID string `json:"session_id"`
}

// connectedMerchant is an item of List Connected Merchants.
type connectedMerchant struct {
	ID     int    `json:"id"`
	Name   string `json:"name"`
	Logo   string `json:"logo"`
	Status string `json:"status"`
}

// connected lists the merchants of the session's user: enrolled when the
// account is connected and its last action did not fail, failed otherwise.
// Expired sessions still answer (Knot keeps the results of a session).
func (a *merchantAPI) connected(c *Call) {
	var req merchantConnectedRequest
	if !c.Decode(&req) {
		return
	}
	sess, ok := c.Tenant.Session(req.SessionID)
	if !ok {
		c.Fail(a.sessionNotFound)
		return
	}
	out := []connectedMerchant{}
	c.Tenant.Do(func(d *state.Data) {
		u, ok := d.Users[sess.ExternalUserID]
		if !ok {
			return
		}
		for id, acct := range u.Accounts {
			m, ok := a.s.world.merchants.ByID(id)
			if !ok {
				continue
			}
			st := merchantEnrolled
			if acct.Status != state.Connected || (acct.LastAction != nil && *acct.LastAction == actionCardFailed) {
				st = merchantFailed
			}
			out = append(out, connectedMerchant{ID: m.ID, Name: m.Name, Logo: m.Logo, Status: st})
		}
	})
	sort.Slice(out, func(i, j int) bool { return merchantLess(out[i].Name, out[i].ID, out[j].Name, out[j].ID) })
	c.JSON(http.StatusOK, out)
}

// merchantLess orders merchants as the catalogue does: by name,
// case-insensitively, then id.
func merchantLess(nameA string, idA int, nameB string, idB int) bool {
	a, b := strings.ToLower(nameA), strings.ToLower(nameB)
	if a != b {
		return a < b
	}
	return idA < idB
}
