package kustomize

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/kustomize/api/types"
	"sigs.k8s.io/yaml"

	"github.com/wigen-dev/wigen/generate/helm"
	"github.com/wigen-dev/wigen/generate/helm/helmtest"
	"github.com/wigen-dev/wigen/generate/kustomize/kustomizetest"
	"github.com/wigen-dev/wigen/generate/output"
	"github.com/wigen-dev/wigen/schema"
)

type golden struct {
	name string
	spec *schema.Spec
}

// goldens loads every golden/*/wigen.yaml.
func goldens(t *testing.T) []golden {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("..", "..", "golden", "*", "wigen.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		t.Fatal("no golden/*/wigen.yaml found")
	}
	var out []golden
	for _, p := range paths {
		s, err := schema.Load(p)
		if err != nil {
			t.Fatalf("load %s: %v", p, err)
		}
		out = append(out, golden{name: filepath.Base(filepath.Dir(p)), spec: s})
	}
	return out
}

func render(t *testing.T, s *schema.Spec) []output.File {
	t.Helper()
	files, err := Render(s)
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	return files
}

// built is one overlay built against the fixture base, decoded.
type built struct {
	namespaces      []*corev1.Namespace
	serviceAccounts []*corev1.ServiceAccount
	services        []*corev1.Service
	workloadMeta    *metav1.ObjectMeta // metadata of the one workload
	selector        map[string]string
	template        *corev1.PodTemplateSpec
	kind            string
	all             []runtime.Object
}

func decodeBuilt(t *testing.T, out []byte) *built {
	t.Helper()
	objs, err := kustomizetest.DecodeAll(out)
	if err != nil {
		t.Fatalf("decode the built overlay as the API server would: %v\n%s", err, out)
	}
	b := &built{all: objs}
	workloads := 0
	for _, o := range objs {
		switch x := o.(type) {
		case *corev1.Namespace:
			b.namespaces = append(b.namespaces, x)
		case *corev1.ServiceAccount:
			b.serviceAccounts = append(b.serviceAccounts, x)
		case *corev1.Service:
			b.services = append(b.services, x)
		case *appsv1.StatefulSet:
			workloads++
			b.kind, b.workloadMeta, b.template = "StatefulSet", &x.ObjectMeta, &x.Spec.Template
			b.selector = x.Spec.Selector.MatchLabels
		case *appsv1.Deployment:
			workloads++
			b.kind, b.workloadMeta, b.template = "Deployment", &x.ObjectMeta, &x.Spec.Template
			b.selector = x.Spec.Selector.MatchLabels
		default:
			t.Fatalf("unexpected object %T in the built overlay", o)
		}
	}
	if workloads != 1 {
		t.Fatalf("built overlay has %d workloads, want 1:\n%s", workloads, out)
	}
	return b
}

// checkOverlay asserts everything Workload ID needs on the objects built
// from environment e's overlay and the fixture base fx.
func checkOverlay(t *testing.T, s *schema.Spec, e *schema.Environment, fx *kustomizetest.Fixture, kind string, b *built) {
	t.Helper()
	if b.kind != kind {
		t.Errorf("workload kind %s, want %s", b.kind, kind)
	}
	// The namespace is set on every namespaced object.
	for _, o := range b.all {
		m := o.(metav1.Object)
		if _, isNS := o.(*corev1.Namespace); isNS {
			continue
		}
		if m.GetNamespace() != e.Namespace {
			t.Errorf("%T %s: namespace %q, want %q", o, m.GetName(), m.GetNamespace(), e.Namespace)
		}
	}
	wantNS := 0
	if e.CreatesNamespace() {
		wantNS = 1
	}
	if len(b.namespaces) != wantNS || (wantNS == 1 && b.namespaces[0].Name != e.Namespace) {
		t.Errorf("namespaces %v, want %d named %q (createNamespace %v)", b.namespaces, wantNS, e.Namespace, e.CreatesNamespace())
	}
	// The annotation is on the service account.
	if len(b.serviceAccounts) != 1 {
		t.Fatalf("%d service accounts, want 1", len(b.serviceAccounts))
	}
	sa := b.serviceAccounts[0]
	if sa.Name != e.ServiceAccount {
		t.Errorf("service account %q, want %q", sa.Name, e.ServiceAccount)
	}
	if got := sa.Annotations[schema.AnnotationClientID]; got != e.Identity.ClientID {
		t.Errorf("service account annotation %s = %q, want %q", schema.AnnotationClientID, got, e.Identity.ClientID)
	}
	if got, ok := sa.Annotations[schema.AnnotationTenantID]; e.TenantID != "" && got != e.TenantID || e.TenantID == "" && ok {
		t.Errorf("service account annotation %s = %q, want %q", schema.AnnotationTenantID, got, e.TenantID)
	}
	if diff := cmp.Diff(fx.ServiceAccount.Labels, sa.Labels); diff != "" {
		t.Errorf("service account labels changed (-base +built):\n%s", diff)
	}
	// The label is on the pod template, a string "true" (typed decoding
	// already refused any other type), and nowhere else.
	if got, ok := b.template.Labels[schema.LabelUse]; !ok || got != "true" {
		t.Errorf("pod template label %s = %q (present %v), want \"true\"", schema.LabelUse, got, ok)
	}
	if _, ok := b.workloadMeta.Labels[schema.LabelUse]; ok {
		t.Errorf("label %s is on the workload's own metadata; it belongs on the pod template only", schema.LabelUse)
	}
	if _, ok := sa.Labels[schema.LabelUse]; ok {
		t.Errorf("label %s is on the service account, where it does nothing", schema.LabelUse)
	}
	// Selectors are unchanged.
	if diff := cmp.Diff(fx.Selector, b.selector); diff != "" {
		t.Errorf("workload selector changed (-base +built):\n%s", diff)
	}
	for _, svc := range b.services {
		if diff := cmp.Diff(fx.Selector, svc.Spec.Selector); diff != "" {
			t.Errorf("service %s selector changed (-base +built):\n%s", svc.Name, diff)
		}
	}
	// Every other pod template label is the base's.
	var baseTemplate *corev1.PodTemplateSpec
	switch w := fx.Workload.(type) {
	case *appsv1.StatefulSet:
		baseTemplate = &w.Spec.Template
	case *appsv1.Deployment:
		baseTemplate = &w.Spec.Template
	}
	others := map[string]string{}
	for k, v := range b.template.Labels {
		if k != schema.LabelUse {
			others[k] = v
		}
	}
	if diff := cmp.Diff(baseTemplate.Labels, others); diff != "" {
		t.Errorf("pod template labels besides %s changed (-base +built):\n%s", schema.LabelUse, diff)
	}
	// The pods run as the service account of the federated subject.
	checked := 0
	for _, fc := range e.FederatedCredentials() {
		if fc.Namespace != e.Namespace {
			continue // another namespace: not deployed by this overlay
		}
		checked++
		if b.template.Spec.ServiceAccountName != fc.ServiceAccount {
			t.Errorf("pods run as %q; federated credential %s has subject %s", b.template.Spec.ServiceAccountName, fc.Name, fc.Subject)
		}
		if want := schema.Subject(e.Namespace, b.template.Spec.ServiceAccountName); fc.Subject != want {
			t.Errorf("federated subject %q, pods' subject %q", fc.Subject, want)
		}
	}
	if checked == 0 {
		t.Errorf("no federated credential in namespace %q to check", e.Namespace)
	}
	// The connection: preset by env from app 0.10.2, never below.
	var app *corev1.Container
	for i := range b.template.Spec.Containers {
		if b.template.Spec.Containers[i].Name == s.Spec.Chart.Name {
			app = &b.template.Spec.Containers[i]
		}
	}
	if app == nil || len(b.template.Spec.Containers) != 1 {
		t.Fatalf("containers %v: want exactly the chart's container %q (a patch naming another container adds one)", b.template.Spec.Containers, s.Spec.Chart.Name)
	}
	env := map[string]string{}
	for _, v := range app.Env {
		env[v.Name] = v.Value
	}
	if s.Spec.Chart.App.TokenCredentialsEnv && env[helm.EnvTokenCredentials] != "WorkloadIdentityCredential" {
		t.Errorf("%s = %q, want WorkloadIdentityCredential (from the base)", helm.EnvTokenCredentials, env[helm.EnvTokenCredentials])
	}
	if s.Spec.Chart.App.ConnectionFromEnv {
		// One connection per account, index i of the three variables.
		for _, p := range helmtest.CheckConnections(env, e.AzureOpenAI) {
			t.Error(p)
		}
	} else {
		for _, k := range []string{helm.EnvBaseURLs, helm.EnvKeys, helm.EnvConfigs} {
			if _, ok := env[k]; ok {
				t.Errorf("%s is set, but Open WebUI %s does not read it", k, s.Spec.Chart.App.Version)
			}
		}
	}
}

func TestGoldenOverlaysBuild(t *testing.T) {
	builtOverlays := 0
	for _, g := range goldens(t) {
		files := render(t, g.spec)
		for i := range g.spec.Spec.Environments {
			e := &g.spec.Spec.Environments[i]
			if !helm.HasClientID(e) {
				continue
			}
			for _, kind := range []string{kustomizetest.StatefulSet, kustomizetest.Deployment} {
				t.Run(g.name+"/"+e.Name+"/"+kind, func(t *testing.T) {
					fx, err := kustomizetest.NewFixture(g.spec, files, kind)
					if err != nil {
						t.Fatal(err)
					}
					out, err := fx.Build(files, e.Name)
					if err != nil {
						t.Fatal(err)
					}
					checkOverlay(t, g.spec, e, fx, kind, decodeBuilt(t, out))
				})
				builtOverlays++
			}
		}
	}
	if builtOverlays < 6 {
		t.Errorf("built %d overlays; the golden cases have at least 3 environments with a client ID", builtOverlays)
	}
}

// TestRenderedDocumentsDecode decodes every rendered YAML document as its
// consumer does: kustomization.yaml as kustomize does, every Kubernetes
// object strictly as the API server does, values files through JSON.
func TestRenderedDocumentsDecode(t *testing.T) {
	for _, g := range goldens(t) {
		files := render(t, g.spec)
		files = append(files, renderHelm(t, g.spec)...)
		for _, f := range files {
			t.Run(g.name+"/"+f.Path, func(t *testing.T) {
				decodeRendered(t, g.spec, f)
			})
		}
	}
}

func decodeRendered(t *testing.T, s *schema.Spec, f output.File) {
	t.Helper()
	if !output.IsGenerated(f.Data) {
		t.Errorf("%s does not start with the generated-file line", f.Path)
	}
	if !bytes.HasSuffix(f.Data, []byte("\n")) || bytes.Contains(f.Data, []byte("\r")) {
		t.Errorf("%s: want LF line endings and a final newline", f.Path)
	}
	switch path.Base(f.Path) {
	case KustomizationFile:
		k, err := kustomizetest.DecodeKustomization(f.Data)
		if err != nil {
			t.Fatal(err)
		}
		if dep := k.CheckDeprecatedFields(); dep != nil && len(*dep) > 0 {
			t.Errorf("deprecated fields: %v", *dep)
		}
		if k.CommonLabels != nil || k.Labels != nil {
			t.Errorf("commonLabels/labels must not be used (they reach selectors): %v %v", k.CommonLabels, k.Labels)
		}
		// Re-marshalled in kustomize's order, the file is itself.
		again, err := marshalKustomization(k)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasSuffix(f.Data, again) {
			t.Errorf("not in kustomize's field order; want body:\n%s\ngot file:\n%s", again, f.Data)
		}
	case ValuesFile:
		var got any
		if err := yaml.Unmarshal(f.Data, &got); err != nil {
			t.Fatal(err)
		}
		want := helm.Values(s, nil, helm.KustomizeBase)
		for i := range s.Spec.Environments {
			if e := &s.Spec.Environments[i]; f.Path == helm.StandalonePath(e.Name) {
				want = helm.Values(s, e, helm.Standalone)
			}
		}
		if diff := cmp.Diff(jsonRoundTrip(t, want), got); diff != "" {
			t.Errorf("values file does not decode to the values (-want +got):\n%s", diff)
		}
	default:
		if _, err := kustomizetest.Decode(f.Data); err != nil {
			t.Errorf("strict decoding: %v\n%s", err, f.Data)
		}
	}
}

func jsonRoundTrip(t *testing.T, v any) any {
	t.Helper()
	js, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(js, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestStrictDecodingRefuses shows the decoding the tests rely on fails
// where the API server does: a boolean label, an unknown field.
func TestStrictDecodingRefuses(t *testing.T) {
	for name, doc := range map[string]string{
		"boolean pod label": "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: a\nspec:\n  template:\n    metadata:\n      labels:\n        azure.workload.identity/use: true\n",
		"yes pod label":     "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: a\nspec:\n  template:\n    metadata:\n      labels:\n        azure.workload.identity/use: yes\n",
		"unknown field":     "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: a\n  annotation: {}\n",
		"duplicate field":   "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: a\n  name: b\n",
	} {
		if _, err := kustomizetest.Decode([]byte(doc)); err == nil {
			t.Errorf("%s: decoded without error", name)
		}
	}
	ok := "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: a\nspec:\n  template:\n    metadata:\n      labels:\n        azure.workload.identity/use: \"true\"\n"
	if _, err := kustomizetest.Decode([]byte(ok)); err != nil {
		t.Errorf("a string label: %v", err)
	}
}

// specialInput uses, wherever the input allows them, strings that YAML 1.1
// reads as booleans, numbers or null.
const specialInput = `apiVersion: wigen/v1alpha1
kind: WorkloadIdentity
metadata:
  name: "yes"
spec:
  chart:
    version: 16.0.0
    imageTag: v0.11.0
    values:
      podAnnotations: {a: "y", b: "on", c: "0123", d: "1e3", e: "null", f: "yes", g: "true", h: "~"}
      podLabels: {team: "no", tier: "1e3"}
      extraEnvVars:
        - name: FLAG
          value: "on"
        - name: NUMBER
          value: 1e3
        - name: OCTAL
          value: "0123"
  azureOpenAI:
    accountId: /subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/aoai
    endpoint: https://aoai.openai.azure.com/
    apiVersion: "2024-10-21"
    deployments: ["on", "null", "1e3", "0123", "y"]
  environments:
    - name: "on"
      tenantId: 22222222-2222-2222-2222-222222222222
      subscriptionId: 11111111-1111-1111-1111-111111111111
      location: westeurope
      resourceGroup: "null"
      namespace: "off"
      serviceAccount: "y"
      identity:
        name: "0123"
        clientId: 33333333-3333-3333-3333-333333333333
      cluster:
        name: "1e3"
        issuer:
          url: https://westeurope.oic.prod-aks.azure.com/22222222-2222-2222-2222-222222222222/44444444-4444-4444-4444-444444444444/
`

func TestSpecialStringsStayStrings(t *testing.T) {
	s, err := schema.LoadBytes("wigen.yaml", []byte(specialInput))
	if err != nil {
		t.Fatal(err)
	}
	files := render(t, s)
	hfiles := renderHelm(t, s)
	for _, f := range append(append([]output.File(nil), files...), hfiles...) {
		decodeRendered(t, s, f)
	}
	fx, err := kustomizetest.NewFixture(s, files, kustomizetest.StatefulSet)
	if err != nil {
		t.Fatal(err)
	}
	out, err := fx.Build(files, "on")
	if err != nil {
		t.Fatal(err)
	}
	b := decodeBuilt(t, out)
	e := &s.Spec.Environments[0]
	checkOverlay(t, s, e, fx, kustomizetest.StatefulSet, b)
	if b.workloadMeta.Name != "yes-open-webui" || b.workloadMeta.Namespace != "off" {
		t.Errorf("workload %s/%s, want off/yes-open-webui", b.workloadMeta.Namespace, b.workloadMeta.Name)
	}
	for k, v := range map[string]string{"team": "no", "tier": "1e3", schema.LabelUse: "true", "app.kubernetes.io/instance": "yes"} {
		if got := b.template.Labels[k]; got != v {
			t.Errorf("pod label %s = %q, want %q", k, got, v)
		}
	}
	env := map[string]string{}
	for _, v := range b.template.Spec.Containers[0].Env {
		env[v.Name] = v.Value
	}
	for k, v := range map[string]string{"FLAG": "on", "NUMBER": "1000", "OCTAL": "0123"} {
		if env[k] != v {
			t.Errorf("env %s = %q, want %q", k, env[k], v)
		}
	}
	if !strings.Contains(env[helm.EnvConfigs], `"model_ids":["on","null","1e3","0123","y"]`) {
		t.Errorf("%s = %s: deployment names not intact", helm.EnvConfigs, env[helm.EnvConfigs])
	}
	// The rendered text quotes every such string (a reader sees strings).
	kf := fileData(t, files, OverlayDir("on")+"/"+KustomizationFile)
	if !bytes.Contains(kf, []byte(`namespace: "off"`)) || !bytes.Contains(kf, []byte(`name: "y"`)) {
		t.Errorf("overlay kustomization does not quote the special strings:\n%s", kf)
	}
	want := map[string]any{"a": "y", "b": "on", "c": "0123", "d": "1e3", "e": "null", "f": "yes", "g": "true", "h": "~"}
	for _, p := range []string{BaseDir + "/" + ValuesFile, helm.StandalonePath("on")} {
		data := fileData(t, append(files, hfiles...), p)
		var vals map[string]any
		if err := yaml.Unmarshal(data, &vals); err != nil {
			t.Fatal(err)
		}
		w := want
		if p == helm.StandalonePath("on") {
			w = map[string]any{schema.AnnotationChecksum: helm.PodAnnotations(&s.Spec.Environments[0])[schema.AnnotationChecksum]}
			for k, v := range want {
				w[k] = v
			}
		}
		if diff := cmp.Diff(w, vals["podAnnotations"]); diff != "" {
			t.Errorf("%s podAnnotations (-want +got):\n%s", p, diff)
		}
		for _, quoted := range []string{`a: "y"`, `b: "on"`, `c: "0123"`, `d: "1e3"`, `e: "null"`, `f: "yes"`, `g: "true"`, `h: "~"`, `team: "no"`} {
			if !bytes.Contains(data, []byte(quoted)) {
				t.Errorf("%s lacks %s:\n%s", p, quoted, data)
			}
		}
	}
}

func renderHelm(t *testing.T, s *schema.Spec) []output.File {
	t.Helper()
	files, err := helm.Render(s)
	if err != nil {
		t.Fatalf("helm.Render: %v", err)
	}
	return files
}

func fileData(t *testing.T, files []output.File, p string) []byte {
	t.Helper()
	for _, f := range files {
		if f.Path == p {
			return f.Data
		}
	}
	t.Fatalf("%s not rendered", p)
	return nil
}

func TestBaseIsSharedAndHoldsNoWorkloadID(t *testing.T) {
	for _, g := range goldens(t) {
		files := render(t, g.spec)
		for _, f := range files {
			if !strings.HasPrefix(f.Path, BaseDir+"/") {
				continue
			}
			body := string(f.Data)
			for _, e := range g.spec.Spec.Environments {
				forbidden := []string{e.Identity.ClientID, e.TenantID, "namespace:"}
				for _, a := range e.AzureOpenAI {
					forbidden = append(forbidden, a.Endpoint)
				}
				for _, x := range forbidden {
					if x != "" && strings.Contains(body, x) {
						t.Errorf("%s/%s holds %q, which is environment-specific", g.name, f.Path, x)
					}
				}
			}
			for _, x := range []string{schema.AnnotationPrefix, schema.AnnotationChecksum, "podLabels", helm.EnvConfigs} {
				if strings.Contains(body, x) {
					t.Errorf("%s/%s holds %q: Workload ID belongs in the overlays", g.name, f.Path, x)
				}
			}
		}
	}
}

func TestSkippedOverlay(t *testing.T) {
	var s *schema.Spec
	for _, g := range goldens(t) {
		if g.name == "multi-environment" {
			s = g.spec
		}
	}
	if s == nil {
		t.Fatal("golden/multi-environment is missing")
	}
	files := render(t, s)
	for _, f := range files {
		if strings.HasPrefix(f.Path, OverlayDir("dev")+"/") {
			t.Errorf("%s rendered, but dev has no identity.clientId", f.Path)
		}
	}
	fileData(t, files, OverlayDir("prod")+"/"+KustomizationFile)
}

func TestRenderIsDeterministic(t *testing.T) {
	for _, g := range goldens(t) {
		a := render(t, g.spec)
		b := render(t, g.spec)
		if diff := cmp.Diff(a, b); diff != "" {
			t.Errorf("%s: two renders differ:\n%s", g.name, diff)
		}
	}
}

func TestKustomizationFieldOrder(t *testing.T) {
	k := &types.Kustomization{
		TypeMeta:          types.TypeMeta{APIVersion: types.KustomizationVersion, Kind: types.KustomizationKind},
		Images:            []types.Image{{Name: "a", NewTag: "1"}},
		HelmCharts:        []types.HelmChart{{Name: "c"}},
		Patches:           []types.Patch{{Path: "p.yaml"}},
		Namespace:         "ns",
		Resources:         []string{"r.yaml"},
		Components:        []string{"comp"},
		CommonAnnotations: map[string]string{"a": "b"},
		Validators:        []string{"v.yaml"},
	}
	body, err := marshalKustomization(k)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, l := range strings.Split(string(body), "\n") {
		if l != "" && l[0] != ' ' && l[0] != '-' {
			keys = append(keys, strings.SplitN(l, ":", 2)[0])
		}
	}
	want := []string{"apiVersion", "kind", "resources", "namespace", "commonAnnotations", "patches", "helmCharts", "images", "components", "validators"}
	if diff := cmp.Diff(want, keys); diff != "" {
		t.Errorf("field order (-want +got):\n%s", diff)
	}
	back, err := kustomizetest.DecodeKustomization(body)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(k, back); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	plain, _ := yaml.Marshal(k)
	if bytes.Equal(plain, body) {
		t.Error("a plain marshal gives the same order: the test proves nothing")
	}
}

// TestKubectlKustomize builds every golden overlay with the fixture base
// written to disk, with the kubectl on this machine, and compares with the
// in-memory krusty build.
func TestKubectlKustomize(t *testing.T) {
	kubectl, err := exec.LookPath("kubectl")
	if err != nil {
		t.Skip("kubectl is not installed; skipping the kubectl kustomize check")
	}
	for _, g := range goldens(t) {
		files := render(t, g.spec)
		for i := range g.spec.Spec.Environments {
			e := &g.spec.Spec.Environments[i]
			if !helm.HasClientID(e) {
				continue
			}
			for _, kind := range []string{kustomizetest.StatefulSet, kustomizetest.Deployment} {
				t.Run(g.name+"/"+e.Name+"/"+kind, func(t *testing.T) {
					fx, err := kustomizetest.NewFixture(g.spec, files, kind)
					if err != nil {
						t.Fatal(err)
					}
					dir, err := fx.WriteTree(t.TempDir(), files, e.Name)
					if err != nil {
						t.Fatal(err)
					}
					cmd := exec.Command(kubectl, "kustomize", dir)
					var stderr bytes.Buffer
					cmd.Stderr = &stderr
					out, err := cmd.Output()
					if err != nil {
						t.Fatalf("kubectl kustomize %s: %v\n%s", dir, err, stderr.Bytes())
					}
					b := decodeBuilt(t, out)
					checkOverlay(t, g.spec, e, fx, kind, b)
					mem, err := fx.Build(files, e.Name)
					if err != nil {
						t.Fatal(err)
					}
					if diff := cmp.Diff(objectsByID(t, mem), objectsByID(t, out)); diff != "" {
						t.Errorf("kubectl kustomize and krusty disagree (-krusty +kubectl):\n%s", diff)
					}
				})
			}
		}
	}
}

// objectsByID decodes multi-document YAML into generic objects keyed by
// kind/namespace/name.
func objectsByID(t *testing.T, docs []byte) map[string]any {
	t.Helper()
	parts, err := kustomizetest.SplitDocuments(docs)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]any{}
	for _, d := range parts {
		var o struct {
			Kind     string `json:"kind"`
			Metadata struct {
				Name      string `json:"name"`
				Namespace string `json:"namespace"`
			} `json:"metadata"`
		}
		if err := yaml.Unmarshal(d, &o); err != nil {
			t.Fatal(err)
		}
		var full any
		if err := yaml.Unmarshal(d, &full); err != nil {
			t.Fatal(err)
		}
		out[o.Kind+"/"+o.Metadata.Namespace+"/"+o.Metadata.Name] = full
	}
	return out
}

// TestOverlayFiles pins the overlay's shape: its files, the patch targets,
// and that nothing but ../../base and the namespace is a resource.
func TestOverlayFiles(t *testing.T) {
	for _, g := range goldens(t) {
		files := render(t, g.spec)
		byDir := map[string][]string{}
		for _, f := range files {
			byDir[path.Dir(f.Path)] = append(byDir[path.Dir(f.Path)], path.Base(f.Path))
		}
		if diff := cmp.Diff([]string{KustomizationFile, ValuesFile}, sorted(byDir[BaseDir])); diff != "" {
			t.Errorf("%s base files (-want +got):\n%s", g.name, diff)
		}
		for i := range g.spec.Spec.Environments {
			e := &g.spec.Spec.Environments[i]
			dir := OverlayDir(e.Name)
			if !helm.HasClientID(e) {
				if len(byDir[dir]) > 0 {
					t.Errorf("%s: %s rendered without a client ID", g.name, dir)
				}
				continue
			}
			want := []string{KustomizationFile, ServiceAccountFile, WorkloadFile}
			if e.CreatesNamespace() {
				want = append(want, NamespaceFile)
			}
			if diff := cmp.Diff(sorted(want), sorted(byDir[dir])); diff != "" {
				t.Errorf("%s %s files (-want +got):\n%s", g.name, dir, diff)
			}
			k, err := kustomizetest.DecodeKustomization(fileData(t, files, dir+"/"+KustomizationFile))
			if err != nil {
				t.Fatal(err)
			}
			if k.Resources[0] != "../../base" || k.Namespace != e.Namespace || len(k.Patches) != 2 {
				t.Errorf("%s %s: resources %v, namespace %q, %d patches", g.name, dir, k.Resources, k.Namespace, len(k.Patches))
			}
			wl := k.Patches[1].Target
			if wl == nil || wl.Kind != WorkloadKinds || wl.Name != g.spec.Fullname() {
				t.Errorf("%s %s: workload patch target %+v", g.name, dir, wl)
			}
		}
	}
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	return out
}

// TestPathsMatchRender: Paths, which the READMEs use, lists exactly what
// Render writes.
func TestPathsMatchRender(t *testing.T) {
	specs := []*schema.Spec{}
	for _, g := range goldens(t) {
		specs = append(specs, g.spec)
	}
	s, err := schema.LoadBytes("wigen.yaml", []byte(specialInput))
	if err != nil {
		t.Fatal(err)
	}
	specs = append(specs, s)
	for _, s := range specs {
		files := render(t, s)
		var got []string
		for _, f := range files {
			got = append(got, f.Path)
		}
		if diff := cmp.Diff(sorted(Paths(s)), sorted(got)); diff != "" {
			t.Errorf("%s: Paths and Render differ (-Paths +Render):\n%s", s.Metadata.Name, diff)
		}
	}
}
