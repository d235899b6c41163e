package disk

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestRootPathLinks: with Options.Input, the output root and every folder
// on the way to it from the input's folder must resolve below the input's
// folder. A symbolic link leading elsewhere is refused like a link under
// the root, and nothing is written through it; a link that stays inside
// is the user's choice.
func TestRootPathLinks(t *testing.T) {
	const outsideMsg = " and a symbolic link to %s, which is not below the input's folder; wigen writes only below the input's folder and refuses to work through the link: make it a real folder, or set another spec.output"
	tests := []struct {
		name string
		// setup makes links in dir (the input's folder) and returns the
		// output root, relative to dir, and what the link points to.
		setup func(t *testing.T, dir, outside string) (root, target string)
		// at is the problem's Path ("" for the root); ok: no problem.
		at   string
		what string
		ok   bool
	}{{
		name: "root is a link outside",
		setup: func(t *testing.T, dir, outside string) (string, string) {
			must(t, os.Symlink(outside, filepath.Join(dir, "link")))
			return "link", outside
		},
		what: "the output root",
	}, {
		name: "folder on the way is a link outside",
		setup: func(t *testing.T, dir, outside string) (string, string) {
			must(t, os.Symlink(outside, filepath.Join(dir, "mid")))
			return "mid/deploy", outside
		},
		at: "..", what: "a folder on the way to the output root",
	}, {
		name: "relative link out of the folder",
		setup: func(t *testing.T, dir, outside string) (string, string) {
			must(t, os.MkdirAll(filepath.Join(dir, "a"), 0o755))
			rel, err := filepath.Rel(filepath.Join(dir, "a"), outside)
			must(t, err)
			must(t, os.Symlink(rel, filepath.Join(dir, "a", "b")))
			return "a/b/deploy", outside
		},
		at: "..", what: "a folder on the way to the output root",
	}, {
		name: "dangling link outside",
		setup: func(t *testing.T, dir, outside string) (string, string) {
			must(t, os.Symlink(filepath.Join(outside, "nope"), filepath.Join(dir, "link")))
			return "link", filepath.Join(outside, "nope")
		},
		what: "the output root",
	}, {
		name: "root links to the input's folder itself",
		setup: func(t *testing.T, dir, outside string) (string, string) {
			must(t, os.Symlink(".", filepath.Join(dir, "link")))
			return "link", dir
		},
		what: "the output root",
	}, {
		name: "root links inside",
		setup: func(t *testing.T, dir, outside string) (string, string) {
			must(t, os.MkdirAll(filepath.Join(dir, "real"), 0o755))
			must(t, os.Symlink("real", filepath.Join(dir, "deploy")))
			return "deploy", ""
		},
		ok: true,
	}, {
		name: "folder on the way links to the input's folder",
		setup: func(t *testing.T, dir, outside string) (string, string) {
			must(t, os.Symlink(".", filepath.Join(dir, "here")))
			return "here/deploy", ""
		},
		ok: true,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, err := filepath.EvalSymlinks(t.TempDir())
			must(t, err)
			outside, err := filepath.EvalSymlinks(t.TempDir())
			must(t, err)
			input := filepath.Join(dir, "wigen.yaml")
			must(t, os.WriteFile(input, []byte("input\n"), 0o644))
			rel, target := tt.setup(t, dir, outside)
			root := filepath.Join(dir, filepath.FromSlash(rel))
			p, err := NewPlanWith(root, "wigen.yaml", render1, Options{Input: input})
			if tt.ok {
				if err != nil {
					t.Fatalf("NewPlanWith: %v", err)
				}
				must(t, p.Apply(nil))
				return
			}
			want := []string{tt.at + ": is " + tt.what + strings.Replace(outsideMsg, "%s", target, 1)}
			if diff := cmp.Diff(want, conflicts(t, err)); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
			if entries, _ := os.ReadDir(outside); len(entries) != 0 {
				t.Errorf("written outside the input's folder: %v", entries)
			}
		})
	}

	// Without Options the root may be a link anywhere (NewPlan's callers
	// that know no input).
	dir := t.TempDir()
	outside := t.TempDir()
	must(t, os.Symlink(outside, filepath.Join(dir, "link")))
	mustPlan(t, filepath.Join(dir, "link"), render1)
}

// testInput is the Options.OtherInput of the tests: a file is an input
// when it reads "input" or "input output=DIR" (DIR relative to its folder,
// deploy by default).
func testInput(name string) (string, bool) {
	data, err := os.ReadFile(name)
	if err != nil || !strings.HasPrefix(string(data), "input") {
		return "", false
	}
	out := "deploy"
	if _, o, ok := strings.Cut(strings.TrimSpace(string(data)), "output="); ok {
		out = o
	}
	return filepath.Join(filepath.Dir(name), filepath.FromSlash(out)), true
}

// TestSameNameInputs: ownership goes by the input's base name, so another
// input of that name whose output root is this one, contains it or lies
// inside it is refused before anything is written, found above the root
// or under it. Inputs of that name whose roots are apart, files of that
// name that are not inputs, and the input itself are not.
func TestSameNameInputs(t *testing.T) {
	const remedy = "; give one of them a spec.output that neither contains nor lies inside the other's, or rename one of them"
	tests := []struct {
		name string
		// files are written under the temp folder: path -> content.
		files map[string]string
		// input and root are relative to the temp folder.
		input, root string
		want        []string
	}{{
		name:  "the report's case: ./wigen.yaml renders into sub/deploy, sub/wigen.yaml by default too",
		files: map[string]string{"wigen.yaml": "input output=sub/deploy", "sub/wigen.yaml": "input"},
		input: "sub/wigen.yaml", root: "sub/deploy",
		want: []string{"../../wigen.yaml: is another input named wigen.yaml, whose output root is this one: wigen tells inputs apart by their file name only, so each render would overwrite and remove the files of the other" + remedy},
	}, {
		name:  "the same, rendering the outer input",
		files: map[string]string{"wigen.yaml": "input output=sub/deploy", "sub/wigen.yaml": "input"},
		input: "wigen.yaml", root: "sub/deploy",
		want: []string{"../wigen.yaml: is another input named wigen.yaml, whose output root is this one: wigen tells inputs apart by their file name only, so each render would overwrite and remove the files of the other" + remedy},
	}, {
		name:  "another input's root contains this one",
		files: map[string]string{"wigen.yaml": "input output=out", "out/app/wigen.yaml": "input"},
		input: "out/app/wigen.yaml", root: "out/app/deploy",
		want: []string{"../../../wigen.yaml: is another input named wigen.yaml, whose output root contains this one: wigen tells inputs apart by their file name only, so a render of that input would remove the files of this one" + remedy},
	}, {
		name:  "another input inside this root",
		files: map[string]string{"wigen.yaml": "input", "deploy/app/wigen.yaml": "input"},
		input: "wigen.yaml", root: "deploy",
		want: []string{"app/wigen.yaml: is another input named wigen.yaml, inside this output root: wigen tells inputs apart by their file name only, so a render of this input would remove the files of that one; move it out of the output root, or rename one of them"},
	}, {
		name:  "apart: a team's input below the repository's, each with its own deploy",
		files: map[string]string{"wigen.yaml": "input", "team/wigen.yaml": "input"},
		input: "team/wigen.yaml", root: "team/deploy",
	}, {
		name:  "a file of that name that is not an input",
		files: map[string]string{"wigen.yaml": "just notes", "deploy/wigen.yaml": "notes", "sub/wigen.yaml": "input output=../deploy"},
		input: "sub/wigen.yaml", root: "sub/../deploy",
	}, {
		name:  "another name is told apart by ownership already",
		files: map[string]string{"wigen.yaml": "input output=sub/deploy", "sub/b.yaml": "input"},
		input: "sub/b.yaml", root: "sub/deploy",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for p, data := range tt.files {
				name := filepath.Join(dir, filepath.FromSlash(p))
				must(t, os.MkdirAll(filepath.Dir(name), 0o755))
				must(t, os.WriteFile(name, []byte(data), 0o644))
			}
			root := filepath.Join(dir, filepath.FromSlash(tt.root))
			input := filepath.Join(dir, filepath.FromSlash(tt.input))
			if tt.want == nil {
				p, err := NewPlanWith(root, filepath.Base(input), render1, Options{Input: input, OtherInput: testInput})
				if err != nil {
					t.Fatalf("NewPlanWith: %v", err)
				}
				must(t, p.Apply(nil))
				return
			}
			// Refused before the root exists, and once the other input
			// has rendered into it.
			for _, rendered := range []bool{false, true} {
				if rendered {
					apply(t, root, render1)
				}
				_, err := NewPlanWith(root, filepath.Base(input), render1[:1], Options{Input: input, OtherInput: testInput})
				if diff := cmp.Diff(tt.want, conflicts(t, err)); diff != "" {
					t.Errorf("rendered %t: problems (-want +got):\n%s", rendered, diff)
				}
			}
		})
	}
}
