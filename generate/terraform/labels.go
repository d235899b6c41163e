package terraform

import (
	"regexp"
	"strconv"
	"strings"
)

var (
	labelBad = regexp.MustCompile(`[^a-z0-9_]+`)
	guidTail = regexp.MustCompile(`(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
)

// label turns a name (a cluster, federation or role name) into a
// Terraform resource name in the usual style: lowercase, runs of other
// characters as one '_', no '_' at either end, and a leading '_' when it
// would start with a digit (Terraform names start with a letter or '_').
func label(name string) string {
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
	return label(role)
}

// unique makes labels unique in input order: the second "x" becomes "x_2",
// the third "x_3" (skipping any label already taken). Labels of earlier
// items never change when items are added after them.
func unique(labels []string) []string {
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
