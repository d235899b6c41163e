package realchart

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/wigen-dev/wigen/generate/helm"
	"github.com/wigen-dev/wigen/schema"
)

// TestPVCKept: wigen's keep policy (helm.sh/resource-policy: keep through
// persistence.annotations) reaches the PVC each reference chart renders,
// the PVC is named as schema.Fullname says (7.2.0: open-webui whatever the
// release; 16.0.0: the fullname), the opt-out leaves the policy out, and
// persistence.existingClaim makes the chart mount the claim it names and
// create none (facts.md "Open WebUI Helm chart", PVC row). Runs with Helm
// 3 and Helm 4.
func TestPVCKept(t *testing.T) {
	const optOut = "    keepPersistentVolumeClaim: false\n"
	const existing = "    values:\n      persistence:\n        existingClaim: open-webui\n"
	for _, h := range Helms(t) {
		for _, tc := range []struct {
			chart, tag, release, extra string
			// pvc is the PVC the chart creates ("" for none), keep whether
			// it carries helm.sh/resource-policy: keep; claim is what the
			// workload mounts.
			pvc   string
			keep  bool
			claim string
		}{
			{chart: "7.2.0", tag: "v0.6.33", release: "open-webui", pvc: "open-webui", keep: true, claim: "open-webui"},
			{chart: "7.2.0", tag: "v0.6.33", release: "chat", pvc: "open-webui", keep: true, claim: "open-webui"},
			{chart: "16.0.0", tag: "v0.11.0", release: "open-webui", pvc: "open-webui", keep: true, claim: "open-webui"},
			{chart: "16.0.0", tag: "v0.11.0", release: "chat", pvc: "chat-open-webui", keep: true, claim: "chat-open-webui"},
			{chart: "16.0.0", tag: "v0.11.0", release: "open-webui", extra: optOut, pvc: "open-webui", claim: "open-webui"},
			{chart: "7.2.0", tag: "v0.6.33", release: "chat", extra: existing, claim: "open-webui"},
			{chart: "16.0.0", tag: "v0.11.0", release: "chat", extra: existing, claim: "open-webui"},
		} {
			name := fmt.Sprintf("%s/%s/%s", h, tc.chart, tc.release)
			if tc.extra != "" {
				name += "/" + map[string]string{optOut: "opt-out", existing: "existingClaim"}[tc.extra]
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				s := pvcSpec(t, tc.chart, tc.tag, tc.release, tc.extra)
				e := &s.Spec.Environments[0]
				values, err := json.Marshal(helm.Values(s, e, helm.Standalone)) // JSON is YAML
				if err != nil {
					t.Fatal(err)
				}
				c := ReferenceChart(t, s.Spec.Chart.Name, tc.chart)
				objs := Documents(t, h.Template(t, c, s.ReleaseName(), e.Namespace, "--values", writeTemp(t, "values.yaml", values)))
				var pvcs []map[string]any
				for _, o := range objs {
					if o["kind"] == "PersistentVolumeClaim" {
						pvcs = append(pvcs, o)
					}
				}
				switch {
				case tc.pvc == "" && len(pvcs) > 0:
					t.Fatalf("the chart rendered %d PVCs, want none (existingClaim)", len(pvcs))
				case tc.pvc == "":
				case len(pvcs) != 1:
					t.Fatalf("the chart rendered %d PVCs, want 1", len(pvcs))
				default:
					if name := field(pvcs[0], "metadata", "name"); name != tc.pvc || name != s.Fullname() {
						t.Errorf("PVC %v, want %s (schema.Fullname %s)", name, tc.pvc, s.Fullname())
					}
					got := field(pvcs[0], "metadata", "annotations", "helm.sh/resource-policy")
					if tc.keep && got != "keep" {
						t.Errorf("PVC annotations %v: want helm.sh/resource-policy: keep", field(pvcs[0], "metadata", "annotations"))
					}
					if !tc.keep && got != nil {
						t.Errorf("PVC annotations %v: opted out, want no resource policy", field(pvcs[0], "metadata", "annotations"))
					}
				}
				if c := claimOf(objs); c != tc.claim {
					t.Errorf("workload mounts claim %q, want %q", c, tc.claim)
				}
			})
		}
	}
}

// pvcSpec is a one-environment spec of release on chart version and tag,
// with chartExtra lines under spec.chart.
func pvcSpec(t *testing.T, version, tag, release, chartExtra string) *schema.Spec {
	t.Helper()
	src := fmt.Sprintf(`apiVersion: wigen/v1alpha1
kind: WorkloadIdentity
metadata:
  name: %s
spec:
  chart:
    version: %s
    imageTag: %s
%s  azureOpenAI:
    accountId: /subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/aoai
    endpoint: https://aoai.openai.azure.com
    deployments: [gpt-4o]
  environments:
    - name: prod
      subscriptionId: 11111111-1111-1111-1111-111111111111
      location: westeurope
      resourceGroup: rg-app
      namespace: apps
      serviceAccount: webui
      identity:
        name: id-webui
        clientId: 33333333-3333-3333-3333-333333333333
      cluster:
        name: aks-1
        issuer:
          url: https://westeurope.oic.prod-aks.azure.com/22222222-2222-2222-2222-222222222222/44444444-4444-4444-4444-444444444444/
`, release, version, tag, chartExtra)
	s, err := schema.LoadBytes("wigen.yaml", []byte(src))
	if err != nil {
		t.Fatalf("load:\n%s\n%v", src, err)
	}
	return s
}

// claimOf returns the claim name of the workload's "data" volume.
func claimOf(objs []map[string]any) string {
	for _, o := range objs {
		if k := o["kind"]; k != "StatefulSet" && k != "Deployment" {
			continue
		}
		vols, _ := field(o, "spec", "template", "spec", "volumes").([]any)
		for _, v := range vols {
			if vm, _ := v.(map[string]any); vm["name"] == "data" {
				if c, ok := field(vm, "persistentVolumeClaim", "claimName").(string); ok {
					return c
				}
			}
		}
	}
	return ""
}
