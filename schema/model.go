package schema

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Workload ID keys and values, from Azure/azure-workload-identity v1.6.0
// (webhook) and the Microsoft Entra documentation on federated identity
// credentials; see facts.md "Azure Workload ID webhook".
const (
	// LabelUse goes on the pod template only, with the string value "true":
	// the webhook's objectSelector matches that exact string.
	LabelUse = "azure.workload.identity/use"
	// LabelUseValue is the only value LabelUse may have.
	LabelUseValue = "true"
	// AnnotationClientID on the ServiceAccount names the identity's client ID.
	AnnotationClientID = "azure.workload.identity/client-id"
	// AnnotationTenantID on the ServiceAccount names the tenant (default: the webhook's).
	AnnotationTenantID = "azure.workload.identity/tenant-id"
	// AnnotationTokenExpiration (ServiceAccount or pod; the pod's wins) is
	// the projected token's lifetime, whole seconds from MinTokenExpiration
	// to MaxTokenExpiration; outside that the webhook refuses the pod.
	AnnotationTokenExpiration = "azure.workload.identity/service-account-token-expiration"
	// AnnotationSkipContainers (pod) names containers left without the
	// injected environment and token, separated by ';'.
	AnnotationSkipContainers = "azure.workload.identity/skip-containers"
	// AnnotationInjectProxySidecar (pod): the webhook injects the proxy
	// sidecar when the annotation is present, whatever its value
	// (azure-workload-identity#1210), and refuses it on hostNetwork pods.
	AnnotationInjectProxySidecar = "azure.workload.identity/inject-proxy-sidecar"
	// AnnotationProxySidecarPort (pod) is the proxy sidecar's port, default 8000.
	AnnotationProxySidecarPort = "azure.workload.identity/proxy-sidecar-port"
	// AnnotationPrefix starts every key the webhook reads.
	AnnotationPrefix = "azure.workload.identity/"
	// Audience is the one audience of a federated identity credential for
	// the public cloud.
	Audience = "api://AzureADTokenExchange"
	// MaxFederatedCredentials is the number of federated identity credentials
	// one user-assigned managed identity may hold (Microsoft Entra limits).
	MaxFederatedCredentials = 20
	// RoleOpenAIUser is the built-in data-plane role for Azure OpenAI
	// inference (role definition ID RoleOpenAIUserID).
	RoleOpenAIUser   = "Cognitive Services OpenAI User"
	RoleOpenAIUserID = "5e0bd9bd-7b93-4f28-af87-19fc36ad61bd"
)

// AnnotationChecksum is the pod-template annotation whose value changes
// exactly when the identity's client ID or the tenant ID changes (see
// WorkloadIdentityChecksum). The Workload ID webhook mutates pods only when
// they are created (azure-workload-identity#109), so a new client ID on
// the service account reaches the pods only through new pods; a changed
// pod template makes the workload controller replace them. The key follows
// Helm's checksum/<what> convention for pod-template annotations and is
// deliberately not an azure.workload.identity/* key: the webhook does not
// read it.
const AnnotationChecksum = "checksum/workload-identity"

// WorkloadIdentityChecksum is the value of AnnotationChecksum for a client
// ID and a tenant ID (tenantID "" when the webhook's tenant applies): the
// lowercase hexadecimal SHA-256 of lower(clientID) + "\n" + lower(tenantID).
// GUIDs compare without case, so a client ID written in capitals gives the
// value Terraform computes from the identity, which Azure returns in
// lowercase. generate/terraform writes the same computation as a Terraform
// expression; a test checks they agree.
func WorkloadIdentityChecksum(clientID, tenantID string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(clientID) + "\n" + strings.ToLower(tenantID)))
	return hex.EncodeToString(sum[:])
}

// Bounds of AnnotationTokenExpiration, in seconds (webhook
// MinServiceAccountTokenExpiration and MaxServiceAccountTokenExpiration).
const (
	MinTokenExpiration = 3600
	MaxTokenExpiration = 86400
)

// TokenExpirationProblem returns "" for a valid AnnotationTokenExpiration
// value, else what is wrong with it: "not an integer" or "outside
// 3600..86400" (the webhook parses it with strconv.ParseInt, base 10).
func TokenExpirationProblem(v string) string {
	n, err := strconv.ParseInt(v, 10, 64)
	switch {
	case err != nil:
		return "not an integer"
	case n < MinTokenExpiration || n > MaxTokenExpiration:
		return "outside " + strconv.Itoa(MinTokenExpiration) + ".." + strconv.Itoa(MaxTokenExpiration)
	}
	return ""
}

// MeansOff reports whether an AnnotationInjectProxySidecar value reads as
// "off" to a person ("false", "no", "0", ...), which the webhook does not
// honour: the annotation's presence alone injects the sidecar.
func MeansOff(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "", "false", "0", "no", "n", "off", "disabled", "disable", "none":
		return true
	}
	return false
}

// IsPort reports whether v is a port number, 1 to 65535.
func IsPort(v string) bool {
	n, err := strconv.ParseInt(v, 10, 32)
	return err == nil && n >= 1 && n <= 65535
}

// IsGUID reports whether s is a GUID in its 8-4-4-4-12 hexadecimal form
// (tenant, subscription and client IDs).
func IsGUID(s string) bool { return guidRE.MatchString(s) }

// Defaults wigen fills in where the input leaves a field out.
const (
	DefaultOutput            = "deploy"
	DefaultChartRepository   = "https://helm.openwebui.com/"
	DefaultChartName         = "open-webui"
	DefaultRequiredVersion   = ">= 1.5.0"
	DefaultAzurermVersion    = "~> 4.65"
	DefaultKubernetesVersion = "~> 3.0"
	DefaultHelmVersion       = ">= 3.1.1, < 4.0.0"
	DefaultAPIVersion        = "2024-10-21"
	DefaultKubeconfigPath    = "~/.kube/config"
	DefaultRemoteStateOutput = "oidc_issuer_url"
	// DefaultArgoCDNamespace is where Argo CD looks for Applications.
	DefaultArgoCDNamespace = "argocd"
	// DefaultArgoCDProject is Argo CD's built-in project.
	DefaultArgoCDProject = "default"
	// DefaultArgoCDServer is the cluster Argo CD runs in, as Argo CD
	// registers it (argo-cd docs/operator-manual/application.yaml).
	DefaultArgoCDServer = "https://kubernetes.default.svc"
	// DefaultFluxNamespace is the namespace Flux is installed in.
	DefaultFluxNamespace = "flux-system"
	// DefaultFluxInterval is the reconcile period of the Flux objects.
	DefaultFluxInterval = "10m"
)

// HasTarget reports whether any environment renders target t (each
// environment's targets are spec.targets unless it sets its own). Before
// Load has completed the environments, and with no environment, it reads
// spec.targets.
func (s *Spec) HasTarget(t string) bool {
	if len(s.Spec.Environments) == 0 || s.Spec.Environments[0].Targets == nil {
		return slices.Contains(s.Spec.Targets, t)
	}
	for i := range s.Spec.Environments {
		if s.Spec.Environments[i].HasTarget(t) {
			return true
		}
	}
	return false
}

// Targets lists the targets some environment renders, in KnownTargets order.
func (s *Spec) Targets() []string {
	var out []string
	for _, t := range KnownTargets {
		if s.HasTarget(t) {
			out = append(out, t)
		}
	}
	return out
}

// HasTarget reports whether the environment renders target t: it is among
// the environment's targets (spec.targets unless the environment sets its
// own; Load fills them in).
func (e *Environment) HasTarget(t string) bool { return slices.Contains(e.Targets, t) }

// TerraformRelease reports whether the environment's Terraform module
// installs the chart with helm_release: it renders terraform and
// terraform.release (the environment's, else spec.terraform.release) is
// not false. Without the release the module holds only the Azure side,
// with the azurerm provider alone.
func (e *Environment) TerraformRelease() bool {
	return e.HasTarget(TargetTerraform) && (e.Terraform == nil || e.Terraform.Release == nil || *e.Terraform.Release)
}

// ClusterSubscriptionID is the subscription of the environment's cluster:
// cluster.subscriptionId, else the environment's subscriptionId.
func (e *Environment) ClusterSubscriptionID() string {
	if e.Cluster != nil && e.Cluster.SubscriptionID != "" {
		return e.Cluster.SubscriptionID
	}
	return e.SubscriptionID
}

// Values returns the environment's complete chart values (ChartValues),
// or spec.chart.values when e is nil or its values were not derived yet.
func (s *Spec) Values(e *Environment) map[string]any {
	if e == nil || e.ChartValues == nil {
		return s.Spec.Chart.Values
	}
	return e.ChartValues
}

// ReleaseName is the Helm release name: metadata.name.
func (s *Spec) ReleaseName() string { return s.Metadata.Name }

// GitOpsName is the name of environment e's Argo CD Application and Flux
// HelmRelease (and its source): the release name and the environment's,
// so the objects of several environments can share one Argo CD or
// flux-system namespace; the release keeps its own name. Validation
// limits it (validateGitOpsName).
func (s *Spec) GitOpsName(e *Environment) string { return s.ReleaseName() + "-" + e.Name }

// Fullname is the name the open-webui chart gives its workload (the
// StatefulSet or Deployment), Service and PVC for this spec: ChartFullname
// of spec.chart and the release, with spec.chart.values.
func (s *Spec) Fullname() string { return s.FullnameFor(nil) }

// FullnameFor is Fullname with the chart values of environment e (its
// ChartValues; spec.chart.values when e is nil).
func (s *Spec) FullnameFor(e *Environment) string {
	c := s.Spec.Chart
	return ChartFullname(c.Name, c.Version, s.ReleaseName(), s.Values(e))
}

// ChartFullname is the name the open-webui chart (chart name chartName at
// version chartVersion, release release, values values) gives its
// workload, Service and PVC (open-webui/helm-charts,
// templates/_helpers.tpl and pvc.yaml, read for 7.2.0 to 16.0.0):
//   - charts before 12.0.0: values.nameOverride, else the chart name,
//     whatever the release;
//   - from 12.0.0: values.fullnameOverride, else the release name when
//     it contains the chart name (or nameOverride), else
//     "<release>-<chart name>".
//
// Cut to 63 characters without a trailing '-' (Helm's trunc 63 | trimSuffix "-").
// A version that does not parse is taken as 12.0.0 or later.
func ChartFullname(chartName, chartVersion, release string, values map[string]any) string {
	name := chartName
	if o, ok := values["nameOverride"].(string); ok && o != "" {
		name = o
	}
	if since12, ok := versionStringAtLeast(chartVersion, "12.0.0"); ok && !since12 {
		return helmTrunc(name)
	}
	if o, ok := values["fullnameOverride"].(string); ok && o != "" {
		return helmTrunc(o)
	}
	if strings.Contains(release, name) {
		return helmTrunc(release)
	}
	return helmTrunc(release + "-" + name)
}

// helmTrunc is Helm's `trunc 63 | trimSuffix "-"`.
func helmTrunc(s string) string {
	if len(s) > 63 {
		s = s[:63]
	}
	return strings.TrimSuffix(s, "-")
}

// CreatesNamespace reports whether wigen renders the namespace (default true).
func (e *Environment) CreatesNamespace() bool {
	return e.CreateNamespace == nil || *e.CreateNamespace
}

// IdentityResourceGroup is identity.resourceGroup, or the environment's resourceGroup.
func (e *Environment) IdentityResourceGroup() string {
	if e.Identity != nil && e.Identity.ResourceGroup != "" {
		return e.Identity.ResourceGroup
	}
	return e.ResourceGroup
}

// IdentityKey identifies the environment's user-assigned managed identity
// across environments: subscription, resource group and name, compared
// without case as Azure resource IDs are. Environments with one key share
// one identity (its federated identity credentials, client ID and role
// assignments). e.Identity must be set.
func (e *Environment) IdentityKey() string {
	return strings.ToLower("/subscriptions/" + e.SubscriptionID + "/resourceGroups/" + e.IdentityResourceGroup() + "/" + e.Identity.Name)
}

// Subject is the federated identity credential subject of a Kubernetes
// service account: system:serviceaccount:<namespace>:<serviceAccount>.
func Subject(namespace, serviceAccount string) string {
	return "system:serviceaccount:" + namespace + ":" + serviceAccount
}

// FederatedCredential is one azurerm_federated_identity_credential of an
// environment, with every value resolved.
type FederatedCredential struct {
	// Name is the credential name: ^[A-Za-z0-9][A-Za-z0-9_-]{2,119}$.
	Name string
	// Named: Name was given (cluster.federatedCredentialName or
	// additionalFederations[].credentialName), not derived.
	Named bool
	// Federation is "" for the environment's own cluster, else the name of
	// the additional federation.
	Federation     string
	Issuer         Issuer
	Namespace      string
	ServiceAccount string
	Subject        string
}

// FederatedCredentials lists the environment's credentials in input order:
// its cluster first, then each additional federation. A credential is
// named as given, else CredentialName derives its name.
func (e *Environment) FederatedCredentials() []FederatedCredential {
	var out []FederatedCredential
	if e.Cluster != nil {
		fc := FederatedCredential{
			Name:           CredentialName(e.Cluster.Name, e.Namespace, e.ServiceAccount),
			Issuer:         e.Cluster.Issuer,
			Namespace:      e.Namespace,
			ServiceAccount: e.ServiceAccount,
			Subject:        Subject(e.Namespace, e.ServiceAccount),
		}
		if n := e.Cluster.FederatedCredentialName; n != "" {
			fc.Name, fc.Named = n, true
		}
		out = append(out, fc)
	}
	for _, f := range e.AdditionalFederations {
		ns, sa := f.Namespace, f.ServiceAccount
		if ns == "" {
			ns = e.Namespace
		}
		if sa == "" {
			sa = e.ServiceAccount
		}
		fc := FederatedCredential{
			Name:           CredentialName(f.Name, ns, sa),
			Federation:     f.Name,
			Issuer:         f.Issuer,
			Namespace:      ns,
			ServiceAccount: sa,
			Subject:        Subject(ns, sa),
		}
		if f.CredentialName != "" {
			fc.Name, fc.Named = f.CredentialName, true
		}
		out = append(out, fc)
	}
	return out
}

var credentialNameBad = lazyRE(`[^A-Za-z0-9_-]`)

// CredentialName derives a federated identity credential name from the
// federation (cluster) name, namespace and service account:
// "<federation>-<namespace>-<serviceAccount>" with every character a
// credential name may not hold (a service account may contain '.') mapped
// to '-'. Names longer than 120 characters are cut to 111 and end in '-'
// and 8 hex digits of the SHA-256 of the full name, so they stay unique and
// stable. Credential names: 3 to 120 characters, ^[A-Za-z0-9][A-Za-z0-9_-]{2,119}$
// (Microsoft Entra, federated identity credential considerations).
func CredentialName(federation, namespace, serviceAccount string) string {
	full := credentialNameBad.ReplaceAllString(federation+"-"+namespace+"-"+serviceAccount, "-")
	if len(full) <= 120 {
		return full
	}
	sum := sha256.Sum256([]byte(full))
	return full[:111] + "-" + hex.EncodeToString(sum[:4])
}

// RoleDefinitionID returns the role definition resource ID when r.Role is
// an ID (a bare GUID is scoped to subscriptionID), or "" when it is a
// built-in role name.
func (r Role) RoleDefinitionID(subscriptionID string) string {
	switch {
	case guidRE.MatchString(r.Role):
		return "/subscriptions/" + subscriptionID + "/providers/Microsoft.Authorization/roleDefinitions/" + strings.ToLower(r.Role)
	case roleDefinitionIDRE.MatchString(r.Role):
		return r.Role
	}
	return ""
}

// BackendStateArgument is the argument of backend type t that names an
// environment's state, and the value wigen writes for environment e when
// spec.terraform.backend.config leaves it out, so every environment has a
// state of its own in a shared container or bucket:
//   - azurerm, s3: key = "<metadata.name>-<environment>.tfstate";
//   - gcs: prefix = "<metadata.name>-<environment>".
//
// Other backend types return "", "": the local backend without a path keeps
// the state in each module's folder; the others cannot be told apart per
// environment by one argument (validation refuses them with more than one
// environment).
func BackendStateArgument(s *Spec, e *Environment, t string) (arg, value string) {
	switch t {
	case "azurerm", "s3":
		return "key", s.Metadata.Name + "-" + e.Name + ".tfstate"
	case "gcs":
		return "prefix", s.Metadata.Name + "-" + e.Name
	}
	return "", ""
}

// BackendFor is the backend of environment e's Terraform module: its own
// terraform.backend when set, else spec.terraform.backend; nil for the
// local state in the module's folder.
func (s *Spec) BackendFor(e *Environment) *Backend {
	if e.Terraform != nil && e.Terraform.Backend != nil {
		return e.Terraform.Backend
	}
	return s.Spec.Terraform.Backend
}

// BackendField is the field path of the backend BackendFor returns for e,
// as the input names it: spec.environments[i].terraform.backend for one
// of the environment's own (or of spec.defaults, which it inherits),
// else spec.terraform.backend.
func (s *Spec) BackendField(e *Environment) string {
	if e.Terraform != nil && e.Terraform.Backend != nil {
		for i := range s.Spec.Environments {
			if &s.Spec.Environments[i] == e {
				return fmt.Sprintf("spec.environments[%d].terraform.backend", i)
			}
		}
	}
	return "spec.terraform.backend"
}

// BackendConfig is the config of the backend BackendFor returns for e as
// e's module writes it: the input's arguments, and the argument naming
// e's own state (BackendStateArgument) when the input leaves it out. nil
// without a backend.
func (s *Spec) BackendConfig(e *Environment) map[string]any {
	b := s.BackendFor(e)
	if b == nil {
		return nil
	}
	cfg := make(map[string]any, len(b.Config)+1)
	for k, v := range b.Config {
		cfg[k] = v
	}
	if arg, val := BackendStateArgument(s, e, b.Type); arg != "" {
		if _, ok := cfg[arg]; !ok {
			cfg[arg] = val
		}
	}
	return cfg
}
