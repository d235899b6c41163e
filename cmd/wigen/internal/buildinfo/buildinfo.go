// Package buildinfo reads what the go command recorded about the build of
// the running wigen (runtime/debug.ReadBuildInfo): `wigen version` prints
// it, and the render cache keys on it when it pins the code.
package buildinfo

import "runtime/debug"

// VCS is the version control state the go command records for a build in
// a checkout (-buildvcs, on by default there; cmd/go, "go help
// buildinfo"): the vcs.revision, vcs.time and vcs.modified settings.
type VCS struct {
	// Revision is the commit, in full; "" when none was recorded.
	Revision string
	// Time is the commit's time (RFC 3339).
	Time string
	// Modified is "true" when the checkout had uncommitted changes,
	// "false" when it had none, and "" when nothing was recorded.
	Modified string
}

// VCSOf returns the version control state recorded in bi.
func VCSOf(bi *debug.BuildInfo) VCS {
	var v VCS
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			v.Revision = s.Value
		case "vcs.time":
			v.Time = s.Value
		case "vcs.modified":
			v.Modified = s.Value
		}
	}
	return v
}

// PinsCode reports whether bi identifies the code it was built from: a
// module version with its checksum (`go install ...@v1.2.3`), or a VCS
// revision recorded without local modifications (a build in a clean
// clone). A pseudo-version alone does not: Go 1.24 and later derive one
// in a dirty checkout too.
func PinsCode(bi *debug.BuildInfo) bool {
	if bi == nil {
		return false
	}
	if bi.Main.Version != "" && bi.Main.Version != "(devel)" && bi.Main.Sum != "" {
		return true
	}
	v := VCSOf(bi)
	return v.Revision != "" && v.Modified == "false"
}
