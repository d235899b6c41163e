// A Helm release as the tools that run Helm install it: Terraform's
// helm_release and Flux's HelmRelease. A new release name or namespace is
// an uninstall and a new install (helm_release: facts.md "What forces
// replacement"; Flux: fluxcd/helm-controller v1.6.3
// internal/action/verify.go ReleaseTargetChanged, which also counts a new
// chart name and a new storage namespace, and docs/spec/v2/helmreleases.md,
// releaseName and targetNamespace), which deletes the chart's PVC unless it is annotated
// helm.sh/resource-policy: keep; an upgrade in place that renames the
// chart's objects (schema.ChartFullname) deletes the old ones the same way.

package replacement

import (
	"fmt"

	"github.com/wigen-dev/wigen/schema"
)

// helmRelease is one release: its namespace and what names its objects;
// storage is the namespace Helm keeps its history in when it is not the
// release's (a Flux HelmRelease's own namespace), "" otherwise.
type helmRelease struct {
	namespace, storage string
	chart              chart
}

// compareReleases lists what release n replaces of release o, as tool
// ("Terraform", "Flux") installs them; prefix starts the object's name
// ("" or "Flux "). chartReinstalls says a new chart name is a new release
// target too (Flux) rather than an upgrade (Terraform).
func compareReleases(env, file, tool, prefix string, o, n helmRelease, chartReinstalls bool) []Replacement {
	oldPVC, kept := pvc(o.chart)
	newChart := chartReinstalls && o.chart.name != n.chart.name
	if o.chart.release != n.chart.release || o.namespace != n.namespace || newChart || o.storage != n.storage {
		c := tool + " uninstalls it and installs it again"
		newClaim := schema.ExistingClaim(n.chart.values)
		newPVC, _ := pvc(n.chart)
		switch sameNS := o.namespace == n.namespace; {
		case oldPVC == "":
		case kept && sameNS && o.chart.release == n.chart.release && newPVC == oldPVC:
			// Helm takes over an object whose ownership annotations name
			// the release and namespace it installs (helm pkg/action
			// validate.go existingResourceConflict, checkOwnership; read in Helm 3).
			c += fmt.Sprintf("; the PVC %s stays (helm.sh/resource-policy: keep), and the new install, of the same release in the same namespace, takes it over", schema.Quote(oldPVC))
		case newClaim == oldPVC && sameNS:
			c += fmt.Sprintf("; the PVC %s stays (helm.sh/resource-policy: keep) and the new release mounts it (persistence.existingClaim)", schema.Quote(oldPVC))
		case kept && sameNS:
			c += fmt.Sprintf(": the PVC %s stays (helm.sh/resource-policy: keep), but the new release does not use it: %s", schema.Quote(oldPVC), reattach(oldPVC))
		case kept:
			c += fmt.Sprintf(": the PVC %s stays in namespace %s (helm.sh/resource-policy: keep), and the release in %s starts with a new, empty database", schema.Quote(oldPVC), schema.Quote(o.namespace), schema.Quote(n.namespace))
		default:
			c += fmt.Sprintf(": the chart's PVC %s is deleted, and the chat database in it", schema.Quote(oldPVC))
		}
		change := fmt.Sprintf("becomes %s in namespace %s", schema.Quote(n.chart.release), schema.Quote(n.namespace))
		if newChart {
			change += fmt.Sprintf(" (chart %s -> %s)", schema.Quote(o.chart.name), schema.Quote(n.chart.name))
		}
		if o.storage != n.storage {
			change += fmt.Sprintf(" (its history from namespace %s to %s)", schema.Quote(o.storage), schema.Quote(n.storage))
		}
		return []Replacement{{Env: env, Path: file, Object: fmt.Sprintf("%srelease %s in namespace %s", prefix, schema.Quote(o.chart.release), schema.Quote(o.namespace)), Change: change, Consequence: c}}
	}
	r, ok := renamed(env, file, prefix+"release "+schema.Quote(n.chart.release), o.chart, n.chart, func(old string, kept bool) string {
		switch {
		case schema.ExistingClaim(n.chart.values) == old:
			return fmt.Sprintf("the PVC %s stays and the release mounts it (persistence.existingClaim)", schema.Quote(old))
		case kept:
			return fmt.Sprintf("the upgrade starts on a new, empty PVC and leaves %s (helm.sh/resource-policy: keep) unused: %s", schema.Quote(old), reattach(old))
		}
		return fmt.Sprintf("the upgrade deletes the PVC %s, and the chat database in it, and starts on a new, empty one", schema.Quote(old))
	})
	var out []Replacement
	if ok {
		out = append(out, r)
	}
	return append(out, offReplacements(env, file, prefix+"release "+schema.Quote(n.chart.release), o.chart, n.chart, "Helm uninstalls it with the upgrade", true)...)
}

// subchartsOff returns the subcharts (schema.Subcharts) that o's values
// leave on (unset: the chart's default, on; or true) and n's turn off: an
// environment whose adopt kept them on (an adopted release) and then lost
// adopt, or chart values that now say false. Removed from the release,
// the subchart's objects are deleted: the Pipelines subchart's PVC
// (pipelines.persistence.enabled, on by default: its pipelines), Ollama's
// when ollama.persistentVolume.enabled (its models). Values that are not
// there (a file missing or unreadable) are not compared.
func subchartsOff(o, n chart) []string {
	if o.values == nil || n.values == nil {
		return nil // a values file missing or unreadable says nothing
	}
	var out []string
	for _, sc := range schema.Subcharts {
		if enabled(o.values, sc) && !enabled(n.values, sc) {
			out = append(out, sc)
		}
	}
	return out
}

// enabled reports whether subchart sc is on under values (its enabled
// unset, or true).
func enabled(values map[string]any, sc string) bool {
	m, _ := values[sc].(map[string]any)
	b, ok := m["enabled"].(bool)
	return !ok || b
}

// offReplacements are the replacements of the subcharts n turns off
// (subchartsOff); how says what deletes their objects ("Helm uninstalls
// it with the upgrade").
func offReplacements(env, file, object string, o, n chart, how string, keepHolds bool) []Replacement {
	var out []Replacement
	for _, sc := range subchartsOff(o, n) {
		out = append(out, Replacement{Env: env, Path: file, Object: object, Change: fmt.Sprintf("turns the %s subchart off (%s.enabled: false)", sc, sc),
			Consequence: fmt.Sprintf("%s: its objects are deleted, its PVC and the data in it too where it has one (the Pipelines subchart does by default); to keep it, set %s.enabled: true in spec.chart.values (or the environment's chart.values)", how, sc)})
	}
	if r, ok := persistenceOff(env, file, object, o, n, how, keepHolds); ok {
		out = append(out, r)
	}
	return out
}

// persistenceOff returns the replacement when o's values give the app the
// chart's PVC and n's give it none under the same name (persistence.enabled:
// false, another provider, or an existingClaim naming another PVC): the
// app's database lives on that volume (/app/backend/data), so the new pods
// start on an empty one. The PVC itself goes as the chart's other objects
// do (how), unless it is kept and keepHolds: Helm honours
// helm.sh/resource-policy: keep and Argo CD Prune=false; a prune of the
// Kustomize overlay's objects honours neither.
func persistenceOff(env, file, object string, o, n chart, how string, keepHolds bool) (Replacement, bool) {
	old, kept := pvc(o)
	if old == "" || o.fullname() != n.fullname() {
		return Replacement{}, false // no PVC, or renamed (reported as such)
	}
	if name, _ := pvc(n); name != "" || schema.ExistingClaim(n.values) == old {
		return Replacement{}, false
	}
	c := fmt.Sprintf("the app no longer mounts it and starts on an empty database; %s, and the chat database in it with it; %s", how, reattach(old))
	if kept && keepHolds {
		c = fmt.Sprintf("the app no longer mounts it and starts on an empty database; the PVC stays, unused, with the chat database in it (its keep policy); %s", reattach(old))
	}
	return Replacement{Env: env, Path: file, Object: object, Change: fmt.Sprintf("stops using the chart's PVC %s (persistence)", schema.Quote(old)),
		Consequence: c}, true
}
