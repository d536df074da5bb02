package server

import (
	"bytes"
	"crypto/subtle"
	"encoding/base64"
	"strings"
	"sync"
)

// clients authenticates HTTP Basic credentials.
type clients struct {
	byID      map[string]*Client
	byHeader  map[string]*Client // exact "Basic ..." values of configured clients: no decoding per request
	acceptAny bool
	any       sync.Map // client_id → *Client, in accept-any mode
}

func newClients(list []Client, acceptAny bool) *clients {
	cs := &clients{byID: map[string]*Client{}, byHeader: map[string]*Client{}, acceptAny: acceptAny}
	for i := range list {
		c := &list[i]
		cs.byID[c.ID] = c
		cs.byHeader["Basic "+base64.StdEncoding.EncodeToString([]byte(c.ID+":"+c.Secret))] = c
	}
	return cs
}

// authenticate returns the client of an Authorization header.
func (cs *clients) authenticate(header string) (*Client, bool) {
	if c, ok := cs.byHeader[header]; ok {
		return c, true
	}
	id, secret, ok := parseBasic(header)
	if !ok {
		return nil, false
	}
	if c, ok := cs.byID[id]; ok {
		return c, subtle.ConstantTimeCompare([]byte(secret), []byte(c.Secret)) == 1
	}
	if !cs.acceptAny {
		return nil, false
	}
	// Each client_id is its own tenant; its webhooks are signed with the
	// secret it last authenticated with.
	if v, ok := cs.any.Load(id); ok {
		c := v.(*Client)
		if c.Secret == secret {
			return c, true
		}
	}
	c := &Client{ID: id, Secret: secret}
	if v, loaded := cs.any.LoadOrStore(id, c); loaded {
		prev := v.(*Client)
		cp := *prev
		cp.Secret = secret
		cs.any.Store(id, &cp)
		return &cp, true
	}
	return c, true
}

// lookup finds a client by id (configured or seen in accept-any mode).
func (cs *clients) lookup(id string) (*Client, bool) {
	if c, ok := cs.byID[id]; ok {
		return c, true
	}
	if v, ok := cs.any.Load(id); ok {
		return v.(*Client), true
	}
	return nil, false
}

func parseBasic(header string) (id, secret string, ok bool) {
	const prefix = "basic "
	if len(header) < len(prefix) || !strings.EqualFold(header[:len(prefix)], prefix) {
		return "", "", false
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(header[len(prefix):]))
	if err != nil {
		return "", "", false
	}
	id, secret, ok = strings.Cut(string(raw), ":")
	if !ok || id == "" || secret == "" {
		return "", "", false
	}
	return id, secret, true
}

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }
