package generate

import (
	"fmt"
	"strings"
	"testing"

	"github.com/wigen-dev/wigen/schema"
)

// scaleInput is a valid input with n environments, half of them sharing
// one identity (the shared-identity paths of the renderers included).
func scaleInput(n int) []byte {
	var b strings.Builder
	b.WriteString(`apiVersion: wigen/v1alpha1
kind: WorkloadIdentity
metadata: {name: open-webui}
spec:
  chart: {version: 16.0.0, imageTag: v0.11.0}
  azureOpenAI:
    accountId: /subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/aoai
    endpoint: https://aoai.openai.azure.com
    deployments: [gpt-4o]
  defaults:
    subscriptionId: 11111111-1111-1111-1111-111111111111
    location: westeurope
    resourceGroup: rg-app
    serviceAccount: open-webui
  environments:
`)
	for i := 0; i < n; i++ {
		if i%2 == 0 {
			fmt.Fprintf(&b, "    - {name: env%d, namespace: ns%d, identity: {name: id-env%d, clientId: 33333333-3333-3333-3333-%012d}, cluster: {name: aks%d, issuer: {url: \"https://issuer.example.com/%d\"}}}\n", i, i, i, i, i, i)
		} else {
			fmt.Fprintf(&b, "    - {name: env%d, namespace: ns%d, roles: [], identity: {name: id-env%d, existing: true, clientId: 33333333-3333-3333-3333-%012d}, cluster: {name: aks%d, issuer: {url: \"https://issuer.example.com/%d\"}}}\n", i, i, i-1, i-1, i, i)
		}
	}
	return []byte(b.String())
}

// TestRenderCostIsLinear guards against work that grows with the square
// of the number of environments (a loop over all environments inside a
// loop over environments): ten times the environments must cost at most
// eleven times the memory allocations. Allocation counts, unlike times,
// do not depend on the machine's load.
func TestRenderCostIsLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("renders 550 environments")
	}
	allocs := func(n int) float64 {
		data := scaleInput(n)
		return testing.AllocsPerRun(1, func() {
			s, err := schema.LoadBytes("wigen.yaml", data)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := Render(s); err != nil {
				t.Fatal(err)
			}
		})
	}
	small, large := allocs(50), allocs(500)
	if ratio := large / small; ratio > 11 {
		t.Errorf("500 environments allocate %.1f times what 50 do (%.0f vs %.0f); the cost should grow linearly (about 10 times)", ratio, large, small)
	} else {
		t.Logf("500 environments allocate %.1f times what 50 do", ratio)
	}
}
