// Azure IDs: GUIDs (tenant, subscription and client IDs; the nil GUID is a
// placeholder) and Azure resource IDs (account IDs and role scopes:
// /subscriptions/<guid>/resourceGroups/<group>/providers/..., or a
// management group), as the Azure Resource Manager documentation on
// resource IDs writes them.

package schema

import (
	"fmt"
	"strings"

	"github.com/wigen-dev/wigen/generate/memo"
)

// guidMatcher matches ^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$
// without a regular expression (it runs for every GUID field of every environment).
type guidMatcher struct{}

var guidRE = guidMatcher{}

// guid checks a GUID field; the nil GUID is a placeholder.
func (v *validator) guid(s, p, what string) {
	switch {
	case !guidRE.MatchString(s):
		v.errorf(p, "%s is not a GUID (8-4-4-4-12 hexadecimal digits); put the %s here", Quote(s), what)
	case s == nilGUID:
		v.errorf(p, "is the nil GUID, a placeholder; put the real %s here", what)
	}
}

// nilGUID is the GUID of all zeros, a placeholder wherever an ID goes.
const nilGUID = "00000000-0000-0000-0000-000000000000"

var (
	// An Azure resource ID: /subscriptions/<guid>[/resourceGroups/<rg>[/providers/<ns>/<type>/<name>[/<type>/<name>]...]]
	resourceIDRE = lazyRE(`(?i)^/subscriptions/([^/\s]+)(/resourceGroups/[^/\s]+(/providers/[^/\s]+(/[^/\s]+/[^/\s]+)+)?)?$`)
	// A management group scope.
	managementGroupRE = lazyRE(`(?i)^/providers/Microsoft\.Management/managementGroups/[^/\s]+$`)
)

// checkResourceID returns "" for a well-formed Azure resource ID whose
// subscription is a GUID, else what is wrong. The answers are remembered
// (resourceIDs): every environment repeats the account IDs and scopes it
// inherits, and validation and the renderers (accountName, RoleLabels)
// check each of them again.
func checkResourceID(s string) string {
	if msg, ok := resourceIDs.Lookup(s); ok {
		return msg
	}
	msg := resourceIDProblem(s)
	resourceIDs.Remember(s, msg)
	return msg
}

// resourceIDs remembers checkResourceID's answers for up to 1024 IDs of
// up to 512 bytes (an input holds a few).
var resourceIDs = memo.New[string](1024, 512)

// resourceIDProblem is checkResourceID, computed.
func resourceIDProblem(s string) string {
	if ph := placeholder(s); ph != "" {
		return fmt.Sprintf("%s looks like a placeholder (%s)", Quote(s), ph)
	}
	if managementGroupRE.MatchString(s) {
		return ""
	}
	m := resourceIDRE.FindStringSubmatch(s)
	if m == nil {
		return fmt.Sprintf("%s is not an Azure resource ID (/subscriptions/<guid>/resourceGroups/<group>/providers/<namespace>/<type>/<name>)", Quote(s))
	}
	if !guidRE.MatchString(m[1]) {
		return fmt.Sprintf("%s names subscription %s, which is not a GUID", Quote(s), Quote(m[1]))
	}
	if m[1] == nilGUID {
		return fmt.Sprintf("%s names the nil GUID as its subscription, a placeholder", Quote(s))
	}
	segs := strings.Split(s, "/")
	for i, seg := range segs {
		if i > 0 && strings.EqualFold(segs[i-1], "resourceGroups") && i%2 == 0 && !resourceGroupRE.MatchString(seg) {
			return fmt.Sprintf("%s names resource group %s, which is not a valid resource group name (1 to 90 letters, digits, '_', '(', ')', '-' and '.', not ending in '.')", Quote(s), Quote(seg))
		}
		if j := strings.IndexAny(seg, resourceNameBad); j >= 0 {
			return fmt.Sprintf("%s holds %s, which no Azure resource ID does", Quote(s), Quote(seg[j:j+1]))
		}
	}
	return ""
}

// resourceNameBad are characters no segment of an Azure resource ID holds
// (Azure Resource Manager, "Naming rules and restrictions for Azure
// resources": <>%&\?/ and '"' are refused in resource names, and '#' and
// '?' would end the ID in a URL).
const resourceNameBad = "\"<>%&\\?#"

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
