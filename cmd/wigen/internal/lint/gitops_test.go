package lint

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"

	"github.com/wigen-dev/wigen/generate"
	"github.com/wigen-dev/wigen/schema"
)

// gitOpsSpec is twoEnvSpec rendering an Argo CD Application and the Flux
// objects for both environments (dev with its own namespace and a client
// ID, so its objects are rendered too).
var gitOpsSpec = strings.NewReplacer(
	"  targets: [helm]\n", "  targets: [argocd, flux]\n",
	"        name: id-open-webui-dev\n", "        name: id-open-webui-dev\n        clientId: 66666666-6666-6666-6666-666666666666\n",
).Replace(twoEnvSpec)

// gitOpsTree renders gitOpsSpec (as wigen.yaml, with the chart repository
// given, an https one or an oci:// one) into a temp folder with wigen's own
// renderers and returns the folder.
func gitOpsTree(t *testing.T, repository string) string {
	t.Helper()
	spec := strings.Replace(gitOpsSpec, "    version: 7.2.0\n", "    version: 7.2.0\n    repository: "+repository+"\n", 1)
	s, err := schema.LoadBytes("wigen.yaml", []byte(spec))
	if err != nil {
		t.Fatal(err)
	}
	r, err := generate.Render(s)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	writeFile(t, dir, "wigen.yaml", spec)
	for _, f := range r.Files {
		writeFile(t, dir, "deploy/"+f.Path, string(f.Data))
	}
	return dir
}

// An Argo CD Application, a Flux HelmRelease, its chart source and the
// Flux folder are not rendered manifests: lint cannot see the pods inside
// them, and used to report WI001 (no service account) on an Application
// and to suggest kustomize build for a Flux folder, which prints the same
// objects again. They are refused with the command that renders what they
// install: the chart with the values they hold inline, as the environment
// README shows, for the environment whose folder they are in.
func TestMainGitOpsRefused(t *testing.T) {
	https := gitOpsTree(t, "https://charts.example.com/open-webui")
	oci := gitOpsTree(t, "oci://crexample.azurecr.io/helm")
	const httpsChart, ociChart = "open-webui --repo https://charts.example.com/open-webui", "oci://crexample.azurecr.io/helm/open-webui"
	// extract is the command lint suggests for environment env: the values
	// at query taken out of file, the chart rendered with them.
	extract := func(query, file, chart, env string) string {
		ns := map[string]string{"prod": "open-webui", "dev": "open-webui-dev"}[env]
		values := "/tmp/open-webui-" + env + "-values.yaml"
		return "yq '" + query + "' " + file + " > " + values + " && helm template open-webui " + chart + " --version 7.2.0 --namespace " + ns + " --values " + values + " | wigen lint --env " + env
	}
	argo := func(file, env string) string {
		return "an Argo CD Application (\"open-webui-" + env + "\"), not rendered manifests: Argo CD renders the chart it names in the cluster, where lint cannot see it; lint what it installs, the chart rendered with the values it holds inline: " +
			extract(".spec.source.helm.valuesObject", file, httpsChart, env)
	}
	release := func(file, chart string) string {
		return "a Flux HelmRelease (\"open-webui-prod\"), not rendered manifests: Flux renders the chart it names in the cluster, where lint cannot see it; lint what it installs, the chart rendered with the values it holds inline: " +
			extract(".spec.values", file, chart, "prod")
	}
	source := func(kind, helmRelease, chart string) string {
		return "a Flux " + kind + " (\"open-webui-prod\"), not rendered manifests: a chart source installs nothing itself; the HelmRelease using it has Flux render the chart in the cluster, where lint cannot see it; lint what the HelmRelease installs, the chart rendered with its inline values: " +
			extract(".spec.values", helmRelease, chart, "prod")
	}
	folder := func(dir, chart, env string) string {
		return "a Flux folder (kustomization.yaml lists a Flux HelmRelease \"open-webui-" + env + "\" in helmrelease.yaml), not rendered manifests: kustomize build would print the same objects again, and Flux renders the chart in the cluster, where lint cannot see it; lint what it installs, the chart rendered with the values the HelmRelease holds inline: " +
			extract(".spec.values", dir+"/helmrelease.yaml", chart, env)
	}
	appProd, err := os.ReadFile(filepath.Join(https, "deploy/argocd/prod/application.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	at := func(dir, file string) string { return file + ":" + objectLine(t, filepath.Join(dir, file)) }
	fluxBuild := kustomizeBuild(t, filepath.Join(oci, "deploy/flux/prod"))
	ociSource := ""
	for _, d := range strings.Split(fluxBuild, "---\n") {
		if strings.HasPrefix(d, "kind: OCIRepository\n") || strings.Contains(d, "\nkind: OCIRepository\n") {
			ociSource = d
		}
	}
	for _, tc := range []struct {
		name, dir, stdin string
		args             []string
		want             []string // stderr lines after "wigen: "
	}{
		{name: "Application", dir: https, args: []string{"--env", "prod", "deploy/argocd/prod/application.yaml"},
			want: []string{at(https, "deploy/argocd/prod/application.yaml") + ": " + argo("deploy/argocd/prod/application.yaml", "prod")}},
		{name: "Application on stdin", dir: https, stdin: string(appProd), args: []string{"--env", "prod"},
			want: []string{"<stdin>:" + objectLine(t, filepath.Join(https, "deploy/argocd/prod/application.yaml")) + ": " + argo("APPLICATION_FILE", "prod")}},
		// Each Application of a folder with the release, namespace and
		// values of its own environment (dev's folder: dev's namespace).
		{name: "folder of Applications", dir: https, args: []string{"--env", "prod", "deploy/argocd"},
			want: []string{
				at(https, "deploy/argocd/dev/application.yaml") + ": " + argo("deploy/argocd/dev/application.yaml", "dev"),
				at(https, "deploy/argocd/prod/application.yaml") + ": " + argo("deploy/argocd/prod/application.yaml", "prod"),
			}},
		{name: "Flux folder", dir: https, args: []string{"--env", "prod", "deploy/flux/prod"},
			want: []string{"deploy/flux/prod: " + folder("deploy/flux/prod", httpsChart, "prod")}},
		{name: "Flux folders", dir: oci, args: []string{"--env", "prod", "deploy/flux"},
			want: []string{"deploy/flux/dev: " + folder("deploy/flux/dev", ociChart, "dev")}},
		{name: "Flux kustomization.yaml", dir: https, args: []string{"--env", "prod", "deploy/flux/prod/kustomization.yaml"},
			want: []string{"deploy/flux/prod/kustomization.yaml: " + folder("deploy/flux/prod", httpsChart, "prod")}},
		{name: "HelmRelease", dir: https, args: []string{"--env", "prod", "deploy/flux/prod/helmrelease.yaml"},
			want: []string{at(https, "deploy/flux/prod/helmrelease.yaml") + ": " + release("deploy/flux/prod/helmrelease.yaml", httpsChart)}},
		{name: "HelmRepository", dir: https, args: []string{"--env", "prod", "deploy/flux/prod/helmrepository.yaml"},
			want: []string{at(https, "deploy/flux/prod/helmrepository.yaml") + ": " + source("HelmRepository", "deploy/flux/prod/helmrelease.yaml", httpsChart)}},
		{name: "OCIRepository", dir: oci, args: []string{"--env", "prod", "deploy/flux/prod/ocirepository.yaml"},
			want: []string{at(oci, "deploy/flux/prod/ocirepository.yaml") + ": " + source("OCIRepository", "deploy/flux/prod/helmrelease.yaml", ociChart)}},
		// kustomize build of the Flux folder prints the source and the
		// HelmRelease: one refusal, the HelmRelease's, says it all.
		{name: "kustomize build of the Flux folder", dir: oci, stdin: fluxBuild, args: []string{"--env", "prod"},
			want: []string{"<stdin>:" + lineOf(t, fluxBuild, "kind: HelmRelease") + ": " + release("HELMRELEASE_FILE", ociChart)}},
		{name: "chart source on stdin", dir: oci, stdin: ociSource, args: []string{"--env", "prod"},
			want: []string{"<stdin>:1: " + source("OCIRepository", "HELMRELEASE_FILE", ociChart)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runMain(t, tc.dir, tc.stdin, tc.args...)
			if code != ExitBadInput || out != "" {
				t.Errorf("exit %d, stdout %q; want 2 and nothing", code, out)
			}
			var want string
			for _, w := range tc.want {
				want += "wigen: " + w + "\n"
			}
			if errOut != want {
				t.Errorf("stderr:\n%s\nwant:\n%s", errOut, want)
			}
			if strings.Contains(errOut, "WI001") || strings.Contains(errOut, "kustomize build --enable-helm") {
				t.Errorf("a finding or a kustomize build hint for a GitOps object:\n%s", errOut)
			}
		})
	}
}

// An Argo CD or Flux object among rendered manifests is refused as well:
// Lint never checks a stream that holds one (it would pass the
// Application's missing pods as fine, or blame them).
func TestLintRefusesGitOpsObjects(t *testing.T) {
	e := testEnv(t)
	app := "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: x\nspec: {}\n"
	_, err := Lint(e, []Input{{Name: "in.yaml", Data: []byte(docs(goodSA, goodSTS, app))}})
	if err == nil || !strings.Contains(err.Error(), `in.yaml:`) || !strings.Contains(err.Error(), `an Argo CD Application ("x")`) ||
		!strings.Contains(err.Error(), "yq '.spec.source.helm.valuesObject' in.yaml > /tmp/RELEASE-prod-values.yaml && helm template RELEASE CHART --namespace open-webui --values /tmp/RELEASE-prod-values.yaml | wigen lint --env prod") {
		t.Errorf("Lint with an Application: %v", err)
	}
	// Another argoproj.io kind (an AppProject) installs nothing and is
	// read as any other object.
	project := "apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata:\n  name: x\n"
	if _, err := Lint(e, []Input{{Name: "in.yaml", Data: []byte(docs(goodSA, goodSTS, project))}}); err != nil {
		t.Errorf("Lint with an AppProject: %v", err)
	}
}

// kustomizeBuild builds the kustomization in dir with the project's
// kustomize API, as kustomize build prints it.
func kustomizeBuild(t *testing.T, dir string) string {
	t.Helper()
	m, err := krusty.MakeKustomizer(krusty.MakeDefaultOptions()).Run(filesys.MakeFsOnDisk(), dir)
	if err != nil {
		t.Fatal(err)
	}
	out, err := m.AsYaml()
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// lineOf returns the 1-based line of the first line of the document of s
// holding text (the line after the "---" before it, or 1).
func lineOf(t *testing.T, s, text string) string {
	t.Helper()
	i := strings.Index(s, text)
	if i < 0 {
		t.Fatalf("%q is not in:\n%s", text, s)
	}
	start := strings.LastIndex(s[:i], "---\n")
	if start < 0 {
		return "1"
	}
	return itoa(strings.Count(s[:start], "\n") + 2)
}

// objectLine returns the line of the first line of file that is neither
// blank nor a comment: where lint places the object.
func objectLine(t *testing.T, file string) string {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range strings.Split(string(data), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") && l != "---" {
			return itoa(i + 1)
		}
	}
	t.Fatalf("%s holds no object", file)
	return ""
}
