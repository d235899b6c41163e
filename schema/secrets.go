// Secrets written as chart values: wigen's output (values files, the
// Kustomize overlay, the Argo CD Application, the Flux HelmRelease, the
// Terraform module) is committed, so a literal secret in chart.values is a
// secret in the repository. Warned about, not refused (a test environment
// may use a throwaway one): an environment variable in extraEnvVars whose
// name says it holds a secret (AZURE_CLIENT_SECRET, *_API_KEY, *_SECRET,
// *_PASSWORD, *_TOKEN) with a literal value, where the chart takes
// valueFrom.secretKeyRef (templates/workload-manager.yaml, 7.2.0 and
// 16.0.0: extraEnvVars entries are written as given); and
// sso.<provider>.clientSecret, which the open-webui chart also reads from
// a Secret named by sso.<provider>.clientExistingSecret (values.yaml,
// 7.2.0 and 16.0.0: "ignored if clientExistingSecret is set").

package schema

import (
	"strings"
)

// secretEnvName reports whether an environment variable's name says it
// holds a secret.
func secretEnvName(name string) bool {
	n := strings.ToUpper(name)
	for _, suffix := range []string{"_API_KEY", "_SECRET", "_PASSWORD", "_TOKEN"} {
		if strings.HasSuffix(n, suffix) {
			return true
		}
	}
	return n == "API_KEY" || n == "PASSWORD" || n == "SECRET" || n == "TOKEN"
}

// secretEnv warns about environment variable name, at p, set to the
// literal value.
func (v *validator) secretEnv(name string, value any, p string) {
	if s, ok := value.(string); !ok || s == "" || !secretEnvName(name) || name == "OPENAI_API_KEY" {
		return // OPENAI_API_KEY is refused by checkEnvName
	}
	v.warnf(p, "%s holds a secret in a committed file (wigen's output is committed); use a Secret: valueFrom.secretKeyRef", name)
}

// ssoSecrets warns about literal sso.<provider>.clientSecret values in
// vals, the chart values at p.
func (v *validator) ssoSecrets(vals map[string]any, p string) {
	sso, _ := vals["sso"].(map[string]any)
	for _, prov := range sortedKeys(sso) {
		m, _ := sso[prov].(map[string]any)
		if s, ok := m["clientSecret"].(string); ok && s != "" {
			v.warnf(joinKey(joinKey(joinKey(p, "sso"), prov), "clientSecret"), "is a secret in a committed file (wigen's output is committed); put it in a Secret and name it with sso.%s.clientExistingSecret (and clientExistingSecretKey)", prov)
		}
	}
}
