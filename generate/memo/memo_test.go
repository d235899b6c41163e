package memo

import (
	"strconv"
	"strings"
	"sync"
	"testing"
)

// TestStringsBounds: answers are remembered and returned; keys past
// maxLen and keys past maxEntries are not kept; the count stays at the
// bound however many keys follow, from many goroutines at once.
func TestStringsBounds(t *testing.T) {
	s := New[int](100, 8)
	s.Remember("a", 1)
	if v, ok := s.Lookup("a"); !ok || v != 1 {
		t.Fatalf("Lookup(a) = %d, %t", v, ok)
	}
	s.Remember(strings.Repeat("x", 9), 2)
	if _, ok := s.Lookup(strings.Repeat("x", 9)); ok {
		t.Error("a key past maxLen was kept")
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 1000 {
				k := strconv.Itoa(g*1000 + i)
				s.Remember(k, i)
				if v, ok := s.Lookup(k); ok && v != i {
					t.Errorf("Lookup(%s) = %d, want %d", k, v, i)
				}
			}
		})
	}
	wg.Wait()
	n := 0
	s.answers.Range(func(any, any) bool { n++; return true })
	if n > 100 || s.Len() != 100 {
		t.Errorf("%d answers kept, Len %d; want at most 100", n, s.Len())
	}
	if k := s.kept.Load(); k > 100+8 {
		t.Errorf("count %d ran past the bound", k)
	}
}
