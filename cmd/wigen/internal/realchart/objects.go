package realchart

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"

	"github.com/wigen-dev/wigen/cmd/wigen/internal/lint"
	"github.com/wigen-dev/wigen/schema"
)

// Documents splits multi-document YAML at its "---" lines (as kubectl
// does) and decodes each non-empty document into a generic object.
func Documents(t testing.TB, data []byte) []map[string]any {
	t.Helper()
	r := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(data)))
	var out []map[string]any
	for {
		d, err := r.Read()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := yaml.Unmarshal(d, &m); err != nil {
			t.Fatalf("%v\n%s", err, d)
		}
		if len(m) > 0 {
			out = append(out, m)
		}
	}
}

// ID is kind/namespace/name of a generic object.
func ID(o map[string]any) string {
	meta, _ := o["metadata"].(map[string]any)
	ns, _ := meta["namespace"].(string)
	name, _ := meta["name"].(string)
	kind, _ := o["kind"].(string)
	return kind + "/" + ns + "/" + name
}

// ByID indexes the documents of data by ID; an ID twice fails the test.
func ByID(t testing.TB, data []byte) map[string]map[string]any {
	t.Helper()
	out := map[string]map[string]any{}
	for _, o := range Documents(t, data) {
		id := ID(o)
		if _, dup := out[id]; dup {
			t.Fatalf("%s twice in one stream", id)
		}
		out[id] = o
	}
	return out
}

// CheckNamespace reports (t.Errorf) every place in st that names another
// namespace than ns: an object's metadata.namespace, a Namespace object's
// name, any other "namespace" field, and any in-cluster service host
// (<service>.<namespace>.svc...) in any string, which the open-webui chart
// builds from the namespace it is rendered with.
func CheckNamespace(t testing.TB, ns string, st Stream) {
	t.Helper()
	for _, o := range Documents(t, st.Data) {
		id := ID(o)
		if o["kind"] == "Namespace" {
			if meta, _ := o["metadata"].(map[string]any); meta["name"] != ns {
				t.Errorf("%s: %s: a Namespace other than %s", st.Name(), id, ns)
			}
		}
		walkStrings(o, "", func(p, key, v string) {
			if key == "namespace" && v != ns {
				t.Errorf("%s: %s: %s is %q, want %q", st.Name(), id, p, v, ns)
			}
			for _, h := range lint.ServiceHosts(v) {
				if h[1] != ns {
					t.Errorf("%s: %s: %s = %q names service %s in namespace %s, want namespace %s", st.Name(), id, p, v, h[0], h[1], ns)
				}
			}
		})
	}
}

// walkStrings calls f with the path, the key and the value of every string
// in x.
func walkStrings(x any, p string, f func(p, key, v string)) {
	switch t := x.(type) {
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			kp := k
			if p != "" {
				kp = p + "." + k
			}
			if s, ok := t[k].(string); ok {
				f(kp, k, s)
				continue
			}
			walkStrings(t[k], kp, f)
		}
	case []any:
		for i, v := range t {
			ip := fmt.Sprintf("%s[%d]", p, i)
			if s, ok := v.(string); ok {
				f(ip, "", s)
				continue
			}
			walkStrings(v, ip, f)
		}
	}
}

// Shape is what Workload ID depends on in one rendering of an environment;
// every path must render the same.
type Shape struct {
	// ServiceAccount is the environment's service account: its name and
	// its azure.workload.identity/* annotations.
	ServiceAccount string
	Annotations    map[string]string
	// Kind and Name of the workload running as it, its pod template's
	// serviceAccountName and azure.workload.identity/use label.
	Kind, Name, ServiceAccountName, UseLabel string
	// Env holds, per container of the workload ("init:<name>" for an init
	// container), the names of its env variables in order; EnvValues their
	// values (a value from a Secret or a field reads as "").
	Env       map[string][]string
	EnvValues map[string]map[string]string
	// Checksum is the pod template's checksum/workload-identity annotation
	// (schema.AnnotationChecksum); WorkloadChecksum the same key on the
	// workload's own metadata, where it rolls nothing ("" when absent).
	Checksum, WorkloadChecksum string
}

// ShapeOf reads the Shape of environment e from st: the ServiceAccount
// named e.ServiceAccount, and the one StatefulSet or Deployment whose pods
// run as it. Either missing, or two such workloads, fails the test.
func ShapeOf(t testing.TB, e *schema.Environment, st Stream) Shape {
	t.Helper()
	var sh Shape
	found := 0
	for _, o := range Documents(t, st.Data) {
		js, err := json.Marshal(o)
		if err != nil {
			t.Fatal(err)
		}
		var tmpl *corev1.PodTemplateSpec
		switch o["kind"] {
		case "ServiceAccount":
			var sa corev1.ServiceAccount
			if err := json.Unmarshal(js, &sa); err != nil {
				t.Fatalf("%s: %s: %v", st.Name(), ID(o), err)
			}
			if sa.Name == e.ServiceAccount {
				sh.ServiceAccount = sa.Name
				sh.Annotations = map[string]string{}
				for k, v := range sa.Annotations {
					if strings.HasPrefix(k, schema.AnnotationPrefix) {
						sh.Annotations[k] = v
					}
				}
			}
			continue
		case "StatefulSet":
			var w appsv1.StatefulSet
			if err := json.Unmarshal(js, &w); err != nil {
				t.Fatalf("%s: %s: %v", st.Name(), ID(o), err)
			}
			tmpl = &w.Spec.Template
		case "Deployment":
			var w appsv1.Deployment
			if err := json.Unmarshal(js, &w); err != nil {
				t.Fatalf("%s: %s: %v", st.Name(), ID(o), err)
			}
			tmpl = &w.Spec.Template
		default:
			continue
		}
		if tmpl.Spec.ServiceAccountName != e.ServiceAccount {
			continue
		}
		found++
		meta, _ := o["metadata"].(map[string]any)
		sh.Kind, _ = o["kind"].(string)
		sh.Name, _ = meta["name"].(string)
		sh.ServiceAccountName = tmpl.Spec.ServiceAccountName
		sh.UseLabel = tmpl.Labels[schema.LabelUse]
		sh.Checksum = tmpl.Annotations[schema.AnnotationChecksum]
		if ann, ok := meta["annotations"].(map[string]any); ok {
			sh.WorkloadChecksum, _ = ann[schema.AnnotationChecksum].(string)
		}
		sh.Env = map[string][]string{}
		sh.EnvValues = map[string]map[string]string{}
		for _, c := range tmpl.Spec.InitContainers {
			sh.Env["init:"+c.Name], sh.EnvValues["init:"+c.Name] = envNames(c), envValues(c)
		}
		for _, c := range tmpl.Spec.Containers {
			sh.Env[c.Name], sh.EnvValues[c.Name] = envNames(c), envValues(c)
		}
	}
	if sh.ServiceAccount == "" {
		t.Fatalf("%s: no ServiceAccount %s", st.Name(), e.ServiceAccount)
	}
	if found != 1 {
		t.Fatalf("%s: %d StatefulSets or Deployments run as %s, want 1", st.Name(), found, e.ServiceAccount)
	}
	return sh
}

func envNames(c corev1.Container) []string {
	out := []string{}
	for _, ev := range c.Env {
		out = append(out, ev.Name)
	}
	return out
}

func envValues(c corev1.Container) map[string]string {
	out := map[string]string{}
	for _, ev := range c.Env {
		out[ev.Name] = ev.Value
	}
	return out
}
