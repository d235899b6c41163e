package realchart

import (
	"path"
	"path/filepath"
	"sort"
	"testing"

	"github.com/wigen-dev/wigen/cmd/wigen/internal/lint"
	"github.com/wigen-dev/wigen/generate"
	"github.com/wigen-dev/wigen/generate/argocd"
	"github.com/wigen-dev/wigen/generate/flux"
	"github.com/wigen-dev/wigen/generate/helm"
	"github.com/wigen-dev/wigen/generate/kustomize"
	"github.com/wigen-dev/wigen/generate/output"
	"github.com/wigen-dev/wigen/generate/terraform"
	"github.com/wigen-dev/wigen/schema"
)

// The paths a Stream comes from.
const (
	PathTerraform = "terraform"
	PathHelm      = "helm"
	PathKustomize = "kustomize"
	PathArgoCD    = "argocd"
	PathFlux      = "flux"
)

// Stream is one rendering of one environment: what a consumer would apply.
type Stream struct {
	// Path is PathTerraform, PathHelm, PathKustomize, PathArgoCD or
	// PathFlux.
	Path string
	// Via names the tools, e.g. "helm v4.3.1" or "krusty, helm v3.22.0".
	Via string
	// Data is multi-document YAML.
	Data []byte
}

// Name is "<path> (<via>)", for messages and file names in findings.
func (s Stream) Name() string { return s.Path + " (" + s.Via + ")" }

// placeholderClientID stands for the client ID of an identity that exists
// only after apply (no identity.clientId in the input): the Terraform path
// still renders, and only the Terraform path.
const placeholderClientID = "00000000-0000-4000-8000-000000000000"

// Streams renders environment e of s along every path files hold for it,
// with every tool (see the package documentation): Terraform, Helm, Argo
// CD and Flux with Helm 3 and Helm 4, Kustomize with krusty under both and
// with `kubectl kustomize` under Helm 3. files are s's rendered files
// (paths relative to the output root). A missing tool or chart is Missing;
// a path that is not rendered for e (no client ID yet, a target left out,
// a Terraform module without the release) is not run.
func Streams(t testing.TB, s *schema.Spec, files []output.File, e *schema.Environment) []Stream {
	t.Helper()
	have := map[string]bool{}
	for _, f := range files {
		have[f.Path] = true
	}
	chart := ReferenceChart(t, s.Spec.Chart.Name, s.Spec.Chart.Version)
	helms := Helms(t)
	var out []Stream

	// release runs r, read from the rendered file p, with every Helm.
	release := func(pathName, p string, r *Release) {
		if r.Chart != chart.Name || r.Version != chart.Version {
			t.Fatalf("%s: installs %s %s, want %s", p, r.Chart, r.Version, chart)
		}
		for _, h := range helms {
			out = append(out, Stream{pathName, h.String(), h.templateRelease(t, chart, r)})
		}
	}

	// A module without the release (terraform.release: false) installs
	// nothing in the cluster.
	if dir := terraform.Dir(e.Name); have[path.Join(dir, terraform.FileMain)] {
		id := placeholderClientID
		if helm.HasClientID(e) {
			id = e.Identity.ClientID
		}
		if e.TerraformRelease() {
			release(PathTerraform, dir, TerraformRelease(t, files, dir, id))
		} else if _, err := terraformRelease(files, dir, id); err == nil {
			t.Errorf("%s: terraform.release is false, but the module installs a helm_release", dir)
		}
	}

	if p := helm.StandalonePath(e.Name); have[p] {
		values := writeTemp(t, "values.yaml", fileData(files, p))
		for _, h := range helms {
			out = append(out, Stream{PathHelm, h.String(), h.Template(t, chart, s.ReleaseName(), e.Namespace, "-f", values)})
		}
	}

	if dir := kustomize.OverlayDir(e.Name); have[path.Join(dir, kustomize.KustomizationFile)] {
		overlay := filepath.Join(WriteTree(t, files), filepath.FromSlash(dir))
		PlaceCharts(t, overlay)
		for _, h := range helms {
			out = append(out, Stream{PathKustomize, "krusty, " + h.String(), h.Krusty(t, overlay)})
		}
		k := FindKubectl(t)
		h3 := helms[0]
		out = append(out, Stream{PathKustomize, k.String() + ", " + h3.String(), h3.KubectlKustomize(t, k, overlay)})
	}

	// The GitOps paths: helm template as Argo CD and helm-controller run
	// it, with the values inline in the rendered Application and
	// HelmRelease.
	if p := argocd.Path(e.Name); have[p] {
		release(PathArgoCD, p, ArgoCDRelease(t, files, e.Name))
	}
	if p := path.Join(flux.Dir(e.Name), flux.HelmReleaseFile); have[p] {
		release(PathFlux, p, FluxRelease(t, files, e.Name))
	}
	return out
}

func fileData(files []output.File, p string) []byte {
	for _, f := range files {
		if f.Path == p {
			return f.Data
		}
	}
	return nil
}

// Lint runs wigen lint in-process on st against environment e of s, as
// `wigen lint -f wigen.yaml --env <e>` would, and returns the findings. An
// input error (not Kubernetes YAML, no object) fails the test.
func Lint(t testing.TB, s *schema.Spec, e *schema.Environment, st Stream) []lint.Finding {
	t.Helper()
	fs, err := lint.LintSpec(s, e, []lint.Input{{Name: st.Name(), Data: st.Data}})
	if err != nil {
		t.Fatalf("wigen lint of %s: %v", st.Name(), err)
	}
	return fs
}

// RequireClean fails the test unless wigen lint finds nothing at all in st,
// warnings included.
func RequireClean(t testing.TB, s *schema.Spec, e *schema.Environment, st Stream) {
	t.Helper()
	if fs := Lint(t, s, e, st); len(fs) > 0 {
		var b []byte
		for _, f := range fs {
			b = append(b, f.String()...)
			b = append(b, '\n')
		}
		t.Errorf("wigen lint --env %s finds %d problems in %s:\n%s", e.Name, len(fs), st.Name(), b)
	}
}

// Case is one golden case: golden/<name>/wigen.yaml, loaded and rendered
// in memory (as `wigen render` would write it).
type Case struct {
	Name  string
	Spec  *schema.Spec
	Files []output.File
}

// GoldenCases loads and renders every golden/*/wigen.yaml, sorted by name.
func GoldenCases(t testing.TB) []Case {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(RepoRoot(t), "golden", "*", schema.DefaultFile))
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		t.Fatal("no golden/*/wigen.yaml")
	}
	sort.Strings(paths)
	var out []Case
	for _, p := range paths {
		s, err := schema.Load(p)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		res, err := generate.Render(s)
		if err != nil {
			t.Fatalf("%s: render: %v", p, err)
		}
		out = append(out, Case{Name: filepath.Base(filepath.Dir(p)), Spec: s, Files: res.Files})
	}
	return out
}
