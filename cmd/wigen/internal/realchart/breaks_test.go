package realchart

import (
	"bytes"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/yaml"

	"github.com/wigen-dev/wigen/generate/kustomize"
	"github.com/wigen-dev/wigen/schema"
)

// oneStream renders environment e of c once through the real chart: the
// Kustomize overlay with krusty and Helm 4 when it is rendered, else the
// first of Streams (the Terraform module's release, else the Helm values,
// the Argo CD Application or the Flux HelmRelease, with Helm 3); ok is
// false when nothing rendered for e installs the app (an Azure-only module
// whose other targets wait for the client ID).
func oneStream(t *testing.T, c Case, e *schema.Environment) (st Stream, ok bool) {
	t.Helper()
	dir := kustomize.OverlayDir(e.Name)
	if fileData(c.Files, path.Join(dir, kustomize.KustomizationFile)) != nil {
		h := Helm4(t)
		overlay := filepath.Join(WriteTree(t, c.Files), filepath.FromSlash(dir))
		PlaceCharts(t, overlay)
		return Stream{PathKustomize, "krusty, " + h.String(), h.Krusty(t, overlay)}, true
	}
	if streams := Streams(t, c.Spec, c.Files, e); len(streams) > 0 {
		return streams[0], true
	}
	return Stream{}, false
}

// edited decodes st, lets edit change its documents, and encodes them again.
func edited(t *testing.T, st Stream, edit func(docs []map[string]any)) Stream {
	t.Helper()
	docs := Documents(t, st.Data)
	edit(docs)
	var parts [][]byte
	for _, d := range docs {
		y, err := yaml.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		parts = append(parts, y)
	}
	st.Data = bytes.Join(parts, []byte("---\n"))
	return st
}

// at walks keys down from m, creating mappings where missing.
func at(m map[string]any, keys ...string) map[string]any {
	for _, k := range keys {
		next, ok := m[k].(map[string]any)
		if !ok {
			next = map[string]any{}
			m[k] = next
		}
		m = next
	}
	return m
}

// appWorkload returns the document of the workload running as e's service account.
func appWorkload(t *testing.T, docs []map[string]any, e *schema.Environment) map[string]any {
	t.Helper()
	for _, d := range docs {
		if (d["kind"] == "StatefulSet" || d["kind"] == "Deployment") && at(d, "spec", "template", "spec")["serviceAccountName"] == e.ServiceAccount {
			return d
		}
	}
	t.Fatal("no workload runs as " + e.ServiceAccount)
	return nil
}

func appServiceAccount(t *testing.T, docs []map[string]any, e *schema.Environment) map[string]any {
	t.Helper()
	for _, d := range docs {
		if d["kind"] == "ServiceAccount" && at(d, "metadata")["name"] == e.ServiceAccount {
			return d
		}
	}
	t.Fatal("no ServiceAccount " + e.ServiceAccount)
	return nil
}

// appEnv returns the env list of the app container (named after the chart).
func appEnv(t *testing.T, w map[string]any, container string) []any {
	t.Helper()
	for _, c := range at(w, "spec", "template", "spec")["containers"].([]any) {
		if c.(map[string]any)["name"] == container {
			env, _ := c.(map[string]any)["env"].([]any)
			return env
		}
	}
	t.Fatal("no container " + container)
	return nil
}

func setAppEnv(w map[string]any, container string, env []any) {
	for _, c := range at(w, "spec", "template", "spec")["containers"].([]any) {
		if c.(map[string]any)["name"] == container {
			c.(map[string]any)["env"] = env
		}
	}
}

// TestBrokenRenderingsAreFound breaks what the real chart renders for each
// golden environment the ways people break it by hand, and checks that
// wigen lint reports each break with the right ID, and nothing else.
func TestBrokenRenderingsAreFound(t *testing.T) {
	type breakCase struct {
		name string
		// want lists "ID object" with object "workload" or "sa".
		want  []string
		apply func(t *testing.T, docs []map[string]any, s *schema.Spec, e *schema.Environment)
	}
	cases := []breakCase{
		{"label removed", []string{"WI020 workload"}, func(t *testing.T, docs []map[string]any, s *schema.Spec, e *schema.Environment) {
			delete(at(appWorkload(t, docs, e), "spec", "template", "metadata", "labels"), schema.LabelUse)
		}},
		{"label made a boolean", []string{"WI023 workload"}, func(t *testing.T, docs []map[string]any, s *schema.Spec, e *schema.Environment) {
			at(appWorkload(t, docs, e), "spec", "template", "metadata", "labels")[schema.LabelUse] = true
		}},
		{"label moved into the selector", []string{"WI024 workload"}, func(t *testing.T, docs []map[string]any, s *schema.Spec, e *schema.Environment) {
			at(appWorkload(t, docs, e), "spec", "selector", "matchLabels")[schema.LabelUse] = schema.LabelUseValue
		}},
		{"annotation misspelled", []string{"WI002 sa", "WI010 sa"}, func(t *testing.T, docs []map[string]any, s *schema.Spec, e *schema.Environment) {
			ann := at(appServiceAccount(t, docs, e), "metadata", "annotations")
			v, ok := ann[schema.AnnotationClientID]
			if !ok {
				t.Fatal("the rendered ServiceAccount lacks the client-id annotation already")
			}
			delete(ann, schema.AnnotationClientID)
			ann["azure.workload.identity/client_id"] = v
		}},
		{"checksum annotation removed", []string{"WI027 workload"}, func(t *testing.T, docs []map[string]any, s *schema.Spec, e *schema.Environment) {
			ann := at(appWorkload(t, docs, e), "spec", "template", "metadata", "annotations")
			if _, ok := ann[schema.AnnotationChecksum]; !ok {
				t.Fatal("the rendered pod template lacks the checksum annotation already")
			}
			delete(ann, schema.AnnotationChecksum)
		}},
		{"checksum of the old client ID", []string{"WI028 workload"}, func(t *testing.T, docs []map[string]any, s *schema.Spec, e *schema.Environment) {
			at(appWorkload(t, docs, e), "spec", "template", "metadata", "annotations")[schema.AnnotationChecksum] = schema.WorkloadIdentityChecksum("99999999-8888-7777-6666-555555555555", e.TenantID)
		}},
		{"service account renamed in the pod spec", []string{"WI025 workload"}, func(t *testing.T, docs []map[string]any, s *schema.Spec, e *schema.Environment) {
			at(appWorkload(t, docs, e), "spec", "template", "spec")["serviceAccountName"] = e.ServiceAccount + "-renamed"
		}},
		{"the chart's dummy key back", []string{"WI031 workload"}, func(t *testing.T, docs []map[string]any, s *schema.Spec, e *schema.Environment) {
			w := appWorkload(t, docs, e)
			setAppEnv(w, s.Spec.Chart.Name, append(appEnv(t, w, s.Spec.Chart.Name), map[string]any{"name": schema.EnvOpenAIKey, "value": "0p3n-w3bu!"}))
		}},
		{"an in-cluster URL of namespace default", []string{"WI032 workload"}, func(t *testing.T, docs []map[string]any, s *schema.Spec, e *schema.Environment) {
			w := appWorkload(t, docs, e)
			setAppEnv(w, s.Spec.Chart.Name, append(appEnv(t, w, s.Spec.Chart.Name), map[string]any{"name": "REDIS_URL", "value": "redis://" + s.FullnameFor(e) + "-redis.default.svc.cluster.local:6379/0"}))
		}},
	}
	for _, c := range GoldenCases(t) {
		for i := range c.Spec.Spec.Environments {
			e := &c.Spec.Spec.Environments[i]
			t.Run(c.Name+"/"+e.Name, func(t *testing.T) {
				t.Parallel()
				st, ok := oneStream(t, c, e)
				if !ok {
					return // nothing to break: TestGoldenThroughRealCharts checks that no path is due
				}
				docs := Documents(t, st.Data)
				w := appWorkload(t, docs, e)
				workload := w["kind"].(string) + "/" + e.Namespace + "/" + at(w, "metadata")["name"].(string)
				sa := "ServiceAccount/" + e.Namespace + "/" + e.ServiceAccount
				for _, bc := range cases {
					broken := edited(t, st, func(docs []map[string]any) { bc.apply(t, docs, c.Spec, e) })
					var want []string
					for _, x := range bc.want {
						id, obj, _ := strings.Cut(x, " ")
						want = append(want, id+" "+map[string]string{"workload": workload, "sa": sa}[obj])
					}
					got := ids(Lint(t, c.Spec, e, broken))
					sort.Strings(want)
					sort.Strings(got)
					if diff := cmp.Diff(want, got); diff != "" {
						t.Errorf("%s: findings (-want +got):\n%s", bc.name, diff)
					}
				}
			})
		}
	}
}
