package disk

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wigen-dev/wigen/generate/output"
)

// failAt makes the file operation *op fail with EPERM when its first
// argument is at or below the path rel of root, for the rest of the test.
func failAt[F any](t *testing.T, op *F, root, rel string, wrap func(match func(string) bool) F) {
	t.Helper()
	orig := *op
	t.Cleanup(func() { *op = orig })
	prefix := filepath.Join(root, filepath.FromSlash(rel))
	*op = wrap(func(name string) bool {
		return name == prefix || strings.HasPrefix(name, prefix+string(filepath.Separator))
	})
}

func failCreateTemp(t *testing.T, root, rel string) {
	orig := createTemp
	failAt(t, &createTemp, root, rel, func(match func(string) bool) func(string, string) (*os.File, error) {
		return func(dir, pattern string) (*os.File, error) {
			if match(dir) {
				return nil, &fs.PathError{Op: "open", Path: filepath.Join(dir, pattern), Err: syscall.EPERM}
			}
			return orig(dir, pattern)
		}
	})
}

func failMkdir(t *testing.T, root, rel string) {
	orig := mkdir
	failAt(t, &mkdir, root, rel, func(match func(string) bool) func(string, fs.FileMode) error {
		return func(name string, mode fs.FileMode) error {
			if match(name) {
				return &fs.PathError{Op: "mkdir", Path: name, Err: syscall.EACCES}
			}
			return orig(name, mode)
		}
	})
}

// failRename fails a rename whose source or target is at or below rel.
func failRename(t *testing.T, root, rel string) {
	orig := rename
	failAt(t, &rename, root, rel, func(match func(string) bool) func(string, string) error {
		return func(from, to string) error {
			if match(from) || match(to) {
				return &os.LinkError{Op: "rename", Old: from, New: to, Err: syscall.EIO}
			}
			return orig(from, to)
		}
	})
}

// temps lists the temporary files wigen left under root.
func temps(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(root, func(name string, d fs.DirEntry, err error) error {
		if err == nil && strings.Contains(d.Name(), ".wigen-") {
			out = append(out, name)
		}
		return nil
	})
	return out
}

// TestApplyPrepareFailureChangesNothing: when a file cannot be written
// (or a folder made, or a stale file removed), Apply names the target,
// not a temporary file, with the OS reason, and leaves the tree exactly as
// it was: no file replaced, none removed, no temporary file, no new folder.
func TestApplyPrepareFailureChangesNothing(t *testing.T) {
	// The next render: README.md and terraform/prod/main.tf change,
	// terraform/dev/main.tf and terraform/prod/values.yaml go away,
	// helm/stage/values.yaml is new.
	render2 := []output.File{
		gen("README.md", "top 2\n"),
		gen("helm/stage/values.yaml", "s: 1\n"),
		gen("terraform/prod/main.tf", "prod = 2\n"),
	}
	tests := []struct {
		name    string
		fail    func(t *testing.T, root string)
		wantErr string
	}{
		{"a folder refuses a new file", func(t *testing.T, root string) { failCreateTemp(t, root, "terraform/prod") },
			"cannot write terraform/prod/main.tf: operation not permitted"},
		{"a new folder cannot be made", func(t *testing.T, root string) { failMkdir(t, root, "helm/stage") },
			"cannot create the folder helm/stage: permission denied"},
		{"a stale file cannot be removed", func(t *testing.T, root string) { failRename(t, root, "terraform/dev") },
			"cannot remove terraform/dev/main.tf: input/output error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := filepath.Join(t.TempDir(), "deploy")
			apply(t, root, render1)
			before := tree(t, root)
			p := mustPlan(t, root, render2)
			tt.fail(t, root)
			var done []string
			err := p.Apply(func(c Change) { done = append(done, c.Path) })
			var ae *ApplyError
			if !errors.As(err, &ae) {
				t.Fatalf("Apply: %v, want an *ApplyError", err)
			}
			if ae.Error() != tt.wantErr || ae.Partial {
				t.Errorf("error %q (partial %v), want %q (partial false)", ae.Error(), ae.Partial, tt.wantErr)
			}
			if len(done) > 0 {
				t.Errorf("reported as done: %v", done)
			}
			if diff := cmp.Diff(before, tree(t, root)); diff != "" {
				t.Errorf("the tree changed (-before +after):\n%s", diff)
			}
			if left := temps(t, root); len(left) > 0 {
				t.Errorf("temporary files left: %v", left)
			}
			if _, err := os.Stat(filepath.Join(root, "helm")); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("the new folder helm stays after the failure: %v", err)
			}
		})
	}
}

// TestApplyCommitFailure: a rename that fails in the commit phase (rare:
// the folder changed under wigen) leaves the files renamed before it new,
// the others old, no temporary file, and the stale files in place; the
// error says the tree is partly updated.
func TestApplyCommitFailure(t *testing.T) {
	root := filepath.Join(t.TempDir(), "deploy")
	apply(t, root, render1)
	render2 := []output.File{
		gen("README.md", "top 2\n"),
		gen("terraform/prod/main.tf", "prod = 2\n"),
		gen("terraform/prod/values.yaml", "a: 2\n"),
	}
	p := mustPlan(t, root, render2)
	// Fail the rename of main.tf's temporary file into place only.
	orig := rename
	t.Cleanup(func() { rename = orig })
	target := filepath.Join(root, "terraform/prod/main.tf")
	rename = func(from, to string) error {
		if to == target {
			return &os.LinkError{Op: "rename", Old: from, New: to, Err: syscall.EIO}
		}
		return orig(from, to)
	}
	var done []string
	err := p.Apply(func(c Change) { done = append(done, c.Path) })
	var ae *ApplyError
	if !errors.As(err, &ae) || ae.Error() != "cannot replace terraform/prod/main.tf: input/output error" || !ae.Partial {
		t.Fatalf("Apply: %v (%#v), want a partial replace error on main.tf", err, ae)
	}
	if diff := cmp.Diff([]string{"README.md"}, done); diff != "" {
		t.Errorf("reported (-want +got):\n%s", diff)
	}
	partial := want(render1, nil)
	partial["README.md"] = string(render2[0].Data)
	if diff := cmp.Diff(partial, tree(t, root)); diff != "" {
		t.Errorf("tree (-want +got):\n%s", diff)
	}
	if left := temps(t, root); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
	// Once the cause is gone, a new plan finishes the job.
	rename = orig
	apply(t, root, render2)
	if diff := cmp.Diff(want(render2, nil), tree(t, root)); diff != "" {
		t.Errorf("tree after the rerun (-want +got):\n%s", diff)
	}
}

// TestOtherInputsFiles: files generated from another input under the
// output root are neither overwritten nor removed; each is a conflict
// naming both inputs, and nothing is written.
func TestOtherInputsFiles(t *testing.T) {
	root := filepath.Join(t.TempDir(), "deploy")
	apply(t, root, render1) // from wigen.yaml
	b := func(p, body string) output.File {
		return output.File{Path: p, Data: []byte(output.Header(p, "b.yaml") + body)}
	}
	before := tree(t, root)
	_, err := NewPlan(root, "b.yaml", []output.File{b("README.md", "b\n"), b("terraform/stage/main.tf", "s = 1\n")})
	const msg = " was generated from wigen.yaml, not b.yaml: two inputs cannot share an output root; give one of them another spec.output"
	wantProblems := []string{"README.md:" + msg, "terraform/dev/main.tf:" + msg, "terraform/prod/main.tf:" + msg, "terraform/prod/values.yaml:" + msg}
	if diff := cmp.Diff(wantProblems, conflicts(t, err)); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	var ce *ConflictError
	if errors.As(err, &ce) {
		for _, p := range ce.Problems {
			if p.Source != "wigen.yaml" {
				t.Errorf("%s: Source %q, want wigen.yaml", p.Path, p.Source)
			}
		}
		if !strings.HasPrefix(ce.Error(), "README.md was generated from wigen.yaml, not b.yaml:") {
			t.Errorf("Error() = %q", ce.Error())
		}
	}
	if diff := cmp.Diff(before, tree(t, root)); diff != "" {
		t.Errorf("the tree changed (-before +after):\n%s", diff)
	}

	// A generated-file line naming no input is taken as the input's own.
	must(t, os.WriteFile(filepath.Join(root, "old.md"), []byte("<!-- Code generated by wigen. DO NOT EDIT. -->\n"), 0o644))
	if p := mustPlan(t, root, render1); actions(p)["old.md"] != Remove {
		t.Errorf("old.md: %v, want remove", actions(p)["old.md"])
	}
}

// TestStateLeft: a removed Terraform module whose folder holds a state
// file or a .terraform folder is reported; one without, or one whose
// module is still rendered, is not.
func TestStateLeft(t *testing.T) {
	root := filepath.Join(t.TempDir(), "deploy")
	files := append([]output.File{gen("terraform/qa/main.tf", "qa = 1\n"), gen("terraform/qa/outputs.tf", "o = 1\n")}, render1...)
	output.Sort(files)
	apply(t, root, files)
	must(t, os.WriteFile(filepath.Join(root, "terraform/dev/terraform.tfstate"), []byte("{}\n"), 0o644))
	must(t, os.MkdirAll(filepath.Join(root, "terraform/dev/.terraform/providers"), 0o755))
	must(t, os.MkdirAll(filepath.Join(root, "terraform/prod/.terraform"), 0o755))
	// qa has no state; prod is still rendered (only values.yaml goes).
	render2 := []output.File{render1[0], render1[2]}
	p := mustPlan(t, root, render2)
	if diff := cmp.Diff([]StateDir{{Dir: "terraform/dev", Found: []string{"terraform.tfstate", ".terraform/"}}}, p.StateLeft); diff != "" {
		t.Errorf("StateLeft (-want +got):\n%s", diff)
	}
	if err := p.Apply(nil); err != nil {
		t.Fatal(err)
	}
	for _, keep := range []string{"terraform/dev/terraform.tfstate", "terraform/dev/.terraform/providers"} {
		if _, err := os.Stat(filepath.Join(root, keep)); err != nil {
			t.Errorf("%s must stay: %v", keep, err)
		}
	}
	if _, err := os.Stat(filepath.Join(root, "terraform/dev/main.tf")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("terraform/dev/main.tf should be removed: %v", err)
	}
}

// TestTerraformWorkDirIsNotWalked: the .terraform folder of a module is
// Terraform's: a symbolic link there into a plugin cache outside the root
// (TF_PLUGIN_CACHE_DIR) does not block a render, and a generated-looking
// file there is not removed.
func TestTerraformWorkDirIsNotWalked(t *testing.T) {
	root := filepath.Join(t.TempDir(), "deploy")
	apply(t, root, render1)
	cache := t.TempDir()
	providers := filepath.Join(root, "terraform/prod/.terraform/providers/registry.terraform.io/hashicorp")
	must(t, os.MkdirAll(providers, 0o755))
	must(t, os.Symlink(cache, filepath.Join(providers, "azurerm")))
	kept := filepath.Join(root, "terraform/prod/.terraform/modules.tf")
	must(t, os.WriteFile(kept, render1[2].Data, 0o644))
	p := mustPlan(t, root, render1)
	if len(p.Changed()) != 0 {
		t.Errorf("changes: %v", actions(p))
	}
	// A symbolic link leading out elsewhere is still refused.
	must(t, os.Symlink(cache, filepath.Join(root, "terraform/prod/cache")))
	_, err := NewPlan(root, "wigen.yaml", render1)
	if diff := cmp.Diff([]string{"terraform/prod/cache: is a symbolic link pointing outside the output root; wigen refuses to work through it: remove it"}, conflicts(t, err)); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
}
