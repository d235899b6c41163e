package helm

import (
	"strings"

	"github.com/wigen-dev/wigen/schema"
)

// ArgoCDValues returns the Helm values of environment e's Argo CD
// Application: Values in Standalone mode, and, when wigen keeps the
// chart's PVC (schema.Spec.KeepsPVC), the Argo CD sync options Prune=false
// and Delete=false in persistence.annotations beside
// helm.sh/resource-policy: keep. Argo CD renders the chart with helm
// template and applies the objects, so Helm's keep policy does not stop a
// sync's prune (argo-cd#17819) and only stands for Delete=false from Argo
// CD 2.7 (argo-cd#13157); the sync options keep the PVC, Open WebUI's
// database, when a sync prunes it (a release renamed, a chart upgrade that
// renames it, a new destination namespace) and when the Application is
// deleted (argo-cd docs/user-guide/sync-options.md, "No Prune Resources",
// "No Resource Deletion"; schema.AnnotationArgoCDSyncOptions). Options the
// environment's chart values put in that annotation come first; several
// options are separated by "," there.
func ArgoCDValues(s *schema.Spec, e *schema.Environment) map[string]any {
	v := Values(s, e, Standalone)
	if !s.KeepsPVC(e) {
		return v
	}
	ann := v["persistence"].(map[string]any)["annotations"].(map[string]any) // Values sets both when KeepsPVC
	ann[schema.AnnotationArgoCDSyncOptions] = strings.Join(append(schema.PVCSyncOptions(v), schema.ArgoCDNoPrune, schema.ArgoCDNoDelete), ",")
	return v
}
