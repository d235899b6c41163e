package schema

import (
	"strings"
	"testing"
)

// serviceAccount: default is refused for the app (the chart renders its
// own; Helm will not install over the namespace's default service
// account), and warned about for an additional federation.
func TestDefaultServiceAccount(t *testing.T) {
	got := diagnostics(t, edit(t, "serviceAccount: open-webui\n", "serviceAccount: default\n"))
	if len(got) != 1 || !strings.Contains(got[0], "spec.environments[0].serviceAccount: \"default\" is the service account Kubernetes creates in every namespace") {
		t.Errorf("environment: %q", got)
	}
	got = diagnostics(t, edit(t, "spec:\n", "spec:\n  defaults:\n    serviceAccount: default\n", "      serviceAccount: open-webui\n", ""))
	if len(got) != 1 || !strings.Contains(got[0], "\"default\" is the service account Kubernetes creates") {
		t.Errorf("from spec.defaults: %q", got)
	}
	got = diagnostics(t, edit(t, "          fromCluster: true\n", "          fromCluster: true\n      additionalFederations:\n        - name: batch\n          issuer: {fromCluster: true}\n          serviceAccount: default\n"))
	if len(got) != 1 || !strings.Contains(got[0], "warning: spec.environments[0].additionalFederations[0].serviceAccount: \"default\" is the service account of every pod in namespace \"open-webui\"") {
		t.Errorf("federation: %q", got)
	}
}
