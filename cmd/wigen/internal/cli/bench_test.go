package cli

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wigen-dev/wigen/generate"
	"github.com/wigen-dev/wigen/schema"
)

// benchInput returns a valid wigen.yaml with n environments, each with its
// own identity, cluster and literal issuer, sharing spec.defaults.
func benchInput(n int) []byte {
	var b strings.Builder
	b.WriteString(`apiVersion: wigen/v1alpha1
kind: WorkloadIdentity
metadata:
  name: open-webui
spec:
  chart:
    version: 16.0.0
    imageTag: v0.11.0
  azureOpenAI:
    accountId: /subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-ai-example/providers/Microsoft.CognitiveServices/accounts/aoai-example
    endpoint: https://aoai-example.openai.azure.com
    deployments: [gpt-4o]
  defaults:
    tenantId: 22222222-2222-2222-2222-222222222222
    subscriptionId: 11111111-1111-1111-1111-111111111111
    location: westeurope
    namespace: open-webui
    serviceAccount: open-webui
  environments:
`)
	for i := range n {
		fmt.Fprintf(&b, `    - name: env-%04d
      resourceGroup: rg-openwebui-%04d
      identity:
        name: id-open-webui-%04d
        clientId: 33333333-3333-3333-3333-%012d
      cluster:
        name: aks-%04d
        issuer:
          url: https://westeurope.oic.prod-aks.azure.com/22222222-2222-2222-2222-222222222222/44444444-4444-4444-4444-%012d/
`, i, i, i, i, i, i)
	}
	return []byte(b.String())
}

// BenchmarkRender loads, validates and renders inputs of 1 to 1000
// environments in memory, with the garbage collector set as the wigen
// binary sets it (TuneGC).
func BenchmarkRender(b *testing.B) {
	TuneGC()
	for _, n := range []int{1, 10, 100, 1000} {
		data := benchInput(n)
		b.Run(fmt.Sprintf("envs=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			files := 0
			for b.Loop() {
				s, err := schema.LoadBytes(schema.DefaultFile, data)
				if err != nil {
					b.Fatal(err)
				}
				res, err := generate.Render(s)
				if err != nil {
					b.Fatal(err)
				}
				files = len(res.Files)
			}
			b.ReportMetric(float64(files), "files")
		})
	}
}

// BenchmarkCheck runs `wigen render --check` in-process on a written,
// up-to-date tree of 100 and 1000 environments, with the garbage
// collector set as the wigen binary sets it (TuneGC): cold (--no-cache:
// load, validate, render, compare with disk) and warm (a cache hit: read
// the input, look up the entry, verify the tree in one walk), each
// without and with the .terraform folder `terraform init` leaves in every
// module. BenchmarkReadTree is the floor a warm check is measured against.
func BenchmarkCheck(b *testing.B) {
	TuneGC()
	b.Setenv("WIGEN_CACHE", b.TempDir())
	for _, n := range []int{100, 1000} {
		for _, initialized := range []bool{false, true} {
			file, _ := checkedTree(b, n, initialized)
			for _, mode := range []string{"cold", "warm"} {
				b.Run(fmt.Sprintf("envs=%d/terraform-init=%t/%s", n, initialized, mode), func(b *testing.B) {
					args := []string{"render", "--check", "-f", file}
					if mode == "cold" {
						args = append(args, "--no-cache")
					}
					// The first check fills the cache for warm.
					if code := RunWithInput(args, nil, io.Discard, io.Discard); code != ExitOK {
						b.Fatalf("check: exit %d", code)
					}
					b.ReportAllocs()
					for b.Loop() {
						if code := RunWithInput(args, nil, io.Discard, io.Discard); code != ExitOK {
							b.Fatalf("check: exit %d", code)
						}
					}
				})
			}
		}
	}
}

// BenchmarkReadTree reads every file of the output tree of 100 and 1000
// environments once (a walk, then each file whole): the floor of a check.
func BenchmarkReadTree(b *testing.B) {
	for _, n := range []int{100, 1000} {
		_, root := checkedTree(b, n, false)
		b.Run(fmt.Sprintf("envs=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				err := filepath.WalkDir(root, func(name string, d fs.DirEntry, err error) error {
					if err != nil || !d.Type().IsRegular() {
						return err
					}
					_, err = os.ReadFile(name)
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// checkedTree writes an input of n environments (benchInput) in a new
// folder and renders it (without the cache); with initialized, every
// module also gets what `terraform init` leaves: a .terraform folder
// (providers, the backend's state) and .terraform.lock.hcl. It returns the
// input file and the output root.
func checkedTree(b *testing.B, n int, initialized bool) (file, root string) {
	b.Helper()
	dir := b.TempDir()
	file = filepath.Join(dir, schema.DefaultFile)
	if err := os.WriteFile(file, benchInput(n), 0o644); err != nil {
		b.Fatal(err)
	}
	if code := RunWithInput([]string{"render", "--no-cache", "-f", file}, nil, io.Discard, io.Discard); code != ExitOK {
		b.Fatalf("render: exit %d", code)
	}
	root = filepath.Join(dir, schema.DefaultOutput)
	if !initialized {
		return file, root
	}
	modules, err := filepath.Glob(filepath.Join(root, "terraform", "*"))
	if err != nil || len(modules) != n {
		b.Fatalf("%d modules (%v)", len(modules), err)
	}
	for _, m := range modules {
		for name, data := range map[string]string{
			".terraform.lock.hcl":          "# This file is maintained automatically by \"terraform init\".\n",
			".terraform/terraform.tfstate": "{\"version\": 3, \"backend\": {\"type\": \"azurerm\"}}\n",
			".terraform/providers/registry.terraform.io/hashicorp/azurerm/4.30.0/linux_amd64/terraform-provider-azurerm_v4.30.0_x5":       "provider",
			".terraform/providers/registry.terraform.io/hashicorp/helm/3.0.2/linux_amd64/terraform-provider-helm_v3.0.2_x5":               "provider",
			".terraform/providers/registry.terraform.io/hashicorp/kubernetes/2.37.1/linux_amd64/terraform-provider-kubernetes_v2.37.1_x5": "provider",
		} {
			name = filepath.Join(m, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
				b.Fatal(err)
			}
			if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
				b.Fatal(err)
			}
		}
	}
	return file, root
}
