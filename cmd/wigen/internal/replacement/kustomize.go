// The Kustomize overlay of an environment as wigen renders it
// (generate/kustomize): its namespace, and the chart the shared base
// inflates. Applied with pruning (Argo CD, Flux), objects that leave the
// build are deleted; Argo CD leaves one annotated helm.sh/resource-policy:
// keep (argo-cd#13157).

package replacement

import (
	"fmt"
	"path"

	"go.yaml.in/yaml/v3"

	"github.com/wigen-dev/wigen/generate/kustomize"
)

type overlay struct {
	path      string // the overlay's kustomization.yaml
	namespace string
	chart     chart
}

// readBase reads the chart the shared Kustomize base inflates; ok is false
// when its kustomization.yaml is missing, does not parse or inflates other
// than one chart.
func readBase(files map[string][]byte) (c chart, ok bool) {
	var k struct {
		HelmCharts []struct {
			Name        string `yaml:"name"`
			Version     string `yaml:"version"`
			ReleaseName string `yaml:"releaseName"`
		} `yaml:"helmCharts"`
	}
	data, ok := files[path.Join(kustomize.BaseDir, kustomize.KustomizationFile)]
	if !ok || yaml.Unmarshal(data, &k) != nil || len(k.HelmCharts) != 1 {
		return chart{}, false
	}
	hc := k.HelmCharts[0]
	c = chart{name: hc.Name, version: hc.Version, release: hc.ReleaseName}
	if v, ok := files[path.Join(kustomize.BaseDir, kustomize.ValuesFile)]; ok && yaml.Unmarshal(v, &c.values) != nil {
		c.values = nil
	}
	return c, true
}

// readOverlay reads environment env's overlay on the base; ok is false
// when its kustomization.yaml is missing or does not parse.
func readOverlay(files map[string][]byte, env string, base chart) (*overlay, bool) {
	o := &overlay{path: path.Join(kustomize.OverlayDir(env), kustomize.KustomizationFile), chart: base}
	var k struct {
		Namespace string `yaml:"namespace"`
	}
	data, ok := files[o.path]
	if !ok || yaml.Unmarshal(data, &k) != nil {
		return nil, false
	}
	o.namespace = k.Namespace
	return o, true
}

// compareOverlays lists what overlay n replaces of overlay o.
func compareOverlays(env string, o, n *overlay) []Replacement {
	var out []Replacement
	oldPVC, _ := pvc(o.chart)
	if o.namespace != n.namespace {
		c := fmt.Sprintf("every object of the app moves to namespace %s: applied with pruning (Argo CD, Flux), the objects in %s are deleted", n.namespace, o.namespace)
		if oldPVC != "" {
			c += fmt.Sprintf(", the PVC %s and the chat database in it among them, and the app starts on a new, empty one", oldPVC)
		}
		out = append(out, Replacement{Env: env, Path: n.path, Object: "Kustomize overlay namespace " + o.namespace, Change: "becomes " + n.namespace, Consequence: c})
	}
	if r, ok := renamed(env, path.Join(kustomize.BaseDir, kustomize.KustomizationFile), "Kustomize overlay", o.chart, n.chart, func(old string, kept bool) string {
		if kept {
			return fmt.Sprintf("the app starts on a new, empty PVC; applied with pruning, %s is left (helm.sh/resource-policy: keep, which Argo CD honours) unused: %s", old, reattach(old))
		}
		return fmt.Sprintf("the app starts on a new, empty PVC; applied with pruning, %s and the chat database in it are deleted", old)
	}); ok {
		out = append(out, r)
	}
	return out
}
