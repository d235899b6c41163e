package helm

import (
	"fmt"
	"strings"

	"github.com/wigen-dev/wigen/generate/output"
	"github.com/wigen-dev/wigen/schema"
)

// StandalonePath is the path, relative to the output root, of environment
// env's standalone values file.
func StandalonePath(env string) string { return "helm/" + env + "/values.yaml" }

// ExtractedValuesPath is where the commands that take the Helm values out
// of an Argo CD Application or a Flux HelmRelease write them, to render the
// chart with helm template as Argo CD or Flux does (the environment README,
// wigen lint's hint): /tmp/RELEASE-ENV-values.yaml.
func ExtractedValuesPath(release, env string) string {
	return "/tmp/" + release + "-" + env + "-values.yaml"
}

// TerraformDir is the folder, relative to the output root, of environment
// env's Terraform root module (generate/terraform writes it).
func TerraformDir(env string) string { return "terraform/" + env }

// HasClientID reports whether the identity's client ID is known, which the
// standalone values and the Kustomize overlay need: they cannot ask
// Terraform, and wigen never writes a placeholder in its place.
func HasClientID(e *schema.Environment) bool {
	return e.Identity != nil && e.Identity.ClientID != ""
}

// ClientIDOutputs names, as prose, the outputs of environment e's targets
// that carry the identity's client ID and so wait for identity.clientId:
// "the Helm values", "the Kustomize overlay", "the Argo CD Application",
// "the Flux HelmRelease", in that order.
func ClientIDOutputs(e *schema.Environment) []string {
	var out []string
	for _, n := range []struct{ target, what string }{
		{schema.TargetHelm, "the Helm values"},
		{schema.TargetKustomize, "the Kustomize overlay"},
		{schema.TargetArgoCD, "the Argo CD Application"},
		{schema.TargetFlux, "the Flux HelmRelease"},
	} {
		if e.HasTarget(n.target) {
			out = append(out, n.what)
		}
	}
	return out
}

// Paths lists, without rendering, the paths Render writes for s, relative
// to the output root.
func Paths(s *schema.Spec) []string {
	var out []string
	for i := range s.Spec.Environments {
		if e := &s.Spec.Environments[i]; e.HasTarget(schema.TargetHelm) && HasClientID(e) {
			out = append(out, StandalonePath(e.Name))
		}
	}
	return out
}

// Render returns the standalone values files helm/<env>/values.yaml (for
// the Helm CLI, Argo CD or Flux) of the environments that render helm, in
// environment order. An environment whose identity.clientId is not set
// gets none (wigen never writes a placeholder client ID);
// generate.Result.Skipped lists it.
func Render(s *schema.Spec) ([]output.File, error) {
	return output.PerEnvironment(len(s.Spec.Environments), func(i int) ([]output.File, error) {
		e := &s.Spec.Environments[i]
		if !e.HasTarget(schema.TargetHelm) || !HasClientID(e) {
			return nil, nil
		}
		f, err := standalone(s, e)
		if err != nil {
			return nil, fmt.Errorf("environment %s: %w", e.Name, err)
		}
		return []output.File{f}, nil
	})
}

// standalone renders helm/<env>/values.yaml of e, which has a client ID.
func standalone(s *schema.Spec, e *schema.Environment) (output.File, error) {
	comments := []string{
		fmt.Sprintf("Helm values of environment %s, for the Helm CLI, Argo CD or Flux:", e.Name),
		fmt.Sprintf("release %s, chart %s %s, namespace %s,", s.ReleaseName(), s.Spec.Chart.Name, s.Spec.Chart.Version, e.Namespace),
		fmt.Sprintf("service account %s with the client ID of identity %s.", e.ServiceAccount, e.Identity.Name),
		"Install or upgrade from the output root with:",
	}
	for _, l := range InstallCommand(s, e) {
		comments = append(comments, "  "+l)
	}
	comments = append(comments, OpenAIComments(s)...)
	comments = append(comments,
		"podAnnotations "+schema.AnnotationChecksum+" is a checksum of the client ID and",
		"tenant ID: a new client ID changes the pod template, so the pods are replaced",
		"and the Workload ID webhook, which changes pods only when they are created,",
		"gives them the new one.",
	)
	comments = append(comments, AppEnvComments(s)...)
	return output.YAML(StandalonePath(e.Name), s.Source, Values(s, e, Standalone), comments...)
}

// MissingClientIDNote is the one-line note for environment i, whose
// outputs named by paths (the standalone values file, the overlay folder)
// were not rendered because identity.clientId is not set: which
// environment, what to set in input, and where the value comes from
// (`terraform output -raw client_id` when wigen renders Terraform, else the
// Azure CLI). input, paths and terraformDir (the environment's Terraform
// root module, a shell word: quoted by the caller when needed) are shown as
// given, so the caller names them as its reader sees them.
func MissingClientIDNote(s *schema.Spec, input string, i int, paths []string, terraformDir string) string {
	e := &s.Spec.Environments[i]
	verb := "was"
	if len(paths) > 1 {
		verb = "were"
	}
	return fmt.Sprintf("%s: identity.clientId is not set, so %s %s not rendered; set spec.environments[%d].identity.clientId in %s (%s)",
		e.Name, joinAnd(paths), verb, i, input, ClientIDSourceAt(s, e, terraformDir))
}

// joinAnd joins items as prose: "a", "a and b", "a, b and c".
func joinAnd(items []string) string { return output.AndList(items) }

// ClientIDSourceAt says where the client ID of e's identity comes from:
// `terraform output` in e's Terraform root module, named terraformDir (a
// shell word, as the reader's folder sees it), when e renders Terraform;
// else the Azure CLI.
func ClientIDSourceAt(s *schema.Spec, e *schema.Environment, terraformDir string) string {
	if e.HasTarget(schema.TargetTerraform) {
		return fmt.Sprintf("after the first apply, `terraform -chdir=%s output -raw client_id` prints it", terraformDir)
	}
	name, rg := "", e.IdentityResourceGroup()
	if e.Identity != nil {
		name = e.Identity.Name
	}
	return fmt.Sprintf("`az identity show --name %s --resource-group %s --subscription %s --query clientId --output tsv` prints it",
		output.ShellQuote(name), output.ShellQuote(rg), output.ShellQuote(e.SubscriptionID))
}

// ChartRef returns the chart reference and repository flags for the Helm
// CLI: "<name> --repo <url>" for an HTTP repository, the full
// "oci://.../<name>" reference for an OCI registry (helm does not take
// --repo for OCI).
func ChartRef(s *schema.Spec) (ref string, repoFlags []string) {
	c := s.Spec.Chart
	if strings.HasPrefix(c.Repository, "oci://") {
		return output.ShellQuote(strings.TrimSuffix(c.Repository, "/") + "/" + c.Name), nil
	}
	return output.ShellQuote(c.Name), []string{"--repo " + output.ShellQuote(c.Repository)}
}

// KubeContext is the kubeconfig context of e's cluster that the commands
// wigen suggests name (helm --kube-context, kubectl --context), so that
// one pasted never runs against whichever cluster the current context is:
// the cluster's name, as `az aks get-credentials` names its context
// (Azure CLI, az aks get-credentials: --context defaults to the cluster
// name; with --admin, <name>-admin); "" when wigen knows no cluster.
func KubeContext(e *schema.Environment) string {
	if e.Cluster == nil {
		return ""
	}
	return e.Cluster.Name
}

// Kubectl is the kubectl command for e's cluster: `kubectl --context
// <KubeContext>`, or plain kubectl when wigen knows no cluster.
func Kubectl(e *schema.Environment) string {
	if c := KubeContext(e); c != "" {
		return "kubectl --context " + output.ShellQuote(c)
	}
	return "kubectl"
}

// InstallCommand returns the `helm upgrade --install` command for
// environment e with its standalone values file, one line per flag group,
// lines but the last ending in " \".
func InstallCommand(s *schema.Spec, e *schema.Environment) []string {
	ref, repo := ChartRef(s)
	parts := []string{"helm upgrade --install " + s.ReleaseName() + " " + ref}
	parts = append(parts, repo...)
	parts = append(parts, "--version "+s.Spec.Chart.Version)
	ns := "--namespace " + e.Namespace
	if e.CreatesNamespace() {
		ns += " --create-namespace"
	}
	parts = append(parts, ns)
	if c := KubeContext(e); c != "" {
		parts = append(parts, "--kube-context "+output.ShellQuote(c))
	}
	parts = append(parts, "--values "+StandalonePath(e.Name))
	for i := range parts[:len(parts)-1] {
		parts[i] += " \\"
	}
	for i := 1; i < len(parts); i++ {
		parts[i] = "  " + parts[i]
	}
	return parts
}
