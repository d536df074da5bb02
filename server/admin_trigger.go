package server

import (
	"encoding/json"
	"net/http"
	"sort"

	"github.com/gin-gonic/gin"

	"github.com/knotmock/knotmock/fixtures"
	"github.com/knotmock/knotmock/openapi"
	"github.com/knotmock/knotmock/server/knoterr"
	"github.com/knotmock/knotmock/server/state"
)

// triggerRequest asks for one webhook event, like `stripe trigger` or
// Plaid's fire_webhook.
type triggerRequest struct {
	Event          string         `json:"event"`
	ExternalUserID string         `json:"external_user_id"`
	MerchantID     int            `json:"merchant_id"`
	SessionID      string         `json:"session_id"`
	Count          int            `json:"count"`     // NEW_/UPDATED_TRANSACTIONS_AVAILABLE
	SendCard       bool           `json:"send_card"` // AUTHENTICATED
	Data           map[string]any `json:"data"`      // overrides of the payload's data
}

// adminTrigger fires an event for the caller's tenant. Events the sandbox
// has a flow for run that flow, so state changes with them (AUTHENTICATED
// links the account, NEW_TRANSACTIONS_AVAILABLE generates transactions,
// UPDATED_ updates some, ACCOUNT_LOGIN_REQUIRED disconnects); every other
// event is the documented example filled from state (user, merchant,
// session and its metadata) with data overridden by the request.
func (s *Server) adminTrigger(c *gin.Context, client *Client) {
	var req triggerRequest
	if err := decodeAdmin(c, &req); err != nil {
		writeErr(c, err)
		return
	}
	tmpl, ok := s.templateKeys(req.Event)
	if !ok {
		writeErr(c, knoterr.Selected(knoterr.Attr("event")))
		return
	}
	t := s.store.Tenant(client.ID)
	var merchant *fixtures.Merchant
	if _, has := tmpl["merchant"]; has {
		m, ok := s.world.merchants.ByID(req.MerchantID)
		if !ok {
			writeErr(c, knoterr.Selected(knoterr.Attr("merchant_id")))
			return
		}
		merchant = &m
	}
	if _, has := tmpl["external_user_id"]; has && req.ExternalUserID == "" {
		writeErr(c, knoterr.Required(knoterr.Attr("external_user_id")))
		return
	}
	if req.Count < 0 || req.Count > maxTriggerCount {
		writeErr(c, knoterr.Max(knoterr.Attr("count"), maxTriggerCount))
		return
	}
	if kerr := s.triggerFlow(t, req); kerr != errNoFlow {
		if kerr != nil {
			writeErr(c, kerr)
			return
		}
		c.JSON(http.StatusAccepted, gin.H{"message": "Success", "event": req.Event})
		return
	}
	var sess state.Session
	if _, has := tmpl["session_id"]; has {
		var kerr *knoterr.Error
		if sess, kerr = s.triggerSession(t, req); kerr != nil {
			writeErr(c, kerr)
			return
		}
	}
	t.Do(func(d *state.Data) {
		var taskID int64
		if _, has := tmpl["task_id"]; has {
			taskID = d.NewTask(state.Task{SessionID: sess.ID, ExternalUserID: req.ExternalUserID, MerchantID: req.MerchantID, CardID: sess.CardID, Closed: true}).ID
		}
		env, err := s.envelopeFromTemplate(req.Event, sess, taskID, req.ExternalUserID, merchant, req.Data)
		if err == nil {
			s.emit(client.ID, env)
		}
	})
	c.JSON(http.StatusAccepted, gin.H{"message": "Success", "event": req.Event})
}

var errNoFlow = knoterr.New(0, "", "", "")

// maxTriggerCount bounds generated data per trigger (Knot's own batch is 205).
const maxTriggerCount = 1000

// triggerFlow runs the sandbox's own flow for events that have one.
func (s *Server) triggerFlow(t *state.Tenant, req triggerRequest) *knoterr.Error {
	switch req.Event {
	case "AUTHENTICATED":
		sess, kerr := s.triggerSession(t, req)
		if kerr != nil {
			return kerr
		}
		m, _ := s.world.merchants.ByID(req.MerchantID)
		s.authenticated(t, login{Session: sess, Merchant: m, SendCard: req.SendCard})
	case "NEW_TRANSACTIONS_AVAILABLE", "UPDATED_TRANSACTIONS_AVAILABLE", "ACCOUNT_LOGIN_REQUIRED":
		connected := false
		t.Do(func(d *state.Data) {
			_, a, ok := d.Account(req.ExternalUserID, req.MerchantID)
			connected = ok && a.Status == state.Connected
		})
		if !connected {
			return knoterr.Unavailable("the user has no connected account at that merchant (link one first)")
		}
		m, _ := s.world.merchants.ByID(req.MerchantID)
		switch req.Event {
		case "NEW_TRANSACTIONS_AVAILABLE":
			s.newTransactions(t, req.ExternalUserID, m, countOr(req.Count, 5))
		case "UPDATED_TRANSACTIONS_AVAILABLE":
			s.updateTransactions(t, req.ExternalUserID, m, countOr(req.Count, devUpdatedTransactions))
		default:
			s.disconnect(t, req.ExternalUserID, m)
		}
	default:
		return errNoFlow
	}
	return nil
}

// triggerSession is the session a triggered event belongs to: the one named
// in the request, or a new one for the user.
func (s *Server) triggerSession(t *state.Tenant, req triggerRequest) (state.Session, *knoterr.Error) {
	if req.SessionID != "" {
		sess, ok := t.Session(req.SessionID)
		if !ok {
			return sess, knoterr.Selected(knoterr.Attr("session_id"))
		}
		return sess, nil
	}
	return t.CreateSession(state.Session{Type: productCardSwitcher, ExternalUserID: req.ExternalUserID}, s.clock.Now()), nil
}

func countOr(n, def int) int {
	if n > 0 {
		return n
	}
	return def
}

// webhookEventNames lists the events the document describes.
func (s *Server) webhookEventNames() []string {
	names := make([]string, 0, len(s.world.webhookTemplates))
	for n := range s.world.webhookTemplates {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func loadWebhookTemplates() (map[string]json.RawMessage, error) { return openapi.WebhookExamples() }
