package disk

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestIsTempName(t *testing.T) {
	for name, want := range map[string]bool{
		".main.tf.wigen-123456.tmp": true,
		".README.md.wigen-7.tmp":    true,
		".a.wigen-1.tmp":            true,
		"main.tf.wigen-1.tmp":       false, // no leading '.'
		".main.tf.wigen-.tmp":       false, // no digits
		".main.tf.wigen-12a.tmp":    false,
		".main.tf.wigen-12.tmp.bak": false,
		".wigen-12.tmp":             false, // no file name
		"main.tf":                   false,
		".terraform.lock.hcl":       false,
		".main.tf.wigen-12.tmp~":    false,
	} {
		if got := IsTempName(name); got != want {
			t.Errorf("IsTempName(%q) = %v, want %v", name, got, want)
		}
	}
	if p := tempPattern("/x/main.tf"); !IsTempName(filepathBase(p, "4242")) {
		t.Errorf("tempPattern %q makes names IsTempName does not recognise", p)
	}
}

func filepathBase(pattern, digits string) string {
	return filepath.Base(pattern[:len(pattern)-len("*.tmp")] + digits + ".tmp")
}

// A render killed between creating a temporary file and renaming it leaves
// it behind (empty, mode 0600, or holding a whole generated file). Such a
// file is wigen's by its name: never a generated output to remove or a
// file in the way, but a leftover that makes the tree out of date and that
// RemoveLeftovers deletes. Before, an empty one was not seen at all (and
// git add committed it), and one holding a generated file was taken for
// an extra output: a concurrent render's live temporary file was removed.
func TestLeftovers(t *testing.T) {
	root := t.TempDir()
	apply(t, root, render1)
	empty := filepath.Join(root, "terraform/prod/.main.tf.wigen-2961.tmp")
	full := filepath.Join(root, "terraform/dev/.main.tf.wigen-77.tmp")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(full, render1[1].Data, 0o600); err != nil {
		t.Fatal(err)
	}
	p := mustPlan(t, root, render1)
	if diff := cmp.Diff([]string{"terraform/dev/.main.tf.wigen-77.tmp", "terraform/prod/.main.tf.wigen-2961.tmp"}, p.Leftovers); diff != "" {
		t.Errorf("Leftovers (-want +got):\n%s", diff)
	}
	if n := len(p.Changed()); n != 0 {
		t.Errorf("Changed = %v, want none (a temporary file is no output)", p.Changed())
	}
	if p.UpToDate() {
		t.Error("UpToDate with leftovers, want false")
	}
	var removed []string
	if err := p.RemoveLeftovers(func(rel string) { removed = append(removed, rel) }); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(p.Leftovers, removed); diff != "" {
		t.Errorf("removed (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want(render1, nil), tree(t, root)); diff != "" {
		t.Errorf("tree after RemoveLeftovers (-want +got):\n%s", diff)
	}
	if p := mustPlan(t, root, render1); !p.UpToDate() {
		t.Errorf("not up to date after RemoveLeftovers: %v %v", p.Changed(), p.Leftovers)
	}
}

// A generated file an editor saved with a UTF-8 byte order mark is still
// wigen's: it is updated (rewritten without the mark), not refused as a
// file wigen does not own.
func TestBOMHeader(t *testing.T) {
	root := t.TempDir()
	apply(t, root, render1)
	name := filepath.Join(root, "terraform/prod/main.tf")
	if err := os.WriteFile(name, append([]byte("\xef\xbb\xbf"), render1[2].Data...), 0o644); err != nil {
		t.Fatal(err)
	}
	p := mustPlan(t, root, render1)
	if got := actions(p)["terraform/prod/main.tf"]; got != Update {
		t.Fatalf("action = %v, want update", got)
	}
	if err := p.Apply(nil); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want(render1, nil), tree(t, root)); diff != "" {
		t.Errorf("tree (-want +got):\n%s", diff)
	}
}
