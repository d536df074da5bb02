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

type createSessionRequest struct {
	Type           string            `json:"type"`
	ExternalUserID string            `json:"external_user_id"`
	CardID         *string           `json:"card_id"`
	Email          *string           `json:"email"`
	PhoneNumber    *string           `json:"phone_number"`
	ProcessorToken *string           `json:"processor_token"`
	Metadata       map[string]string `json:"metadata"`
	Card           *struct {
		Blocked  *bool `json:"blocked"`
		HasFunds *bool `json:"has_funds"`
	} `json:"card"`
}

func (a *sessionAPI) create(c *Call) {
	var req createSessionRequest
	if !c.Decode(&req) {
		return
	}
	if !c.Client.Enabled(req.Type) {
		c.Fail(a.noAccess)
		return
	}
	s := state.Session{
		Type:           req.Type,
		ExternalUserID: req.ExternalUserID,
		CardID:         deref(req.CardID),
		Email:          deref(req.Email),
		PhoneNumber:    deref(req.PhoneNumber),
		ProcessorToken: deref(req.ProcessorToken),
		Metadata:       req.Metadata,
		CardHasFunds:   true, // Knot's documented default
	}
	if req.Card != nil {
		if req.Card.Blocked != nil {
			s.CardBlocked = *req.Card.Blocked
		}
		if req.Card.HasFunds != nil {
			s.CardHasFunds = *req.Card.HasFunds
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
