package terraform

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
)

// TestFormatTokensMatchesHclwrite renders every module of every spec the
// format tests know (moduleSpecs) twice, formatted by fileBytes and by
// hclwrite itself ((*hclwrite.File).Bytes), and wants the same bytes.
func TestFormatTokensMatchesHclwrite(t *testing.T) {
	for name, s := range moduleSpecs(t) {
		t.Run(name, func(t *testing.T) {
			ours := mustRender(t, s)
			formatFile = (*hclwrite.File).Bytes
			defer func() { formatFile = fileBytes }()
			theirs := mustRender(t, s)
			if len(ours) != len(theirs) {
				t.Fatalf("%d files, hclwrite's formatting %d", len(ours), len(theirs))
			}
			tf := 0
			for i := range ours {
				if ours[i].Path != theirs[i].Path || !bytes.Equal(ours[i].Data, theirs[i].Data) {
					t.Errorf("%s differs from %s formatted by hclwrite:\n%s\nhclwrite:\n%s", ours[i].Path, theirs[i].Path, ours[i].Data, theirs[i].Data)
				}
				if strings.HasSuffix(ours[i].Path, ".tf") {
					tf++
				}
			}
			if tf == 0 {
				t.Fatal("no .tf file rendered")
			}
		})
	}
}

// formatSeeds are sources for FuzzFormatTokens beyond the golden modules:
// what the formatter treats specially (alignment, comments after values,
// brackets opened and closed on one line, templates, heredocs, for
// expressions, negation, namespaced functions, wide characters, CR LF).
var formatSeeds = []string{
	"a=1\nbbb=2\n\nc = 3 # c\ndddd = [1,2] // d\n",
	"resource \"x\" \"y\" {\n  name = \"a\"\n  tags = {\n    k = \"v\"\n    kk = {a=1}\n  }\n  list = [\n    a.b,\n    c.d[0].e,\n  ]\n}\n",
	"x = [for k, v in var.m : upper(k) if v != null]\ny = {for k in [a] : k => -1}\nz = a - -b\nw = !c\n",
	"t = \"a${b}c%{ if d }e%{ endif }\"\nh = <<EOT\n  x = 1\n    y\nEOT\nq = <<-EOT\n  ${ {a = 1} }\n  EOT\n",
	"é = 1\nnaïve_name = \"日本語\"\n\"ключ\" = 2\nx = {\"e\u0301\" = 1, ab = 2}\n",
	"a = 1\r\nbb = 2\r\n# comment\r\nc = provider::p::f(1)...\n",
	"block {\n}\nempty {}\nnested { a = 1 }\n  odd  =  (1+2)*3/4%5\nx = a ? b : c\ny = a[*].b\nz = a.*.b\n",
	"a = {\nb = 1 }\nc = [\n1]\n)\n}}\nd = 1\n",
	"",
	"# only a comment",
	"a = 1 /* block */ # line\nb = 2\n",
}

// FuzzFormatTokens formats arbitrary source with formatTokens and with
// hclwrite.Format, from the same tokens (hclsyntax.LexConfig, as hclwrite
// takes them: writerTokens), and wants the same bytes. Source that parses
// is also formatted through a parsed file, as a render formats it
// (fileBytes against (*hclwrite.File).Bytes).
func FuzzFormatTokens(f *testing.F) {
	for _, s := range formatSeeds {
		f.Add([]byte(s))
	}
	mods, _ := filepath.Glob(filepath.Join("..", "..", "golden", "*", "deploy", "terraform", "*", "*.tf"))
	for _, m := range mods {
		if data, err := os.ReadFile(m); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		want := hclwrite.Format(src)
		toks := lexTokens(src)
		formatTokens(toks)
		var got bytes.Buffer
		toks.WriteTo(&got) //nolint:errcheck // a bytes.Buffer does not fail
		if !bytes.Equal(got.Bytes(), want) {
			t.Fatalf("formatTokens of %q:\n%q\nhclwrite.Format:\n%q", src, got.Bytes(), want)
		}
		file, diags := hclwrite.ParseConfig(src, "fuzz.tf", hcl.InitialPos)
		if diags.HasErrors() {
			return
		}
		if got, want := fileBytes(file), file.Bytes(); !bytes.Equal(got, want) {
			t.Fatalf("fileBytes of %q:\n%q\n(*hclwrite.File).Bytes:\n%q", src, got, want)
		}
	})
}

// lexTokens returns the tokens of src as hclwrite's Format takes them:
// hclsyntax's, with the spaces before each one counted from the source
// (hcl/v2 hclwrite parser.go, lexConfig and writerTokens).
func lexTokens(src []byte) hclwrite.Tokens {
	native, _ := hclsyntax.LexConfig(src, "", hcl.Pos{Byte: 0, Line: 1, Column: 1})
	toks := make(hclwrite.Tokens, len(native))
	last := 0
	for i, n := range native {
		toks[i] = &hclwrite.Token{Type: n.Type, Bytes: append([]byte(nil), n.Bytes...), SpacesBefore: n.Range.Start.Byte - last}
		last = n.Range.End.Byte
	}
	return toks
}

// TestColumns compares columns with hclwrite.Tokens.Columns on ASCII,
// CR LF, combining marks, wide and invalid text.
func TestColumns(t *testing.T) {
	for _, s := range []string{"", "name", "a b", "\r\n", "a\r\nb\r", "\r", "e\u0301", "日本語", "👩‍👩‍👧", "\xff\xfe", "tab\there", "\x00\x7f"} {
		toks := hclwrite.Tokens{{Type: hclsyntax.TokenIdent, Bytes: []byte(s), SpacesBefore: 2}, {Type: hclsyntax.TokenQuotedLit, Bytes: []byte(s)}}
		if got, want := columns(toks), toks.Columns(); got != want {
			t.Errorf("columns(%q) = %d, hclwrite says %d", s, got, want)
		}
	}
}
