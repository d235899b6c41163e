package docs

import (
	"fmt"
	"strings"
	"testing"

	"github.com/wigen-dev/wigen/schema"
)

// sharedSpec has two environments on one user-assigned managed identity:
// dev creates it and assigns the default role; prod reads it
// (existing: true) and assigns none. %s fills in the targets.
const sharedSpec = `apiVersion: wigen/v1alpha1
kind: WorkloadIdentity
metadata:
  name: chat
spec:
  targets: [%s]
  chart:
    version: 16.0.0
    imageTag: v0.11.0
  azureOpenAI:
    accountId: /subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/aoai
    endpoint: https://aoai.openai.azure.com
    deployments: [gpt-4o]
  defaults:
    tenantId: 22222222-2222-2222-2222-222222222222
    subscriptionId: 11111111-1111-1111-1111-111111111111
    location: westeurope
    resourceGroup: rg-chat
    serviceAccount: chat-openwebui
    identity:
      name: id-chat
      clientId: 33333333-3333-3333-3333-333333333333
  environments:
    - name: dev
      namespace: chat-dev
      cluster:
        name: aks-dev
        resourceGroup: rg-aks
        issuer:
          fromCluster: true
    - name: prod
      namespace: chat-prod
      identity:
        existing: true
      roles: []
      cluster:
        name: aks-prod
        resourceGroup: rg-aks
        issuer:
          fromCluster: true
    - name: solo
      namespace: chat-solo
      identity:
        name: id-solo
        clientId: 44444444-4444-4444-4444-444444444444
      cluster:
        name: aks-solo
        resourceGroup: rg-aks
        issuer:
          fromCluster: true
`

// TestSharedIdentity: when environments share an identity, each README
// names the others and what it depends on in them: the environment that
// creates the identity, the one whose module assigns the role another
// relies on, and (with Terraform) what `terraform destroy` of one module
// takes from the others. An environment with an identity of its own gets
// no such section.
func TestSharedIdentity(t *testing.T) {
	const scope = "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/aoai"
	for _, tc := range []struct {
		targets   string
		dev, prod []string
		absent    []string
	}{
		{
			targets: "terraform, helm, kustomize",
			prod: []string{
				"## Shared identity",
				"Environment `dev` uses the same user-assigned managed identity `id-chat`",
				"Environment `dev` creates the identity with its Terraform module, and this environment only reads it (`identity.existing`): `terraform destroy` of `dev`'s module deletes the identity, and with it this environment's federated identity credentials.",
				"This environment assigns the identity no role (`roles: []`), so its pods call Azure OpenAI through the role assignments of other environments: `dev` assigns `Cognitive Services OpenAI User` on `" + scope + "` with its Terraform module. `terraform destroy` of that module removes its role assignments, for this environment too.",
				"| Identity | `id-chat` in resource group `rg-chat`, subscription `11111111-1111-1111-1111-111111111111`; created by environment `dev`'s Terraform module (`identity.existing` here), read by this environment's module; shared with other environments (see \"Shared identity\" below) |",
			},
			dev: []string{
				"## Shared identity",
				"Environment `prod` uses the same user-assigned managed identity `id-chat`",
				"This environment's Terraform module creates the identity, and `prod` only reads it (`identity.existing`): `terraform destroy` of this module deletes the identity, and with it its federated identity credentials, so its pods lose access too.",
				"`prod` assigns the identity no role and relies on the role assignment made here (`Cognitive Services OpenAI User` on `" + scope + "`). `terraform destroy` of this module removes it for that environment too.",
			},
		},
		{
			targets: "helm",
			prod: []string{
				"Environment `dev` creates the identity with the Azure CLI commands of its README, and this environment only reads it (`identity.existing`)",
				"`dev` assigns `Cognitive Services OpenAI User` on `" + scope + "` with the Azure CLI commands of its README.",
			},
			dev: []string{
				"This environment's Azure CLI commands create the identity, and `prod` only reads it (`identity.existing`)",
				"`prod` assigns the identity no role and relies on the role assignment made here",
			},
			absent: []string{"terraform destroy"},
		},
	} {
		t.Run(tc.targets, func(t *testing.T) {
			s, err := schema.LoadBytes("wigen.yaml", []byte(fmt.Sprintf(sharedSpec, tc.targets)))
			if err != nil {
				t.Fatal(err)
			}
			docs := renderDocs(t, s)
			for env, want := range map[string][]string{"dev": tc.dev, "prod": tc.prod} {
				text := docs[EnvironmentReadme(env)]
				for _, w := range want {
					if !strings.Contains(text, w) {
						t.Errorf("%s README lacks %q:\n%s", env, w, sharedSection(text))
					}
				}
				for _, a := range tc.absent {
					if strings.Contains(sharedSection(text), a) {
						t.Errorf("%s README's shared identity section says %q without the terraform target:\n%s", env, a, sharedSection(text))
					}
				}
			}
			solo := docs[EnvironmentReadme("solo")]
			if strings.Contains(solo, "Shared identity") || strings.Contains(solo, "`dev`") {
				t.Errorf("solo has its own identity, but its README speaks of sharing:\n%s", sharedSection(solo))
			}
		})
	}
}

// sharedSection returns the "Shared identity" section of a README, or the
// whole README when it has none.
func sharedSection(text string) string { return section(text, "## Shared identity") }

// section returns the section of a README under heading (up to the next
// "## " heading), or the whole README when it has none.
func section(text, heading string) string {
	i := strings.Index(text, heading)
	if i < 0 {
		return text
	}
	rest := text[i+1:]
	if j := strings.Index(rest, "\n## "); j >= 0 {
		return text[i : i+1+j]
	}
	return text[i:]
}

// TestReadmesNameTheInput: the READMEs name the input by its file name
// and give the render command for it (-f when it is not wigen.yaml),
// never a wigen.yaml that does not exist.
func TestReadmesNameTheInput(t *testing.T) {
	src := strings.Replace(fmt.Sprintf(sharedSpec, "terraform, helm, kustomize"), "      clientId: 33333333-3333-3333-3333-333333333333\n", "", 1)
	s, err := schema.LoadBytes("two2.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	files, err := Render(s)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		RootReadme: {"Edit `two2.yaml` and run `wigen render -f two2.yaml` in its folder", "`wigen render -f two2.yaml --check` fails"},
		EnvironmentReadme("prod"): {
			"Set `spec.environments[1].identity.clientId` in `two2.yaml` and run `wigen render -f ../two2.yaml` again",
			"Then put the client ID into `two2.yaml` (`spec.environments[1].identity.clientId`) and run `wigen render -f ../two2.yaml`",
			"(in the input's folder, `wigen render -f two2.yaml`)",
			"deployments in `two2.yaml` reaches",
		},
	}
	for _, f := range files {
		text := string(f.Data)
		if i := strings.Index(text, "wigen.yaml"); i >= 0 {
			t.Errorf("%s names wigen.yaml, but the input is two2.yaml: ...%s...", f.Path, text[max(0, i-80):min(len(text), i+40)])
		}
		for _, w := range want[f.Path] {
			if !strings.Contains(text, w) {
				t.Errorf("%s lacks %q", f.Path, w)
			}
		}
	}
}
