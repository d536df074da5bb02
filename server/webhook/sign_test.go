package webhook_test

import (
	"bytes"
	"net/http"
	"strconv"
	"testing"

	"github.com/knotmock/knotmock/server/webhook"
)

// Expected values computed once with
//
//	printf '%s' '<string>' | openssl dgst -sha256 -hmac 'sk_test_knotmock_5e1f0c' -binary | base64
//
// on the two strings of Knot's docs.
func TestSignDocVectors(t *testing.T) {
	cases := []struct {
		name, event, session, want string
	}{
		{"CARD_UPDATED", "CARD_UPDATED", "fb5aa994-ed1c-4c3e-b29a-b2a53222e584",
			"mPJUdTf04fYO0VmOyLwcZX3ahWn9a+tphrhex1sh6Y4="},
		{"MERCHANT_STATUS_UPDATE without session", "MERCHANT_STATUS_UPDATE", "",
			"Re4D6AR6r2SpglT2FU6Yreq8SY8upGn0Qgkf7j8jpTg="},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := webhook.Sign(testSecret, 178, c.event, c.session); got != c.want {
				t.Fatalf("Sign = %q, want %q", got, c.want)
			}
			// The independent verifier agrees with the vector too.
			h := http.Header{"Content-Length": {"178"}, "Content-Type": {"application/json"},
				"Encryption-Type": {"HMAC-SHA256"}, "Knot-Signature": {c.want}}
			body := `{"event":"` + c.event + `"`
			if c.session != "" {
				body += `,"session_id":"` + c.session + `"`
			}
			if err := verify(testSecret, h, []byte(body+"}")); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestSignDependsOnEveryInput(t *testing.T) {
	base := webhook.Sign(testSecret, 178, "CARD_UPDATED", "s1")
	for name, other := range map[string]string{
		"secret":  webhook.Sign(testSecret+"x", 178, "CARD_UPDATED", "s1"),
		"length":  webhook.Sign(testSecret, 179, "CARD_UPDATED", "s1"),
		"event":   webhook.Sign(testSecret, 178, "CARD_FAILED", "s1"),
		"session": webhook.Sign(testSecret, 178, "CARD_UPDATED", "s2"),
		"none":    webhook.Sign(testSecret, 178, "CARD_UPDATED", ""),
	} {
		if other == base {
			t.Errorf("changing the %s does not change the signature", name)
		}
	}
}

// TestDeliveredHeadersAndBody checks what a receiver sees: the exact body,
// exactly the documented headers plus User-Agent, and a signature that
// verifies, with and without session_id.
func TestDeliveredHeadersAndBody(t *testing.T) {
	rc := newReceiver(t, nil)
	var c clients
	c.set("cli", testSecret, rc.URL+"/hook")
	d := newDispatcher(t, &c, nil)

	evs := []struct{ name, user, session string }{
		{"CARD_UPDATED", "user-1", "fb5aa994-ed1c-4c3e-b29a-b2a53222e584"},
		{"MERCHANT_STATUS_UPDATE", "", ""},
	}
	var sent [][]byte
	for i, e := range evs {
		ev := event("cli", e.name, e.user, e.session, i)
		sent = append(sent, ev.Payload)
		d.Publish(ev)
		dl := waitFor(t, d, "cli", webhook.Filter{Event: e.name})
		if dl.Status != webhook.StatusDelivered || len(dl.Attempts) != 1 || dl.Attempts[0].StatusCode != 200 {
			t.Fatalf("%s: delivery %+v", e.name, dl)
		}
	}
	hits := rc.all()
	if len(hits) != 2 {
		t.Fatalf("receiver got %d requests, want 2", len(hits))
	}
	for i, h := range hits {
		if h.method != http.MethodPost {
			t.Errorf("method %s", h.method)
		}
		if !bytes.Equal(h.body, sent[i]) {
			t.Errorf("body %s, want %s", h.body, sent[i])
		}
		want := map[string]string{
			"Content-Type":    "application/json",
			"Content-Length":  strconv.Itoa(len(sent[i])),
			"Encryption-Type": "HMAC-SHA256",
			"User-Agent":      "knotmock-webhooks",
		}
		for k, v := range want {
			if got := h.header.Values(k); len(got) != 1 || got[0] != v {
				t.Errorf("header %s = %q, want %q", k, got, v)
			}
		}
		for k := range h.header {
			if _, ok := want[k]; !ok && k != "Knot-Signature" {
				t.Errorf("unexpected header %s: %q", k, h.header.Values(k))
			}
		}
		if err := verify(testSecret, h.header, h.body); err != nil {
			t.Errorf("%s: %v", evs[i].name, err)
		}
		if err := verify("wrong-secret", h.header, h.body); err == nil {
			t.Error("signature verifies with the wrong secret")
		}
	}
}
