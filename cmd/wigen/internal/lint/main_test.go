package lint

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// twoEnvSpec is testSpec with a second environment, "dev".
const twoEnvSpec = testSpec + `    - name: dev
      tenantId: 22222222-2222-2222-2222-222222222222
      subscriptionId: 11111111-1111-1111-1111-111111111111
      location: westeurope
      resourceGroup: rg-openwebui-dev
      namespace: open-webui-dev
      serviceAccount: open-webui
      identity:
        name: id-open-webui-dev
      cluster:
        name: aks-dev
        issuer:
          url: https://westeurope.oic.prod-aks.azure.com/22222222-2222-2222-2222-222222222222/88888888-8888-8888-8888-888888888888/
`

// mainDir writes wigen.yaml (one environment), multi.yaml (two), a folder
// of manifests and a few single files into a temp folder.
func mainDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	write := func(name, data string) {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("wigen.yaml", testSpec)
	write("multi.yaml", twoEnvSpec)
	write("bad-spec.yaml", "apiVersion: wigen/v1alpha1\nkind: WorkloadIdentity\n")
	write("manifests/10-sa.yaml", goodSA)
	write("manifests/20-sts.yml", goodSTS)
	write("manifests/notes.txt", "not a manifest")
	write("unlabelled/sts.yaml", strings.Replace(goodSTS, label, "", 1))
	write("clean.yaml", docs(goodSA, goodSTS))
	write("explicit-ns.yaml", docs(strings.Replace(goodSA, "  name: open-webui\n", "  name: open-webui\n  namespace: open-webui\n", 1), goodDeploy))
	write("warn.yaml", docs(goodSA, strings.Replace(goodDeploy, `value: ""`, `value: "sk-1"`, 1)))
	write("broken.yaml", "apiVersion: v1\nkind: [\n")
	write("empty/README.md", "no manifests here")
	return dir
}

func runMain(t *testing.T, dir string, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	t.Chdir(dir)
	var out, errb bytes.Buffer
	code = Main(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestMainExitCodes(t *testing.T) {
	dir := mainDir(t)
	unlabelled := strings.Replace(goodSTS, label, "", 1)
	for _, tc := range []struct {
		name       string
		stdin      string
		args       []string
		code       int
		wantOut    []string // lines of stdout, exactly
		wantErrHas string   // substring of stderr
	}{
		{name: "clean file", args: []string{"clean.yaml"}, code: 0, wantOut: []string{}},
		{name: "clean stdin", stdin: docs(goodSA, goodSTS), code: 0, wantOut: []string{}},
		{name: "clean stdin as -", stdin: docs(goodSA, goodSTS), args: []string{"-"}, code: 0, wantOut: []string{}},
		{name: "warnings only", args: []string{"warn.yaml"}, code: 0, wantOut: []string{
			"warn.yaml:9: warning WI031 Deployment/open-webui/open-webui: container open-webui sets OPENAI_API_KEYS: an API key in a pod meant to call Azure OpenAI with Microsoft Entra ID; remove the key from the pod's env (Helm: extraEnvVars); keep OPENAI_API_KEYS empty for the Entra ID connection",
		}},
		{name: "error from stdin", stdin: docs(goodSA, unlabelled), code: 1, wantOut: []string{
			`<stdin>:9: error WI020 StatefulSet/open-webui/open-webui: pods run as open-webui (subject system:serviceaccount:open-webui:open-webui) but the pod template (spec.template.metadata.labels) lacks the label azure.workload.identity/use: the webhook does not inject the token and Azure calls fail; add azure.workload.identity/use: "true" to the pod template (spec.template.metadata.labels) (Helm: podLabels)`,
		}},
		{name: "folder, sorted, *.yaml and *.yml only", args: []string{"manifests"}, code: 0, wantOut: []string{}},
		{name: "folder plus stdin", stdin: goodSA, args: []string{"unlabelled", "-"}, code: 1, wantOut: []string{
			`unlabelled/sts.yaml:1: error WI020 StatefulSet/open-webui/open-webui: pods run as open-webui (subject system:serviceaccount:open-webui:open-webui) but the pod template (spec.template.metadata.labels) lacks the label azure.workload.identity/use: the webhook does not inject the token and Azure calls fail; add azure.workload.identity/use: "true" to the pod template (spec.template.metadata.labels) (Helm: podLabels)`,
		}},
		{name: "service account in another file is found", args: []string{"manifests/20-sts.yml", "manifests/10-sa.yaml"}, code: 0, wantOut: []string{}},
		{name: "service account missing", args: []string{"manifests/20-sts.yml"}, code: 1, wantOut: []string{
			"manifests/20-sts.yml:1: error WI001 ServiceAccount/open-webui/open-webui: ServiceAccount open-webui is not in the input in namespace open-webui, but the federated identity credential's subject is system:serviceaccount:open-webui:open-webui; render it with the chart (serviceAccount.enable: true, serviceAccount.name: open-webui), or pass its manifest to wigen lint too",
		}},
		{name: "explicit --env and -f", args: []string{"-f", "multi.yaml", "--env", "prod", "clean.yaml"}, code: 0, wantOut: []string{}},
		{name: "other environment: objects without namespace are in its namespace", args: []string{"--file=multi.yaml", "--env=dev", "clean.yaml"}, code: 0, wantOut: []string{}},
		{name: "other environment: objects in another namespace", args: []string{"--file=multi.yaml", "--env=dev", "explicit-ns.yaml"}, code: 1, wantOut: []string{
			"explicit-ns.yaml:1: error WI001 ServiceAccount/open-webui-dev/open-webui: ServiceAccount open-webui is not in the input in namespace open-webui-dev, but the federated identity credential's subject is system:serviceaccount:open-webui-dev:open-webui (it is in namespace open-webui); render it into namespace open-webui-dev (`helm template --namespace open-webui-dev`, or namespace: in the overlay)",
			"explicit-ns.yaml:10: error WI025 Deployment/open-webui/open-webui: pods carry the label azure.workload.identity/use but run as ServiceAccount open-webui in namespace open-webui, which no federated identity credential of environment dev names (subjects: system:serviceaccount:open-webui-dev:open-webui): token exchange fails with AADSTS70021; set spec.serviceAccountName to open-webui (Helm: serviceAccount.name), or federate this service account (additionalFederations)",
		}},

		{name: "help", args: []string{"-h"}, code: 0},
		{name: "two environments, no --env", args: []string{"-f", "multi.yaml", "clean.yaml"}, code: 2, wantErrHas: "multi.yaml has 2 environments: choose one with --env (prod, dev)"},
		{name: "unknown environment", args: []string{"--env", "staging", "clean.yaml"}, code: 2, wantErrHas: `wigen.yaml has no environment "staging" (environments: prod)`},
		{name: "unknown flag", args: []string{"--nope"}, code: 2, wantErrHas: "unknown flag: --nope"},
		{name: "bad format", args: []string{"--format", "xml", "clean.yaml"}, code: 2, wantErrHas: `--format must be text or json, not "xml"`},
		{name: "invalid spec", args: []string{"-f", "bad-spec.yaml", "clean.yaml"}, code: 2, wantErrHas: "bad-spec.yaml:"},
		{name: "missing spec", args: []string{"-f", "nope.yaml", "clean.yaml"}, code: 2, wantErrHas: "nope.yaml: no such file"},
		{name: "missing manifest", args: []string{"nope.yaml"}, code: 2, wantErrHas: "nope.yaml"},
		{name: "folder without manifests", args: []string{"empty"}, code: 2, wantErrHas: "empty: no *.yaml or *.yml files in the folder"},
		{name: "malformed manifest", args: []string{"broken.yaml"}, code: 2, wantErrHas: "broken.yaml:2: invalid YAML"},
		{name: "empty stdin", stdin: "", code: 2, wantErrHas: "<stdin>: no Kubernetes objects in the input"},
		{name: "stdin twice", stdin: goodSA, args: []string{"-", "-"}, code: 2, wantErrHas: `"-" (standard input) is given twice`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runMain(t, dir, tc.stdin, tc.args...)
			if code != tc.code {
				t.Errorf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tc.code, out, errOut)
			}
			if tc.wantOut != nil {
				got := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
				if out == "" {
					got = []string{}
				}
				if diff := cmp.Diff(tc.wantOut, got); diff != "" {
					t.Errorf("stdout (-want +got):\n%s", diff)
				}
			}
			if tc.wantErrHas != "" && !strings.Contains(errOut, tc.wantErrHas) {
				t.Errorf("stderr lacks %q:\n%s", tc.wantErrHas, errOut)
			}
			if tc.code == 2 && out != "" {
				t.Errorf("stdout not empty on exit 2:\n%s", out)
			}
		})
	}
}

func TestMainHelp(t *testing.T) {
	code, out, _ := runMain(t, mainDir(t), "", "--help")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"Usage: wigen lint", "-f, --file string", "--env string", "--format string", "-h, --help", "| wigen lint --env prod", "Exit status:", "WI001", "WI061"} {
		if !strings.Contains(out, want) {
			t.Errorf("help lacks %q:\n%s", want, out)
		}
	}
}

func TestMainJSON(t *testing.T) {
	dir := mainDir(t)
	unlabelled := strings.Replace(goodSTS, label, "", 1)
	code, out, errOut := runMain(t, dir, docs(goodSA, unlabelled), "--format", "json")
	if code != 1 {
		t.Fatalf("exit %d, stderr:\n%s", code, errOut)
	}
	var got []map[string]any
	if !strings.Contains(out, `"file": "<stdin>"`) {
		t.Errorf("file name escaped in JSON:\n%s", out)
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	want := []map[string]any{{
		"file": "<stdin>", "line": float64(9), "severity": "error", "id": "WI020",
		"kind": "StatefulSet", "namespace": "open-webui", "name": "open-webui",
		"message": "pods run as open-webui (subject system:serviceaccount:open-webui:open-webui) but the pod template (spec.template.metadata.labels) lacks the label azure.workload.identity/use: the webhook does not inject the token and Azure calls fail",
		"fix":     `add azure.workload.identity/use: "true" to the pod template (spec.template.metadata.labels) (Helm: podLabels)`,
	}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}

	// No findings: an empty array, not null.
	code, out, _ = runMain(t, dir, "", "--format=json", "clean.yaml")
	if code != 0 || strings.TrimSpace(out) != "[]" {
		t.Errorf("clean: exit %d, stdout %q, want 0 and []", code, out)
	}
}
