package schema

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// adoptDoc is validDoc with the tutorial's credential name, for adopt cases.
func adoptDoc(t *testing.T, adopt string, pairs ...string) string {
	t.Helper()
	pairs = append([]string{
		"        name: aks-prod\n", "        name: aks-prod\n        federatedCredentialName: federated-identity\n",
		"          fromCluster: true\n", "          fromCluster: true\n" + adopt,
	}, pairs...)
	return edit(t, pairs...)
}

func mustLoad(t *testing.T, doc string) *Spec {
	t.Helper()
	s, err := LoadBytes("wigen.yaml", []byte(doc))
	if err != nil {
		t.Fatalf("Load:\n%v", err)
	}
	return s
}

// inEnv sets Env, the environment whose adopt asks for a block, on blocks.
func inEnv(env string, blocks []AdoptBlock) []AdoptBlock {
	for i := range blocks {
		blocks[i].Env = env
	}
	return blocks
}

const accountScope = "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/aoai"

func TestAdoptTutorial(t *testing.T) {
	s := mustLoad(t, adoptDoc(t, "      adopt:\n        from: tutorial\n"))
	e := s.Spec.Environments[0]
	want := []AdoptBlock{
		{Kind: Removed, From: "kubernetes_namespace.this", Object: "namespace open-webui"},
		{Kind: Import, To: "kubernetes_namespace_v1.this", ID: "open-webui", Object: "namespace open-webui"},
		{Kind: Moved, From: "azurerm_user_assigned_identity.uai", To: "azurerm_user_assigned_identity.this", Object: "identity id-app"},
		{Kind: Moved, From: "azurerm_federated_identity_credential.federated_identity", To: "azurerm_federated_identity_credential.aks_prod", Object: "federated identity credential federated-identity"},
		{Kind: Moved, From: "azurerm_role_assignment.workload_identity_azure_openai", To: "azurerm_role_assignment.cognitive_services_openai_user_aoai", Object: "role assignment Cognitive Services OpenAI User"},
		{Kind: Moved, From: "helm_release.openwebui", To: "helm_release.this", Object: "release open-webui"},
	}
	if d := cmp.Diff(inEnv("prod", want), e.Adoption); d != "" {
		t.Errorf("adoption (-want +got):\n%s", d)
	}
	if e.RequiredVersion != ">= 1.7.0" {
		t.Errorf("RequiredVersion = %q, want the default raised to >= 1.7.0 for the removed block", e.RequiredVersion)
	}
	if len(s.Warnings) != 1 || !strings.Contains(s.Warnings[0].String(), "adopts the installed release") {
		t.Errorf("warnings: %v, want the adopted release's only (TestAdoptedReleaseValues)", s.Warnings)
	}
	if got := e.FederatedCredentials()[0]; got.Name != "federated-identity" || !got.Named {
		t.Errorf("credential = %+v, want the name given", got)
	}
}

func TestAdoptTutorialVariants(t *testing.T) {
	for _, tc := range []struct {
		name  string
		doc   string
		want  []AdoptBlock
		warns []string
	}{
		{
			name: "namespace not created, identity existing, addresses written win",
			doc: adoptDoc(t, "      adopt:\n        from: tutorial\n        addresses:\n          release: module.app.helm_release.main\n",
				"      identity:\n", "      createNamespace: false\n      identity:\n",
				"        name: id-app\n", "        name: id-app\n        existing: true\n"),
			want: []AdoptBlock{
				{Kind: Removed, From: "kubernetes_namespace.this", Object: "namespace open-webui (createNamespace: false: kept, no longer in this state)"},
				{Kind: Removed, From: "azurerm_user_assigned_identity.uai", Object: "identity id-app (identity.existing: kept, no longer in this state)"},
				{Kind: Moved, From: "azurerm_federated_identity_credential.federated_identity", To: "azurerm_federated_identity_credential.aks_prod", Object: "federated identity credential federated-identity"},
				{Kind: Moved, From: "azurerm_role_assignment.workload_identity_azure_openai", To: "azurerm_role_assignment.cognitive_services_openai_user_aoai", Object: "role assignment Cognitive Services OpenAI User"},
				{Kind: Moved, From: "module.app.helm_release.main", To: "helm_release.this", Object: "release open-webui"},
			},
		},
		{
			name: "no role here: the tutorial's assignment is kept and forgotten",
			doc:  adoptDoc(t, "      adopt:\n        from: tutorial\n      roles: []\n"),
			want: []AdoptBlock{
				{Kind: Removed, From: "kubernetes_namespace.this", Object: "namespace open-webui"},
				{Kind: Import, To: "kubernetes_namespace_v1.this", ID: "open-webui", Object: "namespace open-webui"},
				{Kind: Moved, From: "azurerm_user_assigned_identity.uai", To: "azurerm_user_assigned_identity.this", Object: "identity id-app"},
				{Kind: Moved, From: "azurerm_federated_identity_credential.federated_identity", To: "azurerm_federated_identity_credential.aks_prod", Object: "federated identity credential federated-identity"},
				{Kind: Removed, From: "azurerm_role_assignment.workload_identity_azure_openai", Object: "role assignment Cognitive Services OpenAI User (not assigned here: kept, no longer in this state)"},
				{Kind: Moved, From: "helm_release.openwebui", To: "helm_release.this", Object: "release open-webui"},
			},
			warns: []string{
				`wigen.yaml:29:15: warning: spec.environments[0].adopt.from: environment "prod" assigns no "Cognitive Services OpenAI User", so the tutorial's role assignment leaves this state and stays in Azure, managed by nothing wigen renders; assign the role here (roles) to keep managing it`,
				`wigen.yaml:30:14: warning: spec.environments[0].roles: lists no role: the identity can authenticate but is allowed nothing; leave roles out for "Cognitive Services OpenAI User" on the Azure OpenAI account`,
			},
		},
		{
			name: "addresses already wigen's need no block; kubernetes_namespace_v1 moves",
			doc:  adoptDoc(t, "      adopt:\n        addresses:\n          namespace: kubernetes_namespace_v1.ns\n          identity: azurerm_user_assigned_identity.this\n          roleAssignments:\n            "+RoleOpenAIUserID+": azurerm_role_assignment.openai\n"),
			want: []AdoptBlock{
				{Kind: Moved, From: "kubernetes_namespace_v1.ns", To: "kubernetes_namespace_v1.this", Object: "namespace open-webui"},
				{Kind: Moved, From: "azurerm_role_assignment.openai", To: "azurerm_role_assignment.cognitive_services_openai_user_aoai", Object: "role assignment Cognitive Services OpenAI User"},
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := mustLoad(t, tc.doc)
			if d := cmp.Diff(inEnv("prod", tc.want), s.Spec.Environments[0].Adoption); d != "" {
				t.Errorf("adoption (-want +got):\n%s", d)
			}
			if d := cmp.Diff(tc.warns, adoptDiagnostics(t, tc.doc)); d != "" {
				t.Errorf("warnings (-want +got):\n%s", d)
			}
		})
	}
}

func TestAdoptImport(t *testing.T) {
	const ra = accountScope + "/providers/Microsoft.Authorization/roleAssignments/77777777-7777-7777-7777-777777777777"
	s := mustLoad(t, adoptDoc(t, "      adopt:\n        import: true\n        roleAssignmentIds:\n          Cognitive Services OpenAI User: "+ra+"\n"))
	e := s.Spec.Environments[0]
	idID := "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-app/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-app"
	want := []AdoptBlock{
		{Kind: Import, To: "kubernetes_namespace_v1.this", ID: "open-webui", Object: "namespace open-webui"},
		{Kind: Import, To: "azurerm_user_assigned_identity.this", ID: idID, Object: "identity id-app"},
		{Kind: Import, To: "azurerm_federated_identity_credential.aks_prod", ID: idID + "/federatedIdentityCredentials/federated-identity", Object: "federated identity credential federated-identity"},
		{Kind: Import, To: "azurerm_role_assignment.cognitive_services_openai_user_aoai", ID: ra, Object: "role assignment Cognitive Services OpenAI User"},
		{Kind: Import, To: "helm_release.this", ID: "open-webui/open-webui", Object: "release open-webui"},
	}
	if d := cmp.Diff(inEnv("prod", want), e.Adoption); d != "" {
		t.Errorf("adoption (-want +got):\n%s", d)
	}
	if e.RequiredVersion != DefaultRequiredVersion {
		t.Errorf("RequiredVersion = %q; import blocks need 1.5, the default", e.RequiredVersion)
	}
}

func TestAdoptErrors(t *testing.T) {
	const ra = "/providers/Microsoft.Authorization/roleAssignments/77777777-7777-7777-7777-777777777777"
	listCmd := `az role assignment list --assignee "$(az identity show --name id-app --resource-group rg-app --subscription 11111111-1111-1111-1111-111111111111 --query principalId --output tsv)" --role 'Cognitive Services OpenAI User' --scope ` + accountScope + ` --query '[].id' --output tsv`
	for _, tc := range []struct {
		name string
		doc  string
		want []string
	}{
		{"tutorial needs the credential's name", edit(t, "          fromCluster: true\n", "          fromCluster: true\n      adopt:\n        from: tutorial\n"),
			[]string{`wigen.yaml:28:15: spec.environments[0].adopt.from: environment "prod" adopts the tutorial's federated identity credential, which the tutorial names "federated-identity", while wigen would name it "aks-prod-open-webui-open-webui": a credential's name cannot change (Terraform would delete it and create it again, and token exchange fails in between); set spec.environments[0].cluster.federatedCredentialName: federated-identity (or the name yours has)`}},
		{"tutorial with another release name", adoptDoc(t, "      adopt:\n        from: tutorial\n", "name: open-webui\nspec", "name: chat\nspec"),
			[]string{`wigen.yaml:4:9: warning: metadata.name: environment "prod" adopts the tutorial's helm_release, whose release is named "open-webui", but the release here is "chat": a release's name cannot change, so Terraform would uninstall it and install it again (the chart's PVC, and the chat database in it, go with it unless kept); set metadata.name: open-webui unless your release was renamed`}},
		{"nothing to adopt", adoptDoc(t, "      adopt: {}\n"),
			[]string{`wigen.yaml:28:14: spec.environments[0].adopt: names nothing to adopt: set from: tutorial or addresses (the module's backend then points at the existing state), or import: true (a new state, the objects exist)`}},
		{"import and from", adoptDoc(t, "      adopt:\n        from: tutorial\n        import: true\n"),
			[]string{`wigen.yaml:30:17: spec.environments[0].adopt.import: import takes the objects into a new state, while from and addresses move them inside an existing one; use one of the two`}},
		{"unknown preset", adoptDoc(t, "      adopt:\n        from: tutorials\n"),
			[]string{`wigen.yaml:29:15: spec.environments[0].adopt.from: "tutorials" is not allowed; did you mean "tutorial"? (allowed: tutorial)`}},
		{"without terraform", adoptDoc(t, "      adopt:\n        from: tutorial\n", "spec:\n", "spec:\n  targets: [helm]\n"),
			[]string{`wigen.yaml:30:9: spec.environments[0].adopt: adopt writes moved, removed and import blocks into the Terraform module, and the environment's targets do not render terraform; add it or remove adopt`}},
		{"requiredVersion too old for removed", adoptDoc(t, "      adopt:\n        from: tutorial\n", "spec:\n", "spec:\n  terraform:\n    requiredVersion: \">= 1.5.0\"\n"),
			[]string{`wigen.yaml:7:22: spec.terraform.requiredVersion: ">= 1.5.0" admits Terraform versions before 1.7.0, which cannot read the removed blocks that environment "prod"'s adopt writes (a moved block cannot change a resource's type, so kubernetes_namespace leaves the state with removed and comes back as kubernetes_namespace_v1 with import; an object wigen no longer manages leaves it with removed); use ">= 1.7.0"`}},
		{"requiredVersion too old for import", adoptDoc(t, "      adopt:\n        import: true\n      roles: []\n", "spec:\n", "spec:\n  terraform:\n    requiredVersion: \"~> 1.4\"\n"),
			[]string{
				`wigen.yaml:7:22: spec.terraform.requiredVersion: "~> 1.4" admits Terraform versions before 1.5.0, which cannot read the import blocks that environment "prod"'s adopt writes; use ">= 1.5.0"`,
				`wigen.yaml:32:14: warning: spec.environments[0].roles: lists no role: the identity can authenticate but is allowed nothing; leave roles out for "Cognitive Services OpenAI User" on the Azure OpenAI account`,
			}},
		{"requiredVersion new enough", adoptDoc(t, "      adopt:\n        from: tutorial\n", "spec:\n", "spec:\n  terraform:\n    requiredVersion: \"~> 1.9\"\n"), nil},
		{"addresses", adoptDoc(t, "      adopt:\n        addresses:\n          namespace: data.kubernetes_namespace.this\n          identity: azurerm_user_assigned_identity.uai[0]\n          release: helm\n          federatedCredentials:\n            aks-prod: azurerm_role_assignment.x\n          roleAssignments:\n            Cognitive Services OpenAI User: azurerm_role_assignment.cognitive_services_openai_user\n"),
			[]string{
				`wigen.yaml:30:22: spec.environments[0].adopt.addresses.namespace: "data.kubernetes_namespace.this" is a data source, which holds no object to adopt; give the address of a resource (kubernetes_namespace_v1.NAME)`,
				`wigen.yaml:31:21: spec.environments[0].adopt.addresses.identity: "azurerm_user_assigned_identity.uai[0]" names one instance of a resource (count or for_each); wigen adopts whole resources: move the instance to an address without a key first (terraform state mv)`,
				`wigen.yaml:32:20: spec.environments[0].adopt.addresses.release: "helm" is not a Terraform resource address: TYPE.NAME, optionally after module.NAME., e.g. helm_release.example`,
				`wigen.yaml:34:23: spec.environments[0].adopt.addresses.federatedCredentials.aks-prod: "azurerm_role_assignment.x" is a azurerm_role_assignment; this object is a azurerm_federated_identity_credential`,
			}},
		{"wrong type in defaults, unknown federation, one role twice", adoptDoc(t, "      adopt:\n        addresses:\n          identity: azurerm_user_assigned_identity.x\n          roleAssignments:\n            Cognitive Services OpenAI User: azurerm_role_assignment.a\n            "+RoleOpenAIUserID+": azurerm_role_assignment.b\n          federatedCredentials:\n            nope: azurerm_federated_identity_credential.x\n",
			"  environments:\n", "  defaults:\n    adopt:\n      addresses:\n        namespace: azurerm_user_assigned_identity.x\n  environments:\n"),
			[]string{
				`wigen.yaml:16:20: spec.defaults.adopt.addresses.namespace: "azurerm_user_assigned_identity.x" is a azurerm_user_assigned_identity; this object is a kubernetes_namespace_v1 or a kubernetes_namespace`,
				`wigen.yaml:36:45: spec.environments[0].adopt.addresses.roleAssignments["Cognitive Services OpenAI User"]: assigns the same role as another key of roleAssignments (a role given by name and by ID is one role); keep one`,
				`wigen.yaml:39:19: spec.environments[0].adopt.addresses.federatedCredentials.nope: "nope" is neither the cluster's name nor an additional federation's; federated identity credentials are adopted by those: "aks-prod"`,
			}},
		{"another object's address", adoptDoc(t, "      additionalFederations:\n        - name: blue\n          namespace: jobs\n          issuer:\n            fromCluster: true\n      adopt:\n        addresses:\n          federatedCredentials:\n            aks-prod: azurerm_federated_identity_credential.blue\n            blue: azurerm_federated_identity_credential.blue\n"),
			[]string{
				`wigen.yaml:36:23: spec.environments[0].adopt.addresses.federatedCredentials.aks-prod: "azurerm_federated_identity_credential.blue" is where this module renders another object; give the address the existing state holds this one under`,
			}},
		{"one address for two objects", adoptDoc(t, "      additionalFederations:\n        - name: blue\n          namespace: jobs\n          issuer:\n            fromCluster: true\n      adopt:\n        addresses:\n          federatedCredentials:\n            aks-prod: azurerm_federated_identity_credential.x\n            blue: azurerm_federated_identity_credential.x\n"),
			[]string{`wigen.yaml:37:19: spec.environments[0].adopt.addresses.federatedCredentials.blue: "azurerm_federated_identity_credential.x" is already given in spec.environments[0].adopt.addresses.federatedCredentials.aks-prod; one object is at one address`}},
		{"import without role assignment IDs", adoptDoc(t, "      adopt:\n        import: true\n"),
			[]string{`wigen.yaml:29:17: spec.environments[0].adopt.import: needs the ID of the existing "Cognitive Services OpenAI User" role assignment on "` + accountScope + `": a role assignment's ID holds a GUID Azure chose, which wigen cannot derive; add roleAssignmentIds: {"Cognitive Services OpenAI User": <ID>}, the ID ` + "`" + listCmd + "`" + ` prints`}},
		{"role assignment IDs wrong", adoptDoc(t, "      adopt:\n        import: true\n        roleAssignmentIds:\n          Cognitive Services OpenAI User: /subscriptions/11111111-1111-1111-1111-111111111111"+ra+"\n          Reader: x\n"),
			[]string{
				`wigen.yaml:31:43: spec.environments[0].adopt.roleAssignmentIds["Cognitive Services OpenAI User"]: "/subscriptions/11111111-1111-1111-1111-111111111111` + ra + `" is a role assignment on "/subscriptions/11111111-1111-1111-1111-111111111111", but roles assigns "Cognitive Services OpenAI User" on "` + accountScope + `"; give the ID of the assignment on that scope, as ` + "`" + listCmd + "`" + ` prints it`,
				`wigen.yaml:32:19: spec.environments[0].adopt.roleAssignmentIds.Reader: "Reader" is neither a role this environment assigns nor the resource name of one of its role assignments; give an ID per role or resource name: "Cognitive Services OpenAI User" (on ` + accountScope + `)`,
			}},
		{"role assignment ID not an ID", adoptDoc(t, "      adopt:\n        import: true\n        roleAssignmentIds:\n          Cognitive Services OpenAI User: true\n"),
			[]string{`wigen.yaml:31:43: spec.environments[0].adopt.roleAssignmentIds["Cognitive Services OpenAI User"]: must be a string, not the boolean true; quote it if you mean the text`}},
		{"role assignment IDs without import", adoptDoc(t, "      adopt:\n        from: tutorial\n        roleAssignmentIds:\n          Reader: "+accountScope+ra+"\n"),
			[]string{`wigen.yaml:31:11: spec.environments[0].adopt.roleAssignmentIds: is only for import: true: with from and addresses the role assignments are in the existing state already`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if d := cmp.Diff(tc.want, adoptDiagnostics(t, tc.doc)); d != "" {
				t.Errorf("diagnostics (-want +got):\n%s", d)
			}
		})
	}
}

func TestCredentialNamesGiven(t *testing.T) {
	for _, tc := range []struct {
		name string
		doc  string
		want []string
	}{
		{"cluster's name is used", edit(t, "        name: aks-prod\n", "        name: aks-prod\n        federatedCredentialName: fic_1\n"), nil},
		{"invalid name", edit(t, "        name: aks-prod\n", "        name: aks-prod\n        federatedCredentialName: -x\n"),
			[]string{`wigen.yaml:24:34: spec.environments[0].cluster.federatedCredentialName: "-x" is not a valid federated identity credential name: 3 to 120 characters, letters, digits, '_' and '-', starting with a letter or digit`}},
		{"one name twice on one identity", edit(t, "        name: aks-prod\n", "        name: aks-prod\n        federatedCredentialName: fic\n",
			"          fromCluster: true\n", "          fromCluster: true\n      additionalFederations:\n        - name: blue\n          credentialName: fic\n          namespace: jobs\n          issuer:\n            fromCluster: true\n"),
			[]string{`wigen.yaml:30:27: spec.environments[0].additionalFederations[0].credentialName: names federated identity credential "fic", which spec.environments[0].cluster.federatedCredentialName already has on identity "id-app"; credential names are unique per identity: give another name`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if d := cmp.Diff(tc.want, adoptDiagnostics(t, tc.doc)); d != "" {
				t.Errorf("diagnostics (-want +got):\n%s", d)
			}
		})
	}
	s := mustLoad(t, edit(t, "        name: aks-prod\n", "        name: aks-prod\n        federatedCredentialName: fic_1\n"))
	if got := s.Spec.Environments[0].FederatedCredentials()[0].Name; got != "fic_1" {
		t.Errorf("credential name = %q, want the one given", got)
	}
}

func TestKeepPersistentVolumeClaim(t *testing.T) {
	for _, tc := range []struct {
		name string
		doc  string
		keep bool
		want []string
	}{
		{"default keeps", validDoc, true, nil},
		{"existing claim: nothing to keep", edit(t, "    imageTag: v0.6.33\n", "    imageTag: v0.6.33\n    values:\n      persistence:\n        existingClaim: open-webui\n"), false, nil},
		{"object storage: no PVC", edit(t, "    imageTag: v0.6.33\n", "    imageTag: v0.6.33\n    values:\n      persistence:\n        provider: s3\n"), false, nil},
		{"opt out", edit(t, "    imageTag: v0.6.33\n", "    imageTag: v0.6.33\n    keepPersistentVolumeClaim: false\n"), false,
			[]string{`wigen.yaml:9:32: warning: spec.chart.keepPersistentVolumeClaim: false: the chart's PVC "open-webui", which holds Open WebUI's database (users, chats, connections made in the UI), is deleted with the release: on helm uninstall, when Terraform replaces the helm_release, and when the release is renamed or moves to another namespace; leave the field out to keep it`}},
		{"old chart", edit(t, "version: 7.2.0", "version: 1.0.0"), false,
			[]string{`wigen.yaml:7:14: warning: spec.chart.version: open-webui chart 1.0.0 does not pass persistence.annotations to its PVC (from 2.0.0 it does), so wigen cannot mark the PVC "open-webui" helm.sh/resource-policy: keep: Open WebUI's database is deleted with the release`}},
		{"the policy is wigen's", edit(t, "    imageTag: v0.6.33\n", "    imageTag: v0.6.33\n    values:\n      persistence:\n        annotations:\n          helm.sh/resource-policy: keep\n"), false,
			[]string{`wigen.yaml:12:36: spec.chart.values.persistence.annotations["helm.sh/resource-policy"]: wigen sets helm.sh/resource-policy: keep on the chart's PVC; remove it (spec.chart.keepPersistentVolumeClaim: false opts out)`}},
		{"Argo CD's Prune and Delete are wigen's", edit(t, "    imageTag: v0.6.33\n", "    imageTag: v0.6.33\n    values:\n      persistence:\n        annotations:\n          argocd.argoproj.io/sync-options: ServerSideApply=true, Prune=true\n"), true,
			[]string{`wigen.yaml:12:44: spec.chart.values.persistence.annotations["argocd.argoproj.io/sync-options"]: "Prune=true": wigen sets Prune=false,Delete=false there for an Argo CD Application, so a sync's prune and the Application's deletion leave the chart's PVC; remove it, other sync options may stay (spec.chart.keepPersistentVolumeClaim: false opts out)`}},
		{"other Argo CD sync options are the user's", edit(t, "    imageTag: v0.6.33\n", "    imageTag: v0.6.33\n    values:\n      persistence:\n        annotations:\n          argocd.argoproj.io/sync-options: ServerSideApply=true\n"), true, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := adoptDiagnostics(t, tc.doc)
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("diagnostics (-want +got):\n%s", d)
			}
			if s, err := LoadBytes("wigen.yaml", []byte(tc.doc)); err == nil && s.KeepsPVC(&s.Spec.Environments[0]) != tc.keep {
				t.Errorf("KeepsPVC = %v, want %v", s.KeepsPVC(&s.Spec.Environments[0]), tc.keep)
			}
		})
	}
}

// TestAdoptInDefaults: adopt in spec.defaults reaches every environment,
// merged key by key with an environment's own.
func TestAdoptInDefaults(t *testing.T) {
	doc := edit(t, "  environments:\n", "  defaults:\n    cluster:\n      federatedCredentialName: federated-identity\n    adopt:\n      from: tutorial\n  environments:\n",
		"          fromCluster: true\n", "          fromCluster: true\n      adopt:\n        addresses:\n          release: helm_release.chat\n")
	s := mustLoad(t, doc)
	var froms []string
	for _, b := range s.Spec.Environments[0].Adoption {
		froms = append(froms, b.From)
	}
	got := strings.Join(froms, " ")
	if !strings.Contains(got, "azurerm_user_assigned_identity.uai") || !strings.Contains(got, "helm_release.chat") {
		t.Errorf("adoption froms = %q, want the preset's with the environment's release", got)
	}
}

// TestJSONSchemaRefusesBadAdopt: the JSON Schema, which editors use,
// catches the structural adopt mistakes Load catches.
func TestJSONSchemaRefusesBadAdopt(t *testing.T) {
	sch := compileJSONSchema(t)
	ok := adoptDoc(t, "      adopt:\n        from: tutorial\n")
	if err := validateWithJSONSchema(t, sch, []byte(ok)); err != nil {
		t.Fatalf("JSON Schema refuses a valid adopt: %v", err)
	}
	for name, doc := range map[string]string{
		"import with from":    adoptDoc(t, "      adopt:\n        from: tutorial\n        import: true\n"),
		"empty adopt":         adoptDoc(t, "      adopt: {}\n"),
		"unknown preset":      adoptDoc(t, "      adopt:\n        from: guide\n"),
		"not an address":      adoptDoc(t, "      adopt:\n        addresses:\n          identity: uai\n"),
		"bad credential name": edit(t, "        name: aks-prod\n", "        name: aks-prod\n        federatedCredentialName: -x\n"),
		"keep is a boolean":   edit(t, "    imageTag: v0.6.33\n", "    imageTag: v0.6.33\n    keepPersistentVolumeClaim: \"no\"\n"),
		"role assignment ID":  adoptDoc(t, "      adopt:\n        import: true\n        roleAssignmentIds:\n          Reader: /subscriptions/x\n"),
	} {
		t.Run(name, func(t *testing.T) {
			if err := validateWithJSONSchema(t, sch, []byte(doc)); err == nil {
				t.Error("JSON Schema accepted it")
			}
			if _, err := LoadBytes("wigen.yaml", []byte(doc)); err == nil {
				t.Error("Load accepted it")
			}
		})
	}
}

// adoptDiagnostics are diagnostics without the warning every adopted
// release gets (warnAdoptedValues, TestAdoptedReleaseValues checks it).
func adoptDiagnostics(t *testing.T, doc string) []string {
	t.Helper()
	var out []string
	for _, d := range diagnostics(t, doc) {
		if !strings.Contains(d, "adopts the installed release") {
			out = append(out, d)
		}
	}
	return out
}

// TestAdoptedReleaseValues: adopting an installed release (from, the
// release's address, import) warns that wigen's values replace the ones
// it was installed with and, while the chart values leave a subchart that
// is on by default unset, that its default is kept (AdoptsRelease; Helm
// would otherwise uninstall it, the Pipelines PVC with it); setting both
// leaves the first part only. An adopt without the release gets none.
func TestAdoptedReleaseValues(t *testing.T) {
	const tutorial = "      adopt:\n        from: tutorial\n"
	const head = `warning: spec.environments[0].adopt.from: environment "prod" adopts the installed release "open-webui": wigen's values replace the values it was installed with (the tutorial's helm.values.yaml; ` + "`helm get values open-webui --namespace open-webui`" + ` prints them), so move the ones to keep into spec.chart.values or this environment's chart.values`
	for _, tc := range []struct {
		name, doc string
		adopts    bool
		want      string // the warning after its position; "" for none
	}{
		{"tutorial", adoptDoc(t, tutorial), true, head + "; ollama.enabled and pipelines.enabled: the chart's default (on) is kept while adopt is set, where wigen's default would turn the subchart off and Helm would uninstall it (the Pipelines PVC with it); set ollama.enabled and pipelines.enabled there before removing adopt (true keeps them, false removes them)"},
		{"tutorial, pipelines set", adoptDoc(t, tutorial, "    imageTag: v0.6.33\n", "    imageTag: v0.6.33\n    values:\n      pipelines: {enabled: true}\n"), true,
			head + "; ollama.enabled: the chart's default (on) is kept while adopt is set, where wigen's default would turn the subchart off and Helm would uninstall it (the Pipelines PVC with it); set ollama.enabled there before removing adopt (true keeps them, false removes them)"},
		{"tutorial, both set", adoptDoc(t, tutorial, "    imageTag: v0.6.33\n", "    imageTag: v0.6.33\n    values:\n      pipelines: {enabled: true}\n      ollama: {enabled: false}\n"), true, head},
		{"addresses without the release", adoptDoc(t, "      adopt:\n        addresses:\n          identity: azurerm_user_assigned_identity.uai\n"), false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := mustLoad(t, tc.doc)
			if got := s.Spec.Environments[0].AdoptsRelease(); got != tc.adopts {
				t.Errorf("AdoptsRelease = %v, want %v", got, tc.adopts)
			}
			var got []string
			for _, d := range diagnostics(t, tc.doc) {
				if strings.Contains(d, "adopts the installed release") {
					_, rest, _ := strings.Cut(d, ": warning: ")
					got = append(got, "warning: "+rest)
				}
			}
			var want []string
			if tc.want != "" {
				want = []string{tc.want}
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("warning (-want +got):\n%s", d)
			}
		})
	}
}
