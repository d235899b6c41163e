package terraform

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/wigen-dev/wigen/schema"
)

// adoptSpec is one environment with two federations and two roles, so
// every kind of adopted object appears; ADOPT is replaced by its adopt
// block and EXTRA by more environment fields.
const adoptSpec = `
apiVersion: wigen/v1alpha1
kind: WorkloadIdentity
metadata:
  name: open-webui
spec:
  chart:
    version: 7.2.0
    imageTag: v0.6.33
  terraform:
    providers:
      azurerm: ">= 4.0, < 4.65"
      kubernetes: "~> 2.38"
      helm: "~> 2.17"
  azureOpenAI:
    accountId: /subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/aoai
    endpoint: https://aoai.openai.azure.com
    deployments: [gpt-4o]
  roles:
    - role: Cognitive Services OpenAI User
    - role: Reader
      scope: /subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-ai
  environments:
    - name: prod
      subscriptionId: 11111111-1111-1111-1111-111111111111
      location: westeurope
      resourceGroup: rg-app
      namespace: open-webui
      serviceAccount: open-webui
      identity:
        name: id-app
EXTRA
      cluster:
        name: aks-prod
        resourceGroup: rg-aks
        federatedCredentialName: federated-identity
        issuer:
          fromCluster: true
      additionalFederations:
        - name: blue
          credentialName: fic-blue
          namespace: jobs
          issuer:
            url: https://issuer.example.com
      adopt:
ADOPT
`

func adoptSpecFor(t *testing.T, adopt, extra string) *schema.Spec {
	t.Helper()
	return specFromYAML(t, strings.NewReplacer("ADOPT", adopt, "EXTRA\n", extra).Replace(adoptSpec))
}

const readerAssignment = "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-ai/providers/Microsoft.Authorization/roleAssignments/88888888-8888-8888-8888-888888888888"
const openAIAssignment = "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/aoai/providers/Microsoft.Authorization/roleAssignments/77777777-7777-7777-7777-777777777777"

// adoptCases are the adoption modules the tests below check, by name.
func adoptCases(t *testing.T) map[string]*schema.Spec {
	return map[string]*schema.Spec{
		"tutorial": adoptSpecFor(t, "        from: tutorial\n        addresses:\n          roleAssignments:\n            Reader: azurerm_role_assignment.viewer\n          federatedCredentials:\n            blue: module.old.azurerm_federated_identity_credential.blue\n", ""),
		"existing identity, namespace not created": adoptSpecFor(t, "        from: tutorial\n",
			"        existing: true\n      createNamespace: false\n"),
		"import": adoptSpecFor(t, "        import: true\n        roleAssignmentIds:\n          Cognitive Services OpenAI User: "+openAIAssignment+"\n          Reader: "+readerAssignment+"\n", ""),
		// Two accounts: the default role is two assignments, keyed by
		// resource name; Reader, on one scope, by role.
		"import, two accounts": specFromYAML(t, strings.Replace(strings.NewReplacer("ADOPT", "        import: true\n        roleAssignmentIds:\n          cognitive_services_openai_user_aoai: "+openAIAssignment+"\n          cognitive_services_openai_user_aoai_se: "+openAIAssignmentSE+"\n          Reader: "+readerAssignment+"\n", "EXTRA\n", "").Replace(adoptSpec),
			oneAccount, twoAccounts, 1)),
	}
}

// oneAccount is adoptSpec's azureOpenAI; twoAccounts lists it and a second
// account in another subscription.
const (
	oneAccount = `  azureOpenAI:
    accountId: /subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/aoai
    endpoint: https://aoai.openai.azure.com
    deployments: [gpt-4o]
`
	twoAccounts = `  azureOpenAI:
    - accountId: /subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/aoai
      endpoint: https://aoai.openai.azure.com
      deployments: [gpt-4o]
      prefixId: eu
    - accountId: /subscriptions/99999999-9999-9999-9999-999999999999/resourceGroups/rg-ai-se/providers/Microsoft.CognitiveServices/accounts/aoai-se
      endpoint: https://aoai-se.openai.azure.com
      deployments: [gpt-4o]
      prefixId: se
`
)

const openAIAssignmentSE = "/subscriptions/99999999-9999-9999-9999-999999999999/resourceGroups/rg-ai-se/providers/Microsoft.CognitiveServices/accounts/aoai-se/providers/Microsoft.Authorization/roleAssignments/99999999-7777-7777-7777-777777777777"

// adoptBlock is one parsed block of adopt.tf, as "kind from -> to (id)".
func adoptBlocks(t *testing.T, m *tfModule) []string {
	t.Helper()
	body := m.bodies[FileAdopt]
	if body == nil {
		t.Fatalf("environment %s has no %s", m.env, FileAdopt)
	}
	var out []string
	for _, b := range body.Blocks {
		s := b.Type
		if a, ok := b.Body.Attributes["from"]; ok {
			s += " " + exprReference(t, a.Expr)
		}
		if a, ok := b.Body.Attributes["to"]; ok {
			s += " -> " + exprReference(t, a.Expr)
		}
		if _, ok := b.Body.Attributes["id"]; ok {
			s += " (" + literalString(t, b.Body, "id") + ")"
		}
		out = append(out, s)
	}
	return out
}

// TestAdoptBlocks: adopt.tf holds the moved, removed and import blocks
// with the right addresses, from the existing state to what main.tf
// declares, and the IDs the providers import by.
func TestAdoptBlocks(t *testing.T) {
	identity := "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-app/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-app"
	want := map[string][]string{
		"tutorial": {
			"removed kubernetes_namespace.this",
			"import -> kubernetes_namespace_v1.this (open-webui)",
			"moved azurerm_user_assigned_identity.uai -> azurerm_user_assigned_identity.this",
			"moved azurerm_federated_identity_credential.federated_identity -> azurerm_federated_identity_credential.aks_prod",
			"moved module.old.azurerm_federated_identity_credential.blue -> azurerm_federated_identity_credential.blue",
			"moved azurerm_role_assignment.workload_identity_azure_openai -> azurerm_role_assignment.cognitive_services_openai_user_aoai",
			"moved azurerm_role_assignment.viewer -> azurerm_role_assignment.reader",
			"moved helm_release.openwebui -> helm_release.this",
		},
		"existing identity, namespace not created": {
			"removed kubernetes_namespace.this",
			"removed azurerm_user_assigned_identity.uai",
			"moved azurerm_federated_identity_credential.federated_identity -> azurerm_federated_identity_credential.aks_prod",
			"moved azurerm_role_assignment.workload_identity_azure_openai -> azurerm_role_assignment.cognitive_services_openai_user_aoai",
			"moved helm_release.openwebui -> helm_release.this",
		},
		"import": {
			"import -> kubernetes_namespace_v1.this (open-webui)",
			"import -> azurerm_user_assigned_identity.this (" + identity + ")",
			"import -> azurerm_federated_identity_credential.aks_prod (" + identity + "/federatedIdentityCredentials/federated-identity)",
			"import -> azurerm_federated_identity_credential.blue (" + identity + "/federatedIdentityCredentials/fic-blue)",
			"import -> azurerm_role_assignment.cognitive_services_openai_user_aoai (" + openAIAssignment + ")",
			"import -> azurerm_role_assignment.reader (" + readerAssignment + ")",
			"import -> helm_release.this (open-webui/open-webui)",
		},
		"import, two accounts": {
			"import -> kubernetes_namespace_v1.this (open-webui)",
			"import -> azurerm_user_assigned_identity.this (" + identity + ")",
			"import -> azurerm_federated_identity_credential.aks_prod (" + identity + "/federatedIdentityCredentials/federated-identity)",
			"import -> azurerm_federated_identity_credential.blue (" + identity + "/federatedIdentityCredentials/fic-blue)",
			"import -> azurerm_role_assignment.cognitive_services_openai_user_aoai (" + openAIAssignment + ")",
			"import -> azurerm_role_assignment.cognitive_services_openai_user_aoai_se (" + openAIAssignmentSE + ")",
			"import -> azurerm_role_assignment.reader (" + readerAssignment + ")",
			"import -> helm_release.this (open-webui/open-webui)",
		},
	}
	for name, s := range adoptCases(t) {
		t.Run(name, func(t *testing.T) {
			files := mustRender(t, s)
			checkFiles(t, s, files)
			m := parseModules(t, files)["prod"]
			if d := cmp.Diff(want[name], adoptBlocks(t, m)); d != "" {
				t.Errorf("adopt.tf blocks (-want +got):\n%s", d)
			}
			wantLiteral(t, m.block(t, "resource", schema.TypeFederatedCredential, "aks_prod").Body, "name", "federated-identity")
			wantLiteral(t, m.block(t, "resource", schema.TypeFederatedCredential, "blue").Body, "name", "fic-blue")
			wantLiteral(t, m.block(t, "terraform").Body, "required_version", s.Spec.Environments[0].RequiredVersion)
			checkConformance(t, s)
		})
	}
}

// TestNoAdoptNoFile: without adopt, no adopt.tf and the spec's
// required_version.
func TestNoAdoptNoFile(t *testing.T) {
	s := goldenSpec(t, "open-webui-aks")
	m := parseModules(t, mustRender(t, s))["prod"]
	if _, ok := m.files[FileAdopt]; ok {
		t.Errorf("%s rendered without adopt", FileAdopt)
	}
	wantLiteral(t, m.block(t, "terraform").Body, "required_version", s.Spec.Terraform.RequiredVersion)
}

// TestAdoptConformanceFindsErrors feeds the adopt-block checker blocks
// that are wrong, so it is known to fail when it should.
func TestAdoptConformanceFindsErrors(t *testing.T) {
	src := `
resource "azurerm_user_assigned_identity" "this" {}
moved {
  from = azurerm_user_assigned_identity.this
  to   = azurerm_federated_identity_credential.x
}
moved {
  from = kubernetes_namespace.this
  to   = kubernetes_namespace_v1.this
}
removed {
  from = azurerm_user_assigned_identity.this
  lifecycle {
    destroy = true
  }
}
removed {
  from = data.x.y
}
import {
  to = helm_release.this
  id = ""
}
`
	f, diags := hclsyntax.ParseConfig([]byte(src), "adopt.tf", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	m := &tfModule{env: "test", bodies: map[string]*hclsyntax.Body{"main.tf": f.Body.(*hclsyntax.Body)}}
	c := &conformance{t: t, providers: map[string]*tfProvider{}}
	declared := map[string]bool{"azurerm_user_assigned_identity.this": true}
	for _, b := range m.allBlocks() {
		if b.Type != "resource" {
			c.checkAdoptBlock(b, declared)
		}
	}
	got := strings.Join(c.problems, "\n")
	for _, w := range []string{
		"moved: from azurerm_user_assigned_identity.this and to azurerm_federated_identity_credential.x are of different types",
		"moved: from azurerm_user_assigned_identity.this is still declared",
		"moved: to azurerm_federated_identity_credential.x is not declared",
		"moved: from kubernetes_namespace.this and to kubernetes_namespace_v1.this are of different types",
		"removed: from azurerm_user_assigned_identity.this is still declared",
		"removed: lifecycle must hold exactly destroy = false",
		"removed.from: data.x.y is not a resource address",
		"removed: lifecycle { destroy = false } is missing",
		"import: to helm_release.this is not declared",
		"import: id is not a non-empty string",
	} {
		if !strings.Contains(got, w) {
			t.Errorf("problems do not mention %q; got:\n%s", w, got)
		}
	}
}

// TestAdoptAcrossModules (golden/shared-identity-adopted, and with
// staging's adopt made import: true): the identity's module (dev's)
// imports the credential staging's adopt names, which staging's module
// forgets; the Azure-only module (prod's) forgets the tutorial's namespace
// and release. Every
// block's addresses are checked against the module that holds it
// (checkConformance: removed from an address no longer declared, import
// and moved to a declared one), and with azurerm alone for prod.
func TestAdoptAcrossModules(t *testing.T) {
	credID := "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-openwebui-nonprod/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-open-webui-nonprod/federatedIdentityCredentials/aks-nonprod-open-webui-staging-open-webui"
	golden, err := os.ReadFile(goldenInputs(t)["shared-identity-adopted"])
	if err != nil {
		t.Fatal(err)
	}
	const stagingAdopt = "      adopt:\n        addresses:\n          federatedCredentials:\n            aks-nonprod: azurerm_federated_identity_credential.aks_nonprod\n"
	if !strings.Contains(string(golden), stagingAdopt) {
		t.Fatal("golden/shared-identity-adopted: staging's adopt is not the one this test replaces")
	}
	prod := []string{
		"removed kubernetes_namespace.this",
		"moved azurerm_user_assigned_identity.uai -> azurerm_user_assigned_identity.this",
		"moved azurerm_federated_identity_credential.federated_identity -> azurerm_federated_identity_credential.aks_prod",
		"moved azurerm_role_assignment.workload_identity_azure_openai -> azurerm_role_assignment.cognitive_services_openai_user_aoai_example",
		"removed helm_release.openwebui",
	}
	for _, tc := range []struct {
		name, adopt string
		want        map[string][]string
	}{
		{"from the state staging's module had", stagingAdopt, map[string][]string{
			"dev":     {"import -> azurerm_federated_identity_credential.staging_aks_nonprod (" + credID + ")"},
			"staging": {"removed azurerm_federated_identity_credential.aks_nonprod"},
			"prod":    prod,
		}},
		{"import", "      adopt:\n        import: true\n", map[string][]string{
			"dev":     {"import -> azurerm_federated_identity_credential.staging_aks_nonprod (" + credID + ")"},
			"staging": {"import -> kubernetes_namespace_v1.this (open-webui-staging)", "import -> helm_release.this (open-webui-staging/open-webui)"},
			"prod":    prod,
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := specFromYAML(t, strings.Replace(string(golden), stagingAdopt, tc.adopt, 1))
			files := mustRender(t, s)
			checkFiles(t, s, files)
			mods := parseModules(t, files)
			for env, want := range tc.want {
				if d := cmp.Diff(want, adoptBlocks(t, mods[env])); d != "" {
					t.Errorf("%s's adopt.tf (-want +got):\n%s", env, d)
				}
			}
			for _, l := range mods["prod"].resourceLabels("resource", schema.TypeRelease) {
				t.Errorf("prod (terraform.release: false) renders helm_release.%s", l)
			}
			checkConformance(t, s)
		})
	}
}

// requiredProviders returns the names and version constraints of the
// module's required_providers, in file order.
func requiredProviders(t *testing.T, m *tfModule) []string {
	t.Helper()
	rp := nested(m.block(t, "terraform").Body, "required_providers")[0].Body
	attrs := make([]*hclsyntax.Attribute, 0, len(rp.Attributes))
	for _, a := range rp.Attributes {
		attrs = append(attrs, a)
	}
	slices.SortFunc(attrs, func(a, b *hclsyntax.Attribute) int { return a.SrcRange.Start.Byte - b.SrcRange.Start.Byte })
	var out []string
	for _, a := range attrs {
		out = append(out, a.Name+" "+exprLiteral(t, objectItems(t, a.Expr)["version"]).AsString())
	}
	return out
}

// TestAzureOnlyAdoptPins: an Azure-only module (terraform.release: false)
// whose adopt.tf forgets a namespace or a helm_release of the existing
// state pins the provider of each (terraform init installs what the state
// names: unpinned, the newest) to spec.terraform.providers, and
// configures neither (Terraform 1.9.3 forgets an object without reading
// it, so the module holds no cluster credentials); with no such block it
// stays azurerm alone. The conformance checker, which checks the golden
// cases (TestSchemaConformance), refuses the module without the pins.
func TestAzureOnlyAdoptPins(t *testing.T) {
	golden, err := os.ReadFile(goldenInputs(t)["shared-identity-adopted"])
	if err != nil {
		t.Fatal(err)
	}
	const prodAdopt = "      adopt:\n        from: tutorial\n"
	if !strings.HasSuffix(string(golden), prodAdopt) {
		t.Fatal("golden/shared-identity-adopted: prod's adopt is not the one this test replaces")
	}
	for _, tc := range []struct {
		name, adopt string
		want        []string
	}{
		{"tutorial", prodAdopt, []string{"azurerm ~> 4.65", "kubernetes ~> 3.0", "helm >= 3.1.1, < 4.0.0"}},
		{"the release alone", "      adopt:\n        addresses:\n          release: helm_release.openwebui\n", []string{"azurerm ~> 4.65", "helm >= 3.1.1, < 4.0.0"}},
		{"the namespace alone", "      adopt:\n        addresses:\n          namespace: kubernetes_namespace_v1.this\n", []string{"azurerm ~> 4.65", "kubernetes ~> 3.0"}},
		{"the identity alone", "      adopt:\n        addresses:\n          identity: azurerm_user_assigned_identity.uai\n", []string{"azurerm ~> 4.65"}},
		{"no adopt", "", []string{"azurerm ~> 4.65"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := specFromYAML(t, strings.TrimSuffix(string(golden), prodAdopt)+tc.adopt)
			prod := parseModules(t, mustRender(t, s))["prod"]
			if d := cmp.Diff(tc.want, requiredProviders(t, prod)); d != "" {
				t.Errorf("prod's required_providers (-want +got):\n%s", d)
			}
			for _, p := range []string{"kubernetes", "helm"} {
				if n := len(prod.blocks("provider", p)); n != 0 {
					t.Errorf("prod configures the %s provider", p)
				}
			}
			checkConformance(t, s)
		})
	}

	// The checker: prod's module without its pins, and dev's pins in an
	// Azure-only module without a removed block.
	s := goldenSpec(t, "shared-identity-adopted")
	tg := targets(t, s)[0]
	mods := parseModules(t, mustRender(t, s))
	prod := mods["prod"]
	delete(nested(prod.block(t, "terraform").Body, "required_providers")[0].Body.Attributes, "helm")
	c := newAzureOnlyConformance(t, tg, "kubernetes", "helm")
	c.checkModule(prod)
	want := "removed helm_release.openwebui needs the helm provider, which required_providers does not name: terraform init would install it unpinned"
	if got := strings.Join(c.problems, "\n"); !strings.Contains(got, want) {
		t.Errorf("problems do not mention %q:\n%s", want, got)
	}
	dev := mods["dev"]
	for _, b := range dev.allBlocks() {
		if b.Type == "resource" && providerOf(b.Labels[0]) != "azurerm" || b.Type == "provider" && b.Labels[0] != "azurerm" {
			b.Type = "ignored" // dev without its Kubernetes side, its pins left
		}
	}
	c = newAzureOnlyConformance(t, tg, "kubernetes", "helm")
	c.checkModule(dev)
	got := strings.Join(c.problems, "\n")
	for _, w := range []string{"required_providers.helm: pinned, but nothing in the module needs the helm provider", "required_providers.kubernetes: pinned, but nothing"} {
		if !strings.Contains(got, w) {
			t.Errorf("problems do not mention %q:\n%s", w, got)
		}
	}
}
