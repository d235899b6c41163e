// Regular expressions compiled on first use. Every pattern of package
// schema is a lazyRE (TestNoEagerPatterns).

package schema

import (
	"regexp"
	"sync"

	"github.com/wigen-dev/wigen/generate/memo"
)

// lazyRegexp is a regular expression compiled when first used, as the Go
// standard library's internal/lazyregexp. schema's patterns take about
// 2 ms to compile (the counted repetitions of the Azure name rules expand
// to large programs), which every run of wigen paid at start-up, even one
// that validates nothing (a render answered from the render cache). Safe
// for concurrent use.
type lazyRegexp struct {
	src string
	re  func() *regexp.Regexp
	// matches remembers MatchString's answers (string to bool) for up to
	// maxRemembered strings of up to maxRememberedLen bytes: every
	// environment repeats the values it inherits from spec.defaults and
	// the spec-level accounts, and validation checks each of them again
	// (at 100 environments, matching was a sixth of the load).
	matches *memo.Strings[bool]
}

// The bounds of what a lazyRegexp remembers: the values of inputs are
// short, and an input of 1 MiB holds at most a few thousand distinct ones.
const (
	maxRemembered    = 4096
	maxRememberedLen = 256
)

// lazyRE returns the lazyRegexp of the pattern src, which must compile
// (TestLazyPatternsCompile compiles every one).
func lazyRE(src string) *lazyRegexp {
	r := &lazyRegexp{src: src, re: sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(src) }), matches: memo.New[bool](maxRemembered, maxRememberedLen)}
	lazyPatterns = append(lazyPatterns, r)
	return r
}

// lazyPatterns are every lazyRegexp made, for the test that compiles them.
var lazyPatterns []*lazyRegexp

// MatchString reports whether s holds a match, as regexp.MatchString, from
// memory when s was asked before.
func (r *lazyRegexp) MatchString(s string) bool {
	if m, ok := r.matches.Lookup(s); ok {
		return m
	}
	m := r.re().MatchString(s)
	r.matches.Remember(s, m)
	return m
}

func (r *lazyRegexp) FindString(s string) string             { return r.re().FindString(s) }
func (r *lazyRegexp) FindStringSubmatch(s string) []string   { return r.re().FindStringSubmatch(s) }
func (r *lazyRegexp) FindAllString(s string, n int) []string { return r.re().FindAllString(s, n) }
func (r *lazyRegexp) FindAllStringSubmatch(s string, n int) [][]string {
	return r.re().FindAllStringSubmatch(s, n)
}
func (r *lazyRegexp) ReplaceAllString(src, repl string) string {
	return r.re().ReplaceAllString(src, repl)
}
