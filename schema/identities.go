// Rules across environments, per user-assigned managed identity
// (subscription, resource group, name): created once, at most 20
// federated identity credentials, issuer and subject unique, credential
// names unique, one client ID per identity, each role assigned once; one
// release per namespace and cluster; a client ID written once applies to
// every environment of its identity. Sources: Microsoft Entra, "Important
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
		named                                 bool // name given, not derived
		// cluster, when set, is the environment's cluster, whose issuer
		// this credential federates: the cluster's own issuer given as a
		// URL or fromCluster, or an additional federation's fromCluster.
		cluster *deployment
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
	var deployments []deployment
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
				v.errorf(p+".identity.name", "environment %s: identity %s is already created by environment %s; an identity is created once: set identity.existing: true in environment %s", Quote(e.Name), Quote(e.Identity.Name), Quote(id.createdBy), Quote(e.Name))
			} else {
				id.createdBy = e.Name
			}
		}
		if c := strings.ToLower(e.Identity.ClientID); c != "" {
			if other, ok := clientIDs[c]; ok && other.key != k {
				v.errorf(p+".identity.clientId", "environment %s: %s is already the client ID of identity %s (environment %s); each user-assigned managed identity has its own client ID: `terraform output -raw client_id` in this environment's module prints it", Quote(e.Name), e.Identity.ClientID, Quote(other.name), Quote(other.env))
			} else if !ok {
				clientIDs[c] = clientIDUse{key: k, name: e.Identity.Name, env: e.Name}
			}
			if id.clientID != "" && id.clientID != c {
				v.errorf(p+".identity.clientId", "environment %s: identity %s already has client ID %s in environment %s; one identity has one client ID", Quote(e.Name), Quote(e.Identity.Name), id.clientID, Quote(id.clientIDEnv))
			} else if id.clientID == "" {
				id.clientID, id.clientIDEnv = c, e.Name
			}
		}
		for j, fc := range e.FederatedCredentials() {
			fp := p + ".cluster.issuer"
			if j > 0 {
				fp = fmt.Sprintf("%s.additionalFederations[%d]", p, j-1)
			}
			f := fed{path: fp, name: fc.Name, named: fc.Named, namePath: credentialNamePath(p, j, fc.Named), issuer: issuerKey(e, fc.Issuer), subject: fc.Subject}
			if e.Cluster != nil && e.Cluster.Name != "" && (fc.Issuer.FromCluster || j == 0 && fc.Issuer.URL != "") {
				f.cluster = &deployment{env: e, subscription: e.ClusterSubscriptionID(),
					knownSubscription: v.written(p+".cluster.subscriptionId") || e.Cluster.Issuer.FromCluster}
			}
			id.feds = append(id.feds, f)
		}
		if len(e.Roles) > 0 {
			id.roleEnvs++
		}
		for _, r := range e.Roles {
			rk := strings.ToLower(roleKey(r, e.SubscriptionID) + "\x00" + r.Scope)
			if other, dup := id.roles[rk]; dup && other != e.Name {
				v.errorf(fmt.Sprintf("%s.roles[%d]", p, r.Index), "environment %s assigns %s on this scope to identity %s, as environment %s already does; a role assignment exists once (a second one fails with 409 RoleAssignmentExists): set roles: [] in environment %s and leave it to %s", Quote(e.Name), Quote(r.Role), Quote(e.Identity.Name), Quote(other), Quote(e.Name), Quote(other))
			} else {
				id.roles[rk] = e.Name
			}
		}
		// One release per namespace and cluster: two environments deploying
		// there would fight over the same objects. The cluster is compared,
		// not the form its issuer is given in (fromCluster in one
		// environment, the URL in another).
		if e.Cluster != nil && e.Cluster.Name != "" && e.Namespace != "" {
			d := deployment{env: e, namespace: e.Namespace, subscription: e.ClusterSubscriptionID(),
				knownSubscription: v.written(p+".cluster.subscriptionId") || e.Cluster.Issuer.FromCluster}
			for _, other := range deployments {
				if other.namespace == e.Namespace && sameCluster(other, d) {
					v.errorf(p+".namespace", "environment %s: environment %s already deploys release %s into namespace %s of this cluster (%s); each environment needs its own namespace or cluster", Quote(e.Name), Quote(other.env.Name), Quote(v.s.ReleaseName()), Quote(e.Namespace), Quote(e.Cluster.Name))
					break
				}
			}
			deployments = append(deployments, d)
		}
	}
	for _, k := range order {
		id := ids[k]
		seen := map[string]fed{}
		names := map[string]fed{}
		sameSubject := map[string][]fed{} // feds on their environment's cluster, by subject
		for n, f := range id.feds {
			if n == MaxFederatedCredentials {
				v.errorf(f.path, "is federated credential number %d on one identity; an identity holds at most %d (Microsoft Entra limits): use another identity", n+1, MaxFederatedCredentials)
			}
			// Azure resource names are case-insensitive: a name that differs
			// only in case is the same credential (Azure Resource Manager,
			// "Resource naming restrictions": resource names are
			// case-insensitive unless noted; federated identity credentials
			// are not noted). This holds for names given with
			// cluster.federatedCredentialName or credentialName too.
			if first, dup := names[strings.ToLower(f.name)]; dup {
				same := "already has"
				if first.name != f.name {
					same = "already has, in another case (" + Quote(first.name) + "; Azure resource names ignore case),"
				}
				if f.named {
					v.errorf(f.namePath, "names federated identity credential %s, which %s %s on identity %s; credential names are unique per identity: give another name", Quote(f.name), first.namePath, same, Quote(id.name))
				} else {
					v.errorf(f.namePath, "derives federated identity credential name %s, which %s %s on identity %s; credential names are unique per identity: rename the federation", Quote(f.name), first.namePath, same, Quote(id.name))
				}
			} else {
				names[strings.ToLower(f.name)] = f
			}
			if f.issuer == "" {
				continue // no issuer: reported on its own
			}
			key := f.issuer + "\x00" + f.subject
			if first, dup := seen[key]; dup {
				v.errorf(f.path, "federates the same issuer and subject %s as %s; issuer and subject must be unique per identity", Quote(f.subject), first.path)
				continue
			}
			seen[key] = f
			// The cluster's issuer given as a URL in one place and read
			// with fromCluster in another is one issuer: the same subject
			// on the same cluster is the same credential twice.
			if f.cluster != nil {
				for _, g := range sameSubject[f.subject] {
					if sameCluster(*g.cluster, *f.cluster) {
						v.errorf(f.path, "federates subject %s with the issuer of cluster %s, as %s does: given as a URL or read with fromCluster, it is one issuer, and issuer and subject must be unique per identity; remove one", Quote(f.subject), Quote(f.cluster.env.Cluster.Name), g.path)
						break
					}
				}
				sameSubject[f.subject] = append(sameSubject[f.subject], f)
			}
		}
	}
	// An environment without roles is expected when another environment on
	// the same identity assigns them.
	for i := range v.s.Spec.Environments {
		e := &v.s.Spec.Environments[i]
		p := fmt.Sprintf("spec.environments[%d].roles", i)
		if v.written(p) && len(e.Roles) == 0 && e.Identity != nil {
			if id := ids[e.IdentityKey()]; id == nil || id.roleEnvs == 0 {
				v.warnf(p, "lists no role: the identity can authenticate but is allowed nothing; leave roles out for %s on the Azure OpenAI account", Quote(RoleOpenAIUser))
			}
		}
	}
}

// deployment is an environment's release in a namespace of its cluster,
// for the one-release-per-namespace rule.
type deployment struct {
	env       *Environment
	namespace string
	// subscription is the cluster's subscription; knownSubscription says
	// whether the input says it: cluster.subscriptionId (issue 14), or with
	// fromCluster the subscription the data source reads the cluster in
	// (Environment.ClusterSubscriptionID). A cluster given only by its
	// issuer URL may lie in any subscription.
	subscription      string
	knownSubscription bool
}

// sameCluster reports whether deployments a and b are on one cluster, by
// what their clusters say of themselves. One issuer URL is one cluster (an
// AKS issuer names its cluster's GUID). Otherwise the cluster's name and
// resource group are compared, without case as Azure compares them, a
// resource group left out matching any; two different literal issuers are
// two clusters, whatever their names; and two clusters whose subscriptions
// the input says are different are two clusters.
func sameCluster(a, b deployment) bool {
	ca, cb := a.env.Cluster, b.env.Cluster
	ua, ub := ca.Issuer.URL, cb.Issuer.URL
	switch {
	case ua != "" && ub != "":
		return ua == ub
	case !strings.EqualFold(ca.Name, cb.Name):
		return false
	case ca.ResourceGroup != "" && cb.ResourceGroup != "" && !strings.EqualFold(ca.ResourceGroup, cb.ResourceGroup):
		return false
	case a.knownSubscription && b.knownSubscription && !strings.EqualFold(a.subscription, b.subscription):
		return false
	}
	return true
}

// issuerKey identifies an issuer source for the uniqueness rule.
func issuerKey(e *Environment, is Issuer) string {
	switch {
	case is.URL != "":
		return "url:" + is.URL
	case is.FromCluster && e.Cluster != nil:
		return strings.ToLower("cluster:" + e.ClusterSubscriptionID() + "/" + e.Cluster.ResourceGroup + "/" + e.Cluster.Name)
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

// shareClientIDs gives every environment of one user-assigned managed
// identity (Environment.IdentityKey) the client ID written in any one of
// them, the first in input order: one identity has one client ID, so it is
// written once. Validation has refused two different ones; Load calls it
// after validation, so every diagnostic names the environment where the
// client ID was written.
func shareClientIDs(s *Spec) {
	ids := map[string]string{}
	envs := s.Spec.Environments
	for i := range envs {
		if e := &envs[i]; e.Identity != nil && e.Identity.ClientID != "" {
			if _, ok := ids[e.IdentityKey()]; !ok {
				ids[e.IdentityKey()] = e.Identity.ClientID
			}
		}
	}
	for i := range envs {
		if e := &envs[i]; e.Identity != nil && e.Identity.ClientID == "" {
			e.Identity.ClientID = ids[e.IdentityKey()]
		}
	}
}
