package schema

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/wigen-dev/wigen/generate/memo"
)

// TestLazyPatternsCompile compiles every lazyRE pattern, so that a typo
// fails here rather than in a user's run that first reaches it.
func TestLazyPatternsCompile(t *testing.T) {
	if len(lazyPatterns) < 30 {
		t.Fatalf("only %d lazy patterns registered", len(lazyPatterns))
	}
	for _, r := range lazyPatterns {
		if _, err := regexp.Compile(r.src); err != nil {
			t.Errorf("lazyRE(%q): %v", r.src, err)
		}
	}
}

// TestNoEagerPatterns: no file of package schema (but lazyregexp.go)
// compiles a regular expression itself. A package-level
// regexp.MustCompile runs at every start of wigen, a render answered from
// the cache included; lazyRE compiles on first use.
func TestNoEagerPatterns(t *testing.T) {
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") || name == "lazyregexp.go" {
			continue
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if id, ok := sel.X.(*ast.Ident); ok && id.Name == "regexp" && strings.Contains(sel.Sel.Name, "Compile") {
				t.Errorf("%s: regexp.%s: use lazyRE (compiled on first use, not at start-up)", fset.Position(sel.Pos()), sel.Sel.Name)
			}
			return true
		})
	}
}

// TestMatchStringRemembers: a remembered answer is the answer, for every
// pattern, for strings asked once, again, past maxRememberedLen, and after
// the memory is full.
func TestMatchStringRemembers(t *testing.T) {
	probes := []string{"", "a", "open-webui", "33333333-3333-3333-3333-000000000001", "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/aoai",
		"https://westeurope.oic.prod-aks.azure.com/22222222-2222-2222-2222-222222222222/44444444-4444-4444-4444-444444444444/", "2024-10-21", "x" + strings.Repeat("a", maxRememberedLen)}
	for _, r := range lazyPatterns {
		for round := range 2 {
			for _, s := range probes {
				if got, want := r.MatchString(s), r.re().MatchString(s); got != want {
					t.Errorf("%s, round %d: MatchString(%q) = %t, want %t", r.src, round, s, got, want)
				}
			}
		}
	}
	r := &lazyRegexp{src: `^a+[0-9]*$`, re: func() *regexp.Regexp { return regexp.MustCompile(`^a+[0-9]*$`) }, matches: memo.New[bool](maxRemembered, maxRememberedLen)}
	for i := range maxRemembered + 10 {
		s := strings.Repeat("a", i%3) + strconv.Itoa(i)
		if got, want := r.MatchString(s), r.re().MatchString(s); got != want {
			t.Fatalf("MatchString(%q) = %t, want %t", s, got, want)
		}
	}
	if n := r.matches.Len(); n != maxRemembered {
		t.Errorf("remembered %d strings, want the memory full (%d)", n, maxRemembered)
	}
	if r.MatchString("b") || !r.MatchString("aaa") {
		t.Error("wrong answers after the memory filled")
	}
}
