package docs

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/wigen-dev/wigen/generate/argocd"
	"github.com/wigen-dev/wigen/generate/flux"
	"github.com/wigen-dev/wigen/generate/helm"
	"github.com/wigen-dev/wigen/generate/output"
	"github.com/wigen-dev/wigen/schema"
)

// argoCDData is what an environment README says of its Argo CD Application.
type argoCDData struct {
	Path, Name, Namespace, Project, Destination string
	Automated                                   bool
	// OCI: the chart is in an OCI registry, RepoURL as Argo CD names it.
	OCI     bool
	RepoURL string
}

// fluxData is what an environment README says of its Flux folder.
type fluxData struct {
	Dir, Name, Namespace, Interval string
	// SourceKind and SourceFile name the chart source: HelmRepository or
	// OCIRepository.
	SourceKind, SourceFile string
	Files                  []string
}

// lintData is how to check what Argo CD or Flux installs: helm template
// with the same values, piped into wigen lint.
type lintData struct {
	// Extract writes the inline values to ValuesFile when no Helm values
	// file was rendered ("" when helm/<env>/values.yaml holds them).
	Extract, ValuesFile string
	Command             string
}

// gitOps fills in the argocd and flux parts of environment e's README:
// each only when e renders the target and its file was rendered (the
// client ID is known); else the target is listed among the skipped.
func (r *rendered) gitOps(e *schema.Environment, d *envData) {
	s := r.s
	if e.HasTarget(schema.TargetArgoCD) {
		p := argocd.Path(e.Name)
		if !r.paths[p] {
			d.Skipped = append(d.Skipped, skipped{Env: e.Name, Path: p, Why: "identity.clientId is not set"})
		} else {
			a := e.ArgoCD
			dest := "server " + code(a.Destination.Server)
			if a.Destination.Name != "" {
				dest = "cluster " + code(a.Destination.Name)
			}
			d.ArgoCD = &argoCDData{
				Path: p, Name: argocd.Name(s, e), Namespace: a.Namespace, Project: a.Project, Destination: dest,
				Automated: a.Automated, OCI: strings.HasPrefix(s.Spec.Chart.Repository, "oci://"), RepoURL: argocd.RepoURL(s.Spec.Chart.Repository),
			}
		}
	}
	if e.HasTarget(schema.TargetFlux) {
		dir := flux.Dir(e.Name)
		if files := r.inDir[dir]; len(files) == 0 {
			d.Skipped = append(d.Skipped, skipped{Env: e.Name, Path: dir + "/", Why: "identity.clientId is not set"})
		} else {
			kind := flux.KindHelmRepository
			if flux.IsOCI(s) {
				kind = flux.KindOCIRepository
			}
			d.Flux = &fluxData{
				Dir: dir, Name: flux.Name(s, e), Namespace: e.Flux.Namespace, Interval: e.Flux.Interval,
				SourceKind: kind, SourceFile: flux.SourceFile(s), Files: sortedCopy(files),
			}
		}
	}
	if d.ArgoCD != nil || d.Flux != nil {
		d.Lint = lintCommands(s, e, d)
	}
}

// lintCommands renders the chart as Argo CD or Flux will, with helm
// template and the same values (helm/<env>/values.yaml when rendered, else
// the values taken out of the Application or HelmRelease with yq), and
// pipes the manifests into wigen lint for the environment. Commands run
// from the output root.
func lintCommands(s *schema.Spec, e *schema.Environment, d *envData) *lintData {
	l := &lintData{}
	values := helm.StandalonePath(e.Name)
	if !d.Helm {
		l.ValuesFile = helm.ExtractedValuesPath(s.ReleaseName(), e.Name)
		values = l.ValuesFile
		if d.ArgoCD != nil {
			l.Extract = fmt.Sprintf("yq '%s' %s > %s", argocd.ValuesQuery, d.ArgoCD.Path, output.ShellQuote(l.ValuesFile))
		} else {
			l.Extract = fmt.Sprintf("yq '%s' %s > %s", flux.ValuesQuery, path.Join(d.Flux.Dir, flux.HelmReleaseFile), output.ShellQuote(l.ValuesFile))
		}
	}
	ref, repo := helm.ChartRef(s)
	lines := []string{"helm template " + s.ReleaseName() + " " + ref}
	lines = append(lines, repo...)
	lines = append(lines, "--version "+s.Spec.Chart.Version, "--namespace "+e.Namespace, "--values "+output.ShellQuote(values))
	lines = append(lines, fmt.Sprintf("| wigen lint -f %s --env %s", output.ShellQuote(inputFromRoot(s)), e.Name))
	l.Command = command(lines...)
	return l
}

// inputFromRoot is the input file's path seen from the output root.
func inputFromRoot(s *schema.Spec) string {
	out := path.Clean(s.Spec.Output)
	if out == "." {
		return s.Source
	}
	return strings.Repeat("../", strings.Count(out, "/")+1) + s.Source
}

func sortedCopy(ss []string) []string {
	out := append([]string(nil), ss...)
	sort.Strings(out)
	return out
}
