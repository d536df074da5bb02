// Package servertest runs knotmock in-process for Go tests, the way
// httptest runs a handler:
//
//	srv := servertest.New(t)
//	resp := srv.Post(t, "/session/create", `{"type":"link","external_user_id":"u1"}`)
//
// The server is closed by t.Cleanup.
package servertest

import (
	"context"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/knotmock/knotmock/server"
)

// Server is a running sandbox and a client for it.
type Server struct {
	*server.Server
	URL      string
	ClientID string
	Secret   string
	http     *httptest.Server
}

// New starts a sandbox with cfg (the zero Config serves the default
// development client) and closes it when the test ends.
func New(t testing.TB, cfg ...server.Config) *Server {
	t.Helper()
	var c server.Config
	if len(cfg) > 0 {
		c = cfg[0]
	}
	srv, err := server.New(c)
	if err != nil {
		t.Fatalf("servertest: %v", err)
	}
	hs := httptest.NewServer(srv.Handler())
	s := &Server{Server: srv, URL: hs.URL, ClientID: server.DefaultClientID, Secret: server.DefaultSecret, http: hs}
	if len(c.Clients) > 0 {
		s.ClientID, s.Secret = c.Clients[0].ID, c.Clients[0].Secret
	}
	t.Cleanup(func() {
		hs.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Close(ctx)
	})
	return s
}

// Response is a finished response with its body read.
type Response struct {
	Status int
	Header http.Header
	Body   string
}

// BasicAuth is the Authorization header value of the given credentials.
func BasicAuth(id, secret string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(id+":"+secret))
}

// Do sends a request with the server's default credentials unless headers
// set Authorization ("" removes it). headers alternate name, value.
func (s *Server) Do(t testing.TB, method, path, body string, headers ...string) Response {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, s.URL+path, r)
	if err != nil {
		t.Fatalf("servertest: %v", err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", BasicAuth(s.ClientID, s.Secret))
	for i := 0; i+1 < len(headers); i += 2 {
		if headers[i+1] == "" {
			req.Header.Del(headers[i])
		} else {
			req.Header.Set(headers[i], headers[i+1])
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("servertest: %s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("servertest: read body: %v", err)
	}
	return Response{Status: resp.StatusCode, Header: resp.Header, Body: string(b)}
}

// Post sends a JSON body.
func (s *Server) Post(t testing.TB, path, body string, headers ...string) Response {
	t.Helper()
	return s.Do(t, http.MethodPost, path, body, headers...)
}

// Get sends a GET.
func (s *Server) Get(t testing.TB, path string, headers ...string) Response {
	t.Helper()
	return s.Do(t, http.MethodGet, path, "", headers...)
}
