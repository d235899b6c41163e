package disk

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wigen-dev/wigen/generate/output"
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

// Only the temporary name of a path this render writes is a leftover to
// remove: a user's file of that shape beside any other path stays, and so
// does the temporary file of another input's render at work in an output
// root nested in this one (B12: a render of the outer root deleted the
// inner render's files in flight, and it failed). Nothing inside a .git
// folder under the root is looked at, let alone removed, even a file
// carrying this input's header (D9).
func TestLeftoversOnlyOfRenderedPaths(t *testing.T) {
	root := t.TempDir()
	apply(t, root, render1)
	inner := filepath.Join(root, "inner")
	innerRender := []output.File{{Path: "terraform/prod/main.tf", Data: []byte(output.Header("terraform/prod/main.tf", "b.yaml") + "b = 1\n")}}
	apply(t, inner, innerRender)
	write := func(rel string, data []byte) {
		t.Helper()
		name := filepath.Join(root, filepath.FromSlash(rel))
		must(t, os.MkdirAll(filepath.Dir(name), 0o755))
		must(t, os.WriteFile(name, data, 0o600))
	}
	write("terraform/prod/.main.tf.wigen-5.tmp", nil)                           // this render's: a leftover
	write("terraform/prod/.notes.txt.wigen-3.tmp", []byte("mine\n"))            // a user's, beside no rendered path
	write("inner/terraform/prod/.main.tf.wigen-41.tmp", nil)                    // the inner render's, starting
	write("inner/terraform/prod/.outputs.tf.wigen-42.tmp", innerRender[0].Data) // the inner render's, written
	write(".git/.README.md.wigen-9.tmp", nil)
	write(".git/x.tf", render1[1].Data) // this input's header, inside .git

	p, err := NewPlan(root, "wigen.yaml", render1)
	var ce *ConflictError
	if !errors.As(err, &ce) {
		t.Fatalf("NewPlan with the inner root's files: %v, want the conflict with b.yaml", err)
	}
	for _, prob := range ce.Problems {
		if !strings.HasPrefix(prob.Path, "inner/") {
			t.Errorf("problem outside the inner root: %v", prob)
		}
	}
	// Without the inner root's finished files (the inner render is at
	// work: only its temporary files are there), the plan goes ahead and
	// leaves them alone.
	must(t, os.Remove(filepath.Join(inner, "terraform/prod/main.tf")))
	must(t, os.Remove(filepath.Join(inner, "terraform/prod/.outputs.tf.wigen-42.tmp")))
	p = mustPlan(t, root, render1)
	if diff := cmp.Diff([]string{"terraform/prod/.main.tf.wigen-5.tmp"}, p.Leftovers); diff != "" {
		t.Errorf("Leftovers (-want +got):\n%s", diff)
	}
	for _, c := range p.Changed() {
		t.Errorf("change %s %s, want none", c.Action, c.Path)
	}
	must(t, p.RemoveLeftovers(nil))
	for _, rel := range []string{"terraform/prod/.notes.txt.wigen-3.tmp", "inner/terraform/prod/.main.tf.wigen-41.tmp", ".git/.README.md.wigen-9.tmp", ".git/x.tf"} {
		if _, err := os.Stat(filepath.Join(root, filepath.FromSlash(rel))); err != nil {
			t.Errorf("%s: %v, want it kept", rel, err)
		}
	}
	if _, err := os.Stat(filepath.Join(root, "terraform/prod/.main.tf.wigen-5.tmp")); err == nil {
		t.Errorf("this render's leftover kept")
	}
}
