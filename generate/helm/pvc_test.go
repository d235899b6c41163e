package helm

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"go.yaml.in/yaml/v3"
)

// Real-chart check of the keep policy (facts.md "Open WebUI Helm chart",
// PVC row): wigen's values reach the PVC the chart renders, for both
// reference charts. Runs `helm template` with the Helm 3 binary named by
// WIGEN_HELM3 on ../shared/reference/charts; skips without them, and fails
// in CI (WIGEN_CI=1). Small on purpose: the shared real-chart harness
// (issue 10) takes it over.

// helm3 returns the Helm 3 binary and the folder of the reference charts.
func helm3(t *testing.T) (bin, charts string) {
	t.Helper()
	bin = os.Getenv("WIGEN_HELM3")
	charts = filepath.Join("..", "..", "..", "shared", "reference", "charts")
	missing := ""
	if bin == "" {
		missing = "WIGEN_HELM3 (the path of a helm 3 binary) is not set"
	} else if _, err := os.Stat(charts); err != nil {
		missing = "the reference charts are not at " + charts
	}
	if missing != "" {
		if os.Getenv("WIGEN_CI") == "1" {
			t.Fatalf("%s (WIGEN_CI=1: the real-chart check must run)", missing)
		}
		t.Skipf("%s; skipping the real-chart PVC check", missing)
	}
	return bin, charts
}

// helmTemplate renders chart with values as release in namespace and
// returns the objects.
func helmTemplate(t *testing.T, bin, chart, release, namespace string, values map[string]any) []map[string]any {
	t.Helper()
	data, err := json.Marshal(values) // JSON is YAML
	if err != nil {
		t.Fatal(err)
	}
	vf := filepath.Join(t.TempDir(), "values.yaml")
	if err := os.WriteFile(vf, data, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "template", release, chart, "--namespace", namespace, "--values", vf)
	cmd.Env = append(os.Environ(), "HELM_CACHE_HOME="+t.TempDir(), "HELM_CONFIG_HOME="+t.TempDir(), "HELM_DATA_HOME="+t.TempDir())
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("helm template %s: %v\n%s", filepath.Base(chart), err, stderr.String())
	}
	var objs []map[string]any
	dec := yaml.NewDecoder(bytes.NewReader(out))
	for {
		var o map[string]any
		if err := dec.Decode(&o); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("helm template output: %v", err)
		}
		if o != nil {
			objs = append(objs, o)
		}
	}
	return objs
}

func field(o map[string]any, path ...string) any {
	var x any = o
	for _, p := range path {
		m, _ := x.(map[string]any)
		x = m[p]
	}
	return x
}

// claimOf returns the claim name of the workload's "data" volume.
func claimOf(objs []map[string]any) string {
	for _, o := range objs {
		if k := o["kind"]; k != "StatefulSet" && k != "Deployment" {
			continue
		}
		vols, _ := field(o, "spec", "template", "spec", "volumes").([]any)
		for _, v := range vols {
			if vm, _ := v.(map[string]any); vm["name"] == "data" {
				if c, ok := field(vm, "persistentVolumeClaim", "claimName").(string); ok {
					return c
				}
			}
		}
	}
	return ""
}

func TestPVCKeptInRealChart(t *testing.T) {
	bin, charts := helm3(t)
	const optOut = "    keepPersistentVolumeClaim: false"
	const existing = "    values:\n      persistence:\n        existingClaim: open-webui"
	for _, tc := range []struct {
		chart, tag, release, extra string
		// pvc is the PVC the chart creates ("" for none), keep whether it
		// carries helm.sh/resource-policy: keep.
		pvc  string
		keep bool
		// claim is what the workload mounts.
		claim string
	}{
		{chart: "7.2.0", tag: "v0.6.33", release: "open-webui", pvc: "open-webui", keep: true, claim: "open-webui"},
		{chart: "7.2.0", tag: "v0.6.33", release: "chat", pvc: "open-webui", keep: true, claim: "open-webui"},
		{chart: "16.0.0", tag: "v0.11.0", release: "open-webui", pvc: "open-webui", keep: true, claim: "open-webui"},
		{chart: "16.0.0", tag: "v0.11.0", release: "chat", pvc: "chat-open-webui", keep: true, claim: "chat-open-webui"},
		{chart: "16.0.0", tag: "v0.11.0", release: "open-webui", extra: optOut, pvc: "open-webui", claim: "open-webui"},
		{chart: "7.2.0", tag: "v0.6.33", release: "chat", extra: existing, claim: "open-webui"},
		{chart: "16.0.0", tag: "v0.11.0", release: "chat", extra: existing, claim: "open-webui"},
	} {
		t.Run(tc.chart+"/"+tc.release+"/"+tc.extra, func(t *testing.T) {
			s := spec(t, tc.chart, tc.tag, tc.extra, "", clientID)
			s.Metadata.Name = tc.release
			e := &s.Spec.Environments[0]
			objs := helmTemplate(t, bin, filepath.Join(charts, "open-webui-"+tc.chart+".tgz"), s.ReleaseName(), e.Namespace, Values(s, e, Standalone))
			var pvcs []map[string]any
			for _, o := range objs {
				if o["kind"] == "PersistentVolumeClaim" {
					pvcs = append(pvcs, o)
				}
			}
			switch {
			case tc.pvc == "" && len(pvcs) > 0:
				t.Fatalf("the chart rendered %d PVCs, want none (existingClaim)", len(pvcs))
			case tc.pvc == "":
			case len(pvcs) != 1:
				t.Fatalf("the chart rendered %d PVCs, want 1", len(pvcs))
			default:
				if name := field(pvcs[0], "metadata", "name"); name != tc.pvc || name != s.Fullname() {
					t.Errorf("PVC %v, want %s (schema.Fullname %s)", name, tc.pvc, s.Fullname())
				}
				got := field(pvcs[0], "metadata", "annotations", "helm.sh/resource-policy")
				if tc.keep && got != "keep" {
					t.Errorf("PVC annotations %v: want helm.sh/resource-policy: keep", field(pvcs[0], "metadata", "annotations"))
				}
				if !tc.keep && got != nil {
					t.Errorf("PVC annotations %v: opted out, want no resource policy", field(pvcs[0], "metadata", "annotations"))
				}
			}
			if c := claimOf(objs); c != tc.claim {
				t.Errorf("workload mounts claim %q, want %q", c, tc.claim)
			}
		})
	}
}
