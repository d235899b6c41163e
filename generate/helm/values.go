// Package helm renders the Open WebUI chart's Helm values for Workload ID:
// one function, Values, feeds the Terraform module's values.yaml, the
// standalone values files, the values each Kustomize overlay inflates the
// chart with, and the values inline in the Argo CD Application and the Flux
// HelmRelease.
package helm

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/wigen-dev/wigen/schema"
)

// Mode selects which values Values renders.
type Mode int

const (
	// ForTerraform: everything but the client-id annotation, which the
	// helm_release sets from the identity Terraform creates or reads.
	ForTerraform Mode = iota
	// Standalone: everything, the client-id annotation included (for the
	// Helm CLI, Argo CD or Flux). Needs identity.clientId.
	Standalone
	// KustomizeChart: the values of the chart an environment's Kustomize
	// overlay inflates: Standalone's without what is Workload ID's (the
	// client-id and tenant-id annotations, the pod label), which the
	// overlay's patches add.
	KustomizeChart
)

// Values returns the Helm values for environment e of s. The result is a
// fresh tree of map[string]any, []any and scalars, safe to modify; marshal
// it with output.MarshalYAML, which keeps every string a string and writes
// the keys in byte order.
//
// Keys are those of the open-webui chart (open-webui/helm-charts,
// charts/open-webui/values.yaml, read at 7.2.0 and 16.0.0; facts.md "Open
// WebUI Helm chart"):
//   - serviceAccount.enable: true and serviceAccount.name, always explicit:
//     the chart's default name changed across versions (open-webui,
//     existing-sa, <fullname>-sa) and the federated credential's subject
//     names this one;
//   - serviceAccount.annotations: azure.workload.identity/client-id
//     (Standalone only, when identity.clientId is set; Terraform sets it with
//     `set`) and azure.workload.identity/tenant-id when tenantId is set
//     (Azure/azure-workload-identity v1.6.0, service account annotations);
//   - podLabels: azure.workload.identity/use: "true", a string; the chart
//     applies podLabels to the pod template only, which is where the webhook
//     looks (its objectSelector matches the string "true");
//   - image.tag from chart.imageTag; extraEnvVars (see EnvVars);
//   - schema.ChartOpenAIOff: openaiBaseApiUrl "" and, from chart 8.11.0,
//     openaiApiKey "", so the chart emits neither OPENAI_API_BASE_URL (the
//     public OpenAI API) nor its dummy OPENAI_API_KEY, which the app would
//     store as the key of the Entra ID connection (schema/chartopenai.go);
//   - ollama.enabled and pipelines.enabled false, as soft defaults beneath
//     chart.values: an Azure OpenAI deployment needs neither subchart;
//   - persistence.annotations helm.sh/resource-policy: keep when the chart
//     creates its PVC with the environment's values and passes
//     persistence.annotations to it (schema.Spec.KeepsPVC): Helm then
//     leaves the PVC, Open WebUI's database, when the release is
//     uninstalled or replaced.
//
// The environment's chart values (schema.Spec.Values: spec.chart.values
// with the environment's chart.values deep-merged over them) are deep-merged beneath wigen's own keys (validation
// refused every key wigen owns); mappings merge, anything else is wigen's.
func Values(s *schema.Spec, e *schema.Environment, m Mode) map[string]any {
	sa := map[string]any{
		"enable": true,
		"name":   e.ServiceAccount,
	}
	v := map[string]any{
		"serviceAccount": sa,
		"image":          map[string]any{"tag": s.Spec.Chart.ImageTag},
		// A list here replaces the chart's default extraEnvVars (chart 7.2.0
		// holds a dummy OPENAI_API_KEY there): intended, access is keyless.
		"extraEnvVars": EnvVars(s, e, m),
	}
	for k, x := range schema.ChartOpenAIOff(s.Spec.Chart.Version) {
		v[k] = x
	}
	if m != KustomizeChart {
		ann := map[string]any{}
		if m == Standalone && e.Identity != nil && e.Identity.ClientID != "" {
			ann[schema.AnnotationClientID] = e.Identity.ClientID
		}
		if e.TenantID != "" {
			ann[schema.AnnotationTenantID] = e.TenantID
		}
		if len(ann) > 0 {
			sa["annotations"] = ann
		}
		v["podLabels"] = map[string]any{schema.LabelUse: schema.LabelUseValue}
	}
	if s.KeepsPVC(e) {
		v["persistence"] = map[string]any{"annotations": map[string]any{schema.AnnotationResourcePolicy: schema.ResourcePolicyKeep}}
	}
	// extraEnvVars already holds chart.values' entries (EnvVars), so the
	// merge keeps wigen's list.
	v = mergeUnder(v, s.Values(e))
	return mergeUnder(v, map[string]any{
		"ollama":    map[string]any{"enabled": false},
		"pipelines": map[string]any{"enabled": false},
	})
}

// OpenAIComments are the comment lines of every values file wigen writes
// that say why the chart's own OpenAI values are empty and extraEnvVars is
// wigen's list, in the terms of chart version s.Spec.Chart.Version (see
// schema/chartopenai.go).
func OpenAIComments(s *schema.Spec) []string {
	if schema.ChartHasOpenAIKeyValue(s.Spec.Chart.Version) {
		return []string{
			"openaiBaseApiUrl and openaiApiKey are empty, so the chart emits neither",
			"OPENAI_API_BASE_URL (the public OpenAI API) nor its dummy OPENAI_API_KEY:",
			"the app calls Azure OpenAI with Entra ID, no key.",
		}
	}
	return []string{
		"extraEnvVars replaces the chart's default list, which holds a dummy",
		"OPENAI_API_KEY, and openaiBaseApiUrl is empty, so the chart emits no",
		"OPENAI_API_BASE_URL (the public OpenAI API): the app calls Azure OpenAI",
		"with Entra ID, no key.",
	}
}

// Environment variables wigen sets (facts.md "Open WebUI application").
const (
	EnvTokenCredentials = "AZURE_TOKEN_CREDENTIALS"
	EnvBaseURLs         = "OPENAI_API_BASE_URLS"
	EnvKeys             = schema.EnvOpenAIKeys
	EnvConfigs          = "OPENAI_API_CONFIGS"
)

// EnvVars returns the extraEnvVars list for the Azure OpenAI connection by
// app version (Open WebUI changelog and docs; facts.md "Open WebUI
// application"):
//   - from 0.6.31, AZURE_TOKEN_CREDENTIALS=WorkloadIdentityCredential makes
//     DefaultAzureCredential use Workload ID only;
//   - from 0.10.2, ConnectionEnv presets the Entra ID connection.
//
// User entries from chart.values.extraEnvVars follow wigen's. The chart
// accepts a list and, in recent versions, a map of name to value; wigen
// always writes the list form (chart 7.2.0 writes a map out as is, which
// the API server refuses), converting a map in sorted key order. Env values
// are strings for the API server (core/v1 EnvVar.value), so a scalar value
// that YAML read as a number or boolean is written as its string, as the
// chart's own map form does with `quote`.
func EnvVars(s *schema.Spec, e *schema.Environment, m Mode) []any {
	env := []any{}
	app := s.Spec.Chart.App
	if app.TokenCredentialsEnv {
		env = append(env, envVar(EnvTokenCredentials, "WorkloadIdentityCredential"))
	}
	if app.ConnectionFromEnv && e.AzureOpenAI != nil {
		env = append(env, ConnectionEnv(e.AzureOpenAI)...)
	}
	return append(env, userEnv(s.Values(e)["extraEnvVars"])...)
}

// userEnv returns chart.values.extraEnvVars as a list of env entries.
func userEnv(x any) []any {
	var out []any
	switch t := x.(type) {
	case []any:
		for _, item := range t {
			entry := deepCopy(item)
			if m, ok := entry.(map[string]any); ok {
				if v, ok := m["value"]; ok {
					m["value"] = envString(v)
				}
			}
			out = append(out, entry)
		}
	case map[string]any:
		names := make([]string, 0, len(t))
		for k := range t {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			if src, ok := t[k].(map[string]any); ok { // {valueFrom: ...}
				entry := deepCopy(src).(map[string]any)
				entry["name"] = k
				out = append(out, entry)
				continue
			}
			out = append(out, map[string]any{"name": k, "value": envString(t[k])})
		}
	}
	return out
}

// envString renders a scalar env value as the string the chart's `quote`
// would (fmt's %v); nil is the empty string. Mappings and lists are kept
// for the API server to judge.
func envString(v any) any {
	switch v.(type) {
	case nil:
		return ""
	case string, map[string]any, []any:
		return v
	}
	return fmt.Sprint(v)
}

// ConnectionEnv presets connection 0 as an Azure OpenAI connection with
// Microsoft Entra ID auth: index 0 of OPENAI_API_BASE_URLS (the endpoint,
// without a trailing '/'; Open WebUI adds /openai itself), OPENAI_API_KEYS
// (empty: no key) and OPENAI_API_CONFIGS["0"] = {"enable": true, "azure":
// true, "api_version", "auth_type": "microsoft_entra_id", "model_ids": the
// deployments} (Azure connections cannot list models). Read from the
// environment from Open WebUI 0.10.2; it seeds the persistent config at
// first start only (facts.md "Open WebUI application").
func ConnectionEnv(a *schema.AzureOpenAI) []any {
	cfg := map[string]any{
		"0": map[string]any{
			"enable":      true,
			"azure":       true,
			"api_version": a.APIVersion,
			"auth_type":   "microsoft_entra_id",
			"model_ids":   append([]string{}, a.Deployments...),
		},
	}
	js, err := json.Marshal(cfg) // map keys sorted: stable
	if err != nil {
		panic(err) // strings and bools only
	}
	return []any{
		envVar(EnvBaseURLs, strings.TrimSuffix(a.Endpoint, "/")),
		envVar(EnvKeys, ""),
		envVar(EnvConfigs, string(js)),
	}
}

func envVar(name, value string) map[string]any {
	return map[string]any{"name": name, "value": value}
}

// mergeUnder merges src beneath dst at any depth (dst wins).
func mergeUnder(dst, src map[string]any) map[string]any {
	for k, sv := range src {
		dv, ok := dst[k]
		if !ok {
			dst[k] = deepCopy(sv)
			continue
		}
		dm, dok := dv.(map[string]any)
		sm, sok := sv.(map[string]any)
		if dok && sok {
			dst[k] = mergeUnder(dm, sm)
		}
	}
	return dst
}

func deepCopy(x any) any { return schema.CopyValue(x) }
