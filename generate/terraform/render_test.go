package terraform

import (
	"bytes"
	"path"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"

	"github.com/wigen-dev/wigen/generate/output"
	"github.com/wigen-dev/wigen/schema"
)

// TestGoldenInputsRender: every golden input loads and renders one module
// per environment, in environment order; every .tf re-parses, begins with
// the generated-file line and is already in canonical format; rendering
// twice gives the same bytes.
func TestGoldenInputsRender(t *testing.T) {
	for name, p := range goldenInputs(t) {
		t.Run(name, func(t *testing.T) {
			s, err := schema.Load(p)
			if err != nil {
				t.Fatalf("load: %v", err)
			}
			files := mustRender(t, s)
			checkFiles(t, s, files)
			again := mustRender(t, s)
			if diff := cmp.Diff(files, again); diff != "" {
				t.Errorf("second render differs (-first +second):\n%s", diff)
			}
		})
	}
}

// checkFiles asserts the shape of a rendering of s.
func checkFiles(t *testing.T, s *schema.Spec, files []output.File) {
	t.Helper()
	var gotPaths, wantPaths []string
	for _, e := range s.Spec.Environments {
		if !e.HasTarget(schema.TargetTerraform) {
			continue
		}
		names := []string{FileMain, FileOutputs, FileProviders, FileVersions}
		if e.TerraformRelease() {
			names = append(names, FileValues)
		}
		if len(e.Adoption) > 0 {
			names = append(names, FileAdopt)
		}
		sort.Strings(names)
		for _, f := range names {
			wantPaths = append(wantPaths, path.Join("terraform", e.Name, f))
		}
	}
	for _, f := range files {
		gotPaths = append(gotPaths, f.Path)
	}
	if diff := cmp.Diff(wantPaths, gotPaths); diff != "" {
		t.Errorf("file paths (-want +got):\n%s", diff)
	}
	var sorted []string
	for _, e := range s.Spec.Environments {
		var env []string
		for _, p := range gotPaths {
			if strings.HasPrefix(p, "terraform/"+e.Name+"/") {
				env = append(env, p)
			}
		}
		if !sort.StringsAreSorted(env) {
			t.Errorf("files of %s are not sorted: %q", e.Name, env)
		}
		sorted = append(sorted, env...)
	}
	if diff := cmp.Diff(sorted, gotPaths); diff != "" {
		t.Errorf("files are not grouped by environment in input order (-want +got):\n%s", diff)
	}
	for _, f := range files {
		header := output.Header(f.Path, s.Source)
		if !bytes.HasPrefix(f.Data, []byte(header)) {
			t.Errorf("%s: does not begin with %q", f.Path, header)
		}
		if !output.IsGenerated(f.Data) {
			t.Errorf("%s: not recognised as generated", f.Path)
		}
		if bytes.Contains(f.Data, []byte("\r")) || !bytes.HasSuffix(f.Data, []byte("\n")) || bytes.HasSuffix(f.Data, []byte("\n\n")) {
			t.Errorf("%s: want LF line endings and exactly one final newline", f.Path)
		}
		if path.Ext(f.Path) != ".tf" {
			continue
		}
		if _, diags := hclsyntax.ParseConfig(f.Data, f.Path, hcl.InitialPos); diags.HasErrors() {
			t.Errorf("%s: does not re-parse: %s", f.Path, diags.Error())
		}
		if formatted := hclwrite.Format(f.Data); !bytes.Equal(formatted, f.Data) {
			t.Errorf("%s: not in canonical format (-rendered +formatted):\n%s", f.Path,
				cmp.Diff(strings.Split(string(f.Data), "\n"), strings.Split(string(formatted), "\n")))
		}
	}
}

// BenchmarkRender renders the tutorial's spec (one environment).
func BenchmarkRender(b *testing.B) {
	s, err := schema.Load("../../golden/open-webui-aks/wigen.yaml")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := Render(s); err != nil {
			b.Fatal(err)
		}
	}
}
