package flux

import (
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
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
  targets: [terraform, flux]
  terraform: {release: false}
  chart:
    version: 16.0.0
    imageTag: v0.11.0
  azureOpenAI:
    accountId: /subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/aoai
    endpoint: https://aoai.openai.azure.com
    deployments: [gpt-4o]
  defaults:
    subscriptionId: 11111111-1111-1111-1111-111111111111
    location: westeurope
    resourceGroup: rg-app
    serviceAccount: open-webui
    cluster: {name: aks, resourceGroup: rg-aks, issuer: {fromCluster: true}}
  environments:
    - name: dev
      namespace: open-webui-dev
      identity: {name: id-dev, clientId: 33333333-3333-3333-3333-333333333333}
      chart: {values: {resources: {requests: {cpu: 250m}}}}
    - name: qa
      namespace: open-webui-qa
      identity: {name: id-qa}
    - name: prod
      namespace: open-webui
      createNamespace: false
      identity: {name: id-prod, clientId: 44444444-4444-4444-4444-444444444444}
      flux: {namespace: gitops, interval: 1h}
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

// checkFolder validates every Flux object of files strictly against its
// CRD and builds each folder's kustomization.yaml with kustomize (what a
// Flux Kustomization does with the folder): it must list exactly the
// folder's objects.
func checkFolder(t *testing.T, files map[string][]byte) {
	t.Helper()
	set := crds(t)
	dirs := map[string]bool{}
	for p, data := range files {
		if !output.IsGenerated(data) {
			t.Errorf("%s: no generated-file line", p)
		}
		dirs[filepath.Dir(p)] = true
		if filepath.Base(p) == KustomizationFile {
			continue
		}
		if problems := set.Validate(data); len(problems) != 0 {
			t.Errorf("%s: its CRD refuses it:\n%s\n%s", p, strings.Join(problems, "\n"), data)
		}
	}
	for dir := range dirs {
		fs := filesys.MakeFsInMemory()
		n := 0
		for p, data := range files {
			if filepath.Dir(p) == dir {
				if err := fs.WriteFile("/"+p, data); err != nil {
					t.Fatal(err)
				}
				n++
			}
		}
		m, err := krusty.MakeKustomizer(krusty.MakeDefaultOptions()).Run(fs, "/"+dir)
		if err != nil {
			t.Errorf("kustomize build %s: %v", dir, err)
			continue
		}
		if got := m.Size(); got != n-1 {
			t.Errorf("kustomize build %s: %d objects, want the folder's %d", dir, got, n-1)
		}
	}
}

func TestRenderHelmRepository(t *testing.T) {
	s := load(t, input)
	files := render(t, s)
	want := []string{
		"flux/dev/helmrelease.yaml", "flux/dev/helmrepository.yaml", "flux/dev/kustomization.yaml",
		"flux/prod/helmrelease.yaml", "flux/prod/helmrepository.yaml", "flux/prod/kustomization.yaml",
	}
	if got := slices.Sorted(maps.Keys(files)); !cmp.Equal(got, want) || !cmp.Equal(slices.Sorted(slices.Values(Paths(s))), want) {
		t.Fatalf("rendered %v, Paths %v, want %v (qa has no client ID)", got, Paths(s), want)
	}
	checkFolder(t, files)

	var hr, repo map[string]any
	if err := yaml.Unmarshal(files["flux/dev/helmrelease.yaml"], &hr); err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(files["flux/dev/helmrepository.yaml"], &repo); err != nil {
		t.Fatal(err)
	}
	values, err := yaml.Marshal(helm.Values(s, &s.Spec.Environments[0], helm.Standalone))
	if err != nil {
		t.Fatal(err)
	}
	var wantValues any
	if err := yaml.Unmarshal(values, &wantValues); err != nil {
		t.Fatal(err)
	}
	wantHR := map[string]any{
		"apiVersion": "helm.toolkit.fluxcd.io/v2",
		"kind":       "HelmRelease",
		"metadata":   map[string]any{"name": "open-webui-dev", "namespace": "flux-system"},
		"spec": map[string]any{
			"interval":        "10m",
			"releaseName":     "open-webui",
			"targetNamespace": "open-webui-dev",
			"install":         map[string]any{"createNamespace": true},
			"chart": map[string]any{"spec": map[string]any{
				"chart":     "open-webui",
				"version":   "16.0.0",
				"sourceRef": map[string]any{"kind": "HelmRepository", "name": "open-webui-dev", "namespace": "flux-system"},
			}},
			"values": wantValues,
		},
	}
	if d := cmp.Diff(wantHR, hr); d != "" {
		t.Errorf("dev's HelmRelease (-want +got):\n%s", d)
	}
	wantRepo := map[string]any{
		"apiVersion": "source.toolkit.fluxcd.io/v1",
		"kind":       "HelmRepository",
		"metadata":   map[string]any{"name": "open-webui-dev", "namespace": "flux-system"},
		"spec":       map[string]any{"interval": "10m", "url": "https://helm.openwebui.com/"},
	}
	if d := cmp.Diff(wantRepo, repo); d != "" {
		t.Errorf("dev's HelmRepository (-want +got):\n%s", d)
	}

	var prod HelmRelease
	if err := yaml.UnmarshalStrict(files["flux/prod/helmrelease.yaml"], &prod); err != nil {
		t.Fatal(err)
	}
	if prod.Spec.Install != nil || prod.Spec.Interval != "1h" || prod.Metadata.Namespace != "gitops" || prod.Spec.Chart.Spec.SourceRef.Namespace != "gitops" {
		t.Errorf("prod: createNamespace false, interval 1h, namespace gitops: %+v", prod)
	}
}

func TestRenderOCIRepository(t *testing.T) {
	doc := strings.Replace(input, "    version: 16.0.0\n", "    version: 16.0.0\n    repository: oci://ghcr.io/example/charts\n", 1)
	s := load(t, doc)
	files := render(t, s)
	if _, ok := files["flux/dev/helmrepository.yaml"]; ok {
		t.Error("a HelmRepository for an oci:// chart repository")
	}
	checkFolder(t, files)
	var repo OCIRepository
	if err := yaml.UnmarshalStrict(files["flux/dev/ocirepository.yaml"], &repo); err != nil {
		t.Fatal(err)
	}
	want := OCIRepositorySpec{
		Interval:      "10m",
		URL:           "oci://ghcr.io/example/charts/open-webui",
		Ref:           OCIRef{Tag: "16.0.0"},
		LayerSelector: LayerSelector{MediaType: "application/vnd.cncf.helm.chart.content.v1.tar+gzip", Operation: "copy"},
	}
	if d := cmp.Diff(want, repo.Spec); d != "" {
		t.Errorf("OCIRepository (-want +got):\n%s", d)
	}
	var hr HelmRelease
	if err := yaml.UnmarshalStrict(files["flux/dev/helmrelease.yaml"], &hr); err != nil {
		t.Fatal(err)
	}
	if hr.Spec.Chart != nil || hr.Spec.ChartRef == nil || *hr.Spec.ChartRef != (SourceRef{Kind: "OCIRepository", Name: "open-webui-dev", Namespace: "flux-system"}) {
		t.Errorf("HelmRelease chart %+v, chartRef %+v: want chartRef to the OCIRepository only", hr.Spec.Chart, hr.Spec.ChartRef)
	}
	var k struct {
		Resources []string `json:"resources"`
	}
	if err := yaml.Unmarshal(files["flux/dev/kustomization.yaml"], &k); err != nil {
		t.Fatal(err)
	}
	if !cmp.Equal(k.Resources, []string{"ocirepository.yaml", "helmrelease.yaml"}) {
		t.Errorf("kustomization resources %v", k.Resources)
	}
}

// TestOCITagOfBuildMetadata: a chart version with build metadata is
// pushed under a tag with '_' for '+' (an OCI tag holds no '+'), and the
// OCIRepository names that tag.
func TestOCITagOfBuildMetadata(t *testing.T) {
	doc := strings.Replace(input, "    version: 16.0.0\n", "    version: 16.0.0+build.1\n    repository: oci://ghcr.io/example/charts\n", 1)
	var repo OCIRepository
	if err := yaml.UnmarshalStrict(render(t, load(t, doc))["flux/dev/ocirepository.yaml"], &repo); err != nil {
		t.Fatal(err)
	}
	if repo.Spec.Ref.Tag != "16.0.0_build.1" {
		t.Errorf("ref.tag %q, want 16.0.0_build.1", repo.Spec.Ref.Tag)
	}
}
