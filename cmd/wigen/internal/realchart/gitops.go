package realchart

import (
	"fmt"
	"path"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"

	"github.com/wigen-dev/wigen/generate/argocd"
	"github.com/wigen-dev/wigen/generate/flux"
	"github.com/wigen-dev/wigen/generate/output"
)

// ArgoCDRelease reads what environment env's Argo CD Application
// (argocd/<env>/application.yaml of files) makes Argo CD install, from the
// rendered YAML alone, as `helm template` would be run for it (Argo CD
// renders a Helm source with helm template: argo-cd docs
// user-guide/helm.md): the chart (spec.source.chart, repoURL,
// targetRevision), the release (spec.source.helm.releaseName, else the
// Application's name), the destination namespace, and the values
// (helm.valuesObject, else the helm.values string) as one values file.
// helm.parameters become --set (--set-string with forceString); a source
// without a chart, or with valueFiles (files of a Git source), fails the
// test: wigen writes neither.
func ArgoCDRelease(t testing.TB, files []output.File, env string) *Release {
	t.Helper()
	p := argocd.Path(env)
	app := decodeFile(t, files, p)
	src := mapAt(app, "spec", "source")
	h := mapAt(src, "helm")
	r := &Release{
		Name:       stringAt(h, "releaseName"),
		Namespace:  stringAt(mapAt(app, "spec", "destination"), "namespace"),
		Chart:      stringAt(src, "chart"),
		Repository: stringAt(src, "repoURL"),
		Version:    stringAt(src, "targetRevision"),
	}
	if r.Name == "" {
		r.Name = stringAt(mapAt(app, "metadata"), "name")
	}
	if r.Chart == "" {
		t.Fatalf("%s: spec.source names no chart (a Git source?): not a Helm chart source", p)
	}
	if _, ok := h["valueFiles"]; ok {
		t.Fatalf("%s: spec.source.helm.valueFiles names files of the source, which this harness cannot read", p)
	}
	switch obj, str := h["valuesObject"], stringAt(h, "values"); {
	case obj != nil:
		r.Values = append(r.Values, marshalValues(t, p, obj))
	case str != "":
		r.Values = append(r.Values, []byte(str))
	}
	params, _ := h["parameters"].([]any)
	for _, x := range params {
		m, _ := x.(map[string]any)
		flag := "--set"
		if force, _ := m["forceString"].(bool); force {
			flag = "--set-string"
		}
		r.Set = append(r.Set, flag, stringAt(m, "name")+"="+stringAt(m, "value"))
	}
	return r
}

// FluxRelease reads what environment env's Flux HelmRelease
// (flux/<env>/helmrelease.yaml of files) makes helm-controller install,
// from the rendered YAML alone (Flux helm-controller, HelmRelease v2
// reference): the release (spec.releaseName, else
// "<targetNamespace>-<name>" with a targetNamespace, else the HelmRelease's
// name), its namespace (spec.targetNamespace, else the HelmRelease's), the
// values (spec.values) as one values file, and the chart: from
// spec.chart.spec (chart, version, and the HelmRepository it names in the
// folder), or from spec.chartRef, the OCIRepository in the folder (the
// chart is the last element of its URL, the version its ref.tag).
// valuesFrom (ConfigMaps and Secrets of a cluster) fails the test: wigen
// writes none.
func FluxRelease(t testing.TB, files []output.File, env string) *Release {
	t.Helper()
	dir := flux.Dir(env)
	p := path.Join(dir, flux.HelmReleaseFile)
	hr := decodeFile(t, files, p)
	meta, spec := mapAt(hr, "metadata"), mapAt(hr, "spec")
	if _, ok := spec["valuesFrom"]; ok {
		t.Fatalf("%s: spec.valuesFrom reads values from the cluster, which this harness cannot", p)
	}
	r := &Release{Name: stringAt(spec, "releaseName"), Namespace: stringAt(spec, "targetNamespace")}
	switch {
	case r.Name != "":
	case r.Namespace != "":
		r.Name = r.Namespace + "-" + stringAt(meta, "name")
	default:
		r.Name = stringAt(meta, "name")
	}
	if r.Namespace == "" {
		r.Namespace = stringAt(meta, "namespace")
	}
	if v, ok := spec["values"]; ok {
		r.Values = append(r.Values, marshalValues(t, p, v))
	}
	if ref := mapAt(spec, "chartRef"); ref != nil {
		if kind := stringAt(ref, "kind"); kind != flux.KindOCIRepository {
			t.Fatalf("%s: spec.chartRef is a %s; this harness reads an OCIRepository", p, kind)
		}
		src := findObject(t, files, dir, flux.KindOCIRepository, stringAt(ref, "name"))
		url := stringAt(mapAt(src, "spec"), "url")
		r.Repository, r.Chart = path.Dir(url), path.Base(url)
		r.Version = stringAt(mapAt(src, "spec", "ref"), "tag")
		return r
	}
	cs := mapAt(spec, "chart", "spec")
	r.Chart, r.Version = stringAt(cs, "chart"), stringAt(cs, "version")
	if sr := mapAt(cs, "sourceRef"); sr != nil {
		src := findObject(t, files, dir, stringAt(sr, "kind"), stringAt(sr, "name"))
		r.Repository = stringAt(mapAt(src, "spec"), "url")
	}
	if r.Chart == "" {
		t.Fatalf("%s: neither spec.chartRef nor spec.chart.spec.chart names a chart", p)
	}
	return r
}

// decodeFile decodes the one YAML document at p of files.
func decodeFile(t testing.TB, files []output.File, p string) map[string]any {
	t.Helper()
	data := fileData(files, p)
	if data == nil {
		t.Fatalf("%s is not rendered", p)
	}
	docs := Documents(t, data)
	if len(docs) != 1 {
		t.Fatalf("%s holds %d documents, want 1", p, len(docs))
	}
	return docs[0]
}

// findObject returns the object of kind and name among the YAML files of
// folder dir of files.
func findObject(t testing.TB, files []output.File, dir, kind, name string) map[string]any {
	t.Helper()
	for _, f := range files {
		if path.Dir(f.Path) != dir || !strings.HasSuffix(f.Path, ".yaml") {
			continue
		}
		for _, o := range Documents(t, f.Data) {
			if o["kind"] == kind && stringAt(mapAt(o, "metadata"), "name") == name {
				return o
			}
		}
	}
	t.Fatalf("%s: no %s %q", dir, kind, name)
	return nil
}

// marshalValues writes inline values as a values file (sigs.k8s.io/yaml:
// strings stay strings).
func marshalValues(t testing.TB, p string, v any) []byte {
	t.Helper()
	b, err := yaml.Marshal(v)
	if err != nil {
		t.Fatalf("%s: the inline values: %v", p, err)
	}
	return b
}

// field is the value at path below o, or nil.
func field(o map[string]any, path ...string) any {
	var x any = o
	for _, p := range path {
		m, _ := x.(map[string]any)
		x = m[p]
	}
	return x
}

// mapAt is the mapping at keys below m, or nil.
func mapAt(m map[string]any, keys ...string) map[string]any {
	x, _ := field(m, keys...).(map[string]any)
	return x
}

// stringAt is the string at key of m, or "".
func stringAt(m map[string]any, key string) string {
	s, _ := m[key].(string)
	return s
}

// templateRelease runs `helm template` for r with h on chart c: r's values
// as values files, in order, then its set flags.
func (h *Helm) templateRelease(t testing.TB, c *Chart, r *Release) []byte {
	t.Helper()
	var args []string
	for i, v := range r.Values {
		args = append(args, "-f", writeTemp(t, fmt.Sprintf("values-%d.yaml", i), v))
	}
	args = append(args, r.Set...)
	return h.Template(t, c, r.Name, r.Namespace, args...)
}
