package realchart

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wigen-dev/wigen/generate"
	"github.com/wigen-dev/wigen/generate/helm"
	"github.com/wigen-dev/wigen/schema"
)

// TestGitOpsValuesRenderLikeTheHelmValues renders, with the real chart
// and Helm 3 and Helm 4, each environment of generate/testdata/gitops-values.yaml
// (helm, argocd and flux targets; environments with chart values of their
// own) three ways: with helm/<env>/values.yaml, and as Argo CD and
// helm-controller would, with the values inline in the rendered
// Application and HelmRelease (ArgoCDRelease, FluxRelease). Per Helm, the
// three give the same objects, carry the client ID and lint clean, but for
// the chart's PVC through Argo CD: it carries the Argo CD sync options
// Prune=false,Delete=false beside helm.sh/resource-policy: keep
// (argoCDKeptPVC), since Argo CD prunes through Helm's keep policy
// (argo-cd#17819).
func TestGitOpsValuesRenderLikeTheHelmValues(t *testing.T) {
	s, err := schema.Load(filepath.Join(RepoRoot(t), "generate", "testdata", "gitops-values.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := generate.Render(s)
	if err != nil {
		t.Fatal(err)
	}
	rendered := 0
	for i := range s.Spec.Environments {
		e := &s.Spec.Environments[i]
		streams := Streams(t, s, res.Files, e)
		if !helm.HasClientID(e) {
			if len(streams) != 0 {
				t.Errorf("%s has no client ID, yet %d streams rendered", e.Name, len(streams))
			}
			continue
		}
		rendered++
		byVia := map[string]map[string]Stream{} // Helm -> path -> stream
		for _, st := range streams {
			RequireClean(t, s, e, st)
			if byVia[st.Via] == nil {
				byVia[st.Via] = map[string]Stream{}
			}
			byVia[st.Via][st.Path] = st
		}
		for _, h := range Helms(t) {
			paths := byVia[h.String()]
			want, ok := paths[PathHelm]
			if !ok || len(paths) != 3 {
				t.Fatalf("%s with %s: streams %v, want the helm, argocd and flux paths", e.Name, h, paths)
			}
			if !bytes.Contains(want.Data, []byte(e.Identity.ClientID)) {
				t.Errorf("%s: %s rendered no client ID", e.Name, want.Name())
			}
			for _, p := range []string{PathArgoCD, PathFlux} {
				docs := Documents(t, paths[p].Data)
				if p == PathArgoCD {
					docs = argoCDKeptPVC(t, e, docs)
				}
				if d := cmp.Diff(Documents(t, want.Data), docs); d != "" {
					t.Errorf("%s: %s differs from %s (-helm +%s):\n%s", e.Name, paths[p].Name(), want.Name(), p, d)
				}
			}
		}
	}
	if rendered != 2 {
		t.Errorf("%d environments rendered, want dev and prod (qa waits for its client ID)", rendered)
	}
}

// argoCDKeptPVC checks that the one PVC of docs, rendered through the
// Argo CD Application of e, carries helm.sh/resource-policy: keep and
// argocd.argoproj.io/sync-options: Prune=false,Delete=false, and returns
// docs without the sync options, as the Helm values render them.
func argoCDKeptPVC(t *testing.T, e *schema.Environment, docs []map[string]any) []map[string]any {
	t.Helper()
	pvcs := 0
	for _, o := range docs {
		if o["kind"] != "PersistentVolumeClaim" {
			continue
		}
		pvcs++
		ann, _ := field(o, "metadata", "annotations").(map[string]any)
		if ann[schema.AnnotationResourcePolicy] != schema.ResourcePolicyKeep || ann[schema.AnnotationArgoCDSyncOptions] != "Prune=false,Delete=false" {
			t.Errorf("%s: the PVC rendered through the Argo CD Application has annotations %v, want %s: keep and %s: Prune=false,Delete=false",
				e.Name, ann, schema.AnnotationResourcePolicy, schema.AnnotationArgoCDSyncOptions)
		}
		delete(ann, schema.AnnotationArgoCDSyncOptions)
	}
	if pvcs != 1 {
		t.Errorf("%s: %d PVCs rendered through the Argo CD Application, want 1", e.Name, pvcs)
	}
	return docs
}
