package server_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/knotmock/knotmock/server"
	"github.com/knotmock/knotmock/server/servertest"
)

const benchBody = `{"type":"card_switcher","external_user_id":"123abc","card_id":"81n9al10a0ayn13","email":"ada.lovelace@gmail.com","phone_number":"+11234567890","processor_token":null,"metadata":{"reference_token":"abc123","trace_id":"def456"}}`

func serve(b *testing.B, h http.Handler, auth string) {
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := httptest.NewRequest(http.MethodPost, "/session/create", strings.NewReader(benchBody))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", auth)
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != http.StatusOK {
				b.Fatalf("%d %s", w.Code, w.Body)
			}
		}
	})
}

// BenchmarkCreateSession is POST /session/create through the whole stack:
// Basic auth, validation against the document, the handler and its state.
func BenchmarkCreateSession(b *testing.B) {
	srv, err := server.New(server.Config{})
	if err != nil {
		b.Fatal(err)
	}
	serve(b, srv.Handler(), servertest.BasicAuth(server.DefaultClientID, server.DefaultSecret))
}

// BenchmarkBareGin is the baseline: a gin handler answering a constant body.
func BenchmarkBareGin(b *testing.B) {
	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	body := []byte(`{"session":"915efe72-5136-4652-z91q-d9d48003c102"}`)
	e.POST("/session/create", func(c *gin.Context) { c.Data(http.StatusOK, "application/json", body) })
	serve(b, e, "")
}
