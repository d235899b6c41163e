package golden_test

import (
	"path"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wigen-dev/wigen/generate"
	"github.com/wigen-dev/wigen/generate/crdtest"
	"github.com/wigen-dev/wigen/schema"
)

// TestGoldenCustomResources validates every Argo CD Application and Flux
// HelmRelease, HelmRepository and OCIRepository the golden cases render,
// strictly, against the real CRDs (generate/crdtest).
func TestGoldenCustomResources(t *testing.T) {
	set, err := crdtest.LoadDir(filepath.Join("..", "generate", "crdtest", "testdata"))
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, dir := range caseDirs(t, ".") {
		s, err := schema.Load(filepath.Join(dir, schema.DefaultFile))
		if err != nil {
			t.Fatalf("%s: %v", dir, err)
		}
		res, err := generate.Render(s)
		if err != nil {
			t.Fatalf("%s: %v", dir, err)
		}
		for _, f := range res.Files {
			if !strings.HasPrefix(f.Path, "argocd/") && !strings.HasPrefix(f.Path, "flux/") || path.Base(f.Path) == "kustomization.yaml" {
				continue
			}
			kinds[path.Base(f.Path)]++
			if problems := set.Validate(f.Data); len(problems) != 0 {
				t.Errorf("%s: %s: refused by its CRD:\n%s", dir, f.Path, strings.Join(problems, "\n"))
			}
		}
	}
	// A HelmRepository (an https chart repository with flux) is validated
	// by generate/flux's tests; the golden Flux case is the OCI one.
	for _, k := range []string{"application.yaml", "helmrelease.yaml", "ocirepository.yaml"} {
		if kinds[k] == 0 {
			t.Errorf("no golden case renders a %s", k)
		}
	}
}
