package disk

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wigen-dev/wigen/generate/output"
)

// BenchmarkPlan compares a render of 1000 files of 2 KiB (about what 100
// environments produce) with an up-to-date tree on disk: the cost of the
// disk side of `wigen render --check`, without loading or rendering.
func BenchmarkPlan(b *testing.B) {
	var files []output.File
	body := strings.Repeat("x = \"some rendered line\"\n", 80)
	for env := range 100 {
		for _, name := range []string{"terraform/%s/main.tf", "terraform/%s/outputs.tf", "terraform/%s/providers.tf",
			"terraform/%s/versions.tf", "terraform/%s/values.yaml", "helm/%s/values.yaml", "kustomize/overlays/%s/kustomization.yaml",
			"kustomize/overlays/%s/namespace.yaml", "kustomize/overlays/%s/service-account.yaml", "kustomize/overlays/%s/workload.yaml"} {
			files = append(files, gen(fmt.Sprintf(name, fmt.Sprintf("env-%03d", env)), body))
		}
	}
	output.Sort(files)
	root := filepath.Join(b.TempDir(), "deploy")
	apply(b, root, files)
	b.ReportAllocs()
	for b.Loop() {
		p, err := NewPlan(root, "wigen.yaml", files)
		if err != nil {
			b.Fatal(err)
		}
		if len(p.Changed()) != 0 {
			b.Fatal("tree not up to date")
		}
	}
}
