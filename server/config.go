package server

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"time"

	"github.com/knotmock/knotmock/server/clock"
)

// Products a client can have enabled. The first four are Create Session
// types; the others gate their endpoints.
var Products = []string{"card_switcher", "transaction_link", "link", "vault", "subscription_manager", "detect"}

// The development credentials that work with no configuration.
const (
	DefaultClientID = "knotmock_client_id"
	DefaultSecret   = "knotmock_secret"
)

// Client is one set of API keys and what it may do.
type Client struct {
	ID          string   `json:"client_id"`
	Secret      string   `json:"secret"`
	Products    []string `json:"products,omitempty"`     // empty: all products
	WebhookURLs []string `json:"webhook_urls,omitempty"` // up to 10, as Knot allows
}

// Enabled reports whether the client may use a product.
func (c *Client) Enabled(product string) bool {
	return len(c.Products) == 0 || slices.Contains(c.Products, product)
}

// Config is everything New needs. The zero value serves the default client.
type Config struct {
	Clients              []Client // empty: the default development client
	AcceptAnyCredentials bool     // every client_id:secret pair is its own tenant
	Seed                 int64    // seed of all generated data
	MaxBodyBytes         int64    // request body limit (default 1 MiB)
	Logger               *slog.Logger
	Clock                *clock.Clock
	Version              string
	MerchantsFile        string        // replaces the embedded merchant catalogue
	KeyFile              string        // PEM RSA-2048 key for JWE instead of the seeded one
	WebhookRetryGap      time.Duration // between webhook attempts (default 2 s; Knot's is minutes)
	WebhookTimeout       time.Duration // per webhook attempt (default 10 s, Knot's)
	CardWindow           time.Duration // card data must follow AUTHENTICATED within this (default 15 s)
	AsyncDelay           time.Duration // "within a few seconds" results (default 1 s)
	ScenariosDir         string        // user scenarios next to (and overriding) the built-ins
	TimeScale            float64       // multiplies scenario delays and input timeouts (default 1)
}

func (c *Config) defaults() {
	if len(c.Clients) == 0 {
		c.Clients = []Client{{ID: DefaultClientID, Secret: DefaultSecret}}
	}
	if c.MaxBodyBytes <= 0 {
		c.MaxBodyBytes = 1 << 20
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Clock == nil {
		c.Clock = clock.New()
	}
	if c.Seed == 0 {
		c.Seed = 1
	}
	if c.Version == "" {
		c.Version = "dev"
	}
	if c.CardWindow <= 0 {
		c.CardWindow = cardWindow
	}
	if c.AsyncDelay <= 0 {
		c.AsyncDelay = time.Second
	}
	if c.TimeScale <= 0 {
		c.TimeScale = 1
	}
}

func (c *Config) check() error {
	seen := map[string]bool{}
	for i, cl := range c.Clients {
		if cl.ID == "" || cl.Secret == "" {
			return fmt.Errorf("client %d: client_id and secret are both required", i+1)
		}
		if seen[cl.ID] {
			return fmt.Errorf("client %q is configured twice", cl.ID)
		}
		seen[cl.ID] = true
		for _, p := range cl.Products {
			if !slices.Contains(Products, p) {
				return fmt.Errorf("client %q: unknown product %q (known: %v)", cl.ID, p, Products)
			}
		}
		if len(cl.WebhookURLs) > 10 {
			return fmt.Errorf("client %q: %d webhook URLs; Knot allows at most 10", cl.ID, len(cl.WebhookURLs))
		}
	}
	return nil
}

// ConfigFile is the format of --config: a JSON document listing clients.
//
//	{"clients": [{"client_id": "a", "secret": "s", "products": ["card_switcher"],
//	              "webhook_urls": ["http://localhost:9000/knot"]}]}
type ConfigFile struct {
	Clients []Client `json:"clients"`
}

// LoadConfigFile reads a --config file.
func LoadConfigFile(path string) (ConfigFile, error) {
	var f ConfigFile
	data, err := os.ReadFile(path)
	if err != nil {
		return f, err
	}
	dec := json.NewDecoder(bytesReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return f, fmt.Errorf("%s: %w", path, err)
	}
	return f, nil
}

// Durations Knot fixes, in one place.
const (
	cardWindow = 15 * time.Second
)

// scaled applies --time-scale to a scenario duration.
func (s *Server) scaled(d time.Duration) time.Duration {
	return time.Duration(float64(d) * s.cfg.TimeScale)
}
