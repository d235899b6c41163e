package terraform

import "strings"

// setKeySpecial are the characters Helm's --set parser (helm pkg/strvals)
// gives a meaning inside a key: '.' nests, '=' starts the value, ',' ends
// the pair, '[' starts a list index, and '\' makes the next character
// literal (facts.md "Terraform providers", Helm --set key syntax).
const setKeySpecial = `\.,=[`

// EscapeSetKey escapes one segment of a Helm --set key, so that it is read
// as a single literal key: a backslash goes before every '\', '.', ',', '='
// and '['. "azure.workload.identity/client-id" becomes
// `azure\.workload\.identity/client-id`.
//
// The helm provider reads set names with the same parser for type "auto"
// and "string"; type "literal" does not honour these escapes.
func EscapeSetKey(segment string) string {
	var b strings.Builder
	for _, r := range segment {
		if strings.ContainsRune(setKeySpecial, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// SetName joins key segments into a Helm --set name, each segment escaped
// with EscapeSetKey: SetName("serviceAccount", "annotations",
// "azure.workload.identity/client-id") is
// `serviceAccount.annotations.azure\.workload\.identity/client-id`.
func SetName(segments ...string) string {
	esc := make([]string, len(segments))
	for i, s := range segments {
		esc[i] = EscapeSetKey(s)
	}
	return strings.Join(esc, ".")
}
