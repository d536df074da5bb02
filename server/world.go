package server

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/knotmock/knotmock/fixtures"
	"github.com/knotmock/knotmock/server/card"
	"github.com/knotmock/knotmock/server/events"
	"github.com/knotmock/knotmock/server/fake"
	"github.com/knotmock/knotmock/server/webhook"
)

// world is what handlers share besides tenant state: the merchant
// catalogue, the data generator, the JWE key, webhook delivery and the
// background timers of asynchronous results.
type world struct {
	merchants *fixtures.Catalogue
	gen       *fake.Generator
	keys      *card.Keys
	hooks     *webhook.Dispatcher
	urls      sync.Map // client_id → []string, changeable at run time

	webhookTemplates map[string]json.RawMessage // documented example per event

	bg      sync.WaitGroup
	stop    chan struct{}
	closing sync.Once
}

func (s *Server) initWorld() error {
	w := &s.world
	w.stop = make(chan struct{})
	var err error
	if s.cfg.MerchantsFile != "" {
		w.merchants, err = fixtures.LoadCatalogueFile(s.cfg.MerchantsFile)
	} else {
		w.merchants, err = fixtures.DefaultCatalogue()
	}
	if err != nil {
		return fmt.Errorf("merchants: %w", err)
	}
	w.gen = fake.New(s.cfg.Seed)
	if w.webhookTemplates, err = loadWebhookTemplates(); err != nil {
		return err
	}
	if w.keys, err = card.NewKeys(s.cfg.Seed, s.cfg.KeyFile); err != nil {
		return fmt.Errorf("jwe key: %w", err)
	}
	for _, c := range s.cfg.Clients {
		w.urls.Store(c.ID, append([]string(nil), c.WebhookURLs...))
	}
	w.hooks = webhook.New(webhook.Config{
		Client:   s.webhookTarget,
		RetryGap: s.cfg.WebhookRetryGap,
		Timeout:  s.cfg.WebhookTimeout,
		Logger:   s.log,
		Now:      s.clock.Now,
		After:    s.clock.After,
	})
	s.events.Subscribe(w.hooks.Publish)
	return nil
}

// webhookTarget tells the dispatcher where a client's webhooks go and what
// signs them.
func (s *Server) webhookTarget(clientID string) ([]string, string, bool) {
	c, ok := s.clients.lookup(clientID)
	if !ok {
		return nil, "", false
	}
	var urls []string
	if v, ok := s.world.urls.Load(clientID); ok {
		urls = v.([]string)
	}
	return urls, c.Secret, true
}

// emit publishes a webhook-worthy event for a tenant, stamped with the
// sandbox clock.
func (s *Server) emit(clientID string, env events.Envelope) {
	ev, err := env.Render(clientID, s.clock.Now())
	if err != nil {
		s.log.Error("render webhook", "event", env.Event, "err", err)
		return
	}
	s.events.Publish(ev)
}

// merchantRef is the merchant object webhooks carry.
func merchantRef(m fixtures.Merchant) *events.Merchant {
	return &events.Merchant{ID: m.ID, Name: m.Name, Logo: m.Logo}
}

// fakeMerchant converts a catalogue merchant for the generator.
func fakeMerchant(m fixtures.Merchant) fake.Merchant {
	return fake.Merchant{ID: m.ID, Name: m.Name, Category: m.Category, Logo: m.Logo}
}

// later runs fn after d of sandbox time (Advance on the admin API makes it
// happen sooner), unless the server closes first.
func (s *Server) later(d time.Duration, fn func()) {
	// The timer is registered now, not in the goroutine, so an Advance
	// right after this call cannot miss it.
	due := s.clock.After(d)
	s.world.bg.Add(1)
	go func() {
		defer s.world.bg.Done()
		select {
		case <-due:
			fn()
		case <-s.world.stop:
		}
	}()
}

// closeWorld stops timers and drains webhook deliveries within ctx.
func (s *Server) closeWorld(ctx context.Context) error {
	s.world.closing.Do(func() { close(s.world.stop) })
	done := make(chan struct{})
	go func() { s.world.bg.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
	}
	return s.world.hooks.Close(ctx)
}
