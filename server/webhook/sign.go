// Package webhook is knotmock's one webhook sender: it signs each event as
// Knot does, POSTs it to every webhook URL of the client with Knot's timeout
// and retry policy, keeps per-user ordering, and journals every event and
// every attempt so tests can list, wait for and replay deliveries.
package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"strings"
)

// Header values sent with every webhook.
const (
	ContentType    = "application/json"
	EncryptionType = "HMAC-SHA256"
	UserAgent      = "knotmock-webhooks"
)

// Sign computes the Knot-Signature header value.
//
// This is the scheme of Knot's docs (/webhooks, "Knot-Signature"): the
// headers Content-Length, Content-Type and Encryption-Type and the body
// fields event and session_id are joined as key|value pairs, in that order,
//
//	Content-Length|178|Content-Type|application/json|Encryption-Type|HMAC-SHA256|event|CARD_UPDATED|session_id|fb5aa994-ed1c-4c3e-b29a-b2a53222e584
//
// with the session_id pair left out when the event has no session (e.g.
// MERCHANT_STATUS_UPDATE). The string is signed with HMAC-SHA256 keyed with
// the client secret and encoded in standard base64 with padding. The body
// itself is not signed.
func Sign(secret string, contentLength int, eventName, sessionID string) string {
	var b strings.Builder
	b.Grow(96 + len(eventName) + len(sessionID))
	b.WriteString("Content-Length|")
	b.WriteString(strconv.Itoa(contentLength))
	b.WriteString("|Content-Type|" + ContentType)
	b.WriteString("|Encryption-Type|" + EncryptionType)
	b.WriteString("|event|")
	b.WriteString(eventName)
	if sessionID != "" {
		b.WriteString("|session_id|")
		b.WriteString(sessionID)
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(b.String()))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}
