package state

import (
	"hash/maphash"
	"sync"
	"time"

	"github.com/google/uuid"
)

// SessionTTL is how long a Knot session lives, and how much Extend adds.
const SessionTTL = 30 * time.Minute

// sessionKeep is how long an expired session is remembered, so that using it
// says "expired" rather than "not found".
const sessionKeep = 24 * time.Hour

// Session is what Create Session stored.
type Session struct {
	ID             string
	Type           string
	ExternalUserID string
	CardID         string
	Email          string
	PhoneNumber    string
	ProcessorToken string
	Metadata       map[string]string
	CardBlocked    bool
	CardHasFunds   bool
	CreatedAt      time.Time
	ExpiresAt      time.Time
}

// Expired reports whether the session is past its expiry at now.
func (s *Session) Expired(now time.Time) bool { return !now.Before(s.ExpiresAt) }

const sessionShards = 32

// sessions is a sharded map so concurrent Create Session calls of one
// tenant do not queue on one lock.
type sessions struct {
	seed   maphash.Seed
	shards [sessionShards]sessionShard
}

type sessionShard struct {
	mu      sync.Mutex
	byID    map[string]*Session
	creates int
}

func newSessions() *sessions {
	s := &sessions{seed: maphash.MakeSeed()}
	for i := range s.shards {
		s.shards[i].byID = map[string]*Session{}
	}
	return s
}

func (s *sessions) shard(id string) *sessionShard {
	return &s.shards[maphash.String(s.seed, id)%sessionShards]
}

// CreateSession stores a new session with a fresh id and a 30-minute expiry.
func (t *Tenant) CreateSession(in Session, now time.Time) Session {
	in.ID = uuid.NewString()
	in.CreatedAt = now
	in.ExpiresAt = now.Add(SessionTTL)
	sh := t.sessions.shard(in.ID)
	sh.mu.Lock()
	sh.byID[in.ID] = &in
	sh.creates++
	if sh.creates%1024 == 0 {
		sh.sweep(now)
	}
	sh.mu.Unlock()
	return in
}

// sweep forgets sessions that expired long ago, so a long load test does
// not grow memory without bound. Called with the shard locked.
func (sh *sessionShard) sweep(now time.Time) {
	for id, s := range sh.byID {
		if now.Sub(s.ExpiresAt) > sessionKeep {
			delete(sh.byID, id)
		}
	}
}

// Session returns a copy of a stored session (expired ones included).
func (t *Tenant) Session(id string) (Session, bool) {
	sh := t.sessions.shard(id)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	s, ok := sh.byID[id]
	if !ok {
		return Session{}, false
	}
	return *s, true
}

// ErrSessionExpired and ErrSessionNotFound are ExtendSession's failures.
type sessionError string

func (e sessionError) Error() string { return string(e) }

const (
	ErrSessionNotFound = sessionError("session not found")
	ErrSessionExpired  = sessionError("session expired")
)

// ExtendSession gives a live session another 30 minutes from now.
func (t *Tenant) ExtendSession(id string, now time.Time) (Session, error) {
	sh := t.sessions.shard(id)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	s, ok := sh.byID[id]
	if !ok {
		return Session{}, ErrSessionNotFound
	}
	if s.Expired(now) {
		return Session{}, ErrSessionExpired
	}
	s.ExpiresAt = now.Add(SessionTTL)
	return *s, nil
}
