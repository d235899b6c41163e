package generate

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wigen-dev/wigen/schema"
)

const input = `apiVersion: wigen/v1alpha1
kind: WorkloadIdentity
metadata:
  name: open-webui
spec:
  targets: TARGETS
  chart:
    version: 16.0.0
    imageTag: v0.11.0
  azureOpenAI:
    accountId: /subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-ai-example/providers/Microsoft.CognitiveServices/accounts/aoai-example
    endpoint: https://aoai-example.openai.azure.com
    deployments: [gpt-4o]
  defaults:
    tenantId: 22222222-2222-2222-2222-222222222222
    subscriptionId: 11111111-1111-1111-1111-111111111111
    location: westeurope
    namespace: open-webui
    serviceAccount: open-webui
    cluster:
      resourceGroup: rg-aks
      issuer:
        fromCluster: true
  environments:
    - name: dev
      identity:
        name: id-open-webui-dev
      resourceGroup: rg-dev
      cluster:
        name: aks-dev
    - name: prod
      identity:
        name: id-open-webui-prod
        clientId: 44444444-4444-4444-4444-444444444444
      resourceGroup: rg-prod
      cluster:
        name: aks-prod
    - name: qa
      identity:
        name: id-open-webui-qa
      resourceGroup: rg-qa
      cluster:
        name: aks-qa
`

// TestSkipped: an environment without identity.clientId is one Skip,
// listing exactly the outputs of the enabled targets that need the client
// ID, none of which is rendered; an environment with one is rendered.
func TestSkipped(t *testing.T) {
	tests := []struct {
		targets string
		want    []Skip
	}{
		{"[terraform, helm, kustomize]", []Skip{
			{Index: 0, Env: "dev", Paths: []string{"helm/dev/values.yaml", "kustomize/overlays/dev/"}},
			{Index: 2, Env: "qa", Paths: []string{"helm/qa/values.yaml", "kustomize/overlays/qa/"}},
		}},
		{"[kustomize]", []Skip{
			{Index: 0, Env: "dev", Paths: []string{"kustomize/overlays/dev/"}},
			{Index: 2, Env: "qa", Paths: []string{"kustomize/overlays/qa/"}},
		}},
		{"[terraform]", nil},
		{"[argocd, flux]", []Skip{
			{Index: 0, Env: "dev", Paths: []string{"argocd/dev/application.yaml", "flux/dev/"}},
			{Index: 2, Env: "qa", Paths: []string{"argocd/qa/application.yaml", "flux/qa/"}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.targets, func(t *testing.T) {
			s, err := schema.LoadBytes("wigen.yaml", []byte(strings.Replace(input, "TARGETS", tt.targets, 1)))
			if err != nil {
				t.Fatal(err)
			}
			res, err := Render(s)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, res.Skipped); diff != "" {
				t.Errorf("Skipped (-want +got):\n%s", diff)
			}
			rendered := map[string]bool{}
			for _, f := range res.Files {
				rendered[f.Path] = true
			}
			for _, sk := range tt.want {
				for _, p := range sk.Paths {
					for _, f := range res.Files {
						if f.Path == p || strings.HasSuffix(p, "/") && strings.HasPrefix(f.Path, p) {
							t.Errorf("%s is skipped but rendered as %s", p, f.Path)
						}
					}
				}
			}
			// prod has its client ID: its outputs are there.
			for target, p := range map[string]string{
				schema.TargetHelm:      "helm/prod/values.yaml",
				schema.TargetKustomize: "kustomize/overlays/prod/kustomization.yaml",
				schema.TargetArgoCD:    "argocd/prod/application.yaml",
				schema.TargetFlux:      "flux/prod/helmrelease.yaml",
			} {
				if s.HasTarget(target) && !rendered[p] {
					t.Errorf("%s not rendered", p)
				}
			}
		})
	}
}

// TestPerEnvironmentTargets: each environment gets the files of its own
// targets only (golden/team-topology: dev and staging terraform and helm,
// prod terraform and kustomize, its overlay inflating the chart itself).
func TestPerEnvironmentTargets(t *testing.T) {
	s, err := schema.Load("../golden/team-topology/wigen.yaml")
	if err != nil {
		t.Fatal(err)
	}
	res, err := Render(s)
	if err != nil {
		t.Fatal(err)
	}
	top := map[string]map[string]bool{}
	for _, f := range res.Files {
		parts := strings.Split(f.Path, "/")
		if len(parts) < 3 {
			continue
		}
		env := parts[1]
		if parts[0] == "kustomize" {
			env = parts[len(parts)-2]
		}
		if top[parts[0]] == nil {
			top[parts[0]] = map[string]bool{}
		}
		top[parts[0]][env] = true
	}
	want := map[string]map[string]bool{
		"terraform":    {"dev": true, "staging": true, "prod": true},
		"helm":         {"dev": true, "staging": true},
		"kustomize":    {"prod": true},
		"environments": {"dev": true, "staging": true, "prod": true},
	}
	if d := cmp.Diff(want, top); d != "" {
		t.Errorf("folders by target (-want +got):\n%s", d)
	}
	if len(res.Skipped) != 0 {
		t.Errorf("skipped %v: dev's client ID is the one written in staging", res.Skipped)
	}
}

// TestRenderKeyOrder: chart.values keys whose order go.yaml.in/yaml/v2
// (sigs.k8s.io/yaml) changes from run to run, or sorts by the numbers in
// them, come out in byte order, the same bytes on every render, in every
// YAML file that carries them: the Terraform module's values file, the
// Helm values, the Kustomize overlay's values, and the values inline in the
// Argo CD Application and the Flux HelmRelease; from spec.chart.values,
// spec.defaults.chart.values and an environment's chart.values alike.
func TestRenderKeyOrder(t *testing.T) {
	values := `
  chart:
    version: 16.0.0
    imageTag: v0.11.0
    values:
      podAnnotations:
        q256MB: a
        q2GB: b
        q4GB: c
        "0123": d
        "1_000": e
        "123": f`
	data := strings.Replace(strings.Replace(input, "TARGETS", "[terraform, helm, kustomize, argocd, flux]", 1), `
  chart:
    version: 16.0.0
    imageTag: v0.11.0`, values, 1)
	data = strings.Replace(data, `
    serviceAccount: open-webui
`, `
    serviceAccount: open-webui
    chart:
      values:
        podLabels:
          team10: x
          team9: w
          "07": z
`, 1)
	data = strings.Replace(data, `
        clientId: 44444444-4444-4444-4444-444444444444
`, `
        clientId: 44444444-4444-4444-4444-444444444444
      chart:
        values:
          ingress:
            annotations:
              nginx.ingress.kubernetes.io/proxy-body-size: 2GB
              q10GB: a
              q1GB: b
              "1_000": c
              "0123": d
`, 1)
	s, err := schema.LoadBytes("wigen.yaml", []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	first, err := Render(s)
	if err != nil {
		t.Fatal(err)
	}
	prod := []string{"argocd/prod/application.yaml", "flux/prod/helmrelease.yaml", "helm/prod/values.yaml", "kustomize/overlays/prod/values.yaml", "terraform/prod/values.yaml"}
	every := []string{"argocd/prod/application.yaml", "flux/prod/helmrelease.yaml", "helm/prod/values.yaml", "kustomize/overlays/prod/values.yaml", "terraform/dev/values.yaml", "terraform/prod/values.yaml", "terraform/qa/values.yaml"}
	for _, b := range []struct {
		key, want string
		carriers  []string
	}{
		{"podAnnotations:", `podAnnotations:
  "0123": d
  "123": f
  "1_000": e
  q256MB: a
  q2GB: b
  q4GB: c
`, every},
		{"podLabels:", `podLabels:
  "07": z
  azure.workload.identity/use: "true"
  team10: x
  team9: w
`, every},
		{"annotations:", `annotations:
  "0123": d
  "1_000": c
  nginx.ingress.kubernetes.io/proxy-body-size: 2GB
  q10GB: a
  q1GB: b
`, prod},
	} {
		var carriers []string
		for _, f := range first.Files {
			got, ok := block(string(f.Data), b.key, b.want)
			if !ok {
				continue
			}
			carriers = append(carriers, f.Path)
			want := b.want
			if strings.HasPrefix(f.Path, "kustomize/") {
				// The overlay's values leave the Workload ID label to its patch.
				want = strings.Replace(want, "  azure.workload.identity/use: \"true\"\n", "", 1)
			}
			if b.key == "podAnnotations:" && !strings.HasPrefix(f.Path, "kustomize/") && !strings.HasPrefix(f.Path, "terraform/") {
				// The values with the client ID carry the pod template's
				// checksum/workload-identity (the overlay's patch and the
				// helm_release set it in the others), in its byte-order place.
				e := &s.Spec.Environments[envIndex(s, strings.Split(f.Path, "/")[1])]
				want = strings.Replace(want, "  q256MB: a\n", "  "+schema.AnnotationChecksum+": "+schema.WorkloadIdentityChecksum(e.Identity.ClientID, e.TenantID)+"\n  q256MB: a\n", 1)
			}
			if got != want {
				t.Errorf("%s: %s not in byte order:\n%s\nwant\n%s", f.Path, b.key, got, want)
			}
		}
		if diff := cmp.Diff(b.carriers, carriers); diff != "" {
			t.Errorf("files carrying %s (-want +got):\n%s", b.key, diff)
		}
	}
	for run := range 20 {
		again, err := Render(s)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(first.Files, again.Files); diff != "" {
			t.Fatalf("render %d differs from the first (-first +again):\n%s", run+2, diff)
		}
	}
}

// block finds in data the mapping key (a line "key:", at any indentation)
// whose first entry is want's, and returns it with the lines below it that
// are indented more, unindented as if key stood at column 0.
func block(data, key, want string) (string, bool) {
	lines := strings.SplitAfter(data, "\n")
	wantLines := strings.SplitAfter(want, "\n")
	for i, line := range lines {
		trimmed := strings.TrimLeft(line, " ")
		if trimmed != key+"\n" || i+1 >= len(lines) {
			continue
		}
		indent := len(line) - len(trimmed)
		if strings.TrimLeft(lines[i+1], " ") != strings.TrimLeft(wantLines[1], " ") {
			continue // another mapping of that key
		}
		out := trimmed
		for _, l := range lines[i+1:] {
			if len(l)-len(strings.TrimLeft(l, " ")) <= indent || strings.TrimSpace(l) == "" {
				break
			}
			out += l[indent:]
		}
		return out, true
	}
	return "", false
}

// envIndex is the index of environment name in s.
func envIndex(s *schema.Spec, name string) int {
	for i := range s.Spec.Environments {
		if s.Spec.Environments[i].Name == name {
			return i
		}
	}
	return -1
}
