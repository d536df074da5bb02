package server

import (
	"encoding/json"
	"fmt"

	"github.com/knotmock/knotmock/fixtures"
	"github.com/knotmock/knotmock/server/events"
	"github.com/knotmock/knotmock/server/state"
)

// templateKeys are the top-level keys of an event's documented example.
func (s *Server) templateKeys(name string) (map[string]any, bool) {
	raw, ok := s.world.webhookTemplates[name]
	if !ok {
		return nil, false
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, false
	}
	return m, true
}

// envelopeFromTemplate builds a webhook from its documented example: the
// envelope has the keys the example has, filled from the session, task,
// user and merchant; data is the example's with card_id and metadata taken
// from the session, then the overrides. Scenario webhook steps and
// /_mock/webhooks/trigger build events this way.
func (s *Server) envelopeFromTemplate(name string, sess state.Session, taskID int64, externalUserID string, m *fixtures.Merchant, overrides map[string]any) (events.Envelope, error) {
	tmpl, ok := s.templateKeys(name)
	if !ok {
		return events.Envelope{}, fmt.Errorf("no documented webhook %q", name)
	}
	env := events.Envelope{Event: name}
	if _, has := tmpl["session_id"]; has {
		env.SessionID = sess.ID
	}
	if _, has := tmpl["task_id"]; has {
		env.TaskID = taskID
	}
	if _, has := tmpl["external_user_id"]; has {
		env.ExternalUserID = externalUserID
	}
	if _, has := tmpl["merchant"]; has && m != nil {
		env.Merchant = merchantRef(*m)
		if name == "MERCHANT_STATUS_UPDATE" {
			env.Merchant.Category = m.Category
		}
	}
	data, _ := tmpl["data"].(map[string]any)
	if data != nil || overrides != nil {
		merged := map[string]any{}
		for k, v := range data {
			merged[k] = v
		}
		if _, has := merged["metadata"]; has {
			merged["metadata"] = metadata(sess.Metadata)
		}
		if _, has := merged["card_id"]; has {
			merged["card_id"] = nullable(sess.CardID)
		}
		for k, v := range overrides {
			merged[k] = v
		}
		env.Data = merged
	}
	if u, has := tmpl["updated"]; has {
		env.Updated = u
	}
	if h, ok := tmpl["has_supported_merchants"].(bool); ok {
		env.HasSupportedMerchants = &h
	}
	return env, nil
}
