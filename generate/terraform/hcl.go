package terraform

import (
	"fmt"
	"math"
	"sort"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"
)

// Small builders over hclwrite. Every literal goes through cty (hclwrite
// escapes '"', '\', newlines, "${" as "$${" and "%{" as "%%{"), every
// reference is an hcl.Traversal, and the one expression that is neither is
// parsed from fixed source text. No HCL is ever assembled from strings.

// ref returns the absolute traversal root.attr1.attr2...
func ref(root string, attrs ...string) hcl.Traversal {
	t := hcl.Traversal{hcl.TraverseRoot{Name: root}}
	for _, a := range attrs {
		t = append(t, hcl.TraverseAttr{Name: a})
	}
	return t
}

// index appends [i] and then the attributes to t, in a new traversal.
func index(t hcl.Traversal, i int64, attrs ...string) hcl.Traversal {
	out := append(hcl.Traversal{}, t...)
	out = append(out, hcl.TraverseIndex{Key: cty.NumberIntVal(i)})
	for _, a := range attrs {
		out = append(out, hcl.TraverseAttr{Name: a})
	}
	return out
}

// attr returns t extended by one attribute, in a new traversal.
func attr(t hcl.Traversal, name string) hcl.Traversal {
	return append(append(hcl.Traversal{}, t...), hcl.TraverseAttr{Name: name})
}

var (
	tokNewline = func() *hclwrite.Token { return &hclwrite.Token{Type: hclsyntax.TokenNewline, Bytes: []byte("\n")} }
	tokComma   = func() *hclwrite.Token { return &hclwrite.Token{Type: hclsyntax.TokenComma, Bytes: []byte(",")} }
)

// tuplePerLine is tuple with a newline after '[' and
// after each element's trailing comma, the way one writes a list of
// references or objects by hand:
//
//	depends_on = [
//	  a.b,
//	  c.d,
//	]
func tuplePerLine(elems []hclwrite.Tokens) hclwrite.Tokens {
	var inner []hclwrite.Tokens
	for i, e := range elems {
		el := hclwrite.Tokens{}
		if i == 0 {
			el = append(el, tokNewline())
		}
		el = append(el, e...)
		if i == len(elems)-1 {
			el = append(el, tokComma(), tokNewline())
		}
		inner = append(inner, el)
	}
	// tuple writes the commas between elements; the newline after each of
	// them is the first token of the next element.
	for i := 1; i < len(inner); i++ {
		inner[i] = append(hclwrite.Tokens{tokNewline()}, inner[i]...)
	}
	return tuple(inner)
}

// tuple is hclwrite.TokensForTuple, and object hclwrite.TokensForObject
// (each attribute on its own line): the same tokens, without the
// formatting pass those run over everything they are given, nested
// values again at each level. Formatting sets the spaces before every
// token, so only the pass over the whole file counts (fileBytes, or
// (*hclwrite.File).Bytes: TestFormatTokensMatchesHclwrite renders with
// both); the passes while building were 7% of the CPU time a module
// cost, and most of what remained of hclwrite's bufio.Scanner per token
// it measures (hclwrite-columns-report.md).
func tuple(elems []hclwrite.Tokens) hclwrite.Tokens {
	n := 2
	for _, e := range elems {
		n += len(e) + 1
	}
	toks := make(hclwrite.Tokens, 0, n)
	toks = append(toks, &hclwrite.Token{Type: hclsyntax.TokenOBrack, Bytes: []byte("[")})
	for i, e := range elems {
		if i > 0 {
			toks = append(toks, tokComma())
		}
		toks = append(toks, e...)
	}
	return append(toks, &hclwrite.Token{Type: hclsyntax.TokenCBrack, Bytes: []byte("]")})
}

// object: see tuple.
func object(attrs []hclwrite.ObjectAttrTokens) hclwrite.Tokens {
	toks := hclwrite.Tokens{{Type: hclsyntax.TokenOBrace, Bytes: []byte("{")}}
	if len(attrs) > 0 {
		toks = append(toks, tokNewline())
	}
	for _, a := range attrs {
		toks = append(toks, a.Name...)
		toks = append(toks, &hclwrite.Token{Type: hclsyntax.TokenEqual, Bytes: []byte("=")})
		toks = append(toks, a.Value...)
		toks = append(toks, tokNewline())
	}
	return append(toks, &hclwrite.Token{Type: hclsyntax.TokenCBrace, Bytes: []byte("}")})
}

// inlineObject is an object constructor on one line:
// { name = ..., value = ... }. object always puts each
// attribute on its own line.
func inlineObject(attrs []hclwrite.ObjectAttrTokens) hclwrite.Tokens {
	toks := hclwrite.Tokens{{Type: hclsyntax.TokenOBrace, Bytes: []byte("{")}}
	for i, a := range attrs {
		if i > 0 {
			toks = append(toks, tokComma())
		}
		toks = append(toks, a.Name...)
		toks = append(toks, &hclwrite.Token{Type: hclsyntax.TokenEqual, Bytes: []byte("=")})
		toks = append(toks, a.Value...)
	}
	return append(toks, &hclwrite.Token{Type: hclsyntax.TokenCBrace, Bytes: []byte("}")})
}

// objAttr is one name = value pair for object and inlineObject.
func objAttr(name string, value hclwrite.Tokens) hclwrite.ObjectAttrTokens {
	return hclwrite.ObjectAttrTokens{Name: hclwrite.TokensForIdentifier(name), Value: value}
}

// str is the tokens of a literal string: hclwrite.TokensForValue of
// cty.StringVal(s). A string of printable ASCII without '"', '\\', '$'
// and '%' (most of what a module holds) is what hclwrite's escaping
// (escapeQuotedStringLit) and cty's normalization (NFC) leave as it is,
// so its tokens are made here without either: a fifth of the tokens a
// module's render allocated (TestStrMatchesTokensForValue).
func str(s string) hclwrite.Tokens {
	for i := range len(s) {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '$' || c == '%' {
			return hclwrite.TokensForValue(cty.StringVal(s))
		}
	}
	toks := make(hclwrite.Tokens, 0, 3)
	toks = append(toks, &hclwrite.Token{Type: hclsyntax.TokenOQuote, Bytes: []byte{'"'}})
	if s != "" {
		toks = append(toks, &hclwrite.Token{Type: hclsyntax.TokenQuotedLit, Bytes: []byte(s)})
	}
	return append(toks, &hclwrite.Token{Type: hclsyntax.TokenCQuote, Bytes: []byte{'"'}})
}

// setStr sets the attribute name of body to the literal string s, as
// body.SetAttributeValue(name, cty.StringVal(s)) does, through str.
func setStr(body *hclwrite.Body, name, s string) { body.SetAttributeRaw(name, str(s)) }

// comment appends "# line" comment lines to body. The text is wigen's own,
// never user input (a user value in a comment could end the comment).
func comment(body *hclwrite.Body, lines ...string) {
	var toks hclwrite.Tokens
	for _, l := range lines {
		toks = append(toks, &hclwrite.Token{Type: hclsyntax.TokenComment, Bytes: []byte("# " + l + "\n")})
	}
	body.AppendUnstructuredTokens(toks)
}

// fixedExpr returns the tokens of the expression of `name = <src>`, from
// fixed source text (a constant in this package).
func fixedExpr(src string) hclwrite.Tokens {
	return fixedTokens(src, func() hclwrite.Tokens {
		f := parseFixed("x = " + src + "\n")
		return f.Body().GetAttribute("x").Expr().BuildTokens(nil)
	})
}

// emptyBlock appends `typeName {}` on one line (terraform fmt keeps it so;
// hclwrite.AppendNewBlock would write the braces on two lines).
func emptyBlock(body *hclwrite.Body, typeName string) {
	if !hclsyntax.ValidIdentifier(typeName) {
		panic("emptyBlock: not an identifier: " + typeName)
	}
	body.AppendUnstructuredTokens(fixedTokens(typeName+" {}\n", func() hclwrite.Tokens {
		return parseFixed(typeName + " {}\n").Body().Blocks()[0].BuildTokens(nil)
	}))
}

// fixed holds the tokens of each fixed source text, parsed once.
var fixed sync.Map // source text -> hclwrite.Tokens

// fixedTokens returns a copy of the tokens parse returns for the fixed
// source text src, parsing it on the first call only (every module has
// these fragments). Each call gets tokens of its own: hclwrite's formatter
// sets the spaces before each token it writes, in place. The tokens'
// bytes are shared, which is safe: nothing writes to them.
func fixedTokens(src string, parse func() hclwrite.Tokens) hclwrite.Tokens {
	v, ok := fixed.Load(src)
	if !ok {
		v, _ = fixed.LoadOrStore(src, parse())
	}
	toks := v.(hclwrite.Tokens)
	out := make(hclwrite.Tokens, len(toks))
	for i, t := range toks {
		c := *t
		out[i] = &c
	}
	return out
}

// parseFixed parses fixed source text; it panics on an error (a bug).
func parseFixed(src string) *hclwrite.File {
	f, diags := hclwrite.ParseConfig([]byte(src), "fixed.tf", hcl.InitialPos)
	if diags.HasErrors() {
		panic(fmt.Sprintf("fixed source %q: %s", src, diags.Error()))
	}
	return f
}

// ctyValue converts a free-form value decoded from wigen.yaml
// (map[string]any, []any, string, bool, int64, float64 or nil) to a cty
// value, written as given.
func ctyValue(v any, path string) (cty.Value, error) {
	switch t := v.(type) {
	case nil:
		return cty.NullVal(cty.DynamicPseudoType), nil
	case string:
		return cty.StringVal(t), nil
	case bool:
		return cty.BoolVal(t), nil
	case int:
		return cty.NumberIntVal(int64(t)), nil
	case int64:
		return cty.NumberIntVal(t), nil
	case float64:
		if math.IsNaN(t) || math.IsInf(t, 0) {
			return cty.NilVal, fmt.Errorf("%s: %v is not a number Terraform can hold", path, t)
		}
		return cty.NumberFloatVal(t), nil
	case []any:
		if len(t) == 0 {
			return cty.EmptyTupleVal, nil
		}
		vals := make([]cty.Value, len(t))
		for i, x := range t {
			cv, err := ctyValue(x, fmt.Sprintf("%s[%d]", path, i))
			if err != nil {
				return cty.NilVal, err
			}
			vals[i] = cv
		}
		return cty.TupleVal(vals), nil
	case map[string]any:
		if len(t) == 0 {
			return cty.EmptyObjectVal, nil
		}
		vals := make(map[string]cty.Value, len(t))
		for _, k := range sortedKeys(t) {
			cv, err := ctyValue(t[k], path+"."+k)
			if err != nil {
				return cty.NilVal, err
			}
			vals[k] = cv
		}
		return cty.ObjectVal(vals), nil
	}
	return cty.NilVal, fmt.Errorf("%s: values of type %T cannot be written to Terraform", path, v)
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
