package docs

import (
	"bytes"
	"fmt"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wigen-dev/wigen/generate/argocd"
	"github.com/wigen-dev/wigen/generate/flux"
	"github.com/wigen-dev/wigen/generate/helm"
	"github.com/wigen-dev/wigen/generate/kustomize"
	"github.com/wigen-dev/wigen/generate/output"
	"github.com/wigen-dev/wigen/schema"
)

type golden struct {
	name string
	spec *schema.Spec
}

func goldens(t *testing.T) []golden {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("..", "..", "golden", "*", "wigen.yaml"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no golden/*/wigen.yaml: %v", err)
	}
	var out []golden
	for _, p := range paths {
		s, err := schema.Load(p)
		if err != nil {
			t.Fatalf("load %s: %v", p, err)
		}
		out = append(out, golden{filepath.Base(filepath.Dir(p)), s})
	}
	return out
}

// otherFiles is what the Helm, Kustomize, Argo CD and Flux renderers write for s.
func otherFiles(t *testing.T, s *schema.Spec) map[string]bool {
	t.Helper()
	got := map[string]bool{}
	if s.HasTarget(schema.TargetHelm) {
		fs, err := helm.Render(s)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fs {
			got[f.Path] = true
		}
	}
	if s.HasTarget(schema.TargetKustomize) {
		fs, err := kustomize.Render(s)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fs {
			got[f.Path] = true
		}
	}
	for _, render := range []func(*schema.Spec) ([]output.File, error){argocd.Render, flux.Render} {
		fs, err := render(s)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fs {
			got[f.Path] = true
		}
	}
	return got
}

func renderDocs(t *testing.T, s *schema.Spec) map[string]string {
	t.Helper()
	files, err := Render(s)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, f := range files {
		checkText(t, f)
		out[f.Path] = string(f.Data)
	}
	if len(out) != len(s.Spec.Environments)+1 {
		t.Errorf("rendered %d files, want the root README and one per environment", len(out))
	}
	return out
}

func checkText(t *testing.T, f output.File) {
	t.Helper()
	if !bytes.HasPrefix(f.Data, []byte(output.Header(f.Path, "wigen.yaml"))) {
		t.Errorf("%s does not start with the generated-file comment", f.Path)
	}
	for _, bad := range []string{"<no value>", "\n\n\n", " \n", "\r", "%!"} {
		if bytes.Contains(f.Data, []byte(bad)) {
			t.Errorf("%s contains %q", f.Path, bad)
		}
	}
	if !bytes.HasSuffix(f.Data, []byte("\n")) || bytes.HasSuffix(f.Data, []byte("\n\n")) {
		t.Errorf("%s: want exactly one final newline", f.Path)
	}
	if n := bytes.Count(f.Data, []byte("```")); n%2 != 0 {
		t.Errorf("%s: %d code fences, an odd number", f.Path, n)
	}
}

var linkRE = regexp.MustCompile(`\]\(([^)]+)\)`)

// checkLinks resolves every relative link of the file at p against the
// rendered files: a Helm or Kustomize path must have been rendered, a
// README must exist, a Terraform folder needs the terraform target.
func checkLinks(t *testing.T, s *schema.Spec, p, text string, rendered map[string]bool) {
	t.Helper()
	for _, m := range linkRE.FindAllStringSubmatch(text, -1) {
		if strings.HasPrefix(m[1], "https://") {
			continue
		}
		target := path.Clean(path.Join(path.Dir(p), m[1]))
		dir := strings.HasSuffix(m[1], "/")
		switch {
		case strings.HasPrefix(target, "terraform/"):
			if !s.HasTarget(schema.TargetTerraform) {
				t.Errorf("%s links %s without the terraform target", p, m[1])
			}
		case strings.HasSuffix(target, "README.md"):
			if target != RootReadme && !strings.HasPrefix(target, "environments/") {
				t.Errorf("%s links %s", p, m[1])
			}
		case dir:
			found := false
			for r := range rendered {
				found = found || strings.HasPrefix(r, target+"/")
			}
			if !found {
				t.Errorf("%s links folder %s, where nothing was rendered", p, m[1])
			}
		default:
			if !rendered[target] {
				t.Errorf("%s links %s, which was not rendered", p, m[1])
			}
		}
	}
}

func TestEnvironmentReadmes(t *testing.T) {
	for _, g := range goldens(t) {
		s := g.spec
		docs := renderDocs(t, s)
		rendered := otherFiles(t, s)
		for i := range s.Spec.Environments {
			e := &s.Spec.Environments[i]
			p := EnvironmentReadme(e.Name)
			text, ok := docs[p]
			if !ok {
				t.Fatalf("%s: %s not rendered", g.name, p)
			}
			checkLinks(t, s, p, text, rendered)
			// kubectl names the cluster's context, as az aks
			// get-credentials names it: the cluster's name.
			kubectl := "kubectl"
			if e.Cluster != nil {
				kubectl += " --context " + e.Cluster.Name
			}
			checkContexts(t, g.name+" "+p, text, kubectl)
			must := []string{
				kubectl + " get serviceaccount " + e.ServiceAccount + " --namespace " + e.Namespace + " --output yaml",
				kubectl + " get pods --namespace " + e.Namespace + " --selector azure.workload.identity/use=true",
				// The webhook's real name (azure-workload-identity
				// cmd/webhook/main.go); the tutorial's exists nowhere.
				kubectl + " get mutatingwebhookconfiguration azure-wi-webhook-mutating-webhook-configuration\n",
				"az identity federated-credential list --identity-name " + e.Identity.Name + " --resource-group " + e.IdentityResourceGroup(),
				"`" + schema.Subject(e.Namespace, e.ServiceAccount) + "`",
				kubectl + " rollout restart " + strings.ToLower(s.WorkloadKindFor(e)) + "/" + s.FullnameFor(e),
			}
			for _, fc := range e.FederatedCredentials() {
				must = append(must, "`"+fc.Subject+"`", "`"+fc.Name+"`")
				if fc.Issuer.URL != "" {
					must = append(must, "`"+fc.Issuer.URL+"`")
				}
			}
			if e.HasTarget(schema.TargetTerraform) {
				must = append(must, "terraform -chdir=terraform/"+e.Name+" apply")
			}
			if strings.Contains(text, "<client ID>") {
				t.Errorf("%s %s prints a placeholder for the client ID", g.name, p)
			}
			if strings.Contains(text, "controller-manager-mutating-webhook-configuration") {
				t.Errorf("%s %s names the tutorial's webhook configuration, which exists on no cluster", g.name, p)
			}
			if helm.HasClientID(e) {
				must = append(must, "`azure.workload.identity/client-id: "+e.Identity.ClientID+"`")
				if e.HasTarget(schema.TargetHelm) {
					must = append(must, strings.Join(helm.InstallCommand(s, e), "\n"))
				}
				if e.HasTarget(schema.TargetKustomize) {
					must = append(must, "kustomize build --enable-helm "+kustomize.OverlayDir(e.Name)+" | "+kubectl+" apply -f -")
				}
				if e.HasTarget(schema.TargetArgoCD) {
					must = append(must, "kubectl apply --namespace "+e.ArgoCD.Namespace+" --filename "+argocd.Path(e.Name), "| wigen lint -f ../wigen.yaml --env "+e.Name)
				}
				if e.HasTarget(schema.TargetFlux) {
					must = append(must, kubectl+" apply --kustomize "+flux.Dir(e.Name), "| wigen lint -f ../wigen.yaml --env "+e.Name)
				}
			} else {
				must = append(must, "### Not rendered", "`spec.environments["+strconv.Itoa(i)+"].identity.clientId`")
				if e.HasTarget(schema.TargetTerraform) {
					must = append(must, "terraform -chdir=terraform/"+e.Name+" output -raw client_id")
				}
				for _, absent := range []string{"helm upgrade --install", "kustomize build", "kubectl apply", "wigen lint"} {
					if strings.Contains(text, absent) {
						t.Errorf("%s %s: %q shown, but the output was not rendered", g.name, p, absent)
					}
				}
			}
			if s.Spec.Chart.App.ConnectionFromEnv {
				if strings.Contains(text, "Admin Panel** →") {
					t.Errorf("%s %s: UI steps shown, but app %s presets the connections", g.name, p, s.Spec.Chart.App.Version)
				}
				must = append(must, "`OPENAI_API_CONFIGS`")
			} else {
				must = append(must, "**Admin Panel** → **Settings** → **Connections**", "**Azure OpenAI**", "**Entra ID**")
				if n := len(e.AzureOpenAI); n > 1 {
					must = append(must, fmt.Sprintf("### Connection %d of %d", n, n))
				}
			}
			for i, a := range e.AzureOpenAI {
				var ids []string
				for _, d := range a.Deployments {
					ids = append(ids, "`"+schema.ModelID(a.PrefixID, d)+"`")
				}
				must = append(must, "az role assignment list --assignee ", "--scope "+a.AccountID)
				if s.Spec.Chart.App.ConnectionFromEnv {
					must = append(must, fmt.Sprintf("| %d | `%s` | `%s` |", i, strings.TrimSuffix(a.Endpoint, "/"), a.APIVersion)+" ")
					must = append(must, strings.Join(ids, ", ")+" |")
				} else {
					var deps []string
					for _, d := range a.Deployments {
						deps = append(deps, "`"+d+"`")
					}
					must = append(must, "URL: `"+strings.TrimSuffix(a.Endpoint, "/")+"`", "API version: `"+a.APIVersion+"`",
						"Model IDs, one per deployment: "+strings.Join(deps, ", ")+" (")
					if a.PrefixID != "" {
						must = append(must, "Prefix ID: `"+a.PrefixID+"` (the models appear as "+strings.Join(ids, ", ")+")")
					}
				}
			}
			if s.Spec.OpenWebUI.EveryoneSeesModels() {
				must = append(must, "`BYPASS_MODEL_ACCESS_CONTROL=True`")
			} else {
				must = append(must, "> **Only administrators see these models at first.**", "**Workspace** → **Models**")
			}
			if s.Spec.OpenWebUI.ConfigPersists() {
				must = append(must, "`openWebUI.persistentConfig: true`, the app's default")
			} else {
				must = append(must, "`ENABLE_PERSISTENT_CONFIG=False`", "last only until the next restart")
			}
			for _, m := range must {
				if !strings.Contains(text, m) {
					t.Errorf("%s %s lacks %q", g.name, p, m)
				}
			}
		}
	}
}

func TestRootReadme(t *testing.T) {
	for _, g := range goldens(t) {
		s := g.spec
		docs := renderDocs(t, s)
		text := docs[RootReadme]
		rendered := otherFiles(t, s)
		for _, e := range s.Spec.Environments {
			rendered[EnvironmentReadme(e.Name)] = true
		}
		checkLinks(t, s, RootReadme, text, rendered)
		// The tree names every rendered Helm and Kustomize file.
		tree := text[strings.Index(text, "```text"):]
		for p := range rendered {
			if !strings.Contains(tree, path.Base(p)) || !strings.Contains(tree, path.Base(path.Dir(p))+"/") {
				t.Errorf("%s: tree lacks %s", g.name, p)
			}
		}
		for i, e := range s.Spec.Environments {
			if !strings.Contains(text, "[environments/"+e.Name+"/README.md](environments/"+e.Name+"/README.md)") {
				t.Errorf("%s: no link to the README of %s", g.name, e.Name)
			}
			if !helm.HasClientID(&s.Spec.Environments[i]) && s.HasTarget(schema.TargetKustomize) &&
				!strings.Contains(text, "`"+kustomize.OverlayDir(e.Name)+"/` ("+e.Name+")") {
				t.Errorf("%s: the skipped overlay of %s is not listed", g.name, e.Name)
			}
		}
	}
}

func TestTree(t *testing.T) {
	n := &node{}
	for _, p := range []string{"README.md", "b/x.yaml", "a/", "b/c/y.yaml"} {
		n.add(p, "")
	}
	n.add("a/", "note")
	var b strings.Builder
	n.write(&b, "")
	want := "├── README.md\n├── a/  (note)\n└── b/\n    ├── c/\n    │   └── y.yaml\n    └── x.yaml\n"
	if diff := cmp.Diff(want, b.String()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestCode(t *testing.T) {
	for in, want := range map[string]string{
		"a":    "`a`",
		"a`b":  "``a`b``",
		"`a":   "`` `a ``",
		"a``b": "```a``b```",
	} {
		if got := code(in); got != want {
			t.Errorf("code(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDeterministic(t *testing.T) {
	for _, g := range goldens(t) {
		a, err := Render(g.spec)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := Render(g.spec)
		if diff := cmp.Diff(a, b); diff != "" {
			t.Errorf("%s: two renders differ:\n%s", g.name, diff)
		}
	}
}

var renderSpanRE = regexp.MustCompile("`(wigen render[^`]*)`")

// TestEnvironmentReadmeRenderCommands: every command of an environment
// README runs from the output root, so each `wigen render` it gives names
// the input by its path from there (wigen reads ./wigen.yaml without -f,
// which the output root does not hold); the one exception is the command
// said to run in the input's folder. Checked for every golden case and for
// output roots of one, two and three folders, resolving the -f path as a
// shell in the output root would.
func TestEnvironmentReadmeRenderCommands(t *testing.T) {
	specs := map[string]*schema.Spec{}
	for _, g := range goldens(t) {
		specs[g.name] = g.spec
	}
	for _, out := range []string{"out", "infra/deploy", "a/b/c"} {
		s := goldens(t)[0].spec
		s.Spec.Output = out
		specs["output "+out] = s
	}
	for name, s := range specs {
		docs := renderDocs(t, s)
		for _, e := range s.Spec.Environments {
			text := docs[EnvironmentReadme(e.Name)]
			n := 0
			for _, m := range renderSpanRE.FindAllStringSubmatchIndex(text, -1) {
				cmdline := text[m[2]:m[3]]
				if strings.HasSuffix(text[:m[0]], "(in the input's folder, ") {
					if cmdline != renderCommand(s) {
						t.Errorf("%s %s: in the input's folder: %q, want %q", name, e.Name, cmdline, renderCommand(s))
					}
					continue
				}
				n++
				f, ok := strings.CutPrefix(cmdline, "wigen render -f ")
				if !ok {
					t.Errorf("%s %s: %q run from the output root has no -f", name, e.Name, cmdline)
					continue
				}
				if got := path.Join(s.Spec.Output, f); got != s.Source {
					t.Errorf("%s %s: %q run in %s reads %s, not the input %s", name, e.Name, cmdline, s.Spec.Output, got, s.Source)
				}
			}
			if n == 0 {
				t.Errorf("%s %s: no render command", name, e.Name)
			}
		}
	}
}

// checkContexts: every kubectl and helm command of an environment README
// that talks to the environment's cluster names its context (kubectl is
// "kubectl --context <cluster>" when the cluster is known). The Argo CD
// Application is the exception: it goes to the cluster Argo CD runs in,
// which wigen does not know.
func checkContexts(t *testing.T, name, text, kubectl string) {
	t.Helper()
	context := strings.TrimPrefix(kubectl, "kubectl --context ")
	for _, l := range strings.Split(text, "\n") {
		for _, part := range strings.Split(l, "|") {
			part = strings.TrimSpace(part)
			switch {
			case strings.HasPrefix(part, "kubectl apply --namespace ") && strings.Contains(part, "--filename argocd/"):
			case strings.HasPrefix(part, "kubectl ") && !strings.HasPrefix(part, kubectl+" "):
				t.Errorf("%s: %q does not name the context (%s)", name, part, kubectl)
			case strings.HasPrefix(part, "helm upgrade --install ") && context != "kubectl" && !strings.Contains(text, " --kube-context "+context+" "):
				t.Errorf("%s: the Helm command does not name the context %s", name, context)
			}
		}
	}
}

// TestBackendNote: the Terraform section says where each module keeps its
// state, naming the field of the input that sets the backend
// (golden/team-topology: prod's own, dev and staging none).
func TestBackendNote(t *testing.T) {
	for _, g := range goldens(t) {
		if g.name != "team-topology" {
			continue
		}
		docs := renderDocs(t, g.spec)
		prod := docs[EnvironmentReadme("prod")]
		if want := "The module keeps its state in the `azurerm` backend of `spec.environments[2].terraform.backend` (`versions.tf`), `key` `open-webui-prod.tfstate`"; !strings.Contains(prod, want) {
			t.Errorf("prod README lacks %q", want)
		}
		for _, env := range []string{"dev", "staging"} {
			if strings.Contains(docs[EnvironmentReadme(env)], "keeps its state in the") {
				t.Errorf("%s README names a backend; its module keeps the state in its folder", env)
			}
		}
		return
	}
	t.Fatal("no golden case team-topology")
}
