// Keeping the data: the open-webui chart's PVC holds Open WebUI's SQLite
// database (users, chats, every connection made in the UI), and Helm
// deletes it with the release (an uninstall, a helm_release Terraform
// replaces, a release renamed or moved to another namespace). Helm keeps a
// resource annotated helm.sh/resource-policy: keep (helm pkg/kube,
// ResourcePolicyAnno; Argo CD only on Application deletion, argo-cd#13157,
// so its Application also gets the Argo CD sync options below); the chart
// passes persistence.annotations to the PVC it creates (templates/pvc.yaml
// from chart 2.0.0, the first of open-webui/helm-charts, read at 7.2.0 and
// 16.0.0: plain toYaml before 13.1.0, through tpl from it). Sources:
// facts.md "Open WebUI Helm chart", the chart's values.yaml (persistence.*).

package schema

import (
	"fmt"
	"slices"
	"strings"
)

// The resource policy annotation Helm honours on uninstall and upgrade.
const (
	AnnotationResourcePolicy = "helm.sh/resource-policy"
	ResourcePolicyKeep       = "keep"
)

// Argo CD renders a chart with helm template and applies the objects, so
// Helm's resource policy does not stop its prune (argo-cd#17819, open; it
// counts as Delete=false on Application deletion only, argo-cd#13157,
// v2.7). Its own sync options on the object keep it: Prune=false when a
// sync prunes it, Delete=false when the Application is deleted; several
// options go in one argocd.argoproj.io/sync-options annotation, separated
// by "," (argo-cd docs/user-guide/sync-options.md, "No Prune Resources",
// "No Resource Deletion").
const (
	AnnotationArgoCDSyncOptions = "argocd.argoproj.io/sync-options"
	ArgoCDNoPrune               = "Prune=false"
	ArgoCDNoDelete              = "Delete=false"
)

// chartPVCAnnotationsFrom is the first open-webui chart version whose PVC
// takes persistence.annotations.
const chartPVCAnnotationsFrom = "2.0.0"

// ChartCreatesPVC reports whether the chart creates its own PVC for
// environment e (CreatesPVC of the environment's chart values,
// Spec.Values; spec.chart.values when e is nil).
func (s *Spec) ChartCreatesPVC(e *Environment) bool {
	return CreatesPVC(s.Values(e))
}

// CreatesPVC reports whether the open-webui chart creates its own PVC with
// values (templates/pvc.yaml): persistence.enabled (default true), no
// persistence.existingClaim, and persistence.provider "local" (the
// default); otherwise the data is elsewhere (an existing claim, object
// storage) or nowhere (an emptyDir).
func CreatesPVC(values map[string]any) bool {
	p, _ := values["persistence"].(map[string]any)
	if b, ok := p["enabled"].(bool); ok && !b {
		return false
	}
	if ExistingClaim(values) != "" {
		return false
	}
	if pr, ok := p["provider"].(string); ok && pr != "local" {
		return false
	}
	return true
}

// KeepsPVC reports whether wigen's values for environment e annotate the
// chart's PVC helm.sh/resource-policy: keep: the chart creates one with
// the environment's values (ChartCreatesPVC), the chart version passes
// persistence.annotations to it, and spec.chart.keepPersistentVolumeClaim
// is not false.
func (s *Spec) KeepsPVC(e *Environment) bool {
	c := s.Spec.Chart
	if c.KeepPersistentVolumeClaim != nil && !*c.KeepPersistentVolumeClaim {
		return false
	}
	return s.ChartCreatesPVC(e) && chartTakesPVCAnnotations(c.Version)
}

// ExistingClaim is persistence.existingClaim of the chart values values,
// the PVC the chart mounts instead of creating one, or "" (also when
// persistence.enabled is false: the chart then mounts an emptyDir).
func ExistingClaim(values map[string]any) string {
	p, _ := values["persistence"].(map[string]any)
	if b, ok := p["enabled"].(bool); ok && !b {
		return ""
	}
	c, _ := p["existingClaim"].(string)
	return c
}

func chartTakesPVCAnnotations(chartVersion string) bool {
	since, ok := versionStringAtLeast(chartVersion, chartPVCAnnotationsFrom)
	return ok && since
}

// validatePersistence: the resource policy is wigen's to set, in
// spec.chart.values and in every environment's chart.values; opting out,
// or a chart that cannot carry it, is warned about once, naming the PVC of
// every environment whose values make the chart create one.
func (v *validator) validatePersistence() {
	c := &v.s.Spec.Chart
	v.refuseResourcePolicy(c.Values, "spec.chart.values")
	var names []string
	for i := range v.s.Spec.Environments {
		e := &v.s.Spec.Environments[i]
		if e.Chart != nil {
			v.refuseResourcePolicy(e.Chart.Values, fmt.Sprintf("spec.environments[%d].chart.values", i))
		}
		if v.s.ChartCreatesPVC(e) {
			if n := v.s.FullnameFor(e); !slices.Contains(names, n) {
				names = append(names, n)
			}
		}
	}
	if len(v.s.Spec.Environments) == 0 && v.s.ChartCreatesPVC(nil) {
		names = append(names, v.s.Fullname())
	}
	if len(names) == 0 || c.Version == "" {
		return
	}
	name := quoteList(names)
	switch {
	case c.KeepPersistentVolumeClaim != nil && !*c.KeepPersistentVolumeClaim:
		v.warnf("spec.chart.keepPersistentVolumeClaim", "false: the chart's PVC %s, which holds Open WebUI's database (users, chats, connections made in the UI), is deleted with the release: on helm uninstall, when Terraform replaces the helm_release, and when the release is renamed or moves to another namespace; leave the field out to keep it", name)
	case semverRE.MatchString(c.Version) && !chartTakesPVCAnnotations(c.Version):
		v.warnf("spec.chart.version", "open-webui chart %s does not pass persistence.annotations to its PVC (from %s it does), so wigen cannot mark the PVC %s helm.sh/resource-policy: keep: Open WebUI's database is deleted with the release", c.Version, chartPVCAnnotationsFrom, name)
	}
}

// refuseResourcePolicy refuses persistence.annotations
// helm.sh/resource-policy in chart values vals written at p.
func (v *validator) refuseResourcePolicy(vals map[string]any, p string) {
	pers, _ := vals["persistence"].(map[string]any)
	ann, _ := pers["annotations"].(map[string]any)
	if _, ok := ann[AnnotationResourcePolicy]; ok {
		v.errorf(joinKey(p+".persistence.annotations", AnnotationResourcePolicy), "wigen sets helm.sh/resource-policy: keep on the chart's PVC; remove it (spec.chart.keepPersistentVolumeClaim: false opts out)")
	}
	// Other Argo CD sync options there are the user's; Prune and Delete
	// are wigen's (helm.ArgoCDValues appends Prune=false,Delete=false).
	for _, o := range PVCSyncOptions(vals) {
		if name, _, _ := strings.Cut(o, "="); name == "Prune" || name == "Delete" {
			v.errorf(joinKey(p+".persistence.annotations", AnnotationArgoCDSyncOptions), "%s: wigen sets %s,%s there for an Argo CD Application, so a sync's prune and the Application's deletion leave the chart's PVC; remove it, other sync options may stay (spec.chart.keepPersistentVolumeClaim: false opts out)", Quote(o), ArgoCDNoPrune, ArgoCDNoDelete)
			return
		}
	}
}

// PVCSyncOptions are the Argo CD sync options chart values vals give the
// chart's PVC (persistence.annotations, AnnotationArgoCDSyncOptions):
// separated by ',', each trimmed, the empty ones left out (argo-cd
// docs/user-guide/sync-options.md).
func PVCSyncOptions(vals map[string]any) []string {
	pers, _ := vals["persistence"].(map[string]any)
	ann, _ := pers["annotations"].(map[string]any)
	opts, _ := ann[AnnotationArgoCDSyncOptions].(string)
	var out []string
	for _, o := range strings.Split(opts, ",") {
		if o = strings.TrimSpace(o); o != "" {
			out = append(out, o)
		}
	}
	return out
}
