package disk

import (
	"bytes"
	"io"

	"github.com/rogpeppe/go-internal/diff"
)

// WriteDiff writes the plan's changes as one unified diff: paths prefixed
// "a/" (disk) and "b/" (render), "/dev/null" for a created or removed
// file. It is a traditional unified diff, without git's "diff --git"
// headers, on purpose: git apply takes the paths of a git-format patch as
// relative to the top of the repository (and skips those outside the
// folder it runs in), but those of a traditional one as relative to the
// folder it runs in, as patch -p1 does. So when display names files
// relative to the current folder, `git apply` or `patch -p1` run there
// applies the diff, in a repository or not. display maps a path relative
// to the root to the path shown (with '/' separators). The hunks come from
// github.com/rogpeppe/go-internal/diff (the Go project's anchored diff).
// A Large change is left out: its old content was not read.
func (p *Plan) WriteDiff(w io.Writer, display func(string) string) error {
	for _, c := range p.Changes {
		if c.Action == Unchanged || c.Large {
			continue // a Large file's content is not read: the caller names it
		}
		name := display(c.Path)
		a, b := "a/"+name, "b/"+name
		switch c.Action {
		case Create:
			a = "/dev/null"
		case Remove:
			b = "/dev/null"
		}
		d := diff.Diff(a, c.Old, b, c.New)
		// Drop diff.Diff's own "diff A B" line: the "---" and "+++" lines
		// name the files.
		if i := bytes.IndexByte(d, '\n'); i >= 0 {
			d = d[i+1:]
		}
		if _, err := w.Write(d); err != nil {
			return err
		}
	}
	return nil
}
