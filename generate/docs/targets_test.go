package docs

import (
	"fmt"
	"os/exec"
	"path"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wigen-dev/wigen/generate/helm"
	"github.com/wigen-dev/wigen/generate/kustomize"
	"github.com/wigen-dev/wigen/generate/output"
	"github.com/wigen-dev/wigen/schema"
)

// targetsSpec is one environment with two federated identity credentials
// (the cluster's, read with fromCluster, and a literal issuer in another
// namespace) and two roles; the %s fill in targets, identity fields and
// createNamespace.
const targetsSpec = `apiVersion: wigen/v1alpha1
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
  roles:
    - role: Cognitive Services OpenAI User
    - role: a97b65f3-24c7-4388-baec-2e87135dc908
      scope: /subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-ai
  environments:
    - name: prod
      tenantId: 22222222-2222-2222-2222-222222222222
      subscriptionId: 11111111-1111-1111-1111-111111111111
      location: westeurope
      resourceGroup: rg-chat
      namespace: ai-chat
      createNamespace: %t
      serviceAccount: chat-openwebui
      identity:
        name: id-chat
        resourceGroup: rg-identities
%s      cluster:
        name: aks-chat
        resourceGroup: rg-aks
        issuer:
          fromCluster: true
      additionalFederations:
        - name: aks-legacy
          issuer:
            url: https://westeurope.oic.prod-aks.azure.com/22222222-2222-2222-2222-222222222222/55555555-5555-5555-5555-555555555555/
          namespace: legacy
`

type targetsCase struct {
	targets                         []string
	clientID, existing, createsNS   bool
	terraform, helmT, kustomizeT    bool
	name                            string
	spec                            *schema.Spec
	env                             *schema.Environment
	envReadme, rootReadme           string
	helmRendered, overlayNamespaces bool
}

// targetsCases renders the spec for every targets combination the README
// must describe truthfully, each with and without the client ID, an
// existing identity and createNamespace.
func targetsCases(t *testing.T) []*targetsCase {
	t.Helper()
	var out []*targetsCase
	for _, targets := range [][]string{
		{schema.TargetTerraform},
		{schema.TargetHelm},
		{schema.TargetKustomize},
		{schema.TargetHelm, schema.TargetKustomize},
		{schema.TargetTerraform, schema.TargetHelm, schema.TargetKustomize},
	} {
		for _, clientID := range []bool{true, false} {
			for _, existing := range []bool{false, true} {
				for _, createsNS := range []bool{true, false} {
					identity := ""
					if clientID {
						identity += "        clientId: 33333333-3333-3333-3333-333333333333\n"
					}
					if existing {
						identity += "        existing: true\n"
					}
					src := fmt.Sprintf(targetsSpec, strings.Join(targets, ", "), createsNS, identity)
					s, err := schema.LoadBytes("wigen.yaml", []byte(src))
					if err != nil {
						t.Fatalf("targets %v: %v", targets, err)
					}
					c := &targetsCase{
						targets: targets, clientID: clientID, existing: existing, createsNS: createsNS,
						terraform: s.HasTarget(schema.TargetTerraform), helmT: s.HasTarget(schema.TargetHelm), kustomizeT: s.HasTarget(schema.TargetKustomize),
						name: fmt.Sprintf("targets=%s,clientId=%t,existing=%t,createNamespace=%t", strings.Join(targets, "+"), clientID, existing, createsNS),
						spec: s, env: &s.Spec.Environments[0],
					}
					docs := renderDocs(t, s)
					c.envReadme, c.rootReadme = docs[EnvironmentReadme("prod")], docs[RootReadme]
					rendered := otherFiles(t, s)
					c.helmRendered = rendered[helm.StandalonePath("prod")]
					c.overlayNamespaces = rendered[path.Join(kustomize.OverlayDir("prod"), kustomize.NamespaceFile)]
					out = append(out, c)
				}
			}
		}
	}
	return out
}

// shellCommands returns the commands of the README's sh blocks: each block
// a list of commands (continuation lines joined), each command its words
// (single and double quotes removed).
func shellCommands(text string) [][][]string {
	var blocks [][][]string
	for _, m := range regexp.MustCompile("(?s)```sh\n(.*?)```").FindAllStringSubmatch(text, -1) {
		var cmds [][]string
		for _, line := range strings.Split(strings.ReplaceAll(m[1], "\\\n", " "), "\n") {
			if w := shellWords(line); len(w) > 0 {
				cmds = append(cmds, w)
			}
		}
		blocks = append(blocks, cmds)
	}
	return blocks
}

// shellWords splits a line as sh does for words made of plain characters,
// '...' and "..." (no expansion: "$x" stays $x).
func shellWords(line string) []string {
	var words []string
	var cur strings.Builder
	in, quote := false, byte(0)
	for i := 0; i < len(line); i++ {
		ch := line[i]
		switch {
		case quote != 0 && ch == quote:
			quote = 0
		case quote != 0:
			cur.WriteByte(ch)
		case ch == '\'' || ch == '"':
			quote, in = ch, true
		case ch == ' ' || ch == '\t':
			if in {
				words = append(words, cur.String())
				cur.Reset()
				in = false
			}
		default:
			cur.WriteByte(ch)
			in = true
		}
	}
	if in {
		words = append(words, cur.String())
	}
	return words
}

// flags maps each --flag of a command to its value.
func flags(cmd []string) map[string]string {
	out := map[string]string{}
	for i := 0; i+1 < len(cmd); i++ {
		if strings.HasPrefix(cmd[i], "--") {
			out[cmd[i]] = cmd[i+1]
			i++
		}
	}
	return out
}

func hasPrefix(cmd []string, words ...string) bool {
	if len(cmd) < len(words) {
		return false
	}
	return cmp.Equal(cmd[:len(words)], words)
}

// tableRow returns the text of the README table row named name.
func tableRow(t *testing.T, text, name string) string {
	t.Helper()
	m := regexp.MustCompile(`(?m)^\| ` + regexp.QuoteMeta(name) + ` \| (.*) \|$`).FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("no %q row", name)
	}
	return m[1]
}

// Without the terraform target nothing creates the identity, the federated
// identity credentials or the role assignments, and no sentence may say
// Terraform creates or reads them; the README gives the Azure CLI commands
// instead, with the environment's values, credentials in one block, in
// order.
func TestAzureSideByTargets(t *testing.T) {
	for _, c := range targetsCases(t) {
		t.Run(c.name, func(t *testing.T) {
			e, text, root := c.env, c.envReadme, c.rootReadme
			var creates, assigns, identities, clientIDs [][]string
			credBlocks := map[int]bool{}
			for bi, block := range shellCommands(text) {
				for _, cmd := range block {
					switch {
					case hasPrefix(cmd, "az", "identity", "federated-credential", "create"):
						creates = append(creates, cmd)
						credBlocks[bi] = true
					case hasPrefix(cmd, "az", "role", "assignment", "create"):
						assigns = append(assigns, cmd)
					case hasPrefix(cmd, "az", "identity", "create"):
						identities = append(identities, cmd)
					case hasPrefix(cmd, "az", "identity", "show") && flags(cmd)["--query"] == "clientId":
						clientIDs = append(clientIDs, cmd)
					}
				}
			}
			if c.terraform {
				for _, absent := range []string{"## Azure resources", "az identity create", "az identity federated-credential create", "az role assignment create"} {
					if strings.Contains(text, absent) {
						t.Errorf("the Terraform module creates the Azure side, but the README shows %q", absent)
					}
				}
				for _, must := range []string{"terraform -chdir=terraform/prod apply", "The Terraform module creates these credentials"} {
					if !strings.Contains(text, must) {
						t.Errorf("README lacks %q", must)
					}
				}
				if !strings.Contains(root, "Terraform module creates") {
					t.Errorf("root README does not say the Terraform modules create the Azure side:\n%s", root)
				}
				return
			}

			for _, doc := range []string{text, root} {
				for _, absent := range []string{"Terraform module", "read by Terraform", "terraform -chdir", "helm_release", "wigen's output", "Terraform creates"} {
					if strings.Contains(doc, absent) {
						t.Errorf("no terraform target, but a README says %q", absent)
					}
				}
			}
			for _, must := range []string{"nothing in this output creates", "## Azure resources", "must exist already or be created by other means", "HTTP 409"} {
				if !strings.Contains(text, must) {
					t.Errorf("README lacks %q", must)
				}
			}
			if !strings.Contains(root, "nothing here creates the identities, federated identity credentials or role assignments") {
				t.Errorf("root README does not say nothing creates the Azure side:\n%s", root)
			}

			// The identity, unless it exists.
			if c.existing != (len(identities) == 0) {
				t.Errorf("existing identity %t, but %d az identity create", c.existing, len(identities))
			}
			for _, cmd := range identities {
				want := map[string]string{"--name": "id-chat", "--resource-group": "rg-identities", "--location": "westeurope", "--subscription": e.SubscriptionID}
				if diff := cmp.Diff(want, flags(cmd)); diff != "" {
					t.Errorf("az identity create (-want +got):\n%s", diff)
				}
			}

			// The credentials, in one block, in order, after the issuer is read.
			fcs := e.FederatedCredentials()
			if len(creates) != len(fcs) || len(credBlocks) != 1 {
				t.Fatalf("%d credential commands in %d blocks, want %d in one block:\n%s", len(creates), len(credBlocks), len(fcs), text)
			}
			issuerLine := "issuer=$(az aks show --name aks-chat --resource-group rg-aks --subscription 11111111-1111-1111-1111-111111111111 --query oidcIssuerProfile.issuerUrl --output tsv)"
			if !strings.Contains(text, "```sh\n"+issuerLine+"\naz identity federated-credential create") {
				t.Errorf("the cluster's issuer is not read (%s) right before the credentials:\n%s", issuerLine, text)
			}
			for i, fc := range fcs {
				issuer := "$issuer"
				if fc.Issuer.URL != "" {
					issuer = fc.Issuer.URL
				}
				want := map[string]string{
					"--name": fc.Name, "--identity-name": "id-chat", "--resource-group": "rg-identities", "--subscription": e.SubscriptionID,
					"--issuer": issuer, "--subject": fc.Subject, "--audiences": schema.Audience,
				}
				if diff := cmp.Diff(want, flags(creates[i])); diff != "" {
					t.Errorf("credential %d (-want +got):\n%s", i, diff)
				}
			}

			// The role assignments, to the principal ID.
			if !strings.Contains(text, "principal_id=$(az identity show --name id-chat --resource-group rg-identities --subscription "+e.SubscriptionID+" --query principalId --output tsv)") {
				t.Errorf("the principal ID is not read:\n%s", text)
			}
			if len(assigns) != len(e.Roles) {
				t.Fatalf("%d role assignments, want %d", len(assigns), len(e.Roles))
			}
			for i, r := range e.Roles {
				role := r.Role
				if i == 1 { // a bare GUID: the role definition ID in the environment's subscription
					role = "/subscriptions/" + e.SubscriptionID + "/providers/Microsoft.Authorization/roleDefinitions/" + r.Role
				}
				want := map[string]string{"--assignee-object-id": "$principal_id", "--assignee-principal-type": "ServicePrincipal", "--role": role, "--scope": r.Scope}
				if diff := cmp.Diff(want, flags(assigns[i])); diff != "" {
					t.Errorf("role assignment %d (-want +got):\n%s", i, diff)
				}
			}

			// The client ID, when it unlocks an output.
			if wantClientID := !c.clientID && (c.helmT || c.kustomizeT); wantClientID != (len(clientIDs) > 0) {
				t.Errorf("client ID command shown %t, want %t", len(clientIDs) > 0, wantClientID)
			}
		})
	}
}

// The namespace row names exactly what creates the namespace among the
// files rendered, and each thing it names exists.
func TestNamespaceByTargets(t *testing.T) {
	for _, c := range targetsCases(t) {
		t.Run(c.name, func(t *testing.T) {
			row := tableRow(t, c.envReadme, "Namespace")
			if !c.createsNS {
				if !strings.Contains(row, "must exist already") || strings.Contains(row, "created by") {
					t.Errorf("createNamespace false: %q", row)
				}
				return
			}
			byTerraform := strings.Contains(row, "Terraform module (`kubernetes_namespace_v1`)")
			byOverlay := strings.Contains(row, "Kustomize overlay (`namespace.yaml`)")
			byHelm := strings.Contains(row, "`--create-namespace` in the Helm command below")
			if byTerraform != c.terraform {
				t.Errorf("Terraform named %t, terraform target %t: %q", byTerraform, c.terraform, row)
			}
			if byOverlay != c.overlayNamespaces {
				t.Errorf("overlay named %t, overlay namespace.yaml rendered %t: %q", byOverlay, c.overlayNamespaces, row)
			}
			if byHelm != c.helmRendered {
				t.Errorf("Helm command named %t, Helm values rendered %t: %q", byHelm, c.helmRendered, row)
			}
			if byHelm && !strings.Contains(c.envReadme, "--namespace ai-chat --create-namespace") {
				t.Errorf("the row names --create-namespace, but the Helm command lacks it:\n%s", c.envReadme)
			}
			if !c.terraform && !c.overlayNamespaces && !strings.Contains(row, "kubectl --context aks-chat create namespace ai-chat") {
				t.Errorf("nothing but Helm or nothing at all creates it, and the row does not say how to: %q", row)
			}
			if c.helmRendered && !c.terraform && !c.overlayNamespaces && !strings.Contains(row, "the Helm values do not create it") {
				t.Errorf("Helm only: the row does not say the values do not create it: %q", row)
			}
		})
	}
}

// The identity row and the client ID sentences name only what exists.
func TestIdentityAndClientIDByTargets(t *testing.T) {
	for _, c := range targetsCases(t) {
		t.Run(c.name, func(t *testing.T) {
			row := tableRow(t, c.envReadme, "Identity")
			switch {
			case c.existing && !strings.Contains(row, "made elsewhere (`identity.existing`)"):
				t.Errorf("existing identity: %q", row)
			case !c.existing && c.terraform && !strings.Contains(row, "created by the Terraform module"):
				t.Errorf("created by Terraform: %q", row)
			case !c.existing && !c.terraform && !strings.Contains(row, "not created by this output"):
				t.Errorf("created by nothing here: %q", row)
			}
			gets := regexp.MustCompile(`run `+"`wigen render -f ../wigen.yaml`"+`, to get ([^:]*?)( as well)?:`).FindAllStringSubmatch(c.envReadme, -1)
			if c.clientID || (!c.helmT && !c.kustomizeT) {
				if len(gets) > 0 {
					t.Errorf("the client ID unlocks nothing here, but the README says it gets %q", gets[0][1])
				}
				return
			}
			if len(gets) != 1 {
				t.Fatalf("%d sentences on what the client ID gets, want 1", len(gets))
			}
			if got := strings.Contains(gets[0][1], "Helm values"); got != c.helmT {
				t.Errorf("client ID gets the Helm values: %t, helm target %t", got, c.helmT)
			}
			if got := strings.Contains(gets[0][1], "Kustomize overlay"); got != c.kustomizeT {
				t.Errorf("client ID gets the Kustomize overlay: %t, kustomize target %t", got, c.kustomizeT)
			}
			if !c.clientID && strings.Contains(c.rootReadme, "## Not rendered yet") {
				if got := strings.Contains(c.rootReadme, "Kustomize overlays need"); got != c.kustomizeT {
					t.Errorf("root README: Kustomize overlays named %t, kustomize target %t", got, c.kustomizeT)
				}
			}
		})
	}
}

// Every sh block of every README parses as sh.
func TestShellBlocksParse(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh on PATH: shell syntax not checked")
	}
	for _, c := range targetsCases(t) {
		for _, m := range regexp.MustCompile("(?s)```sh\n(.*?)```").FindAllStringSubmatch(c.envReadme, -1) {
			if out, err := exec.Command(sh, "-n", "-c", m[1]).CombinedOutput(); err != nil {
				t.Errorf("%s: sh -n: %v\n%s\n%s", c.name, err, out, m[1])
			}
		}
	}
}

// An issuer read from a remote state is the cluster's when wigen knows the
// cluster (az aks show prints it); another cluster's state output is set by
// hand, and the README says which output of which backend.
func TestAzureCommandsRemoteState(t *testing.T) {
	src := strings.Replace(fmt.Sprintf(targetsSpec, "helm", true, ""), "          fromCluster: true\n",
		"          remoteState:\n            backend: azurerm\n            config: {key: aks.tfstate}\n", 1)
	src = strings.Replace(src, "            url: https://westeurope.oic.prod-aks.azure.com/22222222-2222-2222-2222-222222222222/55555555-5555-5555-5555-555555555555/\n",
		"            remoteState:\n              backend: s3\n              output: issuer\n", 1)
	s, err := schema.LoadBytes("wigen.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	a := azureCommands(&s.Spec.Environments[0], true)
	var issuers []string
	for _, cmd := range shellCommands("```sh\n" + a.Credentials + "\n```")[0] {
		if hasPrefix(cmd, "az", "identity", "federated-credential", "create") {
			issuers = append(issuers, flags(cmd)["--issuer"])
		}
	}
	if diff := cmp.Diff([]string{"$issuer", "$issuer_2"}, issuers); diff != "" {
		t.Errorf("issuers (-want +got):\n%s", diff)
	}
	if !strings.HasPrefix(a.Credentials, "issuer=$(az aks show --name aks-chat --resource-group rg-aks --subscription 11111111-1111-1111-1111-111111111111 --query oidcIssuerProfile.issuerUrl --output tsv)\n") {
		t.Errorf("the cluster's issuer is not read first:\n%s", a.Credentials)
	}
	want := []string{"Set `issuer_2` to the issuer of `aks-legacy-legacy-chat-openwebui` first: output `issuer` of the Terraform state (backend `s3`) it comes from, which `terraform output -raw issuer` prints where that state is managed."}
	if diff := cmp.Diff(want, a.IssuerNotes); diff != "" {
		t.Errorf("issuer notes (-want +got):\n%s", diff)
	}
}

// TestAzCommandsNameTheSubscription: every az identity and az aks command
// a README shows (in a sh block, in the table, in the "Not rendered"
// lines, in the verification steps) names the environment's subscription,
// for every targets combination: az would otherwise look in the signed-in
// account's default subscription.
func TestAzCommandsNameTheSubscription(t *testing.T) {
	azRE := regexp.MustCompile("\\baz (identity|aks) [^`\n]*")
	for _, c := range targetsCases(t) {
		text := strings.ReplaceAll(c.envReadme, "\\\n", " ")
		cmds := azRE.FindAllString(text, -1)
		if len(cmds) == 0 {
			t.Fatalf("%s: no az command", c.name)
		}
		for _, cmd := range cmds {
			if !strings.Contains(cmd, "--subscription "+c.env.SubscriptionID) {
				t.Errorf("%s: %q does not name subscription %s", c.name, cmd, c.env.SubscriptionID)
			}
		}
	}
}

func TestShellQuoteReadsBack(t *testing.T) {
	for in, want := range map[string]string{
		"id-chat":                         "id-chat",
		"/subscriptions/x/resourceGroups": "/subscriptions/x/resourceGroups",
		"Cognitive Services OpenAI User":  "'Cognitive Services OpenAI User'",
		"it's":                            `'it'\''s'`,
		"$x":                              "'$x'",
	} {
		if got := output.ShellQuote(in); got != want {
			t.Errorf("ShellQuote(%q) = %s, want %s", in, got, want)
		}
		if w := shellWords(output.ShellQuote(in)); len(w) != 1 || (w[0] != in && !strings.Contains(in, "'")) {
			t.Errorf("ShellQuote(%q) does not read back as one word: %q", in, w)
		}
	}
}

func TestAzRole(t *testing.T) {
	const sub = "11111111-1111-1111-1111-111111111111"
	const guid = "a97b65f3-24c7-4388-baec-2e87135dc908"
	for in, want := range map[string]string{
		"Cognitive Services OpenAI User": "Cognitive Services OpenAI User",
		guid:                             "/subscriptions/" + sub + "/providers/Microsoft.Authorization/roleDefinitions/" + guid,
		"/providers/Microsoft.Authorization/roleDefinitions/" + guid:                           guid,
		"/subscriptions/" + sub + "/providers/Microsoft.Authorization/roleDefinitions/" + guid: "/subscriptions/" + sub + "/providers/Microsoft.Authorization/roleDefinitions/" + guid,
	} {
		if got := azRole(schema.Role{Role: in}, sub); got != want {
			t.Errorf("azRole(%q) = %q, want %q", in, got, want)
		}
	}
}
