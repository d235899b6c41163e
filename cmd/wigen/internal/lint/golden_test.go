package lint

import (
	"bytes"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/yaml"

	"github.com/wigen-dev/wigen/generate/kustomize"
	"github.com/wigen-dev/wigen/generate/kustomize/kustomizetest"
	"github.com/wigen-dev/wigen/schema"
)

// builtOverlay is one golden environment's overlay, built with kustomize
// (krusty, in memory) against the fixture base shaped like the chart's
// output.
type builtOverlay struct {
	name string
	env  *schema.Environment
	yaml []byte
}

// goldenOverlays builds every overlay of every golden case with the
// kustomize target, once with a StatefulSet and once with a Deployment in
// the base.
func goldenOverlays(t *testing.T) []builtOverlay {
	t.Helper()
	paths, err := filepath.Glob("../../../../golden/*/wigen.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		t.Fatal("no golden cases found")
	}
	var out []builtOverlay
	for _, p := range paths {
		s, err := schema.Load(p)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if !s.HasTarget(schema.TargetKustomize) {
			continue
		}
		files, err := kustomize.Render(s)
		if err != nil {
			t.Fatalf("%s: kustomize.Render: %v", p, err)
		}
		for i := range s.Spec.Environments {
			e := &s.Spec.Environments[i]
			rendered := false
			for _, f := range files {
				rendered = rendered || strings.HasPrefix(f.Path, kustomize.OverlayDir(e.Name)+"/")
			}
			if !rendered {
				continue // no overlay until identity.clientId is known
			}
			for _, kind := range []string{kustomizetest.StatefulSet, kustomizetest.Deployment} {
				y, err := kustomizetest.Build(s, files, e.Name, kind)
				if err != nil {
					t.Fatalf("%s env %s (%s): %v", p, e.Name, kind, err)
				}
				out = append(out, builtOverlay{
					name: filepath.Base(filepath.Dir(p)) + "/" + e.Name + "/" + kind,
					env:  e, yaml: y,
				})
			}
		}
	}
	if len(out) == 0 {
		t.Fatal("no golden case renders a Kustomize overlay")
	}
	return out
}

func TestGoldenOverlaysLintClean(t *testing.T) {
	for _, b := range goldenOverlays(t) {
		t.Run(b.name, func(t *testing.T) {
			fs, err := Lint(b.env, []Input{{Name: "built.yaml", Data: b.yaml}})
			if err != nil {
				t.Fatalf("Lint: %v\n%s", err, b.yaml)
			}
			if len(fs) > 0 {
				t.Errorf("findings on a clean overlay:\n%s\nbuilt:\n%s", texts(fs), b.yaml)
			}
		})
	}
}

// objects decodes built YAML into typed objects.
func objects(t *testing.T, y []byte) []runtime.Object {
	t.Helper()
	objs, err := kustomizetest.DecodeAll(y)
	if err != nil {
		t.Fatal(err)
	}
	return objs
}

// encode writes objects back as multi-document YAML.
func encode(t *testing.T, objs []runtime.Object) []byte {
	t.Helper()
	var parts [][]byte
	for _, o := range objs {
		y, err := yaml.Marshal(o)
		if err != nil {
			t.Fatal(err)
		}
		parts = append(parts, y)
	}
	return bytes.Join(parts, []byte("---\n"))
}

// podTemplateOfWorkload returns the workload's pod template and selector.
func workloadParts(t *testing.T, objs []runtime.Object) (*corev1.PodTemplateSpec, *metav1.LabelSelector, string) {
	t.Helper()
	for _, o := range objs {
		switch w := o.(type) {
		case *appsv1.StatefulSet:
			return &w.Spec.Template, w.Spec.Selector, "StatefulSet/" + w.Namespace + "/" + w.Name
		case *appsv1.Deployment:
			return &w.Spec.Template, w.Spec.Selector, "Deployment/" + w.Namespace + "/" + w.Name
		}
	}
	t.Fatal("no workload in the built overlay")
	return nil, nil, ""
}

func serviceAccountOf(t *testing.T, objs []runtime.Object, e *schema.Environment) *corev1.ServiceAccount {
	t.Helper()
	for _, o := range objs {
		if sa, ok := o.(*corev1.ServiceAccount); ok && sa.Name == e.ServiceAccount {
			return sa
		}
	}
	t.Fatal("no ServiceAccount " + e.ServiceAccount + " in the built overlay")
	return nil
}

// TestGoldenOverlayBreaks breaks each built overlay the ways people break
// it by hand and checks each break is found with the right ID, and nothing
// else is reported.
func TestGoldenOverlayBreaks(t *testing.T) {
	type breakCase struct {
		name  string
		apply func(t *testing.T, b builtOverlay) []byte
		// want lists "ID object" with object "workload" or "sa" for the
		// overlay's workload and service account.
		want []string
	}
	cases := []breakCase{
		{name: "label removed", want: []string{"WI020 workload"}, apply: func(t *testing.T, b builtOverlay) []byte {
			objs := objects(t, b.yaml)
			pt, _, _ := workloadParts(t, objs)
			if _, ok := pt.Labels[schema.LabelUse]; !ok {
				t.Fatal("the built pod template lacks the label already")
			}
			delete(pt.Labels, schema.LabelUse)
			return encode(t, objs)
		}},
		{name: "label made a boolean", want: []string{"WI023 workload"}, apply: func(t *testing.T, b builtOverlay) []byte {
			y := encode(t, objects(t, b.yaml))
			old := []byte(schema.LabelUse + `: "true"`)
			if bytes.Count(y, old) != 1 {
				t.Fatalf("%s occurs %d times, want once:\n%s", old, bytes.Count(y, old), y)
			}
			return bytes.Replace(y, old, []byte(schema.LabelUse+": true"), 1)
		}},
		{name: "label moved into the selector", want: []string{"WI024 workload"}, apply: func(t *testing.T, b builtOverlay) []byte {
			// As commonLabels does: the selector gets the label too (the API
			// server requires the template to match its selector).
			objs := objects(t, b.yaml)
			_, sel, _ := workloadParts(t, objs)
			sel.MatchLabels[schema.LabelUse] = schema.LabelUseValue
			return encode(t, objs)
		}},
		{name: "annotation misspelled", want: []string{"WI002 sa", "WI010 sa"}, apply: func(t *testing.T, b builtOverlay) []byte {
			objs := objects(t, b.yaml)
			sa := serviceAccountOf(t, objs, b.env)
			v, ok := sa.Annotations[schema.AnnotationClientID]
			if !ok {
				t.Fatal("the built ServiceAccount lacks the client-id annotation already")
			}
			delete(sa.Annotations, schema.AnnotationClientID)
			sa.Annotations["azure.workload.identity/client_id"] = v
			return encode(t, objs)
		}},
		{name: "checksum annotation removed", want: []string{"WI027 workload"}, apply: func(t *testing.T, b builtOverlay) []byte {
			objs := objects(t, b.yaml)
			pt, _, _ := workloadParts(t, objs)
			if _, ok := pt.Annotations[schema.AnnotationChecksum]; !ok {
				t.Fatal("the built pod template lacks the checksum annotation already")
			}
			delete(pt.Annotations, schema.AnnotationChecksum)
			return encode(t, objs)
		}},
		{name: "service account renamed in the pod spec", want: []string{"WI025 workload"}, apply: func(t *testing.T, b builtOverlay) []byte {
			objs := objects(t, b.yaml)
			pt, _, _ := workloadParts(t, objs)
			pt.Spec.ServiceAccountName = b.env.ServiceAccount + "-renamed"
			return encode(t, objs)
		}},
	}
	for _, b := range goldenOverlays(t) {
		objs := objects(t, b.yaml)
		_, _, workload := workloadParts(t, objs)
		saObj := "ServiceAccount/" + b.env.Namespace + "/" + b.env.ServiceAccount
		for _, bc := range cases {
			t.Run(b.name+"/"+bc.name, func(t *testing.T) {
				broken := bc.apply(t, b)
				fs, err := Lint(b.env, []Input{{Name: "built.yaml", Data: broken}})
				if err != nil {
					t.Fatalf("Lint: %v", err)
				}
				var want []string
				for _, w := range bc.want {
					id, obj, _ := strings.Cut(w, " ")
					switch obj {
					case "workload":
						obj = workload
					case "sa":
						obj = saObj
					}
					want = append(want, id+" "+obj)
				}
				sort.Strings(want)
				got := short(fs)
				sort.Strings(got)
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("findings (-want +got):\n%s\nall:\n%s", diff, texts(fs))
				}
			})
		}
	}
}
