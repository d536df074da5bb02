// Package server is the knotmock HTTP server: routes generated from the
// OpenAPI document, Basic auth, validation, the Prefer header, and handlers
// with per-client state.
package server

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"sort"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/gin-gonic/gin"

	"github.com/knotmock/knotmock/openapi"
	"github.com/knotmock/knotmock/scenarios"
	"github.com/knotmock/knotmock/server/clock"
	"github.com/knotmock/knotmock/server/events"
	"github.com/knotmock/knotmock/server/knoterr"
	"github.com/knotmock/knotmock/server/sdkpage"
	"github.com/knotmock/knotmock/server/state"
	"github.com/knotmock/knotmock/server/validate"
)

// Server is one sandbox: its document, clients, state and routes.
type Server struct {
	cfg       Config
	log       *slog.Logger
	doc       *openapi3.T
	validator *validate.Validator
	catalogue *knoterr.Catalogue
	clients   *clients
	store     *state.Store
	clock     *clock.Clock
	events    *events.Stream
	engine    *gin.Engine
	handled   map[string]bool // operationId → has a handler of its own
	world     world
	scenarios *scenarios.Set
	flows     sync.Map // flow id → *flow
	analytics analytics
}

// Handler serves one operation after auth and validation.
type Handler func(*Call)

// api is a group of handlers (one product); it resolves the error examples
// it needs when it is built.
type api interface {
	handlers() map[string]Handler
}

// apiConstructors are the handler groups; each product file registers its
// own from init, so adding a product touches no shared list.
var apiConstructors []func(*Server, *knoterr.Resolver) api

func registerAPI(newAPI func(*Server, *knoterr.Resolver) api) {
	apiConstructors = append(apiConstructors, newAPI)
}

// New builds a server. It fails when the document is invalid, a handler
// names an error example the document lacks, or the configuration is wrong.
func New(cfg Config) (*Server, error) {
	cfg.defaults()
	if err := cfg.check(); err != nil {
		return nil, err
	}
	doc, err := openapi.LoadServing()
	if err != nil {
		return nil, err
	}
	cat, err := knoterr.NewCatalogue(doc)
	if err != nil {
		return nil, err
	}
	v, err := validate.New(doc, cat)
	if err != nil {
		return nil, err
	}
	s := &Server{
		cfg: cfg, log: cfg.Logger, doc: doc, validator: v, catalogue: cat,
		clients: newClients(cfg.Clients, cfg.AcceptAnyCredentials),
		store:   state.NewStore(), clock: cfg.Clock, events: events.NewStream(),
		handled: map[string]bool{},
	}
	if err := s.initWorld(); err != nil {
		return nil, err
	}
	if s.scenarios, err = loadScenarios(cfg.ScenariosDir, v, s.webhookEventNames()); err != nil {
		return nil, err
	}
	res := cat.Resolver()
	var apis []api
	for _, newAPI := range apiConstructors {
		apis = append(apis, newAPI(s, res))
	}
	if err := res.Err(); err != nil {
		return nil, err
	}
	handlers := map[string]Handler{}
	for _, a := range apis {
		for id, h := range a.handlers() {
			if _, ok := v.Operation(id); !ok {
				return nil, fmt.Errorf("server: handler for unknown operation %q", id)
			}
			if _, dup := handlers[id]; dup {
				return nil, fmt.Errorf("server: two handlers for operation %q", id)
			}
			handlers[id] = h
		}
	}
	if err := s.routes(handlers); err != nil {
		return nil, err
	}
	return s, nil
}

// Handler is the server as an http.Handler.
func (s *Server) Handler() http.Handler { return s.engine }

// Events is the stream of webhook-worthy events.
func (s *Server) Events() *events.Stream { return s.events }

// Clock is the sandbox clock.
func (s *Server) Clock() *clock.Clock { return s.clock }

// Close stops background timers and waits, within ctx, for webhook
// deliveries in flight.
func (s *Server) Close(ctx context.Context) error { return s.closeWorld(ctx) }

// loadScenarios reads the built-in scenarios and, from dir, the user's,
// checking every webhook and operation they name against the document.
func loadScenarios(dir string, v *validate.Validator, webhooks []string) (*scenarios.Set, error) {
	opts := scenarios.Options{Webhooks: webhooks}
	for _, op := range v.Operations() {
		opts.Operations = append(opts.Operations, op.ID)
	}
	if dir == "" {
		return scenarios.Builtin(opts)
	}
	return scenarios.Load(dir, opts)
}

// Scenarios is the set of scenarios the server runs.
func (s *Server) Scenarios() *scenarios.Set { return s.scenarios }

// ExampleOperations lists the operations that still answer with their
// documented success example because no handler implements them.
func (s *Server) ExampleOperations() []string {
	var out []string
	for _, op := range s.validator.Operations() {
		if !s.handled[op.ID] {
			out = append(out, op.ID)
		}
	}
	sort.Strings(out)
	return out
}

func (s *Server) routes(handlers map[string]Handler) error {
	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	e.HandleMethodNotAllowed = true
	e.Use(s.recoverPanics, s.logRequests)
	allowed := map[string][]string{} // gin path → methods, for 405
	for _, op := range s.validator.Operations() {
		canned, err := newCanned(op)
		if err != nil {
			return err
		}
		h, ok := handlers[op.ID]
		if !ok {
			h = canned.success
		}
		s.handled[op.ID] = ok
		path := ginPath(op.Path)
		e.Handle(op.Method, path, s.operation(op, canned, h))
		allowed[path] = append(allowed[path], op.Method)
	}
	e.GET("/healthz", func(c *gin.Context) {
		c.Data(http.StatusOK, "application/json", []byte(`{"status":"ok"}`))
	})
	s.adminRoutes(e.Group("/_mock"))
	s.sdkRoutes(e)
	sdkpage.Register(e)
	e.NoRoute(func(c *gin.Context) { writeErr(c, knoterr.RouteNotFound(c.Request.URL.Path)) })
	e.NoMethod(func(c *gin.Context) {
		methods := allowed[c.FullPath()]
		if methods == nil {
			methods = strings.Split(c.Writer.Header().Get("Allow"), ", ")
		}
		sort.Strings(methods)
		writeErr(c, knoterr.MethodNotAllowed(c.Request.Method, c.Request.URL.Path, methods))
	})
	s.engine = e
	return nil
}

// ginPath turns an OpenAPI template (/transactions/{id}) into gin's syntax.
func ginPath(p string) string {
	var b strings.Builder
	for _, seg := range strings.Split(p, "/") {
		if seg == "" {
			continue
		}
		b.WriteByte('/')
		if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") {
			b.WriteByte(':')
			b.WriteString(seg[1 : len(seg)-1])
		} else {
			b.WriteString(seg)
		}
	}
	return b.String()
}

// operation is the per-route chain: auth → Prefer → body → validation →
// handler. Everything it needs was prepared at start-up.
func (s *Server) operation(op *validate.Operation, canned *canned, h Handler) gin.HandlerFunc {
	return func(c *gin.Context) {
		client, ok := s.clients.authenticate(c.GetHeader("Authorization"))
		if !ok {
			writeErr(c, knoterr.AuthFailed)
			return
		}
		c.Set(ctxClient, client.ID)
		if pref := c.GetHeader("Prefer"); pref != "" {
			if e := canned.prefer(c, pref); e != nil {
				writeErr(c, e)
			}
			return
		}
		tenant := s.store.Tenant(client.ID)
		if f, ok := tenant.TakeFault(op.ID); ok { // a scenario's one-off fault
			if f.Delay <= 0 {
				canned.fault(c, f.Status, f.Example)
				return
			}
			select {
			case <-s.clock.After(f.Delay):
			case <-c.Request.Context().Done():
				return
			}
		}
		body, kerr := readBody(c, s.cfg.MaxBodyBytes)
		if kerr != nil {
			writeErr(c, kerr)
			return
		}
		var params map[string]string
		if len(c.Params) > 0 {
			params = make(map[string]string, len(c.Params))
			for _, p := range c.Params {
				params[p.Key] = p.Value
			}
		}
		fields, kerr := op.Validate(c.Request, params, body)
		if kerr != nil {
			writeErr(c, kerr)
			return
		}
		h(&Call{Context: c, s: s, Op: op, Client: client, Tenant: tenant, Body: body, Fields: fields})
	}
}
