// Names: Kubernetes namespaces (DNS-1123 labels, not kube-system, which
// the AKS admissions enforcer skips: azure-workload-identity known issues,
// #525), service accounts (DNS-1123 subdomains), and the Azure naming rules
// of resource groups (Microsoft.Resources), user-assigned managed
// identities (Microsoft.ManagedIdentity), AKS clusters and federated
// identity credentials (Microsoft Entra).

package schema

import (
	"strconv"
)

var (
	clusterNameRE    = lazyRE(`^[A-Za-z0-9]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?$`)
	credentialNameRE = lazyRE(`^[A-Za-z0-9][A-Za-z0-9_-]{2,119}$`)
	// identityNameRE: user-assigned managed identity names, 3 to 128
	// characters (Azure resource naming rules, Microsoft.ManagedIdentity).
	identityNameRE = lazyRE(`^[A-Za-z0-9][A-Za-z0-9_-]{2,127}$`)
	// resourceGroupRE: 1 to 90 characters: letters, digits, '_', '(', ')',
	// '-', '.', not ending in '.' (Azure resource naming rules, Microsoft.Resources).
	resourceGroupRE = lazyRE(`^[\p{L}\p{N}_().-]{0,89}[\p{L}\p{N}_()-]$`)
)

func (v *validator) resourceGroup(s, p string) {
	if !resourceGroupRE.MatchString(s) {
		v.errorf(p, "%s is not a valid resource group name: 1 to 90 letters, digits, '_', '(', ')', '-' and '.', not ending in '.'", Quote(s))
	}
}

// namespace: a DNS-1123 label of at most 63 characters (Kubernetes object
// names), and not kube-system, which the AKS admissions enforcer skips, so
// its pods are never given a token (azure-workload-identity known issues, #525).
func (v *validator) namespace(s, p string) {
	if msg := dns1123Label(s, 63); msg != "" {
		v.errorf(p, "%s is not a valid namespace: %s", Quote(s), msg)
		return
	}
	if s == "kube-system" {
		v.errorf(p, "pods in kube-system are never given a Workload ID token (the AKS admissions enforcer skips the namespace); use a namespace of the app's own")
	}
}

// appNamespace refuses the namespaces every cluster starts with as the
// app's namespace (Kubernetes documentation, "Namespaces": a cluster
// starts with default, kube-node-lease, kube-public and kube-system, and
// the kube- prefix is reserved for Kubernetes system namespaces):
// kube-node-lease and kube-public always, default when wigen creates the
// namespace (createNamespace, true by default), since it exists already:
// Terraform's kubernetes_namespace_v1 fails with "already exists", and
// the Kustomize overlay, Argo CD or Flux would take over (and on removal
// try to delete) a namespace that is not the app's. kube-system is
// refused by namespace.
func (v *validator) appNamespace(e *Environment, p string) {
	switch e.Namespace {
	case "kube-public", "kube-node-lease":
		v.errorf(p, "%s is a namespace Kubernetes creates for itself (the kube- prefix is reserved for system namespaces); use a namespace of the app's own", Quote(e.Namespace))
	case "default":
		if e.CreatesNamespace() {
			v.errorf(p, "%s exists in every cluster, but wigen creates the namespace (createNamespace defaults to true): Terraform fails with \"already exists\" and the overlays would take it over; use a namespace of the app's own, or set createNamespace: false", Quote(e.Namespace))
		}
	}
}

// serviceAccount: a DNS-1123 subdomain of at most 253 characters (Kubernetes object names).
func (v *validator) serviceAccount(s, p string) {
	if len(s) > 253 || !dns1123SubdomainRE.MatchString(s) {
		v.errorf(p, "%s is not a valid service account name: a DNS-1123 subdomain (lowercase letters, digits, '-' and '.', starting and ending with a letter or digit, at most 253 characters)", Quote(s))
	}
}

// defaultServiceAccount is the service account the Kubernetes service
// account controller creates in every namespace (Kubernetes
// documentation, "Service Accounts": "Every namespace gets a default
// ServiceAccount upon creation").
const defaultServiceAccount = "default"

// appServiceAccount: the environment's service account is the one the
// chart renders and wigen annotates, so it cannot be "default": that one
// already exists in every namespace, Helm refuses to install an object it
// does not own ("exists and cannot be imported into the current
// release"), and every pod of the namespace that names no service account
// would run as the federated identity.
func (v *validator) appServiceAccount(s, p string) {
	if s == defaultServiceAccount {
		v.errorf(p, "%s is the service account Kubernetes creates in every namespace: the chart renders its own, Helm refuses to install over one it does not own, and every pod of the namespace naming no service account would get the identity; name the app's own, e.g. %s", Quote(s), Quote(DefaultChartName))
	}
}

var (
	dns1123LabelRE     = lazyRE(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)
	dns1123SubdomainRE = lazyRE(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`)
)

// dns1123Label returns "" for a DNS-1123 label of at most max characters,
// else what is allowed.
func dns1123Label(s string, max int) string {
	if len(s) > max || !dns1123LabelRE.MatchString(s) {
		return "a DNS-1123 label (lowercase letters, digits and '-', starting and ending with a letter or digit, at most " + strconv.Itoa(max) + " characters)"
	}
	return ""
}
