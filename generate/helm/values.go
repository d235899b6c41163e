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
	"strconv"
	"strings"

	"github.com/wigen-dev/wigen/schema"
)

// Mode selects which values Values renders.
type Mode int

const (
	// ForTerraform: everything but the client-id annotation and the
	// checksum/workload-identity pod annotation, which the helm_release
	// sets from the identity Terraform creates or reads.
	ForTerraform Mode = iota
	// Standalone: everything, the client-id and checksum annotations
	// included (for the Helm CLI, Argo CD or Flux: a GitOps generator calls
	// Values for an environment in this mode). Needs identity.clientId.
	Standalone
	// KustomizeChart: the values of the chart an environment's Kustomize
	// overlay inflates: Standalone's without what is Workload ID's (the
	// client-id and tenant-id annotations, the pod label and the
	// checksum/workload-identity pod annotation), which the overlay's
	// patches add. The connections and spec.openWebUI's env are the app's
	// configuration, not Workload ID's: they are here, in extraEnvVars.
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
//   - podAnnotations: checksum/workload-identity (Standalone only, from
//     identity.clientId and tenantId; see schema.AnnotationChecksum): the
//     chart puts podAnnotations on the pod template only, so a new client
//     ID changes the pod template and the workload replaces its pods, which
//     the webhook mutates at creation only (azure-workload-identity#109);
//   - image.tag from chart.imageTag; extraEnvVars (see EnvVars);
//   - schema.ChartOpenAIOff: openaiBaseApiUrl "" and, from chart 8.11.0,
//     openaiApiKey "", so the chart emits neither OPENAI_API_BASE_URL (the
//     public OpenAI API) nor its dummy OPENAI_API_KEY, which the app would
//     store as the key of the Entra ID connection (schema/chartopenai.go);
//   - ollama.enabled and pipelines.enabled false, as soft defaults beneath
//     chart.values: an Azure OpenAI deployment needs neither subchart;
//     but not for an environment that adopts an installed release
//     (schema.Environment.AdoptsRelease), which runs them as the chart's
//     defaults have them (on): turned off, Helm would uninstall them and
//     delete the Pipelines PVC;
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
		if m == Standalone && e.Identity != nil && e.Identity.ClientID != "" {
			v["podAnnotations"] = PodAnnotations(e)
		}
	}
	if s.KeepsPVC(e) {
		v["persistence"] = map[string]any{"annotations": map[string]any{schema.AnnotationResourcePolicy: schema.ResourcePolicyKeep}}
	}
	// extraEnvVars already holds chart.values' entries (EnvVars), so the
	// merge keeps wigen's list.
	v = mergeUnder(v, s.Values(e))
	if e.AdoptsRelease() {
		return v // the release runs the chart's subcharts as installed
	}
	off := map[string]any{}
	for _, sc := range schema.Subcharts {
		off[sc] = map[string]any{"enabled": false}
	}
	return mergeUnder(v, off)
}

// PodAnnotations are the pod-template annotations wigen sets for e, whose
// identity.clientId is known: checksum/workload-identity, the checksum of
// its client ID and tenant ID (schema.WorkloadIdentityChecksum). The
// standalone values and the Kustomize overlay's workload patch carry it
// (so the overlay's Workload ID is all in its patches); the Terraform
// module computes the same value from the identity it creates or reads.
func PodAnnotations(e *schema.Environment) map[string]any {
	return map[string]any{schema.AnnotationChecksum: schema.WorkloadIdentityChecksum(e.Identity.ClientID, e.TenantID)}
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
	// EnvBypassModelAccess=True (spec.openWebUI.modelAccess: everyone) lets
	// every signed-in user use every model (open-webui env.py, compared
	// without case to "true").
	EnvBypassModelAccess = "BYPASS_MODEL_ACCESS_CONTROL"
	// EnvPersistentConfig=False (spec.openWebUI.persistentConfig: false)
	// makes the environment win over the app's database at every start
	// (open-webui config.py, PersistentConfig).
	EnvPersistentConfig = "ENABLE_PERSISTENT_CONFIG"
)

// EnvVars returns the extraEnvVars list for the Azure OpenAI connection by
// app version (Open WebUI changelog and docs; facts.md "Open WebUI
// application"):
//   - from 0.6.31, AZURE_TOKEN_CREDENTIALS=WorkloadIdentityCredential makes
//     DefaultAzureCredential use Workload ID only;
//   - from 0.10.2, ConnectionEnv presets one Entra ID connection per
//     account (in every mode: the overlay's values carry them too);
//   - spec.openWebUI: BYPASS_MODEL_ACCESS_CONTROL=True with modelAccess
//     everyone, ENABLE_PERSISTENT_CONFIG=False with persistentConfig false.
//     Both are read from the environment by every app version wigen
//     supports.
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
	if app.ConnectionFromEnv && len(e.AzureOpenAI) > 0 {
		env = append(env, ConnectionEnv(e.AzureOpenAI)...)
	}
	env = append(env, AppEnv(s)...)
	return append(env, userEnv(s.Values(e)["extraEnvVars"])...)
}

// AppEnv is the env of spec.openWebUI: BYPASS_MODEL_ACCESS_CONTROL=True
// for modelAccess everyone, ENABLE_PERSISTENT_CONFIG=False for
// persistentConfig false; nothing for the app's defaults.
func AppEnv(s *schema.Spec) []any {
	var env []any
	if s.Spec.OpenWebUI.EveryoneSeesModels() {
		env = append(env, envVar(EnvBypassModelAccess, "True"))
	}
	if !s.Spec.OpenWebUI.ConfigPersists() {
		env = append(env, envVar(EnvPersistentConfig, "False"))
	}
	return env
}

// AppEnvComments are the values-file comment lines that say what AppEnv
// sets and what it means, or nothing for the app's defaults.
func AppEnvComments(s *schema.Spec) []string {
	var out []string
	if s.Spec.OpenWebUI.EveryoneSeesModels() {
		out = append(out,
			EnvBypassModelAccess+"=True (openWebUI.modelAccess: everyone): every signed-in user",
			"can use every model of these connections; per-model access settings are ignored.")
	}
	if !s.Spec.OpenWebUI.ConfigPersists() {
		out = append(out,
			EnvPersistentConfig+"=False (openWebUI.persistentConfig: false): the rendered",
			"configuration wins at every start; edits made in the Admin Panel last until",
			"the next restart.")
	}
	return out
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

// ConnectionEnv presets one Azure OpenAI connection with Microsoft Entra
// ID auth per account, account i as connection i (Open WebUI reads the
// connections as index i across three variables; facts.md "Open WebUI
// application", open-webui config.py and routers/openai.py):
//   - OPENAI_API_BASE_URLS: the endpoints joined with ';', each without a
//     trailing '/' (Open WebUI adds /openai itself);
//   - OPENAI_API_KEYS: one empty key per connection, joined with ';' (no
//     key: the app sends a bearer token, never an api-key header);
//   - OPENAI_API_CONFIGS: {"i": {"enable": true, "azure": true,
//     "api_version", "auth_type": "microsoft_entra_id", "model_ids": the
//     deployments (Azure connections cannot list models), "prefix_id" when
//     prefixId is set}}.
//
// Read from the environment from Open WebUI 0.10.2; it seeds the
// persistent config at first start only, unless ENABLE_PERSISTENT_CONFIG
// is False.
func ConnectionEnv(accounts []schema.AzureOpenAI) []any {
	urls := make([]string, len(accounts))
	keys := make([]string, len(accounts))
	cfg := make(map[string]any, len(accounts))
	for i, a := range accounts {
		urls[i] = strings.TrimSuffix(a.Endpoint, "/")
		c := map[string]any{
			"enable":      true,
			"azure":       true,
			"api_version": a.APIVersion,
			"auth_type":   "microsoft_entra_id",
			"model_ids":   append([]string{}, a.Deployments...),
		}
		if a.PrefixID != "" {
			c["prefix_id"] = a.PrefixID
		}
		cfg[strconv.Itoa(i)] = c
	}
	js, err := json.Marshal(cfg) // map keys sorted: stable
	if err != nil {
		panic(err) // strings and bools only
	}
	return []any{
		envVar(EnvBaseURLs, strings.Join(urls, ";")),
		envVar(EnvKeys, strings.Join(keys, ";")),
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
