// Package argocd renders the argocd target: one Argo CD Application
// (argoproj.io/v1alpha1) per environment, argocd/<env>/application.yaml,
// installing the chart from its Helm repository at the exact chart
// version, as release metadata.name, with the environment's Helm values
// inline: the same values, from the same function (helm.Values, Standalone
// mode), as helm/<env>/values.yaml, client ID included, plus the Argo CD
// sync options that keep the chart's PVC (helm.ArgoCDValues). An environment
// whose client ID is not known yet gets no Application (wigen never
// writes a placeholder); generate.Result.Skipped lists it.
//
// The shape follows the Application CRD of argo-cd v3.5.1
// (manifests/crds/application-crd.yaml) and its docs (user-guide/helm.md,
// user-guide/sync-options.md), summarised in
// ../shared/reference/crds/README.md: spec.project and spec.destination are
// required; source.repoURL is the Helm repository (an OCI registry without
// its oci:// scheme), chart the chart name, targetRevision the chart
// version; helm.valuesObject takes the values as a mapping (helm.values
// would be a string); destination names the cluster by server or by name,
// never both; syncOptions CreateNamespace=true makes Argo CD create the
// destination namespace. Tests validate every rendered Application against
// that CRD.
//
// The YAML is built from the typed tree below and marshalled
// (output.YAML), never written by hand.
package argocd

import (
	"fmt"
	"slices"
	"strings"

	"github.com/wigen-dev/wigen/generate/helm"
	"github.com/wigen-dev/wigen/generate/output"
	"github.com/wigen-dev/wigen/schema"
)

// APIVersion and Kind of the Application.
const (
	APIVersion = "argoproj.io/v1alpha1"
	Kind       = "Application"
)

// ValuesQuery is the yq expression that prints the Helm values an
// Application holds inline (spec.source.helm.valuesObject, where NewApplication
// writes them): the environment README and wigen lint take them out with it
// to render the chart as Argo CD does.
const ValuesQuery = ".spec.source.helm.valuesObject"

// Path is the path, relative to the output root, of environment env's
// Application.
func Path(env string) string { return "argocd/" + env + "/application.yaml" }

// Application is the part of an Argo CD Application wigen writes.
type Application struct {
	APIVersion string     `json:"apiVersion"`
	Kind       string     `json:"kind"`
	Metadata   ObjectMeta `json:"metadata"`
	Spec       Spec       `json:"spec"`
}

// ObjectMeta names the Application and where it lives.
type ObjectMeta struct {
	Name      string `json:"name"`
	Namespace string `json:"namespace"`
}

// Spec is an Application's spec.
type Spec struct {
	Project     string      `json:"project"`
	Source      Source      `json:"source"`
	Destination Destination `json:"destination"`
	SyncPolicy  *SyncPolicy `json:"syncPolicy,omitempty"`
}

// Source is a Helm chart from a Helm repository.
type Source struct {
	RepoURL        string `json:"repoURL"`
	Chart          string `json:"chart"`
	TargetRevision string `json:"targetRevision"`
	Helm           Helm   `json:"helm"`
}

// Helm holds the release name and the values, as a mapping.
type Helm struct {
	ReleaseName  string         `json:"releaseName"`
	ValuesObject map[string]any `json:"valuesObject"`
}

// Destination is the cluster (by server URL or by name) and namespace.
type Destination struct {
	Server    string `json:"server,omitempty"`
	Name      string `json:"name,omitempty"`
	Namespace string `json:"namespace"`
}

// SyncPolicy holds automated sync and the sync options.
type SyncPolicy struct {
	Automated   *Automated `json:"automated,omitempty"`
	SyncOptions []string   `json:"syncOptions,omitempty"`
}

// Automated sync: prune what the chart no longer renders, undo changes
// made in the cluster.
type Automated struct {
	Prune    bool `json:"prune"`
	SelfHeal bool `json:"selfHeal"`
}

// Name is the Application's name for environment e: the release name and
// the environment's, so the Applications of several environments can live
// in one Argo CD namespace. The release keeps its own name
// (helm.releaseName): the chart names its objects after it.
func Name(s *schema.Spec, e *schema.Environment) string { return s.GitOpsName(e) }

// Paths lists, without rendering, the paths Render writes for s.
func Paths(s *schema.Spec) []string {
	var out []string
	for i := range s.Spec.Environments {
		if e := &s.Spec.Environments[i]; e.HasTarget(schema.TargetArgoCD) && helm.HasClientID(e) {
			out = append(out, Path(e.Name))
		}
	}
	return out
}

// Render returns argocd/<env>/application.yaml for every environment that
// renders argocd and whose client ID is known, in environment order.
func Render(s *schema.Spec) ([]output.File, error) {
	return output.PerEnvironment(len(s.Spec.Environments), func(i int) ([]output.File, error) {
		e := &s.Spec.Environments[i]
		if !e.HasTarget(schema.TargetArgoCD) || !helm.HasClientID(e) {
			return nil, nil
		}
		f, err := output.YAML(Path(e.Name), s.Source, NewApplication(s, e), comments(s, e)...)
		if err != nil {
			return nil, fmt.Errorf("environment %s: %w", e.Name, err)
		}
		return []output.File{f}, nil
	})
}

// NewApplication builds environment e's Application. e must have a
// client ID (helm.HasClientID).
func NewApplication(s *schema.Spec, e *schema.Environment) *Application {
	c := s.Spec.Chart
	a := e.ArgoCD
	app := &Application{
		APIVersion: APIVersion,
		Kind:       Kind,
		Metadata:   ObjectMeta{Name: Name(s, e), Namespace: a.Namespace},
		Spec: Spec{
			Project: a.Project,
			Source: Source{
				RepoURL:        RepoURL(c.Repository),
				Chart:          c.Name,
				TargetRevision: c.Version,
				Helm: Helm{
					ReleaseName:  s.ReleaseName(),
					ValuesObject: helm.ArgoCDValues(s, e),
				},
			},
			Destination: Destination{Server: a.Destination.Server, Name: a.Destination.Name, Namespace: e.Namespace},
		},
	}
	var sp SyncPolicy
	if a.Automated {
		sp.Automated = &Automated{Prune: true, SelfHeal: true}
	}
	if e.CreatesNamespace() {
		sp.SyncOptions = []string{"CreateNamespace=true"}
	}
	if sp.Automated != nil || sp.SyncOptions != nil {
		app.Spec.SyncPolicy = &sp
	}
	return app
}

// RepoURL is the repoURL of a chart repository: the URL as given for an
// HTTP repository; for an OCI registry the registry host and path without
// "oci://", as Argo CD's Helm docs write it (argo-cd v3.5.1
// docs/user-guide/helm.md).
func RepoURL(repository string) string {
	if r, ok := strings.CutPrefix(repository, "oci://"); ok {
		return strings.TrimSuffix(r, "/")
	}
	return repository
}

func comments(s *schema.Spec, e *schema.Environment) []string {
	c := s.Spec.Chart
	a := e.ArgoCD
	dest := "server " + a.Destination.Server
	if a.Destination.Name != "" {
		dest = "cluster " + a.Destination.Name
	}
	out := []string{
		fmt.Sprintf("Argo CD Application of environment %s: chart %s %s from %s,", e.Name, c.Name, c.Version, c.Repository),
		fmt.Sprintf("release %s in namespace %s of the destination %s, project %s.", s.ReleaseName(), e.Namespace, dest, a.Project),
		"The values are the environment's Helm values, client ID included: the same",
		"values the helm target writes to " + helm.StandalonePath(e.Name) + ".",
		fmt.Sprintf("Commit this file where Argo CD reads Applications, or: kubectl apply -n %s -f %s", a.Namespace, Path(e.Name)),
	}
	if s.KeepsPVC(e) {
		out[3] = "values the helm target writes to " + helm.StandalonePath(e.Name) + ", plus on the chart's PVC the"
		out = slices.Insert(out, 4,
			"sync options "+schema.ArgoCDNoPrune+","+schema.ArgoCDNoDelete+": Argo CD prunes an object annotated",
			"helm.sh/resource-policy: keep anyway (argo-cd#17819); these keep the database.")
	}
	if strings.HasPrefix(c.Repository, "oci://") {
		out = append(out,
			"The chart is in an OCI registry: Argo CD needs a repository Secret for",
			fmt.Sprintf("%s with type helm and enableOCI \"true\".", RepoURL(c.Repository)))
	}
	if !e.CreatesNamespace() {
		out = append(out, fmt.Sprintf("createNamespace is false: namespace %s must exist before the first sync.", e.Namespace))
	}
	return out
}
