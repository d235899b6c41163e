// Per-environment chart values: spec.chart.values, then
// spec.defaults.chart.values and the environment's chart.values on top,
// merged as Helm merges values files given one after another (`helm
// install -f spec.yaml -f env.yaml`, helm pkg/chartutil coalescing):
// mappings merge key by key at any depth; anything else, a list, a scalar
// or null, replaces what is beneath (a null then removes the key from the
// chart's defaults too, as in a values file).

package schema

// MergeValues returns over deep-merged onto base, as Helm merges a second
// values file onto a first: a key of over whose value and base's value are
// both mappings is merged recursively; any other value of over (a list, a
// scalar, nil) replaces base's. Neither argument is modified; the result
// shares no mapping or list with them.
func MergeValues(base, over map[string]any) map[string]any {
	out := CopyValue(base).(map[string]any)
	for k, ov := range over {
		om, oIsMap := ov.(map[string]any)
		bm, bIsMap := out[k].(map[string]any)
		if oIsMap && bIsMap {
			out[k] = MergeValues(bm, om)
			continue
		}
		out[k] = CopyValue(ov)
	}
	return out
}

// CopyValue copies a decoded value (chart values, backend config):
// map[string]any and []any are copied at every depth (a nil mapping
// becomes an empty one), scalars are returned as they are.
func CopyValue(x any) any {
	switch t := x.(type) {
	case map[string]any:
		m := make(map[string]any, len(t))
		for k, v := range t {
			m[k] = CopyValue(v)
		}
		return m
	case []any:
		s := make([]any, len(t))
		for i, v := range t {
			s[i] = CopyValue(v)
		}
		return s
	}
	return x
}

// completeChartValues sets every environment's ChartValues: spec.chart.values
// with the environment's own (spec.defaults.chart.values merged in by the
// decoder) deep-merged over them.
func completeChartValues(s *Spec) {
	base := s.Spec.Chart.Values
	for i := range s.Spec.Environments {
		e := &s.Spec.Environments[i]
		if e.Chart == nil || len(e.Chart.Values) == 0 {
			e.ChartValues = CopyValue(base).(map[string]any)
			continue
		}
		e.ChartValues = MergeValues(base, e.Chart.Values)
	}
}
