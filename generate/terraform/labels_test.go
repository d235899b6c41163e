package terraform

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/zclconf/go-cty/cty"

	"github.com/wigen-dev/wigen/schema"
)

// labelSpec has names that collide once made labels: a federation named
// like the cluster, one differing only in case, the same role on two
// scopes; two federations read the environment's own cluster issuer.
const labelSpec = `
apiVersion: wigen/v1alpha1
kind: WorkloadIdentity
metadata:
  name: webui
spec:
  targets: [terraform, helm]
  chart:
    version: 16.0.0
    imageTag: v0.11.0
  azureOpenAI:
    accountId: /subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/aoai
    endpoint: https://aoai.openai.azure.com
    deployments: [gpt-4o]
  roles:
    - role: Cognitive Services OpenAI User
    - role: Cognitive Services OpenAI User
      scope: /subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-ai-2
  environments:
    - name: prod
      subscriptionId: 11111111-1111-1111-1111-111111111111
      location: westeurope
      resourceGroup: rg-app
      namespace: app
      serviceAccount: app
      identity:
        name: id-app
      cluster:
        name: aks
        resourceGroup: rg-aks
        issuer:
          url: https://westeurope.oic.prod-aks.azure.com/22222222-2222-2222-2222-222222222222/33333333-3333-3333-3333-333333333333/
      additionalFederations:
        - name: aks
          namespace: jobs
          issuer:
            fromCluster: true
        - name: AKS
          namespace: batch
          issuer:
            fromCluster: true
`

func TestLabelsUniqueAndStable(t *testing.T) {
	s := specFromYAML(t, labelSpec)
	m := parseModules(t, mustRender(t, s))["prod"]
	if diff := cmp.Diff([]string{"aks", "aks_2", "aks_3"}, m.resourceLabels("resource", "azurerm_federated_identity_credential")); diff != "" {
		t.Errorf("credential labels (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"cognitive_services_openai_user_aoai", "cognitive_services_openai_user"}, m.resourceLabels("resource", "azurerm_role_assignment")); diff != "" {
		t.Errorf("role assignment labels (-want +got):\n%s", diff)
	}
	// fromCluster in a federation is the environment's cluster: one data
	// source, read by both.
	if got := m.resourceLabels("data", "azurerm_kubernetes_cluster"); len(got) != 1 || got[0] != "aks" {
		t.Errorf("want one data azurerm_kubernetes_cluster \"aks\", got %q", got)
	}
	wantLiteral(t, m.block(t, "resource", "azurerm_federated_identity_credential", "aks").Body, "issuer",
		"https://westeurope.oic.prod-aks.azure.com/22222222-2222-2222-2222-222222222222/33333333-3333-3333-3333-333333333333/")
	for _, l := range []string{"aks_2", "aks_3"} {
		wantRef(t, m.block(t, "resource", "azurerm_federated_identity_credential", l).Body, "issuer", "data.azurerm_kubernetes_cluster.aks.oidc_issuer_url")
	}
	wantLiteral(t, m.block(t, "resource", "azurerm_federated_identity_credential", "aks_3").Body, "subject", schema.Subject("batch", "app"))
	wantDependsOn(t, m.block(t, "resource", "azurerm_federated_identity_credential", "aks_3").Body, "azurerm_federated_identity_credential.aks_2")
	checkConformance(t, s)
}

// backendSpec renders a backend; CONFIG is replaced by its YAML.
const backendSpec = `
apiVersion: wigen/v1alpha1
kind: WorkloadIdentity
metadata:
  name: webui
spec:
  targets: [terraform]
  chart:
    version: 7.2.0
    imageTag: v0.6.33
  terraform:
    backend:
CONFIG
  azureOpenAI:
    accountId: /subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/aoai
    endpoint: https://aoai.openai.azure.com
    deployments: [gpt-4o]
  environments:
    - name: staging
      subscriptionId: 11111111-1111-1111-1111-111111111111
      location: westeurope
      resourceGroup: rg-app
      namespace: app
      serviceAccount: app
      identity:
        name: id-app
      cluster:
        name: aks
        issuer:
          url: https://westeurope.oic.prod-aks.azure.com/22222222-2222-2222-2222-222222222222/33333333-3333-3333-3333-333333333333/
`

var backendCases = []struct {
	name, config string
	want         cty.Value // the backend's attributes
	blocks       map[string]cty.Value
}{
	{
		// s3's assume_role is a single nested attribute (Terraform's s3
		// ConfigSchema): assume_role = { role_arn = ... }, never a block.
		name:   "s3 gets a key per environment; mappings are object attributes",
		config: "      type: s3\n      config:\n        bucket: tfstate\n        region: eu-west-1\n        assume_role:\n          role_arn: arn:aws:iam::123456789012:role/tf",
		want: cty.ObjectVal(map[string]cty.Value{"bucket": cty.StringVal("tfstate"), "region": cty.StringVal("eu-west-1"), "key": cty.StringVal("webui-staging.tfstate"),
			"assume_role": cty.ObjectVal(map[string]cty.Value{"role_arn": cty.StringVal("arn:aws:iam::123456789012:role/tf")})}),
	},
	{
		name:   "azurerm key given is kept",
		config: "      type: azurerm\n      config:\n        key: shared/staging.tfstate\n        use_azuread_auth: true",
		want:   cty.ObjectVal(map[string]cty.Value{"key": cty.StringVal("shared/staging.tfstate"), "use_azuread_auth": cty.True}),
	},
	{
		// A number: s3's max_retries.
		name:   "s3 number argument",
		config: "      type: s3\n      config:\n        bucket: tfstate\n        region: eu-west-1\n        max_retries: 5",
		want:   cty.ObjectVal(map[string]cty.Value{"bucket": cty.StringVal("tfstate"), "region": cty.StringVal("eu-west-1"), "key": cty.StringVal("webui-staging.tfstate"), "max_retries": cty.NumberIntVal(5)}),
	},
	{
		name:   "remote gets no key",
		config: "      type: remote\n      config:\n        organization: example\n        workspaces:\n          name: webui-staging",
		want:   cty.ObjectVal(map[string]cty.Value{"organization": cty.StringVal("example")}),
		blocks: map[string]cty.Value{"workspaces": cty.ObjectVal(map[string]cty.Value{"name": cty.StringVal("webui-staging")})},
	},
	{
		name:   "local without config",
		config: "      type: local",
		want:   cty.EmptyObjectVal,
	},
}

func backendSpecFor(t *testing.T, config string) *schema.Spec {
	return specFromYAML(t, strings.Replace(backendSpec, "CONFIG", config, 1))
}

func TestBackend(t *testing.T) {
	for _, tc := range backendCases {
		t.Run(tc.name, func(t *testing.T) {
			s := backendSpecFor(t, tc.config)
			files := mustRender(t, s)
			checkFiles(t, s, files)
			m := parseModules(t, files)["staging"]
			bs := nested(m.block(t, "terraform").Body, "backend")
			if len(bs) != 1 || bs[0].Labels[0] != s.Spec.Terraform.Backend.Type {
				t.Fatalf("want one backend %q block", s.Spec.Terraform.Backend.Type)
			}
			attrs := map[string]cty.Value{}
			for name := range bs[0].Body.Attributes {
				attrs[name], _ = literal(t, bs[0].Body, name)
			}
			got := cty.EmptyObjectVal
			if len(attrs) > 0 {
				got = cty.ObjectVal(attrs)
			}
			if !got.RawEquals(tc.want) {
				t.Errorf("backend attributes = %#v, want %#v", got, tc.want)
			}
			blocks := map[string]cty.Value{}
			for _, b := range bs[0].Body.Blocks {
				inner := map[string]cty.Value{}
				for name := range b.Body.Attributes {
					inner[name], _ = literal(t, b.Body, name)
				}
				blocks[b.Type] = cty.ObjectVal(inner)
			}
			if len(blocks) != len(tc.blocks) {
				t.Errorf("backend blocks = %#v, want %#v", blocks, tc.blocks)
			}
			for k, v := range tc.blocks {
				if !blocks[k].RawEquals(v) {
					t.Errorf("backend block %s = %#v, want %#v", k, blocks[k], v)
				}
			}
		})
	}
}

// TestRoleAssignmentAddressesFollowTheAccount: a role assignment's address
// names its account, so reordering the accounts, adding one or removing
// one keeps the address of every other assignment (a role assignment
// cannot be updated: under a new address Terraform destroys and creates
// it, and calls get 401 in between).
func TestRoleAssignmentAddressesFollowTheAccount(t *testing.T) {
	data, err := os.ReadFile(goldenInputs(t)["two-accounts"])
	if err != nil {
		t.Fatal(err)
	}
	src := string(data)
	const first = "    - accountId: /subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-ai-example/providers/Microsoft.CognitiveServices/accounts/aoai-example\n      endpoint: https://aoai-example.openai.azure.com\n      apiVersion: \"2024-10-21\"\n      deployments: [gpt-4o, text-embedding-3-large]\n      prefixId: eu\n"
	const third = "    - accountId: /subscriptions/99999999-9999-9999-9999-999999999999/resourceGroups/rg-ai-us/providers/Microsoft.CognitiveServices/accounts/aoai-us\n      endpoint: https://aoai-us.openai.azure.com\n      deployments: [gpt-4o]\n      prefixId: us\n"
	if !strings.Contains(src, first) {
		t.Fatal("golden/two-accounts: the first account is not the one this test moves")
	}
	moved := strings.Replace(src, first, "", 1)
	moved = strings.Replace(moved, "  environments:\n", first+"  environments:\n", 1) // now the second
	added := strings.Replace(src, "  environments:\n", third+"  environments:\n", 1)
	removed := strings.Replace(src, first, "", 1)

	// scopes returns the module's role assignments, label -> scope.
	scopes := func(src string) map[string]string {
		t.Helper()
		m := parseModules(t, mustRender(t, specFromYAML(t, src)))["prod"]
		out := map[string]string{}
		for _, l := range m.resourceLabels("resource", "azurerm_role_assignment") {
			out[l] = literalString(t, m.block(t, "resource", "azurerm_role_assignment", l).Body, "scope")
		}
		return out
	}
	before := scopes(src)
	if len(before) != 2 {
		t.Fatalf("role assignments %v, want one per account", before)
	}
	for name, edited := range map[string]string{"reordered": moved, "one added": added, "one removed": removed} {
		after := scopes(edited)
		for l, scope := range before {
			if got, ok := after[l]; ok && got != scope {
				t.Errorf("%s: %s is on %s, was on %s: Terraform would replace it", name, l, got, scope)
			}
		}
		kept := 0
		for l, scope := range after {
			if b, ok := before[l]; ok && b == scope {
				kept++
			} else if ok {
				t.Errorf("%s: %s moved to %s", name, l, scope)
			}
		}
		if want := map[string]int{"reordered": 2, "one added": 2, "one removed": 1}[name]; kept != want {
			t.Errorf("%s: %d assignments kept their address, want %d (before %v, after %v)", name, kept, want, before, after)
		}
	}
}
