package server

import (
	"log/slog"
	"runtime/debug"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/knotmock/knotmock/server/knoterr"
)

// logRequests writes one line per request: method, route template, status,
// duration and client_id. Never bodies, headers or raw paths' query strings:
// they can hold session ids and card data.
func (s *Server) logRequests(c *gin.Context) {
	start := time.Now()
	c.Next()
	route := c.FullPath()
	if route == "" {
		route = "(no route)"
	}
	level := slog.LevelInfo
	if c.Writer.Status() >= 500 {
		level = slog.LevelError
	}
	if !s.log.Enabled(c.Request.Context(), level) {
		return
	}
	s.log.LogAttrs(c.Request.Context(), level, "request",
		slog.String("method", c.Request.Method),
		slog.String("route", route),
		slog.Int("status", c.Writer.Status()),
		slog.Duration("duration", time.Since(start)),
		slog.String("client_id", c.GetString(ctxClient)),
	)
}

// recoverPanics turns a handler panic into Knot's 500 body and a log line,
// so a bug never drops the connection.
func (s *Server) recoverPanics(c *gin.Context) {
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("panic while serving a request", "route", c.FullPath(), "panic", r, "stack", string(debug.Stack()))
			writeErr(c, knoterr.ServerError)
		}
	}()
	c.Next()
}
