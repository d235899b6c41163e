package schema

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Adoption with several Azure OpenAI accounts: the default role is one
// role assignment per account, so the role alone does not say which
// assignment an ID or an address is. A key of roleAssignmentIds and
// addresses.roleAssignments is then the assignment's resource name in
// main.tf (RoleLabels: the role and the account), which is unambiguous; the
// role stays a key wherever it is on one scope.

// twoAccountsAdoptDoc is adoptDoc with validDoc's account and a second one
// (acctB, in another subscription), and adopt.
func twoAccountsAdoptDoc(t *testing.T, adopt string) string {
	t.Helper()
	return adoptDoc(t, adopt, "  azureOpenAI:\n    accountId: "+acctA+"\n    endpoint: https://aoai.openai.azure.com\n    deployments: [gpt-4o]\n",
		"  azureOpenAI:\n    - accountId: "+acctA+"\n      endpoint: https://aoai.openai.azure.com\n      deployments: [gpt-4o]\n"+
			"    - accountId: "+acctB+"\n      endpoint: https://aoai-se.openai.azure.com\n      deployments: [o3-mini]\n")
}

const (
	labelA = "cognitive_services_openai_user_aoai"
	labelB = "cognitive_services_openai_user_aoai_se"
	raA    = acctA + "/providers/Microsoft.Authorization/roleAssignments/77777777-7777-7777-7777-777777777777"
	raB    = acctB + "/providers/Microsoft.Authorization/roleAssignments/88888888-8888-8888-8888-888888888888"
)

// roleBlocks are the adoption blocks of s's first environment that name a
// role assignment, as "kind from -> to (id)".
func roleBlocks(s *Spec) []string {
	var out []string
	for _, b := range s.Spec.Environments[0].Adoption {
		if strings.Contains(b.From+b.To, TypeRoleAssignment) {
			out = append(out, b.Kind.String()+" "+b.From+" -> "+b.To+" ("+b.ID+") "+b.Object)
		}
	}
	return out
}

func TestAdoptSeveralAccounts(t *testing.T) {
	if got := mustLoad(t, twoAccountsAdoptDoc(t, "")).Spec.Environments[0].RoleLabels(); !cmp.Equal(got, []string{labelA, labelB}) {
		t.Fatalf("role labels %q, want %q", got, []string{labelA, labelB})
	}
	for _, tc := range []struct {
		name, adopt string
		want        []string
	}{
		{"import by resource name", "      adopt:\n        import: true\n        roleAssignmentIds:\n          " + labelA + ": " + raA + "\n          " + labelB + ": " + raB + "\n",
			[]string{
				"import  -> azurerm_role_assignment." + labelA + " (" + raA + ") role assignment Cognitive Services OpenAI User on " + acctA,
				"import  -> azurerm_role_assignment." + labelB + " (" + raB + ") role assignment Cognitive Services OpenAI User on " + acctB,
			}},
		{"moved by resource name", "      adopt:\n        addresses:\n          roleAssignments:\n            " + labelB + ": azurerm_role_assignment.sweden\n",
			[]string{"moved azurerm_role_assignment.sweden -> azurerm_role_assignment." + labelB + " () role assignment Cognitive Services OpenAI User on " + acctB}},
		{"the tutorial's assignment named for one account", "      adopt:\n        from: tutorial\n        addresses:\n          roleAssignments:\n            " + labelA + ": azurerm_role_assignment.workload_identity_azure_openai\n",
			[]string{"moved azurerm_role_assignment.workload_identity_azure_openai -> azurerm_role_assignment." + labelA + " () role assignment Cognitive Services OpenAI User on " + acctA}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, roleBlocks(mustLoad(t, twoAccountsAdoptDoc(t, tc.adopt)))); diff != "" {
				t.Errorf("role assignment blocks (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAdoptSeveralAccountsErrors(t *testing.T) {
	listCmd := func(scope string) string {
		return `az role assignment list --assignee "$(az identity show --name id-app --resource-group rg-app --subscription 11111111-1111-1111-1111-111111111111 --query principalId --output tsv)" --role 'Cognitive Services OpenAI User' --scope ` + scope + ` --query '[].id' --output tsv`
	}
	for _, tc := range []struct {
		name, adopt string
		want        []string
	}{
		{"an ID by role", "      adopt:\n        import: true\n        roleAssignmentIds:\n          Cognitive Services OpenAI User: " + raA + "\n",
			[]string{
				`wigen.yaml:34:43: spec.environments[0].adopt.roleAssignmentIds["Cognitive Services OpenAI User"]: "Cognitive Services OpenAI User" is assigned on 2 scopes here, so the role does not say which assignment the ID is; key each by its resource name in main.tf instead: "` + labelA + `": the ID ` + "`" + listCmd(acctA) + "`" + ` prints; "` + labelB + `": the ID ` + "`" + listCmd(acctB) + "`" + ` prints`,
			}},
		{"a resource name that is not one", "      adopt:\n        import: true\n        roleAssignmentIds:\n          " + labelA + ": " + raA + "\n          " + labelB + ": " + raB + "\n          cognitive_services_openai_user_aoai_x: " + raB + "\n",
			[]string{`wigen.yaml:36:50: spec.environments[0].adopt.roleAssignmentIds.cognitive_services_openai_user_aoai_x: "cognitive_services_openai_user_aoai_x" is neither a role this environment assigns nor the resource name of one of its role assignments; give an ID per role or resource name: "` + labelA + `" ("Cognitive Services OpenAI User" on ` + acctA + `), "` + labelB + `" ("Cognitive Services OpenAI User" on ` + acctB + `)`}},
		{"an address by role", "      adopt:\n        addresses:\n          roleAssignments:\n            Cognitive Services OpenAI User: azurerm_role_assignment.openai\n",
			[]string{`wigen.yaml:34:45: spec.environments[0].adopt.addresses.roleAssignments["Cognitive Services OpenAI User"]: "Cognitive Services OpenAI User" is assigned on 2 scopes here (` + acctA + `, ` + acctB + `), so the role does not say which assignment the address holds; key each by its resource name in main.tf instead: "` + labelA + `" (on ` + acctA + `), "` + labelB + `" (on ` + acctB + `)`}},
		{"the tutorial's assignment on an unnamed account", "      adopt:\n        from: tutorial\n",
			[]string{`wigen.yaml:32:15: spec.environments[0].adopt.from: environment "prod" assigns "Cognitive Services OpenAI User" on 2 scopes (` + acctA + `, ` + acctB + `), and the tutorial's role assignment is on one of them; say which: set adopt.addresses.roleAssignments.<resource name>: azurerm_role_assignment.workload_identity_azure_openai for it, the resource name one of "` + labelA + `" (on ` + acctA + `), "` + labelB + `" (on ` + acctB + `)`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := twoAccountsAdoptDoc(t, tc.adopt)
			if diff := cmp.Diff(tc.want, adoptDiagnostics(t, doc)); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s\ninput:\n%s", diff, numbered(doc))
			}
		})
	}
}
