package server

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/knotmock/knotmock/server/knoterr"
	"github.com/knotmock/knotmock/server/webhook"
)

// maxWait bounds a long-poll on the deliveries journal.
const maxWait = 60 * time.Second

func (s *Server) adminWebhookRoutes(g *gin.RouterGroup) {
	g.GET("/webhooks/urls", s.adminTenant(s.adminGetURLs))
	g.PUT("/webhooks/urls", s.adminTenant(s.adminPutURLs))
	g.GET("/webhooks/deliveries", s.adminTenant(s.adminDeliveries))
	g.POST("/webhooks/deliveries/:id/replay", s.adminTenant(s.adminReplay))
	g.POST("/webhooks/trigger", s.adminTenant(s.adminTrigger))
	g.GET("/webhooks/stats", func(c *gin.Context) { c.JSON(http.StatusOK, s.world.hooks.Stats()) })
}

func (s *Server) webhookURLs(clientID string) []string {
	if v, ok := s.world.urls.Load(clientID); ok {
		return v.([]string)
	}
	return []string{}
}

func (s *Server) adminGetURLs(c *gin.Context, client *Client) {
	c.JSON(http.StatusOK, gin.H{"urls": s.webhookURLs(client.ID)})
}

// adminPutURLs replaces a client's webhook URLs: {"urls": ["http://..."]}.
func (s *Server) adminPutURLs(c *gin.Context, client *Client) {
	var req struct {
		URLs []string `json:"urls"`
	}
	if err := decodeAdmin(c, &req); err != nil {
		writeErr(c, err)
		return
	}
	if err := checkWebhookURLs(req.URLs); err != nil {
		writeErr(c, err)
		return
	}
	if req.URLs == nil {
		req.URLs = []string{}
	}
	s.world.urls.Store(client.ID, req.URLs)
	s.log.Info("webhook URLs changed", "client_id", client.ID, "count", len(req.URLs))
	c.JSON(http.StatusOK, gin.H{"urls": req.URLs})
}

// checkWebhookURLs applies Knot's rules: at most 10, absolute http(s) URLs.
func checkWebhookURLs(urls []string) *knoterr.Error {
	if len(urls) > 10 {
		return knoterr.MaxItems(knoterr.Attr("urls"), 10)
	}
	for i, raw := range urls {
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return knoterr.Format(knoterr.Attr("urls", strconv.Itoa(i)))
		}
	}
	return nil
}

// adminDeliveries lists journaled deliveries, filtered by query parameters
// (event, external_user_id, session_id, merchant_id, status, url,
// since_seq). With wait=<duration> it first blocks until a matching
// delivery has a final status (or, with status=, that status).
func (s *Server) adminDeliveries(c *gin.Context, client *Client) {
	q := c.Request.URL.Query()
	f := webhook.Filter{
		Event: q.Get("event"), ExternalUserID: q.Get("external_user_id"), SessionID: q.Get("session_id"),
		Status: webhook.Status(q.Get("status")), URL: q.Get("url"),
	}
	for name, dst := range map[string]*int{"merchant_id": &f.MerchantID} {
		if v := q.Get(name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				writeErr(c, knoterr.Integer(knoterr.Attr(name)))
				return
			}
			*dst = n
		}
	}
	if v := q.Get("since_seq"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			writeErr(c, knoterr.Integer(knoterr.Attr("since_seq")))
			return
		}
		f.SinceSeq = n
	}
	if v := q.Get("wait"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 || d > maxWait {
			writeErr(c, knoterr.Format(knoterr.Attr("wait")))
			return
		}
		ctx, cancel := context.WithTimeout(c.Request.Context(), d)
		defer cancel()
		if _, err := s.world.hooks.Journal().Wait(ctx, client.ID, f); err != nil {
			writeErr(c, knoterr.WaitTimeout(d))
			return
		}
	}
	list := s.world.hooks.Journal().List(client.ID, f)
	if list == nil {
		list = []webhook.Delivery{}
	}
	c.JSON(http.StatusOK, gin.H{"deliveries": list})
}

func (s *Server) adminReplay(c *gin.Context, client *Client) {
	d, err := s.world.hooks.Replay(client.ID, c.Param("id"))
	switch {
	case errors.Is(err, webhook.ErrNotFound):
		writeErr(c, knoterr.Selected(knoterr.Attr("delivery_id")))
	case err != nil:
		writeErr(c, knoterr.Unavailable("the webhook sender is closed"))
	default:
		c.JSON(http.StatusAccepted, d)
	}
}

func decodeAdmin(c *gin.Context, v any) *knoterr.Error {
	body, kerr := readBody(c, 1<<20)
	if kerr != nil {
		return kerr
	}
	if len(body) == 0 {
		return knoterr.MalformedJSON()
	}
	if err := json.Unmarshal(body, v); err != nil {
		return knoterr.MalformedJSON()
	}
	return nil
}
