package terraform

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// Each golden case, and the constructs that distinguish it.

func wantLiteral(t *testing.T, body *hclsyntax.Body, name, want string) {
	t.Helper()
	if got := literalString(t, body, name); got != want {
		t.Errorf("%s = %q, want %q", name, got, want)
	}
}

func wantRef(t *testing.T, body *hclsyntax.Body, name, want string) {
	t.Helper()
	if got := reference(t, body, name); got != want {
		t.Errorf("%s = %s, want %s", name, got, want)
	}
}

func wantAbsent(t *testing.T, body *hclsyntax.Body, names ...string) {
	t.Helper()
	for _, n := range names {
		if _, ok := body.Attributes[n]; ok {
			t.Errorf("%s: unexpected attribute %s", body.SrcRange, n)
		}
		if len(nested(body, n)) > 0 {
			t.Errorf("%s: unexpected block %s", body.SrcRange, n)
		}
	}
}

// wantHelmSyntax checks the helm provider and helm_release syntax: 2.x
// blocks or 3.x attributes.
func wantHelmSyntax(t *testing.T, m *tfModule, v3 bool) {
	t.Helper()
	hp := m.block(t, "provider", "helm").Body
	rel := m.block(t, "resource", "helm_release", "this").Body
	_, kAttr := hp.Attributes["kubernetes"]
	_, setAttr := rel.Attributes["set"]
	kBlocks, setBlocks := len(nested(hp, "kubernetes")), len(nested(rel, "set"))
	if v3 && (!kAttr || !setAttr || kBlocks+setBlocks > 0) {
		t.Errorf("helm provider 3.x: want kubernetes = {...} and set = [...], no blocks")
	}
	if !v3 && (kAttr || setAttr || kBlocks != 1 || setBlocks != 2) {
		t.Errorf("helm provider 2.x: want one kubernetes {} block and two set {} blocks (client ID, checksum), no attributes")
	}
	if v3 {
		// One object per line: "set = [", the object, "]".
		src := string(m.files[FileMain])
		want := "  set = [\n    { name = \"serviceAccount.annotations.azure\\\\.workload\\\\.identity/client-id\", value = "
		if !strings.Contains(src, want) {
			t.Errorf("main.tf: set list is not one object per line; want a line starting %q", want)
		}
	}
	wantLiteral(t, rel, "chart", "open-webui")
	if v, _ := literal(t, rel, "atomic"); !v.RawEquals(cty.True) {
		t.Errorf("helm_release atomic = %#v, want true", v)
	}
	if !strings.Contains(string(m.files[FileMain]), "  values     = [file(\"${path.module}/values.yaml\")]\n") {
		t.Errorf("main.tf: helm_release does not read values.yaml beside the module")
	}
}

// wantIdentityRef checks how the credentials name the identity.
func wantIdentityRef(t *testing.T, m *tfModule, identity string, userAssignedIdentityID bool) {
	t.Helper()
	for _, c := range m.blocks("resource", "azurerm_federated_identity_credential") {
		if userAssignedIdentityID {
			wantRef(t, c.Body, "user_assigned_identity_id", identity+".id")
			wantAbsent(t, c.Body, "parent_id", "resource_group_name")
		} else {
			wantRef(t, c.Body, "parent_id", identity+".id")
			wantRef(t, c.Body, "resource_group_name", identity+".resource_group_name")
			wantAbsent(t, c.Body, "user_assigned_identity_id")
		}
	}
}

func wantDependsOn(t *testing.T, body *hclsyntax.Body, want ...string) {
	t.Helper()
	if diff := cmp.Diff(want, referenceList(t, body, "depends_on")); diff != "" {
		t.Errorf("depends_on (-want +got):\n%s", diff)
	}
}

func wantProviderVersions(t *testing.T, m *tfModule, want map[string]string) {
	t.Helper()
	rp := nested(m.block(t, "terraform").Body, "required_providers")[0].Body
	for name, v := range want {
		a, ok := rp.Attributes[name]
		if !ok {
			t.Errorf("required_providers has no %s", name)
			continue
		}
		if got := exprLiteral(t, objectItems(t, a.Expr)["version"]).AsString(); got != v {
			t.Errorf("required_providers.%s.version = %q, want %q", name, got, v)
		}
	}
}

// TestVariantTutorial: remote-state issuer, helm provider 2.x blocks,
// azurerm below 4.65 (parent_id and resource_group_name), no backend.
func TestVariantTutorial(t *testing.T) {
	s := goldenSpec(t, "open-webui-aks")
	m := parseModules(t, mustRender(t, s))["prod"]
	wantProviderVersions(t, m, map[string]string{"azurerm": ">= 4.0, < 4.65", "kubernetes": "~> 2.38", "helm": "~> 2.17"})
	if b := nested(m.block(t, "terraform").Body, "backend"); len(b) != 0 {
		t.Errorf("unexpected backend block")
	}
	rs := m.block(t, "data", "terraform_remote_state", "aks_example").Body
	wantLiteral(t, rs, "backend", "azurerm")
	cfg, _ := literal(t, rs, "config")
	wantCfg := cty.ObjectVal(map[string]cty.Value{
		"resource_group_name":  cty.StringVal("rg-tfstate-example"),
		"storage_account_name": cty.StringVal("sttfstateexample"),
		"container_name":       cty.StringVal("tfstate"),
		"key":                  cty.StringVal("aks.tfstate"),
	})
	if !cfg.RawEquals(wantCfg) {
		t.Errorf("remote state config = %#v", cfg)
	}
	fc := m.block(t, "resource", "azurerm_federated_identity_credential", "aks_example").Body
	wantRef(t, fc, "issuer", "data.terraform_remote_state.aks_example.outputs.oidc_issuer_url")
	wantLiteral(t, fc, "name", "aks-example-open-webui-open-webui")
	wantLiteral(t, fc, "subject", "system:serviceaccount:open-webui:open-webui")
	wantAbsent(t, fc, "depends_on")
	wantIdentityRef(t, m, "azurerm_user_assigned_identity.this", false)
	wantHelmSyntax(t, m, false)
	if len(m.blocks("resource", "kubernetes_namespace")) != 0 {
		t.Errorf("uses the deprecated kubernetes_namespace")
	}
	ns := m.block(t, "resource", "kubernetes_namespace_v1", "this").Body
	wantLiteral(t, nested(ns, "metadata")[0].Body, "name", "open-webui")
	rel := m.block(t, "resource", "helm_release", "this").Body
	wantRef(t, rel, "namespace", "kubernetes_namespace_v1.this.metadata[0].name")
	wantLiteral(t, rel, "version", "7.2.0")
	wantLiteral(t, rel, "repository", "https://helm.openwebui.com/")
	wantDependsOn(t, rel, "azurerm_federated_identity_credential.aks_example", "azurerm_role_assignment.cognitive_services_openai_user_aoai_example")
	hk := nested(m.block(t, "provider", "helm").Body, "kubernetes")[0].Body
	wantLiteral(t, hk, "config_path", "~/.kube/config")
	wantLiteral(t, hk, "config_context", "aks-example")
	id := m.block(t, "resource", "azurerm_user_assigned_identity", "this").Body
	wantLiteral(t, id, "name", "id-open-webui-example")
	wantLiteral(t, id, "resource_group_name", "rg-openwebui-example")
	wantLiteral(t, id, "location", "westeurope")
}

// TestVariantCurrentProviders: helm provider 3.x attributes,
// user_assigned_identity_id, issuer from the cluster, two roles (by name
// and by role definition ID), an azurerm backend with a per-environment key.
func TestVariantCurrentProviders(t *testing.T) {
	s := goldenSpec(t, "current-providers")
	m := parseModules(t, mustRender(t, s))["prod"]
	wantProviderVersions(t, m, map[string]string{"azurerm": "~> 4.65", "kubernetes": "~> 3.0", "helm": ">= 3.1.1, < 4.0.0"})
	wantLiteral(t, m.block(t, "terraform").Body, "required_version", ">= 1.9.0")
	wantHelmSyntax(t, m, true)
	wantIdentityRef(t, m, "azurerm_user_assigned_identity.this", true)

	cl := m.block(t, "data", "azurerm_kubernetes_cluster", "aks_prod").Body
	wantLiteral(t, cl, "name", "aks-prod")
	wantLiteral(t, cl, "resource_group_name", "rg-aks-example")
	fc := m.block(t, "resource", "azurerm_federated_identity_credential", "aks_prod").Body
	wantRef(t, fc, "issuer", "data.azurerm_kubernetes_cluster.aks_prod.oidc_issuer_url")

	if diff := cmp.Diff([]string{"cognitive_services_openai_user_aoai_example", "role_2a2b9908"}, m.resourceLabels("resource", "azurerm_role_assignment")); diff != "" {
		t.Errorf("role assignments, in input order (-want +got):\n%s", diff)
	}
	byName := m.block(t, "resource", "azurerm_role_assignment", "cognitive_services_openai_user_aoai_example").Body
	wantLiteral(t, byName, "role_definition_name", "Cognitive Services OpenAI User")
	wantLiteral(t, byName, "scope", "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-ai-example/providers/Microsoft.CognitiveServices/accounts/aoai-example")
	wantAbsent(t, byName, "role_definition_id")
	byID := m.block(t, "resource", "azurerm_role_assignment", "role_2a2b9908").Body
	wantLiteral(t, byID, "role_definition_id", "/subscriptions/11111111-1111-1111-1111-111111111111/providers/Microsoft.Authorization/roleDefinitions/2a2b9908-6ea1-4ae2-8e65-a410df84e7d1")
	wantLiteral(t, byID, "scope", "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-ai-example/providers/Microsoft.Storage/storageAccounts/stdocsexample")
	wantAbsent(t, byID, "role_definition_name")
	for _, r := range []*hclsyntax.Body{byName, byID} {
		wantRef(t, r, "principal_id", "azurerm_user_assigned_identity.this.principal_id")
		wantLiteral(t, r, "principal_type", "ServicePrincipal")
	}
	wantDependsOn(t, m.block(t, "resource", "helm_release", "this").Body,
		"azurerm_federated_identity_credential.aks_prod",
		"azurerm_role_assignment.cognitive_services_openai_user_aoai_example",
		"azurerm_role_assignment.role_2a2b9908")

	backend := nested(m.block(t, "terraform").Body, "backend")
	if len(backend) != 1 || backend[0].Labels[0] != "azurerm" {
		t.Fatalf("want one backend \"azurerm\" block")
	}
	bb := backend[0].Body
	wantLiteral(t, bb, "key", "open-webui-prod.tfstate")
	wantLiteral(t, bb, "container_name", "tfstate")
	if v, _ := literal(t, bb, "use_azuread_auth"); !v.RawEquals(cty.True) {
		t.Errorf("backend use_azuread_auth = %#v, want true (a bool, as given)", v)
	}
	// The chart values the user gave reach values.yaml.
	if p, _ := m.values["persistence"].(map[string]any); p["size"] != "10Gi" {
		t.Errorf("values.yaml persistence = %#v", m.values["persistence"])
	}
}

// TestVariantAzurerm5Federations: azurerm 5.x and three federated
// credentials on one identity, each depending on the one before.
func TestVariantAzurerm5Federations(t *testing.T) {
	s := goldenSpec(t, "azurerm-5-federations")
	m := parseModules(t, mustRender(t, s))["prod"]
	wantProviderVersions(t, m, map[string]string{"azurerm": "~> 5.0", "helm": "~> 3.1, >= 3.1.1"})
	wantHelmSyntax(t, m, true)
	wantIdentityRef(t, m, "azurerm_user_assigned_identity.this", true)
	labels := m.resourceLabels("resource", "azurerm_federated_identity_credential")
	if diff := cmp.Diff([]string{"aks_green", "aks_blue", "aks_legacy"}, labels); diff != "" {
		t.Fatalf("credentials, cluster first then federations in input order (-want +got):\n%s", diff)
	}
	want := []struct{ name, issuer, subject string }{
		{"aks-green-chat-chat-webui", "https://swedencentral.oic.prod-aks.azure.com/22222222-2222-2222-2222-222222222222/55555555-5555-5555-5555-555555555555/", "system:serviceaccount:chat:chat.webui"},
		{"aks-blue-chat-chat-webui", "https://swedencentral.oic.prod-aks.azure.com/22222222-2222-2222-2222-222222222222/66666666-6666-6666-6666-666666666666/", "system:serviceaccount:chat:chat.webui"},
		{"aks-legacy-chat-legacy-chat-webui", "https://oidc.prod-aks.azure.com/77777777-7777-7777-7777-777777777777/", "system:serviceaccount:chat-legacy:chat.webui"},
	}
	var all []string
	for i, l := range labels {
		fc := m.block(t, "resource", "azurerm_federated_identity_credential", l).Body
		wantLiteral(t, fc, "name", want[i].name)
		wantLiteral(t, fc, "issuer", want[i].issuer)
		wantLiteral(t, fc, "subject", want[i].subject)
		if i == 0 {
			wantAbsent(t, fc, "depends_on")
		} else {
			wantDependsOn(t, fc, "azurerm_federated_identity_credential."+labels[i-1])
		}
		all = append(all, "azurerm_federated_identity_credential."+l)
	}
	wantDependsOn(t, m.block(t, "resource", "helm_release", "this").Body,
		append(all, "azurerm_role_assignment.cognitive_services_openai_user_aoai_example")...)
	if len(m.blocks("data")) != 0 {
		t.Errorf("literal issuers need no data source")
	}
	k8s := m.block(t, "provider", "kubernetes").Body
	wantLiteral(t, k8s, "config_path", "/etc/kubeconfig/aks-green.yaml")
	wantLiteral(t, k8s, "config_context", "aks-green")
	wantLiteral(t, m.block(t, "resource", "helm_release", "this").Body, "name", "chat")
	if sa := m.values["serviceAccount"].(map[string]any); sa["name"] != "chat.webui" {
		t.Errorf("values.yaml serviceAccount.name = %v", sa["name"])
	}
	wantRef(t, m.block(t, "output", "federated_subject").Body, "value", "azurerm_federated_identity_credential.aks_green.subject")
}

// TestVariantMultiEnvironment: two modules; dev with createNamespace false
// and a literal issuer, prod with an existing identity (a data source)
// and the issuer from the cluster, in another subscription.
func TestVariantMultiEnvironment(t *testing.T) {
	s := goldenSpec(t, "multi-environment")
	mods := parseModules(t, mustRender(t, s))
	if len(mods) != 2 {
		t.Fatalf("want modules dev and prod, got %d", len(mods))
	}

	dev := mods["dev"]
	if len(dev.blocks("resource", "kubernetes_namespace_v1")) != 0 {
		t.Errorf("dev: createNamespace false, but the namespace is rendered")
	}
	wantLiteral(t, dev.block(t, "resource", "helm_release", "this").Body, "namespace", "open-webui")
	wantLiteral(t, dev.block(t, "output", "namespace").Body, "value", "open-webui")
	fc := dev.block(t, "resource", "azurerm_federated_identity_credential", "aks_dev").Body
	wantLiteral(t, fc, "issuer", "https://westeurope.oic.prod-aks.azure.com/22222222-2222-2222-2222-222222222222/88888888-8888-8888-8888-888888888888/")
	if len(dev.blocks("data")) != 0 {
		t.Errorf("dev: literal issuer and created identity need no data source")
	}
	dev.block(t, "resource", "azurerm_user_assigned_identity", "this")
	wantIdentityRef(t, dev, "azurerm_user_assigned_identity.this", true)
	wantLiteral(t, dev.block(t, "provider", "azurerm").Body, "subscription_id", "11111111-1111-1111-1111-111111111111")

	prod := mods["prod"]
	if len(prod.blocks("resource", "azurerm_user_assigned_identity")) != 0 {
		t.Errorf("prod: identity.existing, but the identity is created")
	}
	id := prod.block(t, "data", "azurerm_user_assigned_identity", "this").Body
	wantLiteral(t, id, "name", "id-open-webui-prod")
	wantLiteral(t, id, "resource_group_name", "rg-openwebui-prod")
	wantAbsent(t, id, "location")
	wantIdentityRef(t, prod, "data.azurerm_user_assigned_identity.this", true)
	for _, o := range []struct{ name, attr string }{{"client_id", "client_id"}, {"principal_id", "principal_id"}, {"identity_id", "id"}} {
		wantRef(t, prod.block(t, "output", o.name).Body, "value", "data.azurerm_user_assigned_identity.this."+o.attr)
	}
	cl := prod.block(t, "data", "azurerm_kubernetes_cluster", "aks_prod").Body
	wantLiteral(t, cl, "resource_group_name", "rg-aks-prod")
	wantRef(t, prod.block(t, "resource", "azurerm_federated_identity_credential", "aks_prod").Body, "issuer", "data.azurerm_kubernetes_cluster.aks_prod.oidc_issuer_url")
	wantRef(t, prod.block(t, "resource", "helm_release", "this").Body, "namespace", "kubernetes_namespace_v1.this.metadata[0].name")
	wantLiteral(t, prod.block(t, "provider", "azurerm").Body, "subscription_id", "99999999-9999-9999-9999-999999999999")
	wantLiteral(t, prod.block(t, "resource", "azurerm_role_assignment", "cognitive_services_openai_user_aoai_prod").Body, "scope",
		"/subscriptions/99999999-9999-9999-9999-999999999999/resourceGroups/rg-ai-prod/providers/Microsoft.CognitiveServices/accounts/aoai-prod")
}

// TestOutputs: every module has the six outputs, each with a description.
func TestOutputs(t *testing.T) {
	for name := range goldenInputs(t) {
		s := goldenSpec(t, name)
		for env, m := range parseModules(t, mustRender(t, s)) {
			var got []string
			for _, b := range m.bodies[FileOutputs].Blocks {
				got = append(got, b.Labels[0])
				if d := literalString(t, b.Body, "description"); d == "" {
					t.Errorf("%s/%s: output %s has no description", name, env, b.Labels[0])
				}
				if _, ok := b.Body.Attributes["value"]; !ok {
					t.Errorf("%s/%s: output %s has no value", name, env, b.Labels[0])
				}
			}
			if diff := cmp.Diff([]string{"client_id", "federated_subject", "identity_id", "namespace", "principal_id", "service_account"}, got); diff != "" {
				t.Errorf("%s/%s: outputs (-want +got):\n%s", name, env, diff)
			}
			if d := literalString(t, m.block(t, "output", "client_id").Body, "description"); !strings.Contains(d, "identity.clientId") {
				t.Errorf("%s/%s: client_id description does not say where to put it: %q", name, env, d)
			}
		}
	}
}
