package crdtest

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func loadSet(t *testing.T) *Set {
	t.Helper()
	s, err := LoadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestCRDFiles: the test data are the upstream files testdata/README.md
// names, unchanged, and each serves the version the renderers write.
func TestCRDFiles(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("testdata", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile("(?m)^\\| `([^`]+\\.yaml)` \\|.*\\| `([0-9a-f]{64})` \\|$")
	rows := row.FindAllStringSubmatch(string(readme), -1)
	if len(rows) != 4 {
		t.Fatalf("testdata/README.md lists %d CRDs with a sha256, want 4", len(rows))
	}
	for _, r := range rows {
		data, err := os.ReadFile(filepath.Join("testdata", r[1]))
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(data)
		if got := hex.EncodeToString(sum[:]); got != r[2] {
			t.Errorf("%s: sha256 %s, README says %s", r[1], got, r[2])
		}
	}
	want := []string{
		"argoproj.io/v1alpha1/Application",
		"helm.toolkit.fluxcd.io/v2/HelmRelease",
		"source.toolkit.fluxcd.io/v1/HelmRepository",
		"source.toolkit.fluxcd.io/v1/OCIRepository",
	}
	if got := loadSet(t).Kinds(); !cmp.Equal(got, want) {
		t.Errorf("kinds %v, want %v", got, want)
	}
}

const (
	application = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: my-app, namespace: argocd}
spec:
  project: default
  source:
    repoURL: https://charts.example.com/
    chart: my-chart
    targetRevision: 1.2.3
    helm:
      releaseName: my-app
      valuesObject: {replicaCount: 1, any: {thing: [goes]}}
  destination: {server: https://kubernetes.default.svc, namespace: my-ns}
  syncPolicy:
    automated: {prune: true, selfHeal: true}
    syncOptions: [CreateNamespace=true]
`
	helmRelease = `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: my-app, namespace: flux-system}
spec:
  interval: 10m
  releaseName: my-app
  targetNamespace: my-ns
  install: {createNamespace: true}
  chart:
    spec:
      chart: my-chart
      version: "1.2.3"
      sourceRef: {kind: HelmRepository, name: my-repo, namespace: flux-system}
  values: {replicaCount: 1}
`
	helmRepository = `apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata: {name: my-repo, namespace: flux-system}
spec: {interval: 1h, url: https://charts.example.com/}
`
	ociRepository = `apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata: {name: my-repo, namespace: flux-system}
spec:
  interval: 10m
  url: oci://ghcr.io/example/charts/my-chart
  ref: {tag: 1.2.3}
  layerSelector: {mediaType: application/vnd.cncf.helm.chart.content.v1.tar+gzip, operation: copy}
`
)

// TestValidate: good objects pass; each kind of mistake the API server
// refuses with strict field validation is found, at its path.
func TestValidate(t *testing.T) {
	set := loadSet(t)
	for _, good := range []string{application, helmRelease, helmRepository, ociRepository} {
		if got := set.Validate([]byte(good)); len(got) != 0 {
			t.Errorf("valid object refused:\n%s\n%s", strings.Join(got, "\n"), good)
		}
	}
	for _, tt := range []struct {
		name, doc, old, new, want string
	}{
		{"unknown field", application, "      releaseName: my-app\n", "      releaseName: my-app\n      valueObject: {}\n", "spec.source.helm.valueObject: unknown field"},
		{"unknown top-level spec field", helmRelease, "  interval: 10m\n", "  interval: 10m\n  createNamespace: true\n", "spec.createNamespace: unknown field"},
		{"values as a mapping where a string goes", application, "valuesObject:", "values:", "spec.source.helm.values: Invalid value: \"object\""},
		{"missing required field", application, "  project: default\n", "", "spec.project: Required value"},
		{"missing required interval", helmRelease, "  interval: 10m\n", "", "spec.interval: Required value"},
		{"wrong type", application, "automated: {prune: true", "automated: {prune: \"yes\"", "spec.syncPolicy.automated.prune: Invalid value: \"string\""},
		{"a single sync option string", application, "syncOptions: [CreateNamespace=true]", "syncOptions: CreateNamespace=true", "spec.syncPolicy.syncOptions: Invalid value: \"string\""},
		{"bad enum", helmRelease, "kind: HelmRepository", "kind: OCIRepository", "spec.chart.spec.sourceRef.kind: Unsupported value: \"OCIRepository\""},
		{"bad pattern", helmRelease, "interval: 10m", "interval: 10 minutes", "spec.interval: Invalid value: \"10 minutes\""},
		{"bad url scheme", helmRepository, "url: https://", "url: ftp://", "spec.url: Invalid value: \"ftp://charts.example.com/\""},
		{"CEL: neither chart nor chartRef", helmRelease, "  chart:\n    spec:\n      chart: my-chart\n      version: \"1.2.3\"\n      sourceRef: {kind: HelmRepository, name: my-repo, namespace: flux-system}\n", "", "either chart or chartRef must be set"},
		{"CEL: both chart and chartRef", helmRelease, "  values:", "  chartRef: {kind: OCIRepository, name: my-repo}\n  values:", "either chart or chartRef must be set"},
		{"wrong apiVersion", helmRelease, "helm.toolkit.fluxcd.io/v2", "helm.toolkit.fluxcd.io/v2beta2", `no CRD for apiVersion "helm.toolkit.fluxcd.io/v2beta2"`},
		{"bad name", ociRepository, "name: my-repo,", "name: My_Repo,", "metadata.name: Invalid value: \"My_Repo\""},
		{"no namespace", helmRepository, ", namespace: flux-system}", "}", "metadata.namespace: Required value"},
		{"duplicate key", helmRepository, "spec: {interval: 1h,", "spec: {interval: 1h, interval: 2h,", "decode:"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(tt.doc, tt.old) {
				t.Fatalf("%q is not in the document", tt.old)
			}
			got := strings.Join(set.Validate([]byte(strings.Replace(tt.doc, tt.old, tt.new, 1))), "\n")
			if !strings.Contains(got, tt.want) {
				t.Errorf("problems do not mention %q:\n%s", tt.want, got)
			}
		})
	}
}
