// Azure IDs: GUIDs (tenant, subscription and client IDs; the nil GUID is a
// placeholder) and Azure resource IDs (account IDs and role scopes:
// /subscriptions/<guid>/resourceGroups/<group>/providers/..., or a
// management group), as the Azure Resource Manager documentation on
// resource IDs writes them.

package schema

import (
	"fmt"
)

func (v *validator) checkResourceID(id string) string {
	if msg, ok := v.resourceIDs[id]; ok {
		return msg
	}
	if v.resourceIDs == nil {
		v.resourceIDs = map[string]string{}
	}
	msg := checkResourceID(id)
	v.resourceIDs[id] = msg
	return msg
}

// guidMatcher matches ^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$
// without a regular expression (it runs for every GUID field of every environment).
type guidMatcher struct{}

var guidRE = guidMatcher{}

// guid checks a GUID field; the nil GUID is a placeholder.
func (v *validator) guid(s, p, what string) {
	switch {
	case !guidRE.MatchString(s):
		v.errorf(p, "%q is not a GUID (8-4-4-4-12 hexadecimal digits); put the %s here", s, what)
	case s == "00000000-0000-0000-0000-000000000000":
		v.errorf(p, "is the nil GUID, a placeholder; put the real %s here", what)
	}
}

var (
	// An Azure resource ID: /subscriptions/<guid>[/resourceGroups/<rg>[/providers/<ns>/<type>/<name>[/<type>/<name>]...]]
	resourceIDRE = lazyRE(`(?i)^/subscriptions/([^/\s]+)(/resourceGroups/[^/\s]+(/providers/[^/\s]+(/[^/\s]+/[^/\s]+)+)?)?$`)
	// A management group scope.
	managementGroupRE = lazyRE(`(?i)^/providers/Microsoft\.Management/managementGroups/[^/\s]+$`)
)

// checkResourceID returns "" for a well-formed Azure resource ID whose
// subscription is a GUID, else what is wrong.
func checkResourceID(s string) string {
	if ph := placeholder(s); ph != "" {
		return fmt.Sprintf("%q looks like a placeholder (%s)", s, ph)
	}
	if managementGroupRE.MatchString(s) {
		return ""
	}
	m := resourceIDRE.FindStringSubmatch(s)
	if m == nil {
		return fmt.Sprintf("%q is not an Azure resource ID (/subscriptions/<guid>/resourceGroups/<group>/providers/<namespace>/<type>/<name>)", s)
	}
	if !guidRE.MatchString(m[1]) {
		return fmt.Sprintf("%q names subscription %q, which is not a GUID", s, m[1])
	}
	return ""
}

func (guidMatcher) MatchString(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
				return false
			}
		}
	}
	return true
}
