package kustomize

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/kustomize/api/types"
	"sigs.k8s.io/yaml"

	"github.com/wigen-dev/wigen/generate/helm"
	"github.com/wigen-dev/wigen/generate/output"
	"github.com/wigen-dev/wigen/schema"
)

type golden struct {
	name string
	spec *schema.Spec
}

// goldens loads every golden/*/wigen.yaml, with kustomize added to the
// targets of every environment that does not render it, so every case is
// checked here.
func goldens(t *testing.T) []golden {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("..", "..", "golden", "*", "wigen.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		t.Fatal("no golden/*/wigen.yaml found")
	}
	var out []golden
	for _, p := range paths {
		s, err := schema.Load(p)
		if err != nil {
			t.Fatalf("load %s: %v", p, err)
		}
		for i := range s.Spec.Environments {
			if e := &s.Spec.Environments[i]; !e.HasTarget(schema.TargetKustomize) {
				e.Targets = append(e.Targets, schema.TargetKustomize)
			}
		}
		out = append(out, golden{name: filepath.Base(filepath.Dir(p)), spec: s})
	}
	return out
}

func render(t *testing.T, s *schema.Spec) []output.File {
	t.Helper()
	files, err := Render(s)
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	return files
}

// TestRenderedDocumentsDecode decodes every rendered YAML document as its
// consumer does: kustomization.yaml as kustomize does, every Kubernetes
// object strictly as the API server does, values files through JSON.
func TestRenderedDocumentsDecode(t *testing.T) {
	for _, g := range goldens(t) {
		files := render(t, g.spec)
		files = append(files, renderHelm(t, g.spec)...)
		for _, f := range files {
			t.Run(g.name+"/"+f.Path, func(t *testing.T) {
				decodeRendered(t, g.spec, f)
			})
		}
	}
}

func decodeRendered(t *testing.T, s *schema.Spec, f output.File) {
	t.Helper()
	if !output.IsGenerated(f.Data) {
		t.Errorf("%s does not start with the generated-file line", f.Path)
	}
	if !bytes.HasSuffix(f.Data, []byte("\n")) || bytes.Contains(f.Data, []byte("\r")) {
		t.Errorf("%s: want LF line endings and a final newline", f.Path)
	}
	switch path.Base(f.Path) {
	case GitignoreFile:
		// Not YAML: TestGitignore.
	case KustomizationFile:
		k, err := decodeKustomization(f.Data)
		if err != nil {
			t.Fatal(err)
		}
		if dep := k.CheckDeprecatedFields(); dep != nil && len(*dep) > 0 {
			t.Errorf("deprecated fields: %v", *dep)
		}
		if k.CommonLabels != nil || k.Labels != nil {
			t.Errorf("commonLabels/labels must not be used (they reach selectors): %v %v", k.CommonLabels, k.Labels)
		}
		// Re-marshalled in kustomize's order, the file is itself.
		again, err := marshalKustomization(k)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasSuffix(f.Data, again) {
			t.Errorf("not in kustomize's field order; want body:\n%s\ngot file:\n%s", again, f.Data)
		}
	case ValuesFile:
		var got any
		if err := yaml.Unmarshal(f.Data, &got); err != nil {
			t.Fatal(err)
		}
		var want map[string]any
		for i := range s.Spec.Environments {
			switch e := &s.Spec.Environments[i]; f.Path {
			case helm.StandalonePath(e.Name):
				want = helm.Values(s, e, helm.Standalone)
			case path.Join(OverlayDir(e.Name), ValuesFile):
				want = helm.Values(s, e, helm.KustomizeChart)
			}
		}
		if want == nil {
			t.Fatalf("%s is no environment's values file", f.Path)
		}
		if diff := cmp.Diff(jsonRoundTrip(t, want), got); diff != "" {
			t.Errorf("values file does not decode to the values (-want +got):\n%s", diff)
		}
	default:
		if _, err := decode(f.Data); err != nil {
			t.Errorf("strict decoding: %v\n%s", err, f.Data)
		}
	}
}

func jsonRoundTrip(t *testing.T, v any) any {
	t.Helper()
	js, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(js, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestStrictDecodingRefuses shows the decoding the tests rely on fails
// where the API server does: a boolean label, an unknown field.
func TestStrictDecodingRefuses(t *testing.T) {
	for name, doc := range map[string]string{
		"boolean pod label": "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: a\nspec:\n  template:\n    metadata:\n      labels:\n        azure.workload.identity/use: true\n",
		"yes pod label":     "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: a\nspec:\n  template:\n    metadata:\n      labels:\n        azure.workload.identity/use: yes\n",
		"unknown field":     "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: a\n  annotation: {}\n",
		"duplicate field":   "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: a\n  name: b\n",
	} {
		if _, err := decode([]byte(doc)); err == nil {
			t.Errorf("%s: decoded without error", name)
		}
	}
	ok := "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: a\nspec:\n  template:\n    metadata:\n      labels:\n        azure.workload.identity/use: \"true\"\n"
	if _, err := decode([]byte(ok)); err != nil {
		t.Errorf("a string label: %v", err)
	}
}

// specialInput (testdata/special-strings.yaml) uses, wherever the input
// allows them, strings that YAML 1.1 reads as booleans, numbers or null.
const specialInput = "testdata/special-strings.yaml"

func TestSpecialStringsStayStrings(t *testing.T) {
	s, err := schema.Load(specialInput)
	if err != nil {
		t.Fatal(err)
	}
	files := render(t, s)
	hfiles := renderHelm(t, s)
	for _, f := range append(append([]output.File(nil), files...), hfiles...) {
		decodeRendered(t, s, f)
	}
	// The rendered text quotes every such string (a reader sees strings).
	want := map[string]any{"a": "y", "b": "on", "c": "0123", "d": "1e3", "e": "null", "f": "yes", "g": "true", "h": "~"}
	for _, p := range []string{OverlayDir("on") + "/" + ValuesFile, helm.StandalonePath("on")} {
		data := fileData(t, append(files, hfiles...), p)
		var vals map[string]any
		if err := yaml.Unmarshal(data, &vals); err != nil {
			t.Fatal(err)
		}
		w := want
		if p == helm.StandalonePath("on") {
			w = map[string]any{schema.AnnotationChecksum: helm.PodAnnotations(&s.Spec.Environments[0])[schema.AnnotationChecksum]}
			for k, v := range want {
				w[k] = v
			}
		}
		if diff := cmp.Diff(w, vals["podAnnotations"]); diff != "" {
			t.Errorf("%s podAnnotations (-want +got):\n%s", p, diff)
		}
		for _, quoted := range []string{`a: "y"`, `b: "on"`, `c: "0123"`, `d: "1e3"`, `e: "null"`, `f: "yes"`, `g: "true"`, `h: "~"`, `team: "no"`} {
			if !bytes.Contains(data, []byte(quoted)) {
				t.Errorf("%s lacks %s:\n%s", p, quoted, data)
			}
		}
	}
}

func renderHelm(t *testing.T, s *schema.Spec) []output.File {
	t.Helper()
	files, err := helm.Render(s)
	if err != nil {
		t.Fatalf("helm.Render: %v", err)
	}
	return files
}

func fileData(t *testing.T, files []output.File, p string) []byte {
	t.Helper()
	for _, f := range files {
		if f.Path == p {
			return f.Data
		}
	}
	t.Fatalf("%s not rendered", p)
	return nil
}

// TestOverlayValuesHoldNoWorkloadID: the chart values of an overlay leave
// the client ID, the annotations and the pod label to the patches.
func TestOverlayValuesHoldNoWorkloadID(t *testing.T) {
	for _, g := range goldens(t) {
		files := render(t, g.spec)
		for i := range g.spec.Spec.Environments {
			e := &g.spec.Spec.Environments[i]
			if !helm.HasClientID(e) {
				continue
			}
			p := OverlayDir(e.Name) + "/" + ValuesFile
			body := string(fileData(t, files, p))
			for _, x := range []string{e.Identity.ClientID, schema.AnnotationPrefix, schema.AnnotationChecksum, "podLabels"} {
				if strings.Contains(body, x) {
					t.Errorf("%s/%s holds %q: Workload ID belongs in the patches", g.name, p, x)
				}
			}
		}
	}
}

func TestSkippedOverlay(t *testing.T) {
	var s *schema.Spec
	for _, g := range goldens(t) {
		if g.name == "multi-environment" {
			s = g.spec
		}
	}
	if s == nil {
		t.Fatal("golden/multi-environment is missing")
	}
	files := render(t, s)
	for _, f := range files {
		if strings.HasPrefix(f.Path, OverlayDir("dev")+"/") {
			t.Errorf("%s rendered, but dev has no identity.clientId", f.Path)
		}
	}
	fileData(t, files, OverlayDir("prod")+"/"+KustomizationFile)
}

func TestRenderIsDeterministic(t *testing.T) {
	for _, g := range goldens(t) {
		a := render(t, g.spec)
		b := render(t, g.spec)
		if diff := cmp.Diff(a, b); diff != "" {
			t.Errorf("%s: two renders differ:\n%s", g.name, diff)
		}
	}
}

func TestKustomizationFieldOrder(t *testing.T) {
	k := &types.Kustomization{
		TypeMeta:          types.TypeMeta{APIVersion: types.KustomizationVersion, Kind: types.KustomizationKind},
		Images:            []types.Image{{Name: "a", NewTag: "1"}},
		HelmCharts:        []types.HelmChart{{Name: "c"}},
		Patches:           []types.Patch{{Path: "p.yaml"}},
		Namespace:         "ns",
		Resources:         []string{"r.yaml"},
		Components:        []string{"comp"},
		CommonAnnotations: map[string]string{"a": "b"},
		Validators:        []string{"v.yaml"},
	}
	body, err := marshalKustomization(k)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, l := range strings.Split(string(body), "\n") {
		if l != "" && l[0] != ' ' && l[0] != '-' {
			keys = append(keys, strings.SplitN(l, ":", 2)[0])
		}
	}
	want := []string{"apiVersion", "kind", "resources", "namespace", "commonAnnotations", "patches", "helmCharts", "images", "components", "validators"}
	if diff := cmp.Diff(want, keys); diff != "" {
		t.Errorf("field order (-want +got):\n%s", diff)
	}
	back, err := decodeKustomization(body)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(k, back); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	plain, _ := yaml.Marshal(k)
	if bytes.Equal(plain, body) {
		t.Error("a plain marshal gives the same order: the test proves nothing")
	}
}

// TestOverlayFiles pins the overlay's shape: its files, the chart it
// inflates in the environment's namespace, the patch targets, and that
// nothing but the namespace is a resource.
func TestOverlayFiles(t *testing.T) {
	for _, g := range goldens(t) {
		files := render(t, g.spec)
		byDir := map[string][]string{}
		for _, f := range files {
			byDir[path.Dir(f.Path)] = append(byDir[path.Dir(f.Path)], path.Base(f.Path))
		}
		for i := range g.spec.Spec.Environments {
			e := &g.spec.Spec.Environments[i]
			dir := OverlayDir(e.Name)
			if !helm.HasClientID(e) {
				if len(byDir[dir]) > 0 {
					t.Errorf("%s: %s rendered without a client ID", g.name, dir)
				}
				continue
			}
			want := []string{GitignoreFile, KustomizationFile, ServiceAccountFile, ValuesFile, WorkloadFile}
			var resources []string
			if e.CreatesNamespace() {
				want = append(want, NamespaceFile)
				resources = []string{NamespaceFile}
			}
			if diff := cmp.Diff(sorted(want), sorted(byDir[dir])); diff != "" {
				t.Errorf("%s %s files (-want +got):\n%s", g.name, dir, diff)
			}
			k, err := decodeKustomization(fileData(t, files, dir+"/"+KustomizationFile))
			if err != nil {
				t.Fatal(err)
			}
			c := g.spec.Spec.Chart
			wantChart := []types.HelmChart{{Name: c.Name, Version: c.Version, Repo: c.Repository, ReleaseName: g.spec.ReleaseName(), Namespace: e.Namespace, ValuesFile: ValuesFile}}
			if diff := cmp.Diff(wantChart, k.HelmCharts); diff != "" {
				t.Errorf("%s %s helmCharts (-want +got):\n%s", g.name, dir, diff)
			}
			if diff := cmp.Diff(resources, k.Resources); diff != "" || k.Namespace != e.Namespace || len(k.Patches) != 2 {
				t.Errorf("%s %s: resources %v, namespace %q, %d patches", g.name, dir, k.Resources, k.Namespace, len(k.Patches))
			}
			wl := k.Patches[1].Target
			if wl == nil || wl.Kind != WorkloadKinds || wl.Name != g.spec.FullnameFor(e) {
				t.Errorf("%s %s: workload patch target %+v", g.name, dir, wl)
			}
		}
	}
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	return out
}

// TestPathsMatchRender: Paths, which the READMEs use, lists exactly what
// Render writes.
func TestPathsMatchRender(t *testing.T) {
	specs := []*schema.Spec{}
	for _, g := range goldens(t) {
		specs = append(specs, g.spec)
	}
	s, err := schema.Load(specialInput)
	if err != nil {
		t.Fatal(err)
	}
	specs = append(specs, s)
	for _, s := range specs {
		files := render(t, s)
		var got []string
		for _, f := range files {
			got = append(got, f.Path)
		}
		if diff := cmp.Diff(sorted(Paths(s)), sorted(got)); diff != "" {
			t.Errorf("%s: Paths and Render differ (-Paths +Render):\n%s", s.Metadata.Name, diff)
		}
	}
}

// TestOverlayValuesPerEnvironment: each overlay inflates the chart with its
// environment's values (spec.chart.values with the environment's
// chart.values merged over them), in its namespace: golden/team-topology,
// every environment given the kustomize target.
func TestOverlayValuesPerEnvironment(t *testing.T) {
	var g *golden
	for _, c := range goldens(t) {
		if c.name == "team-topology" {
			g = &c
		}
	}
	if g == nil {
		t.Fatal("golden case team-topology is missing")
	}
	files := render(t, g.spec)
	want := map[string]struct{ host, size string }{
		"dev":     {"chat.dev.example.com", "10Gi"},
		"staging": {"chat.staging.example.com", "10Gi"},
		"prod":    {"chat.example.com", "50Gi"},
	}
	for env, w := range want {
		var v struct {
			Ingress     struct{ Host string }
			Persistence struct{ Size string }
		}
		if err := yaml.Unmarshal(fileData(t, files, path.Join(OverlayDir(env), ValuesFile)), &v); err != nil {
			t.Fatal(err)
		}
		if v.Ingress.Host != w.host || v.Persistence.Size != w.size {
			t.Errorf("%s overlay values: ingress.host %q, persistence.size %q; want %q, %q", env, v.Ingress.Host, v.Persistence.Size, w.host, w.size)
		}
		k, err := decodeKustomization(fileData(t, files, path.Join(OverlayDir(env), KustomizationFile)))
		if err != nil {
			t.Fatal(err)
		}
		if len(k.HelmCharts) != 1 || k.HelmCharts[0].Namespace != k.Namespace || k.HelmCharts[0].ValuesFile != ValuesFile {
			t.Errorf("%s: helmCharts %+v in namespace %q: want one entry in the overlay's namespace with %s", env, k.HelmCharts, k.Namespace, ValuesFile)
		}
	}
}

// TestGitignore: every overlay has a .gitignore, listed by Paths, that
// ignores the chart kustomize pulls into charts/ beside kustomization.yaml
// and nothing else of the overlay, as git itself reads it (git
// check-ignore, when git is installed).
func TestGitignore(t *testing.T) {
	for _, g := range goldens(t) {
		files := render(t, g.spec)
		paths := map[string]bool{}
		for _, p := range Paths(g.spec) {
			paths[p] = true
		}
		for i := range g.spec.Spec.Environments {
			e := &g.spec.Spec.Environments[i]
			if !helm.HasClientID(e) {
				continue
			}
			p := path.Join(OverlayDir(e.Name), GitignoreFile)
			if !paths[p] {
				t.Errorf("%s: Paths lacks %s", g.name, p)
			}
			var overlay []output.File
			for _, f := range files {
				if path.Dir(f.Path) == OverlayDir(e.Name) {
					overlay = append(overlay, f)
				}
			}
			checkIgnored(t, g.name, OverlayDir(e.Name), overlay)
		}
	}
}

// checkIgnored writes the overlay's files into a git work tree and asks
// git which paths it ignores: the chart kustomize pulls, and no file of
// the overlay.
func checkIgnored(t *testing.T, name, dir string, overlay []output.File) {
	t.Helper()
	var gi []byte
	for _, f := range overlay {
		if path.Base(f.Path) == GitignoreFile {
			gi = f.Data
		}
	}
	if !bytes.HasSuffix(gi, []byte("\n/"+ChartsDir+"/\n")) || !bytes.HasPrefix(gi, []byte(output.Header(GitignoreFile, "wigen.yaml"))) {
		t.Fatalf("%s: %s/.gitignore:\n%s", name, dir, gi)
	}
	gitBin, err := exec.LookPath("git")
	if err != nil {
		if os.Getenv("WIGEN_CI") == "1" {
			t.Fatalf("git not found: %v", err)
		}
		return
	}
	work := t.TempDir()
	chart := path.Join(dir, ChartsDir, "open-webui-16.0.0", "open-webui", "Chart.yaml")
	for _, f := range append(overlay, output.File{Path: chart, Data: []byte("name: open-webui\n")}) {
		p := filepath.Join(work, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	git := func(args ...string) (string, int) {
		cmd := exec.Command(gitBin, append([]string{"-C", work}, args...)...)
		cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL="+os.DevNull)
		out, err := cmd.Output()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return string(out), code
	}
	if out, code := git("init", "-q"); code != 0 {
		t.Fatalf("git init: %s", out)
	}
	for _, f := range overlay {
		if out, code := git("check-ignore", "--no-index", f.Path); code == 0 {
			t.Errorf("%s: git ignores the overlay's %s: %s", name, f.Path, out)
		}
	}
	if _, code := git("check-ignore", "--no-index", chart); code != 0 {
		t.Errorf("%s: git does not ignore %s, the chart kustomize pulls", name, chart)
	}
	// A folder named charts elsewhere, e.g. in a chart's own sources, is
	// not the overlay's.
	if _, code := git("check-ignore", "--no-index", path.Join(dir, "sub", ChartsDir, "x")); code == 0 {
		t.Errorf("%s: the pattern is not anchored to the overlay's folder", name)
	}
}

// TestKustomizationCommandNamesContext: the apply command in each
// kustomization.yaml's comment names the cluster's kubeconfig context, as
// the environment README's does.
func TestKustomizationCommandNamesContext(t *testing.T) {
	for _, g := range goldens(t) {
		for _, f := range render(t, g.spec) {
			if path.Base(f.Path) != KustomizationFile {
				continue
			}
			env := path.Base(path.Dir(f.Path))
			var e *schema.Environment
			for i := range g.spec.Spec.Environments {
				if g.spec.Spec.Environments[i].Name == env {
					e = &g.spec.Spec.Environments[i]
				}
			}
			want := "#   kustomize build --enable-helm " + OverlayDir(env) + " | kubectl --context " + e.Cluster.Name + " apply -f -\n"
			if !strings.Contains(string(f.Data), want) {
				t.Errorf("%s %s lacks %q:\n%s", g.name, f.Path, want, f.Data)
			}
		}
	}
}
