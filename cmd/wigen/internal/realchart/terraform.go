package realchart

import (
	"fmt"
	"path"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"

	"github.com/wigen-dev/wigen/generate/output"
	"github.com/wigen-dev/wigen/generate/terraform"
)

// Release is what a Terraform module's helm_release installs, as helm
// flags.
type Release struct {
	// Name and Namespace of the release; Chart, Repository and Version of
	// the chart.
	Name, Namespace, Chart, Repository, Version string
	// Values are the contents of the values list, in order.
	Values [][]byte
	// Set are the set entries as helm flags, in order: "--set-string",
	// "NAME=VALUE" for type "string" (the helm provider's strvals
	// ParseIntoString, the same parser), "--set" for "auto" or no type,
	// "--set-literal" for "literal".
	Set []string
}

// TerraformRelease reads the one helm_release of the Terraform module in
// folder dir (relative to the output root) of files, as Terraform would
// evaluate it: file("${path.module}/...") reads the rendered file, a
// namespace given as a kubernetes_namespace_v1 (or kubernetes_namespace)
// reference is that resource's metadata name, and every
// azurerm_user_assigned_identity's client_id (resource or data source) is
// clientID, which exists only after apply. Both helm provider syntaxes are
// read: set {} blocks (2.x) and set = [{...}] (3.x).
func TerraformRelease(t testing.TB, files []output.File, dir, clientID string) *Release {
	t.Helper()
	r, err := terraformRelease(files, dir, clientID)
	if err != nil {
		t.Fatalf("%s: %v", dir, err)
	}
	return r
}

func terraformRelease(files []output.File, dir, clientID string) (*Release, error) {
	byPath := map[string][]byte{}
	for _, f := range files {
		byPath[f.Path] = f.Data
	}
	mainPath := path.Join(dir, "main.tf")
	src, ok := byPath[mainPath]
	if !ok {
		return nil, fmt.Errorf("%s is not rendered", mainPath)
	}
	f, diags := hclsyntax.ParseConfig(src, mainPath, hcl.InitialPos)
	if diags.HasErrors() {
		return nil, diags
	}
	body := f.Body.(*hclsyntax.Body)

	// Everything the helm_release may refer to.
	namespaces := map[string]map[string]cty.Value{} // type -> label -> object
	// client_id of azurerm_user_assigned_identity resources and data sources, by label.
	resIDs, dataIDs := map[string]cty.Value{}, map[string]cty.Value{}
	var releases []*hclsyntax.Block
	for _, b := range body.Blocks {
		if len(b.Labels) != 2 {
			continue
		}
		typ, label := b.Labels[0], b.Labels[1]
		switch {
		case b.Type == "resource" && typ == "helm_release":
			releases = append(releases, b)
		case b.Type == "resource" && (typ == "kubernetes_namespace_v1" || typ == "kubernetes_namespace"):
			name, err := namespaceName(b)
			if err != nil {
				return nil, err
			}
			if namespaces[typ] == nil {
				namespaces[typ] = map[string]cty.Value{}
			}
			namespaces[typ][label] = cty.ObjectVal(map[string]cty.Value{
				"metadata": cty.TupleVal([]cty.Value{cty.ObjectVal(map[string]cty.Value{"name": cty.StringVal(name)})}),
			})
		case typ == "azurerm_user_assigned_identity" && b.Type == "resource":
			resIDs[label] = cty.ObjectVal(map[string]cty.Value{"client_id": cty.StringVal(clientID)})
		case typ == "azurerm_user_assigned_identity" && b.Type == "data":
			dataIDs[label] = cty.ObjectVal(map[string]cty.Value{"client_id": cty.StringVal(clientID)})
		}
	}
	if len(releases) != 1 {
		return nil, fmt.Errorf("%d helm_release resources, want 1", len(releases))
	}
	vars := map[string]cty.Value{
		"path": cty.ObjectVal(map[string]cty.Value{"module": cty.StringVal(dir)}),
	}
	for typ, byLabel := range namespaces {
		vars[typ] = cty.ObjectVal(byLabel)
	}
	if len(resIDs) > 0 {
		vars["azurerm_user_assigned_identity"] = cty.ObjectVal(resIDs)
	}
	if len(dataIDs) > 0 {
		vars["data"] = cty.ObjectVal(map[string]cty.Value{"azurerm_user_assigned_identity": cty.ObjectVal(dataIDs)})
	}
	ctx := &hcl.EvalContext{
		Variables: vars,
		Functions: functions(byPath),
	}

	rb := releases[0].Body
	r := &Release{}
	for name, dst := range map[string]*string{"name": &r.Name, "namespace": &r.Namespace, "chart": &r.Chart, "repository": &r.Repository, "version": &r.Version} {
		a, ok := rb.Attributes[name]
		if !ok {
			return nil, fmt.Errorf("helm_release has no %s", name)
		}
		v, diags := a.Expr.Value(ctx)
		if diags.HasErrors() {
			return nil, diags
		}
		if v.Type() != cty.String {
			return nil, fmt.Errorf("helm_release %s is %s, not a string", name, v.Type().FriendlyName())
		}
		*dst = v.AsString()
	}
	if a, ok := rb.Attributes["values"]; ok {
		v, diags := a.Expr.Value(ctx)
		if diags.HasErrors() {
			return nil, diags
		}
		for it := v.ElementIterator(); it.Next(); {
			_, x := it.Element()
			r.Values = append(r.Values, []byte(x.AsString()))
		}
	}
	var sets []cty.Value
	if a, ok := rb.Attributes["set"]; ok { // helm provider 3.x
		v, diags := a.Expr.Value(ctx)
		if diags.HasErrors() {
			return nil, diags
		}
		for it := v.ElementIterator(); it.Next(); {
			_, x := it.Element()
			sets = append(sets, x)
		}
	}
	for _, b := range rb.Blocks {
		switch b.Type {
		case "set": // helm provider 2.x
			m := map[string]cty.Value{}
			for n, a := range b.Body.Attributes {
				v, diags := a.Expr.Value(ctx)
				if diags.HasErrors() {
					return nil, diags
				}
				m[n] = v
			}
			sets = append(sets, cty.ObjectVal(m))
		case "set_list", "set_sensitive":
			return nil, fmt.Errorf("helm_release %s is not read here; add it to TerraformRelease", b.Type)
		}
	}
	for _, a := range []string{"set_list", "set_sensitive"} {
		if _, ok := rb.Attributes[a]; ok {
			return nil, fmt.Errorf("helm_release %s is not read here; add it to TerraformRelease", a)
		}
	}
	for _, s := range sets {
		flag, err := setFlag(s)
		if err != nil {
			return nil, err
		}
		r.Set = append(r.Set, flag...)
	}
	return r, nil
}

// setFlag turns one set entry into the helm flag that parses it the same way.
func setFlag(s cty.Value) ([]string, error) {
	attr := func(n string) string {
		if !s.Type().IsObjectType() || !s.Type().HasAttribute(n) {
			return ""
		}
		v := s.GetAttr(n)
		if v.IsNull() || v.Type() != cty.String {
			return ""
		}
		return v.AsString()
	}
	name, value := attr("name"), attr("value")
	if name == "" {
		return nil, fmt.Errorf("a set entry without a string name: %#v", s)
	}
	switch typ := attr("type"); typ {
	case "string":
		return []string{"--set-string", name + "=" + value}, nil
	case "", "auto":
		return []string{"--set", name + "=" + value}, nil
	case "literal":
		return []string{"--set-literal", name + "=" + value}, nil
	default:
		return nil, fmt.Errorf("set %s: unknown type %q", name, typ)
	}
}

// namespaceName is metadata { name = "..." } of a namespace resource.
func namespaceName(b *hclsyntax.Block) (string, error) {
	for _, m := range b.Body.Blocks {
		if m.Type != "metadata" {
			continue
		}
		a, ok := m.Body.Attributes["name"]
		if !ok {
			break
		}
		v, diags := a.Expr.Value(nil)
		if diags.HasErrors() {
			return "", diags
		}
		return v.AsString(), nil
	}
	return "", fmt.Errorf("%s %s has no literal metadata name", b.Labels[0], b.Labels[1])
}

// functions are the Terraform functions a rendered helm_release calls:
// file, reading the rendered files, and those of its
// checksum/workload-identity (terraform.ChecksumFunctions).
func functions(files map[string][]byte) map[string]function.Function {
	fs := terraform.ChecksumFunctions()
	fs["file"] = fileFunc(files)
	return fs
}

// fileFunc is Terraform's file(path), reading the rendered files.
func fileFunc(files map[string][]byte) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "path", Type: cty.String}},
		Type:   function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			p := path.Clean(args[0].AsString())
			data, ok := files[p]
			if !ok {
				return cty.NilVal, fmt.Errorf("file(%q): not rendered", p)
			}
			return cty.StringVal(string(data)), nil
		},
	})
}
