package schema

import (
	"strings"
	"testing"
)

// The validation gaps issue 12 closed hold for the fields issues 11 and 14
// added: credential names given with cluster.federatedCredentialName and
// additionalFederations[].credentialName are compared without case per
// identity, across the environments sharing it too; the one-release-per-
// namespace rule compares the cluster's subscription (cluster.subscriptionId);
// the Argo CD and Flux folders are named after the environment, so its
// Windows-name rule holds whatever it renders; numbers out of range in an
// environment's or the defaults' chart.values; the nil GUID as the
// cluster's subscription; a plain-http chart repository for Argo CD and
// Flux; an unquoted number in the new string fields.
func TestValidationGapsNewFields(t *testing.T) {
	const (
		sub2 = "22222222-2222-2222-2222-222222222222"
		sub3 = "33333333-3333-3333-3333-333333333333"
		url  = "https://westeurope.oic.prod-aks.azure.com/22222222-2222-2222-2222-222222222222/44444444-4444-4444-4444-444444444444/"
	)
	named := func(name string) string {
		return "        resourceGroup: rg-aks\n        federatedCredentialName: " + name + "\n"
	}
	tests := []diagnosticCase{
		// Credential names, given and derived, without case.
		{"given names differing in case", edit(t, "        resourceGroup: rg-aks\n", named("FIC"), "          fromCluster: true\n", "          fromCluster: true\n      additionalFederations:\n        - name: blue\n          credentialName: fic\n          issuer: {url: \"https://issuer.example.com/x\"}\n"),
			[]string{`spec.environments[0].additionalFederations[0].credentialName: names federated identity credential "fic", which spec.environments[0].cluster.federatedCredentialName already has, in another case ("FIC"; Azure resource names ignore case), on identity "id-app"; credential names are unique per identity: give another name`}},
		{"a derived name and a given one differing in case", edit(t, "        resourceGroup: rg-aks\n", named("BLUE-open-webui-open-webui"), "          fromCluster: true\n", "          fromCluster: true\n      additionalFederations:\n        - name: blue\n          issuer: {url: \"https://issuer.example.com/x\"}\n"),
			[]string{`spec.environments[0].additionalFederations[0].name: derives federated identity credential name "blue-open-webui-open-webui", which spec.environments[0].cluster.federatedCredentialName already has, in another case ("BLUE-open-webui-open-webui"; Azure resource names ignore case), on identity "id-app"; credential names are unique per identity: rename the federation`}},
		{"given names differing in case on an identity two environments share", strings.Replace(devOn(t, "      subscriptionId: 11111111-1111-1111-1111-111111111111\n      namespace: open-webui-dev\n      roles: []\n      identity: {name: id-app, existing: true}\n      cluster: {name: aks-dev, federatedCredentialName: Prod-Fic, issuer: {url: \""+url+"\"}}\n"), "        resourceGroup: rg-aks\n", named("prod-fic"), 1),
			[]string{`spec.environments[1].cluster.federatedCredentialName: names federated identity credential "prod-fic", which spec.environments[0].cluster.federatedCredentialName already has, in another case ("Prod-Fic"; Azure resource names ignore case), on identity "id-app"`}},
		// The cluster's subscription (issue 14) in the one-release-per-
		// namespace rule.
		{"one cluster read in the same subscription from two identity subscriptions", devOn(t, "      subscriptionId: "+sub2+"\n      namespace: open-webui\n      identity: {name: id-dev}\n      cluster: {name: aks-prod, resourceGroup: rg-aks, subscriptionId: 11111111-1111-1111-1111-111111111111, issuer: {fromCluster: true}}\n"),
			[]string{`spec.environments[1].namespace: environment "prod": environment "dev" already deploys release "open-webui" into namespace "open-webui" of this cluster ("aks-prod")`}},
		{"same cluster name in another cluster subscription", devOn(t, "      subscriptionId: 11111111-1111-1111-1111-111111111111\n      namespace: open-webui\n      identity: {name: id-dev}\n      cluster: {name: aks-prod, resourceGroup: rg-aks, subscriptionId: "+sub3+", issuer: {fromCluster: true}}\n"), nil},
		{"issuer URL and fromCluster, the URL's cluster in the same subscription", devOn(t, "      subscriptionId: "+sub2+"\n      namespace: open-webui\n      identity: {name: id-dev}\n      cluster: {name: aks-prod, subscriptionId: 11111111-1111-1111-1111-111111111111, issuer: {url: \""+url+"\"}}\n"),
			[]string{`spec.environments[1].namespace: environment "prod": environment "dev" already deploys release "open-webui" into namespace "open-webui" of this cluster ("aks-prod")`}},
		{"issuer URL and fromCluster, the URL's cluster in another subscription", devOn(t, "      subscriptionId: 11111111-1111-1111-1111-111111111111\n      namespace: open-webui\n      identity: {name: id-dev}\n      cluster: {name: aks-prod, subscriptionId: "+sub3+", issuer: {url: \""+url+"\"}}\n"), nil},
		{"issuer URL without a subscription may be any cluster of that name", devOn(t, "      subscriptionId: "+sub2+"\n      namespace: open-webui\n      identity: {name: id-dev}\n      cluster: {name: aks-prod, issuer: {url: \""+url+"\"}}\n"),
			[]string{`spec.environments[1].namespace: environment "prod": environment "dev" already deploys release "open-webui" into namespace "open-webui" of this cluster ("aks-prod")`}},
		{"one issuer URL is one cluster, whatever subscriptions say", strings.Replace(devOn(t, "      subscriptionId: 11111111-1111-1111-1111-111111111111\n      namespace: open-webui\n      identity: {name: id-dev}\n      cluster: {name: aks-dev, subscriptionId: "+sub3+", issuer: {url: \""+url+"\"}}\n"), "          fromCluster: true\n", "          url: \""+url+"\"\n", 1),
			[]string{`spec.environments[1].namespace: environment "prod": environment "dev" already deploys release "open-webui" into namespace "open-webui" of this cluster ("aks-prod")`}},
		// The Argo CD and Flux folders: argocd/<env>, flux/<env>.
		{"environment named con rendering argocd", edit(t, "- name: prod", "- name: con", "spec:\n", "spec:\n  targets: [argocd]\n"),
			[]string{`spec.environments[0].name: "con" names output folders, and is a device name on Windows (CON)`}},
		{"environment named lpt1 rendering flux", edit(t, "- name: prod", "- name: lpt1\n      targets: [flux]"),
			[]string{`spec.environments[0].name: "lpt1" names output folders, and is a device name on Windows (LPT1)`}},
		// Numbers out of range in the chart values issue 14 added.
		{"1e400 in an environment's chart.values", edit(t, "      serviceAccount: open-webui\n", "      serviceAccount: open-webui\n      chart:\n        values: {resources: {big: 1e400}}\n"),
			[]string{`spec.environments[0].chart.values.resources.big: 1e400 is a number out of the range of 64-bit numbers`}},
		{"-1e400 in the defaults' chart.values", edit(t, "  environments:\n", "  defaults:\n    chart:\n      values: {resources: {small: -1e400}}\n  environments:\n"),
			[]string{`spec.defaults.chart.values.resources.small: -1e400 is a number out of the range of 64-bit numbers`}},
		// The cluster's subscription is a GUID, not the nil GUID.
		{"nil GUID as the cluster's subscription", edit(t, "        resourceGroup: rg-aks\n", "        resourceGroup: rg-aks\n        subscriptionId: 00000000-0000-0000-0000-000000000000\n"),
			[]string{`spec.environments[0].cluster.subscriptionId: is the nil GUID, a placeholder; put the real subscription ID of the cluster here`}},
		// The chart repository of an Application or a HelmRepository.
		{"http chart repository for Argo CD and Flux", edit(t, "spec:\n", "spec:\n  targets: [argocd, flux]\n", "  chart:\n", "  chart:\n    repository: http://helm.example.com/\n"),
			[]string{`spec.chart.repository: "http://helm.example.com/" is plain http`}},
		// Numbers where the schema says string.
		{"unquoted number as the Argo CD project", edit(t, "      serviceAccount: open-webui\n", "      serviceAccount: open-webui\n      targets: [argocd]\n      argocd: {project: 123}\n"),
			[]string{`spec.environments[0].argocd.project: must be a string, not the number 123; quote it: "123"`}},
		{"unquoted number as the Flux interval", edit(t, "      serviceAccount: open-webui\n", "      serviceAccount: open-webui\n      targets: [flux]\n      flux: {interval: 10}\n"),
			[]string{`spec.environments[0].flux.interval: must be a string, not the number 10; quote it: "10"`}},
		{"unquoted number as a credential name", edit(t, "        resourceGroup: rg-aks\n", named("12345")),
			[]string{`spec.environments[0].cluster.federatedCredentialName: must be a string, not the number 12345; quote it: "12345"`}},
	}
	checkDiagnostics(t, tests)
}
