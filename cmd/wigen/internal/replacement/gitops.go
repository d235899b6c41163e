// The GitOps outputs of an environment as wigen renders them: the Argo CD
// Application (generate/argocd) and the Flux HelmRelease (generate/flux),
// each with the chart, the release and its namespace, and the Helm values
// inline.
//
// Flux runs Helm: a new release name, target namespace or chart name is a
// new release target, which helm-controller uninstalls before installing
// the new one (fluxcd/helm-controller v1.6.3 internal/action/verify.go
// ReleaseTargetChanged; docs/spec/v2/helmreleases.md), so it is compared
// as Terraform's helm_release is (release.go). Argo CD does not: it renders
// the chart with helm template and applies the objects, so a change is a
// replacement only where it renames or moves the chart's objects (a new
// destination namespace, a new chart, a release name or chart upgrade the
// chart names its objects after): pruning (automated prune, or a sync with
// prune) deletes the old ones, and helm.sh/resource-policy: keep does not
// stop it (argo-cd#17819, open); the sync option Prune=false on the PVC
// does (argo-cd docs/user-guide/sync-options.md, "No Prune Resources").

package replacement

import (
	"fmt"
	"path"
	"slices"

	sigsyaml "sigs.k8s.io/yaml"

	"github.com/wigen-dev/wigen/generate/argocd"
	"github.com/wigen-dev/wigen/generate/flux"
	"github.com/wigen-dev/wigen/schema"
)

// findGitOps lists the replacements of the Argo CD Applications and the
// Flux HelmReleases of the environments present in both trees.
func findGitOps(old, next map[string][]byte) []Replacement {
	var out []Replacement
	for _, env := range envs(old, next, argocd.Path) {
		if same(old, next, argocd.Path(env)) {
			continue
		}
		o, okOld := readApplication(old, env)
		n, okNew := readApplication(next, env)
		if okOld && okNew {
			out = append(out, compareApplications(env, o, n)...)
		}
	}
	for _, env := range envs(old, next, fluxRelease) {
		if same(old, next, fluxInputs(env)...) {
			continue
		}
		o, okOld := readHelmRelease(old, env)
		n, okNew := readHelmRelease(next, env)
		if okOld && okNew {
			out = append(out, compareReleases(env, fluxRelease(env), "Flux", "Flux ", o, n, true)...)
		}
	}
	return out
}

// application is what an Application deploys: the release (chart, its
// name and values) in the destination namespace.
type application struct {
	path string
	helmRelease
}

// readApplication reads environment env's Application; ok is false when
// it is missing, does not parse, or names no chart.
func readApplication(files map[string][]byte, env string) (*application, bool) {
	p := argocd.Path(env)
	data, ok := files[p]
	if !ok {
		return nil, false
	}
	var a argocd.Application
	if sigsyaml.Unmarshal(data, &a) != nil || a.Spec.Source.Chart == "" {
		return nil, false
	}
	src := a.Spec.Source
	return &application{path: p, helmRelease: helmRelease{namespace: a.Spec.Destination.Namespace,
		chart: chart{name: src.Chart, version: src.TargetRevision, release: src.Helm.ReleaseName, values: src.Helm.ValuesObject}}}, true
}

// readHelmRelease reads environment env's HelmRelease, and for an OCI
// chart its OCIRepository (the chart is the last segment of its url, the
// version its tag); ok is false when one is missing or does not parse.
func readHelmRelease(files map[string][]byte, env string) (helmRelease, bool) {
	dir := flux.Dir(env)
	data, ok := files[path.Join(dir, flux.HelmReleaseFile)]
	if !ok {
		return helmRelease{}, false
	}
	var hr flux.HelmRelease
	if sigsyaml.Unmarshal(data, &hr) != nil {
		return helmRelease{}, false
	}
	c := chart{release: hr.Spec.ReleaseName, values: hr.Spec.Values}
	switch {
	case hr.Spec.Chart != nil:
		c.name, c.version = hr.Spec.Chart.Spec.Chart, hr.Spec.Chart.Spec.Version
	case hr.Spec.ChartRef != nil && hr.Spec.ChartRef.Kind == flux.KindOCIRepository:
		var repo flux.OCIRepository
		src, ok := files[path.Join(dir, flux.OCIRepositoryFile)]
		if !ok || sigsyaml.Unmarshal(src, &repo) != nil {
			return helmRelease{}, false
		}
		c.name, c.version = path.Base(repo.Spec.URL), repo.Spec.Ref.Tag
	}
	if c.name == "" {
		return helmRelease{}, false
	}
	// wigen writes no spec.storageNamespace: Helm's history is in the
	// HelmRelease's namespace.
	return helmRelease{namespace: hr.Spec.TargetNamespace, storage: hr.Metadata.Namespace, chart: c}, true
}

// prunedKept reports whether the chart's PVC under values carries the
// Argo CD sync option Prune=false (persistence.annotations), which keeps
// it when a sync prunes it.
func prunedKept(values map[string]any) bool {
	return slices.Contains(schema.PVCSyncOptions(values), schema.ArgoCDNoPrune)
}

// compareApplications lists what Application n replaces of Application o.
func compareApplications(env string, o, n *application) []Replacement {
	var out []Replacement
	oldPVC, _ := pvc(o.chart)
	kept := prunedKept(o.chart.values)
	const object = "Argo CD Application"
	pruned := func() string {
		switch {
		case oldPVC == "":
			return ""
		case kept:
			return fmt.Sprintf("; the PVC %s stays (Prune=false) and the app starts on a new, empty one", schema.Quote(oldPVC))
		}
		return fmt.Sprintf(", the PVC %s and the chat database in it among them, and the app starts on a new, empty one", schema.Quote(oldPVC))
	}
	if o.namespace != n.namespace {
		out = append(out, Replacement{Env: env, Path: n.path, Object: object + " destination namespace " + schema.Quote(o.namespace), Change: "becomes " + schema.Quote(n.namespace),
			Consequence: fmt.Sprintf("every object of the app moves to namespace %s: Argo CD prunes the objects in %s (automated prune, or a sync with prune)", schema.Quote(n.namespace), schema.Quote(o.namespace)) + pruned()})
	}
	if o.chart.name != n.chart.name {
		out = append(out, Replacement{Env: env, Path: n.path, Object: object + " chart " + schema.Quote(o.chart.name), Change: "becomes " + schema.Quote(n.chart.name),
			Consequence: fmt.Sprintf("Argo CD renders another chart: it prunes every object of %s the new chart does not render under the same name", schema.Quote(o.chart.name)) + pruned()})
		return out
	}
	if o.namespace != n.namespace {
		return out // the objects move anyway
	}
	if r, ok := renamed(env, n.path, object, o.chart, n.chart, func(old string, _ bool) string {
		if kept {
			return fmt.Sprintf("the app starts on a new, empty PVC; a sync with prune leaves %s (Prune=false) unused: %s", schema.Quote(old), reattach(old))
		}
		return fmt.Sprintf("the app starts on a new, empty PVC; a sync with prune deletes %s and the chat database in it (helm.sh/resource-policy: keep does not stop Argo CD's prune)", schema.Quote(old))
	}); ok {
		out = append(out, r)
	}
	return append(out, offReplacements(env, n.path, object, o.chart, n.chart, "a sync with prune deletes it", kept)...)
}

// fluxRelease is environment env's HelmRelease file.
func fluxRelease(env string) string { return path.Join(flux.Dir(env), flux.HelmReleaseFile) }

// fluxInputs are the files the Flux comparison reads for env (FindUnreadable
// checks the same list).
func fluxInputs(env string) []string {
	return []string{fluxRelease(env), path.Join(flux.Dir(env), flux.OCIRepositoryFile)}
}
