package schema

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestHostileInputs: inputs a hostile user tried (B* and D* of the
// attack report), each refused or warned about with its exact message,
// and the valid neighbour of each rule accepted.
func TestHostileInputs(t *testing.T) {
	// long53 is a DNS label of 53 characters holding the chart name.
	const long53 = "open-webui-for-the-platform-team-in-production-eu-abc"
	// chat42 is a release name of 42 characters without the chart name:
	// chart 16.0.0 names the workload "<release>-open-webui", 53.
	const chat42 = "chat-for-the-platform-team-in-production-e"
	const acct = "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/aoai"
	repo := func(r string) string {
		return edit(t, "    version: 7.2.0\n", "    version: 7.2.0\n    repository: "+r+"\n")
	}
	endpoint := func(ep string) string {
		return edit(t, "    endpoint: https://aoai.openai.azure.com\n", "    endpoint: "+ep+"\n")
	}
	server := func(s string) string {
		return edit(t, "      namespace: open-webui\n", "      namespace: open-webui\n      targets: [terraform, argocd]\n      terraform: {release: false}\n      argocd: {destination: {server: "+s+"}}\n")
	}
	apiVersion := func(s string) string {
		return edit(t, "    deployments: [gpt-4o]\n", "    deployments: [gpt-4o]\n    apiVersion: "+s+"\n")
	}
	values := func(v string) string {
		return edit(t, "    imageTag: v0.6.33\n", "    imageTag: v0.6.33\n    values:\n"+v)
	}
	namespace := func(ns string, extra string) string {
		return edit(t, "      namespace: open-webui\n", "      namespace: "+ns+"\n"+extra)
	}
	const g1, g2 = "22222222-2222-2222-2222-222222222222", "55555555-5555-5555-5555-555555555555"
	issuer := func(url string) string { return edit(t, "fromCluster: true", "url: \""+url+"\"") }
	issuerErr := func(url, msg string) []string {
		return []string{"wigen.yaml:26:16: spec.environments[0].cluster.issuer.url: " + Quote(url) + msg}
	}
	const notAKS = " is not an AKS issuer: on this host an issuer is https://westeurope.oic.prod-aks.azure.com/<tenant GUID>/<GUID>/, as az aks show -n <cluster> -g <resource group> --query oidcIssuerProfile.issuerUrl -o tsv prints it"
	// env53 is an environment name of 53 characters: with "open-webui-"
	// the GitOps objects' name has 64.
	const env53 = "prod-for-the-platform-team-in-production-eu-west-abcd"
	gitops := func(target, env string) string {
		return strings.Replace(edit(t, "      namespace: open-webui\n", "      namespace: open-webui\n      targets: [terraform, "+target+"]\n      terraform: {release: false}\n"), "- name: prod", "- name: "+env, 1)
	}
	tests := []struct {
		name string
		doc  string
		want []string
	}{
		// D2: the HelmRelease and Application are named
		// <metadata.name>-<environment>; helm-controller writes the
		// HelmRelease name to a label of every object.
		{"D2 HelmRelease name over 63", gitops("flux", env53),
			[]string{`wigen.yaml:14:13: spec.environments[0].name: the HelmRelease would be named "open-webui-` + env53 + `", 64 characters: helm-controller writes it to the label helm.toolkit.fluxcd.io/name of every object, and a label value holds at most 63; shorten metadata.name or the environment name`}},
		{"D2 HelmRelease name of 63", gitops("flux", env53[1:]), nil},
		{"D2 Application name over 63", gitops("argocd", env53),
			[]string{`wigen.yaml:14:13: warning: spec.environments[0].name: the Application would be named "open-webui-` + env53 + `", 64 characters: with Argo CD's label tracking (app.kubernetes.io/instance, the default before 3.0) a label value holds at most 63 and the sync fails; annotation tracking is not limited`}},
		// The nil GUID in an AKS issuer is a placeholder, as elsewhere.
		{"nil GUID in an AKS issuer", issuer("https://westeurope.oic.prod-aks.azure.com/00000000-0000-0000-0000-000000000000/00000000-0000-0000-0000-000000000000/"),
			issuerErr("https://westeurope.oic.prod-aks.azure.com/00000000-0000-0000-0000-000000000000/00000000-0000-0000-0000-000000000000/", " names the nil GUID, a placeholder: an AKS issuer holds the tenant's GUID and the cluster's own; az aks show -n <cluster> -g <resource group> --query oidcIssuerProfile.issuerUrl -o tsv prints it")},
		// Argo CD matches destination.server exactly.
		{"Argo CD server with a query", server(`"https://k8s.example.com/path?x=1"`),
			[]string{`wigen.yaml:21:38: spec.environments[0].argocd.destination.server: "https://k8s.example.com/path?x=1" has a query or fragment; Argo CD matches the server exactly against the URLs its clusters are registered with (argocd cluster list), which have none`}},
		{"Argo CD server with a trailing slash", server(`"https://k8s.example.com/"`),
			[]string{`wigen.yaml:21:38: warning: spec.environments[0].argocd.destination.server: "https://k8s.example.com/" ends with '/'; Argo CD matches the server exactly against the URLs its clusters are registered with (argocd cluster list), which seldom do: write it as that list shows it`}},
		{"Argo CD server behind a proxy path", server(`"https://rancher.example.com/k8s/clusters/c-m-abc"`), nil},
		// B5: shell metacharacters and whitespace in the repository.
		{"B5 repository with $()", repo(`"https://helm.openwebui.com/$(id)"`),
			[]string{`wigen.yaml:8:17: spec.chart.repository: "https://helm.openwebui.com/$(id)" holds "$", which a chart repository URL does not need and a shell reads specially (wigen writes the URL into helm commands); allowed: letters, digits and - . _ ~ : / @ % + = ,`}},
		{"B5 repository with a space", repo(`"https://helm.openwebui.com/ x"`),
			[]string{`wigen.yaml:8:17: spec.chart.repository: "https://helm.openwebui.com/ x" holds a space, which a chart repository URL does not need and a shell reads specially (wigen writes the URL into helm commands); allowed: letters, digits and - . _ ~ : / @ % + = ,`}},
		{"B5 repository with a path and port", repo(`https://charts.example.com:8443/open-webui/`), nil},
		// B6: tokens in URLs.
		{"B6 repository with a query", repo(`"https://helm.openwebui.com/?token=abc"`),
			[]string{`wigen.yaml:8:17: spec.chart.repository: "https://helm.openwebui.com/?token=abc" has a query or fragment, which often carries a token and would be committed with wigen's output; write the repository URL alone and give credentials to Helm (helm repo add --username, or a registry login)`}},
		{"B6 repository with a fragment", repo(`"https://helm.openwebui.com/#t"`),
			[]string{`wigen.yaml:8:17: spec.chart.repository: "https://helm.openwebui.com/#t" has a query or fragment, which often carries a token and would be committed with wigen's output; write the repository URL alone and give credentials to Helm (helm repo add --username, or a registry login)`}},
		{"B6 endpoint with user information", endpoint("https://apikey:s3cr3t@aoai.openai.azure.com"),
			[]string{`wigen.yaml:11:15: spec.azureOpenAI.endpoint: "https://apikey:s3cr3t@aoai.openai.azure.com" has user information before the host, which would be committed with wigen's output; write the account endpoint alone, e.g. https://my-account.openai.azure.com (the app authenticates with Workload ID)`}},
		{"B6 Argo CD server with user information", server(`"https://user:tok@k8s.example.com"`),
			[]string{`wigen.yaml:21:38: spec.environments[0].argocd.destination.server: "https://user:tok@k8s.example.com" has user information before the host, which would be committed with the Application; write the server URL as Argo CD registers the cluster (argocd cluster list), credentials stay in its cluster secret`}},
		{"B6 Argo CD server with a port", server(`"https://k8s.example.com:6443"`), nil},
		// B20: ports and hosts.
		// An empty query still puts '?' into OPENAI_API_BASE_URLS.
		{"endpoint with an empty query", endpoint(`"https://aoai.openai.azure.com?"`),
			[]string{`wigen.yaml:11:15: spec.azureOpenAI.endpoint: "https://aoai.openai.azure.com?" has a query or fragment; write the account endpoint alone (the API version goes in apiVersion)`}},
		{"B20 endpoint port out of range", endpoint("https://aoai.openai.azure.com:99999/"),
			[]string{`wigen.yaml:11:15: spec.azureOpenAI.endpoint: "https://aoai.openai.azure.com:99999/" is not an account endpoint: port "99999" is not a port number (1 to 65535); write one URL, e.g. https://my-account.openai.azure.com`}},
		{"B20 endpoint port 0", endpoint("https://aoai.openai.azure.com:0"),
			[]string{`wigen.yaml:11:15: spec.azureOpenAI.endpoint: "https://aoai.openai.azure.com:0" is not an account endpoint: port "0" is not a port number (1 to 65535); write one URL, e.g. https://my-account.openai.azure.com`}},
		{"B20 two endpoints joined with a comma", endpoint("https://aoai.openai.azure.com,https://evil.com"),
			[]string{`wigen.yaml:11:15: spec.azureOpenAI.endpoint: "https://aoai.openai.azure.com,https://evil.com" is not an account endpoint: host "aoai.openai.azure.com,https" is not a host name (letters, digits, '-' and '_' in labels separated by '.'); write one URL, e.g. https://my-account.openai.azure.com`}},
		{"B20 endpoint on an IP address and port", endpoint("https://10.0.0.4:8443"), nil},
		{"B20 Argo CD server port out of range", server(`"https://k8s.example.com:70000"`),
			[]string{`wigen.yaml:21:38: spec.environments[0].argocd.destination.server: "https://k8s.example.com:70000" is not a cluster API server URL: port "70000" is not a port number (1 to 65535)`}},
		{"B20 repository port 65536", repo(`https://helm.openwebui.com:65536/`),
			[]string{`wigen.yaml:8:17: spec.chart.repository: "https://helm.openwebui.com:65536/" is not a chart repository URL: port "65536" is not a port number (1 to 65535)`}},
		// B18: scheme case.
		{"B18 uppercase OCI scheme", repo(`OCI://ghcr.io/open-webui/helm-charts`),
			[]string{`wigen.yaml:8:17: spec.chart.repository: "OCI://ghcr.io/open-webui/helm-charts": write the scheme in lowercase, "oci://ghcr.io/open-webui/helm-charts" (Flux refuses another case, and wigen tells an OCI repository by oci://)`}},
		{"B18 mixed-case https scheme", repo(`Https://helm.openwebui.com/`),
			[]string{`wigen.yaml:8:17: spec.chart.repository: "Https://helm.openwebui.com/": write the scheme in lowercase, "https://helm.openwebui.com/" (Flux refuses another case, and wigen tells an OCI repository by oci://)`}},
		// B19: API versions are dates.
		{"B19 apiVersion not a date", apiVersion("2024-13-45"),
			[]string{`wigen.yaml:13:17: spec.azureOpenAI.apiVersion: "2024-13-45" is not an Azure OpenAI API version: YYYY-MM-DD or YYYY-MM-DD-preview, e.g. 2024-10-21`}},
		{"B19 apiVersion 30 February preview", apiVersion("2025-02-30-preview"),
			[]string{`wigen.yaml:13:17: spec.azureOpenAI.apiVersion: "2025-02-30-preview" is not an Azure OpenAI API version: YYYY-MM-DD or YYYY-MM-DD-preview, e.g. 2024-10-21`}},
		{"B19 apiVersion preview", apiVersion("2025-04-01-preview"), nil},
		// B15: the nil GUID as a subscription.
		{"B15 accountId in the nil subscription", edit(t, "    accountId: /subscriptions/11111111-1111-1111-1111-111111111111/", "    accountId: /subscriptions/00000000-0000-0000-0000-000000000000/"),
			[]string{`wigen.yaml:10:16: spec.azureOpenAI.accountId: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/aoai" names the nil GUID as its subscription, a placeholder; put the account's resource ID here: az cognitiveservices account show -n <name> -g <resource group> --query id -o tsv`}},
		{"B15 role scope in the nil subscription", edit(t, "      namespace: open-webui\n", "      namespace: open-webui\n      roles: [{role: Cognitive Services OpenAI User, scope: /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ai}]\n"),
			[]string{`wigen.yaml:19:61: spec.environments[0].roles[0].scope: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ai" names the nil GUID as its subscription, a placeholder; put the resource ID the role applies to here, e.g. the Azure OpenAI account's`}},
		{"B15 role assignment ID ending with the nil GUID", adoptDoc(t, "      adopt:\n        import: true\n        roleAssignmentIds:\n          Cognitive Services OpenAI User: "+acct+"/providers/Microsoft.Authorization/roleAssignments/00000000-0000-0000-0000-000000000000\n"),
			[]string{`wigen.yaml:31:43: spec.environments[0].adopt.roleAssignmentIds["Cognitive Services OpenAI User"]: "` + acct + `/providers/Microsoft.Authorization/roleAssignments/00000000-0000-0000-0000-000000000000" ends with the nil GUID, a placeholder; put the ID of the existing assignment here, as ` + "`" + `az role assignment list --assignee "$(az identity show --name id-app --resource-group rg-app --subscription 11111111-1111-1111-1111-111111111111 --query principalId --output tsv)" --role 'Cognitive Services OpenAI User' --scope ` + acct + ` --query '[].id' --output tsv` + "`" + ` prints it`}},
		// B9: the namespaces every cluster starts with.
		{"B9 default namespace created", namespace("default", ""),
			[]string{`wigen.yaml:18:18: spec.environments[0].namespace: "default" exists in every cluster, but wigen creates the namespace (createNamespace defaults to true): Terraform fails with "already exists" and the overlays would take it over; use a namespace of the app's own, or set createNamespace: false`}},
		{"B9 default namespace not created", namespace("default", "      createNamespace: false\n"), nil},
		{"B9 kube-public", namespace("kube-public", ""),
			[]string{`wigen.yaml:18:18: spec.environments[0].namespace: "kube-public" is a namespace Kubernetes creates for itself (the kube- prefix is reserved for system namespaces); use a namespace of the app's own`}},
		{"B9 kube-node-lease not created", namespace("kube-node-lease", "      createNamespace: false\n"),
			[]string{`wigen.yaml:18:18: spec.environments[0].namespace: "kube-node-lease" is a namespace Kubernetes creates for itself (the kube- prefix is reserved for system namespaces); use a namespace of the app's own`}},
		// B8: label and annotation values are strings.
		{"B8 pod annotation and label values not strings", values("      podAnnotations: {prometheus.io/scrape: true, note: \"x\", gone: null}\n      podLabels: {team: 42}\n"),
			[]string{
				`wigen.yaml:10:46: spec.chart.values.podAnnotations["prometheus.io/scrape"]: annotation values are strings, and the API server refuses the boolean true: quote it, "true"`,
				`wigen.yaml:11:25: spec.chart.values.podLabels.team: label values are strings, and the API server refuses the number 42: quote it, "42"`,
			}},
		{"B8 service account, persistence and subchart maps", values("      serviceAccount: {annotations: {a: 1}}\n      persistence: {annotations: {b: [x]}}\n      ollama: {extraLabels: {c: {d: e}}}\n"),
			[]string{
				`wigen.yaml:10:41: spec.chart.values.serviceAccount.annotations.a: annotation values are strings, and the API server refuses the number 1: quote it, "1"`,
				`wigen.yaml:11:38: spec.chart.values.persistence.annotations.b: annotation values are strings, not a list`,
				`wigen.yaml:12:33: spec.chart.values.ollama.extraLabels.c: label values are strings, not a mapping`,
			}},
		{"B8 quoted values", values("      podAnnotations: {prometheus.io/scrape: \"true\"}\n      podLabels: {team: \"42\"}\n"), nil},
		// B7: a StatefulSet name over 52 characters creates no pods.
		{"B7 release name makes a long StatefulSet name on chart 16.0.0", edit(t, "  name: open-webui\n", "  name: "+long53+"\n", "    version: 7.2.0\n", "    version: 16.0.0\n"),
			[]string{`wigen.yaml:4:9: metadata.name: makes the open-webui chart name its StatefulSet "` + long53 + `", 53 characters; the StatefulSet controller labels each pod controller-revision-hash=<name>-<hash>, and with a name over 52 characters that label is over 63 and no pod is created (kubernetes/kubernetes#64023); choose a release name that makes it shorter, or set chart.values.fullnameOverride`}},
		{"B7 release name of 42 characters and the chart name on chart 16.0.0", edit(t, "  name: open-webui\n", "  name: "+chat42+"\n", "    version: 7.2.0\n", "    version: 16.0.0\n"),
			[]string{`wigen.yaml:4:9: metadata.name: makes the open-webui chart name its StatefulSet "` + chat42 + `-open-webui", 53 characters; the StatefulSet controller labels each pod controller-revision-hash=<name>-<hash>, and with a name over 52 characters that label is over 63 and no pod is created (kubernetes/kubernetes#64023); choose a release name that makes it shorter, or set chart.values.fullnameOverride`}},
		{"B7 long release name on chart 7.2.0 names nothing", edit(t, "  name: open-webui\n", "  name: "+long53+"\n"), nil},
		{"B7 long release name with a Deployment", edit(t, "  name: open-webui\n", "  name: "+long53+"\n", "    version: 7.2.0\n", "    version: 16.0.0\n    values: {persistence: {provider: s3}}\n"), nil},
		{"B7 long nameOverride on chart 7.2.0", values("      nameOverride: " + long53 + "\n"),
			[]string{`wigen.yaml:10:21: spec.chart.values.nameOverride: makes the open-webui chart name its StatefulSet "` + long53 + `", 53 characters; the StatefulSet controller labels each pod controller-revision-hash=<name>-<hash>, and with a name over 52 characters that label is over 63 and no pod is created (kubernetes/kubernetes#64023); shorten it`}},
		{"B7 fullnameOverride of 52 characters", edit(t, "    version: 7.2.0\n", "    version: 16.0.0\n    values: {fullnameOverride: "+long53[:52]+"}\n"), nil},
		// B10: AKS issuers in the sovereign clouds, and the path of every AKS issuer.
		{"B10 Azure Government issuer without its trailing slash", issuer("https://usgovvirginia.oic.prod-aks.azure.us/" + g1 + "/" + g2),
			issuerErr("https://usgovvirginia.oic.prod-aks.azure.us/"+g1+"/"+g2, " is an AKS issuer without its trailing '/'; AKS issuers end with '/' and the token exchange fails with AADSTS70021 without it: write "+Quote("https://usgovvirginia.oic.prod-aks.azure.us/"+g1+"/"+g2+"/"))},
		{"B10 Azure China issuer without its trailing slash", issuer("https://chinanorth2.oic.prod-aks.azure.cn/" + g1 + "/" + g2),
			issuerErr("https://chinanorth2.oic.prod-aks.azure.cn/"+g1+"/"+g2, " is an AKS issuer without its trailing '/'; AKS issuers end with '/' and the token exchange fails with AADSTS70021 without it: write "+Quote("https://chinanorth2.oic.prod-aks.azure.cn/"+g1+"/"+g2+"/"))},
		{"B10 Azure Government issuer", issuer("https://usgovvirginia.oic.prod-aks.azure.us/" + g1 + "/" + g2 + "/"), nil},
		{"B10 issuer with ..", issuer("https://westeurope.oic.prod-aks.azure.com/" + g1 + "/../" + g2 + "/"),
			issuerErr("https://westeurope.oic.prod-aks.azure.com/"+g1+"/../"+g2+"/", notAKS)},
		{"B10 issuer with an extra segment", issuer("https://westeurope.oic.prod-aks.azure.com/" + g1 + "/" + g2 + "/x/"),
			issuerErr("https://westeurope.oic.prod-aks.azure.com/"+g1+"/"+g2+"/x/", notAKS)},
		{"B10 issuer host only", issuer("https://westeurope.oic.prod-aks.azure.com/"),
			issuerErr("https://westeurope.oic.prod-aks.azure.com/", notAKS)},
		{"B10 issuer with segments that are not GUIDs", issuer("https://westeurope.oic.prod-aks.azure.com/222/444/"),
			issuerErr("https://westeurope.oic.prod-aks.azure.com/222/444/", notAKS)},
		{"B10 older AKS issuer with two segments", issuer("https://oidc.prod-aks.azure.com/" + g1 + "/" + g2 + "/"),
			issuerErr("https://oidc.prod-aks.azure.com/"+g1+"/"+g2+"/", " is not an AKS issuer: on this host an issuer is https://oidc.prod-aks.azure.com/<GUID>/, as az aks show -n <cluster> -g <resource group> --query oidcIssuerProfile.issuerUrl -o tsv prints it")},
		{"B10 older AKS issuer", issuer("https://oidc.prod-aks.azure.com/" + g2 + "/"), nil},
		// D12: no "add a '/'" suggestion for an issuer that is not one.
		{"D12 AKS issuer ending in ;x", issuer("https://westeurope.oic.prod-aks.azure.com/" + g1 + "/" + g2 + "/;x"),
			issuerErr("https://westeurope.oic.prod-aks.azure.com/"+g1+"/"+g2+"/;x", notAKS)},
		// B16: backend config values and the Terraform version constraint.
		// The local backend's path from the module's folder: absolute, or
		// out of the folder onto another module's state.
		{"local state path out of the module", edit(t, "      namespace: open-webui\n", "      namespace: open-webui\n      terraform:\n        backend: {type: local, config: {path: ../stg/terraform.tfstate, workspace_dir: /var/tf}}\n"),
			[]string{
				`wigen.yaml:20:47: spec.environments[0].terraform.backend.config.path: "../stg/terraform.tfstate" leaves the module's folder, where it can name another module's state; give a path inside the module's folder, or leave it out (terraform.tfstate in the module's folder)`,
				`wigen.yaml:20:88: spec.environments[0].terraform.backend.config.workspace_dir: "/var/tf" is an absolute path: it differs from machine to machine and lies outside the repository; give a path inside the module's folder, or leave it out (terraform.tfstate in the module's folder)`,
			}},
		{"local state path inside the module", edit(t, "      namespace: open-webui\n", "      namespace: open-webui\n      terraform:\n        backend: {type: local, config: {path: state/prod.tfstate}}\n"), nil},
		// B16: an argument the backend does not take stops terraform init.
		{"B16 argument the backend does not take", edit(t, "spec:\n", "spec:\n  terraform:\n    backend:\n      type: azurerm\n      config: {storage_account_name: st, container_nme: c, bogus_arg: x}\n"),
			[]string{
				`wigen.yaml:9:57: spec.terraform.backend.config.container_nme: is not an argument of the azurerm backend (Terraform v1.15.9), so terraform init would refuse it; did you mean "container_name"?`,
				`wigen.yaml:9:71: spec.terraform.backend.config.bogus_arg: is not an argument of the azurerm backend (Terraform v1.15.9), so terraform init would refuse it`,
			}},
		// A key that is no argument name is refused once, by that rule.
		{"B16 key that is no argument name", edit(t, "spec:\n", "spec:\n  terraform:\n    backend:\n      type: azurerm\n      config: {storage_account_name: st, container.name: c}\n"),
			[]string{`wigen.yaml:9:58: spec.terraform.backend.config["container.name"]: "container.name" is not a Terraform argument name (letters, digits, '_' and '-', not starting with a digit)`}},
		{"B16 null in backend config", edit(t, "spec:\n", "spec:\n  terraform:\n    backend:\n      type: cos\n      config: {storage_account_name: st, n: null, nested: {a: null}, list: [x, null]}\n"),
			[]string{
				`wigen.yaml:9:45: spec.terraform.backend.config.n: is null; give a string, number, boolean, list or mapping, or leave the argument out`,
				`wigen.yaml:9:63: spec.terraform.backend.config.nested.a: is null; give a string, number, boolean, list or mapping, or leave the argument out`,
				`wigen.yaml:9:80: spec.terraform.backend.config.list[1]: is null; give a string, number, boolean, list or mapping, or leave the argument out`,
			}},
		{"B16 null in remote state config", edit(t, "          fromCluster: true\n", "          remoteState: {backend: azurerm, config: {key: null}, output: issuer}\n"),
			[]string{`wigen.yaml:26:57: spec.environments[0].cluster.issuer.remoteState.config.key: is null; give a string, number, boolean, list or mapping, or leave the argument out`}},
		{"B16 requiredVersion admitting no version", edit(t, "spec:\n", "spec:\n  terraform:\n    requiredVersion: \">= 1.5.0, < 1.4.0\"\n"),
			[]string{`wigen.yaml:7:22: spec.terraform.requiredVersion: ">= 1.5.0, < 1.4.0" admits no Terraform version; e.g. ">= 1.5.0"`}},
		{"B16 requiredVersion before 1.0", edit(t, "spec:\n", "spec:\n  terraform:\n    requiredVersion: \"~> 0.12\"\n"),
			[]string{`wigen.yaml:7:22: spec.terraform.requiredVersion: "~> 0.12" admits Terraform versions before 1.0.0, which cannot run the modules wigen writes (the helm provider 3.x, the default, takes its kubernetes and set arguments as nested attributes, plugin protocol 6, which Terraform reads from 1.0); e.g. ">= 1.5.0"`}},
		{"B16 requiredVersion from 1.0", edit(t, "spec:\n", "spec:\n  terraform:\n    requiredVersion: \">= 1.0\"\n"), nil},
		// B17: the cluster's issuer as a URL and read with fromCluster.
		{"B17 issuer URL and fromCluster, same subject", edit(t, "          fromCluster: true\n", "          url: \"https://westeurope.oic.prod-aks.azure.com/"+g1+"/"+g2+"/\"\n      additionalFederations:\n        - {name: again, issuer: {fromCluster: true}}\n"),
			[]string{`wigen.yaml:28:11: spec.environments[0].additionalFederations[0]: federates subject "system:serviceaccount:open-webui:open-webui" with the issuer of cluster "aks-prod", as spec.environments[0].cluster.issuer does: given as a URL or read with fromCluster, it is one issuer, and issuer and subject must be unique per identity; remove one`}},
		{"B17 issuer URL and fromCluster, other namespace", edit(t, "          fromCluster: true\n", "          url: \"https://westeurope.oic.prod-aks.azure.com/"+g1+"/"+g2+"/\"\n      additionalFederations:\n        - {name: again, namespace: jobs, issuer: {fromCluster: true}}\n"), nil},
		{"B17 fromCluster and an additional URL cannot be compared", edit(t, "          fromCluster: true\n", "          fromCluster: true\n      additionalFederations:\n        - {name: again, issuer: {url: \"https://westeurope.oic.prod-aks.azure.com/"+g1+"/"+g2+"/\"}}\n"), nil},
		// D13: account names, deployment names without case, client IDs.
		// D4: two accounts of one name in two resource groups; their role
		// assignments are told apart by position.
		{"D4 two accounts of one name", edit(t, "  azureOpenAI:\n    accountId: "+acct+"\n    endpoint: https://aoai.openai.azure.com\n    deployments: [gpt-4o]\n",
			"  azureOpenAI:\n    - accountId: "+acct+"\n      endpoint: https://aoai.openai.azure.com\n      deployments: [gpt-4o]\n    - accountId: "+strings.Replace(acct, "rg-ai", "rg-ai-2", 1)+"\n      endpoint: https://aoai-2.cognitiveservices.azure.com\n      deployments: [o3]\n"),
			[]string{
				`wigen.yaml:13:18: warning: spec.azureOpenAI[1].accountId: the account name "aoai" is also that of spec.azureOpenAI[0] (in another resource group or subscription): their role assignments are told apart by their order in this list, so keep it; swapping the two entries makes Terraform destroy and create both assignments, and calls get 401 in between`,
				`wigen.yaml:14:17: warning: spec.azureOpenAI[1].endpoint: names account "aoai-2", but accountId names "aoai": the role is assigned on one account while the app calls the other (unless "aoai-2" is the custom subdomain of "aoai")`,
			}},
		{"D13 one-character account name", edit(t, "/accounts/aoai\n", "/accounts/a\n", "    endpoint: https://aoai.openai.azure.com\n", "    endpoint: https://a.openai.azure.com\n"),
			[]string{`wigen.yaml:10:16: spec.azureOpenAI.accountId: names account "a", which is not an Azure OpenAI account name: 2 to 64 letters, digits, '-', '_' and '.', starting with a letter or digit`}},
		{"D13 two-character account name", edit(t, "/accounts/aoai\n", "/accounts/ab\n", "    endpoint: https://aoai.openai.azure.com\n", "    endpoint: https://ab.openai.azure.com\n"), nil},
		{"D13 deployments differing only in case", edit(t, "    deployments: [gpt-4o]\n", "    deployments: [gpt-4o, GPT-4o]\n"),
			[]string{`wigen.yaml:12:27: spec.azureOpenAI.deployments[1]: "GPT-4o" is listed twice: as "gpt-4o" too, and Azure deployment names ignore case, so both name one deployment`}},
		{"D13 client ID equal to the subscription ID", edit(t, "        name: id-app\n", "        name: id-app\n        clientId: 11111111-1111-1111-1111-111111111111\n"),
			[]string{"wigen.yaml:22:19: spec.environments[0].identity.clientId: is the environment's subscriptionId; the client ID is the identity's own: `terraform output -raw client_id` in this environment's module, or az identity show --name id-app --resource-group rg-app --query clientId -o tsv, prints it"}},
		{"D13 client ID equal to the tenant ID", edit(t, "        name: id-app\n", "        name: id-app\n        clientId: 44444444-4444-4444-4444-444444444444\n", "      location: westeurope\n", "      location: westeurope\n      tenantId: 44444444-4444-4444-4444-444444444444\n"),
			[]string{"wigen.yaml:23:19: spec.environments[0].identity.clientId: is the environment's tenantId; the client ID is the identity's own: `terraform output -raw client_id` in this environment's module, or az identity show --name id-app --resource-group rg-app --query clientId -o tsv, prints it"}},
		// D12: bidirectional controls in chart values.
		{"D12 bidi control in a chart value", values("      extraEnvVars: [{name: GREETING, value: \"hello \\u202Eworld\"}]\n"),
			[]string{`wigen.yaml:10:46: spec.chart.values.extraEnvVars[0].value: holds the bidirectional control "\u202e", which makes the text read in another order than it is (Trojan Source, CVE-2021-42574); remove it`}},
		{"D12 bidi control in a chart value key", values("      podLabels: {\"te\\u2066am\": x}\n"),
			[]string{`wigen.yaml:10:33: spec.chart.values.podLabels["te\u2066am"]: holds the bidirectional control "\u2066", which makes the text read in another order than it is (Trojan Source, CVE-2021-42574); remove it`}},
		// D3: secrets written as chart values.
		{"D3 literal secrets in extraEnvVars", values("      extraEnvVars:\n        - {name: AZURE_CLIENT_SECRET, value: s3cr3t}\n        - {name: SEARCH_API_KEY, value: k}\n        - {name: DB_PASSWORD, valueFrom: {secretKeyRef: {name: db, key: password}}}\n        - {name: LOG_LEVEL, value: debug}\n"),
			[]string{
				`wigen.yaml:11:46: warning: spec.chart.values.extraEnvVars[0].value: AZURE_CLIENT_SECRET holds a secret in a committed file (wigen's output is committed); use a Secret: valueFrom.secretKeyRef`,
				`wigen.yaml:12:41: warning: spec.chart.values.extraEnvVars[1].value: SEARCH_API_KEY holds a secret in a committed file (wigen's output is committed); use a Secret: valueFrom.secretKeyRef`,
			}},
		{"D3 literal secret in the map form of extraEnvVars", values("      extraEnvVars: {GITHUB_TOKEN: ghp_x, EMPTY_TOKEN: \"\"}\n"),
			[]string{`wigen.yaml:10:36: warning: spec.chart.values.extraEnvVars.GITHUB_TOKEN: GITHUB_TOKEN holds a secret in a committed file (wigen's output is committed); use a Secret: valueFrom.secretKeyRef`}},
		{"D3 literal SSO client secret", values("      sso: {microsoft: {enabled: true, clientId: x, clientSecret: abc}, google: {clientSecret: \"\"}}\n"),
			[]string{`wigen.yaml:10:67: warning: spec.chart.values.sso.microsoft.clientSecret: is a secret in a committed file (wigen's output is committed); put it in a Secret and name it with sso.microsoft.clientExistingSecret (and clientExistingSecretKey)`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := diagnostics(t, tc.doc)
			// Every import adopts the release too, with a warning of its own.
			got = slices.DeleteFunc(got, func(d string) bool { return strings.Contains(d, "adopts the installed release") })
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("diagnostics (-want +got):\n%s", d)
			}
		})
	}
}
