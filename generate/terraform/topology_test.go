package terraform

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wigen-dev/wigen/schema"
)

// topology: dev creates identity id-nonprod and staging reads it, both on
// cluster aks-nonprod; prod's identity is in another subscription than its
// cluster, and its module holds the Azure side only.
const topology = `apiVersion: wigen/v1alpha1
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
    serviceAccount: open-webui
    cluster: {name: aks-nonprod, resourceGroup: rg-aks, issuer: {fromCluster: true}}
  environments:
    - name: dev
      resourceGroup: rg-nonprod
      namespace: open-webui-dev
      identity: {name: id-nonprod}
    - name: staging
      resourceGroup: rg-nonprod
      namespace: open-webui-staging
      roles: []
      identity: {name: id-nonprod, existing: true}
      additionalFederations:
        - {name: aks-dr, issuer: {url: "https://northeurope.oic.prod-aks.azure.com/22222222-2222-2222-2222-222222222222/77777777-7777-7777-7777-777777777777/"}}
    - name: prod
      targets: [terraform, argocd]
      terraform: {release: false}
      subscriptionId: 99999999-9999-9999-9999-999999999999
      resourceGroup: rg-prod
      namespace: open-webui
      identity: {name: id-prod}
      cluster: {name: aks-prod, resourceGroup: rg-aks-prod, subscriptionId: 88888888-8888-8888-8888-888888888888}
`

// TestSharedIdentityCredentialsInOneModule: the module that creates the
// identity creates every credential of it, for every environment using
// it, in one depends_on chain; the other module creates none and its
// release waits for nothing it cannot see.
func TestSharedIdentityCredentialsInOneModule(t *testing.T) {
	s := specFromYAML(t, topology)
	mods := parseModules(t, mustRender(t, s))
	dev, staging := mods["dev"], mods["staging"]

	labels := dev.resourceLabels("resource", "azurerm_federated_identity_credential")
	if want := []string{"aks_nonprod", "staging_aks_nonprod", "staging_aks_dr"}; !cmp.Equal(labels, want) {
		t.Fatalf("dev's credentials %v, want %v", labels, want)
	}
	subjects := map[string]string{}
	for i, l := range labels {
		b := dev.block(t, "resource", "azurerm_federated_identity_credential", l).Body
		subjects[l] = literalString(t, b, "subject")
		wantRef(t, b, "user_assigned_identity_id", "azurerm_user_assigned_identity.this.id")
		deps := referenceList(t, b, "depends_on")
		if i == 0 && deps != nil || i > 0 && !cmp.Equal(deps, []string{"azurerm_federated_identity_credential." + labels[i-1]}) {
			t.Errorf("%s depends_on %v: want the chain in order", l, deps)
		}
	}
	if subjects["staging_aks_nonprod"] != "system:serviceaccount:open-webui-staging:open-webui" || subjects["aks_nonprod"] != "system:serviceaccount:open-webui-dev:open-webui" {
		t.Errorf("subjects %v", subjects)
	}
	// One cluster, read once, for both environments' credentials.
	if got := dev.resourceLabels("data", "azurerm_kubernetes_cluster"); !cmp.Equal(got, []string{"aks_nonprod"}) {
		t.Errorf("cluster data sources %v", got)
	}
	wantRef(t, dev.block(t, "resource", "azurerm_federated_identity_credential", "staging_aks_nonprod").Body, "issuer", "data.azurerm_kubernetes_cluster.aks_nonprod.oidc_issuer_url")
	// dev's release waits for dev's credential and role, not staging's.
	if got := referenceList(t, dev.block(t, "resource", "helm_release", "this").Body, "depends_on"); !cmp.Equal(got, []string{"azurerm_federated_identity_credential.aks_nonprod", "azurerm_role_assignment.cognitive_services_openai_user_aoai"}) {
		t.Errorf("dev helm_release depends_on %v", got)
	}

	if got := staging.blocks("resource", "azurerm_federated_identity_credential"); len(got) != 0 {
		t.Errorf("staging creates %d credentials; dev's module creates them", len(got))
	}
	if got := staging.blocks("data", "azurerm_kubernetes_cluster"); len(got) != 0 {
		t.Errorf("staging reads %d clusters for no credential", len(got))
	}
	staging.block(t, "data", "azurerm_user_assigned_identity", "this")
	rel := staging.block(t, "resource", "helm_release", "this").Body
	if _, ok := rel.Attributes["depends_on"]; ok {
		t.Errorf("staging's release depends on something, with no credential or role in its module")
	}
	// Its outputs still say its subject, literally.
	wantLiteral(t, staging.block(t, "output", "federated_subject").Body, "value", "system:serviceaccount:open-webui-staging:open-webui")
	wantRef(t, dev.block(t, "output", "federated_subject").Body, "value", "azurerm_federated_identity_credential.aks_nonprod.subject")
}

// TestClusterInAnotherSubscription: fromCluster reads a cluster outside
// the identity's subscription through an aliased azurerm provider.
func TestClusterInAnotherSubscription(t *testing.T) {
	s := specFromYAML(t, topology)
	prod := parseModules(t, mustRender(t, s))["prod"]
	var def, aliased int
	for _, p := range prod.blocks("provider", "azurerm") {
		if _, ok := p.Body.Attributes["alias"]; ok {
			aliased++
			wantLiteral(t, p.Body, "alias", "cluster_88888888")
			wantLiteral(t, p.Body, "subscription_id", "88888888-8888-8888-8888-888888888888")
			if len(nested(p.Body, "features")) != 1 {
				t.Error("the aliased azurerm provider has no features {}")
			}
		} else {
			def++
			wantLiteral(t, p.Body, "subscription_id", "99999999-9999-9999-9999-999999999999")
		}
	}
	if def != 1 || aliased != 1 {
		t.Fatalf("azurerm configurations: %d default, %d aliased; want one of each", def, aliased)
	}
	cl := prod.block(t, "data", "azurerm_kubernetes_cluster", "aks_prod").Body
	wantRef(t, cl, "provider", "azurerm.cluster_88888888")
	wantLiteral(t, cl, "name", "aks-prod")
	// The identity stays in the environment's subscription: no provider
	// argument, the default configuration.
	wantAbsent(t, prod.block(t, "resource", "azurerm_user_assigned_identity", "this").Body, "provider")

	// A cluster in the identity's own subscription needs no alias.
	dev := parseModules(t, mustRender(t, s))["dev"]
	if n := len(dev.blocks("provider", "azurerm")); n != 1 {
		t.Errorf("dev has %d azurerm configurations, want 1", n)
	}
	wantAbsent(t, dev.block(t, "data", "azurerm_kubernetes_cluster", "aks_nonprod").Body, "provider")
}

// TestAzureOnlyModule: terraform.release: false leaves the Kubernetes side
// out entirely: no kubernetes or helm provider, no namespace, no release,
// no values file; the Azure side and the outputs stay.
func TestAzureOnlyModule(t *testing.T) {
	s := specFromYAML(t, topology)
	files := mustRender(t, s)
	prod := parseModules(t, files)["prod"]
	if _, ok := prod.files[FileValues]; ok {
		t.Error("values.yaml rendered for a module without the release")
	}
	for _, typ := range []string{"kubernetes", "helm"} {
		if n := len(prod.blocks("provider", typ)); n != 0 {
			t.Errorf("provider %s configured", typ)
		}
	}
	for _, b := range prod.allBlocks() {
		if (b.Type == "resource" || b.Type == "data") && providerOf(b.Labels[0]) != "azurerm" {
			t.Errorf("%s %s in an Azure-only module", b.Type, strings.Join(b.Labels, "."))
		}
	}
	rp := nested(prod.block(t, "terraform").Body, "required_providers")[0].Body
	var names []string
	for n := range rp.Attributes {
		names = append(names, n)
	}
	if !cmp.Equal(names, []string{"azurerm"}) {
		t.Errorf("required_providers %v, want azurerm alone", names)
	}
	prod.block(t, "resource", "azurerm_user_assigned_identity", "this")
	prod.block(t, "resource", "azurerm_federated_identity_credential", "aks_prod")
	prod.block(t, "resource", "azurerm_role_assignment", "cognitive_services_openai_user_aoai")
	for _, o := range []string{"client_id", "federated_subject", "identity_id", "namespace", "principal_id", "service_account"} {
		prod.block(t, "output", o)
	}
	wantLiteral(t, prod.block(t, "output", "namespace").Body, "value", "open-webui")
}

// TestTopologyConformance: the modules of the topology, Azure-only and
// aliased ones included, conform to the provider schemas; the checker
// refuses an alias no configuration declares and a kubernetes provider
// in an Azure-only module.
func TestTopologyConformance(t *testing.T) {
	s := specFromYAML(t, topology)
	checkConformance(t, s)

	mods := parseModules(t, mustRender(t, s))
	tg := target{azurerm: "4.81.0", helm: "3.1.2", kubernetes: "3.2.1"}
	c := newAzureOnlyConformance(t, tg)
	c.checkModule(mods["dev"])
	got := strings.Join(c.problems, "\n")
	for _, w := range []string{"provider kubernetes: unknown provider", "resource helm_release.this: unknown provider", `required_providers: unknown provider "helm"`} {
		if !strings.Contains(got, w) {
			t.Errorf("azurerm alone: problems of dev's module do not mention %q:\n%s", w, got)
		}
	}
	// prod's data source names an alias that is not configured.
	prod := mods["prod"]
	for _, b := range prod.blocks("provider", "azurerm") {
		if _, ok := b.Body.Attributes["alias"]; ok {
			delete(b.Body.Attributes, "alias")
		}
	}
	c = newAzureOnlyConformance(t, tg)
	c.checkModule(prod)
	got = strings.Join(c.problems, "\n")
	for _, w := range []string{"provider azurerm: configured twice", "data azurerm_kubernetes_cluster.aks_prod: provider azurerm.cluster_88888888 is not a configuration"} {
		if !strings.Contains(got, w) {
			t.Errorf("problems do not mention %q:\n%s", w, got)
		}
	}
}

// TestCredentialModuleWithoutCreator: when no environment creates the
// identity (it is made elsewhere), the first environment that renders
// terraform creates every credential.
func TestCredentialModuleWithoutCreator(t *testing.T) {
	doc := strings.Replace(topology, "      identity: {name: id-nonprod}\n", "      identity: {name: id-nonprod, existing: true}\n", 1)
	s := specFromYAML(t, doc)
	if owner := s.CredentialModule(&s.Spec.Environments[1]); owner == nil || owner.Name != "dev" {
		t.Fatalf("credential module of staging: %v, want dev", owner)
	}
	mods := parseModules(t, mustRender(t, s))
	if n := len(mods["dev"].blocks("resource", "azurerm_federated_identity_credential")); n != 3 {
		t.Errorf("dev creates %d credentials, want 3", n)
	}
	// Without the terraform target in dev, staging's module is theirs.
	doc = strings.Replace(doc, "    - name: dev\n", "    - name: dev\n      targets: [helm]\n", 1)
	s = specFromYAML(t, doc)
	if owner := s.CredentialModule(&s.Spec.Environments[0]); owner == nil || owner.Name != "staging" {
		t.Fatalf("credential module of dev: %v, want staging", owner)
	}
	mods = parseModules(t, mustRender(t, s))
	if _, ok := mods["dev"]; ok {
		t.Error("dev renders no terraform, but has a module")
	}
	if got := mods["staging"].resourceLabels("resource", "azurerm_federated_identity_credential"); !cmp.Equal(got, []string{"dev_aks_nonprod", "aks_nonprod", "aks_dr"}) {
		t.Errorf("staging's credentials %v", got)
	}
}

func TestAliasNames(t *testing.T) {
	m := &module{e: &schema.Environment{EnvironmentFields: schema.EnvironmentFields{SubscriptionID: "11111111-1111-1111-1111-111111111111"}}}
	for _, c := range []struct{ name, sub string }{
		{"a", "88888888-8888-8888-8888-888888888888"},
		{"b", "88888888-0000-0000-0000-000000000000"},
		{"c", "77777777-7777-7777-7777-777777777777"},
	} {
		env := &schema.Environment{Name: c.name}
		env.Cluster = &schema.Cluster{Name: "aks-" + c.name, ResourceGroup: "rg", SubscriptionID: c.sub, Issuer: schema.Issuer{FromCluster: true}}
		m.creds = append(m.creds, credential{env: env, fc: schema.FederatedCredential{Issuer: env.Cluster.Issuer}})
	}
	if err := m.clusterSources(); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range m.aliases {
		got = append(got, a.name)
	}
	want := []string{"cluster_88888888_8888_8888_8888_888888888888", "cluster_88888888_0000_0000_0000_000000000000", "cluster_77777777"}
	if !cmp.Equal(got, want) {
		t.Errorf("alias names %v, want %v", got, want)
	}
}
