package terraform

import (
	"fmt"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"sigs.k8s.io/yaml"

	"github.com/wigen-dev/wigen/generate/output"
	"github.com/wigen-dev/wigen/schema"
)

// Helpers shared by the tests: load the golden inputs, render them, and
// read a rendered module back as parsed HCL and YAML.

// goldenInputs lists ../../golden/*/wigen.yaml by case name.
func goldenInputs(t *testing.T) map[string]string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("..", "..", "golden", "*", schema.DefaultFile))
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		t.Fatal("no golden inputs found in ../../golden/*/wigen.yaml")
	}
	out := map[string]string{}
	for _, p := range paths {
		out[filepath.Base(filepath.Dir(p))] = p
	}
	return out
}

// goldenSpec loads the golden input of case name.
func goldenSpec(t *testing.T, name string) *schema.Spec {
	t.Helper()
	p, ok := goldenInputs(t)[name]
	if !ok {
		t.Fatalf("golden case %q not found", name)
	}
	s, err := schema.Load(p)
	if err != nil {
		t.Fatalf("load %s: %v", p, err)
	}
	return s
}

// specFromYAML loads a spec written in a test.
func specFromYAML(t *testing.T, src string) *schema.Spec {
	t.Helper()
	s, err := schema.LoadBytes("wigen.yaml", []byte(src))
	if err != nil {
		t.Fatalf("load test spec: %v", err)
	}
	return s
}

func mustRender(t *testing.T, s *schema.Spec) []output.File {
	t.Helper()
	files, err := Render(s)
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	return files
}

// tfModule is one rendered environment, parsed.
type tfModule struct {
	env    string
	files  map[string][]byte          // by base name
	bodies map[string]*hclsyntax.Body // .tf files by base name
	values map[string]any             // values.yaml
}

// parseModules parses the rendered files by environment.
func parseModules(t *testing.T, files []output.File) map[string]*tfModule {
	t.Helper()
	mods := map[string]*tfModule{}
	for _, f := range files {
		parts := strings.Split(f.Path, "/")
		if len(parts) != 3 || parts[0] != "terraform" {
			t.Fatalf("%s: not terraform/<environment>/<file>", f.Path)
		}
		m := mods[parts[1]]
		if m == nil {
			m = &tfModule{env: parts[1], files: map[string][]byte{}, bodies: map[string]*hclsyntax.Body{}}
			mods[parts[1]] = m
		}
		m.files[parts[2]] = f.Data
		switch path.Ext(f.Path) {
		case ".tf":
			hf, diags := hclsyntax.ParseConfig(f.Data, f.Path, hcl.InitialPos)
			if diags.HasErrors() {
				t.Fatalf("%s does not parse: %s\n%s", f.Path, diags.Error(), f.Data)
			}
			m.bodies[parts[2]] = hf.Body.(*hclsyntax.Body)
		case ".yaml":
			if err := yaml.Unmarshal(f.Data, &m.values); err != nil {
				t.Fatalf("%s: %v", f.Path, err)
			}
		}
	}
	return mods
}

// allBlocks returns the top-level blocks of every .tf file, files in name order.
func (m *tfModule) allBlocks() []*hclsyntax.Block {
	names := make([]string, 0, len(m.bodies))
	for n := range m.bodies {
		names = append(names, n)
	}
	sort.Strings(names)
	var out []*hclsyntax.Block
	for _, n := range names {
		out = append(out, m.bodies[n].Blocks...)
	}
	return out
}

// blocks returns the top-level blocks of type typ whose labels start with labels.
func (m *tfModule) blocks(typ string, labels ...string) []*hclsyntax.Block {
	var out []*hclsyntax.Block
	for _, b := range m.allBlocks() {
		if b.Type != typ || len(b.Labels) < len(labels) {
			continue
		}
		match := true
		for i, l := range labels {
			if b.Labels[i] != l {
				match = false
			}
		}
		if match {
			out = append(out, b)
		}
	}
	return out
}

// block returns the one top-level block typ with exactly these labels.
func (m *tfModule) block(t *testing.T, typ string, labels ...string) *hclsyntax.Block {
	t.Helper()
	bs := m.blocks(typ, labels...)
	if len(bs) != 1 {
		t.Fatalf("environment %s: want one %s %q block, found %d", m.env, typ, labels, len(bs))
	}
	return bs[0]
}

// nested returns the nested blocks of type typ in body.
func nested(body *hclsyntax.Body, typ string) []*hclsyntax.Block {
	var out []*hclsyntax.Block
	for _, b := range body.Blocks {
		if b.Type == typ {
			out = append(out, b)
		}
	}
	return out
}

// literal evaluates attribute name of body without any variables or
// functions: it succeeds only for a literal (a template with an
// interpolation would need variables). ok is false when the attribute is absent.
func literal(t *testing.T, body *hclsyntax.Body, name string) (v cty.Value, ok bool) {
	t.Helper()
	a, ok := body.Attributes[name]
	if !ok {
		return cty.NilVal, false
	}
	return exprLiteral(t, a.Expr), true
}

func exprLiteral(t *testing.T, e hcl.Expression) cty.Value {
	t.Helper()
	v, diags := e.Value(nil)
	if diags.HasErrors() {
		t.Fatalf("%s: not a literal: %s", e.Range(), diags.Error())
	}
	return v
}

// literalString is literal for a string attribute that must be present.
func literalString(t *testing.T, body *hclsyntax.Body, name string) string {
	t.Helper()
	v, ok := literal(t, body, name)
	if !ok {
		t.Fatalf("%s: no attribute %q", body.SrcRange, name)
	}
	if v.Type() != cty.String {
		t.Fatalf("%s: %s is %s, want a string", body.SrcRange, name, v.Type().FriendlyName())
	}
	return v.AsString()
}

// reference returns attribute name of body as a reference
// ("azurerm_user_assigned_identity.this.id"), or fails when it is not one.
func reference(t *testing.T, body *hclsyntax.Body, name string) string {
	t.Helper()
	a, ok := body.Attributes[name]
	if !ok {
		t.Fatalf("%s: no attribute %q", body.SrcRange, name)
	}
	return exprReference(t, a.Expr)
}

func exprReference(t *testing.T, e hcl.Expression) string {
	t.Helper()
	tr, diags := hcl.AbsTraversalForExpr(e)
	if diags.HasErrors() {
		t.Fatalf("%s: not a reference: %s", e.Range(), diags.Error())
	}
	return traversalString(tr)
}

func traversalString(tr hcl.Traversal) string {
	var b strings.Builder
	for _, s := range tr {
		switch s := s.(type) {
		case hcl.TraverseRoot:
			b.WriteString(s.Name)
		case hcl.TraverseAttr:
			b.WriteString("." + s.Name)
		case hcl.TraverseIndex:
			bf := s.Key.AsBigFloat()
			b.WriteString(fmt.Sprintf("[%s]", bf.Text('f', -1)))
		default:
			b.WriteString(fmt.Sprintf("<%T>", s))
		}
	}
	return b.String()
}

// referenceList returns a tuple of references ("depends_on = [a.b, c.d]").
func referenceList(t *testing.T, body *hclsyntax.Body, name string) []string {
	t.Helper()
	a, ok := body.Attributes[name]
	if !ok {
		return nil
	}
	tup, ok := a.Expr.(*hclsyntax.TupleConsExpr)
	if !ok {
		t.Fatalf("%s: %s is not a list", a.SrcRange, name)
	}
	var out []string
	for _, e := range tup.Exprs {
		out = append(out, exprReference(t, e))
	}
	return out
}

// objectItems returns the items of an object constructor by key.
func objectItems(t *testing.T, e hclsyntax.Expression) map[string]hclsyntax.Expression {
	t.Helper()
	obj, ok := e.(*hclsyntax.ObjectConsExpr)
	if !ok {
		t.Fatalf("%s: not an object constructor", e.Range())
	}
	out := map[string]hclsyntax.Expression{}
	for _, it := range obj.Items {
		k := hcl.ExprAsKeyword(it.KeyExpr)
		if k == "" {
			v := exprLiteral(t, it.KeyExpr)
			k = v.AsString()
		}
		out[k] = it.ValueExpr
	}
	return out
}

// resourceLabels lists the labels of the resources (or data sources) of type typ, in file order.
func (m *tfModule) resourceLabels(kind, typ string) []string {
	var out []string
	for _, b := range m.blocks(kind, typ) {
		out = append(out, b.Labels[1])
	}
	return out
}
