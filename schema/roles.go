// Role assignments: a role is a built-in role name or a role definition ID;
// a role given by name and by ID is one role; control-plane roles (Owner,
// Contributor, Cognitive Services Contributor) give 401 on inference
// (facts.md "Names"; Azure built-in roles reference). Every Azure OpenAI
// account of an environment must get a role that may allow inference from
// the roles of its identity (roles.go, validateRoleCoverage), and a role on
// an account no connection uses is a warning.

package schema

import (
	"fmt"
	"regexp"
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
	roleDefinitionIDRE = regexp.MustCompile(`(?i)^(/subscriptions/[0-9a-f-]{36})?/providers/Microsoft\.Authorization/roleDefinitions/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	roleNameRE         = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9 ._()/-]{0,127}$`)
)

func (v *validator) validateRoles(e *Environment, p string) {
	type key struct{ role, scope string }
	seen := map[key]int{}
	for _, r := range e.Roles {
		rp := fmt.Sprintf("%s.roles[%d]", p, r.Index)
		switch {
		case r.Role == "":
		case guidRE.MatchString(r.Role) || roleDefinitionIDRE.MatchString(r.Role):
		case strings.HasPrefix(r.Role, "/"):
			v.errorf(rp+".role", "%q is not a role definition ID: /subscriptions/<guid>/providers/Microsoft.Authorization/roleDefinitions/<guid>, or just the role's GUID", r.Role)
		case placeholder(r.Role) != "" || !roleNameRE.MatchString(r.Role):
			v.errorf(rp+".role", "%q is not a role: give a built-in role name such as %q, or a role definition ID", r.Role, RoleOpenAIUser)
		default:
			if s := v.suggestRole(r.Role); s != "" && s != r.Role {
				v.errorf(rp+".role", "%q is not a built-in role; did you mean %q? (names are matched exactly)", r.Role, s)
			}
		}
		if r.Scope != "" && v.written(rp+".scope") {
			if msg := v.checkResourceID(r.Scope); msg != "" {
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
			v.warnf(rp+".role", "%s manages the Azure OpenAI account but does not allow inference: calls get 401; assign %q for the app", name, RoleOpenAIUser)
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
// Cognitive Services OpenAI User from facts.md; the control-plane roles
// from the Azure built-in roles reference.
var builtinRoleIDs = map[string]string{
	strings.ToLower(RoleOpenAIUser):  RoleOpenAIUserID,
	"owner":                          "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
	"contributor":                    "b24988ac-6180-49a0-ab88-20f7382dd24c",
	"cognitive services contributor": "25fbc0a9-bd7c-42a3-aa1a-3b75d497ee68",
}

// dataPlaneRoles are the built-in roles whose data actions include Azure
// OpenAI inference (Azure built-in roles reference: Microsoft.CognitiveServices/*
// or Microsoft.CognitiveServices/accounts/OpenAI/* data actions).
var dataPlaneRoles = []string{
	RoleOpenAIUser, "Cognitive Services OpenAI Contributor", "Cognitive Services User",
	"Azure AI User", "Azure AI Developer",
}

// mayInfer reports whether role may allow Azure OpenAI inference: a
// data-plane role, or a role wigen does not know (a custom role, or one
// given by an ID it has no name for). Control-plane roles and the other
// built-in roles wigen knows by name (Reader, Storage Blob Data Reader, ...)
// do not.
func mayInfer(role string) bool {
	if controlPlaneRole(role) != "" {
		return false
	}
	if roleKey(Role{Role: role}, "") == RoleOpenAIUserID {
		return true
	}
	return slices.Contains(dataPlaneRoles, role) || !slices.Contains(knownRoles, role)
}

// scopeCovers reports whether a role assigned on scope applies to the
// resource id: the same ID or a parent of it (compared without case, as
// Azure resource IDs are), or a management group (which wigen cannot see
// into).
func scopeCovers(scope, id string) bool {
	s, r := strings.ToLower(strings.TrimSuffix(scope, "/")), strings.ToLower(id)
	return s == r || strings.HasPrefix(r, s+"/") || managementGroupRE.MatchString(scope)
}

// validateRoleCoverage checks, per user-assigned managed identity (the
// environments sharing one pool their roles), that every Azure OpenAI
// account an environment connects to gets a role that may allow inference
// (without one, every call of that connection gets 401), and warns about a
// role on an Azure OpenAI account that no environment of the identity
// connects to. An identity without any role is left to the "lists no role"
// warning: its roles are assigned elsewhere.
func (v *validator) validateRoleCoverage() {
	envs := v.s.Spec.Environments
	byIdentity := map[string][]int{}
	for i := range envs {
		if envs[i].Identity != nil && envs[i].Identity.Name != "" {
			k := envs[i].IdentityKey()
			byIdentity[k] = append(byIdentity[k], i)
		}
	}
	for i := range envs {
		e := &envs[i]
		if e.Identity == nil || e.Identity.Name == "" {
			continue
		}
		group := byIdentity[e.IdentityKey()]
		var roles []Role
		accounts := map[string]bool{}
		accountsValid := true // an invalid accountId is reported on its own
		for _, j := range group {
			roles = append(roles, envs[j].Roles...)
			for _, a := range envs[j].AzureOpenAI {
				accounts[strings.ToLower(a.AccountID)] = true
				accountsValid = accountsValid && a.AccountID != "" && v.checkResourceID(a.AccountID) == ""
			}
		}
		p := fmt.Sprintf("spec.environments[%d]", i)
		if len(roles) > 0 {
			for j, a := range e.AzureOpenAI {
				if a.AccountID == "" || v.checkResourceID(a.AccountID) != "" {
					continue
				}
				covered := false
				for _, r := range roles {
					// A scope that is not a resource ID is reported on its
					// own; it is not also a missing role.
					covered = covered || v.checkResourceID(r.Scope) != "" || (scopeCovers(r.Scope, a.AccountID) && mayInfer(r.Role))
				}
				if !covered {
					v.errorf(v.accountPath(p+".azureOpenAI", j)+".accountId", "environment %q: no role of its identity %q allows inference on this account, so every call of this connection gets 401; add {role: %q, scope: %s} to roles, or leave a role's scope out to assign it on every account", e.Name, e.Identity.Name, RoleOpenAIUser, a.AccountID)
				}
			}
		}
		for _, r := range e.Roles {
			if accountsValid && cognitiveAccountRE.MatchString(r.Scope) && !accounts[strings.ToLower(r.Scope)] && v.written(fmt.Sprintf("%s.roles[%d].scope", p, r.Index)) {
				v.warnf(fmt.Sprintf("%s.roles[%d].scope", p, r.Index), "is an Azure OpenAI account that no environment using this identity lists in azureOpenAI: the identity may call it, but no connection does; remove the role, or add the account to azureOpenAI")
			}
		}
	}
}
