package realchart

import (
	"bytes"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wigen-dev/wigen/cmd/wigen/internal/lint"
	"github.com/wigen-dev/wigen/generate"
	"github.com/wigen-dev/wigen/generate/helm"
	"github.com/wigen-dev/wigen/generate/kustomize"
	"github.com/wigen-dev/wigen/generate/output"
	"github.com/wigen-dev/wigen/schema"
)

// goldenCase returns the golden case named name.
func goldenCase(t *testing.T, name string) Case {
	t.Helper()
	for _, c := range GoldenCases(t) {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no golden case %s", name)
	return Case{}
}

// without returns files with every line equal to one of lines removed
// from the file at p, failing when one is not there: the output as wigen
// rendered it before the line was added.
func without(t *testing.T, files []output.File, p string, lines ...string) []output.File {
	t.Helper()
	out := append([]output.File(nil), files...)
	for i, f := range out {
		if f.Path != p {
			continue
		}
		data := f.Data
		for _, l := range lines {
			if !bytes.Contains(data, []byte("\n"+l+"\n")) {
				t.Fatalf("%s has no line %q:\n%s", p, l, data)
			}
			data = bytes.Replace(data, []byte("\n"+l+"\n"), []byte("\n"), 1)
		}
		out[i] = output.File{Path: p, Data: data}
		return out
	}
	t.Fatalf("%s is not rendered", p)
	return nil
}

func ids(fs []lint.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.ID+" "+f.Object())
	}
	return out
}

// TestChartOpenAIEnvFault: values without wigen's empty openaiApiKey and
// openaiBaseApiUrl (as wigen rendered them before) put the chart's dummy
// OPENAI_API_KEY and the public OpenAI URL into the pod with chart 16.0.0,
// and the public URL with chart 7.2.0. The oracle sees it: WI031 names the
// chart value the key comes from, and the URL is in the app's env.
func TestChartOpenAIEnvFault(t *testing.T) {
	h := Helm4(t)
	for _, tc := range []struct {
		name, values string
		remove       []string
		wantKey      bool
	}{
		{"current-providers", helm.StandalonePath("prod"), []string{`openaiApiKey: ""`, `openaiBaseApiUrl: ""`}, true},
		{"open-webui-aks", helm.StandalonePath("prod"), []string{`openaiBaseApiUrl: ""`}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := goldenCase(t, tc.name)
			e := &c.Spec.Spec.Environments[0]
			files := without(t, c.Files, tc.values, tc.remove...)
			chart := ReferenceChart(t, c.Spec.Spec.Chart.Name, c.Spec.Spec.Chart.Version)
			st := Stream{PathHelm, h.String(), h.Template(t, chart, c.Spec.ReleaseName(), e.Namespace, "-f", writeTemp(t, "values.yaml", fileData(files, tc.values)))}
			app := ShapeOf(t, e, st).Env[c.Spec.Spec.Chart.Name]
			if !slices.Contains(app, "OPENAI_API_BASE_URL") {
				t.Errorf("without %v the chart emits no OPENAI_API_BASE_URL: %v", tc.remove, app)
			}
			if slices.Contains(app, schema.EnvOpenAIKey) != tc.wantKey {
				t.Errorf("without %v: OPENAI_API_KEY in the pod %v, want %v: %v", tc.remove, !tc.wantKey, tc.wantKey, app)
			}
			fs := Lint(t, c.Spec, e, st)
			if !tc.wantKey {
				if len(fs) > 0 {
					t.Errorf("findings: %v", ids(fs))
				}
				return
			}
			if len(fs) != 1 || fs[0].ID != lint.IDOpenAIKey || !strings.Contains(fs[0].Fix, `chart open-webui 16.0.0 writes OPENAI_API_KEY from chart.values openaiApiKey (a dummy key by default: set it to "")`) {
				t.Errorf("want one WI031 whose fix names openaiApiKey, got:\n%v", fs)
			}
		})
	}
}

// TestKustomizeNamespaceFault: an overlay whose helmCharts entry has no
// namespace (the shared base wigen rendered before) is built by kustomize
// 5.5 (kubectl) with the chart in "default", so REDIS_URL names a Redis of
// another namespace, which WI032 reports; kustomize 5.8 (krusty) passes
// the overlay's namespace down. With the namespace written out both are
// right (TestGoldenThroughRealCharts).
func TestKustomizeNamespaceFault(t *testing.T) {
	c := goldenCase(t, "namespaces-and-redis")
	e := &c.Spec.Spec.Environments[0]
	k := FindKubectl(t)
	h := Helm3(t)
	files := without(t, c.Files, kustomize.OverlayDir(e.Name)+"/"+kustomize.KustomizationFile, "  namespace: "+e.Namespace)
	overlay := filepath.Join(WriteTree(t, files), filepath.FromSlash(kustomize.OverlayDir(e.Name)))
	PlaceCharts(t, overlay)

	old := Stream{PathKustomize, k.String() + ", " + h.String(), h.KubectlKustomize(t, k, overlay)}
	if !bytes.Contains(old.Data, []byte("redis://chat-open-webui-redis.default.svc.cluster.local:6379/0")) {
		t.Fatalf("kustomize %s no longer renders a chart without namespace in default: the fault this test shows is gone\n%s", k.Kustomize, old.Data)
	}
	var wi032 []string
	for _, f := range Lint(t, c.Spec, e, old) {
		if f.ID == lint.IDOtherNamespaceService {
			wi032 = append(wi032, f.Message)
		}
	}
	if len(wi032) != 2 { // REDIS_URL and WEBSOCKET_REDIS_URL
		t.Errorf("want WI032 for REDIS_URL and WEBSOCKET_REDIS_URL, got %q", wi032)
	}

	newer := Stream{PathKustomize, "krusty, " + h.String(), h.Krusty(t, overlay)}
	RequireClean(t, c.Spec, e, newer)
	CheckNamespace(t, e.Namespace, newer)
}

// TestKubectlKustomizeCannotRunHelm4: the README's claim that Helm 4 needs
// kustomize 5.8.1 or later: `kubectl kustomize` (5.5) runs `helm version
// -c`, which Helm 4 removed.
func TestKubectlKustomizeCannotRunHelm4(t *testing.T) {
	c := goldenCase(t, "current-providers")
	k := FindKubectl(t)
	h := Helm4(t)
	overlay := filepath.Join(WriteTree(t, c.Files), filepath.FromSlash(kustomize.OverlayDir("prod")))
	PlaceCharts(t, overlay)
	_, err := h.kubectlKustomize(k, overlay)
	if err == nil {
		t.Skipf("%s builds with %s: kubectl bundles a kustomize that runs Helm 4; the README's requirement is stale", k, h)
	}
	if !strings.Contains(err.Error(), "unknown shorthand flag: 'c'") {
		t.Errorf("%s with %s fails, but not for `helm version -c`: %v", k, h, err)
	}
}

// TestSpecialStringsThroughTheChart: strings that YAML 1.1 reads as
// booleans, numbers or null stay strings through the real chart's
// templates (16.0.0 passes podLabels through tpl) on every path.
func TestSpecialStringsThroughTheChart(t *testing.T) {
	s, err := schema.Load(filepath.Join(RepoRoot(t), "generate", "kustomize", "testdata", "special-strings.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := generate.Render(s)
	if err != nil {
		t.Fatal(err)
	}
	e := &s.Spec.Environments[0]
	for _, st := range Streams(t, s, res.Files, e) {
		RequireClean(t, s, e, st)
		CheckNamespace(t, e.Namespace, st)
		for _, want := range [][]byte{
			[]byte(`team: "no"`), []byte(`tier: "1e3"`), []byte(`a: "y"`), []byte(`b: "on"`), []byte(`c: "0123"`),
			[]byte(`"model_ids":["on","null","1e3","0123","y"]`),
		} {
			if !bytes.Contains(st.Data, want) {
				t.Errorf("%s lacks %s", st.Name(), want)
			}
		}
		sh := ShapeOf(t, e, st)
		if sh.Name != "yes-chat-open-webui" || sh.ServiceAccount != "y-chat" {
			t.Errorf("%s: workload %s, service account %s", st.Name(), sh.Name, sh.ServiceAccount)
		}
	}
}
