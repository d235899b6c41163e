// Placeholders: example values left in the input (<...>, YOUR_...,
// REPLACE_ME, xxx, template syntax), refused wherever a real ID, URL or
// scope goes.

package schema

import "strings"

// placeholderMarks are pieces of text that example values carry and real
// values do not: <guid>, YOUR_..., REPLACE_ME, CHANGEME, TODO, xxx, "...",
// template syntax.
var placeholderMarks = []string{"<", ">", "your_", "your-", "replace_me", "replace-me", "replaceme", "change_me", "change-me", "changeme", "todo", "xxx", "...", "{{", "${"}

// placeholder returns why s looks like a placeholder left in from an
// example, or "".
func placeholder(s string) string {
	lower := strings.ToLower(s)
	for _, m := range placeholderMarks {
		if i := strings.Index(lower, m); i >= 0 {
			mark := s[i : i+len(m)]
			if m == "<" {
				if j := strings.IndexByte(s[i:], '>'); j > 0 {
					mark = s[i : i+j+1]
				}
			}
			return "it contains " + Quote(mark)
		}
	}
	return ""
}
