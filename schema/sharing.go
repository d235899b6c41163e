// Shared identities: environments with one IdentityKey use one
// user-assigned managed identity. Its federated identity credentials are
// all created by one Terraform module, one after another: Azure refuses
// concurrent credential writes on one identity with HTTP 409
// (terraform-provider-azurerm#19968; facts.md "Federated identity
// credentials"), and credentials spread over several modules collide
// whenever those modules are applied at the same time (a CI matrix), which
// no depends_on across modules can prevent. The module is the one that
// creates the identity, so the credentials never exist without it and
// `terraform destroy` of that module takes them all.

package schema

// deriveSharing sets IdentityEnvironments and CredentialOwner on every
// environment. Load calls it once the environments are complete, before
// validation (adopt's needs CredentialOwner); the environments of one
// identity share one IdentityEnvironments slice, so many environments on
// one identity (refused later, beyond MaxFederatedCredentials) cost one
// list.
func deriveSharing(s *Spec) {
	envs := s.Spec.Environments
	byKey := map[string][]int{}
	var keys []string
	for i := range envs {
		e := &envs[i]
		e.CredentialOwner = -1
		if e.Identity == nil {
			continue
		}
		k := e.IdentityKey()
		if _, ok := byKey[k]; !ok {
			keys = append(keys, k)
		}
		byKey[k] = append(byKey[k], i)
	}
	for _, k := range keys {
		idx := byKey[k]
		owner := -1
		for _, i := range idx {
			if e := &envs[i]; !e.Identity.Existing && e.HasTarget(TargetTerraform) {
				owner = i
				break
			}
		}
		if owner < 0 {
			for _, i := range idx {
				if envs[i].HasTarget(TargetTerraform) {
					owner = i
					break
				}
			}
		}
		for _, i := range idx {
			envs[i].IdentityEnvironments = idx
			envs[i].CredentialOwner = owner
		}
	}
}

// CredentialModule returns the environment whose Terraform module creates
// e's federated identity credentials, or nil when no environment using e's
// identity renders terraform (each README then gives the Azure CLI
// commands for its own). It is the environment that creates the identity
// when that one renders terraform, else the first environment of the
// identity, in input order, that does. e must come from s, loaded by Load.
func (s *Spec) CredentialModule(e *Environment) *Environment {
	if e.CredentialOwner < 0 || e.CredentialOwner >= len(s.Spec.Environments) {
		return nil
	}
	return &s.Spec.Environments[e.CredentialOwner]
}

// EnvironmentCredential is a federated identity credential and the
// environment it is for.
type EnvironmentCredential struct {
	// Env is the environment whose service account the credential trusts.
	Env *Environment
	FederatedCredential
}

// ModuleCredentials lists the federated identity credentials e's Terraform
// module creates: every credential of every environment using e's
// identity when e's module is theirs (CredentialModule), in environment
// order and, within an environment, in FederatedCredentials order; else
// none.
func (s *Spec) ModuleCredentials(e *Environment) []EnvironmentCredential {
	if s.CredentialModule(e) != e {
		return nil
	}
	var out []EnvironmentCredential
	for _, i := range e.IdentityEnvironments {
		o := &s.Spec.Environments[i]
		for _, fc := range o.FederatedCredentials() {
			out = append(out, EnvironmentCredential{Env: o, FederatedCredential: fc})
		}
	}
	return out
}

// SharesIdentity reports whether another environment uses e's identity.
func (e *Environment) SharesIdentity() bool { return len(e.IdentityEnvironments) > 1 }
