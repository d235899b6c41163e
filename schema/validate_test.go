package schema

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// validDoc is a small complete input; the table tests edit one thing in it.
const validDoc = `apiVersion: wigen/v1alpha1
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
        name: id-app
      cluster:
        name: aks-prod
        resourceGroup: rg-aks
        issuer:
          fromCluster: true
`

// edit applies old->new replacements to validDoc, failing when one does not apply.
func edit(t *testing.T, pairs ...string) string {
	t.Helper()
	doc := validDoc
	for i := 0; i+1 < len(pairs); i += 2 {
		if !strings.Contains(doc, pairs[i]) {
			t.Fatalf("edit: %q is not in the document", pairs[i])
		}
		doc = strings.Replace(doc, pairs[i], pairs[i+1], 1)
	}
	return doc
}

// diagnostics loads doc and returns every diagnostic as a string (errors
// and warnings).
func diagnostics(t *testing.T, doc string) []string {
	t.Helper()
	s, err := LoadBytes("wigen.yaml", []byte(doc))
	var ds Diagnostics
	switch {
	case err == nil:
		ds = s.Warnings
	case errors.As(err, &ds):
	default:
		t.Fatalf("Load returned a %T, not Diagnostics: %v", err, err)
	}
	var out []string
	for _, d := range ds {
		out = append(out, d.String())
	}
	return out
}

func TestValidDocIsValid(t *testing.T) {
	s, err := LoadBytes("wigen.yaml", []byte(validDoc))
	if err != nil {
		t.Fatalf("validDoc: %v", err)
	}
	if len(s.Warnings) != 0 {
		t.Errorf("warnings: %v", s.Warnings)
	}
	e := s.Spec.Environments[0]
	if got, want := e.Roles, []Role{{Role: RoleOpenAIUser, Scope: s.Spec.AzureOpenAI[0].AccountID}}; !cmp.Equal(got, want) {
		t.Errorf("default roles = %v, want %v", got, want)
	}
	if !e.CreatesNamespace() || e.Cluster.Kubeconfig.Context != "aks-prod" || e.Cluster.Kubeconfig.Path != DefaultKubeconfigPath {
		t.Errorf("defaults not filled in: %+v %+v", e.CreateNamespace, e.Cluster.Kubeconfig)
	}
	if got := s.Spec.Targets; !cmp.Equal(got, AllTargets) {
		t.Errorf("targets = %v", got)
	}
	if e.AzureOpenAI[0].APIVersion != DefaultAPIVersion {
		t.Errorf("apiVersion = %q", e.AzureOpenAI[0].APIVersion)
	}
	if !s.Spec.Terraform.Syntax.UserAssignedIdentityID || !s.Spec.Terraform.Syntax.HelmV3 {
		t.Errorf("default providers should select user_assigned_identity_id and helm 3 syntax: %+v", s.Spec.Terraform.Syntax)
	}
	if app := s.Spec.Chart.App; app.Version != "0.6.33" || !app.TokenCredentialsEnv || app.ConnectionFromEnv {
		t.Errorf("app features = %+v", app)
	}
}

// TestRules: one case per validation rule, valid and invalid, with the
// exact diagnostics.
func TestRules(t *testing.T) {
	const acct = "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/aoai"
	tests := []struct {
		name string
		doc  string
		want []string
	}{
		// Decoding.
		{"unknown field with suggestion", edit(t, "      namespace: open-webui\n", "      namespace: open-webui\n      serviceAcount: x\n"),
			[]string{`wigen.yaml:19:7: spec.environments[0].serviceAcount: unknown field "serviceAcount"; did you mean "serviceAccount"?`}},
		{"unknown field without suggestion", edit(t, "metadata:\n", "colour: blue\nmetadata:\n"),
			[]string{`wigen.yaml:3:1: colour: unknown field "colour"; allowed: apiVersion, kind, metadata, spec`}},
		{"duplicate key", edit(t, "      namespace: open-webui\n", "      namespace: open-webui\n      namespace: other\n"),
			[]string{`wigen.yaml:19:7: spec.environments[0].namespace: duplicate key; it is already set at line 18`}},
		{"wrong kind", edit(t, "      location: westeurope\n", "      location: [westeurope]\n"),
			[]string{`wigen.yaml:16:17: spec.environments[0].location: must be a string, not a list`}},
		{"boolean written as string", edit(t, "      identity:\n", "      createNamespace: \"false\"\n      identity:\n"),
			[]string{`wigen.yaml:20:24: spec.environments[0].createNamespace: must be true or false, not the string "false": remove the quotes`}},
		{"missing required", edit(t, "    imageTag: v0.6.33\n", ""),
			[]string{`wigen.yaml:7:5: spec.chart.imageTag: is required`}},
		{"merge key", edit(t, "      identity:\n        name: id-app\n", "      identity:\n        <<: {name: id-app}\n"),
			[]string{`wigen.yaml:21:9: spec.environments[0].identity: YAML merge keys (<<) are not supported; put shared environment fields in spec.defaults`}},
		{"enum", edit(t, "spec:\n", "spec:\n  targets: [terraform, helmfile]\n"),
			[]string{`wigen.yaml:6:24: spec.targets[1]: "helmfile" is not allowed; allowed: terraform, helm, kustomize, argocd, flux`}},
		{"apiVersion", edit(t, "wigen/v1alpha1", "wigen/v1"),
			[]string{`wigen.yaml:1:13: apiVersion: "wigen/v1" is not supported; this wigen reads apiVersion "wigen/v1alpha1"`}},

		// Kubernetes names.
		{"namespace not a DNS-1123 label", edit(t, "namespace: open-webui", "namespace: Open_WebUI"),
			[]string{`wigen.yaml:18:18: spec.environments[0].namespace: "Open_WebUI" is not a valid namespace: a DNS-1123 label (lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters)`}},
		{"namespace too long", edit(t, "namespace: open-webui", "namespace: "+strings.Repeat("a", 64)),
			[]string{`wigen.yaml:18:18: spec.environments[0].namespace: "` + strings.Repeat("a", 64) + `" is not a valid namespace: a DNS-1123 label (lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters)`}},
		{"namespace of 63 is fine", edit(t, "namespace: open-webui", "namespace: "+strings.Repeat("a", 63)), nil},
		{"kube-system", edit(t, "namespace: open-webui", "namespace: kube-system"),
			[]string{`wigen.yaml:18:18: spec.environments[0].namespace: pods in kube-system are never given a Workload ID token (the AKS admissions enforcer skips the namespace); use a namespace of the app's own`}},
		{"service account may contain dots", edit(t, "serviceAccount: open-webui", "serviceAccount: open-webui.app"), nil},
		{"service account not a subdomain", edit(t, "serviceAccount: open-webui", "serviceAccount: Open-WebUI"),
			[]string{`wigen.yaml:19:23: spec.environments[0].serviceAccount: "Open-WebUI" is not a valid service account name: a DNS-1123 subdomain (lowercase letters, digits, '-' and '.', starting and ending with a letter or digit, at most 253 characters)`}},
		{"environment name", edit(t, "- name: prod", "- name: Prod"),
			[]string{`wigen.yaml:14:13: spec.environments[0].name: "Prod" is not a valid environment name (it names output folders): a DNS-1123 label (lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters)`}},
		{"release name", edit(t, "name: open-webui\nspec", "name: open.webui\nspec"),
			[]string{`wigen.yaml:4:9: metadata.name: "open.webui" is not a valid Helm release name: a DNS-1123 label (lowercase letters, digits and '-', starting and ending with a letter or digit, at most 53 characters)`}},

		// Azure names and IDs.
		{"subscription not a GUID", edit(t, "subscriptionId: 11111111-1111-1111-1111-111111111111", "subscriptionId: my-subscription"),
			[]string{`wigen.yaml:15:23: spec.environments[0].subscriptionId: "my-subscription" is not a GUID (8-4-4-4-12 hexadecimal digits); put the subscription ID here`}},
		{"nil GUID", edit(t, "subscriptionId: 11111111-1111-1111-1111-111111111111", "subscriptionId: 00000000-0000-0000-0000-000000000000"),
			[]string{`wigen.yaml:15:23: spec.environments[0].subscriptionId: is the nil GUID, a placeholder; put the real subscription ID here`}},
		{"client ID not a GUID", edit(t, "        name: id-app\n", "        name: id-app\n        clientId: abc\n"),
			[]string{`wigen.yaml:22:19: spec.environments[0].identity.clientId: "abc" is not a GUID (8-4-4-4-12 hexadecimal digits); put the client ID here`}},
		{"tenant ID not a GUID", edit(t, "      location:", "      tenantId: contoso.onmicrosoft.com\n      location:"),
			[]string{`wigen.yaml:16:17: spec.environments[0].tenantId: "contoso.onmicrosoft.com" is not a GUID (8-4-4-4-12 hexadecimal digits); put the tenant ID here`}},
		{"identity name", edit(t, "name: id-app", "name: id"),
			[]string{`wigen.yaml:21:15: spec.environments[0].identity.name: "id" is not a valid user-assigned managed identity name: 3 to 128 characters, letters, digits, '_' and '-', starting with a letter or digit`}},
		{"identity name of 128 is fine", edit(t, "name: id-app", "name: "+strings.Repeat("i", 128)), nil},
		{"identity name of 129", edit(t, "name: id-app", "name: "+strings.Repeat("i", 129)),
			[]string{`wigen.yaml:21:15: spec.environments[0].identity.name: "` + strings.Repeat("i", 129) + `" is not a valid user-assigned managed identity name: 3 to 128 characters, letters, digits, '_' and '-', starting with a letter or digit`}},
		{"resource group", edit(t, "resourceGroup: rg-app", "resourceGroup: rg-app."),
			[]string{`wigen.yaml:17:22: spec.environments[0].resourceGroup: "rg-app." is not a valid resource group name: 1 to 90 letters, digits, '_', '(', ')', '-' and '.', not ending in '.'`}},
		{"location required for a created identity", edit(t, "      location: westeurope\n", ""),
			[]string{`wigen.yaml:14:7: spec.environments[0].location: is required: the Azure region of the identity wigen creates, e.g. westeurope; set it here or in spec.defaults`}},
		{"location not needed for an existing identity", edit(t, "      location: westeurope\n", "", "        name: id-app\n", "        name: id-app\n        existing: true\n"), nil},

		// Issuer.
		{"AKS issuer without trailing slash", edit(t, "fromCluster: true", "url: https://westeurope.oic.prod-aks.azure.com/22222222-2222-2222-2222-222222222222/55555555-5555-5555-5555-555555555555"),
			[]string{`wigen.yaml:26:16: spec.environments[0].cluster.issuer.url: "https://westeurope.oic.prod-aks.azure.com/22222222-2222-2222-2222-222222222222/55555555-5555-5555-5555-555555555555" is an AKS issuer without its trailing '/'; AKS issuers end with '/' and the token exchange fails with AADSTS70021 without it: write "https://westeurope.oic.prod-aks.azure.com/22222222-2222-2222-2222-222222222222/55555555-5555-5555-5555-555555555555/"`}},
		{"old AKS issuer without trailing slash", edit(t, "fromCluster: true", "url: https://oidc.prod-aks.azure.com/55555555-5555-5555-5555-555555555555"),
			[]string{`wigen.yaml:26:16: spec.environments[0].cluster.issuer.url: "https://oidc.prod-aks.azure.com/55555555-5555-5555-5555-555555555555" is an AKS issuer without its trailing '/'; AKS issuers end with '/' and the token exchange fails with AADSTS70021 without it: write "https://oidc.prod-aks.azure.com/55555555-5555-5555-5555-555555555555/"`}},
		{"other issuer is never normalised", edit(t, "fromCluster: true", "url: https://token.actions.githubusercontent.com"), nil},
		{"issuer http", edit(t, "fromCluster: true", "url: http://issuer.example.com/"),
			[]string{`wigen.yaml:26:16: spec.environments[0].cluster.issuer.url: "http://issuer.example.com/" is not an https URL; an OIDC issuer is https://host/path`}},
		{"issuer with query", edit(t, "fromCluster: true", "url: https://issuer.example.com/?x=1"),
			[]string{`wigen.yaml:26:16: spec.environments[0].cluster.issuer.url: "https://issuer.example.com/?x=1" has a query or fragment; an OIDC issuer has neither`}},
		{"issuer with whitespace", edit(t, "fromCluster: true", "url: \"https://issuer.example.com/ \""),
			[]string{`wigen.yaml:26:16: spec.environments[0].cluster.issuer.url: "https://issuer.example.com/ " contains whitespace; the issuer is matched exactly`}},
		{"two issuer sources", edit(t, "fromCluster: true", "fromCluster: true\n          url: https://issuer.example.com/"),
			[]string{`wigen.yaml:26:11: spec.environments[0].cluster.issuer: set exactly one of fromCluster: true, url, remoteState (found 2)`}},
		{"fromCluster needs the cluster resource group", edit(t, "        resourceGroup: rg-aks\n", ""),
			[]string{`wigen.yaml:23:9: spec.environments[0].cluster.resourceGroup: is required with issuer.fromCluster: wigen reads the cluster's issuer with data "azurerm_kubernetes_cluster", which needs the cluster's resource group`}},

		// Scope, account ID, placeholders.
		{"placeholder account ID", edit(t, acct, "YOUR_COGNITIVE_ACCOUNT_ID"),
			[]string{`wigen.yaml:10:16: spec.azureOpenAI.accountId: "YOUR_COGNITIVE_ACCOUNT_ID" looks like a placeholder (it contains "YOUR_"); put the account's resource ID here: az cognitiveservices account show -n <name> -g <resource group> --query id -o tsv`}},
		{"angle-bracket placeholder", edit(t, acct, "/subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.CognitiveServices/accounts/<name>"),
			[]string{`wigen.yaml:10:16: spec.azureOpenAI.accountId: "/subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.CognitiveServices/accounts/<name>" looks like a placeholder (it contains "<guid>"); put the account's resource ID here: az cognitiveservices account show -n <name> -g <resource group> --query id -o tsv`}},
		{"account ID subscription not a GUID", edit(t, acct, "/subscriptions/prod/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/aoai"),
			[]string{`wigen.yaml:10:16: spec.azureOpenAI.accountId: "/subscriptions/prod/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/aoai" names subscription "prod", which is not a GUID; put the account's resource ID here: az cognitiveservices account show -n <name> -g <resource group> --query id -o tsv`}},
		{"account ID of another type", edit(t, acct, "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-ai"),
			[]string{`wigen.yaml:10:16: spec.azureOpenAI.accountId: "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-ai" is not an Azure OpenAI account: expected /subscriptions/<guid>/resourceGroups/<group>/providers/Microsoft.CognitiveServices/accounts/<name>`}},
		{"scope placeholder", edit(t, "  environments:\n", "  roles:\n    - role: Cognitive Services OpenAI User\n      scope: xxx\n  environments:\n"),
			[]string{`wigen.yaml:15:14: spec.roles[0].scope: "xxx" looks like a placeholder (it contains "xxx"); put the resource ID the role applies to here, e.g. the Azure OpenAI account's`}},
		{"scope at a resource group is fine", edit(t, "  environments:\n", "  roles:\n    - role: Cognitive Services OpenAI User\n      scope: /subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-ai\n  environments:\n"), nil},
		{"endpoint with /openai", edit(t, "endpoint: https://aoai.openai.azure.com", "endpoint: https://aoai.openai.azure.com/openai"),
			[]string{`wigen.yaml:11:15: spec.azureOpenAI.endpoint: "https://aoai.openai.azure.com/openai" ends in /openai; Open WebUI adds that itself: write "https://aoai.openai.azure.com"`}},

		// Roles.
		{"role name typo", edit(t, "  environments:\n", "  roles:\n    - role: Cognitive Service OpenAI User\n  environments:\n"),
			[]string{`wigen.yaml:14:13: spec.roles[0].role: "Cognitive Service OpenAI User" is not a built-in role; did you mean "Cognitive Services OpenAI User"? (names are matched exactly)`}},
		{"role definition ID", edit(t, "  environments:\n", "  roles:\n    - role: 5e0bd9bd-7b93-4f28-af87-19fc36ad61bd\n  environments:\n"), nil},
		{"bad role definition ID", edit(t, "  environments:\n", "  roles:\n    - role: /providers/Microsoft.Authorization/roleDefinitions/nope\n  environments:\n"),
			[]string{`wigen.yaml:14:13: spec.roles[0].role: "/providers/Microsoft.Authorization/roleDefinitions/nope" is not a role definition ID: /subscriptions/<guid>/providers/Microsoft.Authorization/roleDefinitions/<guid>, or just the role's GUID`}},
		{"control-plane role warns", edit(t, "  environments:\n", "  roles:\n    - role: Contributor\n  environments:\n"),
			[]string{`wigen.yaml:14:13: warning: spec.roles[0].role: Contributor manages the Azure OpenAI account but does not allow inference: calls get 401; assign "Cognitive Services OpenAI User" for the app`}},
		{"control-plane role by ID warns", edit(t, "  environments:\n", "  roles:\n    - role: 25fbc0a9-bd7c-42a3-aa1a-3b75d497ee68\n  environments:\n"),
			[]string{`wigen.yaml:14:13: warning: spec.roles[0].role: Cognitive Services Contributor manages the Azure OpenAI account but does not allow inference: calls get 401; assign "Cognitive Services OpenAI User" for the app`}},
		{"duplicate role", edit(t, "  environments:\n", "  roles:\n    - role: Cognitive Services OpenAI User\n    - role: Cognitive Services OpenAI User\n  environments:\n"),
			[]string{`wigen.yaml:15:7: spec.roles[1]: assigns the same role on the same scope as roles[0]`}},

		// Chart and app.
		{"app too old for Entra ID", edit(t, "imageTag: v0.6.33", "imageTag: v0.6.29"),
			[]string{`wigen.yaml:8:15: spec.chart.imageTag: Open WebUI 0.6.29 cannot use Microsoft Entra ID for Azure OpenAI; it needs 0.6.30 or later`}},
		{"app 0.6.30 is the minimum", edit(t, "imageTag: v0.6.33", "imageTag: 0.6.30-cuda"), nil},
		{"image tag without version", edit(t, "imageTag: v0.6.33", "imageTag: main"),
			[]string{`wigen.yaml:8:15: spec.chart.imageTag: "main" is not a version tag; wigen reads the app version from it to choose the settings the app understands: use a release tag such as v0.6.33`}},
		{"chart 12.0.0 appends -sa", edit(t, "version: 7.2.0", "version: 12.0.0"),
			[]string{`wigen.yaml:7:14: spec.chart.version: open-webui chart 12.0.0 appends "-sa" to the service account name (helm-charts#350), so pods would not match the federated credential's subject; use 12.1.1 or later, or 11.x`}},
		{"chart 12.1.0 appends -sa", edit(t, "version: 7.2.0", "version: 12.1.0"),
			[]string{`wigen.yaml:7:14: spec.chart.version: open-webui chart 12.1.0 appends "-sa" to the service account name (helm-charts#350), so pods would not match the federated credential's subject; use 12.1.1 or later, or 11.x`}},
		{"chart 12.1.1 is fixed", edit(t, "version: 7.2.0", "version: 12.1.1"), nil},
		{"chart version range", edit(t, "version: 7.2.0", "version: ^7.2.0"),
			[]string{`wigen.yaml:7:14: spec.chart.version: "^7.2.0" is not an exact chart version; pin one, e.g. 7.2.0 (ranges make the rendered output depend on the day)`}},

		// chart.values may not take over what wigen owns.
		{"values set the service account name", edit(t, "    imageTag: v0.6.33\n", "    imageTag: v0.6.33\n    values:\n      serviceAccount: {name: other}\n"),
			[]string{`wigen.yaml:10:30: spec.chart.values.serviceAccount.name: wigen sets the service account name from the environment's serviceAccount, so it matches the federated credential's subject; set serviceAccount there`}},
		{"values set a Workload ID label", edit(t, "    imageTag: v0.6.33\n", "    imageTag: v0.6.33\n    values:\n      podLabels:\n        azure.workload.identity/use: \"true\"\n"),
			[]string{`wigen.yaml:11:38: spec.chart.values.podLabels["azure.workload.identity/use"]: wigen owns the client-id and tenant-id annotations and the pod label: remove it (the other Workload ID pod annotations, such as service-account-token-expiration, go under chart.values.podAnnotations)`}},
		{"values preset AZURE_CLIENT_ID", edit(t, "    imageTag: v0.6.33\n", "    imageTag: v0.6.33\n    values:\n      extraEnvVars:\n        - name: AZURE_CLIENT_ID\n          value: x\n"),
			[]string{`wigen.yaml:11:17: spec.chart.values.extraEnvVars[0].name: AZURE_CLIENT_ID is injected by the Workload ID webhook, which keeps a value the pod already sets; remove it`}},
		{"values set an OpenAI API key", edit(t, "    imageTag: v0.6.33\n", "    imageTag: v0.6.33\n    values:\n      extraEnvVars:\n        - name: OPENAI_API_KEY\n          valueFrom: {secretKeyRef: {name: s, key: k}}\n"),
			[]string{`wigen.yaml:11:17: spec.chart.values.extraEnvVars[0].name: an OpenAI API key defeats keyless access; the app authenticates with Workload ID`}},
		{"values empty the chart's own OpenAI key and URL", edit(t, "    imageTag: v0.6.33\n", "    imageTag: v0.6.33\n    values:\n      openaiApiKey: \"\"\n      openaiBaseApiUrl: \"\"\n      openaiApiKeys: []\n      openaiApiKeyExistingSecret: \"\"\n"), nil},
		{"values set the chart's OpenAI key", edit(t, "    imageTag: v0.6.33\n", "    imageTag: v0.6.33\n    values:\n      openaiApiKey: sk-123\n      openaiApiKeys: [sk-1]\n"),
			[]string{`wigen.yaml:10:21: spec.chart.values.openaiApiKey: an OpenAI API key defeats keyless access; the app authenticates with Workload ID (wigen empties the chart's own key itself; "" is allowed)`, `wigen.yaml:11:22: spec.chart.values.openaiApiKeys: an OpenAI API key defeats keyless access; the app authenticates with Workload ID (wigen empties the chart's own key itself; "" is allowed)`}},
		{"values take an OpenAI key from a Secret", edit(t, "    imageTag: v0.6.33\n", "    imageTag: v0.6.33\n    values:\n      openaiApiKeyExistingSecret: openai\n      openaiApiKeysExistingSecret: openai\n"),
			[]string{`wigen.yaml:10:35: spec.chart.values.openaiApiKeyExistingSecret: puts a real OpenAI API key from a Secret into the pod, and the app stores it as the key of its Entra ID connection (an empty OPENAI_API_KEYS falls back to OPENAI_API_KEY); the app authenticates with Workload ID: remove it ("" is allowed)`, `wigen.yaml:11:36: spec.chart.values.openaiApiKeysExistingSecret: puts a real OpenAI API key from a Secret into the pod, and the app stores it as the key of its Entra ID connection (an empty OPENAI_API_KEYS falls back to OPENAI_API_KEY); the app authenticates with Workload ID: remove it ("" is allowed)`}},
		{"values set the chart's OpenAI URLs", edit(t, "    imageTag: v0.6.33\n", "    imageTag: v0.6.33\n    values:\n      openaiBaseApiUrl: https://api.openai.com/v1\n      openaiBaseApiUrls: [https://api.openai.com/v1]\n"),
			[]string{`wigen.yaml:10:25: spec.chart.values.openaiBaseApiUrl: wigen sets it to "" so the chart emits no OPENAI_API_BASE_URL (its default is the public OpenAI API) and no dummy OPENAI_API_KEY beside it; the Azure OpenAI endpoint comes from spec.azureOpenAI: remove it ("" is allowed)`, `wigen.yaml:11:26: spec.chart.values.openaiBaseApiUrls: the chart would emit OPENAI_API_BASE_URLS, which wigen sets from spec.azureOpenAI: remove it ([] is allowed)`}},
		{"values image tag", edit(t, "    imageTag: v0.6.33\n", "    imageTag: v0.6.33\n    values:\n      image: {tag: v0.6.34}\n"),
			[]string{`wigen.yaml:10:20: spec.chart.values.image.tag: set spec.chart.imageTag instead: wigen reads the app version from it`}},
		{"other values are fine", edit(t, "    imageTag: v0.6.33\n", "    imageTag: v0.6.33\n    values:\n      persistence: {size: 10Gi}\n      extraEnvVars:\n        - name: WEBUI_NAME\n          value: Chat\n"), nil},

		// Names the chart writes unquoted.
		{"namespace read as a boolean", edit(t, "namespace: open-webui", "namespace: \"off\""),
			[]string{`wigen.yaml:18:18: spec.environments[0].namespace: "off" reads as a YAML boolean, not a string, and the open-webui chart writes the namespace unquoted into its manifests, so Helm and the API server refuse them; choose another name`}},
		{"service account read as a number", edit(t, "serviceAccount: open-webui", "serviceAccount: \"123\""),
			[]string{`wigen.yaml:19:23: spec.environments[0].serviceAccount: "123" reads as a YAML number, not a string, and the open-webui chart writes the service account's name unquoted into its manifests, so Helm and the API server refuse them; choose another name`}},

		// Terraform provider constraints.
		{"azurerm spanning 4.65", edit(t, "spec:\n", "spec:\n  terraform:\n    providers:\n      azurerm: \">= 4.0\"\n"),
			[]string{`wigen.yaml:8:16: spec.terraform.providers.azurerm: ">= 4.0" admits versions on both sides of 4.65.0, where azurerm_federated_identity_credential's parent_id became user_assigned_identity_id (parent_id and resource_group_name are gone in 5.0); pin one side: "~> 4.65" or ">= 4.65, < 6.0" for user_assigned_identity_id, ">= 3.0, < 4.65" for parent_id`}},
		{"azurerm below 4.65", edit(t, "spec:\n", "spec:\n  terraform:\n    providers:\n      azurerm: \"~> 4.50.0\"\n"), nil},
		{"azurerm not a constraint", edit(t, "spec:\n", "spec:\n  terraform:\n    providers:\n      azurerm: \"four\"\n"),
			[]string{`wigen.yaml:8:16: spec.terraform.providers.azurerm: "four" is not a Terraform version constraint; e.g. "~> 4.65"`}},
		{"helm spanning 3.0", edit(t, "spec:\n", "spec:\n  terraform:\n    providers:\n      helm: \">= 2.0\"\n"),
			[]string{`wigen.yaml:8:13: spec.terraform.providers.helm: ">= 2.0" admits versions on both sides of 3.0.0, where helm_release's set {} blocks became set = [...] and the provider's kubernetes {} block became an attribute; pin one side: ">= 3.1.1, < 4.0.0" or "~> 2.17"`}},
		{"helm 3.0 warns", edit(t, "spec:\n", "spec:\n  terraform:\n    providers:\n      helm: \"~> 3.0\"\n"),
			[]string{`wigen.yaml:8:13: warning: spec.terraform.providers.helm: "~> 3.0" admits helm provider versions before 3.1.1, which fail chart upgrades with "Provider produced inconsistent result after apply"; use ">= 3.1.1, < 4.0.0"`}},
		{"helm admitting nothing", edit(t, "spec:\n", "spec:\n  terraform:\n    providers:\n      helm: \"> 3.0, < 2.0\"\n"),
			[]string{`wigen.yaml:8:13: spec.terraform.providers.helm: "> 3.0, < 2.0" admits no version`}},
		{"backend key shared by environments", edit(t, "spec:\n", "spec:\n  terraform:\n    backend:\n      type: azurerm\n      config: {key: app.tfstate}\n",
			"  environments:\n", "  environments:\n    - name: dev\n      subscriptionId: 11111111-1111-1111-1111-111111111111\n      location: westeurope\n      resourceGroup: rg-app\n      namespace: open-webui\n      serviceAccount: open-webui\n      identity: {name: id-dev}\n      cluster: {name: aks-dev, issuer: {url: \"https://issuer.example.com/dev\"}}\n"),
			[]string{`wigen.yaml:9:21: spec.terraform.backend.config.key: would put every environment in the same state; leave it out and wigen writes key = "<metadata.name>-<environment>.tfstate" for each`}},

		// Across environments and identities.
		{"identity created twice", edit(t, "  environments:\n", "  environments:\n    - name: dev\n      subscriptionId: 11111111-1111-1111-1111-111111111111\n      location: westeurope\n      resourceGroup: rg-app\n      namespace: dev\n      serviceAccount: open-webui\n      identity: {name: id-app}\n      cluster: {name: aks-dev, issuer: {url: \"https://issuer.example.com/dev\"}}\n"),
			[]string{
				`wigen.yaml:22:7: spec.environments[1].roles[0]: environment "prod" assigns "Cognitive Services OpenAI User" on this scope to identity "id-app", as environment "dev" already does; a role assignment exists once (a second one fails with 409 RoleAssignmentExists): set roles: [] in environment "prod" and leave it to "dev"`,
				`wigen.yaml:29:15: spec.environments[1].identity.name: environment "prod": identity "id-app" is already created by environment "dev"; an identity is created once: set identity.existing: true in environment "prod"`,
			}},
		{"same issuer and subject twice", edit(t, "          fromCluster: true\n", "          fromCluster: true\n      additionalFederations:\n        - name: again\n          issuer: {fromCluster: true}\n"),
			[]string{`wigen.yaml:28:11: spec.environments[0].additionalFederations[0]: federates the same issuer and subject "system:serviceaccount:open-webui:open-webui" as spec.environments[0].cluster.issuer; issuer and subject must be unique per identity`}},
		{"duplicate environment name", edit(t, "  environments:\n", "  environments:\n    - name: prod\n      subscriptionId: 11111111-1111-1111-1111-111111111111\n      location: westeurope\n      resourceGroup: rg-app\n      namespace: dev\n      serviceAccount: open-webui\n      identity: {name: id-dev}\n      cluster: {name: aks-dev, issuer: {url: \"https://issuer.example.com/dev\"}}\n"),
			[]string{`wigen.yaml:22:13: spec.environments[1].name: "prod" is already the name of spec.environments[0]; environment names must be unique`}},
		{"different service accounts with kustomize", edit(t, "  environments:\n", "  environments:\n    - name: dev\n      subscriptionId: 11111111-1111-1111-1111-111111111111\n      location: westeurope\n      resourceGroup: rg-app\n      namespace: dev\n      serviceAccount: webui\n      identity: {name: id-dev}\n      cluster: {name: aks-dev, issuer: {url: \"https://issuer.example.com/dev\"}}\n"), nil},
		{"different service accounts without kustomize", edit(t, "spec:\n", "spec:\n  targets: [terraform, helm]\n", "  environments:\n", "  environments:\n    - name: dev\n      subscriptionId: 11111111-1111-1111-1111-111111111111\n      location: westeurope\n      resourceGroup: rg-app\n      namespace: dev\n      serviceAccount: webui\n      identity: {name: id-dev}\n      cluster: {name: aks-dev, issuer: {url: \"https://issuer.example.com/dev\"}}\n"), nil},

		// Output root.
		{"output outside", edit(t, "spec:\n", "spec:\n  output: ../deploy\n"),
			[]string{`wigen.yaml:6:11: spec.output: "../deploy" is not below the input file's folder; name a subfolder, e.g. deploy`}},
		{"output in .git", edit(t, "spec:\n", "spec:\n  output: .git/hooks\n"),
			[]string{`wigen.yaml:6:11: spec.output: ".git/hooks" is inside the repository's .git folder; name a folder of your own, e.g. deploy`}},
		{"output is the input", edit(t, "spec:\n", "spec:\n  output: wigen.yaml\n"),
			[]string{`wigen.yaml:6:11: spec.output: "wigen.yaml" is the input file itself; name a folder, e.g. deploy`}},
		{"output absolute", edit(t, "spec:\n", "spec:\n  output: /tmp/deploy\n"),
			[]string{`wigen.yaml:6:11: spec.output: "/tmp/deploy" is absolute; the output root is a folder relative to the input file, e.g. deploy`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := diagnostics(t, tt.doc)
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("diagnostics (-want +got):\n%s\ninput:\n%s", d, numbered(tt.doc))
			}
		})
	}
}

func numbered(doc string) string {
	var b strings.Builder
	for i, l := range strings.Split(doc, "\n") {
		fmt.Fprintf(&b, "%3d  %s\n", i+1, l)
	}
	return b.String()
}

// TestTwentyFederatedCredentials: an identity holds at most 20 federated
// identity credentials (Microsoft Entra limits), counted across environments.
func TestTwentyFederatedCredentials(t *testing.T) {
	feds := func(n int) string {
		var b strings.Builder
		b.WriteString("      additionalFederations:\n")
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, "        - {name: c%02d, issuer: {url: \"https://issuer.example.com/%d\"}}\n", i, i)
		}
		return b.String()
	}
	ok := edit(t, "          fromCluster: true\n", "          fromCluster: true\n"+feds(19))
	if got := diagnostics(t, ok); len(got) != 0 {
		t.Errorf("20 credentials: %v", got)
	}
	over := edit(t, "          fromCluster: true\n", "          fromCluster: true\n"+feds(20))
	want := []string{`wigen.yaml:47:11: spec.environments[0].additionalFederations[19]: is federated credential number 21 on one identity; an identity holds at most 20 (Microsoft Entra limits): use another identity`}
	if d := cmp.Diff(want, diagnostics(t, over)); d != "" {
		t.Errorf("21 credentials (-want +got):\n%s", d)
	}
}

// TestDefaults: spec.defaults fill every environment, the environment's own
// value wins, mappings merge key by key, and an error in a default is
// reported once, at the default, under the name the user wrote.
func TestDefaults(t *testing.T) {
	doc := `apiVersion: wigen/v1alpha1
kind: WorkloadIdentity
metadata: {name: app}
spec:
  chart: {version: 7.2.0, imageTag: v0.6.33}
  azureOpenAI:
    accountId: /subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/aoai
    endpoint: https://aoai.openai.azure.com
    deployments: [gpt-4o]
  defaults:
    subscriptionId: 11111111-1111-1111-1111-111111111111
    location: westeurope
    resourceGroup: rg-app
    namespace: app
    serviceAccount: app
    identity: {resourceGroup: rg-ids}
    cluster: {resourceGroup: rg-aks, issuer: {fromCluster: true}}
  environments:
    - name: dev
      identity: {name: id-dev}
      cluster: {name: aks-dev}
    - name: prod
      namespace: app-prod
      identity: {name: id-prod, resourceGroup: rg-prod-ids}
      cluster: {name: aks-prod}
      azureOpenAI: {deployments: [gpt-4o, o3-mini]}
`
	s, err := LoadBytes("wigen.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	dev, prod := s.Spec.Environments[0], s.Spec.Environments[1]
	if dev.Namespace != "app" || prod.Namespace != "app-prod" {
		t.Errorf("namespaces %q %q", dev.Namespace, prod.Namespace)
	}
	if dev.Identity.ResourceGroup != "rg-ids" || prod.Identity.ResourceGroup != "rg-prod-ids" {
		t.Errorf("identity resource groups %q %q", dev.Identity.ResourceGroup, prod.Identity.ResourceGroup)
	}
	if !dev.Cluster.Issuer.FromCluster || dev.Cluster.ResourceGroup != "rg-aks" || dev.Cluster.Name != "aks-dev" {
		t.Errorf("dev cluster %+v", dev.Cluster)
	}
	if got := prod.AzureOpenAI[0].Deployments; !cmp.Equal(got, []string{"gpt-4o", "o3-mini"}) || prod.AzureOpenAI[0].Endpoint != "https://aoai.openai.azure.com" {
		t.Errorf("prod azureOpenAI %+v", prod.AzureOpenAI)
	}
	if got := dev.AzureOpenAI[0].Deployments; !cmp.Equal(got, []string{"gpt-4o"}) {
		t.Errorf("dev deployments %v", got)
	}
	// The environments do not share decoded values.
	dev.AzureOpenAI[0].Deployments[0] = "changed"
	if s.Spec.Environments[1].AzureOpenAI[0].Deployments[0] != "gpt-4o" {
		t.Error("environments share the azureOpenAI value")
	}

	bad := strings.Replace(doc, "    namespace: app\n", "    namespace: App\n", 1)
	want := []string{`wigen.yaml:14:16: spec.defaults.namespace: "App" is not a valid namespace: a DNS-1123 label (lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters)`}
	if d := cmp.Diff(want, diagnostics(t, bad)); d != "" {
		t.Errorf("error in a default (-want +got):\n%s", d)
	}
	missing := strings.Replace(doc, "      identity: {name: id-dev}\n", "", 1)
	want = []string{`wigen.yaml:19:7: spec.environments[0].identity.name: is required: the name of the user-assigned managed identity`}
	if d := cmp.Diff(want, diagnostics(t, missing)); d != "" {
		t.Errorf("missing field (-want +got):\n%s", d)
	}
	named := strings.Replace(doc, "  defaults:\n", "  defaults:\n    name: x\n", 1)
	want = []string{`wigen.yaml:11:5: spec.defaults.name: unknown field "name"; allowed: additionalFederations, adopt, argocd, azureOpenAI, chart, cluster, createNamespace, flux, identity, location, namespace, resourceGroup, roles, serviceAccount, subscriptionId, tenantId`}
	if d := cmp.Diff(want, diagnostics(t, named)); d != "" {
		t.Errorf("name in defaults (-want +got):\n%s", d)
	}
}

// TestAllErrorsAtOnce: many mistakes in one file are all reported, sorted
// by position.
func TestAllErrorsAtOnce(t *testing.T) {
	doc := edit(t, "namespace: open-webui", "namespace: kube-system", "serviceAccount: open-webui", "serviceAccount: Bad_Name", "imageTag: v0.6.33", "imageTag: v0.5.0", "name: id-app", "name: x")
	got := diagnostics(t, doc)
	if len(got) != 4 {
		t.Fatalf("want 4 diagnostics, got %d:\n%s", len(got), strings.Join(got, "\n"))
	}
	for i, want := range []string{"wigen.yaml:8:15:", "wigen.yaml:18:18:", "wigen.yaml:19:23:", "wigen.yaml:21:15:"} {
		if !strings.HasPrefix(got[i], want) {
			t.Errorf("diagnostic %d = %q, want it at %s", i, got[i], want)
		}
	}
}

// TestLimits: oversized, alias-bombed or deeply nested input is refused
// quickly with a clear message.
func TestLimits(t *testing.T) {
	big := validDoc + "# " + strings.Repeat("x", MaxInputBytes) + "\n"
	if got := diagnostics(t, big); len(got) != 1 || got[0] != "wigen.yaml: the file is larger than 1 MiB (1048576 bytes), the most wigen reads; wigen.yaml is meant to be small" {
		t.Errorf("big input: %v", got)
	}
	bomb := "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
	prev := "a"
	for i := 0; i < 8; i++ {
		name := fmt.Sprintf("b%d", i)
		bomb += fmt.Sprintf("%s: &%s [*%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s]\n", name, name, prev, prev, prev, prev, prev, prev, prev, prev, prev, prev)
		prev = name
	}
	doc := edit(t, "    imageTag: v0.6.33\n", "    imageTag: v0.6.33\n    values:\n"+indent(bomb, "      "))
	got := diagnostics(t, doc)
	if len(got) != 1 || !strings.Contains(got[0], "YAML aliases expand to more than 10000 nodes") {
		t.Errorf("alias bomb: %v", got)
	}
	deep := strings.Repeat("[", 100) + strings.Repeat("]", 100)
	doc = edit(t, "    imageTag: v0.6.33\n", "    imageTag: v0.6.33\n    values: {x: "+deep+"}\n")
	got = diagnostics(t, doc)
	if len(got) != 1 || !strings.Contains(got[0], "nested deeper than 64 levels") {
		t.Errorf("deep nesting: %v", got)
	}
	if got := diagnostics(t, validDoc+"---\nkind: x\n"); len(got) != 1 || !strings.Contains(got[0], "more than one YAML document") {
		t.Errorf("two documents: %v", got)
	}
	if got := diagnostics(t, ""); len(got) != 1 || got[0] != "wigen.yaml: the file is empty; `wigen init` writes a starter wigen.yaml" {
		t.Errorf("empty: %v", got)
	}
	if got := diagnostics(t, "spec: [\n"); len(got) != 1 || got[0] != "wigen.yaml:1:7: invalid YAML: did not find expected node content" {
		t.Errorf("bad YAML: %v", got)
	}
}

func indent(s, prefix string) string {
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	for i := range lines {
		lines[i] = prefix + lines[i]
	}
	return strings.Join(lines, "\n") + "\n"
}

func TestCredentialName(t *testing.T) {
	if got := CredentialName("aks-prod", "open-webui", "web.ui"); got != "aks-prod-open-webui-web-ui" {
		t.Errorf("got %q", got)
	}
	long := CredentialName(strings.Repeat("c", 63), strings.Repeat("n", 63), strings.Repeat("s", 63))
	if len(long) != 120 || !credentialNameRE.MatchString(long) {
		t.Errorf("long name %q (%d)", long, len(long))
	}
	if long == CredentialName(strings.Repeat("c", 63), strings.Repeat("n", 63), strings.Repeat("s", 62)+"t") {
		t.Error("cut names collide")
	}
}

func TestConstraintSides(t *testing.T) {
	for _, tt := range []struct {
		c            string
		below, above bool
	}{
		{"~> 4.65", false, true},
		{"~> 4.0", true, true},
		{">= 4.0, < 4.65", true, false},
		{"< 4.65.0", true, false},
		{"<= 4.65.0", true, true},
		{"> 4.64.9", true, true},
		{"= 4.64.0", true, false},
		{"4.65.0", false, true},
		{"~> 5.0", false, true},
		{"!= 4.65.0, >= 4.65.0, < 4.65.1", false, false},
	} {
		c, err := parseConstraint(tt.c)
		if err != nil {
			t.Fatalf("%q: %v", tt.c, err)
		}
		if got := c.admitsBelow("4.65.0"); got != tt.below {
			t.Errorf("%q admitsBelow(4.65.0) = %v", tt.c, got)
		}
		if got := c.admitsFrom("4.65.0"); got != tt.above {
			t.Errorf("%q admitsFrom(4.65.0) = %v", tt.c, got)
		}
	}
}

func TestTerraformConfigValues(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		want []string
	}{
		{"nested backend key", edit(t, "spec:\n", "spec:\n  terraform:\n    backend:\n      type: s3\n      config:\n        assume_role: {role-arn: x, \"bad key\": y}\n"),
			[]string{`wigen.yaml:10:47: spec.terraform.backend.config.assume_role["bad key"]: "bad key" is not a Terraform argument name (letters, digits, '_' and '-', not starting with a digit)`}},
		{"NaN in remote state config", edit(t, "fromCluster: true", "remoteState: {backend: cos, config: {path: x, n: .nan}}"),
			[]string{`wigen.yaml:26:60: spec.environments[0].cluster.issuer.remoteState.config.n: NaN is not a number Terraform can hold; write a finite number or quote it`}},
		{"fromCluster on an additional federation needs the cluster resource group", edit(t, "        resourceGroup: rg-aks\n", "", "          fromCluster: true\n", "          url: https://issuer.example.com/\n      additionalFederations:\n        - {name: second, namespace: other, issuer: {fromCluster: true}}\n"),
			[]string{`wigen.yaml:23:9: spec.environments[0].cluster.resourceGroup: is required with issuer.fromCluster: wigen reads the cluster's issuer with data "azurerm_kubernetes_cluster", which needs the cluster's resource group`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if d := cmp.Diff(tt.want, diagnostics(t, tt.doc)); d != "" {
				t.Errorf("(-want +got):\n%s\n%s", d, numbered(tt.doc))
			}
		})
	}
}

func TestFullname(t *testing.T) {
	for _, tt := range []struct {
		release, version string
		values           map[string]any
		want             string
	}{
		{"open-webui", "7.2.0", nil, "open-webui"},
		{"chat", "7.2.0", nil, "open-webui"},
		{"chat", "7.2.0", map[string]any{"nameOverride": "webui"}, "webui"},
		{"chat", "7.2.0", map[string]any{"fullnameOverride": "x"}, "open-webui"},
		{"open-webui", "16.0.0", nil, "open-webui"},
		{"chat", "16.0.0", nil, "chat-open-webui"},
		{"my-open-webui", "16.0.0", nil, "my-open-webui"},
		{"chat", "16.0.0", map[string]any{"fullnameOverride": "webui"}, "webui"},
		{"chat", "16.0.0", map[string]any{"nameOverride": "ui"}, "chat-ui"},
		{strings.Repeat("a", 53), "16.0.0", nil, strings.Repeat("a", 53) + "-open-webu"},
		{"chat", "11.0.0", map[string]any{"nameOverride": "webui"}, "webui"},
		{"open-webui-dev", "16.0.0", nil, "open-webui-dev"},
		{strings.Repeat("b", 62), "16.0.0", nil, strings.Repeat("b", 62)},
		{strings.Repeat("a", 60), "16.0.0", nil, strings.Repeat("a", 60) + "-op"},
	} {
		s := &Spec{Metadata: Metadata{Name: tt.release}}
		s.Spec.Chart = Chart{Name: "open-webui", Version: tt.version, Values: tt.values}
		if got := s.Fullname(); got != tt.want {
			t.Errorf("release %q chart %s values %v: Fullname() = %q, want %q", tt.release, tt.version, tt.values, got, tt.want)
		}
	}
}

func TestChartValuesNames(t *testing.T) {
	for _, tt := range []struct {
		values string
		want   []string
	}{
		{"nameOverride: Web_UI", []string{`wigen.yaml:10:21: spec.chart.values.nameOverride: must be a DNS-1123 label (lowercase letters, digits and '-', at most 63 characters): it names the chart's workload, which the Kustomize overlays patch`}},
		{"serviceAccount: {create: false}", []string{`wigen.yaml:10:32: spec.chart.values.serviceAccount.create: false leaves the service account to someone else, but wigen annotates the one the chart creates; leave it out`}},
		{"resources: {limits: {cpu: .inf}}", []string{`wigen.yaml:10:33: spec.chart.values.resources.limits.cpu: +Inf cannot be written as a Helm value (JSON has no NaN or infinity); quote it or use a finite number`}},
		{"fullnameOverride: webui", nil},
	} {
		doc := edit(t, "    imageTag: v0.6.33\n", "    imageTag: v0.6.33\n    values:\n      "+tt.values+"\n")
		if d := cmp.Diff(tt.want, diagnostics(t, doc)); d != "" {
			t.Errorf("%s (-want +got):\n%s", tt.values, d)
		}
	}
}

// TestTypoIsNotAlsoMissing: a misspelled required field is reported once,
// as the typo with its suggestion, not also as the missing field.
func TestTypoIsNotAlsoMissing(t *testing.T) {
	for _, tt := range []struct{ doc, want string }{
		{edit(t, "      serviceAccount: open-webui\n", "      serviceAcount: open-webui\n"), `wigen.yaml:19:7: spec.environments[0].serviceAcount: unknown field "serviceAcount"; did you mean "serviceAccount"?`},
		{edit(t, "    imageTag: v0.6.33\n", "    imagetag: v0.6.33\n"), `wigen.yaml:8:5: spec.chart.imagetag: unknown field "imagetag"; did you mean "imageTag"?`},
		{edit(t, "        name: id-app\n", "        nme: id-app\n"), `wigen.yaml:21:9: spec.environments[0].identity.nme: unknown field "nme"; did you mean "name"?`},
	} {
		if d := cmp.Diff([]string{tt.want}, diagnostics(t, tt.doc)); d != "" {
			t.Errorf("(-want +got):\n%s", d)
		}
	}
}

// TestEmptyAndMistypedValues: a required field that is present but null or
// empty is as missing; a value of the wrong type says what was expected.
func TestEmptyAndMistypedValues(t *testing.T) {
	for _, tt := range []struct {
		name string
		doc  string
		want []string
	}{
		{"empty release name", edit(t, "  name: open-webui\n", "  name: \"\"\n"), []string{`wigen.yaml:4:9: metadata.name: is required and may not be empty`}},
		{"null release name", edit(t, "  name: open-webui\n", "  name:\n"), []string{`wigen.yaml:4:8: metadata.name: is required and may not be empty`}},
		{"null chart version", edit(t, "    version: 7.2.0\n", "    version: null\n"), []string{`wigen.yaml:7:14: spec.chart.version: is required and may not be empty`}},
		{"null chart", edit(t, "  chart:\n    version: 7.2.0\n    imageTag: v0.6.33\n", "  chart: null\n"), []string{`wigen.yaml:6:10: spec.chart: is required and may not be empty`}},
		{"empty kind", edit(t, "kind: WorkloadIdentity\n", "kind:\n"), []string{`wigen.yaml:2:6: kind: is required and may not be empty`}},
		{"boolean where a string goes", edit(t, "    deployments: [gpt-4o]\n", "    deployments: [gpt-4o, true]\n"), []string{`wigen.yaml:12:27: spec.azureOpenAI.deployments[1]: must be a string, not the boolean true; quote it if you mean the text`}},
		{"issuer written as a string", edit(t, "        issuer:\n          fromCluster: true\n", "        issuer: https://issuer.example.com/\n"),
			[]string{`wigen.yaml:25:17: spec.environments[0].cluster.issuer: must be a mapping (fields: fromCluster, url, remoteState), not "https://issuer.example.com/"`}},
		{"fromCluster quoted", edit(t, "fromCluster: true", "fromCluster: \"true\""),
			[]string{`wigen.yaml:26:24: spec.environments[0].cluster.issuer.fromCluster: must be true or false, not the string "true": remove the quotes`}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if d := cmp.Diff(tt.want, diagnostics(t, tt.doc)); d != "" {
				t.Errorf("(-want +got):\n%s\n%s", d, numbered(tt.doc))
			}
		})
	}
}

// TestSharedIdentity: rules across environments that share one identity or
// one cluster.
func TestSharedIdentity(t *testing.T) {
	second := func(fields string) string {
		return edit(t, "  environments:\n", "  environments:\n    - name: dev\n      subscriptionId: 11111111-1111-1111-1111-111111111111\n      location: westeurope\n      resourceGroup: rg-app\n      serviceAccount: open-webui\n"+fields)
	}
	for _, tt := range []struct {
		name string
		doc  string
		want []string
	}{
		{"existing identity without its own roles is fine",
			second("      namespace: dev\n      roles: []\n      identity: {name: id-app, existing: true}\n      cluster: {name: aks-dev, issuer: {url: \"https://issuer.example.com/dev\"}}\n"), nil},
		{"one client ID for two identities",
			edit(t, "        name: id-app\n", "        name: id-app\n        clientId: 33333333-3333-3333-3333-333333333333\n",
				"  environments:\n", "  environments:\n    - name: dev\n      subscriptionId: 11111111-1111-1111-1111-111111111111\n      location: westeurope\n      resourceGroup: rg-app\n      serviceAccount: open-webui\n      namespace: dev\n      identity: {name: id-dev, clientId: 33333333-3333-3333-3333-333333333333}\n      cluster: {name: aks-dev, issuer: {url: \"https://issuer.example.com/dev\"}}\n"),
			[]string{`wigen.yaml:30:19: spec.environments[1].identity.clientId: environment "prod": 33333333-3333-3333-3333-333333333333 is already the client ID of identity "id-dev" (environment "dev"); each user-assigned managed identity has its own client ID: ` + "`terraform output -raw client_id`" + ` in this environment's module prints it`}},
		{"two environments in one namespace of one cluster",
			second("      namespace: open-webui\n      identity: {name: id-dev}\n      cluster: {name: aks-prod, resourceGroup: rg-aks, issuer: {fromCluster: true}}\n"),
			[]string{`wigen.yaml:26:18: spec.environments[1].namespace: environment "prod": environment "dev" already deploys release "open-webui" into namespace "open-webui" of this cluster ("aks-prod"); each environment needs its own namespace or cluster`}},
		{"duplicate credential names",
			edit(t, "          fromCluster: true\n", "          fromCluster: true\n      additionalFederations:\n        - {name: aks-blue, issuer: {url: \"https://issuer.example.com/1\"}}\n        - {name: aks-blue, issuer: {url: \"https://issuer.example.com/2\"}}\n"),
			[]string{`wigen.yaml:29:18: spec.environments[0].additionalFederations[1].name: derives federated identity credential name "aks-blue-open-webui-open-webui", which spec.environments[0].additionalFederations[0].name already has on identity "id-app"; credential names are unique per identity: rename the federation`}},
		{"credential names colliding after mapping",
			edit(t, "          fromCluster: true\n", "          fromCluster: true\n      additionalFederations:\n        - {name: aks-prod, namespace: open-webui, serviceAccount: open.webui, issuer: {url: \"https://issuer.example.com/1\"}}\n"),
			[]string{`wigen.yaml:28:18: spec.environments[0].additionalFederations[0].name: derives federated identity credential name "aks-prod-open-webui-open-webui", which spec.environments[0].cluster.name already has on identity "id-app"; credential names are unique per identity: rename the federation`}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if d := cmp.Diff(tt.want, diagnostics(t, tt.doc)); d != "" {
				t.Errorf("(-want +got):\n%s\n%s", d, numbered(tt.doc))
			}
		})
	}
}

func TestIssuerIsCanonical(t *testing.T) {
	const aks = "westeurope.oic.prod-aks.azure.com/22222222-2222-2222-2222-222222222222/55555555-5555-5555-5555-555555555555"
	for _, tt := range []struct{ url, want string }{
		{"HTTPS://" + aks + "/", `"HTTPS://` + aks + `/": write the scheme in lowercase, https://, as it is in the tokens' iss claim (the issuer is matched exactly)`},
		{"https://WESTEUROPE.oic.prod-aks.azure.com/x/", `"https://WESTEUROPE.oic.prod-aks.azure.com/x/": write the host in lowercase, westeurope.oic.prod-aks.azure.com, as it is in the tokens' iss claim (the issuer is matched exactly)`},
		{"https://westeurope.oic.prod-aks.azure.com:443/x", `"https://westeurope.oic.prod-aks.azure.com:443/x": AKS issuers have no port (the issuer is matched exactly)`},
		{"https://westeurope.oic.prod-aks.azure.com./x", `"https://westeurope.oic.prod-aks.azure.com./x": the host ends with '.', which the tokens' iss claim does not have (the issuer is matched exactly)`},
		{"https://user@" + aks + "/", `"https://user@` + aks + `/" has user information before the host; an OIDC issuer has none`},
		{"https://westeurope.oic.prod-aks.azure.com//x//", `"https://westeurope.oic.prod-aks.azure.com//x//" has an empty path segment (//); the issuer is matched exactly`},
		{"https://issuer.example.com:8443/realm", ""},
	} {
		doc := edit(t, "fromCluster: true", "url: \""+tt.url+"\"")
		var want []string
		if tt.want != "" {
			want = []string{"wigen.yaml:26:16: spec.environments[0].cluster.issuer.url: " + tt.want}
		}
		if d := cmp.Diff(want, diagnostics(t, doc)); d != "" {
			t.Errorf("%s (-want +got):\n%s", tt.url, d)
		}
	}
}

func TestProviderMinimumsAndEmptyDefaults(t *testing.T) {
	for _, tt := range []struct {
		insert string
		want   []string
	}{
		{"  terraform:\n    providers:\n      kubernetes: \"~> 1.13\"\n", []string{`wigen.yaml:8:19: spec.terraform.providers.kubernetes: "~> 1.13" admits only versions before 2.0.0, which have no kubernetes_namespace_v1; use "~> 3.0" or "~> 2.38"`}},
		{"  terraform:\n    providers:\n      azurerm: \"~> 2.99\"\n", []string{`wigen.yaml:8:16: spec.terraform.providers.azurerm: "~> 2.99" admits only versions before 3.0.0, which have no azurerm_federated_identity_credential; use "~> 4.65"`}},
		{"  terraform:\n    providers:\n      helm: \"~> 1.3\"\n", []string{`wigen.yaml:8:13: spec.terraform.providers.helm: "~> 1.3" admits only versions before 2.0.0, whose helm_release and provider arguments differ from what wigen writes; use ">= 3.1.1, < 4.0.0"`}},
		{"  terraform:\n    providers:\n      azurerm: \"\"\n", []string{`wigen.yaml:8:16: spec.terraform.providers.azurerm: is empty; leave the field out for the default, "~> 4.65"`}},
		{"  output:\n", []string{`wigen.yaml:6:10: spec.output: is empty; leave the field out for the default, "deploy"`}},
		{"  terraform:\n    providers:\n      kubernetes: \"< 3.0\"\n", nil},
	} {
		doc := edit(t, "spec:\n", "spec:\n"+tt.insert)
		if d := cmp.Diff(tt.want, diagnostics(t, doc)); d != "" {
			t.Errorf("%q (-want +got):\n%s", tt.insert, d)
		}
	}
}

func TestMoreValueRules(t *testing.T) {
	const acct = "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/aoai"
	for _, tt := range []struct {
		name string
		doc  string
		want []string
	}{
		{"namespaceOverride", edit(t, "    imageTag: v0.6.33\n", "    imageTag: v0.6.33\n    values: {namespaceOverride: other}\n"),
			[]string{`wigen.yaml:9:33: spec.chart.values.namespaceOverride: would put the chart's objects, the service account among them, in another namespace than the environment's, so the federated credential's subject would not match; set the environment's namespace instead`}},
		{"token expiration allowed", edit(t, "    imageTag: v0.6.33\n", "    imageTag: v0.6.33\n    values:\n      podAnnotations:\n        azure.workload.identity/service-account-token-expiration: \"86400\"\n"), nil},
		{"token expiration out of range", edit(t, "    imageTag: v0.6.33\n", "    imageTag: v0.6.33\n    values:\n      podAnnotations:\n        azure.workload.identity/service-account-token-expiration: \"90000\"\n"),
			[]string{`wigen.yaml:11:67: spec.chart.values.podAnnotations["azure.workload.identity/service-account-token-expiration"]: "90000": the token expiration is a whole number of seconds from 3600 to 86400; the webhook refuses the pod otherwise`}},
		{"token expiration as a number", edit(t, "    imageTag: v0.6.33\n", "    imageTag: v0.6.33\n    values:\n      podAnnotations:\n        azure.workload.identity/service-account-token-expiration: 3600\n"),
			[]string{`wigen.yaml:11:67: spec.chart.values.podAnnotations["azure.workload.identity/service-account-token-expiration"]: annotation values are strings, and the API server refuses the number 3600: quote it, "3600"`}},
		{"sidecar off", edit(t, "    imageTag: v0.6.33\n", "    imageTag: v0.6.33\n    values:\n      podAnnotations:\n        azure.workload.identity/inject-proxy-sidecar: \"false\"\n"),
			[]string{`wigen.yaml:11:55: spec.chart.values.podAnnotations["azure.workload.identity/inject-proxy-sidecar"]: "false" still injects the proxy sidecar: the webhook only checks that the annotation is there (azure-workload-identity#1210); remove it to turn the sidecar off`}},
		{"endpoint of another account", edit(t, "endpoint: https://aoai.openai.azure.com", "endpoint: https://other.openai.azure.com"),
			[]string{`wigen.yaml:11:15: warning: spec.azureOpenAI.endpoint: names account "other", but accountId names "aoai": the role is assigned on one account while the app calls the other (unless "other" is the custom subdomain of "aoai")`}},
		{"custom endpoint", edit(t, "endpoint: https://aoai.openai.azure.com", "endpoint: https://ai-gateway.example.com/aoai"), nil},
		{"deployment URL", edit(t, "endpoint: https://aoai.openai.azure.com", "endpoint: https://aoai.openai.azure.com/openai/deployments/gpt-4o"),
			[]string{`wigen.yaml:11:15: spec.azureOpenAI.endpoint: "https://aoai.openai.azure.com/openai/deployments/gpt-4o" is a URL inside the API; write the account endpoint without /openai/..., e.g. "https://aoai.openai.azure.com"`}},
		{"backend type typo", edit(t, "spec:\n", "spec:\n  terraform:\n    backend: {type: azurem}\n"),
			[]string{`wigen.yaml:7:21: spec.terraform.backend.type: "azurem" is not a Terraform backend; did you mean "azurerm"?`}},
		{"backend secret", edit(t, "spec:\n", "spec:\n  terraform:\n    backend: {type: azurerm, config: {access_key: abc}}\n"),
			[]string{`wigen.yaml:7:51: spec.terraform.backend.config.access_key: carries a secret, and wigen's versions.tf is committed: leave it out; the azurerm backend reads it from the ARM_ACCESS_KEY environment variable, or terraform init -backend-config=FILE with a file you do not commit`}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_ = acct
			if d := cmp.Diff(tt.want, diagnostics(t, tt.doc)); d != "" {
				t.Errorf("(-want +got):\n%s\n%s", d, numbered(tt.doc))
			}
		})
	}
}

func TestYAMLErrorPositions(t *testing.T) {
	for _, tt := range []struct{ doc, want string }{
		{"a:\n  b: [1, 2\n  c: 3\n", "wigen.yaml:2:6: invalid YAML: did not find expected ',' or ']'"},
		{"a: b\nc\nd: e\n", "wigen.yaml:2:1: invalid YAML: could not find expected ':'"},
		{"a: 1\nb: [x, *t]\n", "wigen.yaml:2:8: invalid YAML: unknown anchor \"t\" referenced; define the anchor (&t) before its first use"},
	} {
		if got := diagnostics(t, tt.doc); len(got) != 1 || got[0] != tt.want {
			t.Errorf("%q: got %q, want %q", tt.doc, got, tt.want)
		}
	}
}

// TestBackendStatePerEnvironment: with several environments, every
// environment gets a state of its own, or the backend is refused.
func TestBackendStatePerEnvironment(t *testing.T) {
	two := func(backend string) string {
		return edit(t, "spec:\n", "spec:\n  terraform:\n    backend: "+backend+"\n",
			"  environments:\n", "  environments:\n    - name: dev\n      subscriptionId: 11111111-1111-1111-1111-111111111111\n      location: westeurope\n      resourceGroup: rg-app\n      namespace: dev\n      serviceAccount: open-webui\n      roles: []\n      identity: {name: id-app, existing: true}\n      cluster: {name: aks-dev, issuer: {url: \"https://issuer.example.com/dev\"}}\n")
	}
	for _, tt := range []struct {
		backend string
		want    []string
	}{
		{"{type: azurerm, config: {container_name: tfstate}}", nil},
		{"{type: gcs, config: {bucket: b}}", nil},
		{"{type: local}", nil},
		{"{type: gcs, config: {bucket: b, prefix: app}}", []string{`wigen.yaml:7:54: spec.terraform.backend.config.prefix: would put every environment in the same state; leave it out and wigen writes prefix = "<metadata.name>-<environment>" for each`}},
		{"{type: local, config: {path: ../state.tfstate}}", []string{
			`wigen.yaml:7:43: spec.terraform.backend.config.path: "../state.tfstate" leaves the module's folder, where it can name another module's state; give a path inside the module's folder, or leave it out (terraform.tfstate in the module's folder)`,
			`wigen.yaml:7:43: spec.terraform.backend.config.path: would put every environment in the same state file; leave it out and each module keeps its terraform.tfstate in its own folder`,
		}},
		{"{type: pg, config: {schema_name: app}}", []string{`wigen.yaml:7:21: spec.terraform.backend.type: "pg" cannot give each of several environments its own state through wigen (it sets key for azurerm and s3, prefix for gcs); use one of those, or one wigen.yaml per environment`}},
		{"{type: pg, config: {conn_str: \"postgres://u:p@db/x\"}}", []string{
			`wigen.yaml:7:21: spec.terraform.backend.type: "pg" cannot give each of several environments its own state through wigen (it sets key for azurerm and s3, prefix for gcs); use one of those, or one wigen.yaml per environment`,
			`wigen.yaml:7:44: spec.terraform.backend.config.conn_str: carries a secret, and wigen's versions.tf is committed: leave it out; the pg backend reads it from the PG_CONN_STR environment variable, or the connection string without its password and the password in PGPASSWORD or ~/.pgpass (libpq), or terraform init -backend-config=FILE with a file you do not commit`}},
	} {
		if d := cmp.Diff(tt.want, diagnostics(t, two(tt.backend))); d != "" {
			t.Errorf("%s (-want +got):\n%s", tt.backend, d)
		}
	}
	s, err := LoadBytes("wigen.yaml", []byte(validDoc))
	if err != nil {
		t.Fatal(err)
	}
	e := &s.Spec.Environments[0]
	for typ, want := range map[string][2]string{"azurerm": {"key", "open-webui-prod.tfstate"}, "s3": {"key", "open-webui-prod.tfstate"}, "gcs": {"prefix", "open-webui-prod"}, "local": {"", ""}} {
		if arg, val := BackendStateArgument(s, e, typ); arg != want[0] || val != want[1] {
			t.Errorf("%s: %s = %q, want %s = %q", typ, arg, val, want[0], want[1])
		}
	}
}

func TestSecondRoundRules(t *testing.T) {
	shared := func(green string) string {
		return edit(t, "  environments:\n", "  environments:\n    - name: dev\n      subscriptionId: 11111111-1111-1111-1111-111111111111\n      location: westeurope\n      resourceGroup: rg-app\n      namespace: dev\n      serviceAccount: open-webui\n"+green+"      cluster: {name: aks-dev, issuer: {url: \"https://issuer.example.com/dev\"}}\n")
	}
	for _, tt := range []struct {
		name string
		doc  string
		want []string
	}{
		{"same role by name and by ID", edit(t, "  environments:\n", "  roles:\n    - role: Cognitive Services OpenAI User\n    - role: 5e0bd9bd-7b93-4f28-af87-19fc36ad61bd\n  environments:\n"),
			[]string{`wigen.yaml:15:7: spec.roles[1]: assigns the same role on the same scope as roles[0]`}},
		{"same role by name and by ID across environments", shared("      roles: [{role: 5e0bd9bd-7b93-4f28-af87-19fc36ad61bd}]\n      identity: {name: id-app, existing: true}\n"),
			[]string{`wigen.yaml:23:7: spec.environments[1].roles[0]: environment "prod" assigns "Cognitive Services OpenAI User" on this scope to identity "id-app", as environment "dev" already does; a role assignment exists once (a second one fails with 409 RoleAssignmentExists): set roles: [] in environment "prod" and leave it to "dev"`}},
		{"one identity with two client IDs", edit(t, "        name: id-app\n", "        name: id-app\n        clientId: 33333333-3333-3333-3333-333333333333\n",
			"  environments:\n", "  environments:\n    - name: dev\n      subscriptionId: 11111111-1111-1111-1111-111111111111\n      location: westeurope\n      resourceGroup: rg-app\n      namespace: dev\n      serviceAccount: open-webui\n      roles: []\n      identity: {name: id-app, existing: true, clientId: 44444444-4444-4444-4444-444444444444}\n      cluster: {name: aks-dev, issuer: {url: \"https://issuer.example.com/dev\"}}\n"),
			[]string{`wigen.yaml:31:19: spec.environments[1].identity.clientId: environment "prod": identity "id-app" already has client ID 44444444-4444-4444-4444-444444444444 in environment "dev"; one identity has one client ID`}},
		{"an environment's issuer replaces the default's", strings.Replace(strings.Replace(validDoc, "  environments:\n", "  defaults:\n    cluster: {issuer: {remoteState: {backend: local, config: {path: x}}}}\n  environments:\n", 1), "fromCluster: true", "url: https://issuer.example.com/", 1), nil},
		{"unknown pod annotation", edit(t, "    imageTag: v0.6.33\n", "    imageTag: v0.6.33\n    values:\n      podAnnotations:\n        azure.workload.identity/skip-container: app\n"),
			[]string{`wigen.yaml:11:49: spec.chart.values.podAnnotations["azure.workload.identity/skip-container"]: "azure.workload.identity/skip-container" is not a Workload ID key; did you mean "azure.workload.identity/skip-containers" (under chart.values.podAnnotations)?`}},
		{"endpoint with a query", edit(t, "endpoint: https://aoai.openai.azure.com", "endpoint: https://aoai.openai.azure.com?api-version=1"),
			[]string{`wigen.yaml:11:15: spec.azureOpenAI.endpoint: "https://aoai.openai.azure.com?api-version=1" has a query or fragment; write the account endpoint alone (the API version goes in apiVersion)`}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if d := cmp.Diff(tt.want, diagnostics(t, tt.doc)); d != "" {
				t.Errorf("(-want +got):\n%s\n%s", d, numbered(tt.doc))
			}
		})
	}
}

// TestBlankFields: a field written null or "" is an error wherever it is,
// not a quiet request for the default or the inherited value.
func TestBlankFields(t *testing.T) {
	for _, tt := range []struct{ from, to, want string }{
		{"      location: westeurope\n", "      location: westeurope\n      tenantId: \"\"\n", `wigen.yaml:17:17: spec.environments[0].tenantId: is empty; leave the field out (to take its default, or inherit it from spec.defaults) or give it a value`},
		{"      location: westeurope\n", "      location: westeurope\n      roles:\n", `wigen.yaml:17:13: spec.environments[0].roles: is empty; leave the field out (to take its default, or inherit it from spec.defaults) or give it a value`},
		{"      location: westeurope\n", "      location: westeurope\n      createNamespace:\n", `wigen.yaml:17:23: spec.environments[0].createNamespace: is empty; leave the field out (to take its default, or inherit it from spec.defaults) or give it a value`},
		{"        name: id-app\n", "        name: id-app\n        clientId: \"\"\n", `wigen.yaml:22:19: spec.environments[0].identity.clientId: is empty; leave the field out (to take its default, or inherit it from spec.defaults) or give it a value`},
	} {
		doc := edit(t, tt.from, tt.to)
		if d := cmp.Diff([]string{tt.want}, diagnostics(t, doc)); d != "" {
			t.Errorf("%q (-want +got):\n%s\n%s", tt.to, d, numbered(doc))
		}
	}
}
