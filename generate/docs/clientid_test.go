package docs

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/wigen-dev/wigen/generate/helm"
	"github.com/wigen-dev/wigen/schema"
)

// fakeClientID is what the fake terraform and az print as the client ID:
// upper case, as no Azure API prints it, so that a command that forgets to
// lowercase it computes another checksum.
const fakeClientID = "ABCDEF01-2345-6789-ABCD-EF0123456789"

// fakeTools writes terraform and az scripts into a folder and returns it:
// `terraform ... output -raw client_id` and `az identity show ... --query
// clientId` print fakeClientID; any other az command prints its arguments,
// one a line.
func fakeTools(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	scripts := map[string]string{
		"terraform": "#!/bin/sh\ncase \"$*\" in *'output -raw client_id') printf '%s' " + fakeClientID + ";; *) exit 3;; esac\n",
		"az":        "#!/bin/sh\nif [ \"$1 $2\" = 'identity show' ]; then printf '%s\\n' " + fakeClientID + "; else printf '%s\\n' \"$@\"; fi\n",
	}
	for name, body := range scripts {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// runSh runs script with sh in a temporary folder, the fake tools first
// on PATH.
func runSh(t *testing.T, tools, script string) string {
	t.Helper()
	cmd := exec.Command("sh", "-c", script)
	cmd.Dir = t.TempDir()
	cmd.Env = append(os.Environ(), "PATH="+tools+string(os.PathListSeparator)+os.Getenv("PATH"))
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("sh -c %q: %v", script, err)
	}
	return string(out)
}

// TestVerifyCommandsRun runs, with sh, the checksum and role assignment
// commands of every golden environment README (terraform and az faked):
// the checksum command prints exactly schema.WorkloadIdentityChecksum of
// the client ID and tenant ID the pods get, and az role assignment list
// gets the client ID as --assignee, whether the input sets it or the
// command reads it from Terraform or the Azure CLI.
func TestVerifyCommandsRun(t *testing.T) {
	for _, tool := range []string{"sh", "sha256sum", "tr"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not found: %v", tool, err)
		}
	}
	tools := fakeTools(t)
	cases := goldens(t)
	// Without Terraform and without identity.clientId: the Azure CLI
	// prints the client ID (no golden case is so).
	for _, targets := range []string{"helm", "terraform, helm"} {
		src := strings.Replace(fmt.Sprintf(sharedSpec, targets), "      clientId: 33333333-3333-3333-3333-333333333333\n", "", 1)
		s, err := schema.LoadBytes("wigen.yaml", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		cases = append(cases, golden{"targets " + targets, s})
	}
	for _, g := range cases {
		docs := renderDocs(t, g.spec)
		for i := range g.spec.Spec.Environments {
			e := &g.spec.Spec.Environments[i]
			text := docs[EnvironmentReadme(e.Name)]
			clientID := fakeClientID
			if helm.HasClientID(e) {
				clientID = e.Identity.ClientID
			}
			want := schema.WorkloadIdentityChecksum(clientID, e.TenantID) + "  -\n"
			sum := ""
			roles := 0
			for _, l := range strings.Split(text, "\n") {
				switch {
				case strings.HasPrefix(l, "printf '%s\\n%s' "):
					sum = l
				case strings.HasPrefix(l, "az role assignment list "):
					roles++
					args := strings.Split(runSh(t, tools, l), "\n")
					for j, a := range args {
						if a == "--assignee" && (j+1 == len(args) || args[j+1] != clientID) {
							t.Errorf("%s %s: %s: --assignee is not %s: %q", g.name, e.Name, l, clientID, args)
						}
					}
				}
			}
			if sum == "" {
				t.Errorf("%s %s: no checksum command", g.name, e.Name)
			} else if got := runSh(t, tools, sum); got != want {
				t.Errorf("%s %s: %s prints %q, want %q", g.name, e.Name, sum, got, want)
			}
			if roles != len(e.AzureOpenAI) {
				t.Errorf("%s %s: %d az role assignment list commands, want one per account (%d)", g.name, e.Name, roles, len(e.AzureOpenAI))
			}
		}
	}
}

// TestIssuerCompareRuns runs, with sh and a fake az printing a given
// issuer, the command each README gives to compare a literal issuer with
// the cluster's: it prints "same" for the literal issuer exactly and
// "different" for it without its trailing slash, and asks the cluster's
// subscription (cluster.subscriptionId), by resource group when known.
func TestIssuerCompareRuns(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skipf("sh not found: %v", err)
	}
	data, err := os.ReadFile(filepath.Join("..", "..", "golden", "multi-environment", "wigen.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	const url = "https://westeurope.oic.prod-aks.azure.com/22222222-2222-2222-2222-222222222222/88888888-8888-8888-8888-888888888888/"
	for _, tc := range []struct {
		name, cluster, subscription, verb string
	}{
		{"by name", "", "11111111-1111-1111-1111-111111111111", "list"},
		{"by resource group, cluster in another subscription", "        resourceGroup: rg-aks-dev\n        subscriptionId: 77777777-7777-7777-7777-777777777777\n", "77777777-7777-7777-7777-777777777777", "show"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := strings.Replace(string(data), "        name: aks-dev\n", "        name: aks-dev\n"+tc.cluster, 1)
			s, err := schema.LoadBytes("wigen.yaml", []byte(src))
			if err != nil {
				t.Fatal(err)
			}
			text := renderDocs(t, s)[EnvironmentReadme("dev")]
			m := regexp.MustCompile("prints `same` when they are equal[^:]*: `(.*)`\\.\n").FindStringSubmatch(text)
			if m == nil {
				t.Fatalf("no issuer comparison:\n%s", text)
			}
			dir := t.TempDir()
			az := "#!/bin/sh\ncase \"$*\" in \"aks " + tc.verb + " \"*\"--subscription " + tc.subscription + " \"*) printf '%s\\n' \"$ISSUER\";; *) echo \"unexpected: $*\" >&2; exit 3;; esac\n"
			if err := os.WriteFile(filepath.Join(dir, "az"), []byte(az), 0o755); err != nil {
				t.Fatal(err)
			}
			for issuer, want := range map[string]string{url: "same\n", strings.TrimSuffix(url, "/"): "different\n"} {
				cmd := exec.Command("sh", "-c", m[1])
				cmd.Env = append(os.Environ(), "PATH="+dir+string(os.PathListSeparator)+os.Getenv("PATH"), "ISSUER="+issuer)
				out, err := cmd.CombinedOutput()
				if err != nil || string(out) != want {
					t.Errorf("%s with the cluster reporting %s: %q, %v; want %q", m[1], issuer, out, err, want)
				}
			}
		})
	}
}

// TestClientIDNotSetYet: an environment whose input has no client ID
// (Terraform creates the identity; the Azure CLI for one of no Terraform)
// says so, with the command that prints it once it exists, in the table
// and in what the verification steps expect, and never prints a
// placeholder in its place.
func TestClientIDNotSetYet(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "golden", "open-webui-aks", "wigen.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	src := strings.Replace(string(data), "        clientId: 33333333-3333-3333-3333-333333333333\n", "", 1)
	for targets, later := range map[string]string{
		"[terraform]":       "after `terraform apply`: `terraform -chdir=terraform/prod output -raw client_id`",
		"[terraform, helm]": "after `terraform apply`: `terraform -chdir=terraform/prod output -raw client_id`",
		"[helm]":            "once the identity exists: `az identity show --name id-open-webui-example --resource-group rg-openwebui-example --subscription 11111111-1111-1111-1111-111111111111 --query clientId --output tsv`",
	} {
		s, err := schema.LoadBytes("wigen.yaml", []byte(strings.Replace(src, "spec:\n", "spec:\n  targets: "+targets+"\n", 1)))
		if err != nil {
			t.Fatal(err)
		}
		text := renderDocs(t, s)[EnvironmentReadme("prod")]
		for _, want := range []string{
			"| Client ID | not set yet; " + later + " |",
			"Expect annotation `azure.workload.identity/client-id` with the identity's client ID (not set in `wigen.yaml`; " + later + ").",
			"Expect `AZURE_CLIENT_ID` with the identity's client ID (not set in `wigen.yaml`; " + later + "), `AZURE_TENANT_ID`",
		} {
			if !strings.Contains(text, want) {
				t.Errorf("targets %s: the README lacks %q:\n%s", targets, want, text)
			}
		}
		for _, bad := range []string{"<client ID>", "client-id: `", "client-id: \n", "AZURE_CLIENT_ID=`"} {
			if strings.Contains(text, bad) {
				t.Errorf("targets %s: the README holds %q", targets, bad)
			}
		}
	}
}
