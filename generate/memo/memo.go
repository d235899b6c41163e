// Package memo remembers the answers of pure functions of a string, within
// bounds: wigen's inputs repeat the values environments inherit, and the
// checks and renderers ask about each of them again for every
// environment.
package memo

import (
	"strings"
	"sync"
	"sync/atomic"
)

// Strings remembers one answer (a V) for each of up to maxEntries keys of
// up to maxLen bytes; past either bound it remembers nothing more, so a
// process that sees many or long keys keeps at most maxEntries*maxLen
// bytes of them. Safe for concurrent use.
type Strings[V any] struct {
	answers    sync.Map
	kept       atomic.Int64
	maxEntries int64
	maxLen     int
}

// New returns a Strings with the bounds: maxEntries answers, for keys of
// at most maxLen bytes.
func New[V any](maxEntries, maxLen int) *Strings[V] {
	return &Strings[V]{maxEntries: int64(maxEntries), maxLen: maxLen}
}

// Lookup returns the answer remembered for key.
func (s *Strings[V]) Lookup(key string) (v V, ok bool) {
	if len(key) > s.maxLen {
		return v, false
	}
	a, ok := s.answers.Load(key)
	if !ok {
		return v, false
	}
	return a.(V), true
}

// Remember keeps v as the answer for key, within the bounds. The key is
// copied: a key cut from a larger string does not keep that string.
func (s *Strings[V]) Remember(key string, v V) {
	if len(key) > s.maxLen || s.kept.Load() >= s.maxEntries || s.kept.Add(1) > s.maxEntries {
		return
	}
	s.answers.Store(strings.Clone(key), v)
}

// Len is how many answers are kept.
func (s *Strings[V]) Len() int {
	return int(min(s.kept.Load(), s.maxEntries))
}
