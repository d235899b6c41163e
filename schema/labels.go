// Labels and annotations in chart.values: the open-webui chart writes the
// maps it takes for them (podAnnotations, podLabels, annotations, labels,
// extraLabels, at the top level and under serviceAccount, persistence,
// service, ingress and the subcharts; values.yaml of 7.2.0 and 16.0.0)
// with toYaml, so a YAML number or boolean reaches the manifest as one,
// and the API server refuses it: label and annotation values are strings
// (Kubernetes API, ObjectMeta: labels and annotations are
// map[string]string; facts.md "Names", "Label values: at most 63,
// strings"). A null is left alone: Helm deletes a key set to null.

package schema

import (
	"fmt"
	"strings"
)

// stringMapKind reports whether a chart value named key is a map of
// labels or annotations, and which: "label" or "annotation".
func stringMapKind(key string) (string, bool) {
	switch {
	case key == "annotations" || strings.HasSuffix(key, "Annotations"):
		return "annotation", true
	case key == "labels" || strings.HasSuffix(key, "Labels"):
		return "label", true
	}
	return "", false
}

// stringMapValues checks the values of the label or annotation map m at
// p. Workload ID keys are left to walkValues, which checks them itself.
func (v *validator) stringMapValues(m map[string]any, p, kind string) {
	for _, k := range sortedKeys(m) {
		if strings.HasPrefix(k, AnnotationPrefix) {
			continue
		}
		v.stringValue(m[k], joinKey(p, k), kind)
	}
}

// stringValue refuses a label or annotation value that is not a string.
func (v *validator) stringValue(val any, p, kind string) {
	switch t := val.(type) {
	case string, nil:
	case map[string]any:
		v.errorf(p, "%s values are strings, not a mapping", kind)
	case []any:
		v.errorf(p, "%s values are strings, not a list", kind)
	default:
		v.errorf(p, "%s values are strings, and the API server refuses the %s %v: quote it, %s", kind, yamlKind(fmt.Sprint(t)), t, Quote(fmt.Sprint(t)))
	}
}
