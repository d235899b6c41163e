package generate

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"

	"github.com/wigen-dev/wigen/generate/argocd"
	"github.com/wigen-dev/wigen/generate/flux"
	"github.com/wigen-dev/wigen/generate/helm"
	"github.com/wigen-dev/wigen/generate/helm/helmtest"
	"github.com/wigen-dev/wigen/generate/kustomize"
	"github.com/wigen-dev/wigen/generate/terraform"
	"github.com/wigen-dev/wigen/schema"
)

// elevenAccounts has connection indices past 9, whose JSON keys sort as
// "0", "1", "10", "2", ...: the index, not the order, must line up.
func elevenAccounts(t *testing.T) *schema.Spec {
	t.Helper()
	var b strings.Builder
	for i := 0; i < 11; i++ {
		fmt.Fprintf(&b, "    - accountId: /subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/aoai-%d\n", i)
		fmt.Fprintf(&b, "      endpoint: https://aoai-%d.openai.azure.com/\n", i)
		fmt.Fprintf(&b, "      deployments: [gpt-4o, model-%d]\n", i)
		if i%2 == 0 {
			fmt.Fprintf(&b, "      prefixId: p%d\n", i)
			fmt.Fprintf(&b, "      apiVersion: 2025-04-01-preview\n")
		} else {
			fmt.Fprintf(&b, "      prefixId: q%d\n", i)
		}
	}
	src := strings.Replace(strings.Replace(input, "TARGETS", "[terraform, helm, kustomize]", 1),
		"  azureOpenAI:\n    accountId: /subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-ai-example/providers/Microsoft.CognitiveServices/accounts/aoai-example\n    endpoint: https://aoai-example.openai.azure.com\n    deployments: [gpt-4o]\n",
		"  azureOpenAI:\n"+b.String(), 1)
	s, err := schema.LoadBytes("wigen.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Spec.Environments[1].AzureOpenAI) != 11 {
		t.Fatal("the edit did not apply")
	}
	return s
}

// valuesEnv reads extraEnvVars of a values tree as name -> value.
func valuesEnv(t *testing.T, where string, values map[string]any) map[string]string {
	t.Helper()
	list, _ := values["extraEnvVars"].([]any)
	env, err := helmtest.EnvMap(list)
	if err != nil {
		t.Fatalf("%s: %v", where, err)
	}
	return env
}

// renderedValues returns, for environment e, every values tree the
// rendered files carry, by where they are: the Terraform module's
// values.yaml, the standalone Helm values, the values file the Kustomize
// overlay inflates the chart with, and the values inline in the Argo CD
// Application and the Flux HelmRelease.
func renderedValues(t *testing.T, byPath map[string][]byte, e *schema.Environment) map[string]map[string]any {
	t.Helper()
	out := map[string]map[string]any{}
	for _, p := range []string{terraform.Dir(e.Name) + "/" + terraform.FileValues, helm.StandalonePath(e.Name), kustomize.OverlayDir(e.Name) + "/" + kustomize.ValuesFile} {
		data, ok := byPath[p]
		if !ok {
			continue
		}
		var v map[string]any
		if err := yaml.Unmarshal(data, &v); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		out[p] = v
	}
	if data, ok := byPath[argocd.Path(e.Name)]; ok {
		var app argocd.Application
		if err := yaml.UnmarshalStrict(data, &app); err != nil {
			t.Fatalf("%s: %v", argocd.Path(e.Name), err)
		}
		out[argocd.Path(e.Name)] = app.Spec.Source.Helm.ValuesObject
	}
	if p := flux.Dir(e.Name) + "/" + flux.HelmReleaseFile; byPath[p] != nil {
		var hr flux.HelmRelease
		if err := yaml.UnmarshalStrict(byPath[p], &hr); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		out[p] = hr.Spec.Values
	}
	return out
}

// TestConnectionsLineUpInEveryPath: in every values tree of every golden
// environment (and one with eleven accounts): the Terraform module's
// values, the standalone Helm values, the values of the Kustomize
// overlay's chart and the values inline in the Argo CD Application and
// the Flux HelmRelease, connection i of OPENAI_API_BASE_URLS,
// OPENAI_API_KEYS and OPENAI_API_CONFIGS is account i; below app 0.10.2
// none of the three is set. The overlay's workload patch sets no env (the
// connections come with the chart's values, once). cmd/wigen/internal/realchart
// checks the same in what the real chart renders from each.
func TestConnectionsLineUpInEveryPath(t *testing.T) {
	specs := map[string]*schema.Spec{"eleven-accounts": elevenAccounts(t)}
	inputs, _ := filepath.Glob(filepath.Join("..", "golden", "*", schema.DefaultFile))
	for _, p := range inputs {
		s, err := schema.Load(p)
		if err != nil {
			t.Fatal(err)
		}
		specs[filepath.Base(filepath.Dir(p))] = s
	}
	paths := map[string]int{}
	for name, s := range specs {
		byPath := renderFiles(t, s)
		for i := range s.Spec.Environments {
			e := &s.Spec.Environments[i]
			for where, values := range renderedValues(t, byPath, e) {
				paths[strings.SplitN(where, "/", 2)[0]]++
				env := valuesEnv(t, name+" "+where, values)
				if !s.Spec.Chart.App.ConnectionFromEnv {
					for _, k := range []string{helm.EnvBaseURLs, helm.EnvKeys, helm.EnvConfigs} {
						if _, ok := env[k]; ok {
							t.Errorf("%s %s: %s set, but app %s does not read it", name, where, k, s.Spec.Chart.App.Version)
						}
					}
					continue
				}
				for _, p := range helmtest.CheckConnections(env, e.AzureOpenAI) {
					t.Errorf("%s %s: %s", name, where, p)
				}
			}
			if data, ok := byPath[kustomize.OverlayDir(e.Name)+"/"+kustomize.WorkloadFile]; ok && strings.Contains(string(data), "env:") {
				t.Errorf("%s: the workload patch of %s sets env; the connections are in the overlay's values", name, e.Name)
			}
		}
	}
	for _, p := range []string{"terraform", "helm", "kustomize", "argocd", "flux"} {
		if paths[p] == 0 {
			t.Errorf("%d %s values checked, want every golden path", paths[p], p)
		}
	}
}

// TestCheckConnectionsFindsMisalignment: the check is known to fail on
// connections that do not line up.
func TestCheckConnectionsFindsMisalignment(t *testing.T) {
	accounts := []schema.AzureOpenAI{
		{Endpoint: "https://a.openai.azure.com", APIVersion: "2024-10-21", Deployments: []string{"x"}},
		{Endpoint: "https://b.openai.azure.com", APIVersion: "2024-10-21", Deployments: []string{"y"}, PrefixID: "b"},
	}
	good := map[string]string{
		"OPENAI_API_BASE_URLS": "https://a.openai.azure.com;https://b.openai.azure.com",
		"OPENAI_API_KEYS":      ";",
		"OPENAI_API_CONFIGS":   `{"0":{"enable":true,"azure":true,"api_version":"2024-10-21","auth_type":"microsoft_entra_id","model_ids":["x"]},"1":{"enable":true,"azure":true,"api_version":"2024-10-21","auth_type":"microsoft_entra_id","model_ids":["y"],"prefix_id":"b"}}`,
	}
	if p := helmtest.CheckConnections(good, accounts); len(p) > 0 {
		t.Fatalf("good connections: %v", p)
	}
	for name, edit := range map[string]func(map[string]string){
		"one key for two URLs": func(m map[string]string) { m["OPENAI_API_KEYS"] = "" },
		"URLs swapped": func(m map[string]string) {
			m["OPENAI_API_BASE_URLS"] = "https://b.openai.azure.com;https://a.openai.azure.com"
		},
		"config 1 missing": func(m map[string]string) {
			m["OPENAI_API_CONFIGS"] = strings.Replace(m["OPENAI_API_CONFIGS"], `"1":`, `"2":`, 1)
		},
		"prefix on the wrong connection": func(m map[string]string) {
			m["OPENAI_API_CONFIGS"] = strings.Replace(strings.Replace(m["OPENAI_API_CONFIGS"], `,"prefix_id":"b"`, "", 1), `"model_ids":["x"]`, `"model_ids":["x"],"prefix_id":"b"`, 1)
		},
		"a key": func(m map[string]string) { m["OPENAI_API_KEYS"] = "sk;" },
	} {
		env := map[string]string{}
		for k, v := range good {
			env[k] = v
		}
		edit(env)
		if p := helmtest.CheckConnections(env, accounts); len(p) == 0 {
			t.Errorf("%s: not found", name)
		}
	}
}
