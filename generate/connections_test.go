package generate

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	"sigs.k8s.io/yaml"

	"github.com/wigen-dev/wigen/generate/helm/helmtest"
	"github.com/wigen-dev/wigen/generate/kustomize/kustomizetest"
	"github.com/wigen-dev/wigen/generate/output"
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

// valuesEnv reads extraEnvVars of a rendered values file as name -> value.
func valuesEnv(t *testing.T, f output.File) map[string]string {
	t.Helper()
	var v struct {
		ExtraEnvVars []any `json:"extraEnvVars"`
	}
	if err := yaml.Unmarshal(f.Data, &v); err != nil {
		t.Fatalf("%s: %v", f.Path, err)
	}
	env, err := helmtest.EnvMap(v.ExtraEnvVars)
	if err != nil {
		t.Fatalf("%s: %v", f.Path, err)
	}
	return env
}

// TestConnectionsLineUpInEveryPath: in the Terraform module's values, the
// standalone Helm values and the built Kustomize overlay of every golden
// environment (and one with eleven accounts), connection i of
// OPENAI_API_BASE_URLS, OPENAI_API_KEYS and OPENAI_API_CONFIGS is account
// i; below app 0.10.2 none of the three is set.
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
	paths := 0
	for name, s := range specs {
		r, err := Render(s)
		if err != nil {
			t.Fatal(err)
		}
		byPath := map[string]output.File{}
		for _, f := range r.Files {
			byPath[f.Path] = f
		}
		for i := range s.Spec.Environments {
			e := &s.Spec.Environments[i]
			check := func(where string, env map[string]string) {
				t.Helper()
				paths++
				if !s.Spec.Chart.App.ConnectionFromEnv {
					for _, k := range []string{"OPENAI_API_BASE_URLS", "OPENAI_API_KEYS", "OPENAI_API_CONFIGS"} {
						if _, ok := env[k]; ok {
							t.Errorf("%s %s: %s set, but app %s does not read it", name, where, k, s.Spec.Chart.App.Version)
						}
					}
					return
				}
				for _, p := range helmtest.CheckConnections(env, e.AzureOpenAI) {
					t.Errorf("%s %s: %s", name, where, p)
				}
			}
			for _, p := range []string{"terraform/" + e.Name + "/values.yaml", "helm/" + e.Name + "/values.yaml"} {
				if f, ok := byPath[p]; ok {
					check(p, valuesEnv(t, f))
				}
			}
			if _, ok := byPath["kustomize/overlays/"+e.Name+"/workload.yaml"]; ok {
				built, err := kustomizetest.Build(s, r.Files, e.Name, kustomizetest.StatefulSet)
				if err != nil {
					t.Fatalf("%s: build overlay %s: %v", name, e.Name, err)
				}
				objs, err := kustomizetest.DecodeAll(built)
				if err != nil {
					t.Fatal(err)
				}
				for _, o := range objs {
					if sts, ok := o.(*appsv1.StatefulSet); ok {
						env := map[string]string{}
						for _, v := range sts.Spec.Template.Spec.Containers[0].Env {
							env[v.Name] = v.Value
						}
						check("kustomize overlay "+e.Name, env)
					}
				}
			}
		}
	}
	if paths < 20 {
		t.Errorf("only %d paths checked", paths)
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
