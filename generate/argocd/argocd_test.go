package argocd

import (
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/yaml"

	"github.com/wigen-dev/wigen/generate/crdtest"
	"github.com/wigen-dev/wigen/generate/helm"
	"github.com/wigen-dev/wigen/generate/output"
	"github.com/wigen-dev/wigen/schema"
)

const input = `apiVersion: wigen/v1alpha1
kind: WorkloadIdentity
metadata: {name: open-webui}
spec:
  targets: [terraform, argocd]
  terraform: {release: false}
  chart:
    version: 16.0.0
    imageTag: v0.11.0
    values: {ingress: {enabled: true, host: chat.example.com}}
  azureOpenAI:
    accountId: /subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/aoai
    endpoint: https://aoai.openai.azure.com
    deployments: [gpt-4o]
  defaults:
    tenantId: 22222222-2222-2222-2222-222222222222
    subscriptionId: 11111111-1111-1111-1111-111111111111
    location: westeurope
    resourceGroup: rg-app
    serviceAccount: open-webui
    cluster: {name: aks, resourceGroup: rg-aks, issuer: {fromCluster: true}}
  environments:
    - name: dev
      namespace: open-webui-dev
      identity: {name: id-dev, clientId: 33333333-3333-3333-3333-333333333333}
      chart: {values: {ingress: {host: chat.dev.example.com}}}
    - name: qa
      namespace: open-webui-qa
      identity: {name: id-qa}
    - name: prod
      namespace: open-webui
      createNamespace: false
      identity: {name: id-prod, clientId: 44444444-4444-4444-4444-444444444444}
      cluster: {name: aks-prod}
      argocd:
        namespace: gitops
        project: open-webui
        destination: {name: aks-prod}
        automated: true
`

func load(t *testing.T, doc string) *schema.Spec {
	t.Helper()
	s, err := schema.LoadBytes("wigen.yaml", []byte(doc))
	if err != nil {
		t.Fatalf("load:\n%v", err)
	}
	return s
}

func render(t *testing.T, s *schema.Spec) map[string][]byte {
	t.Helper()
	files, err := Render(s)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, f := range files {
		out[f.Path] = f.Data
	}
	return out
}

func crds(t *testing.T) *crdtest.Set {
	t.Helper()
	set, err := crdtest.LoadDir(filepath.Join("..", "crdtest", "testdata"))
	if err != nil {
		t.Fatal(err)
	}
	return set
}

func TestRender(t *testing.T) {
	s := load(t, input)
	files := render(t, s)
	// qa has no client ID yet: no Application, no placeholder.
	want := []string{"argocd/dev/application.yaml", "argocd/prod/application.yaml"}
	got := slices.Sorted(maps.Keys(files))
	if !cmp.Equal(got, want) || !cmp.Equal(Paths(s), want) {
		t.Fatalf("rendered %v, Paths %v, want %v", got, Paths(s), want)
	}
	set := crds(t)
	for p, data := range files {
		if !output.IsGenerated(data) {
			t.Errorf("%s: no generated-file line", p)
		}
		if problems := set.Validate(data); len(problems) != 0 {
			t.Errorf("%s: the Application CRD refuses it:\n%s\n%s", p, strings.Join(problems, "\n"), data)
		}
	}

	var dev, prod map[string]any
	if err := yaml.Unmarshal(files["argocd/dev/application.yaml"], &dev); err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(files["argocd/prod/application.yaml"], &prod); err != nil {
		t.Fatal(err)
	}
	wantDev := map[string]any{
		"apiVersion": "argoproj.io/v1alpha1",
		"kind":       "Application",
		"metadata":   map[string]any{"name": "open-webui-dev", "namespace": "argocd"},
		"spec": map[string]any{
			"project": "default",
			"source": map[string]any{
				"repoURL":        "https://helm.openwebui.com/",
				"chart":          "open-webui",
				"targetRevision": "16.0.0",
				"helm": map[string]any{
					"releaseName":  "open-webui",
					"valuesObject": jsonRoundTrip(t, helm.ArgoCDValues(s, &s.Spec.Environments[0])),
				},
			},
			"destination": map[string]any{"server": "https://kubernetes.default.svc", "namespace": "open-webui-dev"},
			"syncPolicy":  map[string]any{"syncOptions": []any{"CreateNamespace=true"}},
		},
	}
	if d := cmp.Diff(wantDev, dev); d != "" {
		t.Errorf("dev's Application (-want +got):\n%s", d)
	}
	vals := dev["spec"].(map[string]any)["source"].(map[string]any)["helm"].(map[string]any)["valuesObject"].(map[string]any)
	if ann := vals["serviceAccount"].(map[string]any)["annotations"].(map[string]any); ann[schema.AnnotationClientID] != "33333333-3333-3333-3333-333333333333" {
		t.Errorf("dev's values carry no client ID: %v", ann)
	}
	if host := vals["ingress"].(map[string]any)["host"]; host != "chat.dev.example.com" {
		t.Errorf("dev's ingress host %v: the environment's values are not in", host)
	}

	ps := prod["spec"].(map[string]any)
	if d := cmp.Diff(map[string]any{"name": "aks-prod", "namespace": "open-webui"}, ps["destination"]); d != "" {
		t.Errorf("prod destination (-want +got):\n%s", d)
	}
	if d := cmp.Diff(map[string]any{"automated": map[string]any{"prune": true, "selfHeal": true}}, ps["syncPolicy"]); d != "" {
		t.Errorf("prod syncPolicy: createNamespace is false, automated true (-want +got):\n%s", d)
	}
	if ps["project"] != "open-webui" || prod["metadata"].(map[string]any)["namespace"] != "gitops" {
		t.Errorf("prod project %v, namespace %v", ps["project"], prod["metadata"])
	}
}

func TestOCIRepository(t *testing.T) {
	doc := strings.Replace(input, "    version: 16.0.0\n", "    version: 16.0.0\n    repository: oci://ghcr.io/example/charts/\n", 1)
	s := load(t, doc)
	data := render(t, s)["argocd/dev/application.yaml"]
	var app Application
	if err := yaml.UnmarshalStrict(data, &app); err != nil {
		t.Fatal(err)
	}
	if app.Spec.Source.RepoURL != "ghcr.io/example/charts" || app.Spec.Source.Chart != "open-webui" {
		t.Errorf("OCI source %+v: want the registry path without oci:// and the chart name", app.Spec.Source)
	}
	if !strings.Contains(string(data), "enableOCI") {
		t.Error("no comment on the repository Secret Argo CD needs for an OCI registry")
	}
	if problems := crds(t).Validate(data); len(problems) != 0 {
		t.Errorf("refused:\n%s", strings.Join(problems, "\n"))
	}
}

// jsonRoundTrip is v as it reads back from the rendered YAML.
func jsonRoundTrip(t *testing.T, v any) any {
	t.Helper()
	y, err := yaml.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var back any
	if err := yaml.Unmarshal(y, &back); err != nil {
		t.Fatal(err)
	}
	return back
}
