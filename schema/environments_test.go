package schema

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// topologyDoc is three environments: dev and staging share an identity
// (dev creates it) and a cluster, prod has its own in another subscription.
const topologyDoc = `apiVersion: wigen/v1alpha1
kind: WorkloadIdentity
metadata:
  name: open-webui
spec:
  targets: [terraform, helm]
  chart:
    version: 16.0.0
    imageTag: v0.11.0
    values:
      ingress: {enabled: true, class: nginx, host: chat.example.com}
      resources: {requests: {cpu: 500m}}
      extraEnvVars: [{name: A, value: "1"}]
  azureOpenAI:
    accountId: /subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/aoai
    endpoint: https://aoai.openai.azure.com
    deployments: [gpt-4o]
  defaults:
    subscriptionId: 11111111-1111-1111-1111-111111111111
    location: westeurope
    serviceAccount: open-webui
    chart:
      values:
        resources: {requests: {memory: 1Gi}}
  environments:
    - name: dev
      resourceGroup: rg-dev
      namespace: open-webui-dev
      identity: {name: id-nonprod}
      cluster: {name: aks-nonprod, resourceGroup: rg-aks, issuer: {fromCluster: true}}
      chart:
        values:
          ingress: {host: chat.dev.example.com}
    - name: staging
      resourceGroup: rg-dev
      namespace: open-webui-staging
      roles: []
      identity: {name: id-nonprod, existing: true, clientId: 33333333-3333-3333-3333-333333333333}
      cluster: {name: aks-nonprod, resourceGroup: rg-aks, issuer: {fromCluster: true}}
    - name: prod
      targets: [terraform, kustomize]
      subscriptionId: 99999999-9999-9999-9999-999999999999
      resourceGroup: rg-prod
      namespace: open-webui
      identity: {name: id-prod}
      cluster: {name: aks-prod, resourceGroup: rg-aks-prod, subscriptionId: 88888888-8888-8888-8888-888888888888, issuer: {fromCluster: true}}
      chart:
        values:
          ingress: {host: chat.example.com, tls: true}
          resources: null
          extraEnvVars: []
`

func loadTopology(t *testing.T, doc string) *Spec {
	t.Helper()
	s, err := LoadBytes("wigen.yaml", []byte(doc))
	if err != nil {
		t.Fatalf("load:\n%v", err)
	}
	return s
}

func TestPerEnvironmentTargets(t *testing.T) {
	s := loadTopology(t, topologyDoc)
	dev, prod := &s.Spec.Environments[0], &s.Spec.Environments[2]
	if !cmp.Equal(dev.Targets, []string{"terraform", "helm"}) || !cmp.Equal(prod.Targets, []string{"terraform", "kustomize"}) {
		t.Errorf("targets: dev %v, prod %v", dev.Targets, prod.Targets)
	}
	if dev.HasTarget(TargetKustomize) || !prod.HasTarget(TargetKustomize) || prod.HasTarget(TargetHelm) {
		t.Error("Environment.HasTarget does not follow the environment's targets")
	}
	if !s.HasTarget(TargetKustomize) || !s.HasTarget(TargetHelm) || s.HasTarget(TargetArgoCD) {
		t.Error("Spec.HasTarget is not the union of the environments' targets")
	}
	if got := s.Targets(); !cmp.Equal(got, []string{"terraform", "helm", "kustomize"}) {
		t.Errorf("Targets() = %v", got)
	}
}

func TestPerEnvironmentChartValues(t *testing.T) {
	s := loadTopology(t, topologyDoc)
	dev, staging, prod := &s.Spec.Environments[0], &s.Spec.Environments[1], &s.Spec.Environments[2]
	want := map[string]map[string]any{
		"dev": {
			"ingress":      map[string]any{"enabled": true, "class": "nginx", "host": "chat.dev.example.com"},
			"resources":    map[string]any{"requests": map[string]any{"cpu": "500m", "memory": "1Gi"}},
			"extraEnvVars": []any{map[string]any{"name": "A", "value": "1"}},
		},
		"staging": {
			"ingress":      map[string]any{"enabled": true, "class": "nginx", "host": "chat.example.com"},
			"resources":    map[string]any{"requests": map[string]any{"cpu": "500m", "memory": "1Gi"}},
			"extraEnvVars": []any{map[string]any{"name": "A", "value": "1"}},
		},
		// null replaces (and removes the key from the chart's defaults),
		// a list replaces.
		"prod": {
			"ingress":      map[string]any{"enabled": true, "class": "nginx", "host": "chat.example.com", "tls": true},
			"resources":    nil,
			"extraEnvVars": []any{},
		},
	}
	for _, e := range []*Environment{dev, staging, prod} {
		if d := cmp.Diff(want[e.Name], e.ChartValues); d != "" {
			t.Errorf("%s ChartValues (-want +got):\n%s", e.Name, d)
		}
		if cmp.Equal(e.ChartValues, s.Spec.Chart.Values) {
			t.Errorf("%s: ChartValues equal spec.chart.values; defaults.chart.values gives every environment values of its own", e.Name)
		}
	}
	// The merge copies: the spec-level values are untouched.
	if s.Spec.Chart.Values["ingress"].(map[string]any)["host"] != "chat.example.com" || s.Spec.Chart.Values["resources"].(map[string]any)["requests"].(map[string]any)["memory"] != nil {
		t.Errorf("spec.chart.values changed: %v", s.Spec.Chart.Values)
	}
	dev.ChartValues["ingress"].(map[string]any)["host"] = "changed"
	if staging.ChartValues["ingress"].(map[string]any)["host"] != "chat.example.com" {
		t.Error("environments share chart values")
	}

	// Without values of its own, an environment has the spec-level ones.
	plain := strings.Replace(topologyDoc, "    chart:\n      values:\n        resources: {requests: {memory: 1Gi}}\n", "", 1)
	s = loadTopology(t, plain)
	if st := &s.Spec.Environments[1]; !cmp.Equal(st.ChartValues, s.Spec.Chart.Values) || s.Values(st)["ingress"] == nil {
		t.Errorf("staging without values: %v, want spec.chart.values", st.ChartValues)
	}
	if prod := &s.Spec.Environments[2]; cmp.Equal(prod.ChartValues, s.Spec.Chart.Values) {
		t.Error("prod has values of its own, but its ChartValues are spec.chart.values")
	}
}

func TestClusterSubscriptionAndSharedClientID(t *testing.T) {
	s := loadTopology(t, topologyDoc)
	dev, staging, prod := &s.Spec.Environments[0], &s.Spec.Environments[1], &s.Spec.Environments[2]
	if dev.Cluster.SubscriptionID != dev.SubscriptionID || prod.ClusterSubscriptionID() != "88888888-8888-8888-8888-888888888888" {
		t.Errorf("cluster subscriptions: dev %q, prod %q", dev.Cluster.SubscriptionID, prod.ClusterSubscriptionID())
	}
	// Written once, in staging: dev shares the identity and gets it.
	if dev.Identity.ClientID != "33333333-3333-3333-3333-333333333333" {
		t.Errorf("dev client ID %q, want the one written in staging", dev.Identity.ClientID)
	}
	if staging.Identity.ClientID != "33333333-3333-3333-3333-333333333333" || prod.Identity.ClientID != "" {
		t.Errorf("client IDs: staging %q, prod %q", staging.Identity.ClientID, prod.Identity.ClientID)
	}
}

func TestTopologyRules(t *testing.T) {
	for _, tt := range []struct {
		name     string
		old, new string
		want     []string
	}{
		{"chart version per environment",
			"          ingress: {host: chat.dev.example.com}\n", "          ingress: {host: chat.dev.example.com}\n        version: 16.1.0\n        imageTag: v0.11.1\n",
			[]string{
				`wigen.yaml:34:9: spec.environments[0].chart.version: the chart version is spec-level: set spec.chart.version (one chart for every environment: wigen chooses the values it writes by the chart version)`,
				`wigen.yaml:35:9: spec.environments[0].chart.imageTag: the image tag is spec-level: set spec.chart.imageTag (one app version for every environment: wigen chooses the app's settings from it)`,
			}},
		{"terraform providers per environment",
			"      targets: [terraform, kustomize]\n", "      targets: [terraform, kustomize]\n      terraform: {providers: {azurerm: \"~> 4.65\"}}\n",
			[]string{`wigen.yaml:42:19: spec.environments[2].terraform.providers: the provider constraints are spec-level: set spec.terraform.providers (they choose the syntax of every module)`}},
		{"owned keys in environment values and in defaults",
			"          ingress: {host: chat.dev.example.com}\n", "          ingress: {host: chat.dev.example.com}\n          serviceAccount: {name: other}\n",
			[]string{`wigen.yaml:34:34: spec.environments[0].chart.values.serviceAccount.name: wigen sets the service account name from the environment's serviceAccount, so it matches the federated credential's subject; set serviceAccount there`}},
		{"owned key in defaults is reported once, at the default",
			"        resources: {requests: {memory: 1Gi}}\n", "        resources: {requests: {memory: 1Gi}}\n        image: {tag: v0.12.0}\n",
			[]string{`wigen.yaml:25:22: spec.defaults.chart.values.image.tag: set spec.chart.imageTag instead: wigen reads the app version from it`}},
		{"pod annotations per environment",
			"          ingress: {host: chat.dev.example.com}\n", "          ingress: {host: chat.dev.example.com}\n          podAnnotations: {azure.workload.identity/service-account-token-expiration: \"100\"}\n",
			[]string{`wigen.yaml:34:86: spec.environments[0].chart.values.podAnnotations["azure.workload.identity/service-account-token-expiration"]: "100": the token expiration is a whole number of seconds from 3600 to 86400; the webhook refuses the pod otherwise`}},
		{"release false with nothing to install the app",
			"  targets: [terraform, helm]\n", "  targets: [terraform]\n  terraform: {release: false}\n",
			[]string{
				`wigen.yaml:7:24: spec.terraform.release: is false, so environment "dev"'s Terraform module does not install the app, and the environment renders none of helm, kustomize, argocd, flux to install it; add one to its targets (or spec.targets), or leave terraform.release out`,
				`wigen.yaml:7:24: spec.terraform.release: is false, so environment "staging"'s Terraform module does not install the app, and the environment renders none of helm, kustomize, argocd, flux to install it; add one to its targets (or spec.targets), or leave terraform.release out`,
			}},
		{"release false per environment, the app left to kustomize",
			"      targets: [terraform, kustomize]\n", "      targets: [terraform, kustomize]\n      terraform: {release: false}\n", nil},
		{"release false per environment without terraform",
			"      targets: [terraform, kustomize]\n", "      targets: [kustomize]\n      terraform: {release: false}\n",
			[]string{`wigen.yaml:42:28: warning: spec.environments[2].terraform.release: has no effect: environment "prod" renders no terraform target`}},
		{"argocd beside the Terraform release",
			"      targets: [terraform, kustomize]\n", "      targets: [terraform, argocd]\n",
			[]string{`wigen.yaml:41:16: warning: spec.environments[2].targets: environment "prod" renders argocd and a Terraform module that installs release "open-webui" too (terraform.release is true): both would install it in namespace "open-webui" and undo each other's changes; set terraform.release: false to leave the app to argocd`}},
		{"empty environment targets",
			"      targets: [terraform, kustomize]\n", "      targets: []\n",
			[]string{`wigen.yaml:41:16: spec.environments[2].targets: lists nothing to render; leave it out for spec.targets`}},
		{"unknown environment target",
			"      targets: [terraform, kustomize]\n", "      targets: [terraform, argo]\n",
			[]string{`wigen.yaml:41:28: spec.environments[2].targets[1]: "argo" is not allowed; did you mean "argocd"? (allowed: terraform, helm, kustomize, argocd, flux)`}},
		{"cluster subscription not a GUID",
			"subscriptionId: 88888888-8888-8888-8888-888888888888", "subscriptionId: prod-sub",
			[]string{`wigen.yaml:46:77: spec.environments[2].cluster.subscriptionId: "prod-sub" is not a GUID (8-4-4-4-12 hexadecimal digits); put the subscription ID of the cluster here`}},
		{"Argo CD destination with server and name",
			"      targets: [terraform, kustomize]\n", "      targets: [terraform, argocd]\n      terraform: {release: false}\n      argocd: {destination: {server: \"https://aks-prod.example.com:443\", name: aks-prod}}\n",
			[]string{`wigen.yaml:43:29: spec.environments[2].argocd.destination: set one of server and name: Argo CD refuses an Application whose destination has both`}},
		{"Argo CD destination replaces the default one whole",
			"    serviceAccount: open-webui\n", "    serviceAccount: open-webui\n    argocd: {destination: {server: \"https://aks.example.com:443\"}}\n",
			nil},
		{"Flux interval past a Go duration",
			"    serviceAccount: open-webui\n", "    serviceAccount: open-webui\n    flux: {interval: 100000000h}\n",
			[]string{`wigen.yaml:22:22: spec.defaults.flux.interval: "100000000h" is not a Flux interval: a Go duration in ms, s, m or h, such as 10m or 1h30m, of at most 2562047h`}},
		{"bad Argo CD and Flux settings",
			"    serviceAccount: open-webui\n", "    serviceAccount: open-webui\n    argocd: {project: Team A, destination: {server: aks-prod}}\n    flux: {interval: 10 minutes, namespace: Flux}\n",
			[]string{
				`wigen.yaml:22:23: spec.defaults.argocd.project: "Team A" is not an Argo CD project name: a DNS-1123 subdomain (lowercase letters, digits, '-' and '.'), as AppProject objects are named`,
				`wigen.yaml:22:53: spec.defaults.argocd.destination.server: "aks-prod" is not a cluster API server URL as Argo CD registers it, e.g. https://kubernetes.default.svc`,
				`wigen.yaml:23:22: spec.defaults.flux.interval: "10 minutes" is not a Flux interval: a Go duration in ms, s, m or h, such as 10m or 1h30m, of at most 2562047h`,
				`wigen.yaml:23:45: spec.defaults.flux.namespace: "Flux" is not a namespace: a DNS-1123 label (lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters)`,
			}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(topologyDoc, tt.old) {
				t.Fatalf("%q is not in the document", tt.old)
			}
			doc := strings.Replace(topologyDoc, tt.old, tt.new, 1)
			if d := cmp.Diff(tt.want, diagnostics(t, doc)); d != "" {
				t.Errorf("(-want +got):\n%s\n%s", d, numbered(doc))
			}
		})
	}
}

// TestServiceAccountsDifferAcrossOverlays: every Kustomize overlay
// inflates the chart itself, so environments rendering kustomize may run
// their pods as different service accounts, whatever their chart values.
func TestServiceAccountsDifferAcrossOverlays(t *testing.T) {
	doc := strings.Replace(topologyDoc, "    chart:\n      values:\n        resources: {requests: {memory: 1Gi}}\n", "", 1)
	doc = strings.Replace(doc, "      namespace: open-webui-staging\n", "      namespace: open-webui-staging\n      serviceAccount: webui-staging\n      targets: [terraform, kustomize]\n", 1)
	doc = strings.Replace(doc, "  targets: [terraform, helm]\n", "  targets: [terraform, kustomize]\n", 1)
	doc = strings.Replace(doc, "      chart:\n        values:\n          ingress: {host: chat.dev.example.com}\n", "", 1)
	s := loadTopology(t, doc)
	if dev, staging := &s.Spec.Environments[0], &s.Spec.Environments[1]; !dev.HasTarget(TargetKustomize) || !staging.HasTarget(TargetKustomize) || dev.ServiceAccount == staging.ServiceAccount {
		t.Fatalf("the edit did not give dev and staging kustomize with two service accounts:\n%s", numbered(doc))
	}
	if got := diagnostics(t, doc); len(got) != 0 {
		t.Errorf("want no diagnostics, got:\n%s\n%s", strings.Join(got, "\n"), numbered(doc))
	}
}

func TestMergeValues(t *testing.T) {
	base := map[string]any{"a": map[string]any{"b": 1, "c": []any{1}}, "d": "x"}
	over := map[string]any{"a": map[string]any{"c": []any{2}, "e": nil}, "d": map[string]any{"f": true}}
	got := MergeValues(base, over)
	want := map[string]any{"a": map[string]any{"b": 1, "c": []any{2}, "e": nil}, "d": map[string]any{"f": true}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	got["a"].(map[string]any)["b"] = 2
	over["d"].(map[string]any)["f"] = false
	if base["a"].(map[string]any)["b"] != 1 || got["d"].(map[string]any)["f"] != true {
		t.Error("MergeValues shares mappings with its arguments")
	}
	if got := MergeValues(nil, nil); got == nil || len(got) != 0 {
		t.Errorf("MergeValues(nil, nil) = %#v, want an empty map", got)
	}
}

// TestJSONSchemaRefusesTopologyMistakes: the editor's JSON Schema catches
// the structural mistakes of the new fields that Load catches.
func TestJSONSchemaRefusesTopologyMistakes(t *testing.T) {
	sch := compileJSONSchema(t)
	if err := validateWithJSONSchema(t, sch, []byte(topologyDoc)); err != nil {
		t.Fatalf("the topology document is refused: %v", err)
	}
	for name, pair := range map[string][2]string{
		"chart version per environment": {"          ingress: {host: chat.dev.example.com}\n", "          ingress: {host: chat.dev.example.com}\n        version: 16.1.0\n"},
		"unknown target":                {"      targets: [terraform, kustomize]\n", "      targets: [terraform, argo]\n"},
		"destination with both":         {"    serviceAccount: open-webui\n", "    serviceAccount: open-webui\n    argocd: {destination: {server: \"https://a.example.com\", name: a}}\n"},
		"release as a string":           {"      targets: [terraform, kustomize]\n", "      targets: [terraform, kustomize]\n      terraform: {release: \"false\"}\n"},
		"bad flux interval":             {"    serviceAccount: open-webui\n", "    serviceAccount: open-webui\n    flux: {interval: 10 minutes}\n"},
	} {
		t.Run(name, func(t *testing.T) {
			doc := strings.Replace(topologyDoc, pair[0], pair[1], 1)
			if doc == topologyDoc {
				t.Fatal("the test's edit did not apply")
			}
			if err := validateWithJSONSchema(t, sch, []byte(doc)); err == nil {
				t.Error("JSON Schema accepted it")
			}
			if _, err := LoadBytes("wigen.yaml", []byte(doc)); err == nil {
				t.Error("Load accepted it")
			}
		})
	}
}
