// Package state keeps the sandbox's data, isolated per client_id (tenant).
// Each tenant has its own locks; nothing on the request path takes a lock
// shared by all tenants.
package state

import (
	"sync"
)

// Store holds every tenant.
type Store struct {
	tenants sync.Map // client_id → *Tenant
}

// NewStore returns an empty store.
func NewStore() *Store { return &Store{} }

// Tenant returns the tenant of a client, creating it on first use.
func (s *Store) Tenant(clientID string) *Tenant {
	if t, ok := s.tenants.Load(clientID); ok {
		return t.(*Tenant)
	}
	t, _ := s.tenants.LoadOrStore(clientID, newTenant(clientID))
	return t.(*Tenant)
}

// Reset forgets everything a client did and returns the old tenant, now
// dead: work still holding it (timers, flows) changes and emits nothing.
func (s *Store) Reset(clientID string) *Tenant {
	v, ok := s.tenants.LoadAndDelete(clientID)
	if !ok {
		return nil
	}
	t := v.(*Tenant)
	t.mu.Lock()
	t.dead = true
	t.mu.Unlock()
	return t
}

// Tenant is one client_id's world.
type Tenant struct {
	ClientID string
	sessions *sessions
	mu       sync.Mutex // guards data and dead
	data     Data
	dead     bool // reset: Do runs nothing any more
	faults   faults
}

// Dead reports whether the tenant was reset.
func (t *Tenant) Dead() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.dead
}

func newTenant(clientID string) *Tenant {
	return &Tenant{ClientID: clientID, sessions: newSessions(), data: newData()}
}
