// spec.openWebUI: who sees the models of the connections (modelAccess)
// and whether the rendered configuration wins over edits made in the app
// (persistentConfig). Sources: facts.md "Open WebUI application";
// open-webui/open-webui backend/open_webui/config.py (PersistentConfig:
// the database value wins over the environment unless
// ENABLE_PERSISTENT_CONFIG is false) and backend/open_webui/env.py
// (BYPASS_MODEL_ACCESS_CONTROL), both read from the environment by every
// app version wigen supports (0.6.30 and later).

package schema

// validateOpenWebUI checks spec.openWebUI against the app version.
// persistentConfig: false makes the environment win at every start: below
// 0.10.2, which does not read OPENAI_API_CONFIGS from the environment, the
// Entra ID connection can only be made in the app, and every restart would
// drop it again.
func (v *validator) validateOpenWebUI() {
	app := v.s.Spec.Chart.App
	if !v.s.Spec.OpenWebUI.ConfigPersists() && app.Version != "" && !app.ConnectionFromEnv {
		v.errorf("spec.openWebUI.persistentConfig", "false needs Open WebUI 0.10.2 or later (spec.chart.imageTag is %s): below it the app does not read the Azure OpenAI connections from its environment, so they are made in the app, and with ENABLE_PERSISTENT_CONFIG=False every restart drops them; leave persistentConfig out, or use an image tag from v0.10.2", app.Version)
	}
}
