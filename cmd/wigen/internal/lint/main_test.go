package lint

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wigen-dev/wigen/generate/helm"
	"github.com/wigen-dev/wigen/generate/kustomize"
	"github.com/wigen-dev/wigen/schema"
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
	write := func(name, data string) { t.Helper(); writeFile(t, dir, name, data) }
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

// writeFile writes data to the file name ('/'-separated, below dir),
// making its folders.
func writeFile(t *testing.T, dir, name, data string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
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
			"warn.yaml:9: warning WI031 Deployment/open-webui/open-webui: container open-webui sets OPENAI_API_KEYS: an API key in a pod meant to call Azure OpenAI with Microsoft Entra ID; remove the key from the pod's env: chart open-webui 7.2.0 writes OPENAI_API_KEYS from chart.values extraEnvVars (remove it there); `wigen render` writes values without it; keep OPENAI_API_KEYS empty for the Entra ID connection",
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
			"manifests/20-sts.yml:1: error WI001 StatefulSet/open-webui/open-webui: pods run as ServiceAccount open-webui, which is not in the input in namespace open-webui (the federated identity credential's subject is system:serviceaccount:open-webui:open-webui); render it with the chart (serviceAccount.enable: true, serviceAccount.name: open-webui), or pass its manifest to wigen lint too",
		}},
		{name: "explicit --env and -f", args: []string{"-f", "multi.yaml", "--env", "prod", "clean.yaml"}, code: 0, wantOut: []string{}},
		{name: "other environment: objects without namespace are in its namespace", args: []string{"--file=multi.yaml", "--env=dev", "clean.yaml"}, code: 0, wantOut: []string{}},
		{name: "other environment: objects in another namespace", args: []string{"--file=multi.yaml", "--env=dev", "explicit-ns.yaml"}, code: 1, wantOut: []string{
			"explicit-ns.yaml:1: error WI001 ServiceAccount/open-webui/open-webui: ServiceAccount open-webui is in namespace open-webui, not in namespace open-webui-dev of the federated identity credential's subject system:serviceaccount:open-webui-dev:open-webui; render it into namespace open-webui-dev (`helm template --namespace open-webui-dev`, or namespace: in the overlay)",
			"explicit-ns.yaml:10: error WI025 Deployment/open-webui/open-webui: pods carry the label azure.workload.identity/use and run as ServiceAccount open-webui, but in namespace open-webui, while the federated identity credentials name open-webui in namespace open-webui-dev (subjects: system:serviceaccount:open-webui-dev:open-webui): the token's subject system:serviceaccount:open-webui:open-webui matches none, so token exchange fails with AADSTS70021; deploy the workload into namespace open-webui-dev (`helm template --namespace open-webui-dev`, or namespace: in the overlay), or federate system:serviceaccount:open-webui:open-webui (additionalFederations with namespace: open-webui)",
		}},

		{name: "help", args: []string{"-h"}, code: 0},
		{name: "not a Kubernetes object", stdin: "apiVersion: v1\nmetadata: {name: x}\n", code: 2, wantErrHas: "wigen: <stdin>:1: not a Kubernetes object"},
		{name: "two bad documents", stdin: "a: [\n---\nb: 1\n", code: 2, wantErrHas: "wigen: <stdin>:1: invalid YAML"},
		{name: "two environments, no --env", args: []string{"-f", "multi.yaml", "clean.yaml"}, code: 2, wantErrHas: "multi.yaml has 2 environments: choose one with --env (prod, dev)"},
		{name: "unknown environment", args: []string{"--env", "staging", "clean.yaml"}, code: 2, wantErrHas: `wigen.yaml has no environment "staging" (environments: prod)`},
		{name: "unknown flag", args: []string{"--nope"}, code: 2, wantErrHas: "unknown flag: --nope"},
		{name: "bad format", args: []string{"--format", "xml", "clean.yaml"}, code: 2, wantErrHas: `--format must be text or json, not "xml"`},
		{name: "invalid spec", args: []string{"-f", "bad-spec.yaml", "clean.yaml"}, code: 2, wantErrHas: "bad-spec.yaml:"},
		{name: "missing spec", args: []string{"-f", "nope.yaml", "clean.yaml"}, code: 2, wantErrHas: "nope.yaml: no such file"},
		{name: "missing manifest", args: []string{"nope.yaml"}, code: 2, wantErrHas: "nope.yaml"},
		{name: "folder without manifests", args: []string{"empty"}, code: 2, wantErrHas: "empty: no *.json, *.yaml or *.yml files in the folder or below it"},
		{name: "malformed manifest", args: []string{"broken.yaml"}, code: 2, wantErrHas: "wigen: broken.yaml:2: invalid YAML"},
		{name: "empty stdin", stdin: "", code: 2, wantErrHas: "wigen: <stdin>: no Kubernetes objects in the input"},
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
			// Every error line carries one "wigen: " prefix, like the other
			// commands; wigen.yaml's own diagnostics are FILE:LINE:COL, as
			// wigen validate prints them.
			if tc.code == 2 {
				for _, l := range strings.Split(strings.TrimSuffix(errOut, "\n"), "\n") {
					if strings.HasPrefix(l, "wigen: wigen:") || !strings.HasPrefix(l, "wigen: ") && !strings.HasPrefix(l, "bad-spec.yaml:") && l != "run 'wigen lint -h' for usage" {
						t.Errorf("stderr line without one \"wigen: \" prefix: %q", l)
					}
				}
			}
		})
	}
}

func TestMainHelp(t *testing.T) {
	code, out, _ := runMain(t, mainDir(t), "", "--help")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	if strings.Contains(out, "open-webui/open-webui") {
		t.Errorf("help uses a chart repository alias, not --repo:\n%s", out)
	}
	for _, want := range []string{"Usage: wigen lint", "-f, --file string", "--env string", "--format string", "-h, --help", "Exit status:", "WI001", "WI061",
		// The README's commands: the chart by --repo and --version, the
		// environment's values file and namespace.
		"helm template open-webui open-webui --repo https://helm.openwebui.com/ \\\n    --version <chart version> --namespace <ns> -f deploy/helm/<env>/values.yaml \\\n    | wigen lint --env <env>\n",
		"kustomize build --enable-helm deploy/kustomize/overlays/<env> | wigen lint --env <env>\n",
	} {
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

// A run prints its findings on stdout and one summary line on stderr; a
// clean run leaves stdout empty (JSON: exactly []).
func TestMainSummary(t *testing.T) {
	dir := mainDir(t)
	unlabelled := strings.Replace(goodSTS, label, "", 1)
	for _, tc := range []struct {
		name, stdin    string
		args           []string
		code           int
		stdout, stderr string
	}{
		{name: "clean", args: []string{"clean.yaml"}, stdout: "", stderr: "wigen: lint: 2 objects, no findings\n"},
		{name: "clean JSON", args: []string{"--format", "json", "clean.yaml"}, stdout: "[]\n", stderr: "wigen: lint: 2 objects, no findings\n"},
		{name: "one object", stdin: goodSA, args: []string{"-"}, code: 0, stderr: "wigen: lint: 1 object, no findings\n"},
		{name: "warning", args: []string{"warn.yaml"}, stderr: "wigen: lint: 2 objects, 1 warning\n"},
		{name: "errors", stdin: docs(goodSA, unlabelled, edit(t, goodDeploy, `value: ""`, `value: "sk-1"`)), code: 1, stderr: "wigen: lint: 3 objects, 1 error, 1 warning\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runMain(t, dir, tc.stdin, tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d", code, tc.code)
			}
			if tc.stdout != "" || tc.code == 0 && tc.name != "warning" {
				if out != tc.stdout {
					t.Errorf("stdout %q, want %q", out, tc.stdout)
				}
			}
			if errOut != tc.stderr {
				t.Errorf("stderr %q, want %q", errOut, tc.stderr)
			}
		})
	}
}

// renderedTree writes the golden tutorial spec and the Helm values and
// Kustomize overlay wigen renders from it into a temp folder.
func renderedTree(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	src, err := os.ReadFile("../../../../golden/open-webui-aks/wigen.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s, err := schema.LoadBytes("wigen.yaml", src)
	if err != nil {
		t.Fatal(err)
	}
	hf, err := helm.Render(s)
	if err != nil {
		t.Fatal(err)
	}
	kf, err := kustomize.Render(s)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{"wigen.yaml": src}
	for _, f := range append(hf, kf...) {
		files[filepath.Join(s.Spec.Output, filepath.FromSlash(f.Path))] = f.Data
	}
	for p, data := range files {
		p = filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// Sources given in place of rendered manifests (an overlay folder, its
// kustomization, its patches, a Helm values file) are refused with the
// command that renders them, never linted into false findings.
func TestMainSourcesGetHints(t *testing.T) {
	dir := renderedTree(t)
	build := "lint what the build prints: kustomize build --enable-helm deploy/kustomize/overlays/prod | wigen lint --env prod"
	helmTemplate := "helm template open-webui open-webui --repo https://helm.openwebui.com/ --version 7.2.0 --namespace open-webui -f %s | wigen lint --env prod"
	patch, err := os.ReadFile(filepath.Join(dir, "deploy/kustomize/overlays/prod/workload.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	values, err := os.ReadFile(filepath.Join(dir, "deploy/helm/prod/values.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	// firstLine is the first line of data that is not a comment: where
	// the object (or the values) start.
	firstLine := func(data []byte) int {
		n := 1
		for _, l := range strings.Split(string(data), "\n") {
			if !strings.HasPrefix(l, "#") {
				break
			}
			n++
		}
		return n
	}
	valuesLine := firstLine(values)
	for _, tc := range []struct {
		name, stdin string
		args        []string
		stderr      string
	}{
		{name: "overlay folder", args: []string{"deploy/kustomize/overlays/prod"},
			stderr: "wigen: deploy/kustomize/overlays/prod: a Kustomize folder (kustomization.yaml), not rendered manifests; " + build + "\n"},
		{name: "overlay's chart values", args: []string{"deploy/kustomize/overlays/prod/values.yaml"},
			stderr: "wigen: deploy/kustomize/overlays/prod/values.yaml: the Helm values file deploy/kustomize/overlays/prod/kustomization.yaml inflates its chart with, not a rendered manifest; " + build + "\n"},
		{name: "workload patch", args: []string{"deploy/kustomize/overlays/prod/workload.yaml"},
			stderr: "wigen: deploy/kustomize/overlays/prod/workload.yaml: a patch that deploy/kustomize/overlays/prod/kustomization.yaml applies, not a rendered manifest; " + build + "\n"},
		{name: "service account patch", args: []string{"deploy/kustomize/overlays/prod/service-account.yaml"},
			stderr: "wigen: deploy/kustomize/overlays/prod/service-account.yaml: a patch that deploy/kustomize/overlays/prod/kustomization.yaml applies, not a rendered manifest; " + build + "\n"},
		// A file the overlay lists as a resource is a source of the build
		// too: alone it holds no service account, and WI001 would blame it.
		{name: "overlay resource", args: []string{"deploy/kustomize/overlays/prod/namespace.yaml"},
			stderr: "wigen: deploy/kustomize/overlays/prod/namespace.yaml: a resource that deploy/kustomize/overlays/prod/kustomization.yaml builds on (kustomize sets its namespace and patches it), not a rendered manifest; " + build + "\n"},
		{name: "kustomization file", args: []string{"deploy/kustomize/overlays/prod/kustomization.yaml"},
			stderr: "wigen: deploy/kustomize/overlays/prod/kustomization.yaml: a kustomization, not rendered manifests; " + build + "\n"},
		{name: "workload patch from stdin", stdin: string(patch),
			stderr: "wigen: <stdin>:" + fmt.Sprint(firstLine(patch)) + ": StatefulSet open-webui has no containers: a patch (such as a Kustomize overlay's), not a rendered manifest; " + build + "\n"},
		{name: "kustomization from stdin, no apiVersion", stdin: "resources:\n- ../../base\n",
			stderr: "wigen: <stdin>:1: a kustomization, not rendered manifests; " + build + "\n"},
		{name: "Helm values", args: []string{"deploy/helm/prod/values.yaml"},
			stderr: "wigen: deploy/helm/prod/values.yaml:" + fmt.Sprint(valuesLine) + ": not a Kubernetes object: apiVersion and kind are required; if this is a Helm values file, lint what the chart renders from it: " + fmt.Sprintf(helmTemplate, "deploy/helm/prod/values.yaml") + "\n"},
		{name: "Helm values from stdin", stdin: "serviceAccount:\n  name: open-webui\n",
			stderr: "wigen: <stdin>:1: not a Kubernetes object: apiVersion and kind are required; if this is a Helm values file, lint what the chart renders from it: " + fmt.Sprintf(helmTemplate, "VALUES_FILE") + "\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runMain(t, dir, tc.stdin, tc.args...)
			if code != ExitBadInput || out != "" {
				t.Errorf("exit %d, stdout %q; want 2 and nothing", code, out)
			}
			if errOut != tc.stderr {
				t.Errorf("stderr:\n%s\nwant:\n%s", errOut, tc.stderr)
			}
		})
	}

	// -f elsewhere: the commands name the spec and its overlay from here.
	t.Chdir(t.TempDir())
	var out, errb bytes.Buffer
	code := Main([]string{"-f", filepath.Join(dir, "wigen.yaml")}, strings.NewReader(string(patch)), &out, &errb)
	want := "kustomize build --enable-helm " + filepath.Join(dir, "deploy/kustomize/overlays/prod") + " | wigen lint -f " + filepath.Join(dir, "wigen.yaml") + " --env prod\n"
	if code != ExitBadInput || !strings.HasSuffix(errb.String(), want) {
		t.Errorf("exit %d, stderr %q; want 2 and a hint ending %q", code, errb.String(), want)
	}
}

// A WI001 with nothing in the input to blame (no ServiceAccount of the
// subject's name anywhere, no workload running as it) is about the input
// as a whole: line 0, every input named, and the missing ServiceAccount
// as its object; never a Namespace or ConfigMap that happens to be there.
func TestMainWholeInputFinding(t *testing.T) {
	dir := mainDir(t)
	ns := "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: open-webui\n"
	cm := "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n"
	code, out, errOut := runMain(t, dir, docs(ns, cm), "--format", "json")
	if code != ExitFindings {
		t.Fatalf("exit %d, stderr:\n%s", code, errOut)
	}
	var got []Finding
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if len(got) != 1 || got[0].ID != IDServiceAccountMissing || got[0].File != StdinName || got[0].Line != 0 ||
		got[0].Object() != "ServiceAccount/open-webui/open-webui" {
		t.Errorf("got %+v; want one WI001 on <stdin>, line 0, ServiceAccount/open-webui/open-webui", got)
	}

	t.Chdir(dir)
	for name, data := range map[string]string{"ns.yaml": ns, "cm.yaml": cm} {
		if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	code, out, _ = runMain(t, dir, "", "ns.yaml", "cm.yaml")
	want := "ns.yaml, cm.yaml: error WI001 ServiceAccount/open-webui/open-webui: ServiceAccount open-webui is not in the input in namespace open-webui, and neither is a workload running as it"
	if code != ExitFindings || !strings.HasPrefix(out, want) || strings.Count(out, "\n") != 1 {
		t.Errorf("exit %d, stdout %q; want 1 and one line starting %q", code, out, want)
	}
}

// The input file is named as -f names it, as the other commands do: an
// empty -f and a folder are refused with their words; the environment
// list, the WI004 fix and the suggested commands (quoted) name the file
// as given.
func TestMainInputFile(t *testing.T) {
	dir := mainDir(t)
	patch, err := os.ReadFile(filepath.Join(renderedTree(t), "deploy/kustomize/overlays/prod/workload.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	for _, d := range []string{"folder/wigen.yaml", "my infra", "sub"} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for name, data := range map[string]string{"my infra/wigen.yaml": testSpec, "sub/multi.yaml": twoEnvSpec, "sp ace.yaml": testSpec} {
		if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	otherClientID := strings.Replace(goodSA, "33333333-3333-3333-3333-333333333333", "66666666-6666-6666-6666-666666666666", 1)
	for _, tc := range []struct {
		name, stdin string
		args        []string
		code        int
		stdout      string // a part of stdout
		stderr      string // a part of stderr
	}{
		{name: "empty -f", args: []string{"-f", ""}, code: ExitBadInput,
			stderr: "wigen: -f needs a file name\nrun 'wigen lint -h' for usage\n"},
		{name: "folder named wigen.yaml", args: []string{"-f", "folder/wigen.yaml"}, code: ExitBadInput,
			stderr: "wigen: folder/wigen.yaml is a folder, not an input file; name the input file with -f FILE\n"},
		{name: "folder holding an input", args: []string{"-f", "my infra"}, code: ExitBadInput,
			stderr: "wigen: my infra is a folder, not an input file; did you mean wigen lint -f 'my infra/wigen.yaml'?\n"},
		{name: "environments of -f", args: []string{"-f", "sub/multi.yaml"}, code: ExitBadInput,
			stderr: "wigen: sub/multi.yaml has 2 environments: choose one with --env (prod, dev)\n"},
		{name: "WI004 names -f", stdin: docs(otherClientID, goodSTS), args: []string{"-f", "my infra/wigen.yaml"}, code: ExitFindings,
			stdout: "set it to 33333333-3333-3333-3333-333333333333, or correct identity.clientId in my infra/wigen.yaml\n"},
		{name: "hints quote -f", stdin: string(patch), args: []string{"-f", "sp ace.yaml"}, code: ExitBadInput,
			stderr: "kustomize build --enable-helm deploy/kustomize/overlays/prod | wigen lint -f 'sp ace.yaml' --env prod\n"},
		// Diagnostics of an invalid spec name it as -f does, absolute
		// path and all, as every other command names it.
		{name: "diagnostics name -f", args: []string{"-f", filepath.Join(dir, "bad-spec.yaml")}, code: ExitBadInput,
			stderr: filepath.Join(dir, "bad-spec.yaml") + ":1:1: metadata: is required\n"},
		{name: "hints quote the overlay", stdin: string(patch), args: []string{"-f", "my infra/wigen.yaml"}, code: ExitBadInput,
			stderr: "kustomize build --enable-helm 'my infra/deploy/kustomize/overlays/prod' | wigen lint -f 'my infra/wigen.yaml' --env prod\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runMain(t, dir, tc.stdin, tc.args...)
			if code != tc.code || !strings.Contains(out, tc.stdout) || !strings.Contains(errOut, tc.stderr) {
				t.Errorf("exit %d, stdout %q, stderr %q; want %d, %q on stdout and %q on stderr", code, out, errOut, tc.code, tc.stdout, tc.stderr)
			}
		})
	}
}

// zeros is an endless stream of NUL bytes, as /dev/zero.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// `cat /dev/zero | wigen lint`: standard input is read up to the limit and
// refused with one line, not held in memory without end; a file past the
// limit is refused the same way.
func TestMainInputLimit(t *testing.T) {
	dir := mainDir(t)
	t.Chdir(dir)
	var out, errb bytes.Buffer
	if code := Main(nil, zeros{}, &out, &errb); code != 2 {
		t.Errorf("exit %d, want 2; stderr:\n%s", code, errb.String())
	}
	want := "wigen: <stdin>: the input is larger than 64 MiB, the most wigen lint reads of one input; lint the manifests of one environment at a time\n"
	if errb.String() != want {
		t.Errorf("stderr:\n%q\nwant\n%q", errb.String(), want)
	}
	big := filepath.Join(dir, "big.yaml")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(MaxInputBytes + 1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	errb.Reset()
	if code := Main([]string{"big.yaml"}, strings.NewReader(""), &out, &errb); code != 2 || !strings.Contains(errb.String(), "big.yaml: the input is larger than 64 MiB") {
		t.Errorf("exit %d, stderr:\n%s", code, errb.String())
	}
}
