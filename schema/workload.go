// The chart's workload: its kind (StatefulSet or Deployment) and the
// length of a StatefulSet's name. The StatefulSet controller labels each
// pod with controller-revision-hash "<StatefulSet name>-<hash>", and a
// label value holds at most 63 characters, so a StatefulSet named with
// more than 52 creates no pods at all (kubernetes/kubernetes#64023, open:
// "StatefulSet name over 52 characters"; facts.md "Names": label values at
// most 63). Sources: the open-webui chart's templates/workload-manager.yaml
// and _helpers.tpl, read at 7.2.0 and 16.0.0 (facts.md "Open WebUI Helm
// chart", workload kind and name).

package schema

import (
	"fmt"
)

// maxStatefulSetName is the longest StatefulSet name whose pods'
// controller-revision-hash label (name, '-', a hash of up to 10
// characters) is a valid label value (kubernetes/kubernetes#64023).
const maxStatefulSetName = 52

// WorkloadKindFor is the kind of the workload the open-webui chart renders
// with the chart values of environment e (Spec.Values; spec.chart.values
// when e is nil): chart.values workload.kind when set (chart 8.20.0 and
// later), else StatefulSet when persistence is enabled with the local
// provider (both the defaults), else Deployment.
func (s *Spec) WorkloadKindFor(e *Environment) string {
	v := s.Values(e)
	if w, ok := v["workload"].(map[string]any); ok {
		if k, ok := w["kind"].(string); ok && (k == "StatefulSet" || k == "Deployment") {
			return k
		}
	}
	enabled, provider := true, "local"
	if p, ok := v["persistence"].(map[string]any); ok {
		if b, ok := p["enabled"].(bool); ok {
			enabled = b
		}
		if pr, ok := p["provider"].(string); ok {
			provider = pr
		}
	}
	if enabled && provider == "local" {
		return "StatefulSet"
	}
	return "Deployment"
}

// validateWorkloadName refuses a StatefulSet name over 52 characters, in
// each environment (the values, and so the kind and name, may differ),
// at the field that makes the name: fullnameOverride or nameOverride
// where written (the environment's chart.values, else spec.chart.values),
// else metadata.name. Each field is reported once.
func (v *validator) validateWorkloadName() {
	if v.s.Spec.Chart.Name != DefaultChartName {
		return
	}
	reported := map[string]bool{}
	for i := range v.s.Spec.Environments {
		e := &v.s.Spec.Environments[i]
		if v.s.WorkloadKindFor(e) != "StatefulSet" {
			continue
		}
		name := v.s.FullnameFor(e)
		if len(name) <= maxStatefulSetName {
			continue
		}
		vals := v.s.Values(e)
		p, fix := "metadata.name", "choose a release name that makes it shorter, or set chart.values.fullnameOverride"
		since12, ok := versionStringAtLeast(v.s.Spec.Chart.Version, "12.0.0")
		for _, k := range []string{"fullnameOverride", "nameOverride"} {
			if k == "fullnameOverride" && ok && !since12 {
				continue // charts before 12.0.0 name it after nameOverride alone
			}
			if o, isString := vals[k].(string); isString && o != "" {
				p, fix = joinKey(fmt.Sprintf("spec.environments[%d].chart.values", i), k), "shorten it"
				if !v.written(p) {
					p = joinKey("spec.chart.values", k)
				}
				break
			}
		}
		if reported[p] {
			continue
		}
		reported[p] = true
		v.errorf(p, "makes the open-webui chart name its StatefulSet %s, %d characters; the StatefulSet controller labels each pod controller-revision-hash=<name>-<hash>, and with a name over %d characters that label is over 63 and no pod is created (kubernetes/kubernetes#64023); %s", Quote(name), len(name), maxStatefulSetName, fix)
	}
}
