package disk

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/wigen-dev/wigen/generate/output"
)

// gen returns a generated file at p with body.
func gen(p, body string) output.File {
	return output.File{Path: p, Data: []byte(output.Header(p, "wigen.yaml") + body)}
}

var render1 = []output.File{
	gen("README.md", "top\n"),
	gen("terraform/dev/main.tf", "dev = 1\n"),
	gen("terraform/prod/main.tf", "prod = 1\n"),
	gen("terraform/prod/values.yaml", "a: 1\n"),
}

// tree reads every regular file under root into path -> content.
func tree(t *testing.T, root string) map[string]string {
	t.Helper()
	m := map[string]string{}
	err := filepath.WalkDir(root, func(name string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		data, err := os.ReadFile(name)
		rel, _ := filepath.Rel(root, name)
		m[filepath.ToSlash(rel)] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func want(files []output.File, extra map[string]string) map[string]string {
	m := map[string]string{}
	for _, f := range files {
		m[f.Path] = string(f.Data)
	}
	for k, v := range extra {
		m[k] = v
	}
	return m
}

func actions(p *Plan) map[string]Action {
	m := map[string]Action{}
	for _, c := range p.Changes {
		m[c.Path] = c.Action
	}
	return m
}

func mustPlan(t testing.TB, root string, files []output.File) *Plan {
	t.Helper()
	p, err := NewPlan(root, "wigen.yaml", files)
	if err != nil {
		t.Fatalf("NewPlan: %v", err)
	}
	return p
}

func apply(t testing.TB, root string, files []output.File) *Plan {
	t.Helper()
	p := mustPlan(t, root, files)
	if err := p.Apply(nil); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	return p
}

func TestCreateIntoMissingRoot(t *testing.T) {
	root := filepath.Join(t.TempDir(), "deploy")
	p := apply(t, root, render1)
	for _, c := range p.Changes {
		if c.Action != Create {
			t.Errorf("%s: %v, want create", c.Path, c.Action)
		}
	}
	if diff := cmp.Diff(want(render1, nil), tree(t, root)); diff != "" {
		t.Errorf("tree (-want +got):\n%s", diff)
	}
	info, err := os.Stat(filepath.Join(root, "terraform/prod/main.tf"))
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != DefaultFileMode {
		t.Errorf("mode %v, want %v", info.Mode().Perm(), DefaultFileMode)
	}
}

func TestRerunIsNoOp(t *testing.T) {
	root := filepath.Join(t.TempDir(), "deploy")
	apply(t, root, render1)
	old := time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)
	for _, f := range render1 {
		if err := os.Chtimes(filepath.Join(root, f.Path), old, old); err != nil {
			t.Fatal(err)
		}
	}
	p := mustPlan(t, root, render1)
	if n := len(p.Changed()); n != 0 {
		t.Fatalf("second plan has %d changes, want 0: %v", n, actions(p))
	}
	if p.Rendered() != len(render1) || p.Count(Unchanged) != len(render1) {
		t.Errorf("Rendered %d, Unchanged %d, want %d", p.Rendered(), p.Count(Unchanged), len(render1))
	}
	called := 0
	if err := p.Apply(func(Change) { called++ }); err != nil {
		t.Fatal(err)
	}
	if called != 0 {
		t.Errorf("Apply reported %d changes on an up-to-date tree", called)
	}
	for _, f := range render1 {
		info, err := os.Stat(filepath.Join(root, f.Path))
		if err != nil {
			t.Fatal(err)
		}
		if !info.ModTime().Equal(old) {
			t.Errorf("%s: mtime changed to %v", f.Path, info.ModTime())
		}
	}
}

func TestUpdateKeepsModeAndLeavesNoTempFiles(t *testing.T) {
	root := filepath.Join(t.TempDir(), "deploy")
	apply(t, root, render1)
	name := filepath.Join(root, "terraform/prod/main.tf")
	// A hand edit below the generated-file line: still wigen's file.
	if err := os.WriteFile(name, []byte(output.Header("main.tf", "wigen.yaml")+"prod = 2 # edited\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(name, 0o600); err != nil {
		t.Fatal(err)
	}
	p := mustPlan(t, root, render1)
	if diff := cmp.Diff(map[string]Action{
		"README.md": Unchanged, "terraform/dev/main.tf": Unchanged,
		"terraform/prod/main.tf": Update, "terraform/prod/values.yaml": Unchanged,
	}, actions(p)); diff != "" {
		t.Fatalf("actions (-want +got):\n%s", diff)
	}
	if err := p.Apply(nil); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want(render1, nil), tree(t, root)); diff != "" {
		t.Errorf("tree (-want +got):\n%s", diff)
	}
	info, err := os.Stat(name)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("mode %v after update, want the file's own 0600", info.Mode().Perm())
	}
}

func TestRemoveStaleFilesAndEmptiedFolders(t *testing.T) {
	root := filepath.Join(t.TempDir(), "deploy")
	apply(t, root, render1)
	// A user's own file in a folder wigen also uses, and an empty folder
	// the user made: both stay.
	user := "user notes\n"
	if err := os.WriteFile(filepath.Join(root, "terraform/prod/NOTES.txt"), []byte(user), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(root, "empty-by-user"), 0o755); err != nil {
		t.Fatal(err)
	}
	// dev is gone from the input; prod/values.yaml too.
	render2 := []output.File{render1[0], render1[2]}
	p := mustPlan(t, root, render2)
	if diff := cmp.Diff(map[string]Action{
		"README.md": Unchanged, "terraform/dev/main.tf": Remove,
		"terraform/prod/main.tf": Unchanged, "terraform/prod/values.yaml": Remove,
	}, actions(p)); diff != "" {
		t.Fatalf("actions (-want +got):\n%s", diff)
	}
	var done []string
	if err := p.Apply(func(c Change) { done = append(done, c.Action.String()+" "+c.Path) }); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"remove terraform/dev/main.tf", "remove terraform/prod/values.yaml"}, done); diff != "" {
		t.Errorf("reported (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want(render2, map[string]string{"terraform/prod/NOTES.txt": user}), tree(t, root)); diff != "" {
		t.Errorf("tree (-want +got):\n%s", diff)
	}
	if _, err := os.Stat(filepath.Join(root, "terraform/dev")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("terraform/dev should be removed once empty: %v", err)
	}
	if _, err := os.Stat(filepath.Join(root, "empty-by-user")); err != nil {
		t.Errorf("a folder wigen did not empty must stay: %v", err)
	}
	// Removing everything keeps the root itself.
	apply(t, root, nil)
	if _, err := os.Stat(filepath.Join(root, "terraform/prod/NOTES.txt")); err != nil {
		t.Errorf("user file: %v", err)
	}
	if _, err := os.Stat(filepath.Join(root, "README.md")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("README.md should be removed: %v", err)
	}
}

// A temporary file holding a generated file is a leftover, not an output
// to remove (see TestLeftovers).
func TestLeftoverTempFileIsRemoved(t *testing.T) {
	root := filepath.Join(t.TempDir(), "deploy")
	apply(t, root, render1)
	tmp := filepath.Join(root, "terraform/prod/.main.tf.wigen-123.tmp")
	if err := os.WriteFile(tmp, render1[2].Data, 0o600); err != nil {
		t.Fatal(err)
	}
	p := apply(t, root, render1)
	if _, ok := actions(p)["terraform/prod/.main.tf.wigen-123.tmp"]; ok || len(p.Leftovers) != 1 {
		t.Errorf("leftover temporary file: actions %v, leftovers %v; want it a leftover only", actions(p), p.Leftovers)
	}
	must(t, p.RemoveLeftovers(nil))
	if _, err := os.Stat(tmp); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("leftover not removed: %v", err)
	}
}

// conflictPaths returns the problems of err, which must be a *ConflictError.
func conflicts(t *testing.T, err error) []string {
	t.Helper()
	var ce *ConflictError
	if !errors.As(err, &ce) {
		t.Fatalf("err = %v, want a *ConflictError", err)
	}
	var out []string
	for _, p := range ce.Problems {
		out = append(out, p.Path+": "+p.Message)
	}
	return out
}

func TestUnownedFilesBlockEverything(t *testing.T) {
	root := filepath.Join(t.TempDir(), "deploy")
	must(t, os.MkdirAll(filepath.Join(root, "terraform/prod/values.yaml"), 0o755)) // a folder where a file goes
	must(t, os.MkdirAll(filepath.Join(root, "terraform"), 0o755))
	must(t, os.WriteFile(filepath.Join(root, "terraform/dev"), []byte("x\n"), 0o644)) // a file where a folder goes
	mine := "# my own main.tf\nprod = 0\n"
	must(t, os.WriteFile(filepath.Join(root, "terraform/prod/main.tf"), []byte(mine), 0o644))

	p, err := NewPlan(root, "wigen.yaml", render1)
	if p != nil {
		t.Fatalf("got a plan despite conflicts")
	}
	got := conflicts(t, err)
	wantProblems := []string{
		"terraform/dev: is a file where wigen needs a folder; move it away",
		`terraform/prod/main.tf: exists and was not written by wigen (its first line is not the "Code generated by wigen" line); wigen never overwrites a file it does not own: move or rename it`,
		"terraform/prod/values.yaml: is a folder where wigen writes a file; move it away",
	}
	if diff := cmp.Diff(wantProblems, got); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	// Nothing was written: README.md (free to create) is not there, the
	// user's file is intact.
	if _, err := os.Stat(filepath.Join(root, "README.md")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("README.md written despite conflicts: %v", err)
	}
	if data, _ := os.ReadFile(filepath.Join(root, "terraform/prod/main.tf")); string(data) != mine {
		t.Errorf("user file changed: %q", data)
	}
}

func TestRootIsAFile(t *testing.T) {
	root := filepath.Join(t.TempDir(), "deploy")
	must(t, os.WriteFile(root, []byte("x"), 0o644))
	_, err := NewPlan(root, "wigen.yaml", render1)
	if diff := cmp.Diff([]string{": is not a folder; move it away or set another spec.output"}, conflicts(t, err)); diff != "" {
		t.Error(diff)
	}
}

func TestSymlinks(t *testing.T) {
	outside := t.TempDir()
	secret := filepath.Join(outside, "main.tf")
	must(t, os.WriteFile(secret, render1[2].Data, 0o644)) // even a generated-looking file
	tests := []struct {
		name  string
		setup func(root string)
		want  []string
	}{{
		name: "folder on the way points outside",
		setup: func(root string) {
			must(t, os.MkdirAll(filepath.Join(root, "terraform"), 0o755))
			must(t, os.Symlink(outside, filepath.Join(root, "terraform/prod")))
		},
		want: []string{"terraform/prod: is a symbolic link pointing outside the output root; wigen refuses to work through it: remove it"},
	}, {
		name: "link elsewhere under the root points outside",
		setup: func(root string) {
			must(t, os.MkdirAll(root, 0o755))
			must(t, os.Symlink(outside, filepath.Join(root, "elsewhere")))
		},
		want: []string{"elsewhere: is a symbolic link pointing outside the output root; wigen refuses to work through it: remove it"},
	}, {
		name: "dangling link to an absolute outside path",
		setup: func(root string) {
			must(t, os.MkdirAll(root, 0o755))
			must(t, os.Symlink(filepath.Join(outside, "nope"), filepath.Join(root, "dangling")))
		},
		want: []string{"dangling: is a symbolic link pointing outside the output root; wigen refuses to work through it: remove it"},
	}, {
		name: "file link pointing inside, where wigen writes",
		setup: func(root string) {
			must(t, os.MkdirAll(filepath.Join(root, "terraform/prod"), 0o755))
			must(t, os.WriteFile(filepath.Join(root, "other.md"), render1[0].Data, 0o644))
			must(t, os.Symlink("../../other.md", filepath.Join(root, "terraform/prod/main.tf")))
		},
		want: []string{"terraform/prod/main.tf: is a symbolic link where wigen writes; wigen writes only regular files and folders under the output root: remove it"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := filepath.Join(t.TempDir(), "deploy")
			tt.setup(root)
			_, err := NewPlan(root, "wigen.yaml", render1)
			if diff := cmp.Diff(tt.want, conflicts(t, err)); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
			if data, _ := os.ReadFile(secret); !bytes.Equal(data, render1[2].Data) {
				t.Errorf("file outside the root changed")
			}
		})
	}

	t.Run("link inside pointing inside, off the write paths, is fine", func(t *testing.T) {
		root := filepath.Join(t.TempDir(), "deploy")
		apply(t, root, render1)
		must(t, os.Symlink("terraform/prod", filepath.Join(root, "current")))
		p := mustPlan(t, root, render1)
		if len(p.Changed()) != 0 {
			t.Errorf("changes through an inside link: %v", actions(p))
		}
	})
	t.Run("the root itself may be a link", func(t *testing.T) {
		dir := t.TempDir()
		real := filepath.Join(dir, "real")
		must(t, os.MkdirAll(real, 0o755))
		root := filepath.Join(dir, "deploy")
		must(t, os.Symlink("real", root))
		apply(t, root, render1)
		if diff := cmp.Diff(want(render1, nil), tree(t, real)); diff != "" {
			t.Errorf("tree (-want +got):\n%s", diff)
		}
		p := apply(t, root, render1[:1])
		if p.Count(Remove) != 3 {
			t.Errorf("removals through a linked root: %v", actions(p))
		}
	})
}

func TestUnsafePathsAreRefused(t *testing.T) {
	for _, p := range []string{"", ".", "..", "../x", "/etc/passwd", "a/../b", "a//b", "a/./b", "a/", `a\b`, "./a"} {
		_, err := NewPlan(t.TempDir(), "wigen.yaml", []output.File{gen(p, "x\n")})
		if err == nil || !strings.Contains(err.Error(), "not a clean path below the output root") {
			t.Errorf("%q: err = %v, want a refusal", p, err)
		}
	}
	_, err := NewPlan(t.TempDir(), "wigen.yaml", []output.File{gen("a", "1\n"), gen("a", "2\n")})
	if err == nil || !strings.Contains(err.Error(), "rendered twice") {
		t.Errorf("duplicate path: err = %v", err)
	}
	_, err = NewPlan(t.TempDir(), "wigen.yaml", []output.File{gen("a", "1\n"), gen("a/b/c", "2\n")})
	if err == nil || !strings.Contains(err.Error(), "a is rendered as a file and as a folder of a/b/c") {
		t.Errorf("file and folder: err = %v", err)
	}
}

func TestDiff(t *testing.T) {
	root := filepath.Join(t.TempDir(), "deploy")
	apply(t, root, render1)
	render2 := []output.File{
		gen("README.md", "top\n"),                   // unchanged
		gen("terraform/prod/main.tf", "prod = 2\n"), // updated
		gen("terraform/stage/main.tf", "s = 1\n"),   // created
		// terraform/dev/main.tf and terraform/prod/values.yaml removed
	}
	p := mustPlan(t, root, render2)
	var b bytes.Buffer
	if err := p.WriteDiff(&b, func(rel string) string { return "deploy/" + rel }); err != nil {
		t.Fatal(err)
	}
	const wantDiff = `--- a/deploy/terraform/dev/main.tf
+++ /dev/null
@@ -1,2 +0,0 @@
-# Code generated by wigen from wigen.yaml. DO NOT EDIT.
-dev = 1
--- a/deploy/terraform/prod/main.tf
+++ b/deploy/terraform/prod/main.tf
@@ -1,2 +1,2 @@
 # Code generated by wigen from wigen.yaml. DO NOT EDIT.
-prod = 1
+prod = 2
--- a/deploy/terraform/prod/values.yaml
+++ /dev/null
@@ -1,2 +0,0 @@
-# Code generated by wigen from wigen.yaml. DO NOT EDIT.
-a: 1
--- /dev/null
+++ b/deploy/terraform/stage/main.tf
@@ -0,0 +1,2 @@
+# Code generated by wigen from wigen.yaml. DO NOT EDIT.
+s = 1
`
	if diff := cmp.Diff(strings.Split(wantDiff, "\n"), strings.Split(b.String(), "\n")); diff != "" {
		t.Errorf("diff (-want +got):\n%s", diff)
	}

	// The diff is a patch git accepts: applied from the root's parent it
	// brings the tree to the render.
	git, err := exec.LookPath("git")
	if err != nil {
		t.Skip("git not on PATH: skipping git apply of the diff")
	}
	cmd := exec.Command(git, "apply", "-")
	cmd.Dir = filepath.Dir(root)
	cmd.Stdin = &b
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git apply: %v\n%s", err, out)
	}
	if p := mustPlan(t, root, render2); len(p.Changed()) != 0 {
		t.Errorf("after git apply of the diff, still out of date: %v", actions(p))
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
