package replacement

import (
	"fmt"
	"strings"
	"testing"
)

// BenchmarkFind compares two renders of n environments that differ in
// every module and overlay (a chart upgrade), the most Find reads: every
// main.tf, values.yaml and overlay, in both trees.
func BenchmarkFind(b *testing.B) {
	for _, n := range []int{10, 1000} {
		old, next := upgradeTrees(&testing.T{}, n)
		b.Run(fmt.Sprintf("envs=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if got := Find(old, next); len(got) != 0 {
					b.Fatalf("a chart upgrade of release open-webui replaces nothing, got %d", len(got))
				}
			}
		})
	}
}

// TestFindCostIsLinear: Find's allocations grow with the number of
// environments, not with its square (a check that compared every pair of
// modules, each parsed again, did; allocation counts do not depend on the
// machine, as times do).
func TestFindCostIsLinear(t *testing.T) {
	allocs := func(n int) float64 {
		old, next := upgradeTrees(t, n)
		return testing.AllocsPerRun(2, func() { Find(old, next) })
	}
	small, large := allocs(20), allocs(80)
	if ratio := large / small; ratio > 5 { // 4x the environments
		t.Errorf("Find at 80 environments allocates %.1fx what it does at 20 (%.0f, %.0f): more than linear", ratio, large, small)
	}
}

// upgradeTrees renders n environments before and after a chart upgrade
// (7.2.0 to 16.0.0 of release open-webui, which renames nothing): every
// module and overlay differs, the most Find reads.
func upgradeTrees(t *testing.T, n int) (old, next map[string][]byte) {
	var envs strings.Builder
	for i := range n {
		fmt.Fprintf(&envs, `    - name: env-%04d
      subscriptionId: 11111111-1111-1111-1111-111111111111
      location: westeurope
      resourceGroup: rg-%04d
      namespace: open-webui
      serviceAccount: open-webui
      identity:
        name: id-%04d
        clientId: 33333333-3333-3333-3333-%012d
      cluster:
        name: aks-%04d
        issuer:
          url: https://westeurope.oic.prod-aks.azure.com/22222222-2222-2222-2222-222222222222/44444444-4444-4444-4444-%012d/
`, i, i, i, i, i, i)
	}
	doc := base[:strings.Index(base, "    - name: prod")] + envs.String()
	return tree(t, doc), tree(t, strings.NewReplacer("version: 7.2.0", "version: 16.0.0", "imageTag: v0.6.33", "imageTag: v0.11.0").Replace(doc))
}
