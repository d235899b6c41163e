// Terraform resource addresses of the objects wigen renders into an
// environment's root module: generate/terraform writes its resources
// under them, and adopt maps the addresses of an existing state onto them
// (adopt.go). A resource name ("label") follows the usual style:
// lowercase, '_' between words; names that collide get "_2", "_3".

package schema

import (
	"strconv"
	"strings"
)

// Resource types of the objects wigen renders (facts.md "Terraform
// providers": kubernetes_namespace is deprecated in the kubernetes
// provider 3.0.0; kubernetes_namespace_v1 exists in 2.x too).
const (
	TypeNamespace           = "kubernetes_namespace_v1"
	TypeIdentity            = "azurerm_user_assigned_identity"
	TypeFederatedCredential = "azurerm_federated_identity_credential"
	TypeRoleAssignment      = "azurerm_role_assignment"
	TypeRelease             = "helm_release"
	// TypeNamespaceDeprecated is the namespace type of the kubernetes
	// provider before kubernetes_namespace_v1 (the tutorial's).
	TypeNamespaceDeprecated = "kubernetes_namespace"
)

// NameThis is the resource name of the objects a module has once: the
// namespace, the identity and the release.
const NameThis = "this"

// Resource addresses of the objects a module has once.
var (
	NamespaceAddress = TypeNamespace + "." + NameThis
	IdentityAddress  = TypeIdentity + "." + NameThis
	ReleaseAddress   = TypeRelease + "." + NameThis
)

var (
	labelBad = lazyRE(`[^a-z0-9_]+`)
	guidTail = lazyRE(`(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
)

// TerraformLabel turns a name (a cluster, federation or role name) into a
// Terraform resource name in the usual style: lowercase, runs of other
// characters as one '_', no '_' at either end, and a leading '_' when it
// would start with a digit (Terraform names start with a letter or '_').
func TerraformLabel(name string) string {
	l := strings.Trim(labelBad.ReplaceAllString(strings.ToLower(name), "_"), "_")
	switch {
	case l == "":
		return "_"
	case l[0] >= '0' && l[0] <= '9':
		return "_" + l
	}
	return l
}

// roleLabel names the role assignment of a role: the role name as a label
// ("Cognitive Services OpenAI User" -> cognitive_services_openai_user), or
// for a role definition ID "role_" and the first 8 hexadecimal digits of
// its GUID (role_2a2b9908).
func roleLabel(role string) string {
	if g := guidTail.FindString(role); g != "" && (len(g) == len(role) || strings.Contains(role, "/")) {
		return "role_" + strings.ToLower(g[:8])
	}
	return TerraformLabel(role)
}

// UniqueLabels makes labels unique in input order: the second "x" becomes
// "x_2", the third "x_3" (skipping any label already taken). Labels of
// earlier items never change when items are added after them.
func UniqueLabels(labels []string) []string {
	taken := map[string]bool{}
	out := make([]string, len(labels))
	for i, l := range labels {
		u := l
		for n := 2; taken[u]; n++ {
			u = l + "_" + strconv.Itoa(n)
		}
		taken[u] = true
		out[i] = u
	}
	return out
}

// CredentialLabels are the resource names of e's federated identity
// credentials, in FederatedCredentials order: the cluster's is named after
// the cluster, each other after its federation.
func (e *Environment) CredentialLabels() []string {
	fcs := e.FederatedCredentials()
	names := make([]string, len(fcs))
	for i, fc := range fcs {
		if fc.Federation == "" && e.Cluster != nil {
			names[i] = TerraformLabel(e.Cluster.Name)
		} else {
			names[i] = TerraformLabel(fc.Federation)
		}
	}
	return UniqueLabels(names)
}

// ModuleCredentialLabels are the resource names of the federated identity
// credentials e's module creates (Spec.ModuleCredentials), in that order.
// e's own are named as CredentialLabels names them; another environment's
// after that environment and its cluster or federation
// ("staging_aks_nonprod"). e's own are made unique first, so an
// environment joining the identity never renames them (a credential under
// a new address is deleted and created).
func (s *Spec) ModuleCredentialLabels(e *Environment) []string {
	creds := s.ModuleCredentials(e)
	var order []int // e's own first, then the others', each in module order
	for i := range creds {
		if creds[i].Env == e {
			order = append(order, i)
		}
	}
	for i := range creds {
		if creds[i].Env != e {
			order = append(order, i)
		}
	}
	names := make([]string, len(order))
	for k, i := range order {
		c := creds[i]
		n := c.Federation
		if n == "" && c.Env.Cluster != nil {
			n = c.Env.Cluster.Name
		}
		if c.Env != e {
			n = c.Env.Name + "_" + n
		}
		names[k] = TerraformLabel(n)
	}
	labels := UniqueLabels(names)
	out := make([]string, len(creds))
	for k, i := range order {
		out[i] = labels[k]
	}
	return out
}

// CredentialAddresses are the resource addresses of e's own federated
// identity credentials, in FederatedCredentials order, in the module of
// the environment that creates them (Spec.CredentialModule: e's own, or
// the identity's module when e shares it); nil when no module does.
func (s *Spec) CredentialAddresses(e *Environment) []string {
	owner := s.CredentialModule(e)
	if owner == nil {
		return nil
	}
	labels := s.ModuleCredentialLabels(owner)
	var out []string
	for i, c := range s.ModuleCredentials(owner) {
		if c.Env == e {
			out = append(out, TypeFederatedCredential+"."+labels[i])
		}
	}
	return out
}

// RoleLabels are the resource names of e's role assignments, in Roles
// order: the role as a label (roleLabel) and, for an assignment on an
// Azure OpenAI account, the account's name after it
// ("cognitive_services_openai_user_aoai_example"). A role assignment
// cannot be updated (facts.md "Terraform providers": every argument
// forces a new one), and an assignment under a new address is one
// Terraform destroys and creates, a window in which the app's calls get
// 401. Naming an account's assignment after the account, not after its
// position, keeps every address when accounts are added, removed or
// reordered (a role without scope is one assignment per account, in
// account order). Assignments whose labels still collide (the same role on
// two resource groups, or on two accounts of one name in two resource
// groups) get "_2", "_3" in input order.
func (e *Environment) RoleLabels() []string {
	names := make([]string, len(e.Roles))
	for i, r := range e.Roles {
		names[i] = roleLabel(r.Role)
		if cognitiveAccountRE.MatchString(r.Scope) {
			names[i] += "_" + TerraformLabel(accountName(r.Scope))
		}
	}
	return UniqueLabels(names)
}
