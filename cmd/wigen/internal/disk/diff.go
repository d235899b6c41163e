package disk

import (
	"bytes"
	"fmt"
	"io"

	"github.com/rogpeppe/go-internal/diff"
)

// WriteDiff writes the plan's changes as one unified diff in git's format:
// paths prefixed "a/" (disk) and "b/" (render), "/dev/null" for a created
// or removed file, so `git apply` or `patch -p1` run from the current
// folder applies it. display maps a path relative to the root to the path
// shown (with '/' separators). The hunks come from
// github.com/rogpeppe/go-internal/diff (the Go project's anchored diff).
func (p *Plan) WriteDiff(w io.Writer, display func(string) string) error {
	for _, c := range p.Changes {
		if c.Action == Unchanged {
			continue
		}
		name := display(c.Path)
		a, b := "a/"+name, "b/"+name
		var head bytes.Buffer
		fmt.Fprintf(&head, "diff --git %s %s\n", a, b)
		switch c.Action {
		case Create:
			fmt.Fprintf(&head, "new file mode 100%o\n", c.mode)
			a = "/dev/null"
		case Remove:
			fmt.Fprintf(&head, "deleted file mode 100%o\n", c.mode)
			b = "/dev/null"
		}
		d := diff.Diff(a, c.Old, b, c.New)
		// Drop diff.Diff's own "diff A B" line; git's header replaces it.
		if i := bytes.IndexByte(d, '\n'); i >= 0 {
			d = d[i+1:]
		}
		if _, err := w.Write(head.Bytes()); err != nil {
			return err
		}
		if _, err := w.Write(d); err != nil {
			return err
		}
	}
	return nil
}
