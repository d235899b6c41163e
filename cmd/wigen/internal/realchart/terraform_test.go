package realchart

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wigen-dev/wigen/generate/terraform"
	"github.com/wigen-dev/wigen/schema"
)

// envIndex is the index of environment name in c.
func envIndex(t *testing.T, c Case, name string) int {
	t.Helper()
	for i := range c.Spec.Spec.Environments {
		if c.Spec.Spec.Environments[i].Name == name {
			return i
		}
	}
	t.Fatalf("%s: no environment %s", c.Name, name)
	return -1
}

// TestTerraformRelease reads the helm_release of golden modules of both
// helm provider syntaxes, with the namespace as a reference and as a
// literal, and the client ID of a created and of an existing identity.
func TestTerraformRelease(t *testing.T) {
	const id = "12345678-1234-1234-1234-123456789012"
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
		// The client ID, and the pod template's checksum of it and the
		// environment's tenant ID, as Terraform computes it.
		e := c.Spec.Spec.Environments[envIndex(t, c, tc.env)]
		set := []string{"--set-string", `serviceAccount.annotations.azure\.workload\.identity/client-id=` + id,
			"--set-string", "podAnnotations.checksum/workload-identity=" + schema.WorkloadIdentityChecksum(id, e.TenantID)}
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
