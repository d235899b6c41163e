// Package flux renders the flux target: per environment, flux/<env>/ with
// a HelmRelease (helm.toolkit.fluxcd.io/v2), its chart source (a
// HelmRepository, or for an oci:// chart repository an OCIRepository,
// source.toolkit.fluxcd.io/v1) and a kustomization.yaml listing both, so a
// Flux Kustomization can point at the folder. The HelmRelease installs the
// chart at the exact chart version as release metadata.name in the
// environment's namespace, with the environment's Helm values inline: the
// same values, from the same function (helm.Values, Standalone mode), as
// helm/<env>/values.yaml, client ID included. An environment whose client
// ID is not known yet gets no folder (wigen never writes a placeholder);
// generate.Result.Skipped lists it.
//
// The shapes follow the CRDs of helm-controller v1.6.3 and
// source-controller v1.9.1 and their docs (docs/spec/v2/helmreleases.md,
// docs/spec/v1/helmrepositories.md, docs/spec/v1/ocirepositories.md),
// summarised in ../shared/reference/crds/README.md: spec.interval is
// required in a HelmRelease and an OCIRepository; a HelmRelease names its
// chart either with chart.spec (chart, version, sourceRef to a
// HelmRepository) or with chartRef (an OCIRepository, the way Flux
// recommends for OCI charts: a HelmRepository of type oci is in
// maintenance mode), never both; an OCIRepository's url is the chart's
// own repository (oci://<registry>/<path>/<chart>), ref.tag the chart
// version, and layerSelector picks the chart's tar layer;
// install.createNamespace creates targetNamespace. Tests validate every
// rendered object against those CRDs.
//
// The YAML is built from the typed trees below and marshalled
// (output.YAML), never written by hand.
package flux

import (
	"fmt"
	"path"
	"strings"

	"sigs.k8s.io/kustomize/api/types"

	"github.com/wigen-dev/wigen/generate/helm"
	"github.com/wigen-dev/wigen/generate/kustomize"
	"github.com/wigen-dev/wigen/generate/output"
	"github.com/wigen-dev/wigen/schema"
)

// API versions and kinds.
const (
	HelmAPIVersion       = "helm.toolkit.fluxcd.io/v2"
	SourceAPIVersion     = "source.toolkit.fluxcd.io/v1"
	KindHelmRelease      = "HelmRelease"
	KindHelmRepository   = "HelmRepository"
	KindOCIRepository    = "OCIRepository"
	HelmChartLayerType   = "application/vnd.cncf.helm.chart.content.v1.tar+gzip"
	HelmChartLayerAction = "copy"
)

// Files of each environment's folder.
const (
	HelmReleaseFile    = "helmrelease.yaml"
	HelmRepositoryFile = "helmrepository.yaml"
	OCIRepositoryFile  = "ocirepository.yaml"
	KustomizationFile  = "kustomization.yaml"
)

// ValuesQuery is the yq expression that prints the Helm values a
// HelmRelease holds inline (spec.values): the environment README and wigen
// lint take them out with it to render the chart as Flux does.
const ValuesQuery = ".spec.values"

// Dir is the folder of environment env, relative to the output root.
func Dir(env string) string { return "flux/" + env }

// ObjectMeta names an object and its namespace.
type ObjectMeta struct {
	Name      string `json:"name"`
	Namespace string `json:"namespace"`
}

// HelmRepository is an HTTP(S) Helm repository.
type HelmRepository struct {
	APIVersion string             `json:"apiVersion"`
	Kind       string             `json:"kind"`
	Metadata   ObjectMeta         `json:"metadata"`
	Spec       HelmRepositorySpec `json:"spec"`
}

// HelmRepositorySpec is a HelmRepository's spec.
type HelmRepositorySpec struct {
	Interval string `json:"interval"`
	URL      string `json:"url"`
}

// OCIRepository is the chart's repository in an OCI registry.
type OCIRepository struct {
	APIVersion string            `json:"apiVersion"`
	Kind       string            `json:"kind"`
	Metadata   ObjectMeta        `json:"metadata"`
	Spec       OCIRepositorySpec `json:"spec"`
}

// OCIRepositorySpec is an OCIRepository's spec.
type OCIRepositorySpec struct {
	Interval      string        `json:"interval"`
	URL           string        `json:"url"`
	Ref           OCIRef        `json:"ref"`
	LayerSelector LayerSelector `json:"layerSelector"`
}

// OCITag is the OCI tag Helm pushes chart version v under: an OCI tag
// holds no '+', so Helm writes a version's build metadata after '_'
// instead (helm push's convention, quoted in argo-cd#14097), and
// source-controller looks the tag up as written.
func OCITag(v string) string { return strings.ReplaceAll(v, "+", "_") }

// OCIRef pins the artifact by tag: the chart version (OCITag).
type OCIRef struct {
	Tag string `json:"tag"`
}

// LayerSelector picks the chart's layer of the OCI artifact.
type LayerSelector struct {
	MediaType string `json:"mediaType"`
	Operation string `json:"operation"`
}

// HelmRelease is the part of a Flux HelmRelease wigen writes.
type HelmRelease struct {
	APIVersion string          `json:"apiVersion"`
	Kind       string          `json:"kind"`
	Metadata   ObjectMeta      `json:"metadata"`
	Spec       HelmReleaseSpec `json:"spec"`
}

// HelmReleaseSpec is a HelmRelease's spec: exactly one of Chart and ChartRef.
type HelmReleaseSpec struct {
	Interval        string         `json:"interval"`
	ReleaseName     string         `json:"releaseName"`
	TargetNamespace string         `json:"targetNamespace"`
	Install         *Install       `json:"install,omitempty"`
	Chart           *ChartTemplate `json:"chart,omitempty"`
	ChartRef        *SourceRef     `json:"chartRef,omitempty"`
	Values          map[string]any `json:"values"`
}

// Install holds the install options wigen sets.
type Install struct {
	CreateNamespace bool `json:"createNamespace"`
}

// ChartTemplate is spec.chart: the HelmChart Flux makes from a HelmRepository.
type ChartTemplate struct {
	Spec ChartSpec `json:"spec"`
}

// ChartSpec is the chart name, the exact version and its source.
type ChartSpec struct {
	Chart     string    `json:"chart"`
	Version   string    `json:"version"`
	SourceRef SourceRef `json:"sourceRef"`
}

// SourceRef refers to a source object.
type SourceRef struct {
	Kind      string `json:"kind"`
	Name      string `json:"name"`
	Namespace string `json:"namespace"`
}

// Name is the name of environment e's HelmRelease and of its source: the
// release name and the environment's, so the objects of environments that
// share a cluster (and its flux-system namespace) do not collide. The
// release keeps its own name (spec.releaseName).
func Name(s *schema.Spec, e *schema.Environment) string { return s.GitOpsName(e) }

// IsOCI reports whether the chart repository is an OCI registry.
func IsOCI(s *schema.Spec) bool { return strings.HasPrefix(s.Spec.Chart.Repository, "oci://") }

// SourceFile is the file of the chart source: ocirepository.yaml or helmrepository.yaml.
func SourceFile(s *schema.Spec) string {
	if IsOCI(s) {
		return OCIRepositoryFile
	}
	return HelmRepositoryFile
}

// Paths lists, without rendering, the paths Render writes for s.
func Paths(s *schema.Spec) []string {
	var out []string
	for i := range s.Spec.Environments {
		e := &s.Spec.Environments[i]
		if !e.HasTarget(schema.TargetFlux) || !helm.HasClientID(e) {
			continue
		}
		for _, f := range []string{HelmReleaseFile, KustomizationFile, SourceFile(s)} {
			out = append(out, path.Join(Dir(e.Name), f))
		}
	}
	return out
}

// Render returns flux/<env>/ for every environment that renders flux and
// whose client ID is known, in environment order, files sorted by path.
func Render(s *schema.Spec) ([]output.File, error) {
	return output.PerEnvironment(len(s.Spec.Environments), func(i int) ([]output.File, error) {
		e := &s.Spec.Environments[i]
		if !e.HasTarget(schema.TargetFlux) || !helm.HasClientID(e) {
			return nil, nil
		}
		fs, err := renderEnvironment(s, e)
		if err != nil {
			return nil, fmt.Errorf("environment %s: %w", e.Name, err)
		}
		return fs, nil
	})
}

func renderEnvironment(s *schema.Spec, e *schema.Environment) ([]output.File, error) {
	dir := Dir(e.Name)
	c := s.Spec.Chart
	src, err := output.YAML(path.Join(dir, SourceFile(s)), s.Source, NewSource(s, e), sourceComments(s, e)...)
	if err != nil {
		return nil, err
	}
	rel, err := output.YAML(path.Join(dir, HelmReleaseFile), s.Source, NewHelmRelease(s, e), releaseComments(s, e)...)
	if err != nil {
		return nil, err
	}
	k := &types.Kustomization{
		TypeMeta:  types.TypeMeta{APIVersion: types.KustomizationVersion, Kind: types.KustomizationKind},
		Resources: []string{SourceFile(s), HelmReleaseFile},
	}
	kf, err := kustomize.WriteKustomization(path.Join(dir, KustomizationFile), s.Source, k,
		fmt.Sprintf("The Flux objects of environment %s: chart %s %s, release %s in namespace %s.", e.Name, c.Name, c.Version, s.ReleaseName(), e.Namespace),
		"Point a Flux Kustomization (kustomize.toolkit.fluxcd.io) at this folder, or",
		fmt.Sprintf("apply it from the output root: kubectl apply -k %s", dir),
	)
	if err != nil {
		return nil, err
	}
	files := []output.File{src, rel, kf}
	output.Sort(files)
	return files, nil
}

// NewSource builds environment e's chart source: an *OCIRepository for an
// oci:// chart repository, else a *HelmRepository.
func NewSource(s *schema.Spec, e *schema.Environment) any {
	c := s.Spec.Chart
	meta := ObjectMeta{Name: Name(s, e), Namespace: e.Flux.Namespace}
	if IsOCI(s) {
		return &OCIRepository{
			APIVersion: SourceAPIVersion, Kind: KindOCIRepository, Metadata: meta,
			Spec: OCIRepositorySpec{
				Interval:      e.Flux.Interval,
				URL:           strings.TrimSuffix(c.Repository, "/") + "/" + c.Name,
				Ref:           OCIRef{Tag: OCITag(c.Version)},
				LayerSelector: LayerSelector{MediaType: HelmChartLayerType, Operation: HelmChartLayerAction},
			},
		}
	}
	return &HelmRepository{
		APIVersion: SourceAPIVersion, Kind: KindHelmRepository, Metadata: meta,
		Spec: HelmRepositorySpec{Interval: e.Flux.Interval, URL: c.Repository},
	}
}

// NewHelmRelease builds environment e's HelmRelease. e must have a client
// ID (helm.HasClientID).
func NewHelmRelease(s *schema.Spec, e *schema.Environment) *HelmRelease {
	c := s.Spec.Chart
	hr := &HelmRelease{
		APIVersion: HelmAPIVersion, Kind: KindHelmRelease,
		Metadata: ObjectMeta{Name: Name(s, e), Namespace: e.Flux.Namespace},
		Spec: HelmReleaseSpec{
			Interval:        e.Flux.Interval,
			ReleaseName:     s.ReleaseName(),
			TargetNamespace: e.Namespace,
			Values:          helm.Values(s, e, helm.Standalone),
		},
	}
	if e.CreatesNamespace() {
		hr.Spec.Install = &Install{CreateNamespace: true}
	}
	ref := SourceRef{Kind: KindHelmRepository, Name: Name(s, e), Namespace: e.Flux.Namespace}
	if IsOCI(s) {
		ref.Kind = KindOCIRepository
		hr.Spec.ChartRef = &ref
	} else {
		hr.Spec.Chart = &ChartTemplate{Spec: ChartSpec{Chart: c.Name, Version: c.Version, SourceRef: ref}}
	}
	return hr
}

func sourceComments(s *schema.Spec, e *schema.Environment) []string {
	c := s.Spec.Chart
	if IsOCI(s) {
		return []string{
			fmt.Sprintf("The chart %s %s in the OCI registry %s, for environment %s's HelmRelease.", c.Name, c.Version, c.Repository, e.Name),
		}
	}
	return []string{fmt.Sprintf("The Helm repository of chart %s, for environment %s's HelmRelease.", c.Name, e.Name)}
}

func releaseComments(s *schema.Spec, e *schema.Environment) []string {
	c := s.Spec.Chart
	out := []string{
		fmt.Sprintf("Flux HelmRelease of environment %s: chart %s %s, release %s in namespace %s.", e.Name, c.Name, c.Version, s.ReleaseName(), e.Namespace),
		"The values are the environment's Helm values, client ID included: the same",
		"values the helm target writes to " + helm.StandalonePath(e.Name) + ".",
		fmt.Sprintf("Helm keeps the release's history in namespace %s (the HelmRelease's).", e.Flux.Namespace),
	}
	if !e.CreatesNamespace() {
		out = append(out, fmt.Sprintf("createNamespace is false: namespace %s must exist before the install.", e.Namespace))
	}
	return out
}
