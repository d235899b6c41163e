// Package kustomize renders one Kustomize overlay per environment that
// renders kustomize: it inflates the Open WebUI chart with the helmCharts
// field, in the environment's namespace and with the environment's values
// (spec.chart.values with its chart.values merged over them), and adds
// everything of Workload ID with strategic-merge patches.
//
// Rules it follows (facts.md "Kustomize", "Open WebUI Helm chart" and
// "Azure Workload ID webhook"):
//   - the helmCharts entry names the namespace the chart renders with, in
//     the same kustomization that sets the objects' namespace. Left out,
//     kustomize 5.5 (the one kubectl 1.32 bundles) renders the chart in
//     "default" while kustomize 5.8.1 passes a parent's namespace down, and
//     the chart builds in-cluster URLs from it (the open-webui Redis URL,
//     redis://<fullname>-redis.<namespace>.svc..., templates/_helpers.tpl),
//     which the kustomization's namespace does not rewrite. So there is no
//     base shared across environments: each overlay inflates the chart
//     itself, with its own values file (which also lets environments have
//     chart values of their own: values decide which objects the chart
//     renders at all, an Ingress and its host for one, which no patch can
//     stand in for);
//   - the pod label azure.workload.identity/use: "true" goes on the pod
//     template only, through a strategic-merge patch; never commonLabels
//     (deprecated, and it writes selectors, which are immutable) and never a
//     label in a selector;
//   - the client-id and tenant-id annotations are merged into the service
//     account by a strategic-merge patch (a JSON 6902 add on
//     /metadata/annotations would replace the chart's annotations), and the
//     checksum/workload-identity annotation into the pod template, so a new
//     client ID rolls the pods (the webhook mutates pods at creation only,
//     azure-workload-identity#109): everything of Workload ID is in the
//     patches, the app's configuration (the Azure OpenAI connections,
//     spec.openWebUI's env) in the overlay's values file;
//   - every file lives inside the overlay folder (krusty's default load
//     restrictions are root-only: a values file in another folder is refused);
//   - every YAML file is marshalled (output.MarshalYAML), never written by
//     hand, so strings such as "true", "on" or "0123" stay strings and keys
//     come out in byte order;
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

// Files of each overlay, relative to OverlayDir.
const (
	KustomizationFile  = "kustomization.yaml"
	ValuesFile         = "values.yaml"
	NamespaceFile      = "namespace.yaml"
	ServiceAccountFile = "service-account.yaml"
	WorkloadFile       = "workload.yaml"
	// GitignoreFile keeps ChartsDir out of version control.
	GitignoreFile = ".gitignore"
)

// ChartsDir is the folder, beside an overlay's kustomization.yaml, into
// which `kustomize build --enable-helm` pulls the chart it inflates
// (helmCharts; kustomize api/types HelmGlobals.ChartHome, default
// "charts"). It is a download cache, never part of the overlay: the
// overlay's .gitignore (GitignoreFile) keeps it out of the repository.
const ChartsDir = "charts"

// OverlayDir is the overlay folder of environment env, relative to the output root.
func OverlayDir(env string) string { return "kustomize/overlays/" + env }

// WorkloadKinds is the target kind of the workload patch: the chart renders
// a StatefulSet or a Deployment depending on its values and version
// (workload-manager.yaml), and a patch target's kind is a regular
// expression (kustomize types.Selector, anchored).
const WorkloadKinds = "StatefulSet|Deployment"

// Paths lists, without rendering, the paths Render writes for s, relative
// to the output root: the overlay of each environment that renders
// kustomize and whose client ID is set.
func Paths(s *schema.Spec) []string {
	var out []string
	for i := range s.Spec.Environments {
		e := &s.Spec.Environments[i]
		if !e.HasTarget(schema.TargetKustomize) || !helm.HasClientID(e) {
			continue
		}
		dir := OverlayDir(e.Name)
		out = append(out, path.Join(dir, GitignoreFile), path.Join(dir, KustomizationFile))
		if e.CreatesNamespace() {
			out = append(out, path.Join(dir, NamespaceFile))
		}
		out = append(out, path.Join(dir, ServiceAccountFile), path.Join(dir, ValuesFile), path.Join(dir, WorkloadFile))
	}
	return out
}

// Render returns kustomize/overlays/<env>/ for every environment that
// renders kustomize and whose identity.clientId is set. An environment without one gets no overlay
// (wigen never writes a placeholder client ID); generate.Result.Skipped
// lists it.
func Render(s *schema.Spec) ([]output.File, error) {
	return output.PerEnvironment(len(s.Spec.Environments), func(i int) ([]output.File, error) {
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
}

func renderOverlay(s *schema.Spec, e *schema.Environment) ([]output.File, error) {
	dir := OverlayDir(e.Name)
	var files []output.File
	c := s.Spec.Chart
	k := &types.Kustomization{
		TypeMeta:  types.TypeMeta{APIVersion: types.KustomizationVersion, Kind: types.KustomizationKind},
		Namespace: e.Namespace,
		Patches: []types.Patch{
			{Path: ServiceAccountFile, Target: &types.Selector{
				ResId: resid.ResId{Gvk: resid.Gvk{Kind: "ServiceAccount"}, Name: regexp.QuoteMeta(e.ServiceAccount)},
			}},
			{Path: WorkloadFile, Target: &types.Selector{
				ResId: resid.ResId{Gvk: resid.Gvk{Kind: WorkloadKinds}, Name: regexp.QuoteMeta(s.FullnameFor(e))},
			}},
		},
		HelmCharts: []types.HelmChart{{
			Name:        c.Name,
			Version:     c.Version,
			Repo:        c.Repository,
			ReleaseName: s.ReleaseName(),
			Namespace:   e.Namespace,
			ValuesFile:  ValuesFile,
		}},
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
		fmt.Sprintf("Kustomize overlay of environment %s: inflates chart %s %s", e.Name, c.Name, c.Version),
		fmt.Sprintf("from %s as release %s in namespace %s,", c.Repository, s.ReleaseName(), e.Namespace),
		fmt.Sprintf("with %s, and adds the Workload ID annotations and pod label with", ValuesFile),
		"patches. helmCharts names the namespace: the chart builds in-cluster URLs",
		"from it (Redis), and without it kustomize 5.5 renders the chart in \"default\".",
		"Build and apply from the output root (needs helm; with Helm 4, kustomize",
		"5.8.1 or later: `kubectl kustomize` in kubectl 1.32 is kustomize 5.5):",
		fmt.Sprintf("  kustomize build --enable-helm %s | %s apply -f -", dir, helm.Kubectl(e)),
	)
	if err != nil {
		return nil, err
	}
	files = append(files, kf)
	vf, err := output.YAML(path.Join(dir, ValuesFile), s.Source, helm.Values(s, e, helm.KustomizeChart),
		append([]string{
			fmt.Sprintf("Helm values of the chart the overlay of environment %s inflates:", e.Name),
			"spec.chart.values with this environment's chart.values merged over them, and",
			"its Azure OpenAI connections in extraEnvVars; no client ID, no pod label and",
			"no checksum annotation on the pod template, which the patches beside add.",
		}, append(helm.OpenAIComments(s), helm.AppEnvComments(s)...)...)...)
	if err != nil {
		return nil, err
	}
	files = append(files, vf)

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

	template := map[string]any{
		"metadata": map[string]any{
			"labels":      map[string]any{schema.LabelUse: schema.LabelUseValue},
			"annotations": helm.PodAnnotations(e),
		},
	}
	comments := []string{
		"Strategic-merge patch on the chart's workload (see the target in kustomization.yaml):",
		"the pod template label the Workload ID webhook selects on, a string, and",
		schema.AnnotationChecksum + ", a checksum of the client ID and tenant ID: the webhook",
		"changes pods only when they are created, so a new client ID must roll them.",
	}
	wl, err := output.YAML(path.Join(dir, WorkloadFile), s.Source, map[string]any{
		"apiVersion": "apps/v1",
		"kind":       s.WorkloadKindFor(e),
		"metadata":   map[string]any{"name": s.FullnameFor(e)},
		"spec":       map[string]any{"template": template},
	}, comments...)
	if err != nil {
		return nil, err
	}
	files = append(files, wl, gitignore(path.Join(dir, GitignoreFile), s.Source))
	output.Sort(files)
	return files, nil
}

// gitignore is the overlay's .gitignore: after the generated-file line,
// the pattern of ChartsDir anchored to the overlay's folder (a leading '/'
// matches relative to the .gitignore's folder; a trailing '/' matches a
// folder only: gitignore(5)), so a chart kustomize pulled is never
// committed with the overlay.
func gitignore(p, source string) output.File {
	return output.File{Path: p, Data: []byte(output.Header(p, source) +
		"# `kustomize build --enable-helm` pulls the chart into charts/ here: a\n" +
		"# download, not part of the overlay.\n" +
		"/" + ChartsDir + "/\n")}
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
