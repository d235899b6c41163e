// Package kustomizetest builds wigen's rendered Kustomize overlays offline,
// for tests: no helm binary, no chart download, no network.
//
// The rendered base (kustomize/base/) inflates the Open WebUI chart with
// helmCharts, which needs helm and the chart repository. Build puts a
// fixture base in its place: the objects the chart renders that Workload ID
// depends on (a ServiceAccount, the StatefulSet or Deployment, the Service
// selecting its pods), shaped as the open-webui chart renders them for the
// spec (open-webui/helm-charts, templates/_helpers.tpl,
// service-account.yaml, workload-manager.yaml and service.yaml, read at
// chart 7.2.0 to 16.0.0):
//   - names: the workload and service are named schema.Spec.Fullname (by
//     chart version and name overrides; its tests hold the chart's rules);
//   - labels: helm.sh/chart, app.kubernetes.io/managed-by, name, instance
//     (the release) and component (the chart name); the selector holds
//     instance and component only; podLabels from the values join the pod
//     template's labels;
//   - the pod spec: serviceAccountName from serviceAccount.name, one
//     container named after the chart with extraEnvVars from the values;
//   - the namespace: "default", as `helm template` without --namespace
//     writes it (kustomize's helmCharts passes no namespace when none is set).
//
// The fixture reads the rendered base values file (kustomize/base/values.yaml),
// so a wrong service account name or a lost value in the base shows up in
// the build. It is independent of wigen's renderers: it models the chart,
// not wigen.
//
// Typical use:
//
//	files, _, _ := kustomize.Render(spec)
//	out, err := kustomizetest.Build(spec, files, "prod", kustomizetest.StatefulSet)
//	objs, err := kustomizetest.DecodeAll(out) // strict, as the API server decodes
package kustomizetest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
	kjson "k8s.io/apimachinery/pkg/runtime/serializer/json"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/api/types"
	"sigs.k8s.io/kustomize/kyaml/filesys"
	"sigs.k8s.io/yaml"

	"github.com/wigen-dev/wigen/generate/output"
	"github.com/wigen-dev/wigen/schema"
)

// Workload kinds the chart renders.
const (
	StatefulSet = "StatefulSet"
	Deployment  = "Deployment"
)

// FixtureNamespace is the namespace of the fixture base's objects.
const FixtureNamespace = "default"

// Paths, relative to the output root, that Build reads from the rendered files.
const (
	baseDir     = "kustomize/base"
	overlaysDir = "kustomize/overlays"
)

// Fixture is the fixture base for one spec and workload kind.
type Fixture struct {
	// Files maps paths relative to the output root (kustomize/base/...) to
	// their content: kustomization.yaml and one file per object.
	Files map[string][]byte
	// Objects of the base, as decoded Kubernetes objects.
	ServiceAccount *corev1.ServiceAccount
	Service        *corev1.Service
	// Workload is an *appsv1.StatefulSet or *appsv1.Deployment.
	Workload runtime.Object
	// Selector is the workload's spec.selector.matchLabels (and the
	// Service's spec.selector), which no overlay may change.
	Selector map[string]string
	// ServiceAccountName is the pods' serviceAccountName in the base.
	ServiceAccountName string

	// inflating names the environment whose overlay inflates the chart
	// itself, which this fixture stands in for ("" for the shared base).
	inflating string
}

// NewFixture builds the fixture base for s, reading the rendered base
// values (kustomize/base/values.yaml) from files. kind is StatefulSet or
// Deployment.
func NewFixture(s *schema.Spec, files []output.File, kind string) (*Fixture, error) {
	return newFixture(s, files, nil, kind)
}

// NewFixtureFor builds the fixture that stands in for the chart
// inflation environment env's overlay builds on: the shared base's (as
// NewFixture), or, when the overlay inflates the chart itself (its
// kustomization.yaml has a helmCharts entry), the overlay's own, from the
// values file that entry names and with the chart's names for env's chart
// values. Build then replaces that helmCharts entry by the fixture.
func NewFixtureFor(s *schema.Spec, files []output.File, env, kind string) (*Fixture, error) {
	hc, err := overlayChart(files, env)
	if err != nil || hc == nil {
		return newFixture(s, files, nil, kind)
	}
	for i := range s.Spec.Environments {
		if e := &s.Spec.Environments[i]; e.Name == env {
			fx, err := newFixtureFrom(s, files, e, path.Join(overlaysDir, env, hc.ValuesFile), hc.Namespace, kind)
			if fx != nil {
				fx.inflating = env
			}
			return fx, err
		}
	}
	return nil, fmt.Errorf("no environment %q in the spec", env)
}

// overlayChart returns the helmCharts entry of environment env's overlay,
// or nil when the overlay builds on the shared base.
func overlayChart(files []output.File, env string) (*types.HelmChart, error) {
	p := path.Join(overlaysDir, env, "kustomization.yaml")
	raw, ok := find(files, p)
	if !ok {
		return nil, fmt.Errorf("%s is not among the rendered files", p)
	}
	k, err := DecodeKustomization(raw)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	switch len(k.HelmCharts) {
	case 0:
		return nil, nil
	case 1:
		return &k.HelmCharts[0], nil
	}
	return nil, fmt.Errorf("%s inflates %d charts; want one", p, len(k.HelmCharts))
}

func newFixture(s *schema.Spec, files []output.File, e *schema.Environment, kind string) (*Fixture, error) {
	return newFixtureFrom(s, files, e, path.Join(baseDir, "values.yaml"), "", kind)
}

// newFixtureFrom builds the fixture from the values file at valuesPath,
// with the chart's names for e's chart values (the spec-level ones when e
// is nil), its objects in namespace (FixtureNamespace when "").
func newFixtureFrom(s *schema.Spec, files []output.File, e *schema.Environment, valuesPath, namespace, kind string) (*Fixture, error) {
	if kind != StatefulSet && kind != Deployment {
		return nil, fmt.Errorf("workload kind %q: want %s or %s", kind, StatefulSet, Deployment)
	}
	if namespace == "" {
		namespace = FixtureNamespace
	}
	raw, ok := find(files, valuesPath)
	if !ok {
		return nil, fmt.Errorf("%s is not among the rendered files", valuesPath)
	}
	var values map[string]any
	if err := yaml.Unmarshal(raw, &values); err != nil {
		return nil, fmt.Errorf("%s: %w", valuesPath, err)
	}
	c := s.Spec.Chart
	release := s.ReleaseName()
	nameOverride, _ := values["nameOverride"].(string)
	name := s.FullnameFor(e)
	chartLabelName := c.Name
	if nameOverride != "" {
		chartLabelName = nameOverride
	}
	selector := map[string]string{
		"app.kubernetes.io/instance":  release,
		"app.kubernetes.io/component": c.Name,
	}
	labels := map[string]string{
		"helm.sh/chart":                truncate(strings.ReplaceAll(c.Name+"-"+c.Version, "+", "_")),
		"app.kubernetes.io/managed-by": "Helm",
		"app.kubernetes.io/name":       chartLabelName,
	}
	for k, v := range selector {
		labels[k] = v
	}
	podLabels := copyMap(labels)
	if pl, ok := values["podLabels"].(map[string]any); ok {
		for k, v := range pl {
			str, ok := v.(string)
			if !ok {
				return nil, fmt.Errorf("values podLabels.%s is %T, not a string: the API server refuses it", k, v)
			}
			podLabels[k] = str
		}
	}
	sa, _ := values["serviceAccount"].(map[string]any)
	saName, _ := sa["name"].(string)
	if saName == "" {
		return nil, fmt.Errorf("%s sets no serviceAccount.name", valuesPath)
	}
	image, _ := values["image"].(map[string]any)
	tag, _ := image["tag"].(string)
	var env []corev1.EnvVar
	if raw, ok := values["extraEnvVars"]; ok {
		js, err := json.Marshal(raw)
		if err != nil {
			return nil, err
		}
		dec := json.NewDecoder(bytes.NewReader(js))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&env); err != nil {
			return nil, fmt.Errorf("values extraEnvVars is not a list of env vars: %w", err)
		}
	}
	// The chart's own env comes first: with ollama and ollamaUrls unset it
	// turns the Ollama API off.
	env = append([]corev1.EnvVar{{Name: "ENABLE_OLLAMA_API", Value: "False"}}, env...)
	meta := func(n string, l map[string]string) map[string]any {
		return map[string]any{"name": n, "namespace": namespace, "labels": l}
	}
	f := false
	podSpec := corev1.PodSpec{
		AutomountServiceAccountToken: &f,
		EnableServiceLinks:           &f,
		ServiceAccountName:           saName,
		Containers: []corev1.Container{{
			Name:  c.Name,
			Image: "ghcr.io/open-webui/open-webui:" + tag,
			Ports: []corev1.ContainerPort{{Name: "http", ContainerPort: 8080}},
			Env:   env,
			VolumeMounts: []corev1.VolumeMount{{
				Name: "data", MountPath: "/app/backend/data",
			}},
		}},
		Volumes: []corev1.Volume{{
			Name:         "data",
			VolumeSource: corev1.VolumeSource{PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSource{ClaimName: name}},
		}},
	}
	template := map[string]any{
		"metadata": map[string]any{"labels": podLabels},
		"spec":     podSpec,
	}
	workloadSpec := map[string]any{
		"replicas": 1,
		"selector": map[string]any{"matchLabels": selector},
		"template": template,
	}
	if kind == StatefulSet {
		workloadSpec["serviceName"] = name
	}
	objects := map[string]map[string]any{
		"service-account.yaml": {
			"apiVersion":                   "v1",
			"kind":                         "ServiceAccount",
			"metadata":                     meta(saName, labels),
			"automountServiceAccountToken": false,
		},
		"service.yaml": {
			"apiVersion": "v1",
			"kind":       "Service",
			"metadata":   meta(name, labels),
			"spec": map[string]any{
				"type":     "ClusterIP",
				"selector": selector,
				"ports":    []any{map[string]any{"name": "http", "port": 80, "targetPort": "http", "protocol": "TCP"}},
			},
		},
		"workload.yaml": {
			"apiVersion": "apps/v1",
			"kind":       kind,
			"metadata":   meta(name, labels),
			"spec":       workloadSpec,
		},
	}
	fx := &Fixture{Files: map[string][]byte{}, Selector: selector, ServiceAccountName: saName}
	k := types.Kustomization{
		TypeMeta:  types.TypeMeta{APIVersion: types.KustomizationVersion, Kind: types.KustomizationKind},
		Resources: []string{"service-account.yaml", "service.yaml", "workload.yaml"},
	}
	ky, err := yaml.Marshal(k)
	if err != nil {
		return nil, err
	}
	fx.Files[path.Join(baseDir, "kustomization.yaml")] = ky
	for file, obj := range objects {
		y, err := yaml.Marshal(obj)
		if err != nil {
			return nil, err
		}
		fx.Files[path.Join(baseDir, file)] = y
		o, err := Decode(y)
		if err != nil {
			return nil, fmt.Errorf("fixture %s: %w", file, err)
		}
		switch t := o.(type) {
		case *corev1.ServiceAccount:
			fx.ServiceAccount = t
		case *corev1.Service:
			fx.Service = t
		default:
			fx.Workload = t
		}
	}
	return fx, nil
}

// truncate is Helm's `trunc 63 | trimSuffix "-"`.
func truncate(s string) string {
	if len(s) > 63 {
		s = s[:63]
	}
	return strings.TrimSuffix(s, "-")
}

// Build builds the overlay of environment env from the rendered files with
// krusty.MakeKustomizer(krusty.MakeDefaultOptions()) on an in-memory
// filesystem, the fixture standing in for the chart inflation: written as
// kustomize/base/, and for an overlay that inflates the chart itself its
// helmCharts entry replaced by a reference to it (NewFixtureFor). It
// returns the built objects as multi-document YAML, as `kustomize build`
// prints them.
func Build(s *schema.Spec, files []output.File, env, kind string) ([]byte, error) {
	fx, err := NewFixtureFor(s, files, env, kind)
	if err != nil {
		return nil, err
	}
	return fx.Build(files, env)
}

// Build builds overlay env of files against the fixture (see Build).
func (fx *Fixture) Build(files []output.File, env string) ([]byte, error) {
	fs := filesys.MakeFsInMemory()
	if err := fx.write(files, env, func(p string, data []byte) error {
		return fs.WriteFile("/"+p, data)
	}); err != nil {
		return nil, err
	}
	m, err := krusty.MakeKustomizer(krusty.MakeDefaultOptions()).Run(fs, "/"+path.Join(overlaysDir, env))
	if err != nil {
		return nil, fmt.Errorf("kustomize build %s: %w", path.Join(overlaysDir, env), err)
	}
	return m.AsYaml()
}

// WriteTree writes the overlay of environment env and the fixture base
// under dir on disk (for `kubectl kustomize`), and returns the overlay's
// folder.
func (fx *Fixture) WriteTree(dir string, files []output.File, env string) (string, error) {
	err := fx.write(files, env, func(p string, data []byte) error {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			return err
		}
		return os.WriteFile(full, data, 0o644)
	})
	return filepath.Join(dir, filepath.FromSlash(path.Join(overlaysDir, env))), err
}

func (fx *Fixture) write(files []output.File, env string, put func(string, []byte) error) error {
	prefix := path.Join(overlaysDir, env) + "/"
	if !slices.ContainsFunc(files, func(f output.File) bool { return strings.HasPrefix(f.Path, prefix) }) {
		return fmt.Errorf("no rendered file under %s", prefix)
	}
	hc, err := overlayChart(files, env)
	if err != nil {
		return err
	}
	if hc != nil && fx.inflating != env {
		return fmt.Errorf("the overlay of %s inflates the chart itself: build it with the fixture of NewFixtureFor", env)
	}
	for _, f := range files {
		if strings.HasPrefix(f.Path, prefix) {
			data := f.Data
			if hc != nil && f.Path == prefix+"kustomization.yaml" {
				if data, err = withoutChart(data); err != nil {
					return fmt.Errorf("%s: %w", f.Path, err)
				}
			}
			if err := put(f.Path, data); err != nil {
				return err
			}
		}
	}
	for p, data := range fx.Files {
		if err := put(p, data); err != nil {
			return err
		}
	}
	return nil
}

// withoutChart replaces the helmCharts entry of an overlay's
// kustomization.yaml by the fixture, written as kustomize/base/.
func withoutChart(data []byte) ([]byte, error) {
	k, err := DecodeKustomization(data)
	if err != nil {
		return nil, err
	}
	k.HelmCharts = nil
	k.Resources = append([]string{"../../base"}, k.Resources...)
	return yaml.Marshal(k)
}

// Scheme knows the Kubernetes types wigen's output and the fixture use.
var Scheme = func() *runtime.Scheme {
	sc := runtime.NewScheme()
	if err := corev1.AddToScheme(sc); err != nil {
		panic(err)
	}
	if err := appsv1.AddToScheme(sc); err != nil {
		panic(err)
	}
	return sc
}()

// strict decodes as the API server does with strict field validation:
// YAML to JSON, then case-sensitive JSON decoding into the registered Go
// type, refusing unknown and duplicate fields and any value of the wrong
// type (a boolean label value is an error: labels are strings).
var strict = kjson.NewSerializerWithOptions(kjson.DefaultMetaFactory, Scheme, Scheme,
	kjson.SerializerOptions{Yaml: true, Strict: true})

// Decode decodes one Kubernetes object from a YAML document, strictly (see
// strict). The kind must be one Scheme knows (ServiceAccount, Namespace,
// Service, StatefulSet, Deployment, ...).
func Decode(doc []byte) (runtime.Object, error) {
	obj, _, err := strict.Decode(doc, nil, nil)
	return obj, err
}

// DecodeAll splits multi-document YAML and decodes every non-empty
// document with Decode.
func DecodeAll(docs []byte) ([]runtime.Object, error) {
	parts, err := SplitDocuments(docs)
	if err != nil {
		return nil, err
	}
	var out []runtime.Object
	for i, d := range parts {
		o, err := Decode(d)
		if err != nil {
			return nil, fmt.Errorf("document %d: %w", i+1, err)
		}
		out = append(out, o)
	}
	return out, nil
}

// SplitDocuments splits multi-document YAML at its "---" separators and
// drops empty documents.
func SplitDocuments(docs []byte) ([][]byte, error) {
	r := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(docs)))
	var out [][]byte
	for {
		d, err := r.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		if len(bytes.TrimSpace(stripComments(d))) > 0 {
			out = append(out, d)
		}
	}
}

// DecodeKustomization decodes a kustomization.yaml as kustomize does
// (types.Kustomization.Unmarshal: YAML to JSON, unknown fields refused) and
// checks its kind and apiVersion (EnforceFields).
func DecodeKustomization(data []byte) (*types.Kustomization, error) {
	var k types.Kustomization
	if err := k.Unmarshal(data); err != nil {
		return nil, err
	}
	if errs := k.EnforceFields(); len(errs) > 0 {
		return nil, fmt.Errorf("kustomization: %s", strings.Join(errs, "; "))
	}
	return &k, nil
}

func stripComments(d []byte) []byte {
	var b bytes.Buffer
	for _, l := range bytes.Split(d, []byte("\n")) {
		if t := bytes.TrimSpace(l); len(t) > 0 && t[0] != '#' {
			b.Write(l)
			b.WriteByte('\n')
		}
	}
	return b.Bytes()
}

func find(files []output.File, p string) ([]byte, bool) {
	for _, f := range files {
		if f.Path == p {
			return f.Data, true
		}
	}
	return nil, false
}

func copyMap(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
