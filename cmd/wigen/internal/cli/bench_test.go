package cli

import (
	"fmt"
	"io"
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

// BenchmarkCheck runs `wigen render --check` in-process (load, validate,
// render, compare with disk) on a written, up-to-date tree, with the
// garbage collector set as the wigen binary sets it (TuneGC).
func BenchmarkCheck(b *testing.B) {
	TuneGC()
	for _, n := range []int{100, 1000} {
		b.Run(fmt.Sprintf("envs=%d", n), func(b *testing.B) {
			dir := b.TempDir()
			file := filepath.Join(dir, schema.DefaultFile)
			if err := os.WriteFile(file, benchInput(n), 0o644); err != nil {
				b.Fatal(err)
			}
			if code := RunWithInput([]string{"render", "-f", file}, nil, io.Discard, io.Discard); code != ExitOK {
				b.Fatalf("render: exit %d", code)
			}
			b.ReportAllocs()
			for b.Loop() {
				if code := RunWithInput([]string{"render", "--check", "-f", file}, nil, io.Discard, io.Discard); code != ExitOK {
					b.Fatalf("check: exit %d", code)
				}
			}
		})
	}
}
