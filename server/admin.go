package server

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/knotmock/knotmock/server/knoterr"
)

// adminRoutes mounts the sandbox's own API under /_mock/. Calls that touch a
// tenant authenticate with that client's Basic credentials, like the API.
func (s *Server) adminRoutes(g *gin.RouterGroup) {
	g.GET("/operations", s.adminOperations)
	g.POST("/reset", s.adminTenant(s.adminReset))
	g.GET("/clock", s.adminClock)
	g.POST("/clock/advance", s.adminAdvance)
	s.adminWebhookRoutes(g)
	g.GET("/scenarios", s.adminScenarios)
}

type scenarioInfo struct {
	Name        string   `json:"name"`
	Description string   `json:"description"`
	Username    *string  `json:"username"`
	Password    *string  `json:"password"`
	Products    []string `json:"products"`
	Merchants   []int    `json:"merchants"`
	DefaultFor  []string `json:"default_for"`
	Source      string   `json:"source"`
	BuiltIn     bool     `json:"built_in"`
}

// adminScenarios lists the scenarios the server runs.
func (s *Server) adminScenarios(c *gin.Context) {
	out := []scenarioInfo{}
	for _, sc := range s.scenarios.All() {
		out = append(out, scenarioInfo{sc.Name, sc.Description, sc.Match.Username, sc.Match.Password,
			sc.Match.Products, sc.Match.Merchants, sc.DefaultFor, sc.Source, sc.BuiltIn})
	}
	c.JSON(http.StatusOK, gin.H{"scenarios": out})
}

// adminTenant authenticates an admin call and passes the client on.
func (s *Server) adminTenant(h func(*gin.Context, *Client)) gin.HandlerFunc {
	return func(c *gin.Context) {
		client, ok := s.clients.authenticate(c.GetHeader("Authorization"))
		if !ok {
			writeErr(c, knoterr.AuthFailed)
			return
		}
		c.Set(ctxClient, client.ID)
		h(c, client)
	}
}

type operationInfo struct {
	OperationID string `json:"operation_id"`
	Method      string `json:"method"`
	Path        string `json:"path"`
	Handler     string `json:"handler"` // "state" or "example"
}

func (s *Server) adminOperations(c *gin.Context) {
	var out []operationInfo
	for _, op := range s.validator.Operations() {
		h := "example"
		if s.handled[op.ID] {
			h = "state"
		}
		out = append(out, operationInfo{op.ID, op.Method, op.Path, h})
	}
	c.JSON(http.StatusOK, gin.H{"operations": out})
}

func (s *Server) adminReset(c *gin.Context, client *Client) {
	if old := s.store.Reset(client.ID); old != nil {
		s.flows.Range(func(_, v any) bool { // its SDK flows stop too
			if f := v.(*flow); f.tenant == old {
				f.close()
				s.flows.Delete(f.id)
			}
			return true
		})
	}
	s.world.hooks.Journal().Reset(client.ID)
	s.log.Info("tenant reset", "client_id", client.ID)
	c.JSON(http.StatusOK, gin.H{"message": "Success"})
}

func (s *Server) clockBody() gin.H {
	return gin.H{"now": s.clock.Now().UTC().Format(time.RFC3339Nano), "offset_seconds": s.clock.Offset().Seconds()}
}

func (s *Server) adminClock(c *gin.Context) { c.JSON(http.StatusOK, s.clockBody()) }

// adminAdvance moves the sandbox clock forward: {"seconds": 1800} or
// {"duration": "30m"}.
func (s *Server) adminAdvance(c *gin.Context) {
	var req struct {
		Seconds  float64 `json:"seconds"`
		Duration string  `json:"duration"`
	}
	if err := json.NewDecoder(c.Request.Body).Decode(&req); err != nil {
		writeErr(c, knoterr.MalformedJSON())
		return
	}
	d := time.Duration(req.Seconds * float64(time.Second))
	if req.Duration != "" {
		parsed, err := time.ParseDuration(req.Duration)
		if err != nil {
			writeErr(c, knoterr.Format(knoterr.Attr("duration")))
			return
		}
		d = parsed
	}
	if d <= 0 {
		writeErr(c, knoterr.Min(knoterr.Attr("seconds"), 0))
		return
	}
	s.clock.Advance(d)
	s.log.Info("clock advanced", "by", d)
	c.JSON(http.StatusOK, s.clockBody())
}
