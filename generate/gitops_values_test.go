package generate

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
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

// gitopsInput renders every target for three environments with values of
// their own, one of them without a client ID.
const gitopsInput = `apiVersion: wigen/v1alpha1
kind: WorkloadIdentity
metadata: {name: open-webui}
spec:
  targets: [helm, argocd, flux]
  chart:
    version: 16.0.0
    imageTag: v0.11.0
    values:
      ingress: {enabled: true, class: nginx, host: chat.example.com}
      extraEnvVars: [{name: LOG_LEVEL, value: "on"}]
  azureOpenAI:
    accountId: /subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/aoai
    endpoint: https://aoai.openai.azure.com
    deployments: [gpt-4o, o3-mini]
  defaults:
    tenantId: 22222222-2222-2222-2222-222222222222
    subscriptionId: 11111111-1111-1111-1111-111111111111
    location: westeurope
    resourceGroup: rg-app
    serviceAccount: open-webui
    cluster: {name: aks, resourceGroup: rg-aks, issuer: {fromCluster: true}}
  environments:
    - name: dev
      namespace: open-webui-dev
      identity: {name: id-dev, clientId: 33333333-3333-3333-3333-333333333333}
      chart: {values: {ingress: {host: chat.dev.example.com}, resources: {requests: {cpu: 250m, memory: 512Mi}}}}
    - name: qa
      namespace: open-webui-qa
      identity: {name: id-qa}
    - name: prod
      namespace: open-webui
      identity: {name: id-prod, clientId: 44444444-4444-4444-4444-444444444444}
      chart: {values: {persistence: {size: 50Gi}, podAnnotations: {azure.workload.identity/service-account-token-expiration: "7200"}}}
`

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
	res, err := Render(s)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, f := range res.Files {
		files[f.Path] = f.Data
	}
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
		gv.argocd = marshal(t, app.Spec.Source.Helm.ValuesObject)
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
// three, the client ID and the environment's own values included.
func TestGitOpsValuesAreTheHelmValues(t *testing.T) {
	s, err := schema.LoadBytes("wigen.yaml", []byte(gitopsInput))
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

// TestGitOpsValuesRenderLikeTheHelmValues renders the chart with helm 3
// (WIGEN_HELM3, the path of a helm 3 binary) and the real chart, once with
// helm/<env>/values.yaml and once with the values taken from the Argo CD
// Application and from the Flux HelmRelease: the manifests must be
// identical. Without WIGEN_HELM3 or the chart it skips, except in CI
// (WIGEN_CI=1), where it fails.
func TestGitOpsValuesRenderLikeTheHelmValues(t *testing.T) {
	bin := os.Getenv("WIGEN_HELM3")
	chart := filepath.Join("..", "..", "shared", "reference", "charts", "open-webui-16.0.0.tgz")
	missing := ""
	switch _, err := os.Stat(chart); {
	case bin == "":
		missing = "WIGEN_HELM3 (the path of a helm 3 binary) is not set"
	case err != nil:
		missing = fmt.Sprintf("the real chart %s is missing: %v", chart, err)
	}
	if missing != "" {
		if os.Getenv("WIGEN_CI") == "1" {
			t.Fatalf("%s; CI (WIGEN_CI=1) needs it", missing)
		}
		t.Skipf("%s; skipping the real-chart comparison", missing)
	}
	s, err := schema.LoadBytes("wigen.yaml", []byte(gitopsInput))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	template := func(e *schema.Environment, name string, values []byte) []byte {
		t.Helper()
		vf := filepath.Join(dir, e.Name+"-"+name+".yaml")
		if err := os.WriteFile(vf, values, 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(bin, "template", s.ReleaseName(), chart, "--namespace", e.Namespace, "--values", vf)
		cmd.Env = append(os.Environ(), "HELM_CACHE_HOME="+filepath.Join(dir, "cache"), "HELM_CONFIG_HOME="+filepath.Join(dir, "config"), "HELM_DATA_HOME="+filepath.Join(dir, "data"))
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("helm template with the %s values of %s: %v\n%s", name, e.Name, err, stderr.Bytes())
		}
		return out
	}
	for _, gv := range collectGitOpsValues(t, s) {
		want := template(gv.env, "helm", gv.helmFile)
		if !bytes.Contains(want, []byte(gv.env.Identity.ClientID)) {
			t.Errorf("%s: the chart rendered no client ID", gv.env.Name)
		}
		for name, v := range map[string][]byte{"argocd": gv.argocd, "flux": gv.fluxValue} {
			if got := template(gv.env, name, v); !bytes.Equal(want, got) {
				t.Errorf("%s: helm template with the %s values differs from the Helm values file's (-helm +%s):\n%s", gv.env.Name, name, name, cmp.Diff(lines(want), lines(got)))
			}
		}
	}
}

func lines(b []byte) []string { return strings.SplitAfter(string(b), "\n") }
