// Role assignments: a role is a built-in role name or a role definition ID;
// a role given by name and by ID is one role; control-plane roles (Owner,
// Contributor, Cognitive Services Contributor) give 401 on inference
// (facts.md "Names"; Azure built-in roles reference).

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
	for i, r := range e.Roles {
		rp := fmt.Sprintf("%s.roles[%d]", p, i)
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
		if first, dup := seen[k]; dup {
			v.errorf(rp, "assigns the same role on the same scope as roles[%d]", first)
		}
		seen[k] = i
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
