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

// Reset forgets everything a client did.
func (s *Store) Reset(clientID string) {
	s.tenants.Delete(clientID)
}

// Tenant is one client_id's world.
type Tenant struct {
	ClientID string
	sessions *sessions
	mu       sync.Mutex // guards data
	data     Data
	faults   faults
}

func newTenant(clientID string) *Tenant {
	return &Tenant{ClientID: clientID, sessions: newSessions(), data: newData()}
}
