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
		v.errorf(p, "%s uses '\\'; write the folder with '/' separators", Quote(out))
	case path.IsAbs(out):
		v.errorf(p, "%s is absolute; the output root is a folder relative to the input file, e.g. deploy", Quote(out))
	case clean == "." || clean == ".." || strings.HasPrefix(clean, "../"):
		v.errorf(p, "%s is not below the input file's folder; name a subfolder, e.g. deploy", Quote(out))
	case clean != out:
		v.errorf(p, "%s is not a clean path; write %s", Quote(out), Quote(clean))
	case out == v.s.Source:
		v.errorf(p, "%s is the input file itself; name a folder, e.g. deploy", Quote(out))
	case len(out) > MaxOutputLen:
		v.errorf(p, "is %d bytes long; at most %d, so that the paths of the files below it stay within what file systems allow", len(out), MaxOutputLen)
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
			if len(seg) > MaxNameLen {
				v.errorf(p, "has a folder name of %d bytes; file systems allow at most %d (NAME_MAX)", len(seg), MaxNameLen)
				return
			}
			if msg := WindowsName(seg); msg != "" {
				v.errorf(p, "%s: the folder name %s %s", Quote(out), Quote(seg), msg)
				return
			}
		}
	}
}

// Path limits. A folder or file name is at most 255 bytes on ext4, XFS,
// btrfs and APFS, and 255 UTF-16 units on NTFS (NAME_MAX: MaxNameLen); a
// path at most 4096 bytes on Linux (PATH_MAX: MaxPathLen). spec.output is
// kept far below that (MaxOutputLen), for the files and folders wigen puts
// under it, whose names are fixed but for the environment's (a DNS-1123
// label, at most 63 bytes, and never a name WindowsName refuses):
// generate's TestOutputPaths checks every path of every target against
// these limits.
const (
	MaxNameLen   = 255
	MaxPathLen   = 4096
	MaxOutputLen = 1024
)

// windowsReserved are the names Windows refuses for a file or folder,
// with or without an extension, in any case (Microsoft, "Naming Files,
// Paths, and Namespaces"): a checkout of the output on Windows, which the
// README documents, could not hold them.
var windowsReserved = map[string]bool{
	"con": true, "prn": true, "aux": true, "nul": true,
	"com0": true, "com1": true, "com2": true, "com3": true, "com4": true, "com5": true, "com6": true, "com7": true, "com8": true, "com9": true,
	"lpt0": true, "lpt1": true, "lpt2": true, "lpt3": true, "lpt4": true, "lpt5": true, "lpt6": true, "lpt7": true, "lpt8": true, "lpt9": true,
	"com¹": true, "com²": true, "com³": true, "lpt¹": true, "lpt²": true, "lpt³": true,
}

// WindowsName says why Windows cannot hold a file or folder named name
// ("" when it can): a reserved device name (with or without an extension),
// or a name ending in '.' or a space (Naming Files, Paths, and Namespaces).
func WindowsName(name string) string {
	stem, _, _ := strings.Cut(name, ".")
	switch {
	case windowsReserved[strings.ToLower(stem)]:
		return "is a device name on Windows (" + strings.ToUpper(stem) + "), which a Windows checkout cannot hold; choose another"
	case strings.HasSuffix(name, ".") || strings.HasSuffix(name, " "):
		return "ends in '.' or a space, which Windows drops from file names; remove it"
	}
	return ""
}

var pathSegmentRE = lazyRE(`^[A-Za-z0-9._-]+$`)
