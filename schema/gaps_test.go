package schema

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// twoEnvs is validDoc with a second environment, dev, on the same
// identity rules (its own identity), for rules across environments.
func twoEnvs(t *testing.T, dev string) string {
	t.Helper()
	return devOn(t, "      subscriptionId: 11111111-1111-1111-1111-111111111111\n      identity: {name: id-dev}\n"+dev)
}

// devOn is validDoc with a second environment, dev, before prod, the rest
// of it (identity, cluster, namespace) written out by the caller.
func devOn(t *testing.T, dev string) string {
	t.Helper()
	return edit(t, "  environments:\n", "  environments:\n    - name: dev\n      location: westeurope\n      resourceGroup: rg-app\n      serviceAccount: open-webui\n"+dev)
}

// The validation gaps of issue 12 item 7, each a rule with its source (in
// the code that checks it).
func TestValidationGaps(t *testing.T) {
	const acct = "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/aoai"
	fed := func(name string) string {
		return "          fromCluster: true\n      additionalFederations:\n        - name: " + name + "\n          issuer: {url: \"https://issuer.example.com/x\"}\n"
	}
	tests := []diagnosticCase{
		// Federated identity credential names are Azure resource names:
		// case-insensitive.
		{"credential names differing in case", edit(t, "          fromCluster: true\n", fed("Batch")+"        - name: batch\n          issuer: {url: \"https://issuer.example.com/y\"}\n"),
			[]string{`spec.environments[0].additionalFederations[1].name: derives federated identity credential name "batch-open-webui-open-webui", which spec.environments[0].additionalFederations[0].name already has, in another case ("Batch-open-webui-open-webui"; Azure resource names ignore case), on identity "id-app"`}},
		// The cluster, not the form of its issuer.
		{"one namespace of one cluster, issuer as fromCluster and as url", twoEnvs(t, "      namespace: open-webui\n      cluster: {name: aks-prod, issuer: {url: \"https://westeurope.oic.prod-aks.azure.com/22222222-2222-2222-2222-222222222222/44444444-4444-4444-4444-444444444444/\"}}\n"),
			[]string{`spec.environments[1].namespace: environment "prod": environment "dev" already deploys release "open-webui" into namespace "open-webui" of this cluster ("aks-prod")`}},
		{"same cluster name, other resource groups", twoEnvs(t, "      namespace: open-webui\n      cluster: {name: aks-prod, resourceGroup: rg-other, issuer: {fromCluster: true}}\n"), nil},
		{"same cluster name, two different issuer URLs", strings.Replace(twoEnvs(t, "      namespace: open-webui\n      cluster: {name: aks-prod, issuer: {url: \"https://issuer.example.com/a\"}}\n"), "          fromCluster: true\n", "          url: https://issuer.example.com/b\n", 1), nil},
		// Role definitions.
		{"nil GUID role", edit(t, "    deployments: [gpt-4o]\n", "    deployments: [gpt-4o]\n  roles: [{role: 00000000-0000-0000-0000-000000000000}]\n"),
			[]string{`spec.roles[0].role: "00000000-0000-0000-0000-000000000000" is the nil GUID, a placeholder, not a role definition`}},
		{"nil GUID role definition ID", edit(t, "    deployments: [gpt-4o]\n", "    deployments: [gpt-4o]\n  roles: [{role: /providers/Microsoft.Authorization/roleDefinitions/00000000-0000-0000-0000-000000000000}]\n"),
			[]string{`is the nil GUID, a placeholder, not a role definition`}},
		// Resource IDs.
		{"quote in a scope's resource group", edit(t, "    deployments: [gpt-4o]\n", "    deployments: [gpt-4o]\n  roles: [{role: Cognitive Services OpenAI User}, {role: Reader, scope: '/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg\"x'}]\n"),
			[]string{`spec.roles[1].scope: "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg\"x" names resource group "rg\"x", which is not a valid resource group name`}},
		{"quote in a scope's resource name", edit(t, "    deployments: [gpt-4o]\n", "    deployments: [gpt-4o]\n  roles: [{role: Cognitive Services OpenAI User}, {role: Reader, scope: '"+acct+"x\"y'}]\n"),
			[]string{`holds "\"", which no Azure resource ID does`}},
		// Chart repository.
		{"http chart repository", edit(t, "  chart:\n", "  chart:\n    repository: http://helm.example.com/\n"),
			[]string{`spec.chart.repository: "http://helm.example.com/" is plain http`}},
		{"credentials in the chart repository", edit(t, "  chart:\n", "  chart:\n    repository: https://u:p@helm.example.com/\n"),
			[]string{`spec.chart.repository: "https://u:p@helm.example.com/" holds credentials`}},
		// NUL in the kubeconfig.
		{"NUL in kubeconfig path", edit(t, "          fromCluster: true\n", "          fromCluster: true\n        kubeconfig: {path: \"~/.kube/con\\0fig\"}\n"),
			[]string{`spec.environments[0].cluster.kubeconfig.path: must be plain text: "~/.kube/con\x00fig" holds the control character "\x00"`}},
		{"NUL in kubeconfig context", edit(t, "          fromCluster: true\n", "          fromCluster: true\n        kubeconfig: {context: \"aks\\0\"}\n"),
			[]string{`spec.environments[0].cluster.kubeconfig.context: must be plain text: "aks\x00" holds the control character "\x00"`}},
		// Numbers out of range.
		{"1e400 in chart.values", edit(t, "    imageTag: v0.6.33\n", "    imageTag: v0.6.33\n    values:\n      resources: {big: 1e400}\n"),
			[]string{`spec.chart.values.resources.big: 1e400 is a number out of the range of 64-bit numbers`}},
		{"-1e400 in backend config", edit(t, "spec:\n", "spec:\n  terraform:\n    backend: {type: cos, config: {x: -1e400}}\n"),
			[]string{`spec.terraform.backend.config.x: -1e400 is a number out of the range`}},
		{"1e400 quoted is text", edit(t, "    imageTag: v0.6.33\n", "    imageTag: v0.6.33\n    values:\n      note: \"1e400\"\n"), nil},
		// Paths.
		{"output folder name longer than file systems allow", edit(t, "spec:\n", "spec:\n  output: deploy/"+strings.Repeat("x", 256)+"\n"),
			[]string{`spec.output: has a folder name of 256 bytes; file systems allow at most 255`}},
		{"output folder name of 255 is fine", edit(t, "spec:\n", "spec:\n  output: "+strings.Repeat("x", 255)+"\n"), nil},
		{"output too long", edit(t, "spec:\n", "spec:\n  output: "+strings.Repeat("abcdefgh/", 120)+"x\n"),
			[]string{`spec.output: is 1081 bytes long; at most 1024`}},
		{"Windows device name in the output", edit(t, "spec:\n", "spec:\n  output: deploy/aux\n"),
			[]string{`spec.output: "deploy/aux": the folder name "aux" is a device name on Windows (AUX)`}},
		{"Windows device name with an extension", edit(t, "spec:\n", "spec:\n  output: Con.d\n"),
			[]string{`the folder name "Con.d" is a device name on Windows (CON)`}},
		{"output folder ending in a dot", edit(t, "spec:\n", "spec:\n  output: deploy./x\n"),
			[]string{`the folder name "deploy." ends in '.' or a space`}},
		{"environment named con", edit(t, "- name: prod", "- name: con"),
			[]string{`spec.environments[0].name: "con" names output folders, and is a device name on Windows (CON)`}},
		{"environment named com1", edit(t, "- name: prod", "- name: com1"),
			[]string{`is a device name on Windows (COM1)`}},
		{"environment named nul", edit(t, "- name: prod", "- name: nul"),
			[]string{`is a device name on Windows (NUL)`}},
		{"environment named console is fine", edit(t, "- name: prod", "- name: console"), nil},
		// Numbers where the schema says string.
		{"unquoted number as environment name", edit(t, "- name: prod", "- name: 123"),
			[]string{`spec.environments[0].name: must be a string, not the number 123; quote it: "123"`}},
		{"unquoted float as namespace", edit(t, "namespace: open-webui", "namespace: 1.5"),
			[]string{`spec.environments[0].namespace: must be a string, not the number 1.5; quote it: "1.5"`}},
		{"quoted number as environment name is fine", edit(t, "- name: prod", "- name: \"123\""), nil},
	}
	checkDiagnostics(t, tests)
}

// diagnosticCase is an input and parts of its diagnostics, one per
// diagnostic, in order; want nil for a valid input.
type diagnosticCase struct {
	name string
	doc  string
	want []string
}

// checkDiagnostics loads each case's input and compares its diagnostics.
func checkDiagnostics(t *testing.T, tests []diagnosticCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := diagnostics(t, tt.doc)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d diagnostics, want %d:\n%s", len(got), len(tt.want), cmp.Diff(tt.want, got))
			}
			for i, w := range tt.want {
				if !strings.Contains(got[i], w) {
					t.Errorf("diagnostic %d:\n got %s\nwant a part %s", i, got[i], w)
				}
			}
		})
	}
}
