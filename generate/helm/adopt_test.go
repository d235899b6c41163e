package helm

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestAdoptedReleaseKeepsSubcharts: an environment that adopts an
// installed release leaves ollama and pipelines as the chart's defaults
// have them (on: turning them off would uninstall them, the Pipelines PVC
// with them), unless its chart values set them; others get wigen's soft
// default off.
func TestAdoptedReleaseKeepsSubcharts(t *testing.T) {
	adopt := func(chartExtra string) map[string]any {
		s := spec(t, "7.2.0", "v0.6.33", chartExtra, "", clientID+"\n      adopt:\n        addresses:\n          release: helm_release.openwebui")
		if !s.Spec.Environments[0].AdoptsRelease() {
			t.Fatal("the environment should adopt the release")
		}
		return asJSON(t, Values(s, &s.Spec.Environments[0], ForTerraform)).(map[string]any)
	}
	v := adopt("")
	for _, sc := range []string{"ollama", "pipelines"} {
		if x, ok := v[sc]; ok {
			t.Errorf("adopted: %s = %v, want the chart's default (no key)", sc, x)
		}
	}
	v = adopt("    values:\n      pipelines: {enabled: false}\n")
	if !cmp.Equal(v["pipelines"], map[string]any{"enabled": false}) || v["ollama"] != nil {
		t.Errorf("adopted with pipelines set: pipelines %v, ollama %v; want the user's and the chart's", v["pipelines"], v["ollama"])
	}
	s := spec(t, "7.2.0", "v0.6.33", "", "", clientID)
	v = asJSON(t, Values(s, &s.Spec.Environments[0], ForTerraform)).(map[string]any)
	if !cmp.Equal(v["ollama"], map[string]any{"enabled": false}) || !cmp.Equal(v["pipelines"], map[string]any{"enabled": false}) {
		t.Errorf("not adopted: ollama %v, pipelines %v, want both off", v["ollama"], v["pipelines"])
	}
}
