package generate

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/yaml"

	"github.com/wigen-dev/wigen/generate/argocd"
	"github.com/wigen-dev/wigen/generate/flux"
	"github.com/wigen-dev/wigen/generate/helm"
	"github.com/wigen-dev/wigen/generate/output"
	"github.com/wigen-dev/wigen/schema"
)

// gitopsInput renders the helm, argocd and flux targets for three
// environments, two with chart values of their own, one without a client
// ID; cmd/wigen/internal/realchart renders it through the real chart.
const gitopsInput = "testdata/gitops-values.yaml"

// gitopsValues is one environment's values, as the three paths render them.
type gitopsValues struct {
	env                         *schema.Environment
	helmFile, argocd, fluxValue []byte // YAML bodies
}

// collectGitOpsValues renders s and returns, for every environment with a
// Helm values file, the values body of that file (after its comments) and
// the inline values of its Application and HelmRelease, marshalled with
// the same marshaller.
func collectGitOpsValues(t *testing.T, s *schema.Spec) []gitopsValues {
	t.Helper()
	files := renderFiles(t, s)
	var out []gitopsValues
	for i := range s.Spec.Environments {
		e := &s.Spec.Environments[i]
		hf, ok := files[helm.StandalonePath(e.Name)]
		if !ok {
			for _, p := range []string{argocd.Path(e.Name), flux.Dir(e.Name) + "/" + flux.HelmReleaseFile} {
				if _, rendered := files[p]; rendered {
					t.Errorf("%s is rendered without the Helm values file", p)
				}
			}
			continue
		}
		gv := gitopsValues{env: e, helmFile: body(hf)}
		var app argocd.Application
		if err := yaml.UnmarshalStrict(files[argocd.Path(e.Name)], &app); err != nil {
			t.Fatalf("%s: %v", argocd.Path(e.Name), err)
		}
		var hr flux.HelmRelease
		if err := yaml.UnmarshalStrict(files[flux.Dir(e.Name)+"/"+flux.HelmReleaseFile], &hr); err != nil {
			t.Fatalf("%s: %v", flux.Dir(e.Name), err)
		}
		// The Argo CD values are the Helm values plus the sync options
		// that keep the chart's PVC (helm.ArgoCDValues).
		vals := app.Spec.Source.Helm.ValuesObject
		pers, _ := vals["persistence"].(map[string]any)
		ann, _ := pers["annotations"].(map[string]any)
		if got := ann[schema.AnnotationArgoCDSyncOptions]; got != "Prune=false,Delete=false" {
			t.Errorf("%s: the Application's persistence.annotations %v, want %s: Prune=false,Delete=false", argocd.Path(e.Name), ann, schema.AnnotationArgoCDSyncOptions)
		}
		delete(ann, schema.AnnotationArgoCDSyncOptions)
		gv.argocd = marshal(t, vals)
		gv.fluxValue = marshal(t, hr.Spec.Values)
		out = append(out, gv)
	}
	return out
}

// body is a rendered YAML file without its leading comment lines.
func body(data []byte) []byte {
	lines := bytes.SplitAfter(data, []byte("\n"))
	i := 0
	for i < len(lines) && bytes.HasPrefix(lines[i], []byte("#")) {
		i++
	}
	return bytes.Join(lines[i:], nil)
}

func marshal(t *testing.T, v any) []byte {
	t.Helper()
	f, err := output.YAML("x.yaml", "wigen.yaml", v)
	if err != nil {
		t.Fatal(err)
	}
	return body(f.Data)
}

// TestGitOpsValuesAreTheHelmValues: the values inline in an Argo CD
// Application and a Flux HelmRelease are, byte for byte once marshalled,
// the environment's helm/<env>/values.yaml: one values function feeds all
// three, the client ID and the environment's own values included; the
// Application's add the Argo CD sync options on the chart's PVC.
func TestGitOpsValuesAreTheHelmValues(t *testing.T) {
	s, err := schema.Load(gitopsInput)
	if err != nil {
		t.Fatal(err)
	}
	got := collectGitOpsValues(t, s)
	if len(got) != 2 {
		t.Fatalf("%d environments with values, want dev and prod (qa has no client ID)", len(got))
	}
	for _, gv := range got {
		if d := cmp.Diff(lines(gv.helmFile), lines(gv.argocd)); d != "" {
			t.Errorf("%s: Argo CD valuesObject differs from the Helm values file (-helm +argocd):\n%s", gv.env.Name, d)
		}
		if d := cmp.Diff(lines(gv.helmFile), lines(gv.fluxValue)); d != "" {
			t.Errorf("%s: Flux values differ from the Helm values file (-helm +flux):\n%s", gv.env.Name, d)
		}
		if !bytes.Contains(gv.helmFile, []byte(gv.env.Identity.ClientID)) {
			t.Errorf("%s: the values carry no client ID", gv.env.Name)
		}
	}
	if !bytes.Contains(got[0].helmFile, []byte("chat.dev.example.com")) || !bytes.Contains(got[1].helmFile, []byte("50Gi")) {
		t.Error("the environments' own values are not in their values")
	}
}

func lines(b []byte) []string { return strings.SplitAfter(string(b), "\n") }
