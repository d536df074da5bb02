package server_test

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/knotmock/knotmock/server"
	"github.com/knotmock/knotmock/server/servertest"
)

// Regressions found in review; each test is named after the bug it pins.

func TestTriggerCountCannotExhaustMemory(t *testing.T) {
	srv := servertest.New(t)
	r := srv.Post(t, "/_mock/webhooks/trigger", `{"event":"NEW_TRANSACTIONS_AVAILABLE","external_user_id":"u","merchant_id":19,"count":2000000000}`)
	if r.Status != 400 || r.Body != invalidField("The count may not be greater than 1000.") {
		t.Fatalf("%d %s", r.Status, r.Body)
	}
}

func TestConcurrentLoginsStartOneScenario(t *testing.T) {
	srv, rec := flowServer(t, 1)
	f := openFlow(t, srv, "card_switcher", "r_twice", 19)
	var wg sync.WaitGroup
	statuses := make(chan int, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses <- srv.Post(t, "/_mock/sdk/flows/"+f.ID+"/login", `{"username":"user_good","password":"pass_good"}`).Status
		}()
	}
	wg.Wait()
	close(statuses)
	ok, conflict := 0, 0
	for s := range statuses {
		switch s {
		case 200:
			ok++
		case 409:
			conflict++
		}
	}
	if ok != 1 || conflict != 7 {
		t.Fatalf("%d logins accepted, %d refused", ok, conflict)
	}
	waitHooks(t, rec, "r_twice", "AUTHENTICATED")
	time.Sleep(50 * time.Millisecond) // a second runner would send a second one by now
	if got := hooksOf(rec, "r_twice"); got != "AUTHENTICATED" {
		t.Fatalf("webhooks %s", got)
	}
}

func TestClosedFlowTakesNoInputAndStops(t *testing.T) {
	srv, rec := flowServer(t, 1)
	f := login(t, srv, openFlow(t, srv, "card_switcher", "r_closed", 19), "user_good", "pass_otp")
	sdkCall(t, srv, "POST", "/_mock/sdk/flows/"+f.ID+"/close", "", 200)
	if r := srv.Post(t, "/_mock/sdk/flows/"+f.ID+"/input", `{"kind":"otp","value":"1234"}`); r.Status != 409 {
		t.Fatalf("input after close: %d %s", r.Status, r.Body)
	}
	srv.Clock().Advance(6 * time.Minute) // past the OTP timeout
	time.Sleep(50 * time.Millisecond)
	if got := hooksOf(rec, "r_closed"); got != "OTP_REQUIRED" {
		t.Fatalf("webhooks after close: %s", got)
	}
}

func TestResetStopsWorkInProgress(t *testing.T) {
	srv := servertest.New(t, server.Config{AsyncDelay: time.Millisecond})
	rec := srv.Record(t)
	srv.Post(t, "/development/accounts/link", `{"external_user_id":"r_reset","merchant_id":19,"card_switcher":true,"card_id":"c"}`)
	rec.Wait("AUTHENTICATED", 1, 5*time.Second)
	if r := srv.Post(t, "/_mock/reset", ""); r.Status != 200 {
		t.Fatalf("reset: %d %s", r.Status, r.Body)
	}
	srv.Clock().Advance(20 * time.Second) // past the card window of the old state
	time.Sleep(50 * time.Millisecond)
	if got := hooksOf(rec, "r_reset"); got != "AUTHENTICATED" {
		t.Fatalf("webhooks after reset: %s", got)
	}
	if r := srv.Get(t, "/_mock/webhooks/deliveries"); r.Body != `{"deliveries":[]}` {
		t.Fatalf("journal after reset: %s", r.Body)
	}
}

func TestIntegersTheSchemaAcceptsButGoDoesNotAre400(t *testing.T) {
	srv := servertest.New(t)
	for _, n := range []string{"19.0", "1e300", "9223372036854775808"} {
		r := srv.Post(t, "/transactions/sync", `{"merchant_id":`+n+`,"external_user_id":"u"}`)
		if r.Status != 400 || r.Body != invalidField("The merchant id must be an integer.") {
			t.Errorf("merchant_id %s: %d %s", n, r.Status, r.Body)
		}
	}
}

func TestFaultDelayFollowsTheSandboxClock(t *testing.T) {
	dir := t.TempDir()
	_ = os.WriteFile(filepath.Join(dir, "slow.yaml"), []byte(`name: slow_sync
description: The next Sync Transactions answers an hour late.
match: {username: user_good, password: pass_slow_sync}
steps:
  - authenticate: {}
  - fault: {operation: transaction_sync, delay: 1h}
`), 0o644)
	srv := servertest.New(t, server.Config{ScenariosDir: dir})
	srv.Post(t, "/development/accounts/link", `{"external_user_id":"r_slow","merchant_id":19,"transactions":{"new":false}}`, server.ScenarioHeader, "slow_sync")
	done := make(chan int)
	go func() {
		done <- srv.Post(t, "/transactions/sync", `{"merchant_id":19,"external_user_id":"r_slow"}`).Status
	}()
	time.Sleep(50 * time.Millisecond)
	srv.Clock().Advance(2 * time.Hour)
	select {
	case status := <-done:
		if status != 200 {
			t.Fatalf("status %d", status)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("advancing the clock did not release the delayed answer")
	}
}

func TestJournalShowsNoAttemptsAsAnEmptyList(t *testing.T) {
	srv := servertest.New(t)
	srv.Post(t, "/development/accounts/link", `{"external_user_id":"r_json","merchant_id":45}`)
	r := srv.Get(t, "/_mock/webhooks/deliveries?wait=5s")
	if !strings.Contains(r.Body, `"attempts":[]`) || strings.Contains(r.Body, `"attempts":null`) {
		t.Fatalf("%s", r.Body)
	}
}
