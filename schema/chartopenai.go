// The open-webui chart's own OpenAI environment, by chart version: which
// chart values make the chart put OPENAI_API_BASE_URL, OPENAI_API_KEY or
// OPENAI_API_KEYS into the app container, and the values that keep them
// out. Read from open-webui/helm-charts, charts/open-webui/values.yaml and
// templates/workload-manager.yaml (the env: block of the app container), at
// chart 7.2.0 and 16.0.0; the versions between from facts.md "Open WebUI
// Helm chart".
//
//   - Every chart read emits OPENAI_API_BASE_URL from openaiBaseApiUrl
//     (default https://api.openai.com/v1) when enableOpenaiApi is on,
//     openaiBaseApiUrls is empty and pipelines are off: exactly what wigen
//     renders. An empty openaiBaseApiUrl takes that branch away; with
//     pipelines off no other branch emits anything.
//   - From 8.11.0 that same branch also emits OPENAI_API_KEY, from
//     openaiApiKey (default the dummy "0p3n-w3bu!") or, from a Secret,
//     openaiApiKeyExistingSecret; with pipelines on, another branch emits it
//     beside the Pipelines endpoint. openaiApiKeys and
//     openaiApiKeysExistingSecret emit OPENAI_API_KEYS beside
//     openaiBaseApiUrls or pipelines.
//   - Before 8.11.0 (7.2.0) the dummy OPENAI_API_KEY is the default of
//     extraEnvVars, a list that wigen's own replaces.
//
// The app treats an empty OPENAI_API_KEYS as unset and falls back to
// OPENAI_API_KEY, so a chart key in the pod becomes the key of wigen's
// Entra ID connection (facts.md "Open WebUI application").

package schema

// Chart values that make the open-webui chart emit OpenAI env.
const (
	ChartValueOpenAIBaseURL    = "openaiBaseApiUrl"
	ChartValueOpenAIBaseURLs   = "openaiBaseApiUrls"
	ChartValueOpenAIKey        = "openaiApiKey"
	ChartValueOpenAIKeySecret  = "openaiApiKeyExistingSecret"
	ChartValueOpenAIKeys       = "openaiApiKeys"
	ChartValueOpenAIKeysSecret = "openaiApiKeysExistingSecret"
	ChartValueExtraEnvVars     = "extraEnvVars"
)

// The OpenAI API key variables the app reads.
const (
	EnvOpenAIKey  = "OPENAI_API_KEY"
	EnvOpenAIKeys = "OPENAI_API_KEYS"
)

// chartOpenAIKeyValueSince is the first chart version with openaiApiKey.
const chartOpenAIKeyValueSince = "8.11.0"

// ChartHasOpenAIKeyValue reports whether open-webui chart version v has
// the openaiApiKey value, emitted as OPENAI_API_KEY (8.11.0 and later). An
// unparsable version counts as a current one.
func ChartHasOpenAIKeyValue(v string) bool {
	since, ok := versionStringAtLeast(v, chartOpenAIKeyValueSince)
	return !ok || since
}

// ChartOpenAIOff returns the chart values that keep the chart's own OpenAI
// env out of the app container for chart version v: openaiBaseApiUrl ""
// (every version) and, from 8.11.0, openaiApiKey "" (its dummy key would
// otherwise follow wherever pipelines are turned on). A fresh map.
func ChartOpenAIOff(v string) map[string]any {
	m := map[string]any{ChartValueOpenAIBaseURL: ""}
	if ChartHasOpenAIKeyValue(v) {
		m[ChartValueOpenAIKey] = ""
	}
	return m
}

// ChartOpenAIKeySources returns the chart values through which open-webui
// chart version v puts env variable name (OPENAI_API_KEY or
// OPENAI_API_KEYS) into the app container, most likely first; nil for any
// other name. extraEnvVars, where a user can put anything (and whose
// default holds a dummy OPENAI_API_KEY before 8.11.0), comes last.
func ChartOpenAIKeySources(v, name string) []string {
	hasKeyValues := ChartHasOpenAIKeyValue(v)
	switch {
	case name == EnvOpenAIKey && hasKeyValues:
		return []string{ChartValueOpenAIKey, ChartValueOpenAIKeySecret, ChartValueExtraEnvVars}
	case name == EnvOpenAIKeys && hasKeyValues:
		return []string{ChartValueOpenAIKeys, ChartValueOpenAIKeysSecret, ChartValueExtraEnvVars}
	case name == EnvOpenAIKey || name == EnvOpenAIKeys:
		return []string{ChartValueExtraEnvVars}
	}
	return nil
}
