package disk

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/wigen-dev/wigen/generate/output"
)

// moduleTree writes, under a new root, an up-to-date render of n Terraform
// modules, each with the .terraform folder `terraform init` leaves (a
// provider, the backend state) and its lock file beside it, and returns
// the root and the render.
func moduleTree(t testing.TB, n int) (string, []output.File) {
	t.Helper()
	var files []output.File
	for i := range n {
		// Names of a usual length (a region and a stage): the walk's
		// paths are then longer than the 32 bytes Go concatenates on the
		// stack, so work per path shows as allocations.
		dir := fmt.Sprintf("terraform/westeurope-production-%04d", i)
		for _, name := range []string{"main.tf", "outputs.tf", "providers.tf", "versions.tf", "values.yaml"} {
			files = append(files, gen(dir+"/"+name, "x = 1\n"))
		}
		files = append(files, gen(fmt.Sprintf("environments/westeurope-production-%04d/README.md", i), "readme\n"))
	}
	output.Sort(files)
	root := filepath.Join(t.TempDir(), "deploy")
	apply(t, root, files)
	for i := range n {
		mod := filepath.Join(root, fmt.Sprintf("terraform/westeurope-production-%04d", i))
		prov := filepath.Join(mod, ".terraform/providers/registry.terraform.io/hashicorp/azurerm/4.30.0/linux_amd64")
		for name, data := range map[string]string{
			filepath.Join(prov, "terraform-provider-azurerm_v4.30.0_x5"): "binary",
			filepath.Join(mod, ".terraform/terraform.tfstate"):           "{}\n",
			filepath.Join(mod, ".terraform.lock.hcl"):                    "# This file is maintained automatically by \"terraform init\".\n",
		} {
			if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	return root, files
}

// TestWalkCostIsLinear guards the walk of the output root against work
// that grows with the square of the number of modules (for each
// .terraform folder it meets, a scan of every rendered path): ten times
// the modules, each with its .terraform folder, must cost at most eleven
// times the memory allocations of planning an up-to-date tree. Allocation
// counts, unlike times, do not depend on the machine's load.
func TestWalkCostIsLinear(t *testing.T) {
	allocs := func(n int) float64 {
		root, files := moduleTree(t, n)
		return testing.AllocsPerRun(2, func() {
			p, err := NewPlan(root, "wigen.yaml", files)
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Changed()) != 0 {
				t.Fatalf("tree not up to date: %v", p.Changed())
			}
		})
	}
	small, large := allocs(30), allocs(300)
	if ratio := large / small; ratio > 11 {
		t.Errorf("300 modules allocate %.1f times what 30 do (%.0f vs %.0f); the cost should grow linearly (about 10 times)", ratio, large, small)
	} else {
		t.Logf("300 modules allocate %.1f times what 30 do", ratio)
	}
}
