// The output root (spec.output) and the targets: a clean relative folder
// below the input file's folder, outside .git, not the input itself.

package schema

import (
	"path"
	"regexp"
	"strings"
)

// validateOutput: a relative folder below the input file's folder.
func (v *validator) validateOutput(out string) {
	const p = "spec.output"
	clean := path.Clean(out)
	switch {
	case strings.Contains(out, `\`):
		v.errorf(p, "%s uses '\\'; write the folder with '/' separators", Quote(out))
	case path.IsAbs(out):
		v.errorf(p, "%s is absolute; the output root is a folder relative to the input file, e.g. deploy", Quote(out))
	case clean == "." || clean == ".." || strings.HasPrefix(clean, "../"):
		v.errorf(p, "%s is not below the input file's folder; name a subfolder, e.g. deploy", Quote(out))
	case clean != out:
		v.errorf(p, "%s is not a clean path; write %s", Quote(out), Quote(clean))
	case out == v.s.Source:
		v.errorf(p, "%s is the input file itself; name a folder, e.g. deploy", Quote(out))
	default:
		for _, seg := range strings.Split(out, "/") {
			if !pathSegmentRE.MatchString(seg) {
				v.errorf(p, "%s: folder names may hold letters, digits, '.', '_' and '-' only", Quote(out))
				return
			}
			if strings.EqualFold(seg, ".git") {
				v.errorf(p, "%s is inside the repository's .git folder; name a folder of your own, e.g. deploy", Quote(out))
				return
			}
		}
	}
}

var pathSegmentRE = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)
