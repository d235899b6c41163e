package docs

import (
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// goldenDocs renders the READMEs of golden case name.
func goldenDocs(t *testing.T, name string) map[string]string {
	t.Helper()
	for _, g := range goldens(t) {
		if g.name == name {
			return renderDocs(t, g.spec)
		}
	}
	t.Fatalf("golden case %s is missing", name)
	return nil
}

func wantIn(t *testing.T, what, text string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("%s lacks %q", what, w)
		}
	}
}

// TestTopologyReadmes: with a shared identity the READMEs say which module
// creates every credential and in what order to apply the modules; a
// cluster in another subscription is named with its subscription; an
// Azure-only module says what installs the app.
func TestTopologyReadmes(t *testing.T) {
	docs := goldenDocs(t, "team-topology")
	wantIn(t, "root README", docs[RootReadme],
		"- Rendered: terraform (dev, staging, prod), helm (dev, staging), kustomize (prod)",
		"## Apply order",
		"- `terraform/dev` before `terraform/staging` (identity `id-open-webui-nonprod`: environment `dev`'s module creates it and every federated identity credential on it).",
		"| `prod` | terraform, kustomize |",
		"prod/  (Terraform root module, Azure side only)")
	wantIn(t, "dev README", docs[EnvironmentReadme("dev")],
		"creates the federated identity credentials of every environment using it, one after another",
		"The Terraform module creates this credential on the identity, and the credentials of `staging` too (same identity), all one after another.",
		"- Apply this module (`terraform/dev`) before `terraform/staging`: it creates the identity, which that module reads, and the federated identity credentials of every environment using it.",
		"It holds the credentials of `staging` too")
	wantIn(t, "staging README", docs[EnvironmentReadme("staging")],
		"Environment `dev`'s Terraform module ([terraform/dev/](../../terraform/dev/)) creates this credential on the identity",
		"- Apply `terraform/dev` (environment `dev`) first: it creates the identity and this environment's federated identity credentials",
		"- Then `terraform/staging`: it reads the identity, so its plan fails until `terraform/dev` has created it.",
		"environment `dev`'s Terraform module creates the federated identity credentials of all of them, this environment's included",
		"| Client ID | `33333333-3333-3333-3333-333333333333` |")
	prod := docs[EnvironmentReadme("prod")]
	wantIn(t, "prod README", prod,
		"| AKS cluster | `aks-prod` in resource group `rg-aks-prod`, subscription `99999999-9999-9999-9999-999999999999` |",
		"az aks show --name aks-prod --resource-group rg-aks-prod --subscription 99999999-9999-9999-9999-999999999999",
		"It holds the Azure side only (`terraform.release: false`)",
		"the Kustomize overlay installs the app",
		"which inflates the chart in namespace `open-webui` with this environment's values (`values.yaml`)",
		"| Namespace | `open-webui`; created by the Kustomize overlay (`namespace.yaml`) |")
	for _, absent := range []string{"helm_release", "### Apply order", "kubernetes_namespace_v1"} {
		if strings.Contains(prod, absent) {
			t.Errorf("prod README says %q", absent)
		}
	}
}

func TestGitOpsReadmes(t *testing.T) {
	argo := goldenDocs(t, "azure-only-argocd")
	wantIn(t, "Argo CD prod README", argo[EnvironmentReadme("prod")],
		"- [argocd/prod/application.yaml](../../argocd/prod/application.yaml): the Argo CD Application `open-webui-prod` (namespace `argocd`, project `open-webui`), deploying to cluster `aks-prod`",
		"kubectl apply --namespace argocd --filename argocd/prod/application.yaml",
		"Argo CD then syncs it by itself",
		"yq '.spec.source.helm.valuesObject' argocd/prod/application.yaml > /tmp/open-webui-prod-values.yaml",
		"  | wigen lint -f ../wigen.yaml --env prod",
		"created by the Argo CD Application (`CreateNamespace=true`)")
	wantIn(t, "Argo CD dev README", argo[EnvironmentReadme("dev")], "argocd app sync argocd/open-webui-dev")
	flux := goldenDocs(t, "flux-oci")
	wantIn(t, "Flux prod README", flux[EnvironmentReadme("prod")],
		"the HelmRelease `open-webui-prod` and its OCIRepository in namespace `flux-system`",
		"kubectl --context aks-prod apply --kustomize flux/prod",
		"yq '.spec.values' flux/prod/helmrelease.yaml",
		"helm template open-webui oci://crexample.azurecr.io/helm/open-webui",
		"created by the Flux HelmRelease (`install.createNamespace`)")
	wantIn(t, "Flux qa README", flux[EnvironmentReadme("qa")],
		"- `flux/qa/`: identity.clientId is not set",
		"Flux installs the app, once identity.clientId is set",
		"to get the Flux HelmRelease as well")
}

// TestGoldenShellBlocksParse: every sh block of every golden README parses
// as sh.
func TestGoldenShellBlocksParse(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh on PATH: shell syntax not checked")
	}
	block := regexp.MustCompile("(?s)```sh\n(.*?)```")
	for _, g := range goldens(t) {
		for p, text := range renderDocs(t, g.spec) {
			for _, m := range block.FindAllStringSubmatch(text, -1) {
				if out, err := exec.Command(sh, "-n", "-c", m[1]).CombinedOutput(); err != nil {
					t.Errorf("%s %s: sh -n: %v\n%s\n%s", g.name, p, err, out, m[1])
				}
			}
		}
	}
}
