// GitOps objects given to wigen lint: an Argo CD Application, a Flux
// HelmRelease or the chart source it installs from (HelmRepository,
// OCIRepository), and a folder whose kustomization lists them (the Flux
// folder wigen renders). Each names a chart that Argo CD or Flux renders
// in the cluster: the pods, the service account and their Workload ID
// labels and annotations are not in the file, so linting it would report
// what is not there (WI001: no service account), or, for a Flux folder, a
// kustomize build would print the same GitOps objects again. They are
// refused with the command that renders what they install: helm template
// of the chart with the values the Application or HelmRelease holds inline
// (taken out with yq, as the environment README does; generate/argocd and
// generate/flux write them at argocd.ValuesQuery and flux.ValuesQuery).

package lint

import (
	"os"
	"path/filepath"
	"sort"

	k8sschema "k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/yaml"

	"github.com/wigen-dev/wigen/generate/argocd"
	"github.com/wigen-dev/wigen/generate/flux"
	"github.com/wigen-dev/wigen/generate/output"
	"github.com/wigen-dev/wigen/schema"
)

// gitOpsKind is what lint says of one GitOps kind.
type gitOpsKind struct {
	// what names the kind in a message ("an Argo CD Application"), kind
	// is its kind; by is the controller that renders the chart ("Argo CD").
	what, kind, by string
	// values is the yq expression of the inline values; "" for a chart
	// source, whose HelmRelease holds them.
	values string
	// stdin names the file that holds the values when the object came on
	// standard input.
	stdin string
}

// gitOpsKinds are the kinds refused, by API group and kind (any version):
// Argo CD's Application (argoproj.io) and Flux's HelmRelease
// (helm.toolkit.fluxcd.io), HelmRepository and OCIRepository
// (source.toolkit.fluxcd.io), the CRDs in ../shared/reference/crds.
var gitOpsKinds = map[k8sschema.GroupKind]gitOpsKind{
	{Group: "argoproj.io", Kind: argocd.Kind}:                          {what: "an Argo CD Application", kind: argocd.Kind, by: "Argo CD", values: argocd.ValuesQuery, stdin: "APPLICATION_FILE"},
	{Group: "helm.toolkit.fluxcd.io", Kind: flux.KindHelmRelease}:      {what: "a Flux HelmRelease", kind: flux.KindHelmRelease, by: "Flux", values: flux.ValuesQuery, stdin: helmReleaseStdin},
	{Group: "source.toolkit.fluxcd.io", Kind: flux.KindHelmRepository}: {what: "a Flux HelmRepository", kind: flux.KindHelmRepository, by: "Flux"},
	{Group: "source.toolkit.fluxcd.io", Kind: flux.KindOCIRepository}:  {what: "a Flux OCIRepository", kind: flux.KindOCIRepository, by: "Flux"},
}

// helmReleaseStdin names the HelmRelease's file when lint does not know it.
const helmReleaseStdin = "HELMRELEASE_FILE"

// gitOpsMsg is the message for object name of kind k, found in file (a
// path, or StdinName): what it is, and the command that renders what it
// installs, from the file that holds the values: file itself for an
// Application or HelmRelease; for a chart source, the HelmRelease beside
// it (flux.HelmReleaseFile in file's folder) when there is one.
func gitOpsMsg(h Hints, file string, k gitOpsKind, name string) string {
	if file != StdinName {
		h = h.forFolder(filepath.Dir(file))
	}
	msg := k.what + " (" + schema.Quote(name) + "), not rendered manifests: "
	if k.values == "" {
		holder := helmReleaseStdin
		if file != StdinName {
			if p := filepath.Join(filepath.Dir(file), flux.HelmReleaseFile); isRegular(p) {
				holder = p
			}
		}
		return msg + "a chart source installs nothing itself; the HelmRelease using it has Flux render the chart in the cluster, where lint cannot see it; lint what the HelmRelease installs, the chart rendered with its inline values: " +
			h.gitOpsCommand(flux.ValuesQuery, holder)
	}
	holder := file
	if file == StdinName {
		holder = k.stdin
	}
	return msg + k.by + " renders the chart it names in the cluster, where lint cannot see it; lint what it installs, the chart rendered with the values it holds inline: " +
		h.gitOpsCommand(k.values, holder)
}

// gitOpsCommand takes the values at yq expression values out of file and
// renders the chart with them into wigen lint: one line, the two commands
// the environment README shows.
func (h Hints) gitOpsCommand(values, file string) string {
	v := output.ShellQuote(h.Values)
	return "yq '" + values + "' " + output.ShellQuote(file) + " > " + v + " && " + h.HelmTemplate + " --values " + v + " | " + h.Lint
}

// gitOpsObject returns the first GitOps object of a file's data (its kind
// and name), or ok false: a light reading of each document's apiVersion,
// kind and metadata.name, for files lint does not decode (the resources a
// kustomization lists).
func gitOpsObject(file string, data []byte) (k gitOpsKind, name string, ok bool) {
	docs, _ := readDocuments(file, data)
	for _, d := range docs {
		var m struct {
			APIVersion string `json:"apiVersion"`
			Kind       string `json:"kind"`
			Metadata   struct {
				Name string `json:"name"`
			} `json:"metadata"`
		}
		if yaml.Unmarshal(d.data, &m) != nil {
			continue
		}
		gv, err := k8sschema.ParseGroupVersion(m.APIVersion)
		if err != nil {
			continue
		}
		if k, ok := gitOpsKinds[gv.WithKind(m.Kind).GroupKind()]; ok {
			return k, m.Metadata.Name, true
		}
	}
	return gitOpsKind{}, "", false
}

// gitOpsFolder reports whether the kustomization of folder dir takes in
// (own, from kustomizationOf) a file holding a GitOps object, and returns
// the message refusing the folder: a Flux folder is applied by a Flux
// Kustomization, and what it installs is the chart its HelmRelease has
// Flux render, not what kustomize build prints (the same objects again).
// The message names an Application or a HelmRelease before a chart source:
// they hold the values.
func gitOpsFolder(h Hints, dir, kustomization string, own map[string]string) (string, bool) {
	files := make([]string, 0, len(own))
	for f := range own {
		files = append(files, f)
	}
	sort.Strings(files)
	var (
		found string
		kind  gitOpsKind
		name  string
	)
	for _, f := range files {
		p := filepath.Join(dir, f)
		data, err := readFileLimited(p)
		if err != nil {
			continue
		}
		if k, n, ok := gitOpsObject(p, data); ok && (found == "" || kind.values == "" && k.values != "") {
			found, kind, name = p, k, n
		}
	}
	if found == "" {
		return "", false
	}
	h = h.forFolder(dir)
	what := "a Flux folder"
	if kind.by == "Argo CD" {
		what = "a folder of Argo CD Applications"
	}
	msg := what + " (" + filepath.Base(kustomization) + " lists " + kind.what + " " + schema.Quote(name) + " in " + filepath.Base(found) + "), not rendered manifests: kustomize build would print the same objects again, and " + kind.by + " renders the chart in the cluster, where lint cannot see it; lint what it installs, the chart rendered with the values "
	if kind.values == "" {
		return msg + "its HelmRelease holds inline: " + h.gitOpsCommand(flux.ValuesQuery, helmReleaseStdin), true
	}
	return msg + "the " + kind.kind + " holds inline: " + h.gitOpsCommand(kind.values, found), true
}

// forFolder returns the hints of the environment whose GitOps folder dir
// is, as wigen renders them (argocd/<env>, flux/<env>: generate/argocd,
// generate/flux), when that is another environment of the spec than the
// one linted against: its Application or HelmRelease is rendered with its
// own release, namespace and values, and linted against it. Otherwise h.
func (h Hints) forFolder(dir string) Hints {
	env, target := filepath.Base(dir), filepath.Base(filepath.Dir(dir))
	if o, ok := h.envs[env]; ok && (target == "argocd" || target == "flux") {
		return o
	}
	return h
}

// isRegular reports whether p is a regular file (following a link).
func isRegular(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
}
