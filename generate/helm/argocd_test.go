package helm

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestArgoCDValues: the Argo CD Application's values are the standalone
// values plus, on the chart's PVC, the sync options Prune=false and
// Delete=false beside helm.sh/resource-policy: keep (Argo CD prunes
// through Helm's keep policy, argo-cd#17819), after the sync options the
// chart values set there; none when wigen does not keep the PVC.
func TestArgoCDValues(t *testing.T) {
	const key = "argocd.argoproj.io/sync-options"
	for _, tc := range []struct {
		name, chartExtra string
		want             map[string]any // persistence.annotations; nil for no persistence key
	}{
		{"kept", "", map[string]any{"helm.sh/resource-policy": "keep", key: "Prune=false,Delete=false"}},
		{"the chart values' sync options first", "    values:\n      persistence:\n        annotations:\n          argocd.argoproj.io/sync-options: \" ServerSideApply=true ,\"\n",
			map[string]any{"helm.sh/resource-policy": "keep", key: "ServerSideApply=true,Prune=false,Delete=false"}},
		{"opted out", "    keepPersistentVolumeClaim: false\n", nil},
		{"an existing claim", "    values:\n      persistence:\n        existingClaim: data\n", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := spec(t, "16.0.0", "v0.11.0", tc.chartExtra, "", clientID)
			e := &s.Spec.Environments[0]
			v := asJSON(t, ArgoCDValues(s, e)).(map[string]any)
			p, _ := v["persistence"].(map[string]any)
			var got map[string]any
			if a, ok := p["annotations"].(map[string]any); ok {
				got = a
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("persistence.annotations (-want +got):\n%s", d)
			}
			// Everything else is the standalone values.
			standalone := asJSON(t, Values(s, e, Standalone)).(map[string]any)
			if sp, ok := standalone["persistence"].(map[string]any); ok {
				if a, ok := sp["annotations"].(map[string]any); ok && tc.want != nil {
					a[key] = tc.want[key]
				}
			}
			if d := cmp.Diff(standalone, v); d != "" {
				t.Errorf("Argo CD values differ from the standalone values beyond the sync options (-standalone +argocd):\n%s", d)
			}
		})
	}
}
