package schema

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Account IDs of the tests: two accounts in two subscriptions.
const (
	acctA = "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/aoai"
	acctB = "/subscriptions/99999999-9999-9999-9999-999999999999/resourceGroups/rg-ai-se/providers/Microsoft.CognitiveServices/accounts/aoai-se"
)

// twoAccounts replaces validDoc's single account with a list of two;
// second holds extra lines (indented by six spaces) for the second account.
func twoAccounts(t *testing.T, first, second string) string {
	t.Helper()
	return edit(t, "  azureOpenAI:\n    accountId: "+acctA+"\n    endpoint: https://aoai.openai.azure.com\n    deployments: [gpt-4o]\n",
		"  azureOpenAI:\n    - accountId: "+acctA+"\n      endpoint: https://aoai.openai.azure.com\n      deployments: [gpt-4o]\n"+first+
			"    - accountId: "+acctB+"\n      endpoint: https://aoai-se.openai.azure.com\n"+second)
}

func TestAccountsList(t *testing.T) {
	s, err := LoadBytes("wigen.yaml", []byte(twoAccounts(t, "      prefixId: eu\n", "      deployments: [gpt-4o, o3-mini]\n      prefixId: se\n      apiVersion: 2025-04-01-preview\n")))
	if err != nil {
		t.Fatal(err)
	}
	e := s.Spec.Environments[0]
	if len(e.AzureOpenAI) != 2 || e.AzureOpenAI[0].PrefixID != "eu" || e.AzureOpenAI[1].APIVersion != "2025-04-01-preview" || e.AzureOpenAI[0].APIVersion != DefaultAPIVersion {
		t.Fatalf("accounts = %+v", e.AzureOpenAI)
	}
	// The default role: one assignment per account, in account order.
	want := []Role{{Role: RoleOpenAIUser, Scope: acctA}, {Role: RoleOpenAIUser, Scope: acctB}}
	if diff := cmp.Diff(want, e.Roles); diff != "" {
		t.Errorf("roles (-want +got):\n%s", diff)
	}
	if len(s.Warnings) > 0 {
		t.Errorf("warnings: %v", s.Warnings)
	}
}

func TestSingleAccountIsAListOfOne(t *testing.T) {
	s, err := LoadBytes("wigen.yaml", []byte(validDoc))
	if err != nil {
		t.Fatal(err)
	}
	if a := s.Spec.Environments[0].AzureOpenAI; len(a) != 1 || a[0].AccountID == "" {
		t.Fatalf("accounts = %+v", a)
	}
	// Its diagnostics name it as written: no [0].
	got := diagnostics(t, edit(t, "    deployments: [gpt-4o]\n", "    deployments: [gpt-4o]\n    prefixId: a.b\n"))
	want := []string{`wigen.yaml:13:15: spec.azureOpenAI.prefixId: "a.b" is not a prefix ID wigen writes: 1 to 64 letters, digits, '_' and '-', starting with a letter or digit (Open WebUI joins it to each deployment name with '.')`}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestAccountsMerge: an environment's mapping merges key by key over the
// spec-level mapping; its list replaces it; a mapping replaces a list.
func TestAccountsMerge(t *testing.T) {
	for name, tc := range map[string]struct {
		env  string
		want []string // endpoint and deployments of each account
	}{
		"mapping over mapping": {"      azureOpenAI:\n        deployments: [o3-mini]\n", []string{"https://aoai.openai.azure.com o3-mini"}},
		"list over mapping": {"      azureOpenAI:\n        - accountId: " + acctB + "\n          endpoint: https://aoai-se.openai.azure.com\n          deployments: [o3-mini]\n",
			[]string{"https://aoai-se.openai.azure.com o3-mini"}},
	} {
		t.Run(name, func(t *testing.T) {
			s, err := LoadBytes("wigen.yaml", []byte(edit(t, "      identity:\n", tc.env+"      identity:\n")))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, a := range s.Spec.Environments[0].AzureOpenAI {
				got = append(got, a.Endpoint+" "+strings.Join(a.Deployments, ","))
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	// A mapping in an environment replaces a spec-level list.
	doc := twoAccounts(t, "", "      deployments: [o3-mini]\n")
	doc = strings.Replace(doc, "      identity:\n", "      azureOpenAI:\n        accountId: "+acctB+"\n        endpoint: https://aoai-se.openai.azure.com\n        deployments: [gpt-4.1]\n      identity:\n", 1)
	s, err := LoadBytes("wigen.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if a := s.Spec.Environments[0].AzureOpenAI; len(a) != 1 || a[0].Deployments[0] != "gpt-4.1" {
		t.Errorf("accounts = %+v", a)
	}
}

func TestAccountRules(t *testing.T) {
	const fixB = `, so every call of this connection gets 401; add {role: "Cognitive Services OpenAI User", scope: ` + acctB + `} to roles, or leave a role's scope out to assign it on every account`
	const noRoleB = `warning: spec.azureOpenAI[1].accountId: environment "prod": no role of its identity "id-app" is on this Azure OpenAI account or a scope above it` + fixB
	const readerOnlyB = `warning: spec.azureOpenAI[1].accountId: environment "prod": its identity "id-app" holds only "Reader" on this Azure OpenAI account, which does not allow inference` + fixB
	for _, tc := range []struct {
		name string
		doc  string
		want []string
	}{
		{"two accounts, two prefixes, one deployment name", twoAccounts(t, "      prefixId: eu\n", "      deployments: [gpt-4o]\n      prefixId: se\n"), nil},
		{"one prefix is enough", twoAccounts(t, "", "      deployments: [gpt-4o]\n      prefixId: se\n"), nil},
		{"same deployment, no prefix", twoAccounts(t, "", "      deployments: [o3-mini, gpt-4o]\n"),
			[]string{`wigen.yaml:15:30: spec.azureOpenAI[1].deployments[1]: Open WebUI would offer "gpt-4o" as model "gpt-4o", as it does spec.azureOpenAI[0]'s: the app keys models by ID, so only one of the two would be reachable; give one of the two accounts a prefixId (Open WebUI then offers it as "<prefixId>.gpt-4o")`}},
		{"same deployment, same prefix", twoAccounts(t, "      prefixId: ai\n", "      deployments: [gpt-4o]\n      prefixId: ai\n"),
			[]string{`wigen.yaml:16:21: spec.azureOpenAI[1].deployments[0]: Open WebUI would offer "gpt-4o" as model "ai.gpt-4o", as it does spec.azureOpenAI[0]'s: the app keys models by ID, so only one of the two would be reachable; give the two accounts different prefixIds`}},
		{"a prefixed model ID equal to another account's deployment", twoAccounts(t, "      prefixId: eu\n", "      deployments: [eu.gpt-4o]\n"),
			[]string{`wigen.yaml:16:21: spec.azureOpenAI[1].deployments[0]: Open WebUI would offer "eu.gpt-4o" as model "eu.gpt-4o", as it does spec.azureOpenAI[0]'s: the app keys models by ID, so only one of the two would be reachable; give one of the two accounts a prefixId (Open WebUI then offers it as "<prefixId>.eu.gpt-4o")`}},
		{"deployment containing the prefix", twoAccounts(t, "", "      deployments: [gpt-4.1]\n      prefixId: gpt-4\n"),
			[]string{`wigen.yaml:15:21: spec.azureOpenAI[1].deployments[0]: "gpt-4.1" contains "gpt-4.": Open WebUI removes every "gpt-4." from the model ID "gpt-4.gpt-4.1" before the call, so it would call deployment "1"; choose another prefixId`}},
		{"same endpoint twice", twoAccounts(t, "", "      deployments: [o3-mini]\n")[:0] + strings.Replace(twoAccounts(t, "", "      deployments: [o3-mini]\n"), "https://aoai-se.openai.azure.com", "https://AOAI.openai.azure.com/", 1),
			[]string{`wigen.yaml:14:17: spec.azureOpenAI[1].endpoint: "https://AOAI.openai.azure.com/" is also the endpoint of spec.azureOpenAI[0]; each endpoint is one connection: list its deployments once, under one entry`,
				`wigen.yaml:14:17: warning: spec.azureOpenAI[1].endpoint: names account "aoai", but accountId names "aoai-se": the role is assigned on one account while the app calls the other (unless "aoai" is the custom subdomain of "aoai-se")`}},
		{"same account twice", strings.Replace(twoAccounts(t, "", "      deployments: [o3-mini]\n"), acctB, strings.ToUpper(acctA[:15])+acctA[15:], 1),
			[]string{`wigen.yaml:13:18: spec.azureOpenAI[1].accountId: is also the accountId of spec.azureOpenAI[0]; each account is one connection: list its deployments once, under one entry`,
				`wigen.yaml:14:17: warning: spec.azureOpenAI[1].endpoint: names account "aoai-se", but accountId names "aoai": the role is assigned on one account while the app calls the other (unless "aoai-se" is the custom subdomain of "aoai")`}},
		{"no account", edit(t, "  azureOpenAI:\n    accountId: "+acctA+"\n    endpoint: https://aoai.openai.azure.com\n    deployments: [gpt-4o]\n", "  azureOpenAI: []\n"),
			[]string{`wigen.yaml:9:16: spec.azureOpenAI: lists no Azure OpenAI account; give at least one (accountId, endpoint, deployments)`}},
		{"not an account", edit(t, "  azureOpenAI:\n    accountId: "+acctA+"\n    endpoint: https://aoai.openai.azure.com\n    deployments: [gpt-4o]\n", "  azureOpenAI: aoai\n"),
			[]string{`wigen.yaml:9:16: spec.azureOpenAI: must be a mapping (one account: accountId, endpoint, deployments) or a list of accounts, not "aoai"`}},
		{"endpoint with ;", edit(t, "endpoint: https://aoai.openai.azure.com", "endpoint: https://aoai.openai.azure.com/a;b"),
			[]string{`wigen.yaml:11:15: spec.azureOpenAI.endpoint: "https://aoai.openai.azure.com/a;b" contains ';', which separates the connections in OPENAI_API_BASE_URLS`}},

		// Roles on each account.
		{"explicit role on one account only", strings.Replace(twoAccounts(t, "", "      deployments: [o3-mini]\n"), "  environments:\n", "  roles:\n    - role: Cognitive Services OpenAI User\n      scope: "+acctA+"\n  environments:\n", 1),
			[]string{"wigen.yaml:13:18: " + noRoleB}},
		{"a role without scope covers every account", strings.Replace(twoAccounts(t, "", "      deployments: [o3-mini]\n"), "  environments:\n", "  roles:\n    - role: Cognitive Services OpenAI User\n    - role: Reader\n      scope: /subscriptions/11111111-1111-1111-1111-111111111111\n  environments:\n", 1), nil},
		{"a role on the resource group covers the account", strings.Replace(twoAccounts(t, "", "      deployments: [o3-mini]\n"), "  environments:\n", "  roles:\n    - role: Cognitive Services OpenAI User\n      scope: "+acctA+"\n    - role: Azure AI User\n      scope: /subscriptions/99999999-9999-9999-9999-999999999999/resourceGroups/rg-ai-se\n  environments:\n", 1), nil},
		{"a custom role by ID counts", strings.Replace(twoAccounts(t, "", "      deployments: [o3-mini]\n"), "  environments:\n", "  roles:\n    - role: Cognitive Services OpenAI User\n      scope: "+acctA+"\n    - role: 0b3a2a38-0000-4000-8000-000000000001\n      scope: "+acctB+"\n  environments:\n", 1), nil},
		{"Reader does not allow inference", strings.Replace(twoAccounts(t, "", "      deployments: [o3-mini]\n"), "  environments:\n", "  roles:\n    - role: Cognitive Services OpenAI User\n      scope: "+acctA+"\n    - role: Reader\n      scope: "+acctB+"\n  environments:\n", 1),
			[]string{"wigen.yaml:13:18: " + readerOnlyB}},
		{"role on an account no connection uses", edit(t, "  environments:\n", "  roles:\n    - role: Cognitive Services OpenAI User\n    - role: Cognitive Services OpenAI User\n      scope: "+acctB+"\n  environments:\n"),
			[]string{`wigen.yaml:16:14: warning: spec.roles[1].scope: is an Azure OpenAI account that no environment using this identity lists in azureOpenAI: the identity may call it, but no connection does; remove the role, or add the account to azureOpenAI`}},
		{"no role at all is left to the warning", edit(t, "  environments:\n", "  roles: []\n  environments:\n"),
			[]string{`wigen.yaml:13:10: warning: spec.roles: lists no role: the identity can authenticate but is allowed nothing; leave roles out for "Cognitive Services OpenAI User" on the Azure OpenAI account`}},

		// spec.openWebUI.
		{"modelAccess everyone", edit(t, "spec:\n", "spec:\n  openWebUI:\n    modelAccess: everyone\n"), nil},
		{"modelAccess typo", edit(t, "spec:\n", "spec:\n  openWebUI:\n    modelAccess: all\n"),
			[]string{`wigen.yaml:7:18: spec.openWebUI.modelAccess: "all" is not allowed; allowed: admins, everyone`}},
		{"persistentConfig false below 0.10.2", edit(t, "spec:\n", "spec:\n  openWebUI:\n    persistentConfig: false\n"),
			[]string{`wigen.yaml:7:23: spec.openWebUI.persistentConfig: false needs Open WebUI 0.10.2 or later (spec.chart.imageTag is 0.6.33): below it the app does not read the Azure OpenAI connections from its environment, so they are made in the app, and with ENABLE_PERSISTENT_CONFIG=False every restart drops them; leave persistentConfig out, or use an image tag from v0.10.2`}},
		{"persistentConfig false from 0.10.2", edit(t, "spec:\n", "spec:\n  openWebUI:\n    persistentConfig: false\n", "    version: 7.2.0\n    imageTag: v0.6.33\n", "    version: 16.0.0\n    imageTag: v0.10.2\n"), nil},
		{"BYPASS_MODEL_ACCESS_CONTROL in chart.values", edit(t, "    imageTag: v0.6.33\n", "    imageTag: v0.6.33\n    values:\n      extraEnvVars:\n        - {name: BYPASS_MODEL_ACCESS_CONTROL, value: \"True\"}\n"),
			[]string{`wigen.yaml:11:18: spec.chart.values.extraEnvVars[0].name: wigen sets BYPASS_MODEL_ACCESS_CONTROL from spec.openWebUI.modelAccess (everyone); set it there`}},
		{"ENABLE_PERSISTENT_CONFIG in chart.values", edit(t, "    imageTag: v0.6.33\n", "    imageTag: v0.6.33\n    values:\n      extraEnvVars:\n        ENABLE_PERSISTENT_CONFIG: \"False\"\n"),
			[]string{`wigen.yaml:11:35: spec.chart.values.extraEnvVars.ENABLE_PERSISTENT_CONFIG: wigen sets ENABLE_PERSISTENT_CONFIG from spec.openWebUI.persistentConfig (false); set it there`}},
		{"checksum annotation in chart.values", edit(t, "    imageTag: v0.6.33\n", "    imageTag: v0.6.33\n    values:\n      podAnnotations:\n        checksum/workload-identity: x\n"),
			[]string{`wigen.yaml:11:37: spec.chart.values.podAnnotations["checksum/workload-identity"]: wigen sets checksum/workload-identity from the identity's client ID and the tenant ID, so a new client ID rolls the pods; remove it`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := diagnostics(t, tc.doc)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s\ninput:\n%s", diff, numbered(tc.doc))
			}
		})
	}
}

// TestRoleCoverageAcrossSharedIdentity: environments sharing an identity
// pool their roles; one with roles: [] relies on the other's.
func TestRoleCoverageAcrossSharedIdentity(t *testing.T) {
	doc := validDoc + `    - name: staging
      subscriptionId: 11111111-1111-1111-1111-111111111111
      location: westeurope
      resourceGroup: rg-app
      namespace: open-webui-staging
      serviceAccount: open-webui
      identity:
        name: id-app
        existing: true
      cluster:
        name: aks-prod
        resourceGroup: rg-aks
        issuer:
          fromCluster: true
      roles: []
`
	if got := diagnostics(t, doc); len(got) > 0 {
		t.Errorf("diagnostics: %q", got)
	}
	// The staging environment connects to a second account nobody gives a role.
	doc = strings.Replace(doc, "      roles: []\n", "      roles: []\n      azureOpenAI:\n        accountId: "+acctB+"\n        endpoint: https://aoai-se.openai.azure.com\n        deployments: [gpt-4o]\n", 1)
	want := []string{`wigen.yaml:43:20: warning: spec.environments[1].azureOpenAI.accountId: environment "staging": no role of its identity "id-app" is on this Azure OpenAI account or a scope above it, so every call of this connection gets 401; add {role: "Cognitive Services OpenAI User", scope: ` + acctB + `} to roles, or leave a role's scope out to assign it on every account`}
	if diff := cmp.Diff(want, diagnostics(t, doc)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestOpenWebUIDefaults(t *testing.T) {
	s, err := LoadBytes("wigen.yaml", []byte(validDoc))
	if err != nil {
		t.Fatal(err)
	}
	o := s.Spec.OpenWebUI
	if o.ModelAccess != ModelAccessAdmins || o.EveryoneSeesModels() || !o.ConfigPersists() || o.PersistentConfig == nil {
		t.Errorf("openWebUI defaults = %+v", o)
	}
}

// TestWorkloadIdentityChecksum: the SHA-256 of the lowercase client ID and
// tenant ID joined by a newline; GUIDs compare without case.
func TestWorkloadIdentityChecksum(t *testing.T) {
	// printf '33333333-3333-3333-3333-333333333333\n22222222-2222-2222-2222-222222222222' | sha256sum
	if got := WorkloadIdentityChecksum("33333333-3333-3333-3333-333333333333", "22222222-2222-2222-2222-222222222222"); got != "bac45edcdba38de84f99569a5a347a7ca676895e31cf6bc1b147e82a98806406" {
		t.Errorf("checksum = %s", got)
	}
	a := WorkloadIdentityChecksum("aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", "")
	if b := WorkloadIdentityChecksum("AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE", ""); a != b {
		t.Errorf("case changes the checksum: %s, %s", a, b)
	}
	seen := map[string]string{}
	for _, in := range [][2]string{
		{"aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", ""},
		{"aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeef", ""},
		{"aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", "22222222-2222-2222-2222-222222222222"},
		{"aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", "22222222-2222-2222-2222-222222222223"},
	} {
		c := WorkloadIdentityChecksum(in[0], in[1])
		if len(c) != 64 || strings.ToLower(c) != c {
			t.Errorf("%q: %q is not lowercase hex SHA-256", in, c)
		}
		if other, dup := seen[c]; dup {
			t.Errorf("%q and %s give one checksum", in, other)
		}
		seen[c] = in[0] + "/" + in[1]
	}
}

// TestAccountsInDefaults: spec.defaults.azureOpenAI as a list is every
// environment's, and an environment's own list replaces it.
func TestAccountsInDefaults(t *testing.T) {
	doc := strings.Replace(twoAccounts(t, "", "      deployments: [o3-mini]\n"), "  azureOpenAI:\n", "  defaults:\n    azureOpenAI:\n", 1)
	doc = strings.ReplaceAll(doc, "\n    - accountId: ", "\n      - accountId: ")
	doc = strings.ReplaceAll(doc, "\n      endpoint: ", "\n        endpoint: ")
	doc = strings.ReplaceAll(doc, "\n      deployments: ", "\n        deployments: ")
	s, err := LoadBytes("wigen.yaml", []byte(doc))
	if err != nil {
		t.Fatalf("%v\n%s", err, numbered(doc))
	}
	if a := s.Spec.Environments[0].AzureOpenAI; len(a) != 2 || a[1].Deployments[0] != "o3-mini" {
		t.Errorf("accounts = %+v", a)
	}
	if n := len(s.Spec.Environments[0].Roles); n != 2 {
		t.Errorf("%d roles, want one per account", n)
	}
}
