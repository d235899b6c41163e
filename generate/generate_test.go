package generate

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wigen-dev/wigen/schema"
)

const input = `apiVersion: wigen/v1alpha1
kind: WorkloadIdentity
metadata:
  name: open-webui
spec:
  targets: TARGETS
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
    cluster:
      resourceGroup: rg-aks
      issuer:
        fromCluster: true
  environments:
    - name: dev
      identity:
        name: id-open-webui-dev
      resourceGroup: rg-dev
      cluster:
        name: aks-dev
    - name: prod
      identity:
        name: id-open-webui-prod
        clientId: 44444444-4444-4444-4444-444444444444
      resourceGroup: rg-prod
      cluster:
        name: aks-prod
    - name: qa
      identity:
        name: id-open-webui-qa
      resourceGroup: rg-qa
      cluster:
        name: aks-qa
`

// TestSkipped: an environment without identity.clientId is one Skip,
// listing exactly the outputs of the enabled targets that need the client
// ID, none of which is rendered; an environment with one is rendered.
func TestSkipped(t *testing.T) {
	tests := []struct {
		targets string
		want    []Skip
	}{
		{"[terraform, helm, kustomize]", []Skip{
			{Index: 0, Env: "dev", Paths: []string{"helm/dev/values.yaml", "kustomize/overlays/dev/"}},
			{Index: 2, Env: "qa", Paths: []string{"helm/qa/values.yaml", "kustomize/overlays/qa/"}},
		}},
		{"[kustomize]", []Skip{
			{Index: 0, Env: "dev", Paths: []string{"kustomize/overlays/dev/"}},
			{Index: 2, Env: "qa", Paths: []string{"kustomize/overlays/qa/"}},
		}},
		{"[terraform]", nil},
	}
	for _, tt := range tests {
		t.Run(tt.targets, func(t *testing.T) {
			s, err := schema.LoadBytes("wigen.yaml", []byte(strings.Replace(input, "TARGETS", tt.targets, 1)))
			if err != nil {
				t.Fatal(err)
			}
			res, err := Render(s)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, res.Skipped); diff != "" {
				t.Errorf("Skipped (-want +got):\n%s", diff)
			}
			rendered := map[string]bool{}
			for _, f := range res.Files {
				rendered[f.Path] = true
			}
			for _, sk := range tt.want {
				for _, p := range sk.Paths {
					for _, f := range res.Files {
						if f.Path == p || strings.HasSuffix(p, "/") && strings.HasPrefix(f.Path, p) {
							t.Errorf("%s is skipped but rendered as %s", p, f.Path)
						}
					}
				}
			}
			// prod has its client ID: its outputs are there.
			for target, p := range map[string]string{schema.TargetHelm: "helm/prod/values.yaml", schema.TargetKustomize: "kustomize/overlays/prod/kustomization.yaml"} {
				if s.HasTarget(target) && !rendered[p] {
					t.Errorf("%s not rendered", p)
				}
			}
		})
	}
}
