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
//     /metadata/annotations would replace the chart's annotations), and the
//     checksum/workload-identity annotation into the pod template, so a new
//     client ID rolls the pods (the webhook mutates pods at creation only,
//     azure-workload-identity#109);
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
// to the output root: the base, and the overlay of each environment whose
// client ID is set.
func Paths(s *schema.Spec) []string {
	out := []string{path.Join(BaseDir, KustomizationFile), path.Join(BaseDir, ValuesFile)}
	for i := range s.Spec.Environments {
		e := &s.Spec.Environments[i]
		if !helm.HasClientID(e) {
			continue
		}
		dir := OverlayDir(e.Name)
		out = append(out, path.Join(dir, KustomizationFile))
		if e.CreatesNamespace() {
			out = append(out, path.Join(dir, NamespaceFile))
		}
		out = append(out, path.Join(dir, ServiceAccountFile), path.Join(dir, WorkloadFile))
	}
	return out
}

// Render returns kustomize/base/ and kustomize/overlays/<env>/ for every
// environment whose identity.clientId is set. An environment without one
// gets no overlay (wigen never writes a placeholder client ID);
// generate.Result.Skipped lists it.
func Render(s *schema.Spec) ([]output.File, error) {
	files, err := renderBase(s)
	if err != nil {
		return nil, err
	}
	overlays, err := output.PerEnvironment(len(s.Spec.Environments), func(i int) ([]output.File, error) {
		e := &s.Spec.Environments[i]
		if !helm.HasClientID(e) {
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

func renderBase(s *schema.Spec) ([]output.File, error) {
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
	vf, err := output.YAML(path.Join(BaseDir, ValuesFile), s.Source, helm.Values(s, nil, helm.KustomizeBase),
		append([]string{
			"Helm values of the Kustomize base: no client ID, no pod label, no endpoint.",
			"extraEnvVars replaces the chart's default list, whatever it holds (some chart",
			"versions, 7.2.0 among them, put a dummy OPENAI_API_KEY there): the app calls",
			"Azure OpenAI with Entra ID, no key.",
		}, helm.AppEnvComments(s)...)...,
	)
	if err != nil {
		return nil, err
	}
	return []output.File{kf, vf}, nil
}

func renderOverlay(s *schema.Spec, e *schema.Environment) ([]output.File, error) {
	dir := OverlayDir(e.Name)
	var files []output.File
	k := &types.Kustomization{
		TypeMeta:  types.TypeMeta{APIVersion: types.KustomizationVersion, Kind: types.KustomizationKind},
		Resources: []string{"../../base"},
		Namespace: e.Namespace,
		Patches: []types.Patch{
			{Path: ServiceAccountFile, Target: &types.Selector{
				ResId: resid.ResId{Gvk: resid.Gvk{Kind: "ServiceAccount"}, Name: regexp.QuoteMeta(e.ServiceAccount)},
			}},
			{Path: WorkloadFile, Target: &types.Selector{
				ResId: resid.ResId{Gvk: resid.Gvk{Kind: WorkloadKinds}, Name: regexp.QuoteMeta(s.Fullname())},
			}},
		},
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
	kf, err := kustomizationFile(path.Join(dir, KustomizationFile), s.Source, k,
		fmt.Sprintf("Kustomize overlay of environment %s: the shared base in namespace %s,", e.Name, e.Namespace),
		"with the Workload ID annotations and pod label added by patches.",
		"Build and apply from the output root (helm must be installed):",
		fmt.Sprintf("  kustomize build --enable-helm %s | kubectl apply -f -", dir),
	)
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
	if s.Spec.Chart.App.ConnectionFromEnv && len(e.AzureOpenAI) > 0 {
		podSpec["containers"] = []any{map[string]any{
			"name": s.Spec.Chart.Name,
			"env":  helm.ConnectionEnv(e.AzureOpenAI),
		}}
	}
	template := map[string]any{
		"metadata": map[string]any{
			"labels":      map[string]any{schema.LabelUse: schema.LabelUseValue},
			"annotations": helm.PodAnnotations(e),
		},
	}
	if len(podSpec) > 0 {
		template["spec"] = podSpec
	}
	comments := []string{
		"Strategic-merge patch on the chart's workload (see the target in kustomization.yaml):",
		"the pod template label the Workload ID webhook selects on, a string, and",
		schema.AnnotationChecksum + ", a checksum of the client ID and tenant ID: the webhook",
		"changes pods only when they are created, so a new client ID must roll them.",
	}
	if len(podSpec) > 0 {
		what := "connection"
		if len(e.AzureOpenAI) > 1 {
			what = "connections, one per account in order,"
		}
		comments = append(comments, fmt.Sprintf("Also this environment's Azure OpenAI %s", what),
			fmt.Sprintf("for container %s (Open WebUI reads them from the environment from 0.10.2).", s.Spec.Chart.Name))
	}
	wl, err := output.YAML(path.Join(dir, WorkloadFile), s.Source, map[string]any{
		"apiVersion": "apps/v1",
		"kind":       helm.WorkloadKind(s),
		"metadata":   map[string]any{"name": s.Fullname()},
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
