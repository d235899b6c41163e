package schema

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
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
