package disk

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/wigen-dev/wigen/generate/output"
)

func sums(files []output.File) []FileSum {
	out := make([]FileSum, len(files))
	for i, f := range files {
		out[i] = Sum(f.Path, f.Data)
	}
	return out
}

// TestVerify: Verify is true on exactly the trees where a full plan finds
// nothing to do and no problem, or (any doubt is false) false on them too;
// never true where the full plan has something to say. Each case changes
// an up-to-date tree of render1 (with an input beside the root, so the
// input checks run too).
func TestVerify(t *testing.T) {
	other := gen("terraform/dev/main.tf", "dev = 2\n") // same size as render1[1], other content
	tests := []struct {
		name   string
		change func(t *testing.T, dir, root string)
		// ok: Verify must say true (the full plan is up to date). When
		// false, Verify must say false, whatever the full plan says.
		ok bool
	}{
		{"up to date", func(*testing.T, string, string) {}, true},
		{"a file of the user's", func(t *testing.T, _, root string) { write(t, root, "notes.txt", "mine\n") }, true},
		{"a file of the user's named like the input, not an input", func(t *testing.T, _, root string) { write(t, root, "wigen.yaml", "notes\n") }, true},
		{"another mode", func(t *testing.T, _, root string) { must(t, os.Chmod(filepath.Join(root, "README.md"), 0o600)) }, true},
		{"a generated-looking file and a link out in .terraform", func(t *testing.T, _, root string) {
			write(t, root, "terraform/prod/.terraform/x.tf", string(render1[2].Data))
			must(t, os.Symlink(t.TempDir(), filepath.Join(root, "terraform/prod/.terraform/providers")))
		}, true},
		{"a FIFO of the user's", func(t *testing.T, _, root string) {
			if err := mkfifo(filepath.Join(root, "fifo")); err != nil {
				t.Skip("no FIFO here:", err)
			}
		}, true},

		{"same size, other content", func(t *testing.T, _, root string) { write(t, root, other.Path, string(other.Data)) }, false},
		{"a line added", func(t *testing.T, _, root string) { write(t, root, "README.md", string(render1[0].Data)+"x\n") }, false},
		{"truncated", func(t *testing.T, _, root string) { write(t, root, "README.md", string(render1[0].Data[:10])) }, false},
		{"emptied", func(t *testing.T, _, root string) { write(t, root, "README.md", "") }, false},
		{"a file missing", func(t *testing.T, _, root string) {
			must(t, os.Remove(filepath.Join(root, "terraform/prod/values.yaml")))
		}, false},
		{"a folder missing", func(t *testing.T, _, root string) { must(t, os.RemoveAll(filepath.Join(root, "terraform/dev"))) }, false},
		{"a folder where a file goes", func(t *testing.T, _, root string) {
			must(t, os.Remove(filepath.Join(root, "README.md")))
			must(t, os.Mkdir(filepath.Join(root, "README.md"), 0o755))
		}, false},
		{"an extra file of this input", func(t *testing.T, _, root string) {
			write(t, root, "terraform/qa/main.tf", string(gen("terraform/qa/main.tf", "qa = 1\n").Data))
		}, false},
		{"a temporary file an interrupted render left", func(t *testing.T, _, root string) {
			write(t, root, "terraform/prod/.main.tf.wigen-123.tmp", string(render1[2].Data))
		}, false},
		{"an empty temporary file a killed render left", func(t *testing.T, _, root string) {
			// Not wigen's by its content: by its name (a leftover).
			write(t, root, "terraform/prod/.main.tf.wigen-4567.tmp", "")
		}, false},
		{"a temporary file at the root", func(t *testing.T, _, root string) { write(t, root, ".README.md.wigen-1.tmp", "part") }, false},
		{"a user's file named almost like a temporary file", func(t *testing.T, _, root string) {
			write(t, root, ".README.md.wigen-x1.tmp", "mine\n")
		}, true},
		{"a rendered file saved with a byte order mark", func(t *testing.T, _, root string) {
			write(t, root, "README.md", "\xef\xbb\xbf"+string(render1[0].Data))
		}, false},
		{"an extra file of this input saved with a byte order mark", func(t *testing.T, _, root string) {
			write(t, root, "terraform/qa/main.tf", "\xef\xbb\xbf"+string(gen("terraform/qa/main.tf", "qa = 1\n").Data))
		}, false},
		{"a FIFO where a rendered file goes", func(t *testing.T, _, root string) {
			name := filepath.Join(root, "README.md")
			must(t, os.Remove(name))
			if err := mkfifo(name); err != nil {
				t.Skip("no FIFO here:", err)
			}
		}, false},
		{"a file of another input", func(t *testing.T, _, root string) {
			write(t, root, "b.md", output.Header("b.md", "b.yaml")+"x\n")
		}, false},
		{"a file of this input in a .terraform folder wigen renders nothing in", func(t *testing.T, _, root string) {
			// Terraform's, wherever it is: skipped by both.
			write(t, root, "terraform/.terraform/x.md", output.Header("x.md", "wigen.yaml")+"x\n")
		}, true},
		{"a link inside the root", func(t *testing.T, _, root string) { must(t, os.Symlink("README.md", filepath.Join(root, "link"))) }, false},
		{"a link out of the root", func(t *testing.T, _, root string) { must(t, os.Symlink(t.TempDir(), filepath.Join(root, "link"))) }, false},
		{"a rendered file replaced by a link to the same content", func(t *testing.T, _, root string) {
			name := filepath.Join(root, "README.md")
			copyTo := filepath.Join(root, "copy.txt")
			must(t, os.Rename(name, copyTo))
			must(t, os.Symlink("copy.txt", name))
		}, false},
		{"a folder on the way replaced by a link to the same files", func(t *testing.T, _, root string) {
			must(t, os.Rename(filepath.Join(root, "terraform/prod"), filepath.Join(root, "prod-real")))
			must(t, os.Symlink("../prod-real", filepath.Join(root, "terraform/prod")))
		}, false},
		{"another input of the same name inside the root", func(t *testing.T, _, root string) { write(t, root, "app/wigen.yaml", "input") }, false},
		{"another input of the same name above, rendering into this root", func(t *testing.T, dir, _ string) { write(t, dir, "../wigen.yaml", "input output=work/deploy") }, false},
		{"the root gone", func(t *testing.T, _, root string) { must(t, os.RemoveAll(root)) }, false},
		{"the root a link out of the input's folder", func(t *testing.T, _, root string) {
			elsewhere := filepath.Join(t.TempDir(), "deploy")
			must(t, os.Rename(root, elsewhere))
			must(t, os.Symlink(elsewhere, root))
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "work")
			input := filepath.Join(dir, "wigen.yaml")
			write(t, dir, "wigen.yaml", "input")
			root := filepath.Join(dir, "deploy")
			opts := Options{Input: input, OtherInput: testInput}
			p, err := NewPlanWith(root, "wigen.yaml", render1, opts)
			must(t, err)
			must(t, p.Apply(nil))
			if ok, why := Verify(root, "wigen.yaml", sums(render1), opts); !ok {
				t.Fatalf("Verify of the tree just written: false (%s)", why)
			}
			tt.change(t, dir, root)
			ok, why := Verify(root, "wigen.yaml", sums(render1), opts)
			p, err = NewPlanWith(root, "wigen.yaml", render1, opts)
			upToDate := err == nil && p.UpToDate() && len(p.StateLeft) == 0
			switch {
			case ok && !upToDate:
				t.Fatalf("Verify: true, but the full plan has something to say (err %v)", err)
			case ok != tt.ok:
				t.Errorf("Verify: %t (%s), want %t; the full plan is up to date: %t", ok, why, tt.ok, upToDate)
			case !ok && why == "":
				t.Error("Verify: false without saying why")
			}
			t.Logf("Verify: %t %s", ok, why)
		})
	}
}

// TestVerifyRefusesWhatPlanningRefuses: sums with a path NewPlanWith
// refuses, twice the same path, or a path both file and folder are
// never verified.
func TestVerifyRefusesWhatPlanningRefuses(t *testing.T) {
	root := filepath.Join(t.TempDir(), "deploy")
	apply(t, root, render1)
	good := sums(render1)
	for name, bad := range map[string][]FileSum{
		"unclean":        append(append([]FileSum(nil), good...), FileSum{Path: "../x"}),
		"twice":          append(append([]FileSum(nil), good...), good[0]),
		"file-as-folder": append(append([]FileSum(nil), good...), FileSum{Path: "README.md/x"}),
	} {
		if ok, _ := Verify(root, "wigen.yaml", bad, Options{}); ok {
			t.Errorf("%s: verified", name)
		}
	}
	if ok, why := Verify(root, "wigen.yaml", good, Options{}); !ok {
		t.Errorf("good sums: not verified (%s)", why)
	}
}

// write writes data to rel under dir, making its folders.
func write(t *testing.T, dir, rel, data string) {
	t.Helper()
	name := filepath.Join(dir, filepath.FromSlash(rel))
	must(t, os.MkdirAll(filepath.Dir(name), 0o755))
	must(t, os.WriteFile(name, []byte(data), 0o644))
}
