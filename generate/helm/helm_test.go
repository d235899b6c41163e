package helm

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/yaml"

	"github.com/wigen-dev/wigen/generate/output"
	"github.com/wigen-dev/wigen/schema"
)

// spec loads a one-environment wigen.yaml with the given chart version,
// image tag, extra chart lines (indented under chart:), targets line and
// identity lines (indented under identity:).
func spec(t *testing.T, chartVersion, imageTag, chartExtra, targets, identity string) *schema.Spec {
	t.Helper()
	src := fmt.Sprintf(`apiVersion: wigen/v1alpha1
kind: WorkloadIdentity
metadata:
  name: open-webui
spec:
%s
  chart:
    version: %s
    imageTag: %s
%s
  azureOpenAI:
    accountId: /subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/aoai
    endpoint: https://aoai.openai.azure.com/
    apiVersion: "2024-10-21"
    deployments: [gpt-4o, gpt-4o-mini]
  environments:
    - name: prod
      tenantId: 22222222-2222-2222-2222-222222222222
      subscriptionId: 11111111-1111-1111-1111-111111111111
      location: westeurope
      resourceGroup: rg-app
      namespace: apps
      serviceAccount: webui
      identity:
        name: id-webui
%s
      cluster:
        name: aks-1
        issuer:
          url: https://westeurope.oic.prod-aks.azure.com/22222222-2222-2222-2222-222222222222/44444444-4444-4444-4444-444444444444/
`, targets, chartVersion, imageTag, chartExtra, identity)
	s, err := schema.LoadBytes("wigen.yaml", []byte(src))
	if err != nil {
		t.Fatalf("load:\n%s\n%v", src, err)
	}
	return s
}

const clientID = "        clientId: 33333333-3333-3333-3333-333333333333"

// asJSON normalises a values tree as a YAML consumer sees it.
func asJSON(t *testing.T, v any) any {
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

func env(name, value string) map[string]any { return map[string]any{"name": name, "value": value} }

func TestValuesByAppVersion(t *testing.T) {
	const configs = `{"0":{"api_version":"2024-10-21","auth_type":"microsoft_entra_id","azure":true,"enable":true,"model_ids":["gpt-4o","gpt-4o-mini"]}}`
	tokenEnv := env("AZURE_TOKEN_CREDENTIALS", "WorkloadIdentityCredential")
	for _, tc := range []struct {
		name, chart, tag string
		want             []any
	}{
		// 0.6.30 has Entra ID connections but not AZURE_TOKEN_CREDENTIALS:
		// the empty list still replaces the chart's dummy OPENAI_API_KEY.
		{"0.6.30", "7.2.0", "v0.6.30", []any{}},
		// The tutorial: token credentials only; the connection is made in the UI.
		{"0.6.33", "7.2.0", "v0.6.33", []any{tokenEnv}},
		{"0.10.1", "15.1.0", "v0.10.1", []any{tokenEnv}},
		// From 0.10.2 the connection is preset by env.
		{"0.10.2", "16.0.0", "0.10.2", []any{tokenEnv, env("OPENAI_API_BASE_URLS", "https://aoai.openai.azure.com"), env("OPENAI_API_KEYS", ""), env("OPENAI_API_CONFIGS", configs)}},
		{"0.11.0", "16.0.0", "v0.11.0", []any{tokenEnv, env("OPENAI_API_BASE_URLS", "https://aoai.openai.azure.com"), env("OPENAI_API_KEYS", ""), env("OPENAI_API_CONFIGS", configs)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := spec(t, tc.chart, tc.tag, "", "", clientID)
			e := &s.Spec.Environments[0]
			for _, m := range []Mode{ForTerraform, Standalone} {
				got := Values(s, e, m)["extraEnvVars"]
				if diff := cmp.Diff(asJSON(t, tc.want), asJSON(t, got)); diff != "" {
					t.Errorf("mode %d extraEnvVars (-want +got):\n%s", m, diff)
				}
			}
			// An overlay's chart gets the same env.
			if diff := cmp.Diff(asJSON(t, tc.want), asJSON(t, Values(s, e, KustomizeChart)["extraEnvVars"])); diff != "" {
				t.Errorf("KustomizeChart extraEnvVars (-want +got):\n%s", diff)
			}
		})
	}
}

func TestValuesModes(t *testing.T) {
	s := spec(t, "7.2.0", "v0.6.33", "", "", clientID)
	e := &s.Spec.Environments[0]
	wantSA := func(ann map[string]any) map[string]any {
		sa := map[string]any{"enable": true, "name": "webui"}
		if ann != nil {
			sa["annotations"] = ann
		}
		return sa
	}
	common := map[string]any{
		"image":        map[string]any{"tag": "v0.6.33"},
		"extraEnvVars": []any{env("AZURE_TOKEN_CREDENTIALS", "WorkloadIdentityCredential")},
		"ollama":       map[string]any{"enabled": false},
		"pipelines":    map[string]any{"enabled": false},
		// Chart 7.2.0 has no openaiApiKey; its dummy key is extraEnvVars' default.
		"openaiBaseApiUrl": "",
		"persistence":      map[string]any{"annotations": map[string]any{"helm.sh/resource-policy": "keep"}},
	}
	with := func(kv map[string]any) map[string]any {
		out := map[string]any{}
		for k, v := range common {
			out[k] = v
		}
		for k, v := range kv {
			out[k] = v
		}
		return out
	}
	podLabels := map[string]any{"azure.workload.identity/use": "true"}
	for _, tc := range []struct {
		mode Mode
		e    *schema.Environment
		want map[string]any
	}{
		{ForTerraform, e, with(map[string]any{
			"serviceAccount": wantSA(map[string]any{"azure.workload.identity/tenant-id": "22222222-2222-2222-2222-222222222222"}),
			"podLabels":      podLabels,
		})},
		{Standalone, e, with(map[string]any{
			"serviceAccount": wantSA(map[string]any{
				"azure.workload.identity/client-id": "33333333-3333-3333-3333-333333333333",
				"azure.workload.identity/tenant-id": "22222222-2222-2222-2222-222222222222",
			}),
			"podLabels": podLabels,
			// sha256 of "33333333-3333-3333-3333-333333333333\n22222222-2222-2222-2222-222222222222"
			"podAnnotations": map[string]any{"checksum/workload-identity": "bac45edcdba38de84f99569a5a347a7ca676895e31cf6bc1b147e82a98806406"},
		})},
		{KustomizeChart, e, with(map[string]any{"serviceAccount": wantSA(nil)})},
	} {
		if diff := cmp.Diff(asJSON(t, tc.want), asJSON(t, Values(s, tc.e, tc.mode))); diff != "" {
			t.Errorf("mode %d (-want +got):\n%s", tc.mode, diff)
		}
	}
}

// TestChartOpenAIOff: every values file empties the chart's own OpenAI
// values by chart version (schema/chartopenai.go): openaiBaseApiUrl always,
// openaiApiKey from 8.11.0, where the chart emits it beside the URL. A
// user's own "" for them is accepted and changes nothing.
func TestChartOpenAIOff(t *testing.T) {
	for _, tc := range []struct {
		chart, tag, extra string
		wantKey           bool
	}{
		{"7.2.0", "v0.6.33", "", false},
		{"8.10.0", "v0.6.33", "", false},
		{"8.11.0", "v0.6.33", "", true},
		{"16.0.0", "v0.11.0", "", true},
		{"16.0.0", "v0.11.0", "    values: {openaiApiKey: \"\", openaiBaseApiUrl: \"\", openaiApiKeyExistingSecret: \"\"}", true},
	} {
		s := spec(t, tc.chart, tc.tag, tc.extra, "", clientID)
		e := &s.Spec.Environments[0]
		for _, m := range []Mode{ForTerraform, Standalone, KustomizeChart} {
			v := Values(s, e, m)
			if u, ok := v["openaiBaseApiUrl"]; !ok || u != "" {
				t.Errorf("chart %s mode %d: openaiBaseApiUrl = %v (set %v), want \"\"", tc.chart, m, u, ok)
			}
			if k, ok := v["openaiApiKey"]; ok != tc.wantKey || ok && k != "" {
				t.Errorf("chart %s mode %d: openaiApiKey = %v (set %v), want set %v and \"\"", tc.chart, m, k, ok, tc.wantKey)
			}
		}
	}
	if got := OpenAIComments(spec(t, "16.0.0", "v0.11.0", "", "", clientID)); !strings.Contains(strings.Join(got, " "), "openaiBaseApiUrl and openaiApiKey are empty") {
		t.Errorf("16.0.0 comments %q", got)
	}
	if got := OpenAIComments(spec(t, "7.2.0", "v0.6.33", "", "", clientID)); strings.Contains(strings.Join(got, " "), "openaiApiKey") {
		t.Errorf("7.2.0 comments name openaiApiKey, which chart 7.2.0 does not have: %q", got)
	}
}

func TestChartValuesMergeBeneath(t *testing.T) {
	extra := `    values:
      pipelines:
        enabled: true
      persistence:
        size: 10Gi
      serviceAccount:
        annotations:
          example.com/owner: team-a
      podLabels:
        team: "on"
      extraEnvVars:
        WEBUI_NAME: Chat
        ENABLE_SIGNUP: false
        SECRET:
          valueFrom:
            secretKeyRef: {name: s, key: k}
        ANSWER: 42`
	s := spec(t, "16.0.0", "v0.11.0", extra, "", clientID)
	e := &s.Spec.Environments[0]
	v := asJSON(t, Values(s, e, Standalone)).(map[string]any)
	if got := v["pipelines"]; !cmp.Equal(got, map[string]any{"enabled": true}) {
		t.Errorf("pipelines %v: the user's value must win over wigen's soft default", got)
	}
	if got := v["ollama"]; !cmp.Equal(got, map[string]any{"enabled": false}) {
		t.Errorf("ollama %v, want the soft default", got)
	}
	if got := v["persistence"]; !cmp.Equal(got, map[string]any{"size": "10Gi", "annotations": map[string]any{"helm.sh/resource-policy": "keep"}}) {
		t.Errorf("persistence %v: want the user's size and wigen's keep policy", got)
	}
	ann := v["serviceAccount"].(map[string]any)["annotations"].(map[string]any)
	if ann["example.com/owner"] != "team-a" || ann["azure.workload.identity/client-id"] != "33333333-3333-3333-3333-333333333333" {
		t.Errorf("annotations %v: want the user's and wigen's", ann)
	}
	if got := v["podLabels"]; !cmp.Equal(got, map[string]any{"team": "on", "azure.workload.identity/use": "true"}) {
		t.Errorf("podLabels %v", got)
	}
	envs := v["extraEnvVars"].([]any)
	var names []string
	for _, x := range envs {
		names = append(names, x.(map[string]any)["name"].(string))
	}
	// wigen's first, then the user's map in sorted key order.
	want := []string{"AZURE_TOKEN_CREDENTIALS", "OPENAI_API_BASE_URLS", "OPENAI_API_KEYS", "OPENAI_API_CONFIGS", "ANSWER", "ENABLE_SIGNUP", "SECRET", "WEBUI_NAME"}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Fatalf("extraEnvVars names (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]any{
		env("ANSWER", "42"),
		env("ENABLE_SIGNUP", "false"),
		map[string]any{"name": "SECRET", "valueFrom": map[string]any{"secretKeyRef": map[string]any{"name": "s", "key": "k"}}},
		env("WEBUI_NAME", "Chat"),
	}, envs[4:]); diff != "" {
		t.Errorf("user env (-want +got):\n%s", diff)
	}
	// The input is not modified by rendering.
	if _, ok := s.Spec.Chart.Values["extraEnvVars"].(map[string]any)["ANSWER"].(int64); !ok {
		t.Errorf("chart.values.extraEnvVars.ANSWER changed to %T", s.Spec.Chart.Values["extraEnvVars"].(map[string]any)["ANSWER"])
	}
}

func TestUserEnvListValuesAreStrings(t *testing.T) {
	extra := `    values:
      extraEnvVars:
        - name: A
          value: 1e3
        - name: B
          value: true
        - name: C
          value: "0123"
        - name: D
          valueFrom:
            fieldRef: {fieldPath: metadata.name}`
	s := spec(t, "7.2.0", "v0.6.33", extra, "", clientID)
	got := asJSON(t, Values(s, &s.Spec.Environments[0], Standalone)["extraEnvVars"])
	want := asJSON(t, []any{
		env("AZURE_TOKEN_CREDENTIALS", "WorkloadIdentityCredential"),
		env("A", "1000"), env("B", "true"), env("C", "0123"),
		map[string]any{"name": "D", "valueFrom": map[string]any{"fieldRef": map[string]any{"fieldPath": "metadata.name"}}},
	})
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestRenderStandalone(t *testing.T) {
	s := spec(t, "7.2.0", "v0.6.33", "", "", clientID)
	files, err := Render(s)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 1 || files[0].Path != "helm/prod/values.yaml" {
		t.Fatalf("files %v, want helm/prod/values.yaml only", paths(files))
	}
	data := files[0].Data
	if !output.IsGenerated(data) {
		t.Error("no generated-file line")
	}
	for _, want := range []string{
		"\npodLabels:\n  azure.workload.identity/use: \"true\"\n",
		"    azure.workload.identity/client-id: 33333333-3333-3333-3333-333333333333\n",
		"#   helm upgrade --install open-webui open-webui \\\n#     --repo https://helm.openwebui.com/ \\\n#     --version 7.2.0 \\\n#     --namespace apps --create-namespace \\\n#     --kube-context aks-1 \\\n#     --values helm/prod/values.yaml\n",
	} {
		if !strings.Contains(string(data), want) {
			t.Errorf("values file lacks %q:\n%s", want, data)
		}
	}
	var got any
	if err := yaml.Unmarshal(data, &got); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(asJSON(t, Values(s, &s.Spec.Environments[0], Standalone)), got); diff != "" {
		t.Errorf("file does not decode to the values (-want +got):\n%s", diff)
	}
	again, _ := Render(s)
	if diff := cmp.Diff(files, again); diff != "" {
		t.Errorf("two renders differ:\n%s", diff)
	}
}

func TestRenderSkipsWithoutClientID(t *testing.T) {
	for _, tc := range []struct {
		name, targets string
		want          []string
	}{
		{"with terraform", "", []string{"prod:", "deploy/helm/prod/values.yaml", "spec.environments[0].identity.clientId", "`terraform -chdir=deploy/terraform/prod output -raw client_id`"}},
		{"without terraform", "  targets: [helm]", []string{"prod:", "deploy/helm/prod/values.yaml", "spec.environments[0].identity.clientId", "`az identity show --name id-webui --resource-group rg-app --subscription 11111111-1111-1111-1111-111111111111 --query clientId --output tsv`"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := spec(t, "7.2.0", "v0.6.33", "", tc.targets, "")
			files, err := Render(s)
			if err != nil {
				t.Fatal(err)
			}
			if len(files) != 0 {
				t.Errorf("rendered %v without a client ID (no placeholder allowed)", paths(files))
			}
			note := MissingClientIDNote(s, s.Source, 0, []string{"deploy/" + StandalonePath("prod")}, "deploy/"+TerraformDir("prod"))
			for _, w := range tc.want {
				if !strings.Contains(note, w) {
					t.Errorf("note %q lacks %q", note, w)
				}
			}
		})
	}
}

func TestInstallCommandOCI(t *testing.T) {
	s := spec(t, "16.0.0", "v0.11.0", "    repository: oci://ghcr.io/example/charts/", "", clientID)
	s.Spec.Environments[0].CreateNamespace = new(bool)
	got := strings.Join(InstallCommand(s, &s.Spec.Environments[0]), "\n")
	want := "helm upgrade --install open-webui oci://ghcr.io/example/charts/open-webui \\\n  --version 16.0.0 \\\n  --namespace apps \\\n  --kube-context aks-1 \\\n  --values helm/prod/values.yaml"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// TestChartRefShellQuotes: the chart reference and repository are one
// shell word each, whatever they hold (validation refuses shell
// metacharacters in the repository, schema/repository.go; a Spec built in
// code is not validated).
func TestChartRefShellQuotes(t *testing.T) {
	s := spec(t, "16.0.0", "v0.11.0", "", "", clientID)
	s.Spec.Chart.Repository = "https://helm.example.com/$(id) x"
	ref, repo := ChartRef(s)
	if want := []string{`--repo 'https://helm.example.com/$(id) x'`}; ref != "open-webui" || strings.Join(repo, "|") != strings.Join(want, "|") {
		t.Errorf("ChartRef = %q, %q; want %q, %q", ref, repo, "open-webui", want)
	}
	s.Spec.Chart.Repository = "oci://ghcr.io/it's/"
	if ref, repo := ChartRef(s); ref != `'oci://ghcr.io/it'\''s/open-webui'` || repo != nil {
		t.Errorf("ChartRef = %q, %q; want the OCI reference in single quotes", ref, repo)
	}
}

// TestWorkloadKind: the kind schema.Spec.WorkloadKindFor gives the
// chart's workload, with the values wigen renders from.
func TestWorkloadKind(t *testing.T) {
	for extra, want := range map[string]string{
		"": "StatefulSet",
		"    values:\n      persistence: {enabled: false}":                                      "Deployment",
		"    values:\n      persistence: {provider: s3}":                                        "Deployment",
		"    values:\n      persistence: {enabled: true, provider: local}":                      "StatefulSet",
		"    values:\n      workload: {kind: Deployment}":                                       "Deployment",
		"    values:\n      workload: {kind: StatefulSet}\n      persistence: {enabled: false}": "StatefulSet",
	} {
		s := spec(t, "16.0.0", "v0.11.0", extra, "", clientID)
		if got := s.WorkloadKindFor(nil); got != want {
			t.Errorf("%q: %s, want %s", extra, got, want)
		}
	}
}

func paths(fs []output.File) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Path)
	}
	return out
}

func TestPathsMatchRender(t *testing.T) {
	for _, id := range []string{clientID, ""} {
		s := spec(t, "7.2.0", "v0.6.33", "", "", id)
		files, err := Render(s)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(Paths(s), paths(files)); diff != "" {
			t.Errorf("client ID %q: (-Paths +Render):\n%s", id, diff)
		}
	}
}
