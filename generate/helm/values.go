// Package helm renders the Open WebUI chart's Helm values for Workload ID:
// one function, Values, feeds the Terraform module's values.yaml, the
// standalone values files and the Kustomize base.
package helm

import (
	"encoding/json"
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
	// KustomizeBase: nothing environment-specific and nothing of Workload
	// ID; the overlays patch those in.
	KustomizeBase
)

// Values returns the Helm values for environment e of s (e may be nil in
// KustomizeBase mode). The result is a fresh tree of map[string]any, []any
// and scalars; chart.values are deep-merged beneath wigen's own keys
// (validation refused any key wigen owns).
//
// Chart keys are those of the open-webui chart (open-webui/helm-charts,
// facts.md "Open WebUI Helm chart"): serviceAccount.enable/name/annotations,
// podLabels (pod template only), image.tag, extraEnvVars, ollama.enabled,
// pipelines.enabled.
func Values(s *schema.Spec, e *schema.Environment, m Mode) map[string]any {
	sa := map[string]any{
		"enable": true,
		// Always explicit: the chart's default name changed across versions
		// (open-webui, existing-sa, <fullname>-sa), and the federated
		// credential's subject names this one.
		"name": serviceAccountName(s, e),
	}
	v := map[string]any{
		"serviceAccount": sa,
		"image":          map[string]any{"tag": s.Spec.Chart.ImageTag},
		// A list here replaces the chart's default extraEnvVars (chart 7.2.0
		// holds a dummy OPENAI_API_KEY there): intended, access is keyless.
		"extraEnvVars": EnvVars(s, e, m),
	}
	if m != KustomizeBase {
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
	v = merge(v, s.Spec.Chart.Values)
	// Soft defaults, beneath chart.values: an Azure OpenAI deployment needs
	// neither subchart, but a user may still turn one on.
	return mergeUnder(v, map[string]any{
		"ollama":    map[string]any{"enabled": false},
		"pipelines": map[string]any{"enabled": false},
	})
}

// serviceAccountName: the environment's, or in KustomizeBase mode the one
// all Kustomize environments share (validation checks they agree).
func serviceAccountName(s *schema.Spec, e *schema.Environment) string {
	if e != nil {
		return e.ServiceAccount
	}
	if len(s.Spec.Environments) > 0 {
		return s.Spec.Environments[0].ServiceAccount
	}
	return ""
}

// EnvVars returns the app's environment variables for the Azure OpenAI
// connection by app version (facts.md "Open WebUI application"):
//   - from 0.6.31, AZURE_TOKEN_CREDENTIALS=WorkloadIdentityCredential makes
//     DefaultAzureCredential use Workload ID only;
//   - from 0.10.2, OPENAI_API_BASE_URLS, an empty OPENAI_API_KEYS and
//     OPENAI_API_CONFIGS preset the Entra ID connection (outside
//     KustomizeBase mode: the endpoint is the environment's).
//
// User entries from chart.values.extraEnvVars follow wigen's.
func EnvVars(s *schema.Spec, e *schema.Environment, m Mode) []any {
	env := []any{}
	app := s.Spec.Chart.App
	if app.TokenCredentialsEnv {
		env = append(env, envVar("AZURE_TOKEN_CREDENTIALS", "WorkloadIdentityCredential"))
	}
	if app.ConnectionFromEnv && m != KustomizeBase && e != nil && e.AzureOpenAI != nil {
		env = append(env, ConnectionEnv(e.AzureOpenAI)...)
	}
	if user, ok := s.Spec.Chart.Values["extraEnvVars"].([]any); ok {
		env = append(env, deepCopy(user).([]any)...)
	}
	return env
}

// ConnectionEnv presets connection 0 as an Azure OpenAI connection with
// Microsoft Entra ID auth: index 0 of OPENAI_API_BASE_URLS (the endpoint,
// without /openai), OPENAI_API_KEYS (empty) and OPENAI_API_CONFIGS["0"].
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
		envVar("OPENAI_API_BASE_URLS", strings.TrimSuffix(a.Endpoint, "/")),
		envVar("OPENAI_API_KEYS", ""),
		envVar("OPENAI_API_CONFIGS", string(js)),
	}
}

func envVar(name, value string) map[string]any {
	return map[string]any{"name": name, "value": value}
}

// merge returns dst with src deep-merged beneath it: keys of dst win,
// mappings merge, and extraEnvVars (already folded in) is skipped.
func merge(dst, src map[string]any) map[string]any {
	for k, sv := range src {
		if k == "extraEnvVars" {
			continue
		}
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

func deepCopy(x any) any {
	switch t := x.(type) {
	case map[string]any:
		m := make(map[string]any, len(t))
		for k, v := range t {
			m[k] = deepCopy(v)
		}
		return m
	case []any:
		s := make([]any, len(t))
		for i, v := range t {
			s[i] = deepCopy(v)
		}
		return s
	}
	return x
}
