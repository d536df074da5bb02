package server_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/knotmock/knotmock/server"
	"github.com/knotmock/knotmock/server/servertest"
)

// loadRun drives n OTP flows at once through the headless API (wrong code,
// then the right one) against a server whose webhooks go to a local
// receiver, and checks every user's webhooks arrived complete and in order.
func loadRun(tb testing.TB, n int) time.Duration {
	var mu sync.Mutex
	got := map[string][]string{}
	all := make(chan struct{}, n*3)
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var ev struct {
			Event          string `json:"event"`
			ExternalUserID string `json:"external_user_id"`
		}
		body, _ := io.ReadAll(r.Body)
		_ = json.Unmarshal(body, &ev)
		mu.Lock()
		got[ev.ExternalUserID] = append(got[ev.ExternalUserID], ev.Event)
		mu.Unlock()
		all <- struct{}{}
	}))
	defer rcv.Close()
	srv := servertest.New(tb, server.Config{
		Clients:    []server.Client{{ID: "load", Secret: "load_secret", WebhookURLs: []string{rcv.URL}}},
		CardWindow: time.Hour, // no CARD_FAILED in the middle of the run
	})
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: n, MaxConnsPerHost: 256}}
	call := func(method, path, body string, auth bool) (map[string]any, error) {
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if auth {
			req.Header.Set("Authorization", servertest.BasicAuth("load", "load_secret"))
		}
		resp, err := client.Do(req)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		var m map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&m); err != nil || resp.StatusCode >= 300 {
			return m, fmt.Errorf("%s %s: %d %v", method, path, resp.StatusCode, err)
		}
		return m, nil
	}
	start := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(user string) {
			defer wg.Done()
			steps := []func(m map[string]any) (string, string, string, bool){
				func(map[string]any) (string, string, string, bool) {
					return "POST", "/session/create", `{"type":"card_switcher","external_user_id":"` + user + `","card_id":"c"}`, true
				},
				func(m map[string]any) (string, string, string, bool) {
					return "POST", "/_mock/sdk/flows", `{"sessionId":"` + m["session"].(string) + `","clientId":"load","merchantId":19}`, false
				},
				func(m map[string]any) (string, string, string, bool) {
					return "POST", "/_mock/sdk/flows/" + m["id"].(string) + "/login", `{"username":"user_good","password":"pass_otp"}`, false
				},
				func(m map[string]any) (string, string, string, bool) {
					return "POST", "/_mock/sdk/flows/" + m["id"].(string) + "/input", `{"kind":"otp","value":"0000"}`, false
				},
				func(m map[string]any) (string, string, string, bool) {
					return "POST", "/_mock/sdk/flows/" + m["id"].(string) + "/input", `{"kind":"otp","value":"1234"}`, false
				},
			}
			var m map[string]any
			for _, step := range steps {
				method, path, body, auth := step(m)
				next, err := call(method, path, body, auth)
				if err != nil {
					errs <- err
					return
				}
				if m == nil || next["id"] != nil || next["session"] != nil {
					m = next
				}
			}
			if m["status"] != "success" {
				errs <- fmt.Errorf("%s: flow ended %v", user, m["status"])
			}
		}(fmt.Sprintf("load_%04d", i))
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		tb.Fatal(err)
	}
	timeout := time.After(30 * time.Second)
	for i := 0; i < n*3; i++ {
		select {
		case <-all:
		case <-timeout:
			tb.Fatalf("only %d of %d webhooks arrived", i, n*3)
		}
	}
	elapsed := time.Since(start)
	mu.Lock()
	defer mu.Unlock()
	for user, seq := range got {
		if strings.Join(seq, ",") != "OTP_REQUIRED,OTP_FAILED,AUTHENTICATED" {
			tb.Fatalf("%s received %v", user, seq)
		}
	}
	if len(got) != n {
		tb.Fatalf("%d users received webhooks, want %d", len(got), n)
	}
	return elapsed
}

// TestConcurrentFlowsKeepPerUserOrder runs 100 flows at once in the normal
// suite (the benchmark below runs 1,000).
func TestConcurrentFlowsKeepPerUserOrder(t *testing.T) {
	loadRun(t, 100)
}

// BenchmarkThousandConcurrentFlows: 1,000 OTP flows at once, 5 API calls
// and 3 webhooks each; reports flows per second.
func BenchmarkThousandConcurrentFlows(b *testing.B) {
	var total time.Duration
	for i := 0; i < b.N; i++ {
		total += loadRun(b, 1000)
	}
	b.ReportMetric(float64(1000*b.N)/total.Seconds(), "flows/s")
}
