package docs

import (
	"strings"
	"testing"

	"github.com/wigen-dev/wigen/schema"
)

const adoptReadmeSpec = `apiVersion: wigen/v1alpha1
kind: WorkloadIdentity
metadata:
  name: open-webui
spec:
  chart:
    version: 7.2.0
    imageTag: v0.6.33
CHART
  azureOpenAI:
    accountId: /subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/aoai
    endpoint: https://aoai.openai.azure.com
    deployments: [gpt-4o]
  environments:
    - name: prod
      subscriptionId: 11111111-1111-1111-1111-111111111111
      location: westeurope
      resourceGroup: rg-app
      namespace: open-webui
      serviceAccount: open-webui
      identity:
        name: id-app
      cluster:
        name: aks-prod
        resourceGroup: rg-aks
        federatedCredentialName: federated-identity
        issuer:
          fromCluster: true
ADOPT`

func prodReadme(t *testing.T, chart, adopt string) string {
	t.Helper()
	src := strings.NewReplacer("CHART\n", chart, "ADOPT", adopt).Replace(adoptReadmeSpec)
	s, err := schema.LoadBytes("wigen.yaml", []byte(src))
	if err != nil {
		t.Fatalf("load:\n%s\n%v", src, err)
	}
	return renderDocs(t, s)[EnvironmentReadme("prod")]
}

// TestAdoptionSection: the README says what adopt.tf does with each
// object, where the state must be, the plan to expect, and to remove adopt
// after the first apply; without adopt there is no such section.
func TestAdoptionSection(t *testing.T) {
	for _, tc := range []struct {
		name, adopt, chart string
		want, not          []string
	}{
		{name: "no adopt", not: []string{"## Adopting an existing setup"}},
		{name: "tutorial", adopt: "      adopt:\n        from: tutorial\n", want: []string{
			"## Adopting an existing setup",
			"the addresses are those of the Open WebUI Workload ID tutorial's Terraform",
			"| namespace open-webui | `kubernetes_namespace.this` | `kubernetes_namespace_v1.this` | `removed` with `destroy = false`, then `import` by its name: a `moved` block cannot change the resource type |",
			"| identity id-app | `azurerm_user_assigned_identity.uai` | `azurerm_user_assigned_identity.this` | `moved`: the state entry is renamed |",
			"| release open-webui | `helm_release.openwebui` | `helm_release.this` | `moved`: the state entry is renamed |",
			"These blocks need Terraform 1.7.0 or later; the module's `required_version` is `>= 1.7.0`.",
			"copy the existing `terraform.tfstate` into",
			"Expect `Plan: 1 to import, 0 to add, ... to change, 0 to destroy`, each moved object listed as \"has moved to\", and the `removed` address listed as no longer managed by Terraform (forgotten, not destroyed).",
			"Then remove `adopt` from `wigen.yaml` and run `wigen render -f ../wigen.yaml`: `adopt.tf` goes away. Keeping it is harmless while the objects exist",
			"after a `terraform destroy`: the `import` blocks then make every plan fail",
			"2. The release `open-webui` runs with the values it was installed with (the tutorial's `helm.values.yaml`)",
			"set `ollama.enabled` and `pipelines.enabled` in `spec.chart.values` before removing `adopt` (`true` keeps them, `false` removes them).",
			"3. Run `terraform -chdir=terraform/prod plan`",
			"5. Then remove `adopt`",
		}},
		// The chart values set both subcharts: the values step stays, the
		// subcharts' sentence goes.
		{name: "tutorial, subcharts set", adopt: "      adopt:\n        from: tutorial\n", chart: "    values:\n      ollama: {enabled: false}\n      pipelines: {enabled: true}\n",
			want: []string{"2. The release `open-webui` runs with the values it was installed with"}, not: []string{"keep the chart's default, on"}},
		// An adopt without the release: no values step.
		{name: "identity only", adopt: "      adopt:\n        addresses:\n          identity: azurerm_user_assigned_identity.uai\n",
			want: []string{"2. Run `terraform -chdir=terraform/prod plan`"}, not: []string{"runs with the values it was installed with"}},
		{name: "import", adopt: "      adopt:\n        import: true\n        roleAssignmentIds:\n          Cognitive Services OpenAI User: /subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/aoai/providers/Microsoft.Authorization/roleAssignments/77777777-7777-7777-7777-777777777777\n", want: []string{
			"this module's state is new: the first plan reads each of them from its API",
			"| identity id-app | — | `azurerm_user_assigned_identity.this` | `import` by ID `/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-app/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-app` |",
			// The release is adopted: its values and subcharts first.
			"2. The release `open-webui` runs with the values it was installed with, and wigen's values replace them: move those to keep into `spec.chart.values` (or this environment's `chart.values`) in `wigen.yaml` first; `helm get values open-webui --namespace open-webui` prints them. While `adopt` is there, `ollama.enabled` and `pipelines.enabled` keep the chart's default, on,",
			"3. Run `terraform -chdir=terraform/prod plan`",
			"Expect `Plan: 5 to import, 0 to add, ... to change, 0 to destroy`.",
			"These blocks need Terraform 1.5.0 or later; the module's `required_version` is `>= 1.5.0`.",
		}, not: []string{"copy the existing", "has moved to"}},
		// The Azure side only: the tutorial's namespace and release are
		// forgotten, their providers pinned for that and configured by none.
		{name: "tutorial, Azure-only", adopt: "      adopt:\n        from: tutorial\n", chart: "  targets: [terraform, helm]\n  terraform:\n    release: false\n", want: []string{
			"These blocks need Terraform 1.9.3 or later; the module's `required_version` is `>= 1.9.3`. The existing state holds objects of the `kubernetes` and `helm` providers, which this module, the Azure side only, does not manage: `terraform init` installs every provider the state names, so `versions.tf` pins them as `spec.terraform.providers` says while `adopt.tf` is there",
			"and configures none of them: from Terraform 1.9.3 a `removed` block forgets an object without reading it from the cluster, so the module holds no cluster credentials. Once `adopt` is removed, they leave `versions.tf` again.",
		}},
		{name: "release, Azure-only", adopt: "      adopt:\n        addresses:\n          release: helm_release.openwebui\n", chart: "  targets: [terraform, helm]\n  terraform:\n    release: false\n", want: []string{
			"The existing state holds objects of the `helm` provider, which this module, the Azure side only, does not manage",
			"so `versions.tf` pins it as `spec.terraform.providers` says",
			"and does not configure it: from Terraform 1.9.3",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			says(t, prodReadme(t, tc.chart, tc.adopt), tc.want, tc.not)
		})
	}
}

// TestDataSection: the README says where the chat database is, whether
// Helm keeps it, how to attach it again and how to delete it.
func TestDataSection(t *testing.T) {
	for _, tc := range []struct {
		name, chart string
		want, not   []string
	}{
		{name: "kept", want: []string{
			"## Keeping the chat database",
			"The chart's PVC `open-webui` in namespace `open-webui` holds Open WebUI's SQLite database",
			"annotate it `helm.sh/resource-policy: keep`",
			"set `spec.environments[0].chart.values.persistence.existingClaim: open-webui`",
			"kubectl --context aks-prod delete persistentvolumeclaim open-webui --namespace open-webui",
			"Deleting the namespace deletes it whatever the annotation (`terraform destroy` of this module does).",
		}},
		{name: "opted out", chart: "    keepPersistentVolumeClaim: false\n", want: []string{
			"`spec.chart.keepPersistentVolumeClaim` is false, so Helm deletes it, and the database, with the release",
		}, not: []string{"delete persistentvolumeclaim"}},
		{name: "existing claim", chart: "    values:\n      persistence:\n        existingClaim: chat-data\n", want: []string{
			"The release mounts the existing claim `chat-data` (`persistence.existingClaim`): Helm does not own it",
		}},
		{name: "object storage", chart: "    values:\n      persistence:\n        provider: s3\n", not: []string{"## Keeping the chat database"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			says(t, prodReadme(t, tc.chart, ""), tc.want, tc.not)
		})
	}
}

// says checks that readme holds every sentence of want and none of not.
func says(t *testing.T, readme string, want, not []string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(readme, w) {
			t.Errorf("README does not say %q:\n%s", w, readme)
		}
	}
	for _, n := range not {
		if strings.Contains(readme, n) {
			t.Errorf("README says %q", n)
		}
	}
}

// TestAdoptionStepsInitFirst: in every adoption mode, and for every
// environment README of the golden cases with adopt, the steps run
// `terraform init` and (for a module taking objects from another
// configuration) stop the old configuration before the first plan.
func TestAdoptionStepsInitFirst(t *testing.T) {
	readmes := map[string]string{
		"tutorial": prodReadme(t, "", "      adopt:\n        from: tutorial\n"),
		"import":   prodReadme(t, "", "      adopt:\n        import: true\n        roleAssignmentIds:\n          Cognitive Services OpenAI User: /subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/aoai/providers/Microsoft.Authorization/roleAssignments/77777777-7777-7777-7777-777777777777\n"),
	}
	for _, g := range goldens(t) {
		for name, text := range renderDocs(t, g.spec) {
			readmes[g.name+" "+name] = text
		}
	}
	n := 0
	for name, text := range readmes {
		i := strings.Index(text, "## Adopting an existing setup")
		if i < 0 || !strings.Contains(text[i:], "\n1. ") {
			continue
		}
		n++
		sec := section(text, "## Adopting an existing setup")
		env := strings.TrimSuffix(strings.TrimPrefix(name[strings.LastIndex(name, " ")+1:], "environments/"), "/README.md")
		if strings.HasPrefix(name, "tutorial") || strings.HasPrefix(name, "import") {
			env = "prod"
		}
		dir := "terraform -chdir=terraform/" + env
		initAt, planAt := strings.Index(sec, dir+" init"), strings.Index(sec, dir+" plan")
		if initAt < 0 || planAt < 0 || initAt > planAt {
			t.Errorf("%s: init at %d, plan at %d: want init before the first plan:\n%s", name, initAt, planAt, sec)
		}
		if strings.Contains(sec, "takes objects that exist already under this module") {
			if stop := strings.Index(sec, "do not apply it again"); stop < 0 || stop > planAt {
				t.Errorf("%s: the old configuration is not stopped before the first plan:\n%s", name, sec)
			}
		}
	}
	if n < 4 {
		t.Errorf("%d READMEs with adoption steps, want the two modes and the golden cases' (4 at least)", n)
	}
}
