package server

import (
	"errors"
	"net/http"

	"github.com/knotmock/knotmock/server/knoterr"
	"github.com/knotmock/knotmock/server/state"
)

// sessionAPI serves Create Session and Extend Session.
type sessionAPI struct {
	s                           *Server
	noAccess, notFound, expired *knoterr.Error
}

func init() { registerAPI(newSessionAPI) }

func newSessionAPI(s *Server, res *knoterr.Resolver) api {
	return &sessionAPI{
		s:        s,
		noAccess: res.Get("session_create", "NoAccess"),
		notFound: res.Get("session_extend", "SessionNotFound"),
		expired:  res.Get("session_extend", "SessionExpired"),
	}
}

func (a *sessionAPI) handlers() map[string]Handler {
	return map[string]Handler{
		"session_create": a.create,
		"session_extend": a.extend,
	}
}

// create reads the validated body directly (Create Session is the hot
// path; validation already decoded it once).
func (a *sessionAPI) create(c *Call) {
	typ := c.String("type")
	if !c.Client.Enabled(typ) {
		c.Fail(a.noAccess)
		return
	}
	s := state.Session{
		Type:           typ,
		ExternalUserID: c.String("external_user_id"),
		CardID:         c.String("card_id"),
		Email:          c.String("email"),
		PhoneNumber:    c.String("phone_number"),
		ProcessorToken: c.String("processor_token"),
		CardHasFunds:   true, // Knot's documented default
	}
	if md, ok := c.Fields["metadata"].(map[string]any); ok && len(md) > 0 {
		s.Metadata = make(map[string]string, len(md))
		for k, v := range md {
			s.Metadata[k], _ = v.(string) // the schema allows strings only
		}
	}
	if card, ok := c.Fields["card"].(map[string]any); ok {
		if b, ok := card["blocked"].(bool); ok {
			s.CardBlocked = b
		}
		if b, ok := card["has_funds"].(bool); ok {
			s.CardHasFunds = b
		}
	}
	s = c.Tenant.CreateSession(s, c.Now())
	c.Raw(http.StatusOK, sessionBody(s.ID))
	// Knot: an email lets Knot detect the user's merchant accounts
	// (NEW_DETECTED_ACCOUNTS_AVAILABLE in development), for clients with Detect.
	// Once per user: later sessions find the accounts already detected.
	if s.Email != "" && c.Client.Enabled(productDetect) && !a.s.detected(c.Tenant, s.ExternalUserID) {
		a.s.detectAccounts(c.Tenant, s.ExternalUserID)
	}
}

type extendSessionRequest struct {
	SessionID string `json:"session_id"`
}

func (a *sessionAPI) extend(c *Call) {
	var req extendSessionRequest
	if !c.Decode(&req) {
		return
	}
	s, err := c.Tenant.ExtendSession(req.SessionID, c.Now())
	switch {
	case errors.Is(err, state.ErrSessionNotFound):
		c.Fail(a.notFound)
	case errors.Is(err, state.ErrSessionExpired):
		c.Fail(a.expired)
	case err != nil:
		c.Fail(knoterr.ServerError)
	default:
		c.Raw(http.StatusOK, sessionBody(s.ID))
	}
}

// sessionBody is {"session":"<id>"}; ids are UUIDs, so no escaping is needed.
func sessionBody(id string) []byte {
	b := make([]byte, 0, len(id)+14)
	b = append(b, `{"session":"`...)
	b = append(b, id...)
	return append(b, `"}`...)
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
