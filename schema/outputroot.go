// The output root (spec.output) and the targets: a clean relative folder
// below the input file's folder, outside .git, not the input itself.

package schema

import (
	"path"
	"strings"
)

// validateOutput: a relative folder below the input file's folder.
func (v *validator) validateOutput(out string) {
	const p = "spec.output"
	clean := path.Clean(out)
	switch {
	case strings.Contains(out, `\`):
		v.errorf(p, "%q uses '\\'; write the folder with '/' separators", out)
	case path.IsAbs(out):
		v.errorf(p, "%q is absolute; the output root is a folder relative to the input file, e.g. deploy", out)
	case clean == "." || clean == ".." || strings.HasPrefix(clean, "../"):
		v.errorf(p, "%q is not below the input file's folder; name a subfolder, e.g. deploy", out)
	case clean != out:
		v.errorf(p, "%q is not a clean path; write %q", out, clean)
	case out == v.s.Source:
		v.errorf(p, "%q is the input file itself; name a folder, e.g. deploy", out)
	default:
		for _, seg := range strings.Split(out, "/") {
			if !pathSegmentRE.MatchString(seg) {
				v.errorf(p, "%q: folder names may hold letters, digits, '.', '_' and '-' only", out)
				return
			}
			if strings.EqualFold(seg, ".git") {
				v.errorf(p, "%q is inside the repository's .git folder; name a folder of your own, e.g. deploy", out)
				return
			}
		}
	}
}

var pathSegmentRE = lazyRE(`^[A-Za-z0-9._-]+$`)
