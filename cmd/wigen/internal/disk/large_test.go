package disk

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wigen-dev/wigen/generate/output"
)

// bigOwned makes the file at rel under root wigen's (its header) and size
// bytes long (sparse: the rest reads as NUL bytes).
func bigOwned(t *testing.T, root, rel string, size int64) {
	t.Helper()
	name := filepath.Join(root, filepath.FromSlash(rel))
	must(t, os.MkdirAll(filepath.Dir(name), 0o755))
	must(t, os.WriteFile(name, []byte(output.Header(rel, "wigen.yaml")), 0o644))
	must(t, os.Truncate(name, size))
}

// A file of wigen's far larger than any render (past MaxCompareBytes), at
// a rendered path or an extra one, is not read whole: the plan updates or
// removes it as Large, without its content, and the diff leaves it out;
// the render still rewrites it. A file past the limit that is not wigen's
// is refused as before.
func TestLargeFileIsNotRead(t *testing.T) {
	root := t.TempDir()
	apply(t, root, render1)
	bigOwned(t, root, "terraform/prod/main.tf", MaxCompareBytes+1)
	bigOwned(t, root, "terraform/old/main.tf", MaxCompareBytes+1)
	p := mustPlan(t, root, render1)
	got := map[string]Change{}
	for _, c := range p.Changed() {
		got[c.Path] = c
	}
	if c := got["terraform/prod/main.tf"]; c.Action != Update || !c.Large || c.Old != nil {
		t.Errorf("rendered large file: %v large %v old %d bytes, want a Large update without old content", c.Action, c.Large, len(c.Old))
	}
	if c := got["terraform/old/main.tf"]; c.Action != Remove || !c.Large || c.Old != nil {
		t.Errorf("extra large file: %v large %v old %d bytes, want a Large removal without old content", c.Action, c.Large, len(c.Old))
	}
	var d bytes.Buffer
	must(t, p.WriteDiff(&d, func(s string) string { return s }))
	if strings.Contains(d.String(), "main.tf") {
		t.Errorf("the diff holds a large file:\n%.300s", d.String())
	}
	must(t, p.Apply(func(Change) {}))
	if diff := cmp.Diff(want(render1, nil), tree(t, root)); diff != "" {
		t.Errorf("after apply (-want +got):\n%s", diff)
	}

	// Not wigen's: refused, whatever its size.
	name := filepath.Join(root, "terraform", "prod", "main.tf")
	must(t, os.WriteFile(name, []byte("mine\n"), 0o644))
	must(t, os.Truncate(name, MaxCompareBytes+1))
	if _, err := NewPlan(root, "wigen.yaml", render1); err == nil || !strings.Contains(err.Error(), "not written by wigen") {
		t.Errorf("large file not wigen's: err = %v, want a conflict", err)
	}
}
