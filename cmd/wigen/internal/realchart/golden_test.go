package realchart

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wigen-dev/wigen/cmd/wigen/internal/lint"

	"github.com/wigen-dev/wigen/generate/helm"
	"github.com/wigen-dev/wigen/schema"
)

// TestGoldenThroughRealCharts renders every environment of every golden
// case along every path with every tool (Streams) through the real chart
// of the case's version, and checks what users would apply: wigen lint
// finds nothing, warnings included; every object and in-cluster URL is in
// the environment's namespace; the chart's own OpenAI URL and key are not
// in the app's env; the pod template carries checksum/workload-identity of
// the client ID and tenant ID, connection i lines up across the three
// variables and spec.openWebUI's env is there as asked (CheckAppConfig);
// every path (Terraform, Helm, Kustomize, and the values
// inline in the Argo CD Application and the Flux HelmRelease) agrees on
// what Workload ID depends on;
// one path gives the same objects with Helm 3 and Helm 4, and with
// kustomize 5.5 (kubectl) and krusty.
func TestGoldenThroughRealCharts(t *testing.T) {
	cases := GoldenCases(t)
	versions := map[string]bool{}
	for _, c := range cases {
		versions[c.Spec.Spec.Chart.Version] = true
		for i := range c.Spec.Spec.Environments {
			e := &c.Spec.Spec.Environments[i]
			t.Run(c.Name+"/"+e.Name, func(t *testing.T) {
				t.Parallel()
				streams := Streams(t, c.Spec, c.Files, e)
				checkPathsRun(t, c.Spec, e, streams)
				for _, st := range streams {
					RequireClean(t, c.Spec, e, st)
					CheckNamespace(t, e.Namespace, st)
					checkNoChartOpenAIEnv(t, c.Spec, e, st)
					CheckAppConfig(t, c.Spec, e, st)
				}
				checkPathsAgree(t, e, streams)
				checkToolsAgree(t, streams)
			})
		}
	}
	// Both reference charts are exercised by some golden case.
	for _, v := range []string{"7.2.0", "16.0.0"} {
		if !versions[v] {
			t.Errorf("no golden case uses chart %s", v)
		}
	}
}

// checkPathsRun: every path the case renders for e ran, with each tool.
func checkPathsRun(t *testing.T, s *schema.Spec, e *schema.Environment, streams []Stream) {
	t.Helper()
	want := map[string]int{}
	if e.TerraformRelease() {
		want[PathTerraform] = 2 // Helm 3, Helm 4
	}
	for target, p := range map[string]string{schema.TargetHelm: PathHelm, schema.TargetArgoCD: PathArgoCD, schema.TargetFlux: PathFlux} {
		if helm.HasClientID(e) && e.HasTarget(target) {
			want[p] = 2
		}
	}
	if helm.HasClientID(e) && e.HasTarget(schema.TargetKustomize) {
		want[PathKustomize] = 3 // krusty with Helm 3 and Helm 4, kubectl with Helm 3
	}
	got := map[string]int{}
	for _, st := range streams {
		got[st.Path]++
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("streams per path (-want +got):\n%s", diff)
	}
}

// checkNoChartOpenAIEnv: the app container holds none of the chart's own
// OpenAI variables (OPENAI_API_BASE_URL, the public OpenAI API;
// OPENAI_API_KEY, a dummy key), and holds the connection wigen presets
// exactly when the app reads it (0.10.2). An OPENAI_API_BASE_URL that
// names a Service the stream renders in the environment's namespace is the
// chart's Pipelines endpoint (templates/_helpers.tpl
// pipelines.serviceEndpoint): an environment that adopts an installed
// release keeps the Pipelines subchart on (schema.Environment.AdoptsRelease),
// as the release runs it.
func checkNoChartOpenAIEnv(t *testing.T, s *schema.Spec, e *schema.Environment, st Stream) {
	t.Helper()
	sh := ShapeOf(t, e, st)
	app, ok := sh.Env[s.Spec.Chart.Name]
	if !ok {
		t.Fatalf("%s: no container %s in %s %s", st.Name(), s.Spec.Chart.Name, sh.Kind, sh.Name)
	}
	if url := sh.EnvValues[s.Spec.Chart.Name]["OPENAI_API_BASE_URL"]; url != "" && e.AdoptsRelease() && rendersService(t, st, url, e.Namespace) {
		app = slices.DeleteFunc(slices.Clone(app), func(n string) bool { return n == "OPENAI_API_BASE_URL" })
	}
	for _, bad := range []string{"OPENAI_API_BASE_URL", schema.EnvOpenAIKey} {
		if slices.Contains(app, bad) {
			t.Errorf("%s: container %s sets %s (the chart's own; wigen keeps it out)", st.Name(), s.Spec.Chart.Name, bad)
		}
	}
	for _, name := range []string{helm.EnvBaseURLs, helm.EnvKeys, helm.EnvConfigs} {
		if got := slices.Contains(app, name); got != s.Spec.Chart.App.ConnectionFromEnv {
			t.Errorf("%s: container %s sets %s: %v, want %v (Open WebUI %s)", st.Name(), s.Spec.Chart.Name, name, got, s.Spec.Chart.App.ConnectionFromEnv, s.Spec.Chart.App.Version)
		}
	}
}

// rendersService reports whether url names only in-cluster Services of
// namespace ns (lint.ServiceHosts) that st renders.
func rendersService(t *testing.T, st Stream, url, ns string) bool {
	t.Helper()
	hosts := lint.ServiceHosts(url)
	if len(hosts) == 0 {
		return false
	}
	services := map[string]bool{}
	for _, o := range Documents(t, st.Data) {
		if o["kind"] == "Service" {
			if name, ok := field(o, "metadata", "name").(string); ok {
				services[name] = true
			}
		}
	}
	for _, h := range hosts {
		if h[1] != ns || !services[h[0]] {
			return false
		}
	}
	return true
}

// checkPathsAgree: the service account, the workload and the env names
// are the same whichever path rendered them.
func checkPathsAgree(t *testing.T, e *schema.Environment, streams []Stream) {
	t.Helper()
	if len(streams) == 0 {
		return // nothing rendered for e installs the app yet (checkPathsRun agrees)
	}
	first := ShapeOf(t, e, streams[0])
	if first.UseLabel != schema.LabelUseValue {
		t.Errorf("%s: pod label %s = %q, want %q", streams[0].Name(), schema.LabelUse, first.UseLabel, schema.LabelUseValue)
	}
	for _, st := range streams[1:] {
		if diff := cmp.Diff(first, ShapeOf(t, e, st)); diff != "" {
			t.Errorf("%s and %s disagree (-%s +%s):\n%s", streams[0].Name(), st.Name(), streams[0].Path, st.Path, diff)
		}
	}
}

// checkToolsAgree: one path renders the same objects whatever the tools
// (Helm 3 or 4; krusty or kubectl's kustomize).
func checkToolsAgree(t *testing.T, streams []Stream) {
	t.Helper()
	first := map[string]Stream{}
	for _, st := range streams {
		f, ok := first[st.Path]
		if !ok {
			first[st.Path] = st
			continue
		}
		if diff := cmp.Diff(ByID(t, f.Data), ByID(t, st.Data)); diff != "" {
			t.Errorf("%s and %s render different objects (-first +second):\n%s", f.Name(), st.Name(), diff)
		}
	}
}
