package server_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/knotmock/knotmock/server"
	"github.com/knotmock/knotmock/server/card"
	"github.com/knotmock/knotmock/server/events"
	"github.com/knotmock/knotmock/server/servertest"
)

// BenchmarkSwitchCardJWE is POST /card (JWE, CardSwitcher body) through the
// whole stack in-process: auth, validation, RSA-OAEP-256 + A256GCM
// decryption, card validation, the task, CARD_UPDATING. Each iteration
// uses a fresh task, made before the timer starts.
func BenchmarkSwitchCardJWE(b *testing.B) {
	srv, err := server.New(server.Config{AsyncDelay: time.Millisecond, CardWindow: time.Hour})
	if err != nil {
		b.Fatal(err)
	}
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = srv.Close(ctx)
	}()
	h := srv.Handler()
	auth := servertest.BasicAuth(server.DefaultClientID, server.DefaultSecret)
	do := func(method, path, body string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		req.Header.Set("Authorization", auth)
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		return w
	}
	key := do(http.MethodGet, "/jwe/key", "")
	jwe, err := card.Encrypt(key.Body.Bytes(), []byte(csPayload))
	if err != nil {
		b.Fatal(err)
	}
	tasks := make(chan int64, b.N)
	srv.Events().Subscribe(func(ev events.Event) {
		if ev.Name == "AUTHENTICATED" {
			tasks <- ev.TaskID
		}
	})
	bodies := make([]string, b.N)
	for i := range bodies {
		if w := do(http.MethodPost, "/development/accounts/link",
			`{"external_user_id":"bench","merchant_id":19,"card_switcher":true,"card_id":"c1"}`); w.Code != 200 {
			b.Fatalf("link: %d %s", w.Code, w.Body)
		}
		bodies[i] = csBody(jwe, strconv.FormatInt(<-tasks, 10))
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if w := do(http.MethodPost, "/card", bodies[i]); w.Code != 200 {
			b.Fatalf("POST /card: %d %s", w.Code, w.Body)
		}
	}
	b.StopTimer()
}
