package replacement

import (
	"path"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wigen-dev/wigen/generate"
	"github.com/wigen-dev/wigen/generate/kustomize"
	"github.com/wigen-dev/wigen/schema"
)

// base is a complete input with every target and a client ID (so the
// Kustomize overlay is rendered); the cases edit it.
const base = `apiVersion: wigen/v1alpha1
kind: WorkloadIdentity
metadata:
  name: open-webui
spec:
  chart:
    version: 7.2.0
    imageTag: v0.6.33
  azureOpenAI:
    accountId: /subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/aoai
    endpoint: https://aoai.openai.azure.com
    deployments: [gpt-4o]
  environments:
    - name: prod
      subscriptionId: 11111111-1111-1111-1111-111111111111
      location: westeurope
      resourceGroup: rg-app
      namespace: open-webui
      serviceAccount: open-webui
      identity:
        name: id-a
        clientId: 33333333-3333-3333-3333-333333333333
      cluster:
        name: aks-prod
        resourceGroup: rg-aks
        issuer:
          fromCluster: true
`

// tree renders doc and returns its files by path.
func tree(t *testing.T, doc string) map[string][]byte {
	t.Helper()
	s, err := schema.LoadBytes("wigen.yaml", []byte(doc))
	if err != nil {
		t.Fatalf("load:\n%s\n%v", doc, err)
	}
	r, err := generate.Render(s)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, f := range r.Files {
		out[f.Path] = f.Data
	}
	return out
}

// edited applies old->new replacements to base.
func edited(t *testing.T, pairs ...string) string {
	t.Helper()
	doc := base
	for i := 0; i+1 < len(pairs); i += 2 {
		if !strings.Contains(doc, pairs[i]) {
			t.Fatalf("edit: %q is not in the input", pairs[i])
		}
		doc = strings.Replace(doc, pairs[i], pairs[i+1], 1)
	}
	return doc
}

func lines(rs []Replacement) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Line(r.Path))
	}
	return out
}

func TestFind(t *testing.T) {
	const (
		main    = "terraform/prod/main.tf"
		overlay = "kustomize/overlays/prod/kustomization.yaml"
	)
	newIdentity := "Terraform replaces it: a new client ID and principal ID, so everything that names the client ID (identity.clientId, the Helm values, the Kustomize overlay) needs the new one, and its federated identity credentials and role assignments are created again"
	for _, tc := range []struct {
		name     string
		old, new string
		want     []string
	}{
		{"same input", base, base, nil},
		{"in-place changes", base, edited(t, "deployments: [gpt-4o]", "deployments: [gpt-4o, o3]", "location: westeurope\n", "location: westeurope\n      tenantId: 22222222-2222-2222-2222-222222222222\n"), nil},
		{"identity renamed", base, edited(t, "name: id-a", "name: id-b"),
			[]string{"environment \"prod\": identity \"id-a\" becomes \"id-b\" (" + main + "): " + newIdentity}},
		{"identity moved", base, edited(t, "location: westeurope", "location: northeurope", "resourceGroup: rg-app", "resourceGroup: rg-other"),
			[]string{"environment \"prod\": identity \"id-a\" moves from resource group \"rg-app\" to \"rg-other\" and moves from location \"westeurope\" to \"northeurope\" (" + main + "): " + newIdentity}},
		// azurerm compares locations lower-cased and without spaces: a
		// location written another way replaces nothing.
		{"identity location written another way", base, edited(t, "location: westeurope", "location: West Europe"), nil},
		// persistence off: the app's database was on the chart's PVC; the
		// release keeps the PVC (keep), a prune of the overlay does not.
		{"persistence turned off", base, edited(t, "    imageTag: v0.6.33\n", "    imageTag: v0.6.33\n    values:\n      persistence: {enabled: false}\n"), []string{
			`environment "prod": Kustomize overlay stops using the chart's PVC "open-webui" (persistence) (kustomize/overlays/prod/kustomization.yaml): the app no longer mounts it and starts on an empty database; applied with pruning (Argo CD, Flux), it is deleted, and the chat database in it with it; set persistence.existingClaim: "open-webui" in the environment's chart.values (spec.environments[].chart.values) to use it again`,
			`environment "prod": release "open-webui" stops using the chart's PVC "open-webui" (persistence) (terraform/prod/main.tf): the app no longer mounts it and starts on an empty database; the PVC stays, unused, with the chat database in it (its keep policy); set persistence.existingClaim: "open-webui" in the environment's chart.values (spec.environments[].chart.values) to use it again`,
		}},
		{"persistence moved to the existing claim", base, edited(t, "    imageTag: v0.6.33\n", "    imageTag: v0.6.33\n    values:\n      persistence: {existingClaim: open-webui}\n"), nil},
		{"identity no longer created", base, edited(t, "        name: id-a\n", "        name: id-a\n        existing: true\n"),
			[]string{"environment \"prod\": identity \"id-a\" is no longer created by this module (identity.existing) (" + main + "): Terraform destroys it: its client ID and principal ID are gone for good, its role assignments with it; to keep the identity, make the state forget it instead: adopt.addresses.identity: azurerm_user_assigned_identity.this"}},
		{"identity no longer created, state forgets it", base, edited(t, "        name: id-a\n", "        name: id-a\n        existing: true\n", "          fromCluster: true\n", "          fromCluster: true\n      adopt:\n        addresses:\n          identity: azurerm_user_assigned_identity.this\n"), nil},
		{"namespace changed", base, edited(t, "namespace: open-webui", "namespace: chat"),
			[]string{
				"environment \"prod\": Kustomize overlay namespace \"open-webui\" becomes \"chat\" (" + overlay + "): every object of the app moves to namespace \"chat\": applied with pruning (Argo CD, Flux), the objects in \"open-webui\" are deleted, the PVC \"open-webui\" and the chat database in it among them, and the app starts on a new, empty one",
				"environment \"prod\": namespace \"open-webui\" becomes \"chat\" (" + main + "): Terraform deletes namespace \"open-webui\" and everything in it, the PVC \"open-webui\" and the chat database in it too (helm.sh/resource-policy: keep does not stop a namespace's deletion)",
				// The derived credential name holds the namespace.
				"environment \"prod\": federated identity credential \"aks-prod-open-webui-open-webui\" becomes \"aks-prod-chat-open-webui\" (" + main + "): a credential's name cannot change, so Terraform deletes it and creates \"aks-prod-chat-open-webui\": token exchange for \"system:serviceaccount:open-webui:open-webui\" fails in between; to keep it, give it its name (cluster.federatedCredentialName or additionalFederations[].credentialName: \"aks-prod-open-webui-open-webui\")",
				"environment \"prod\": release \"open-webui\" in namespace \"open-webui\" becomes \"open-webui\" in namespace \"chat\" (" + main + "): Terraform uninstalls it and installs it again: the PVC \"open-webui\" stays in namespace \"open-webui\" (helm.sh/resource-policy: keep), and the release in \"chat\" starts with a new, empty database",
			}},
		{"namespace no longer created", base, edited(t, "      identity:\n", "      createNamespace: false\n      identity:\n"),
			[]string{`environment "prod": Kustomize overlay namespace "open-webui" leaves the build (createNamespace: false) (kustomize/overlays/prod/namespace.yaml): applied with pruning (Argo CD, Flux), the Namespace is deleted, and everything in it: the app, its PVC and the chat database in it among them; to keep it, keep createNamespace: true, or first take the Namespace out of the controller's hands (Argo CD: the annotation argocd.argoproj.io/sync-options: Prune=false on it; Flux: kustomize.toolkit.fluxcd.io/prune: disabled)`, "environment \"prod\": namespace \"open-webui\" is no longer created by this module (createNamespace: false) (" + main + "): Terraform deletes namespace \"open-webui\" and everything in it, the PVC \"open-webui\" and the chat database in it too (helm.sh/resource-policy: keep does not stop a namespace's deletion); to keep the namespace, make the state forget it instead: adopt.addresses.namespace: kubernetes_namespace_v1.this"}},
		{"release renamed, chart 7.2.0 names objects alike", base, edited(t, "name: open-webui\nspec", "name: chat\nspec"),
			[]string{"environment \"prod\": release \"open-webui\" in namespace \"open-webui\" becomes \"chat\" in namespace \"open-webui\" (" + main + "): Terraform uninstalls it and installs it again: the PVC \"open-webui\" stays (helm.sh/resource-policy: keep), but the new release does not use it: set persistence.existingClaim: \"open-webui\" in the environment's chart.values (spec.environments[].chart.values) to use it again"}},
		{"release renamed without keeping the PVC", edited(t, "    imageTag: v0.6.33\n", "    imageTag: v0.6.33\n    keepPersistentVolumeClaim: false\n"), edited(t, "name: open-webui\nspec", "name: chat\nspec", "    imageTag: v0.6.33\n", "    imageTag: v0.6.33\n    keepPersistentVolumeClaim: false\n"),
			[]string{"environment \"prod\": release \"open-webui\" in namespace \"open-webui\" becomes \"chat\" in namespace \"open-webui\" (" + main + "): Terraform uninstalls it and installs it again: the chart's PVC \"open-webui\" is deleted, and the chat database in it"}},
		{"chart 7.2.0 to 16.0.0 with release chat", edited(t, "name: open-webui\nspec", "name: chat\nspec"), edited(t, "name: open-webui\nspec", "name: chat\nspec", "version: 7.2.0", "version: 16.0.0", "imageTag: v0.6.33", "imageTag: v0.11.0"),
			[]string{
				"environment \"prod\": Kustomize overlay (chart \"open-webui\" \"7.2.0\" -> \"16.0.0\") renames the workload, Service and PVC \"open-webui\" to \"chat-open-webui\" (" + overlay + "): the app starts on a new, empty PVC; applied with pruning, \"open-webui\" and the chat database in it are deleted (helm.sh/resource-policy: keep does not stop a prune); applied without, it is left unused: set persistence.existingClaim: \"open-webui\" in the environment's chart.values (spec.environments[].chart.values) to use it again; the new objects replace the old: anything that calls Service \"open-webui\" by name (an ingress) must follow",
				"environment \"prod\": release \"chat\" (chart \"open-webui\" \"7.2.0\" -> \"16.0.0\") renames the workload, Service and PVC \"open-webui\" to \"chat-open-webui\" (" + main + "): the upgrade starts on a new, empty PVC and leaves \"open-webui\" (helm.sh/resource-policy: keep) unused: set persistence.existingClaim: \"open-webui\" in the environment's chart.values (spec.environments[].chart.values) to use it again; the new objects replace the old: anything that calls Service \"open-webui\" by name (an ingress) must follow",
			}},
		{"chart 7.2.0 to 16.0.0 with release open-webui keeps the names", base, edited(t, "version: 7.2.0", "version: 16.0.0", "imageTag: v0.6.33", "imageTag: v0.11.0"), nil},
		{"cluster renamed: the credential moves", base, edited(t, "name: aks-prod", "name: aks-blue"),
			[]string{"environment \"prod\": federated identity credential \"aks-prod-open-webui-open-webui\" moves from \"azurerm_federated_identity_credential.aks_prod\" to \"azurerm_federated_identity_credential.aks_blue\" (" + main + "): Terraform deletes it and creates it again under the new address: token exchange for \"system:serviceaccount:open-webui:open-webui\" fails in between"}},
		{"cluster renamed, credential named: one name at two addresses", edited(t, "        name: aks-prod\n", "        name: aks-prod\n        federatedCredentialName: fic\n"), edited(t, "        name: aks-prod\n", "        name: aks-blue\n        federatedCredentialName: fic\n"),
			[]string{"environment \"prod\": federated identity credential \"fic\" moves from \"azurerm_federated_identity_credential.aks_prod\" to \"azurerm_federated_identity_credential.aks_blue\" (" + main + "): Terraform deletes it and creates it again under the new address: token exchange for \"system:serviceaccount:open-webui:open-webui\" fails in between, and, the two having one name, the delete can remove the credential just created"}},
		{"credential renamed", base, edited(t, "        name: aks-prod\n", "        name: aks-prod\n        federatedCredentialName: fic\n"),
			[]string{"environment \"prod\": federated identity credential \"aks-prod-open-webui-open-webui\" becomes \"fic\" (" + main + "): a credential's name cannot change, so Terraform deletes it and creates \"fic\": token exchange for \"system:serviceaccount:open-webui:open-webui\" fails in between; to keep it, give it its name (cluster.federatedCredentialName or additionalFederations[].credentialName: \"aks-prod-open-webui-open-webui\")"}},
		{"another existing identity", edited(t, "        name: id-a\n", "        name: id-a\n        existing: true\n"), edited(t, "        name: id-a\n", "        name: id-b\n        existing: true\n"),
			[]string{"environment \"prod\": federated identity credential \"aks-prod-open-webui-open-webui\" moves from identity \"id-a\" in resource group \"rg-app\" to identity \"id-b\" in resource group \"rg-app\" (" + main + "): a credential belongs to one identity, so Terraform deletes it and creates it on the other: token exchange for \"system:serviceaccount:open-webui:open-webui\" fails in between"}},
		// One environment gone, another added with an identity of its own
		// (the same identity under a new name: TestFindEnvironmentRenamed).
		{"environment added and removed", base, strings.Replace(strings.Replace(base, "- name: prod", "- name: staging", 1), "name: id-a", "name: id-staging", 1), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := lines(Find(tree(t, tc.old), tree(t, tc.new)))
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("replacements (-want +got):\n%s", d)
			}
		})
	}
}

// TestFindIgnoresWhatItCannotRead: a previous main.tf that does not parse
// (edited by hand) is not compared, and an empty tree has nothing to replace.
func TestFindIgnoresWhatItCannotRead(t *testing.T) {
	old := tree(t, base)
	old["terraform/prod/main.tf"] = []byte("resource {")
	old["kustomize/overlays/prod/kustomization.yaml"] = []byte(":")
	if got := Find(old, tree(t, edited(t, "name: id-a", "name: id-b", "namespace: open-webui", "namespace: chat"))); len(got) != 0 {
		t.Errorf("replacements from unreadable files: %v", lines(got))
	}
	if got := Find(nil, tree(t, base)); len(got) != 0 {
		t.Errorf("replacements from an empty tree: %v", lines(got))
	}
}

// TestFindLegacyBase: a tree an older wigen wrote, with one shared
// kustomize/base inflating the chart and overlays without helmCharts, is
// still compared with a render whose overlays inflate the chart themselves.
func TestFindLegacyBase(t *testing.T) {
	const overlay = "kustomize/overlays/prod/kustomization.yaml"
	old := tree(t, edited(t, "name: open-webui\nspec", "name: chat\nspec"))
	// The old layout: the overlay's helmCharts entry and values in the base.
	old["kustomize/base/kustomization.yaml"] = []byte("helmCharts:\n- name: open-webui\n  version: 7.2.0\n  releaseName: chat\n")
	old["kustomize/base/values.yaml"] = []byte("ollama:\n  enabled: false\npipelines:\n  enabled: false\n")
	old[overlay] = []byte("namespace: open-webui\nresources:\n- ../../base\n")
	delete(old, "kustomize/overlays/prod/values.yaml")
	next := tree(t, edited(t, "name: open-webui\nspec", "name: chat\nspec", "version: 7.2.0", "version: 16.0.0", "imageTag: v0.6.33", "imageTag: v0.11.0"))
	var got []string
	for _, r := range Find(old, next) {
		if r.Path == overlay {
			got = append(got, r.Object+" "+r.Change)
		}
	}
	want := []string{"Kustomize overlay (chart \"open-webui\" \"7.2.0\" -> \"16.0.0\") renames the workload, Service and PVC \"open-webui\" to \"chat-open-webui\""}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("replacements of the overlay (-want +got):\n%s", d)
	}
}

// TestFindReleaseLeavesTerraform: terraform.release: false takes the
// helm_release and the namespace out of the module, so Terraform
// uninstalls the release and deletes the namespace, unless adopt's removed
// blocks make the state forget them (the release then stays installed for
// the environment's other target).
func TestFindReleaseLeavesTerraform(t *testing.T) {
	const main = "terraform/prod/main.tf"
	azureOnly := func(extra ...string) string {
		return edited(t, append([]string{"  environments:\n", "  terraform:\n    release: false\n  environments:\n"}, extra...)...)
	}
	for _, tc := range []struct {
		name     string
		old, new string
		want     []string
	}{
		{"release and namespace leave the module", base, azureOnly(), []string{
			"environment \"prod\": namespace \"open-webui\" is no longer created by this module (terraform.release: false) (" + main + "): Terraform deletes namespace \"open-webui\" and everything in it, the PVC \"open-webui\" and the chat database in it too (helm.sh/resource-policy: keep does not stop a namespace's deletion); to keep the namespace, make the state forget it instead: adopt.addresses.namespace: kubernetes_namespace_v1.this",
			"environment \"prod\": release \"open-webui\" in namespace \"open-webui\" is no longer installed by this module (terraform.release: false) (" + main + "): Terraform uninstalls it, and the app is down until the environment's other target installs it again; the PVC \"open-webui\" stays (helm.sh/resource-policy: keep); to leave it installed for that target to take over, make the state forget it instead: adopt.addresses.release: helm_release.this",
		}},
		{"not kept: the PVC goes with the release", edited(t, "    imageTag: v0.6.33\n", "    imageTag: v0.6.33\n    keepPersistentVolumeClaim: false\n", "      identity:\n", "      createNamespace: false\n      identity:\n"),
			azureOnly("    imageTag: v0.6.33\n", "    imageTag: v0.6.33\n    keepPersistentVolumeClaim: false\n", "      identity:\n", "      createNamespace: false\n      identity:\n"), []string{
				"environment \"prod\": release \"open-webui\" in namespace \"open-webui\" is no longer installed by this module (terraform.release: false) (" + main + "): Terraform uninstalls it, and the app is down until the environment's other target installs it again; the chart's PVC \"open-webui\" is deleted, and the chat database in it; to leave it installed for that target to take over, make the state forget it instead: adopt.addresses.release: helm_release.this",
			}},
		{"adopt's removed blocks keep both", base, azureOnly("          fromCluster: true\n", "          fromCluster: true\n      adopt:\n        addresses:\n          namespace: kubernetes_namespace_v1.this\n          release: helm_release.this\n"), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := lines(Find(tree(t, tc.old), tree(t, tc.new)))
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("replacements (-want +got):\n%s", d)
			}
		})
	}
}

// sharedDoc has two environments on one identity: dev creates it, staging
// reads it; identityRG is staging's identity.resourceGroup (another one
// makes it another identity, whose credentials staging's module creates,
// as every environment's own module did before shared identities).
func sharedDoc(t *testing.T, identityRG, devCluster string) string {
	t.Helper()
	stagingClientID := "33333333-3333-3333-3333-333333333333" // one identity, one client ID
	if identityRG != "rg-app" {
		stagingClientID = "55555555-5555-5555-5555-555555555555"
	}
	header, _, _ := strings.Cut(base, "  environments:\n") // base's chart and Azure OpenAI account
	return header + strings.NewReplacer("IDRG", identityRG, "DEVCLUSTER", devCluster, "STAGINGCLIENTID", stagingClientID).Replace(`  defaults:
    subscriptionId: 11111111-1111-1111-1111-111111111111
    location: westeurope
    resourceGroup: rg-app
    namespace: open-webui
    serviceAccount: open-webui
  environments:
    - name: staging
      roles: []
      identity: {name: id-nonprod, resourceGroup: IDRG, existing: true, clientId: STAGINGCLIENTID}
      cluster: {name: aks-staging, resourceGroup: rg-aks, issuer: {fromCluster: true}}
    - name: dev
      identity: {name: id-nonprod, clientId: 33333333-3333-3333-3333-333333333333}
      cluster: {name: DEVCLUSTER, resourceGroup: rg-aks, issuer: {fromCluster: true}}
`)
}

// TestFindCredentialsBetweenModules: when a shared identity's credentials
// move into the identity's module (dev's, which creates them all), the
// credential staging's module created is deleted by staging's state and
// created by dev's (each module has its own state): reported with the
// state rm / import that keeps it, unless staging's adopt makes its state
// forget it; on another identity it cannot be kept. dev's own credential,
// moved to a new address, is paired with itself, not with staging's of the
// same subject on another cluster.
func TestFindCredentialsBetweenModules(t *testing.T) {
	const stagingMain = "terraform/staging/main.tf"
	// What an earlier wigen rendered: staging's module creates staging's
	// credential on the shared identity (rg-app), which it reads.
	earlier := tree(t, sharedDoc(t, "rg-other", "aks-dev"))
	if !strings.Contains(string(earlier[stagingMain]), "azurerm_federated_identity_credential") {
		t.Fatal("the old layout: staging's module should create staging's credential")
	}
	earlier[stagingMain] = []byte(strings.ReplaceAll(string(earlier[stagingMain]), `"rg-other"`, `"rg-app"`))
	shared := tree(t, sharedDoc(t, "rg-app", "aks-dev"))
	if strings.Contains(string(shared[stagingMain]), "azurerm_federated_identity_credential") || !strings.Contains(string(shared["terraform/dev/main.tf"]), `"aks-staging-open-webui-open-webui"`) {
		t.Fatal("the new layout: dev's module should create staging's credential too")
	}
	moved := `environment "staging": federated identity credential "aks-staging-open-webui-open-webui" leaves this module for environment "dev"'s (terraform/dev/main.tf, azurerm_federated_identity_credential.staging_aks_staging)`
	window := `each module has its own state, so applied, terraform/staging deletes it and terraform/dev creates it: token exchange for "system:serviceaccount:open-webui:open-webui" fails in between`
	want := []string{moved + " (" + stagingMain + "): " + window + "; to keep it, move it between the states before applying: " +
		"terraform -chdir=terraform/staging state rm azurerm_federated_identity_credential.aks_staging, then terraform -chdir=terraform/dev import azurerm_federated_identity_credential.staging_aks_staging " +
		"/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-app/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-nonprod/federatedIdentityCredentials/aks-staging-open-webui-open-webui" +
		` (for a shared identity's credential, azurerm_federated_identity_credential.aks_staging in environment "staging"'s adopt.addresses.federatedCredentials, under its cluster's or federation's name, renders both as removed and import blocks)`}
	if d := cmp.Diff(want, lines(Find(earlier, shared))); d != "" {
		t.Errorf("a credential moving between modules (-want +got):\n%s", d)
	}

	// staging's adopt names the old address: staging's state forgets it
	// (removed), dev's module imports it: nothing is deleted.
	adopted := tree(t, strings.Replace(sharedDoc(t, "rg-app", "aks-dev"), "      cluster: {name: aks-staging, resourceGroup: rg-aks, issuer: {fromCluster: true}}\n",
		"      cluster: {name: aks-staging, resourceGroup: rg-aks, issuer: {fromCluster: true}}\n      adopt: {addresses: {federatedCredentials: {aks-staging: azurerm_federated_identity_credential.aks_staging}}}\n", 1))
	if !strings.Contains(string(adopted["terraform/staging/adopt.tf"]), "removed {") || !strings.Contains(string(adopted["terraform/dev/adopt.tf"]), "import {") {
		t.Fatalf("adopt should render removed in staging's module and import in dev's:\n%s\n%s", adopted["terraform/staging/adopt.tf"], adopted["terraform/dev/adopt.tf"])
	}
	if got := lines(Find(earlier, adopted)); len(got) != 0 {
		t.Errorf("a credential moved between the states by adopt is reported:\n%s", strings.Join(got, "\n"))
	}

	// On another identity (staging's own, in rg-other, before): a
	// credential belongs to one identity, it cannot be kept.
	want = []string{moved + ` and moves from identity "id-nonprod" in resource group "rg-other" to identity "id-nonprod" in resource group "rg-app" (` + stagingMain + "): " + window + "; a credential belongs to one identity, so it cannot be kept"}
	if d := cmp.Diff(want, lines(Find(tree(t, sharedDoc(t, "rg-other", "aks-dev")), shared))); d != "" {
		t.Errorf("a credential moving between modules and identities (-want +got):\n%s", d)
	}

	// dev's own credential, moved to a new address in dev's module, is
	// paired with itself, not with staging's of the same subject.
	want = []string{"environment \"dev\": federated identity credential \"aks-dev-open-webui-open-webui\" moves from \"azurerm_federated_identity_credential.aks_dev\" to \"azurerm_federated_identity_credential.aks_blue\" (terraform/dev/main.tf): Terraform deletes it and creates it again under the new address: token exchange for \"system:serviceaccount:open-webui:open-webui\" fails in between"}
	if d := cmp.Diff(want, lines(Find(shared, tree(t, sharedDoc(t, "rg-app", "aks-blue"))))); d != "" {
		t.Errorf("dev's own credential moved (-want +got):\n%s", d)
	}
}

// TestFindCredentialRenamedBetweenModules: a credential whose name changes
// as it moves to another module is deleted and created under the new
// name; keeping it needs its old name back and the move between states.
func TestFindCredentialRenamedBetweenModules(t *testing.T) {
	earlier := tree(t, sharedDoc(t, "rg-other", "aks-dev"))
	const stagingMain = "terraform/staging/main.tf"
	earlier[stagingMain] = []byte(strings.ReplaceAll(strings.ReplaceAll(string(earlier[stagingMain]), `"rg-other"`, `"rg-app"`), `"aks-staging-open-webui-open-webui"`, `"fic-staging"`))
	got := lines(Find(earlier, tree(t, sharedDoc(t, "rg-app", "aks-dev"))))
	if len(got) != 1 {
		t.Fatalf("replacements: %q, want one", got)
	}
	for _, want := range []string{
		`federated identity credential "fic-staging" leaves this module for environment "dev"'s (terraform/dev/main.tf, azurerm_federated_identity_credential.staging_aks_staging) and becomes "aks-staging-open-webui-open-webui"`,
		`to keep it, give it its name (cluster.federatedCredentialName or additionalFederations[].credentialName: "fic-staging") and move it between the states`,
		"/federatedIdentityCredentials/fic-staging ",
	} {
		if !strings.Contains(got[0], want) {
			t.Errorf("line %q\nlacks %q", got[0], want)
		}
	}
}

// TestFindQuotesNames: the names in a replacement's line come from the
// previous render's files, which validation never saw; a main.tf edited to
// hold a newline or a right-to-left override in the identity's name still
// gives one line, the name quoted as schema.Quote quotes it.
func TestFindQuotesNames(t *testing.T) {
	for _, name := range []string{`id-a\nwigen: fake line`, `id-a\u202e`} {
		old := tree(t, base)
		main := "terraform/prod/main.tf"
		if !strings.Contains(string(old[main]), `"id-a"`) {
			t.Fatalf("%s holds no \"id-a\"", main)
		}
		old[main] = []byte(strings.Replace(string(old[main]), `"id-a"`, `"`+name+`"`, 1))
		got := lines(Find(old, tree(t, base)))
		if len(got) != 1 {
			t.Fatalf("replacements of %s: %q, want one", name, got)
		}
		decoded := strings.NewReplacer(`\n`, "\n", `\u202e`, "\u202e").Replace(name)
		if want := "environment \"prod\": identity " + schema.Quote(decoded) + " becomes \"id-a\""; !strings.HasPrefix(got[0], want) {
			t.Errorf("line = %q, want it to start with %q", got[0], want)
		}
		if strings.ContainsAny(got[0], "\n\u202e") {
			t.Errorf("line holds the raw character: %q", got[0])
		}
	}
}

// TestFindSubchartsTurnedOff: an environment that adopted an installed
// release kept the chart's subcharts on (helm.Values); once adopt is
// removed, wigen's soft default turns them off, which uninstalls them (the
// Pipelines PVC with them): reported for the helm_release and the overlay,
// unless the chart values keep them on.
func TestFindSubchartsTurnedOff(t *testing.T) {
	const (
		main    = "terraform/prod/main.tf"
		overlay = "kustomize/overlays/prod/kustomization.yaml"
	)
	adopted := edited(t, "          fromCluster: true\n", "          fromCluster: true\n      adopt:\n        addresses:\n          release: helm_release.openwebui\n")
	keep := func(doc string) string {
		return strings.Replace(doc, "    imageTag: v0.6.33\n", "    imageTag: v0.6.33\n    values:\n      ollama: {enabled: true}\n      pipelines: {enabled: true}\n", 1)
	}
	off := func(sc string) []string {
		rest := "its objects are deleted, its PVC and the data in it too where it has one (the Pipelines subchart does by default); to keep it, set " + sc + ".enabled: true in spec.chart.values (or the environment's chart.values)"
		return []string{
			"environment \"prod\": Kustomize overlay turns the " + sc + " subchart off (" + sc + ".enabled: false) (" + overlay + "): applied with pruning (Argo CD, Flux), it is deleted: " + rest,
			"environment \"prod\": release \"open-webui\" turns the " + sc + " subchart off (" + sc + ".enabled: false) (" + main + "): Helm uninstalls it with the upgrade: " + rest,
		}
	}
	got := lines(Find(tree(t, adopted), tree(t, base)))
	want := []string{off("ollama")[0], off("pipelines")[0], off("ollama")[1], off("pipelines")[1]}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("adopt removed (-want +got):\n%s", d)
	}
	if got := lines(Find(tree(t, adopted), tree(t, keep(base)))); len(got) != 0 {
		t.Errorf("adopt removed, the subcharts kept on in chart.values: %q", got)
	}
	if got := lines(Find(tree(t, base), tree(t, adopted))); len(got) != 0 {
		t.Errorf("adopt added (the subcharts come on): %q", got)
	}
}

// TestFindCredentialBetweenModulesOneLine: the commands in the line carry
// a name read from the previous render, which validation never saw: a
// newline in it stays escaped, the line one line.
func TestFindCredentialBetweenModulesOneLine(t *testing.T) {
	earlier := tree(t, sharedDoc(t, "rg-other", "aks-dev"))
	const stagingMain = "terraform/staging/main.tf"
	earlier[stagingMain] = []byte(strings.ReplaceAll(strings.ReplaceAll(string(earlier[stagingMain]), `"rg-other"`, `"rg-app"`), `"aks-staging-open-webui-open-webui"`, `"fic\nwigen: fake line"`))
	got := lines(Find(earlier, tree(t, sharedDoc(t, "rg-app", "aks-dev"))))
	if len(got) != 1 || strings.Contains(got[0], "\n") || !strings.Contains(got[0], `/federatedIdentityCredentials/fic\nwigen: fake line'`) {
		t.Errorf("replacements %q: want one line, the name escaped and shell-quoted in the import command", got)
	}
}

// TestFindOverlayGitignore: the overlay's .gitignore holds no object, so
// a tree an older wigen wrote without it, or one whose .gitignore goes
// with the overlay, shows no replacement, and a namespace change is still
// found beside it.
func TestFindOverlayGitignore(t *testing.T) {
	gi := path.Join(kustomize.OverlayDir("prod"), kustomize.GitignoreFile)
	next := tree(t, base)
	if _, ok := next[gi]; !ok {
		t.Fatalf("the render has no %s", gi)
	}
	old := tree(t, base)
	delete(old, gi)
	if got := Find(old, next); len(got) != 0 {
		t.Errorf("adding %s: %v", gi, lines(got))
	}
	if got := Find(next, old); len(got) != 0 {
		t.Errorf("removing %s: %v", gi, lines(got))
	}
	if got := Find(old, tree(t, edited(t, "namespace: open-webui", "namespace: chat"))); len(got) == 0 {
		t.Errorf("a namespace change beside a new %s is not found", gi)
	}
}

// TestFindEnvironmentRenamed: renaming an environment gives its module a
// new folder and a new state, where the identity the old module created
// is created again; so does handing a shared identity's creation to
// another environment's module. Reported, with the old module named. A new
// environment with an identity of its own is no replacement.
func TestFindEnvironmentRenamed(t *testing.T) {
	const tail = ": its plan creates the identity again, which Azure refuses while it exists, and the state of the module terraform/prod still holds it (a destroy there deletes it: a new client ID and principal ID); keep it where it is, or move the objects' state into that module first (terraform state mv between the two states, or terraform import there and terraform state rm in terraform/prod)"
	renamed := edited(t, "    - name: prod\n", "    - name: production\n")
	got := lines(Find(tree(t, base), tree(t, renamed)))
	want := []string{`environment "prod": identity "id-a" moves to the module of environment "production" (terraform/production), a new one with its own state (terraform/production/main.tf)` + tail}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("renamed (-want +got):\n%s", d)
	}
	other := edited(t, "    - name: prod\n", "    - name: production\n", "name: id-a", "name: id-b")
	if got := lines(Find(tree(t, base), tree(t, other))); len(got) != 0 {
		t.Errorf("another environment with its own identity: %q", got)
	}

	// The shared identity id-nonprod, created by dev's module, is created
	// by staging's from now on.
	shared := sharedDoc(t, "rg-app", "aks-dev")
	handed := strings.NewReplacer(
		"identity: {name: id-nonprod, resourceGroup: rg-app, existing: true, clientId: 33333333-3333-3333-3333-333333333333}", "identity: {name: id-nonprod, resourceGroup: rg-app, clientId: 33333333-3333-3333-3333-333333333333}",
		"identity: {name: id-nonprod, clientId: 33333333-3333-3333-3333-333333333333}", "roles: []\n      identity: {name: id-nonprod, existing: true, clientId: 33333333-3333-3333-3333-333333333333}",
		"    - name: staging\n      roles: []\n", "    - name: staging\n",
	).Replace(shared)
	if handed == shared {
		t.Fatal("the hand-over edit changed nothing")
	}
	var moved []string
	for _, l := range lines(Find(tree(t, shared), tree(t, handed))) {
		if strings.Contains(l, `identity "id-nonprod" moves to the module of environment "staging" (terraform/staging), whose state does not hold it (terraform/staging/main.tf): its plan creates the identity again`) {
			moved = append(moved, l)
		}
	}
	if len(moved) != 1 {
		t.Errorf("hand-over: %q, want the identity's move to staging's module reported once", lines(Find(tree(t, shared), tree(t, handed))))
	}
}
