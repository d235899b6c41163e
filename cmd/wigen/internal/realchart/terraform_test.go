package realchart

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wigen-dev/wigen/generate/terraform"
)

// TestTerraformRelease reads the helm_release of golden modules of both
// helm provider syntaxes, with the namespace as a reference and as a
// literal, and the client ID of a created and of an existing identity.
func TestTerraformRelease(t *testing.T) {
	const id = "12345678-1234-1234-1234-123456789012"
	set := []string{"--set-string", `serviceAccount.annotations.azure\.workload\.identity/client-id=` + id}
	if terraform.ClientIDSetName != `serviceAccount.annotations.azure\.workload\.identity/client-id` {
		t.Fatalf("ClientIDSetName is %q", terraform.ClientIDSetName)
	}
	for _, tc := range []struct {
		golden, env, namespace string
	}{
		{"open-webui-aks", "prod", "open-webui"},    // helm provider 2.x: set {} blocks; kubernetes_namespace_v1 reference
		{"current-providers", "prod", "open-webui"}, // helm provider 3.x: set = [{...}]
		{"multi-environment", "dev", "open-webui"},  // createNamespace: false: a literal namespace
		{"multi-environment", "prod", "open-webui"}, // existing identity: data source client_id
		{"namespaces-and-redis", "dev", "chat-dev"},
	} {
		c := goldenCase(t, tc.golden)
		r := TerraformRelease(t, c.Files, terraform.Dir(tc.env), id)
		if r.Name != c.Spec.ReleaseName() || r.Namespace != tc.namespace || r.Chart != c.Spec.Spec.Chart.Name || r.Version != c.Spec.Spec.Chart.Version || r.Repository != c.Spec.Spec.Chart.Repository {
			t.Errorf("%s/%s: %+v", tc.golden, tc.env, r)
		}
		if diff := cmp.Diff(set, r.Set); diff != "" {
			t.Errorf("%s/%s set (-want +got):\n%s", tc.golden, tc.env, diff)
		}
		if len(r.Values) != 1 || string(r.Values[0]) != string(fileData(c.Files, terraform.Dir(tc.env)+"/"+terraform.FileValues)) {
			t.Errorf("%s/%s: values %q", tc.golden, tc.env, r.Values)
		}
	}
}
