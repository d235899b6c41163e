// Targets: spec.targets and each environment's own targets (which override
// it), and what must render the app. A Terraform module without its release
// (terraform.release: false) holds only the Azure side, so the environment
// needs another target that installs the chart: helm, kustomize, argocd or
// flux. Two controllers installing one release (a Terraform helm_release
// and an Argo CD Application or a Flux HelmRelease) would undo each other's
// changes: a warning.

package schema

import (
	"fmt"
	"strings"
)

// appTargets install the chart (or give what installs it) besides the
// Terraform module's helm_release.
var appTargets = []string{TargetHelm, TargetKustomize, TargetArgoCD, TargetFlux}

func (v *validator) validateTargets(ts []string) {
	v.targetList(ts, "spec.targets", "leave it out for "+strings.Join(AllTargets, ", "))
}

// targetList refuses an empty list and a target listed twice.
func (v *validator) targetList(ts []string, p, emptyHint string) {
	if ts != nil && len(ts) == 0 {
		v.errorf(p, "lists nothing to render; %s", emptyHint)
	}
	seen := map[string]bool{}
	for i, t := range ts {
		if seen[t] {
			v.errorf(fmt.Sprintf("%s[%d]", p, i), "%s is listed twice", Quote(t))
		}
		seen[t] = true
	}
}

// validateEnvironmentTargets checks environment e's targets (completed
// from spec.targets by Load) and its terraform.release.
func (v *validator) validateEnvironmentTargets(e *Environment, p string) {
	if v.written(p + ".targets") {
		v.targetList(e.Targets, p+".targets", "leave it out for spec.targets")
	}
	releaseP := p + ".terraform.release"
	releaseWritten := v.written(releaseP)
	if !releaseWritten {
		releaseP = "spec.terraform.release"
	}
	if releaseWritten && !e.HasTarget(TargetTerraform) {
		v.warnf(releaseP, "has no effect: environment %s renders no terraform target", Quote(e.Name))
	}
	if !e.HasTarget(TargetTerraform) {
		return
	}
	if !e.TerraformRelease() {
		renders := false
		for _, t := range appTargets {
			renders = renders || e.HasTarget(t)
		}
		if !renders {
			v.errorf(releaseP, "is false, so environment %s's Terraform module does not install the app, and the environment renders none of %s to install it; add one to its targets (or spec.targets), or leave terraform.release out", Quote(e.Name), strings.Join(appTargets, ", "))
		}
		return
	}
	for _, t := range []string{TargetArgoCD, TargetFlux} {
		if e.HasTarget(t) {
			tp := p + ".targets"
			if !v.written(tp) {
				tp = "spec.targets"
			}
			v.warnf(tp, "environment %s renders %s and a Terraform module that installs release %s too (terraform.release is true): both would install it in namespace %s and undo each other's changes; set terraform.release: false to leave the app to %s", Quote(e.Name), t, Quote(v.s.ReleaseName()), Quote(e.Namespace), t)
		}
	}
}
