package replacement

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// gitopsDoc is base rendered by target (argocd or flux) alone, with the
// edits applied.
func gitopsDoc(t *testing.T, target string, pairs ...string) string {
	t.Helper()
	cfg := map[string]string{
		"argocd": "      argocd:\n        project: default\n        destination:\n          name: aks-prod\n        automated: true\n",
		"flux":   "      flux:\n        interval: 5m\n",
	}[target]
	doc := edited(t, append([]string{
		"spec:\n  chart:", "spec:\n  targets: [" + target + "]\n  chart:",
		"          fromCluster: true\n", "          fromCluster: true\n" + cfg,
	}, pairs...)...)
	return doc
}

// TestFindGitOps: the Argo CD Application and the Flux HelmRelease are
// compared as the previous render left them on disk. Flux runs Helm: a new
// release name, target namespace or chart name uninstalls the release
// (helm.sh/resource-policy: keep leaves the PVC). Argo CD prunes what it
// no longer renders: a new destination namespace or chart, or an upgrade
// that renames the chart's objects, deletes the PVC unless it carries the
// sync option Prune=false, which wigen's Application gives it.
func TestFindGitOps(t *testing.T) {
	const (
		app = "argocd/prod/application.yaml"
		hr  = "flux/prod/helmrelease.yaml"
	)
	chat := []string{"name: open-webui\nspec", "name: chat\nspec"}
	upgrade := []string{"version: 7.2.0", "version: 16.0.0", "imageTag: v0.6.33", "imageTag: v0.11.0"}
	for _, tc := range []struct {
		name     string
		old, new string
		want     []string
	}{
		{"argocd: same input", gitopsDoc(t, "argocd"), gitopsDoc(t, "argocd"), nil},
		{"argocd: in-place change", gitopsDoc(t, "argocd"), gitopsDoc(t, "argocd", "deployments: [gpt-4o]", "deployments: [gpt-4o, o3]"), nil},
		{"argocd: release renamed, chart 7.2.0 names objects alike", gitopsDoc(t, "argocd"), gitopsDoc(t, "argocd", chat...), nil},
		{"argocd: namespace changed", gitopsDoc(t, "argocd"), gitopsDoc(t, "argocd", "namespace: open-webui", "namespace: chat"), []string{
			`environment "prod": Argo CD Application destination namespace "open-webui" becomes "chat" (` + app + `): every object of the app moves to namespace "chat": Argo CD prunes the objects in "open-webui" (automated prune, or a sync with prune); the PVC "open-webui" stays (Prune=false) and the app starts on a new, empty one`,
		}},
		{"argocd: namespace changed, PVC not kept", gitopsDoc(t, "argocd", "    imageTag: v0.6.33\n", "    imageTag: v0.6.33\n    keepPersistentVolumeClaim: false\n"),
			gitopsDoc(t, "argocd", "    imageTag: v0.6.33\n", "    imageTag: v0.6.33\n    keepPersistentVolumeClaim: false\n", "namespace: open-webui", "namespace: chat"), []string{
				`environment "prod": Argo CD Application destination namespace "open-webui" becomes "chat" (` + app + `): every object of the app moves to namespace "chat": Argo CD prunes the objects in "open-webui" (automated prune, or a sync with prune), the PVC "open-webui" and the chat database in it among them, and the app starts on a new, empty one`,
			}},
		{"argocd: chart renamed", gitopsDoc(t, "argocd"), gitopsDoc(t, "argocd", "    version: 7.2.0\n", "    name: open-webui-fork\n    version: 7.2.0\n"), []string{
			`environment "prod": Argo CD Application chart "open-webui" becomes "open-webui-fork" (` + app + `): Argo CD renders another chart: it prunes every object of "open-webui" the new chart does not render under the same name; the PVC "open-webui" stays (Prune=false) and the app starts on a new, empty one`,
		}},
		{"argocd: chart 7.2.0 to 16.0.0 with release chat", gitopsDoc(t, "argocd", chat...), gitopsDoc(t, "argocd", append(chat, upgrade...)...), []string{
			`environment "prod": Argo CD Application (chart "open-webui" "7.2.0" -> "16.0.0") renames the workload, Service and PVC "open-webui" to "chat-open-webui" (` + app + `): the app starts on a new, empty PVC; a sync with prune leaves "open-webui" (Prune=false) unused: set persistence.existingClaim: "open-webui" in the environment's chart.values (spec.environments[].chart.values) to use it again; the new objects replace the old: anything that calls Service "open-webui" by name (an ingress) must follow`,
		}},
		{"flux: same input", gitopsDoc(t, "flux"), gitopsDoc(t, "flux"), nil},
		{"flux: release renamed", gitopsDoc(t, "flux"), gitopsDoc(t, "flux", chat...), []string{
			`environment "prod": Flux release "open-webui" in namespace "open-webui" becomes "chat" in namespace "open-webui" (` + hr + `): Flux uninstalls it and installs it again: the PVC "open-webui" stays (helm.sh/resource-policy: keep), but the new release does not use it: set persistence.existingClaim: "open-webui" in the environment's chart.values (spec.environments[].chart.values) to use it again`,
		}},
		{"flux: namespace changed", gitopsDoc(t, "flux"), gitopsDoc(t, "flux", "namespace: open-webui", "namespace: chat"), []string{
			`environment "prod": Flux release "open-webui" in namespace "open-webui" becomes "open-webui" in namespace "chat" (` + hr + `): Flux uninstalls it and installs it again: the PVC "open-webui" stays in namespace "open-webui" (helm.sh/resource-policy: keep), and the release in "chat" starts with a new, empty database`,
		}},
		{"flux: chart renamed, PVC not kept", gitopsDoc(t, "flux", "    imageTag: v0.6.33\n", "    imageTag: v0.6.33\n    keepPersistentVolumeClaim: false\n"),
			gitopsDoc(t, "flux", "    imageTag: v0.6.33\n", "    imageTag: v0.6.33\n    keepPersistentVolumeClaim: false\n", "    version: 7.2.0\n", "    name: open-webui-fork\n    version: 7.2.0\n"), []string{
				`environment "prod": Flux release "open-webui" in namespace "open-webui" becomes "open-webui" in namespace "open-webui" (chart "open-webui" -> "open-webui-fork") (` + hr + `): Flux uninstalls it and installs it again: the chart's PVC "open-webui" is deleted, and the chat database in it`,
			}},
		{"flux: chart 7.2.0 to 16.0.0 with release chat", gitopsDoc(t, "flux", chat...), gitopsDoc(t, "flux", append(chat, upgrade...)...), []string{
			`environment "prod": Flux release "chat" (chart "open-webui" "7.2.0" -> "16.0.0") renames the workload, Service and PVC "open-webui" to "chat-open-webui" (` + hr + `): the upgrade starts on a new, empty PVC and leaves "open-webui" (helm.sh/resource-policy: keep) unused: set persistence.existingClaim: "open-webui" in the environment's chart.values (spec.environments[].chart.values) to use it again; the new objects replace the old: anything that calls Service "open-webui" by name (an ingress) must follow`,
		}},
		{"flux: OCI chart renamed", gitopsDoc(t, "flux", "    version: 7.2.0\n", "    repository: oci://cr.example.io/helm\n    version: 7.2.0\n"),
			gitopsDoc(t, "flux", "    version: 7.2.0\n", "    repository: oci://cr.example.io/helm\n    name: open-webui-fork\n    version: 7.2.0\n"), []string{
				`environment "prod": Flux release "open-webui" in namespace "open-webui" becomes "open-webui" in namespace "open-webui" (chart "open-webui" -> "open-webui-fork") (` + hr + `): Flux uninstalls it and installs it again: the PVC "open-webui" stays (helm.sh/resource-policy: keep), but the new release does not use it: set persistence.existingClaim: "open-webui" in the environment's chart.values (spec.environments[].chart.values) to use it again`,
			}},
		{"flux: the HelmRelease's namespace changed", gitopsDoc(t, "flux"), gitopsDoc(t, "flux", "        interval: 5m\n", "        interval: 5m\n        namespace: flux-apps\n"), []string{
			`environment "prod": Flux release "open-webui" in namespace "open-webui" becomes "open-webui" in namespace "open-webui" (its history from namespace "flux-system" to "flux-apps") (` + hr + `): Flux uninstalls it and installs it again; the PVC "open-webui" stays (helm.sh/resource-policy: keep), and the new install, of the same release in the same namespace, takes it over`,
		}},
		{"argocd and flux: environment added", gitopsDoc(t, "flux"), strings.Replace(gitopsDoc(t, "flux"), "- name: prod", "- name: staging", 1), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := lines(Find(tree(t, tc.old), tree(t, tc.new)))
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("replacements (-want +got):\n%s", d)
			}
		})
	}
}
