package server

import (
	"encoding/json"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/knotmock/knotmock/fixtures"
	"github.com/knotmock/knotmock/server/state"
)

// The headless SDK API (docs/scenarios.md): what the SDK page does, for
// tests without a browser. The page knows only the session id and client
// id, so calls are authenticated by a live session of that client. Errors
// use the UI error codes knotapi-js maps to its onError codes.

// sdkError is an error of the SDK's UI, as knotapi-js expects it.
type sdkError struct {
	status  int
	Code    string `json:"errorCode"`
	Message string `json:"message"`
}

// The UI errors, in one place.
var (
	sdkSessionNotFound = sdkError{http.StatusBadRequest, "Session_Not_Found", "The session ID is invalid."}
	sdkSessionExpired  = sdkError{http.StatusBadRequest, "Session_Expired", "The session has expired."}
	sdkClientNotFound  = sdkError{http.StatusBadRequest, "Client_ID_Not_Found", "The client ID is invalid."}
	sdkMerchantNeeded  = sdkError{http.StatusBadRequest, "MERCHANT_ID_NOT_FOUND", "Merchant ID is required in all SDKs."}
	sdkMerchantUnknown = sdkError{http.StatusBadRequest, "MERCHANT_ID_NOT_FOUND", "The merchant ID is invalid for this session."}
	sdkFlowNotFound    = sdkError{http.StatusNotFound, "FLOW_NOT_FOUND", "The flow ID is invalid."}
	sdkBadBody         = sdkError{http.StatusBadRequest, "INVALID_REQUEST", "The request body must be valid JSON with the documented fields."}
)

func sdkWrongState(status string) sdkError {
	return sdkError{http.StatusConflict, "FLOW_STATE", "The flow is " + status + " and cannot take this step now."}
}

func (e sdkError) write(c *gin.Context) { c.AbortWithStatusJSON(e.status, e) }

// merchantProduct is the List Merchants type of a session type.
var merchantProduct = map[string]string{
	productCardSwitcher: fixtures.ProductCardSwitcher, productTransactionLink: fixtures.ProductTransactionLink,
	productLink: fixtures.ProductShopping, productVault: fixtures.ProductVault,
}

func (s *Server) sdkRoutes(e *gin.Engine) {
	cors := func(c *gin.Context) {
		c.Header("Access-Control-Allow-Origin", "*")
		c.Header("Access-Control-Allow-Headers", "Content-Type")
		c.Header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
		if c.Request.Method == http.MethodOptions {
			c.AbortWithStatus(http.StatusNoContent)
		}
	}
	g := e.Group("/_mock/sdk", cors)
	g.OPTIONS("/*any", func(*gin.Context) {})
	g.POST("/init", s.sdkInit)
	g.POST("/flows", s.sdkStartFlow)
	g.GET("/flows/:id", s.sdkFlow(s.sdkGetFlow))
	g.POST("/flows/:id/login", s.sdkFlow(s.sdkLogin))
	g.POST("/flows/:id/input", s.sdkFlow(s.sdkInput))
	g.POST("/flows/:id/close", s.sdkFlow(s.sdkClose))
	g.GET("/analytics", s.sdkAnalytics)
	e.OPTIONS("/events", cors)
	e.POST("/events", cors, s.sdkEvents)
}

type sdkSessionRequest struct {
	SessionID   string            `json:"sessionId"`
	ClientID    string            `json:"clientId"`
	MerchantIDs []int             `json:"merchantIds"`
	MerchantID  int               `json:"merchantId"`
	EntryPoint  *string           `json:"entryPoint"`
	Metadata    map[string]string `json:"metadata"`
}

// sdkSession checks what the SDK page was given: a client, and a live
// session of that client.
func (s *Server) sdkSession(c *gin.Context, req *sdkSessionRequest) (*state.Tenant, state.Session, bool) {
	if err := json.NewDecoder(http.MaxBytesReader(c.Writer, c.Request.Body, 1<<20)).Decode(req); err != nil {
		sdkBadBody.write(c)
		return nil, state.Session{}, false
	}
	if _, ok := s.clients.lookup(req.ClientID); !ok {
		sdkClientNotFound.write(c)
		return nil, state.Session{}, false
	}
	t := s.store.Tenant(req.ClientID)
	sess, ok := t.Session(req.SessionID)
	switch {
	case !ok:
		sdkSessionNotFound.write(c)
		return nil, sess, false
	case sess.Expired(s.clock.Now()):
		sdkSessionExpired.write(c)
		return nil, sess, false
	}
	return t, sess, true
}

type sdkHint struct {
	Username string `json:"username"`
	Password string `json:"password"`
	Outcome  string `json:"outcome"`
}

func (s *Server) sdkInit(c *gin.Context) {
	var req sdkSessionRequest
	_, sess, ok := s.sdkSession(c, &req)
	if !ok {
		return
	}
	needsMerchant := sess.Type == productTransactionLink || sess.Type == productLink
	if needsMerchant && len(req.MerchantIDs) == 0 {
		sdkMerchantNeeded.write(c)
		return
	}
	merchants := []listedMerchant{}
	categories := map[string]bool{}
	for _, m := range s.sdkMerchants(sess.Type, req.MerchantIDs) {
		merchants = append(merchants, listedMerchant{ID: m.ID, Name: m.Name, Category: m.Category, Logo: m.Logo})
		categories[m.Category] = true
	}
	cats := make([]string, 0, len(categories))
	for cat := range categories {
		cats = append(cats, cat)
	}
	sort.Strings(cats)
	hints := []sdkHint{}
	for _, sc := range s.scenarios.All() {
		if sc.Match.Username != nil && sc.Match.Password != nil && (len(sc.Match.Products) == 0 || slices.Contains(sc.Match.Products, sess.Type)) {
			hints = append(hints, sdkHint{*sc.Match.Username, *sc.Match.Password, sc.Description})
		}
	}
	c.JSON(http.StatusOK, gin.H{
		"product": sess.Type, "merchants": merchants, "categories": cats, "hints": hints,
		"expires_at": sess.ExpiresAt.UTC().Format(time.RFC3339), "refresh_at": sess.ExpiresAt.Add(-5 * time.Second).UTC().Format(time.RFC3339),
	})
}

// sdkMerchants are the merchants the SDK offers for a session type,
// narrowed to merchantIds when given.
func (s *Server) sdkMerchants(sessionType string, ids []int) []fixtures.Merchant {
	var out []fixtures.Merchant
	for _, m := range s.world.merchants.Supporting(merchantProduct[sessionType]) {
		if len(ids) == 0 || slices.Contains(ids, m.ID) {
			out = append(out, m)
		}
	}
	return out
}

func (s *Server) sdkStartFlow(c *gin.Context) {
	var req sdkSessionRequest
	t, sess, ok := s.sdkSession(c, &req)
	if !ok {
		return
	}
	m, ok := s.world.merchants.ByID(req.MerchantID)
	if !ok || !m.Supports(merchantProduct[sess.Type]) {
		sdkMerchantUnknown.write(c)
		return
	}
	f := s.newFlow(t, sess, m, true)
	f.entrypoint = req.EntryPoint
	for k, v := range req.Metadata { // SDK metadata overrides the session's
		f.metadata[k] = v
	}
	f.sdk("MERCHANT_CLICKED", nil, nil)
	s.watchSession(f)
	c.JSON(http.StatusCreated, f.view())
}

// sdkFlow finds the flow of the URL for a handler.
func (s *Server) sdkFlow(h func(*gin.Context, *flow)) gin.HandlerFunc {
	return func(c *gin.Context) {
		v, ok := s.flows.Load(c.Param("id"))
		if !ok {
			sdkFlowNotFound.write(c)
			return
		}
		h(c, v.(*flow))
	}
}

// settleWait bounds how long a call waits for its flow to settle; a flow
// still working after it is polled with GET ?after=.
const settleWait = 10 * time.Second

func (s *Server) sdkGetFlow(c *gin.Context, f *flow) {
	after, err := strconv.Atoi(c.DefaultQuery("after", "-1"))
	if err != nil {
		sdkBadBody.write(c)
		return
	}
	if w := c.Query("wait"); w != "" {
		d, err := time.ParseDuration(w)
		if err != nil || d > maxWait {
			sdkBadBody.write(c)
			return
		}
		f.waitChange(c.Request.Context(), after, false, d)
	}
	c.JSON(http.StatusOK, f.view())
}

func (s *Server) sdkLogin(c *gin.Context, f *flow) {
	var req struct{ Username, Password string }
	if err := c.ShouldBindJSON(&req); err != nil {
		sdkBadBody.write(c)
		return
	}
	v := f.view()
	if v.Status != flowLogin {
		sdkWrongState(v.Status).write(c)
		return
	}
	sc, ok := s.scenarios.ForLogin(f.scenarioLogin(req.Username, req.Password))
	if !ok {
		sdkBadBody.write(c) // unreachable with the built-in fallback scenario
		return
	}
	if !f.start(sc) {
		sdkWrongState(f.view().Status).write(c)
		return
	}
	s.log.Info("sdk login", "client_id", f.tenant.ClientID, "merchant_id", f.merchant.ID, "scenario", sc.Name)
	f.waitChange(c.Request.Context(), v.Version, true, settleWait)
	c.JSON(http.StatusOK, f.view())
}

func (s *Server) sdkInput(c *gin.Context, f *flow) {
	var req struct {
		Kind     string   `json:"kind"`
		Value    string   `json:"value"`
		Answers  []string `json:"answers"`
		Approved bool     `json:"approved"`
	}
	if err := c.ShouldBindJSON(&req); err != nil {
		sdkBadBody.write(c)
		return
	}
	a := answer{kind: req.Kind, values: req.Answers, approved: req.Approved}
	if req.Kind != "questions" && req.Kind != "approval" {
		a.values = []string{req.Value}
	}
	v := f.view()
	if !f.submit(a) {
		sdkWrongState(v.Status).write(c)
		return
	}
	f.waitChange(c.Request.Context(), v.Version+1, true, settleWait)
	c.JSON(http.StatusOK, f.view())
}

func (s *Server) sdkClose(c *gin.Context, f *flow) {
	f.close()
	c.JSON(http.StatusOK, f.view())
}

// watchSession sends REFRESH_SESSION_REQUEST 5 s before the flow's session
// expires and ends the flow if it does expire (unless extended meanwhile).
func (s *Server) watchSession(f *flow) {
	s.world.bg.Add(1)
	go func() {
		defer s.world.bg.Done()
		defer s.forgetLater(f)
		var refreshed time.Time // the expiry a refresh request was sent for
		for {
			sess, ok := f.tenant.Session(f.session.ID)
			if !ok || f.view().Status == flowClosed {
				return
			}
			now := s.clock.Now()
			refreshAt := sess.ExpiresAt.Add(-5 * time.Second)
			switch {
			case sess.Expired(now):
				s.sessionExpired(f)
				return
			case !now.Before(refreshAt) && !refreshed.Equal(sess.ExpiresAt):
				refreshed = sess.ExpiresAt
				if f.view().Status != flowSuccess && f.view().Status != flowError {
					f.sdk("REFRESH_SESSION_REQUEST", nil, nil)
				}
				continue
			}
			wake := refreshAt
			if refreshed.Equal(sess.ExpiresAt) {
				wake = sess.ExpiresAt
			}
			select {
			case <-s.clock.Until(wake):
			case <-f.done:
				return
			case <-s.world.stop:
				return
			}
		}
	}()
}

// sessionExpired stops a flow still in the SDK; one that already ended
// goes on with its background steps.
func (s *Server) sessionExpired(f *flow) {
	f.mu.Lock()
	wasEnded, cancel := f.ended, f.cancel
	f.mu.Unlock()
	if wasEnded {
		return
	}
	f.end(flowError, nil, map[string]any{"message": sdkSessionExpired.Message, "errorCode": sdkSessionExpired.Code})
	if cancel != nil {
		cancel()
	}
}

// analytics keeps the last knotapi-js analytics calls (POST /events).
type analytics struct {
	mu    sync.Mutex
	calls []json.RawMessage
}

const analyticsKept = 1000

func (s *Server) sdkEvents(c *gin.Context) {
	var body json.RawMessage
	if err := json.NewDecoder(http.MaxBytesReader(c.Writer, c.Request.Body, 64<<10)).Decode(&body); err != nil {
		sdkBadBody.write(c)
		return
	}
	s.analytics.mu.Lock()
	s.analytics.calls = append(s.analytics.calls, body)
	if len(s.analytics.calls) > analyticsKept {
		s.analytics.calls = s.analytics.calls[len(s.analytics.calls)-analyticsKept:]
	}
	s.analytics.mu.Unlock()
	c.Data(http.StatusOK, "application/json", successBody)
}

func (s *Server) sdkAnalytics(c *gin.Context) {
	s.analytics.mu.Lock()
	calls := append([]json.RawMessage{}, s.analytics.calls...)
	s.analytics.mu.Unlock()
	c.JSON(http.StatusOK, gin.H{"calls": calls})
}
