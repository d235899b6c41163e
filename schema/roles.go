// Role assignments: a role is a built-in role name or a role definition ID;
// a role given by name and by ID is one role; control-plane roles (Owner,
// Contributor, Cognitive Services Contributor) give 401 on inference
// (facts.md "Names"; Azure built-in roles reference). Every Azure OpenAI
// account of an environment should get a role that allows inference from
// the roles of its identity (validateRoleCoverage warns), and a role on an
// account no connection uses is a warning.

package schema

import (
	"fmt"
	"slices"
	"strings"
)

// suggestRole returns the known built-in role closest to name (memoized).
func (v *validator) suggestRole(name string) string {
	if s, ok := v.roleSuggestions[name]; ok {
		return s
	}
	if v.roleSuggestions == nil {
		v.roleSuggestions = map[string]string{}
	}
	s := name
	if !slices.Contains(knownRoles, name) {
		s = suggest(name, knownRoles)
	}
	v.roleSuggestions[name] = s
	return s
}

// Built-in roles that manage an Azure OpenAI account but do not allow
// inference: calls get 401 (facts.md "Names"). Their role definition IDs
// are in builtinRoleIDs.
var controlPlaneRoles = []string{"Owner", "Contributor", "Cognitive Services Contributor"}

// controlPlaneRole returns the name of a control-plane role given by name
// or role definition ID, or "".
func controlPlaneRole(role string) string {
	key := roleKey(Role{Role: role}, "")
	for _, name := range controlPlaneRoles {
		if builtinRoleIDs[strings.ToLower(name)] == key {
			return name
		}
	}
	return ""
}

// knownRoles are built-in role names a typo is most likely aimed at; a name
// close to one of them but not equal is refused with a suggestion.
var knownRoles = []string{
	"Cognitive Services OpenAI User", "Cognitive Services OpenAI Contributor", "Cognitive Services User",
	"Cognitive Services Contributor", "Cognitive Services Data Reader", "Owner", "Contributor", "Reader",
	"Storage Blob Data Reader", "Storage Blob Data Contributor", "Key Vault Secrets User",
	"Search Index Data Reader", "Search Service Contributor", "Azure AI Developer", "Azure AI User",
}

var (
	roleDefinitionIDRE = lazyRE(`(?i)^(/subscriptions/[0-9a-f-]{36})?/providers/Microsoft\.Authorization/roleDefinitions/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	roleNameRE         = lazyRE(`^[A-Za-z0-9][A-Za-z0-9 ._()/-]{0,127}$`)
)

func (v *validator) validateRoles(e *Environment, p string) {
	type key struct{ role, scope string }
	seen := map[key]int{}
	for _, r := range e.Roles {
		rp := fmt.Sprintf("%s.roles[%d]", p, r.Index)
		switch {
		case r.Role == "":
		case strings.HasSuffix(r.Role, nilGUID) && (guidRE.MatchString(r.Role) || roleDefinitionIDRE.MatchString(r.Role)):
			v.errorf(rp+".role", "%s is the nil GUID, a placeholder, not a role definition; give a built-in role name such as %s, or the role's definition ID (az role definition list --name NAME --query [].name -o tsv)", Quote(r.Role), Quote(RoleOpenAIUser))
		case guidRE.MatchString(r.Role) || roleDefinitionIDRE.MatchString(r.Role):
		case strings.HasPrefix(r.Role, "/"):
			v.errorf(rp+".role", "%s is not a role definition ID: /subscriptions/<guid>/providers/Microsoft.Authorization/roleDefinitions/<guid>, or just the role's GUID", Quote(r.Role))
		case placeholder(r.Role) != "" || !roleNameRE.MatchString(r.Role):
			v.errorf(rp+".role", "%s is not a role: give a built-in role name such as %s, or a role definition ID", Quote(r.Role), Quote(RoleOpenAIUser))
		default:
			if s := v.suggestRole(r.Role); s != "" && s != r.Role {
				v.errorf(rp+".role", "%s is not a built-in role; did you mean %s? (names are matched exactly)", Quote(r.Role), Quote(s))
			}
		}
		if r.Scope != "" && v.written(rp+".scope") {
			if msg := checkResourceID(r.Scope); msg != "" {
				v.errorf(rp+".scope", "%s; put the resource ID the role applies to here, e.g. the Azure OpenAI account's", msg)
			}
		}
		k := key{strings.ToLower(roleKey(r, e.SubscriptionID)), strings.ToLower(r.Scope)}
		if first, dup := seen[k]; dup && first != r.Index {
			v.errorf(rp, "assigns the same role on the same scope as roles[%d]", first)
		} else if !dup {
			seen[k] = r.Index
		}
		if name := controlPlaneRole(r.Role); name != "" && cognitiveAccountRE.MatchString(r.Scope) {
			v.warnf(rp+".role", "%s manages the Azure OpenAI account but does not allow inference: calls get 401; assign %s for the app", name, Quote(RoleOpenAIUser))
		}
	}
}

// roleKey identifies a role: its definition ID, or its built-in name.
func roleKey(r Role, subscriptionID string) string {
	if id := r.RoleDefinitionID(subscriptionID); id != "" {
		return strings.ToLower(id[strings.LastIndex(id, "/")+1:])
	}
	if id, ok := builtinRoleIDs[strings.ToLower(r.Role)]; ok {
		return id // the same role, given by name
	}
	return r.Role
}

// builtinRoleIDs are the role definition IDs of built-in roles wigen knows
// by name, so a role given once by name and once by ID is one role.
// Cognitive Services OpenAI User from facts.md; the others from the Azure
// built-in roles reference (AI + machine learning, General).
var builtinRoleIDs = map[string]string{
	strings.ToLower(RoleOpenAIUser):         RoleOpenAIUserID,
	"cognitive services openai contributor": "a001fd3d-188f-4b5d-821b-7da978bf7442",
	"cognitive services user":               "a97b65f3-24c7-4388-baec-2e87135dc908",
	"azure ai developer":                    "64702f94-c441-49e6-a78b-ef80e0188fee",
	"azure ai user":                         "53ca6127-db72-4b80-b1b0-d745d6d5456d",
	"owner":                                 "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
	"contributor":                           "b24988ac-6180-49a0-ab88-20f7382dd24c",
	"reader":                                "acdd72a7-3385-48ef-bd42-f606fba81ae7",
	"cognitive services contributor":        "25fbc0a9-bd7c-42a3-aa1a-3b75d497ee68",
}

// inferenceRoles are the built-in roles (by definition ID) whose data
// actions include Azure OpenAI inference (Microsoft.CognitiveServices/
// accounts/OpenAI/* or Microsoft.CognitiveServices/*: Azure built-in
// roles reference, AI + machine learning).
var inferenceRoles = map[string]bool{
	RoleOpenAIUserID:                       true, // Cognitive Services OpenAI User
	"a001fd3d-188f-4b5d-821b-7da978bf7442": true, // Cognitive Services OpenAI Contributor
	"a97b65f3-24c7-4388-baec-2e87135dc908": true, // Cognitive Services User
	"64702f94-c441-49e6-a78b-ef80e0188fee": true, // Azure AI Developer
	"53ca6127-db72-4b80-b1b0-d745d6d5456d": true, // Azure AI User
}

// RoleAllowsInference reports whether role (a built-in role name or a role
// definition ID) allows Azure OpenAI inference calls; known is false for a
// role wigen cannot tell about (a custom role, or a built-in one it does
// not list), which may.
func RoleAllowsInference(role string) (allows, known bool) {
	key := roleKey(Role{Role: role}, "")
	if inferenceRoles[key] {
		return true, true
	}
	for name, id := range builtinRoleIDs {
		if id == key || name == strings.ToLower(role) {
			return false, true
		}
	}
	// Built-in roles wigen knows by name that manage, read or use other
	// services: none of them calls Azure OpenAI.
	for _, name := range knownRoles {
		if strings.EqualFold(name, role) && name != "Cognitive Services Data Reader" {
			return false, true
		}
	}
	return false, false
}

// Covers reports whether a role assigned at scope applies to the resource
// id: the same resource, or a scope above it (its resource group, its
// subscription), compared without case as Azure resource IDs are. A
// management group scope may hold the subscription: it is taken to cover.
func Covers(scope, id string) bool {
	s, r := strings.ToLower(strings.TrimSuffix(scope, "/")), strings.ToLower(id)
	return s == r || strings.HasPrefix(r, s+"/") || managementGroupRE.MatchString(scope)
}

// AccountRoles returns the roles the identity of environment e holds on
// the Azure OpenAI account accountID (one of e's azureOpenAI accounts):
// those of every environment of s sharing the identity (IdentityKey)
// whose scope covers the account, each once, in input order.
func (s *Spec) AccountRoles(e *Environment, accountID string) []Role {
	if e.Identity == nil || accountID == "" {
		return nil
	}
	idx := s.identityRoles
	if idx == nil {
		idx = indexIdentityRoles(s)
	}
	var out []Role
	for _, r := range idx[e.IdentityKey()] {
		if Covers(r.Scope, accountID) {
			out = append(out, r)
		}
	}
	return out
}

// indexIdentityRoles lists, per identity (IdentityKey), the roles every
// environment using it assigns, each role and scope once, in input order.
func indexIdentityRoles(s *Spec) map[string][]Role {
	idx := map[string][]Role{}
	seen := map[string]bool{}
	for i := range s.Spec.Environments {
		e := &s.Spec.Environments[i]
		if e.Identity == nil {
			continue
		}
		k := e.IdentityKey()
		for _, r := range e.Roles {
			rk := k + "\x00" + strings.ToLower(roleKey(r, e.SubscriptionID)+"\x00"+r.Scope)
			if !seen[rk] {
				seen[rk] = true
				idx[k] = append(idx[k], r)
			}
		}
	}
	return idx
}

// validateRoleCoverage checks, per user-assigned managed identity (the
// environments sharing one pool their roles: AccountRoles), every Azure
// OpenAI account an environment connects to. It warns when the identity
// holds roles but none on the account (or a scope above it) that allows
// inference (only Reader, say, or every role on another account): every
// call of that connection gets 401. A warning, not an error: the identity
// may be given a data-plane role outside wigen (a group, another module).
// A role wigen cannot tell about (a custom role) may allow inference, and
// a control-plane role is warned about on the role itself, so then it says
// nothing. An identity without any role is left to the "lists no role"
// warning. It also warns about a role on an Azure OpenAI account that no
// environment of the identity connects to.
func (v *validator) validateRoleCoverage() {
	envs := v.s.Spec.Environments
	for i := range envs {
		e := &envs[i]
		if e.Identity == nil || e.Identity.Name == "" {
			continue
		}
		p := fmt.Sprintf("spec.environments[%d]", i)
		pooled := v.s.identityRoles[e.IdentityKey()]
		scopesValid := true // a scope refused on its own says enough
		for _, r := range pooled {
			scopesValid = scopesValid && checkResourceID(r.Scope) == ""
		}
		for j, a := range e.AzureOpenAI {
			if len(pooled) == 0 || !scopesValid || a.AccountID == "" || checkResourceID(a.AccountID) != "" {
				continue
			}
			var names []string
			fine := false
			for _, r := range v.s.AccountRoles(e, a.AccountID) {
				allows, known := RoleAllowsInference(r.Role)
				if allows || !known || controlPlaneRole(r.Role) != "" {
					fine = true
					break
				}
				names = append(names, Quote(r.Role))
			}
			if fine {
				continue
			}
			fix := fmt.Sprintf("add {role: %s, scope: %s} to roles, or leave a role's scope out to assign it on every account", Quote(RoleOpenAIUser), EscapeText(a.AccountID))
			ap := v.accountPath(p+".azureOpenAI", j) + ".accountId"
			if len(names) == 0 {
				v.warnf(ap, "environment %s: no role of its identity %s is on this Azure OpenAI account or a scope above it, so every call of this connection gets 401; %s", Quote(e.Name), Quote(e.Identity.Name), fix)
				continue
			}
			v.warnf(ap, "environment %s: its identity %s holds only %s on this Azure OpenAI account, which does not allow inference, so every call of this connection gets 401; %s", Quote(e.Name), Quote(e.Identity.Name), strings.Join(names, ", "), fix)
		}
		v.warnUnusedAccountRoles(e, p)
	}
}

// warnUnusedAccountRoles warns about each role of e, with a scope written,
// on an Azure OpenAI account that no environment using e's identity lists
// in azureOpenAI.
func (v *validator) warnUnusedAccountRoles(e *Environment, p string) {
	accounts := map[string]bool{}
	for _, j := range e.IdentityEnvironments {
		for _, a := range v.s.Spec.Environments[j].AzureOpenAI {
			if a.AccountID == "" || checkResourceID(a.AccountID) != "" {
				return // an invalid accountId is reported on its own
			}
			accounts[strings.ToLower(a.AccountID)] = true
		}
	}
	for _, r := range e.Roles {
		sp := fmt.Sprintf("%s.roles[%d].scope", p, r.Index)
		if cognitiveAccountRE.MatchString(r.Scope) && !accounts[strings.ToLower(r.Scope)] && v.written(sp) && checkResourceID(r.Scope) == "" {
			v.warnf(sp, "is an Azure OpenAI account that no environment using this identity lists in azureOpenAI: the identity may call it, but no connection does; remove the role, or add the account to azureOpenAI")
		}
	}
}
