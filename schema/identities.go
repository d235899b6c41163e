// Rules across environments, per user-assigned managed identity
// (subscription, resource group, name): created once, at most 20
// federated identity credentials, issuer and subject unique, credential
// names unique, one client ID per identity, each role assigned once; one
// release per namespace and cluster; one service account name where the
// Kustomize base is shared. Sources: Microsoft Entra, "Important
// considerations and restrictions for federated identity credentials";
// facts.md "Federated identity credentials".

package schema

import (
	"fmt"
	"sort"
	"strings"
)

// validateIdentities checks rules across environments, per identity
// (subscription, resource group, name): created by one environment at most,
// at most 20 federated identity credentials, issuer and subject unique
// (Microsoft Entra, federated identity credential considerations).
func (v *validator) validateIdentities() {
	type fed struct {
		path, name, namePath, issuer, subject string
	}
	type identity struct {
		name      string
		createdBy string
		feds      []fed
		roles     map[string]string // role definition and scope -> the environment assigning it
		roleEnvs  int               // environments that assign at least one role
		// clientID is the identity's client ID, from environment clientIDEnv.
		clientID, clientIDEnv string
	}
	ids := map[string]*identity{}
	var order []string
	type clientIDUse struct{ key, name, env string }
	clientIDs := map[string]clientIDUse{} // client ID -> the identity that has it
	deployments := map[string]string{}    // cluster, namespace -> environment
	for i := range v.s.Spec.Environments {
		e := &v.s.Spec.Environments[i]
		if e.Identity == nil || e.Identity.Name == "" {
			continue
		}
		p := fmt.Sprintf("spec.environments[%d]", i)
		k := e.IdentityKey()
		id := ids[k]
		if id == nil {
			id = &identity{name: e.Identity.Name, roles: map[string]string{}}
			ids[k] = id
			order = append(order, k)
		}
		if !e.Identity.Existing {
			if id.createdBy != "" {
				v.errorf(p+".identity.name", "environment %q: identity %q is already created by environment %q; an identity is created once: set identity.existing: true in environment %q", e.Name, e.Identity.Name, id.createdBy, e.Name)
			} else {
				id.createdBy = e.Name
			}
		}
		if c := strings.ToLower(e.Identity.ClientID); c != "" {
			if other, ok := clientIDs[c]; ok && other.key != k {
				v.errorf(p+".identity.clientId", "environment %q: %s is already the client ID of identity %q (environment %q); each user-assigned managed identity has its own client ID: `terraform output -raw client_id` in this environment's module prints it", e.Name, e.Identity.ClientID, other.name, other.env)
			} else if !ok {
				clientIDs[c] = clientIDUse{key: k, name: e.Identity.Name, env: e.Name}
			}
			if id.clientID != "" && id.clientID != c {
				v.errorf(p+".identity.clientId", "environment %q: identity %q already has client ID %s in environment %q; one identity has one client ID", e.Name, e.Identity.Name, id.clientID, id.clientIDEnv)
			} else if id.clientID == "" {
				id.clientID, id.clientIDEnv = c, e.Name
			}
		}
		for j, fc := range e.FederatedCredentials() {
			fp, np := p+".cluster.issuer", p+".cluster.name"
			if j > 0 {
				fp = fmt.Sprintf("%s.additionalFederations[%d]", p, j-1)
				np = fp + ".name"
			}
			id.feds = append(id.feds, fed{path: fp, name: fc.Name, namePath: np, issuer: issuerKey(e, fc.Issuer), subject: fc.Subject})
		}
		if len(e.Roles) > 0 {
			id.roleEnvs++
		}
		for _, r := range e.Roles {
			rk := strings.ToLower(roleKey(r, e.SubscriptionID) + "\x00" + r.Scope)
			if other, dup := id.roles[rk]; dup && other != e.Name {
				v.errorf(fmt.Sprintf("%s.roles[%d]", p, r.Index), "environment %q assigns %q on this scope to identity %q, as environment %q already does; a role assignment exists once (a second one fails with 409 RoleAssignmentExists): set roles: [] in environment %q and leave it to %q", e.Name, r.Role, e.Identity.Name, other, e.Name, other)
			} else {
				id.roles[rk] = e.Name
			}
		}
		// One release per namespace and cluster: two environments deploying
		// there would fight over the same objects.
		if e.Cluster != nil && e.Namespace != "" {
			if ck := issuerKey(e, e.Cluster.Issuer); ck != "" {
				dk := ck + "\x00" + e.Namespace
				if other, dup := deployments[dk]; dup {
					v.errorf(p+".namespace", "environment %q: environment %q already deploys release %q into namespace %q of this cluster (same issuer); each environment needs its own namespace or cluster", e.Name, other, v.s.ReleaseName(), e.Namespace)
				} else {
					deployments[dk] = e.Name
				}
			}
		}
	}
	for _, k := range order {
		id := ids[k]
		seen := map[string]fed{}
		names := map[string]fed{}
		for n, f := range id.feds {
			if n == MaxFederatedCredentials {
				v.errorf(f.path, "is federated credential number %d on one identity; an identity holds at most %d (Microsoft Entra limits): use another identity", n+1, MaxFederatedCredentials)
			}
			if first, dup := names[f.name]; dup {
				v.errorf(f.namePath, "derives federated identity credential name %q, which %s already has on identity %q; credential names are unique per identity: rename the federation", f.name, first.namePath, id.name)
			} else {
				names[f.name] = f
			}
			if f.issuer == "" {
				continue // no issuer: reported on its own
			}
			key := f.issuer + "\x00" + f.subject
			if first, dup := seen[key]; dup {
				v.errorf(f.path, "federates the same issuer and subject %q as %s; issuer and subject must be unique per identity", f.subject, first.path)
				continue
			}
			seen[key] = f
		}
	}
	// An environment without roles is expected when another environment on
	// the same identity assigns them.
	for i := range v.s.Spec.Environments {
		e := &v.s.Spec.Environments[i]
		p := fmt.Sprintf("spec.environments[%d].roles", i)
		if v.written(p) && len(e.Roles) == 0 && e.Identity != nil {
			if id := ids[e.IdentityKey()]; id == nil || id.roleEnvs == 0 {
				v.warnf(p, "lists no role: the identity can authenticate but is allowed nothing; leave roles out for %q on the Azure OpenAI account", RoleOpenAIUser)
			}
		}
	}
}

// issuerKey identifies an issuer source for the uniqueness rule.
func issuerKey(e *Environment, is Issuer) string {
	switch {
	case is.URL != "":
		return "url:" + is.URL
	case is.FromCluster && e.Cluster != nil:
		return strings.ToLower("cluster:" + e.SubscriptionID + "/" + e.Cluster.ResourceGroup + "/" + e.Cluster.Name)
	case is.RemoteState != nil:
		return fmt.Sprintf("state:%s:%v:%s", is.RemoteState.Backend, sortedMap(is.RemoteState.Config), is.RemoteState.Output)
	}
	return ""
}

func sortedMap(m map[string]any) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%s=%v;", k, m[k])
	}
	return b.String()
}

// validateSharedServiceAccount: the Kustomize base is shared, and the pods'
// serviceAccountName comes from it, so every environment must use one name.
func (v *validator) validateSharedServiceAccount() {
	if !v.s.HasTarget(TargetKustomize) {
		return
	}
	envs := v.s.Spec.Environments
	for i := 1; i < len(envs); i++ {
		if envs[i].ServiceAccount != "" && envs[0].ServiceAccount != "" && envs[i].ServiceAccount != envs[0].ServiceAccount {
			v.errorf(fmt.Sprintf("spec.environments[%d].serviceAccount", i), "%q differs from %q in %s: the Kustomize base is shared and names the pods' service account, so every environment rendered for kustomize uses the same one; use one name, or drop kustomize from spec.targets", envs[i].ServiceAccount, envs[0].ServiceAccount, envs[0].Name)
		}
	}
}
