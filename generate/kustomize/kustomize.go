// Package kustomize renders the Kustomize base, which inflates the Open
// WebUI chart with the helmCharts field, and one overlay per environment,
// which adds everything of Workload ID and everything environment-specific
// with strategic-merge patches.
//
// Rules it follows (facts.md "Kustomize" and "Azure Workload ID webhook"):
//   - the pod label azure.workload.identity/use: "true" goes on the pod
//     template only, through a strategic-merge patch; never commonLabels
//     (deprecated, and it writes selectors, which are immutable) and never a
//     label in a selector;
//   - the client-id and tenant-id annotations are merged into the service
//     account by a strategic-merge patch (a JSON 6902 add on
//     /metadata/annotations would replace the chart's annotations);
//   - patch files live inside the overlay folder (krusty's default load
//     restrictions are root-only);
//   - every YAML file is marshalled (sigs.k8s.io/yaml), never written by
//     hand, so strings such as "true", "on" or "0123" stay strings;
//   - kustomization.yaml is a types.Kustomization written in kustomize's own
//     field order, with no deprecated field (CheckDeprecatedFields is empty).
package kustomize

import (
	"bytes"
	"fmt"
	"path"
	"regexp"
	"strings"

	"sigs.k8s.io/kustomize/api/types"
	"sigs.k8s.io/kustomize/kyaml/resid"

	"github.com/wigen-dev/wigen/generate/helm"
	"github.com/wigen-dev/wigen/generate/output"
	"github.com/wigen-dev/wigen/schema"
)

// Paths of the rendered files, relative to the output root.
const (
	// BaseDir holds kustomization.yaml and the values file of the chart.
	BaseDir = "kustomize/base"
	// ValuesFile is the base's Helm values file, relative to BaseDir.
	ValuesFile = "values.yaml"
	// Files of each overlay, relative to OverlayDir.
	KustomizationFile  = "kustomization.yaml"
	NamespaceFile      = "namespace.yaml"
	ServiceAccountFile = "service-account.yaml"
	WorkloadFile       = "workload.yaml"
)

// OverlayDir is the overlay folder of environment env, relative to the output root.
func OverlayDir(env string) string { return "kustomize/overlays/" + env }

// WorkloadKinds is the target kind of the workload patch: the chart renders
// a StatefulSet or a Deployment depending on its values and version
// (workload-manager.yaml), and a patch target's kind is a regular
// expression (kustomize types.Selector, anchored).
const WorkloadKinds = "StatefulSet|Deployment"

// Paths lists, without rendering, the paths Render writes for s, relative
// to the output root: the base when an environment's overlay uses it, and
// the overlay of each environment that renders kustomize and whose client
// ID is set.
func Paths(s *schema.Spec) []string {
	var out []string
	if baseEnvironment(s) != nil {
		out = append(out, path.Join(BaseDir, KustomizationFile), path.Join(BaseDir, ValuesFile))
	}
	for i := range s.Spec.Environments {
		e := &s.Spec.Environments[i]
		if !e.HasTarget(schema.TargetKustomize) || !helm.HasClientID(e) {
			continue
		}
		dir := OverlayDir(e.Name)
		out = append(out, path.Join(dir, KustomizationFile))
		if e.CreatesNamespace() {
			out = append(out, path.Join(dir, NamespaceFile))
		}
		if InflatesChart(s, e) {
			out = append(out, path.Join(dir, ValuesFile))
		}
		out = append(out, path.Join(dir, ServiceAccountFile), path.Join(dir, WorkloadFile))
	}
	return out
}

// InflatesChart reports whether the overlay of environment e inflates the
// chart itself, with a helmCharts entry and a values.yaml of its own,
// instead of building on the shared base: e's chart values differ from
// spec.chart.values (schema.Spec.OwnChartValues), which is all the base
// is rendered with. Patches cannot stand in for values: values decide
// which objects the chart renders at all (an Ingress and its host, for
// one). The Workload ID patches are the same either way.
func InflatesChart(s *schema.Spec, e *schema.Environment) bool {
	return e.HasTarget(schema.TargetKustomize) && s.OwnChartValues(e)
}

// baseEnvironment returns the first environment whose overlay uses the
// shared base (schema.Spec.UsesSharedBase), or nil when none does and no
// base is rendered. The base's service account is its (validation checks
// that every environment using the base agrees).
func baseEnvironment(s *schema.Spec) *schema.Environment {
	for i := range s.Spec.Environments {
		if e := &s.Spec.Environments[i]; s.UsesSharedBase(e) {
			return e
		}
	}
	return nil
}

// Render returns kustomize/base/ (when an overlay uses it) and
// kustomize/overlays/<env>/ for every environment that renders kustomize
// and whose identity.clientId is set. An environment without one gets no
// overlay (wigen never writes a placeholder client ID);
// generate.Result.Skipped lists it.
func Render(s *schema.Spec) ([]output.File, error) {
	var files []output.File
	if be := baseEnvironment(s); be != nil {
		var err error
		if files, err = renderBase(s, be); err != nil {
			return nil, err
		}
	}
	overlays, err := output.PerEnvironment(len(s.Spec.Environments), func(i int) ([]output.File, error) {
		e := &s.Spec.Environments[i]
		if !e.HasTarget(schema.TargetKustomize) || !helm.HasClientID(e) {
			return nil, nil
		}
		fs, err := renderOverlay(s, e)
		if err != nil {
			return nil, fmt.Errorf("overlay %s: %w", e.Name, err)
		}
		return fs, nil
	})
	if err != nil {
		return nil, err
	}
	return append(files, overlays...), nil
}

// renderBase renders the shared base for the environments whose overlays
// use it; be is the first of them (it names the service account).
func renderBase(s *schema.Spec, be *schema.Environment) ([]output.File, error) {
	c := s.Spec.Chart
	k := &types.Kustomization{
		TypeMeta: types.TypeMeta{APIVersion: types.KustomizationVersion, Kind: types.KustomizationKind},
		HelmCharts: []types.HelmChart{{
			Name:        c.Name,
			Version:     c.Version,
			Repo:        c.Repository,
			ReleaseName: s.ReleaseName(),
			ValuesFile:  ValuesFile,
		}},
	}
	kf, err := kustomizationFile(path.Join(BaseDir, KustomizationFile), s.Source, k,
		fmt.Sprintf("Kustomize base: chart %s %s from %s,", c.Name, c.Version, c.Repository),
		fmt.Sprintf("release %s, inflated by `kustomize build --enable-helm` (needs helm).", s.ReleaseName()),
		"Shared by every overlay: nothing here is environment-specific and nothing is",
		"Workload ID; each overlay in ../overlays/ adds those with patches.",
	)
	if err != nil {
		return nil, err
	}
	vf, err := output.YAML(path.Join(BaseDir, ValuesFile), s.Source, helm.Values(s, be, helm.KustomizeBase),
		"Helm values of the Kustomize base: no client ID, no pod label, no endpoint.",
		"extraEnvVars replaces the chart's default list, whatever it holds (some chart",
		"versions, 7.2.0 among them, put a dummy OPENAI_API_KEY there): the app calls",
		"Azure OpenAI with Entra ID, no key.",
	)
	if err != nil {
		return nil, err
	}
	return []output.File{kf, vf}, nil
}

func renderOverlay(s *schema.Spec, e *schema.Environment) ([]output.File, error) {
	dir := OverlayDir(e.Name)
	var files []output.File
	own := InflatesChart(s, e)
	k := &types.Kustomization{
		TypeMeta:  types.TypeMeta{APIVersion: types.KustomizationVersion, Kind: types.KustomizationKind},
		Resources: []string{"../../base"},
		Namespace: e.Namespace,
		Patches: []types.Patch{
			{Path: ServiceAccountFile, Target: &types.Selector{
				ResId: resid.ResId{Gvk: resid.Gvk{Kind: "ServiceAccount"}, Name: regexp.QuoteMeta(e.ServiceAccount)},
			}},
			{Path: WorkloadFile, Target: &types.Selector{
				ResId: resid.ResId{Gvk: resid.Gvk{Kind: WorkloadKinds}, Name: regexp.QuoteMeta(s.FullnameFor(e))},
			}},
		},
	}
	if own {
		// The chart inflated here, with this environment's values, in its
		// namespace: a helmCharts entry's namespace is the release namespace
		// helm template renders with (facts.md "Kustomize").
		c := s.Spec.Chart
		k.Resources = nil
		k.HelmCharts = []types.HelmChart{{
			Name:        c.Name,
			Version:     c.Version,
			Repo:        c.Repository,
			ReleaseName: s.ReleaseName(),
			Namespace:   e.Namespace,
			ValuesFile:  ValuesFile,
		}}
		vf, err := output.YAML(path.Join(dir, ValuesFile), s.Source, helm.Values(s, e, helm.KustomizeBase),
			fmt.Sprintf("Helm values of environment %s's overlay: spec.chart.values with this", e.Name),
			"environment's chart.values merged over them; no client ID, no pod label, no",
			"endpoint (the patches beside this file add those).",
			"extraEnvVars replaces the chart's default list, whatever it holds (some chart",
			"versions, 7.2.0 among them, put a dummy OPENAI_API_KEY there): the app calls",
			"Azure OpenAI with Entra ID, no key.",
		)
		if err != nil {
			return nil, err
		}
		files = append(files, vf)
	}
	if e.CreatesNamespace() {
		k.Resources = append(k.Resources, NamespaceFile)
		f, err := output.YAML(path.Join(dir, NamespaceFile), s.Source, map[string]any{
			"apiVersion": "v1",
			"kind":       "Namespace",
			"metadata":   map[string]any{"name": e.Namespace},
		}, fmt.Sprintf("The namespace of environment %s (createNamespace: true).", e.Name))
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	head := []string{
		fmt.Sprintf("Kustomize overlay of environment %s: the shared base in namespace %s,", e.Name, e.Namespace),
		"with the Workload ID annotations and pod label added by patches.",
	}
	if own {
		head = []string{
			fmt.Sprintf("Kustomize overlay of environment %s: the chart %s %s from %s,", e.Name, s.Spec.Chart.Name, s.Spec.Chart.Version, s.Spec.Chart.Repository),
			fmt.Sprintf("release %s, inflated here in namespace %s with this environment's values", s.ReleaseName(), e.Namespace),
			"(values.yaml; they differ from spec.chart.values, from which the shared base",
			"is rendered), with the Workload ID annotations and pod label added by patches.",
		}
	}
	kf, err := kustomizationFile(path.Join(dir, KustomizationFile), s.Source, k, append(head,
		"Build and apply from the output root (helm must be installed):",
		fmt.Sprintf("  kustomize build --enable-helm %s | kubectl apply -f -", dir),
	)...)
	if err != nil {
		return nil, err
	}
	files = append(files, kf)

	ann := map[string]any{schema.AnnotationClientID: e.Identity.ClientID}
	if e.TenantID != "" {
		ann[schema.AnnotationTenantID] = e.TenantID
	}
	sa, err := output.YAML(path.Join(dir, ServiceAccountFile), s.Source, map[string]any{
		"apiVersion": "v1",
		"kind":       "ServiceAccount",
		"metadata":   map[string]any{"name": e.ServiceAccount, "annotations": ann},
	},
		"Strategic-merge patch: the Workload ID annotations on the service account the",
		"pods run as, named in the federated credential's subject:",
		schema.Subject(e.Namespace, e.ServiceAccount),
	)
	if err != nil {
		return nil, err
	}
	files = append(files, sa)

	podSpec := map[string]any{}
	if s.Spec.Chart.App.ConnectionFromEnv && e.AzureOpenAI != nil {
		podSpec["containers"] = []any{map[string]any{
			"name": s.Spec.Chart.Name,
			"env":  helm.ConnectionEnv(e.AzureOpenAI),
		}}
	}
	template := map[string]any{
		"metadata": map[string]any{"labels": map[string]any{schema.LabelUse: schema.LabelUseValue}},
	}
	if len(podSpec) > 0 {
		template["spec"] = podSpec
	}
	comments := []string{
		"Strategic-merge patch on the chart's workload (see the target in kustomization.yaml):",
		"the pod template label the Workload ID webhook selects on, a string.",
	}
	if len(podSpec) > 0 {
		comments = append(comments, fmt.Sprintf("Also this environment's Azure OpenAI connection for container %s (Open WebUI", s.Spec.Chart.Name),
			"reads it from the environment from 0.10.2, at first start).")
	}
	wl, err := output.YAML(path.Join(dir, WorkloadFile), s.Source, map[string]any{
		"apiVersion": "apps/v1",
		"kind":       helm.WorkloadKindFor(s, e),
		"metadata":   map[string]any{"name": s.FullnameFor(e)},
		"spec":       map[string]any{"template": template},
	}, comments...)
	if err != nil {
		return nil, err
	}
	files = append(files, wl)
	output.Sort(files)
	return files, nil
}

// kustomizationFile writes k in kustomize's field order after the
// generated-file line and comment lines. It refuses deprecated fields.
func kustomizationFile(p, source string, k *types.Kustomization, comments ...string) (output.File, error) {
	if dep := k.CheckDeprecatedFields(); dep != nil && len(*dep) > 0 {
		return output.File{}, fmt.Errorf("%s uses deprecated fields: %s", p, strings.Join(*dep, "; "))
	}
	body, err := marshalKustomization(k)
	if err != nil {
		return output.File{}, fmt.Errorf("%s: %w", p, err)
	}
	var b bytes.Buffer
	b.WriteString(output.Header(p, source))
	for _, c := range comments {
		b.WriteString(strings.TrimRight("# "+c, " ") + "\n")
	}
	b.Write(body)
	return output.File{Path: p, Data: b.Bytes()}, nil
}
