package schema

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// azureOnly makes validDoc's module the Azure side only, the app installed
// with the Helm values.
var azureOnly = []string{"spec:\n", "spec:\n  targets: [terraform, helm]\n  terraform:\n    release: false\n"}

// TestAdoptAzureOnly: a module without the release (terraform.release:
// false) renders no namespace and no helm_release, so the tutorial's
// ones are forgotten (removed, destroy = false: the release stays
// installed for the Helm values to take over), and import names neither.
func TestAdoptAzureOnly(t *testing.T) {
	s := mustLoad(t, adoptDoc(t, "      adopt:\n        from: tutorial\n", azureOnly...))
	e := &s.Spec.Environments[0]
	want := inEnv("prod", []AdoptBlock{
		{Kind: Removed, From: "kubernetes_namespace.this", Object: "namespace open-webui (terraform.release: false: the module renders no namespace; kept, no longer in this state)"},
		{Kind: Moved, From: "azurerm_user_assigned_identity.uai", To: "azurerm_user_assigned_identity.this", Object: "identity id-app"},
		{Kind: Moved, From: "azurerm_federated_identity_credential.federated_identity", To: "azurerm_federated_identity_credential.aks_prod", Object: "federated identity credential federated-identity"},
		{Kind: Moved, From: "azurerm_role_assignment.workload_identity_azure_openai", To: "azurerm_role_assignment.cognitive_services_openai_user_aoai", Object: "role assignment Cognitive Services OpenAI User"},
		{Kind: Removed, From: "helm_release.openwebui", Object: "release open-webui (terraform.release: false: stays installed, no longer in this state; installed with the Helm values from now on)"},
	})
	if d := cmp.Diff(want, e.Adoption); d != "" {
		t.Errorf("adoption (-want +got):\n%s", d)
	}
	// The module configures neither the kubernetes nor the helm provider:
	// it pins both for the removed blocks, which Terraform applies without
	// reading the objects from 1.9.3 on.
	if e.RequiredVersion != ">= 1.9.3" {
		t.Errorf("RequiredVersion = %q, want >= 1.9.3 for removed blocks without their providers' configuration", e.RequiredVersion)
	}
	if got := e.ForgottenProviders(); !cmp.Equal(got, []string{"kubernetes", "helm"}) {
		t.Errorf("ForgottenProviders() = %v, want [kubernetes helm]", got)
	}
	if len(s.Warnings) != 1 || !strings.Contains(s.Warnings[0].String(), "adopts the installed release") {
		t.Errorf("warnings: %v, want the adopted release's only (TestAdoptedReleaseValues)", s.Warnings)
	}

	// A release named otherwise than the tutorial's: the Helm values
	// install a second one beside it.
	renamed := adoptDoc(t, "      adopt:\n        from: tutorial\n", append([]string{"name: open-webui\n", "name: chat\n"}, azureOnly...)...)
	want2 := []string{`wigen.yaml:4:9: warning: metadata.name: environment "prod" adopts the tutorial's helm_release, whose release is named "open-webui", but the release here is "chat": the tutorial's release stays installed, and installing with the Helm values adds a second one beside it, with a new, empty PVC; set metadata.name: open-webui unless your release was renamed`}
	if d := cmp.Diff(want2, adoptDiagnostics(t, renamed)); d != "" {
		t.Errorf("warnings (-want +got):\n%s", d)
	}

	// An address given for the release or the namespace is forgotten too.
	addrs := adoptDoc(t, "      adopt:\n        addresses:\n          namespace: kubernetes_namespace_v1.this\n          release: helm_release.this\n", azureOnly...)
	s = mustLoad(t, addrs)
	var kinds []string
	for _, b := range s.Spec.Environments[0].Adoption {
		kinds = append(kinds, b.Kind.String()+" "+b.From)
	}
	if d := cmp.Diff([]string{"removed kubernetes_namespace_v1.this", "removed helm_release.this"}, kinds); d != "" {
		t.Errorf("blocks (-want +got):\n%s", d)
	}
}

// TestAdoptForgottenProviders: a module without the release pins the
// provider of each kind of object its removed blocks forget, and only
// then: the release alone is helm, the namespace alone kubernetes; an
// identity forgotten (identity.existing) is azurerm's, which the module
// configures anyway, so it needs Terraform 1.7 and no more. A module with
// the release configures both providers. A written requiredVersion that
// admits a Terraform before 1.9.3 is refused, with the reason.
func TestAdoptForgottenProviders(t *testing.T) {
	for _, tc := range []struct {
		name, adopt string
		extra       []string
		providers   []string
		required    string
	}{
		{"release", "      adopt:\n        addresses:\n          release: helm_release.openwebui\n", azureOnly, []string{"helm"}, ">= 1.9.3"},
		{"namespace", "      adopt:\n        addresses:\n          namespace: kubernetes_namespace.this\n", azureOnly, []string{"kubernetes"}, ">= 1.9.3"},
		{"identity only", "      adopt:\n        addresses:\n          identity: azurerm_user_assigned_identity.uai\n",
			append([]string{"        name: id-app\n", "        name: id-app\n        existing: true\n"}, azureOnly...), nil, ">= 1.7.0"},
		{"import", "      adopt:\n        import: true\n        roleAssignmentIds:\n          Cognitive Services OpenAI User: " + accountScope + "/providers/Microsoft.Authorization/roleAssignments/77777777-7777-7777-7777-777777777777\n", azureOnly, nil, ">= 1.5.0"},
		{"with the release", "      adopt:\n        from: tutorial\n", nil, nil, ">= 1.7.0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := &mustLoad(t, adoptDoc(t, tc.adopt, tc.extra...)).Spec.Environments[0]
			if got := e.ForgottenProviders(); !cmp.Equal(got, tc.providers) {
				t.Errorf("ForgottenProviders() = %v, want %v", got, tc.providers)
			}
			if e.RequiredVersion != tc.required {
				t.Errorf("RequiredVersion = %q, want %q", e.RequiredVersion, tc.required)
			}
		})
	}
	doc := adoptDoc(t, "      adopt:\n        addresses:\n          release: helm_release.openwebui\n",
		"spec:\n", "spec:\n  targets: [terraform, helm]\n  terraform:\n    release: false\n    requiredVersion: \">= 1.7.0\"\n")
	want := `spec.terraform.requiredVersion: ">= 1.7.0" admits Terraform versions before 1.9.3, which read an object through its provider before a removed block forgets it; environment "prod"'s module holds the Azure side only (terraform.release: false), with no helm provider configuration and no cluster credentials, and its adopt writes a removed block for "helm_release.openwebui"; use ">= 1.9.3"`
	if got := strings.Join(adoptDiagnostics(t, doc), "\n"); !strings.Contains(got, want) {
		t.Errorf("diagnostics lack %q:\n%s", want, got)
	}
}

// TestAdoptImportAzureOnly: import: true imports what the Azure-only
// module renders, and neither a namespace nor a release.
func TestAdoptImportAzureOnly(t *testing.T) {
	const ra = accountScope + "/providers/Microsoft.Authorization/roleAssignments/77777777-7777-7777-7777-777777777777"
	s := mustLoad(t, adoptDoc(t, "      adopt:\n        import: true\n        roleAssignmentIds:\n          Cognitive Services OpenAI User: "+ra+"\n", azureOnly...))
	var to []string
	for _, b := range s.Spec.Environments[0].Adoption {
		to = append(to, b.Kind.String()+" "+b.To)
	}
	want := []string{
		"import azurerm_user_assigned_identity.this",
		"import azurerm_federated_identity_credential.aks_prod",
		"import azurerm_role_assignment.cognitive_services_openai_user_aoai",
	}
	if d := cmp.Diff(want, to); d != "" {
		t.Errorf("import blocks (-want +got):\n%s", d)
	}
}

// sharedAdoptDoc is golden/shared-identity-adopted/wigen.yaml (dev creates
// identity id-open-webui-nonprod, and its module creates the federated
// identity credentials of dev and staging; staging reads the identity)
// with adopt as staging's adopt and, unless "", requiredVersion as
// spec.terraform.requiredVersion.
func sharedAdoptDoc(t *testing.T, adopt, requiredVersion string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "golden", "shared-identity-adopted", DefaultFile))
	if err != nil {
		t.Fatal(err)
	}
	const stagingAdopt = "      adopt:\n        addresses:\n          federatedCredentials:\n            aks-nonprod: azurerm_federated_identity_credential.aks_nonprod\n"
	doc := string(data)
	if !strings.Contains(doc, stagingAdopt) {
		t.Fatal("golden/shared-identity-adopted: staging's adopt is not the one this test replaces")
	}
	doc = strings.Replace(doc, stagingAdopt, adopt, 1)
	if requiredVersion != "" {
		doc = strings.Replace(doc, "spec:\n", "spec:\n  terraform:\n    requiredVersion: \""+requiredVersion+"\"\n", 1)
	}
	return doc
}

// TestAdoptSharedIdentity: staging's federated identity credential is
// created by dev's module (the identity's), in another state, so staging's
// adopt forgets it in staging's state and dev's module imports it; dev's
// Terraform version follows the import block it holds.
func TestAdoptSharedIdentity(t *testing.T) {
	const credID = "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-openwebui-nonprod/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-open-webui-nonprod/federatedIdentityCredentials/aks-nonprod-open-webui-staging-open-webui"
	foreign := AdoptBlock{Kind: Import, To: "azurerm_federated_identity_credential.staging_aks_nonprod", ID: credID,
		Object: "federated identity credential aks-nonprod-open-webui-staging-open-webui", Env: "staging"}

	s := mustLoad(t, sharedAdoptDoc(t, "      adopt:\n        addresses:\n          federatedCredentials:\n            aks-nonprod: azurerm_federated_identity_credential.aks_nonprod\n", ""))
	dev, staging := &s.Spec.Environments[0], &s.Spec.Environments[1]
	if d := cmp.Diff([]AdoptBlock{foreign}, dev.Adoption); d != "" {
		t.Errorf("dev's adoption (-want +got):\n%s", d)
	}
	wantStaging := []AdoptBlock{{Kind: Removed, From: "azurerm_federated_identity_credential.aks_nonprod", Env: "staging",
		Object: "federated identity credential aks-nonprod-open-webui-staging-open-webui (created by environment dev's module from now on, which imports it; no longer in this state)"}}
	if d := cmp.Diff(wantStaging, staging.Adoption); d != "" {
		t.Errorf("staging's adoption (-want +got):\n%s", d)
	}
	if dev.RequiredVersion != ">= 1.5.0" || staging.RequiredVersion != ">= 1.7.0" {
		t.Errorf("RequiredVersion dev %q, staging %q; want >= 1.5.0 (import) and >= 1.7.0 (removed)", dev.RequiredVersion, staging.RequiredVersion)
	}
	// The address is where dev's module renders staging's credential:
	// CredentialAddresses names it for both environments' adopt.
	if got := s.CredentialAddresses(staging); !cmp.Equal(got, []string{foreign.To}) {
		t.Errorf("CredentialAddresses(staging) = %v, want [%s]", got, foreign.To)
	}

	// import: true: staging's own module imports its namespace and release;
	// its credential is imported by dev's.
	s = mustLoad(t, sharedAdoptDoc(t, "      adopt:\n        import: true\n", ""))
	dev, staging = &s.Spec.Environments[0], &s.Spec.Environments[1]
	if d := cmp.Diff([]AdoptBlock{foreign}, dev.Adoption); d != "" {
		t.Errorf("import: dev's adoption (-want +got):\n%s", d)
	}
	var to []string
	for _, b := range staging.Adoption {
		to = append(to, b.To)
	}
	if d := cmp.Diff([]string{"kubernetes_namespace_v1.this", "helm_release.this"}, to); d != "" {
		t.Errorf("import: staging's import blocks (-want +got):\n%s", d)
	}

	// A written requiredVersion too old for the import in dev's module is
	// refused, naming whose adopt writes it where.
	doc := sharedAdoptDoc(t, "      adopt:\n        import: true\n", ">= 1.4.0")
	want := `spec.terraform.requiredVersion: ">= 1.4.0" admits Terraform versions before 1.5.0, which cannot read the import blocks that environment "staging"'s adopt writes into environment "dev"'s module (which creates its federated identity credentials); use ">= 1.5.0"`
	if got := strings.Join(adoptDiagnostics(t, doc), "\n"); !strings.Contains(got, want) {
		t.Errorf("diagnostics lack %q:\n%s", want, got)
	}

	// dev cannot move one of its own from where its module renders
	// staging's.
	doc = strings.Replace(sharedAdoptDoc(t, "", ""), "      namespace: open-webui-dev\n", "      namespace: open-webui-dev\n      adopt:\n        addresses:\n          federatedCredentials:\n            aks-nonprod: azurerm_federated_identity_credential.staging_aks_nonprod\n", 1)
	want = `spec.environments[0].adopt.addresses.federatedCredentials.aks-nonprod: "azurerm_federated_identity_credential.staging_aks_nonprod" is where this module renders another object; give the address the existing state holds this one under`
	if got := strings.Join(adoptDiagnostics(t, doc), "\n"); !strings.Contains(got, want) {
		t.Errorf("diagnostics lack %q:\n%s", want, got)
	}
}

// TestAdoptPerEnvironmentTargets: adopt needs the environment's own
// terraform target, not spec.targets'.
func TestAdoptPerEnvironmentTargets(t *testing.T) {
	doc := adoptDoc(t, "      adopt:\n        from: tutorial\n", "    - name: prod\n", "    - name: prod\n      targets: [helm]\n")
	want := []string{`wigen.yaml:30:9: spec.environments[0].adopt: adopt writes moved, removed and import blocks into the Terraform module, and the environment's targets do not render terraform; add it or remove adopt`}
	if d := cmp.Diff(want, adoptDiagnostics(t, doc)); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

// TestKeepPersistentVolumeClaimPerEnvironment: the PVC's keep policy
// follows each environment's chart values: an environment whose values
// mount an existing claim gets none, and the policy is refused in an
// environment's chart.values as in spec.chart.values.
func TestKeepPersistentVolumeClaimPerEnvironment(t *testing.T) {
	second := "    - name: dev\n      subscriptionId: 11111111-1111-1111-1111-111111111111\n      location: westeurope\n      resourceGroup: rg-app\n      namespace: dev\n      serviceAccount: open-webui\n      identity: {name: id-dev}\n      cluster: {name: aks-dev, resourceGroup: rg-aks, issuer: {fromCluster: true}}\n"
	s := mustLoad(t, edit(t, "  environments:\n", "  environments:\n"+second+"      chart: {values: {persistence: {existingClaim: chat-data}}}\n"))
	dev, prod := &s.Spec.Environments[0], &s.Spec.Environments[1]
	if s.KeepsPVC(dev) || !s.KeepsPVC(prod) {
		t.Errorf("KeepsPVC dev %v (mounts chat-data), prod %v; want false, true", s.KeepsPVC(dev), s.KeepsPVC(prod))
	}
	doc := edit(t, "  environments:\n", "  environments:\n"+second+"      chart:\n        values:\n          persistence:\n            annotations:\n              helm.sh/resource-policy: keep\n")
	want := []string{`wigen.yaml:26:40: spec.environments[0].chart.values.persistence.annotations["helm.sh/resource-policy"]: wigen sets helm.sh/resource-policy: keep on the chart's PVC; remove it (spec.chart.keepPersistentVolumeClaim: false opts out)`}
	if d := cmp.Diff(want, adoptDiagnostics(t, doc)); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}
