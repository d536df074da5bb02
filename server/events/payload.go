package events

import (
	"encoding/json"
	"strconv"
	"time"
)

// Merchant is the merchant object of a webhook.
type Merchant struct {
	ID       int    `json:"id"`
	Name     string `json:"name"`
	Category string `json:"category,omitempty"` // MERCHANT_STATUS_UPDATE only
	Logo     string `json:"logo,omitempty"`
}

// Envelope is Knot's webhook body (knot-api.md §3.3), fields in Knot's
// order. Empty optional fields are left out, as in Knot's examples.
type Envelope struct {
	Event          string    `json:"event"`
	SessionID      string    `json:"session_id,omitempty"`
	TaskID         int64     `json:"task_id,omitempty"`
	ExternalUserID string    `json:"external_user_id,omitempty"`
	Merchant       *Merchant `json:"merchant,omitempty"`
	Data           any       `json:"data,omitempty"`
	Updated        any       `json:"updated,omitempty"` // UPDATED_TRANSACTIONS_AVAILABLE keeps it at top level
	// HasSupportedMerchants is NEW_DETECTED_ACCOUNTS_AVAILABLE's flag.
	HasSupportedMerchants *bool `json:"has_supported_merchants,omitempty"`
	Timestamp             any   `json:"timestamp"`
}

// stringTimestamp lists the events whose documented timestamp is a string
// of digits rather than an integer.
var stringTimestamp = map[string]bool{"SYNC_CART_SUCCEEDED": true}

// Render turns an envelope into an Event for a client at a time: the
// timestamp is Unix milliseconds, as Knot sends it.
func (e Envelope) Render(clientID string, at time.Time) (Event, error) {
	ms := at.UnixMilli()
	if stringTimestamp[e.Event] {
		e.Timestamp = strconv.FormatInt(ms, 10)
	} else {
		e.Timestamp = ms
	}
	b, err := json.Marshal(e)
	if err != nil {
		return Event{}, err
	}
	ev := Event{
		ClientID: clientID, Name: e.Event, SessionID: e.SessionID, ExternalUserID: e.ExternalUserID,
		TaskID: e.TaskID, Payload: b, CreatedAt: at,
	}
	if e.Merchant != nil {
		ev.MerchantID = e.Merchant.ID
	}
	return ev, nil
}
