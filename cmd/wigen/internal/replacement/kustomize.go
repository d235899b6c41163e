// The Kustomize overlay of an environment as wigen renders it
// (generate/kustomize): its namespace, and the chart it inflates. Applied
// with pruning (Argo CD, Flux), objects that leave the build are deleted;
// helm.sh/resource-policy: keep does not stop that (Argo CD prunes such an
// object, argo-cd#17819; Flux's kustomize-controller knows only its own
// kustomize.toolkit.fluxcd.io/prune: disabled).

package replacement

import (
	"fmt"
	"path"

	"go.yaml.in/yaml/v3"

	"github.com/wigen-dev/wigen/generate/kustomize"
	"github.com/wigen-dev/wigen/schema"
)

type overlay struct {
	path      string // the overlay's kustomization.yaml
	namespace string
	chart     chart
	// chartPath is the file that names the chart: the overlay's
	// kustomization.yaml, or legacyBaseDir's for a tree an older wigen wrote.
	chartPath string
	// createsNamespace: the overlay holds the Namespace object
	// (namespace.yaml, createNamespace).
	createsNamespace bool
}

// legacyBaseDir is the shared base older wigen versions rendered: one
// kustomize/base inflating the chart for every overlay. A tree written
// that way is still compared, so upgrading wigen keeps the guard.
const legacyBaseDir = "kustomize/base"

// kustomization is what readOverlay reads of a kustomization.yaml.
type kustomization struct {
	Namespace  string `yaml:"namespace"`
	HelmCharts []struct {
		Name        string `yaml:"name"`
		Version     string `yaml:"version"`
		ReleaseName string `yaml:"releaseName"`
	} `yaml:"helmCharts"`
}

// readChart reads the one chart the kustomization.yaml in dir inflates,
// with the values file beside it; ok is false when the file is missing,
// does not parse or inflates other than one chart.
func readChart(files map[string][]byte, dir string) (c chart, k kustomization, ok bool) {
	data, ok := files[path.Join(dir, kustomize.KustomizationFile)]
	if !ok || yaml.Unmarshal(data, &k) != nil {
		return chart{}, k, false
	}
	if len(k.HelmCharts) != 1 {
		return chart{}, k, false
	}
	hc := k.HelmCharts[0]
	c = chart{name: hc.Name, version: hc.Version, release: hc.ReleaseName}
	if v, ok := files[path.Join(dir, kustomize.ValuesFile)]; ok && yaml.Unmarshal(v, &c.values) != nil {
		c.values = nil
	}
	return c, k, true
}

// readOverlay reads environment env's overlay and the chart it inflates
// (its own helmCharts entry, or for a tree an older wigen wrote, the
// shared base's); ok is false when its kustomization.yaml is missing or
// does not parse, or no chart is found.
func readOverlay(files map[string][]byte, env string) (*overlay, bool) {
	dir := kustomize.OverlayDir(env)
	o := &overlay{path: path.Join(dir, kustomize.KustomizationFile), chartPath: path.Join(dir, kustomize.KustomizationFile)}
	c, k, ok := readChart(files, dir)
	if _, present := files[o.path]; !present {
		return nil, false
	}
	if !ok && len(k.HelmCharts) == 0 {
		if c, _, ok = readChart(files, legacyBaseDir); ok {
			o.chartPath = path.Join(legacyBaseDir, kustomize.KustomizationFile)
		}
	}
	if !ok {
		return nil, false
	}
	o.namespace, o.chart = k.Namespace, c
	_, o.createsNamespace = files[path.Join(dir, kustomize.NamespaceFile)]
	return o, true
}

// overlayInputs are the files readOverlay reads for env.
func overlayInputs(env string) []string {
	dir := kustomize.OverlayDir(env)
	return []string{
		path.Join(dir, kustomize.KustomizationFile), path.Join(dir, kustomize.ValuesFile), path.Join(dir, kustomize.NamespaceFile),
		path.Join(legacyBaseDir, kustomize.KustomizationFile), path.Join(legacyBaseDir, kustomize.ValuesFile),
	}
}

// compareOverlays lists what overlay n replaces of overlay o.
func compareOverlays(env string, o, n *overlay) []Replacement {
	var out []Replacement
	oldPVC, _ := pvc(o.chart)
	if o.namespace != n.namespace {
		c := fmt.Sprintf("every object of the app moves to namespace %s: applied with pruning (Argo CD, Flux), the objects in %s are deleted", schema.Quote(n.namespace), schema.Quote(o.namespace))
		if oldPVC != "" {
			c += fmt.Sprintf(", the PVC %s and the chat database in it among them, and the app starts on a new, empty one", schema.Quote(oldPVC))
		}
		out = append(out, Replacement{Env: env, Path: n.path, Object: "Kustomize overlay namespace " + schema.Quote(o.namespace), Change: "becomes " + schema.Quote(n.namespace), Consequence: c})
	}
	if o.createsNamespace && !n.createsNamespace && o.namespace == n.namespace {
		out = append(out, Replacement{Env: env, Path: path.Join(path.Dir(o.path), kustomize.NamespaceFile), Object: "Kustomize overlay namespace " + schema.Quote(o.namespace),
			Change:      "leaves the build (createNamespace: false)",
			Consequence: "applied with pruning (Argo CD, Flux), the Namespace is deleted, and everything in it: the app, its PVC and the chat database in it among them; to keep it, keep createNamespace: true, or first take the Namespace out of the controller's hands (Argo CD: the annotation argocd.argoproj.io/sync-options: Prune=false on it; Flux: kustomize.toolkit.fluxcd.io/prune: disabled)"})
	}
	if r, ok := renamed(env, n.chartPath, "Kustomize overlay", o.chart, n.chart, func(old string, _ bool) string {
		return fmt.Sprintf("the app starts on a new, empty PVC; applied with pruning, %s and the chat database in it are deleted (helm.sh/resource-policy: keep does not stop a prune); applied without, it is left unused: %s", schema.Quote(old), reattach(old))
	}); ok {
		out = append(out, r)
	}
	return append(out, offReplacements(env, n.chartPath, "Kustomize overlay", o.chart, n.chart, "applied with pruning (Argo CD, Flux), it is deleted", false)...)
}
