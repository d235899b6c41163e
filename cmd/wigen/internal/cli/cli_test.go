package cli

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/wigen-dev/wigen/cmd/wigen/internal/lint"
	"github.com/wigen-dev/wigen/schema"
)

// fixture is a scratch folder holding an input file.
type fixture struct {
	t    *testing.T
	dir  string
	file string // the input file, absolute
	root string // the output root, absolute
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	data, err := os.ReadFile("testdata/two-envs.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	f := &fixture{t: t, dir: dir, file: filepath.Join(dir, "wigen.yaml"), root: filepath.Join(dir, "deploy")}
	f.write("wigen.yaml", string(data))
	return f
}

func (f *fixture) write(rel, data string) {
	f.t.Helper()
	name := filepath.Join(f.dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		f.t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) run(args ...string) (code int, stdout, stderr string) {
	var o, e bytes.Buffer
	code = RunWithInput(args, strings.NewReader(""), &o, &e)
	return code, o.String(), e.String()
}

// render renders the fixture and fails the test unless it succeeds.
func (f *fixture) render() {
	f.t.Helper()
	if code, _, stderr := f.run("render", "-f", f.file); code != ExitOK {
		f.t.Fatalf("render: exit %d\n%s", code, stderr)
	}
}

// outputFiles lists the files under the output root, relative to it.
func (f *fixture) outputFiles() []string {
	f.t.Helper()
	var out []string
	filepath.WalkDir(f.root, func(name string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			rel, _ := filepath.Rel(f.root, name)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	return out
}

// editGenerated appends a line to one rendered file, below its generated-file line.
func (f *fixture) editGenerated() string {
	f.t.Helper()
	files := f.outputFiles()
	if len(files) == 0 {
		f.t.Fatal("nothing rendered")
	}
	name := filepath.Join(f.root, filepath.FromSlash(files[0]))
	data, err := os.ReadFile(name)
	if err != nil {
		f.t.Fatal(err)
	}
	if err := os.WriteFile(name, append(data, "# hand edit\n"...), 0o644); err != nil {
		f.t.Fatal(err)
	}
	return files[0]
}

func TestExitCodes(t *testing.T) {
	tests := []struct {
		name  string
		setup func(f *fixture)
		args  func(f *fixture) []string
		code  int
		// stdout and stderr must contain these (when set).
		stdout, stderr string
	}{
		{name: "no arguments", args: none, code: ExitError, stderr: "Usage:"},
		{name: "help", args: fixed("-h"), code: ExitOK, stdout: "Commands:"},
		{name: "help command", args: fixed("help", "render"), code: ExitOK, stdout: "wigen render [-f FILE]"},
		{name: "unknown command", args: fixed("rendr"), code: ExitError, stderr: "wigen: unknown command \"rendr\"; did you mean wigen render?\n"},
		{name: "unknown command, another tool's word", args: fixed("check"), code: ExitError, stderr: "wigen: unknown command \"check\"; did you mean wigen render --check?\n"},
		{name: "unknown command, a prefix", args: fixed("val"), code: ExitError, stderr: "wigen: unknown command \"val\"; did you mean wigen validate?\n"},
		{name: "unknown command, nothing close", args: fixed("xyz"), code: ExitError, stderr: "wigen: unknown command \"xyz\"\nrun 'wigen -h' for usage\n"},
		{name: "help for an unknown command", args: fixed("help", "lnit"), code: ExitError, stderr: "wigen: unknown command \"lnit\"; did you mean wigen init?\n"},
		{name: "init into a missing folder", args: func(f *fixture) []string { return []string{"init", "-f", filepath.Join(f.dir, "a/b/c.yaml")} }, code: ExitError, stderr: "/a/b does not exist; create it first (mkdir -p "},
		{name: "flag before command", args: fixed("--check"), code: ExitError, stderr: "wigen: --check comes after a command, e.g. wigen render --check\n"},
		{name: "flag with value before command", args: fixed("-f=x.yaml"), code: ExitError, stderr: "wigen: -f comes after a command, e.g. wigen render -f=x.yaml\n"},
		{name: "lint flag before command", args: fixed("--env", "prod"), code: ExitError, stderr: "wigen: --env comes after a command, e.g. wigen lint --env prod\n"},
		{name: "-f with a value before command", args: fixed("-f", "my infra.yaml", "render"), code: ExitError, stderr: "wigen: -f comes after a command, e.g. wigen render -f 'my infra.yaml'\n"},
		{name: "unknown flag before command", args: fixed("-x"), code: ExitError, stderr: "wigen: unknown flag -x\nrun 'wigen -h' for usage\n"},
		{name: "-v", args: fixed("-v"), code: ExitOK, stdout: "wigen "},
		{name: "--version", args: fixed("--version"), code: ExitOK, stdout: "wigen "},
		{name: "-v with an argument", args: fixed("-v", "x"), code: ExitError, stderr: `wigen: -v takes no arguments, got "x"`},
		{name: "render -h", args: fixed("render", "-h"), code: ExitOK, stdout: "Example:"},
		{name: "validate -h", args: fixed("validate", "--help"), code: ExitOK, stdout: "Example:"},
		{name: "init -h", args: fixed("init", "-h"), code: ExitOK, stdout: "Example:"},
		{name: "schema -h", args: fixed("schema", "-h"), code: ExitOK, stdout: "Example:"},
		{name: "version -h", args: fixed("version", "-h"), code: ExitOK, stdout: "Example:"},
		{name: "lint -h", args: fixed("lint", "-h"), code: ExitOK, stdout: "| wigen lint --env "},
		{name: "lint bad flag", args: fixed("lint", "--nope"), code: ExitError, stderr: "unknown flag: --nope"},
		{name: "unknown flag", args: fixed("render", "--chek"), code: ExitError, stderr: "wigen: unknown flag: --chek\nrun 'wigen render -h' for usage\n"},
		{name: "bad flag value", args: fixed("render", "--check=maybe"), code: ExitError, stderr: `"maybe" is not true or false`},
		{name: "stray argument", args: fixed("validate", "wigen.yaml"), code: ExitError, stderr: `wigen: validate takes no arguments, got "wigen.yaml"`},
		{name: "version", args: fixed("version"), code: ExitOK, stdout: "wigen "},
		{name: "schema", args: fixed("schema"), code: ExitOK, stdout: string(schema.JSONSchema)},

		{name: "validate valid", args: withFile("validate"), code: ExitOK, stdout: ": valid: 2 environments, targets terraform, helm, kustomize\n"},
		{name: "validate invalid", setup: breakInput, args: withFile("validate"), code: ExitError, stderr: `spec.environments[1].namespace: "Open_WebUI" is not a valid namespace`},
		{name: "validate missing file", args: func(f *fixture) []string { return []string{"validate", "-f", filepath.Join(f.dir, "nope.yaml")} }, code: ExitError, stderr: "no such file"},

		{name: "render into an empty folder", args: withFile("render"), code: ExitOK, stdout: " created, 0 updated, 0 removed, 0 unchanged\n"},
		{name: "render --exit-code writing", args: withFile("render", "--exit-code"), code: ExitChanged, stdout: "created "},
		{name: "render --exit-code clean", setup: rendered, args: withFile("render", "--exit-code"), code: ExitOK, stdout: "up to date"},
		{name: "render again", setup: rendered, args: withFile("render"), code: ExitOK, stdout: "up to date"},
		{name: "render invalid input", setup: breakInput, args: withFile("render"), code: ExitError, stderr: "is not a valid namespace"},
		{name: "render with an unowned file in the way", setup: unowned, args: withFile("render"), code: ExitError, stderr: "was not written by wigen"},
		{name: "render I/O failure", setup: rootBelowFile, args: withFile("render"), code: ExitError, stderr: "not a directory"},

		{name: "render that replaces an identity", setup: renamedIdentity, args: withFile("render"), code: ExitError, stderr: "wigen: nothing written: the change would replace 1 object"},
		{name: "render --allow-replace", setup: renamedIdentity, args: withFile("render", "--allow-replace"), code: ExitOK, stdout: "updated ", stderr: "wigen: warning: environment "},
		{name: "check a render that replaces", setup: renamedIdentity, args: withFile("render", "--check"), code: ExitChanged, stdout: "stale ", stderr: "wigen: warning: environment "},
		{name: "diff a render that replaces", setup: renamedIdentity, args: withFile("render", "--diff"), code: ExitChanged, stderr: "wigen: warning: environment "},

		{name: "check before any render", args: withFile("render", "--check"), code: ExitChanged, stdout: "missing "},
		{name: "check clean", setup: rendered, args: withFile("render", "--check"), code: ExitOK, stdout: "up to date"},
		{name: "check after a hand edit", setup: edited, args: withFile("render", "--check"), code: ExitChanged, stdout: "stale "},
		{name: "check with an unowned file in the way", setup: unowned, args: withFile("render", "--check"), code: ExitError, stderr: "was not written by wigen"},
		{name: "check invalid input", setup: breakInput, args: withFile("render", "--check"), code: ExitError},
		{name: "diff clean", setup: rendered, args: withFile("render", "--diff"), code: ExitOK},
		{name: "diff after a hand edit", setup: edited, args: withFile("render", "--diff"), code: ExitChanged, stdout: "-# hand edit\n"},
		{name: "check and diff", setup: edited, args: withFile("render", "--check", "--diff"), code: ExitChanged, stdout: "stale "},
		{name: "check with exit-code", setup: edited, args: withFile("render", "--check", "--exit-code"), code: ExitError, stderr: "wigen: --exit-code goes with neither --check nor --diff: --check writes nothing"},
		{name: "diff with exit-code", setup: edited, args: withFile("render", "--exit-code", "--diff"), code: ExitError, stderr: "wigen: --exit-code goes with neither --check nor --diff: --diff writes nothing"},
		{name: "render -f empty", args: fixed("render", "-f", ""), code: ExitError, stderr: "wigen: -f needs a file name\nrun 'wigen render -h' for usage\n"},
		{name: "validate -f empty", args: fixed("validate", "-f", ""), code: ExitError, stderr: "wigen: -f needs a file name\n"},
		{name: "init -f empty", args: fixed("init", "-f", ""), code: ExitError, stderr: "wigen: -f needs a file name\n"},
		{name: "render -f -", args: fixed("render", "-f", "-"), code: ExitError, stderr: "wigen: -f -: reading the input from stdin is not supported: give a file, e.g. -f wigen.yaml\nrun 'wigen render -h' for usage\n"},
		{name: "validate -f -", args: fixed("validate", "-f", "-"), code: ExitError, stderr: "wigen: -f -: reading the input from stdin is not supported: give a file, e.g. -f wigen.yaml\n"},
		{name: "init -f - prints the starter", args: fixed("init", "-f", "-"), code: ExitOK, stdout: "apiVersion: wigen/v1alpha1\n"},
		{name: "lint -f -", args: fixed("lint", "-f", "-"), code: ExitError, stderr: "wigen: -f -: reading the input from stdin is not supported: give a file, e.g. -f wigen.yaml\nrun 'wigen lint -h' for usage\n"},
		{name: "render a folder", setup: inputIsFolder, args: inFolder("render"), code: ExitError, stderr: "folder.yaml is a folder, not an input file; name the input file with -f FILE\n"},
		{name: "validate a folder", setup: inputIsFolder, args: inFolder("validate"), code: ExitError, stderr: "folder.yaml is a folder, not an input file; name the input file with -f FILE\n"},
		{name: "lint -f empty", args: fixed("lint", "-f", ""), code: ExitError, stderr: "wigen: -f needs a file name\nrun 'wigen lint -h' for usage\n"},
		{name: "lint a folder", setup: inputIsFolder, args: inFolder("lint"), code: ExitError, stderr: "folder.yaml is a folder, not an input file; name the input file with -f FILE\n"},
		{name: "init on a folder", setup: inputIsFolder, args: inFolder("init"), code: ExitError, stderr: "folder.yaml is a folder; init writes a file: name a new one with -f FILE\n"},

		{name: "init", args: func(f *fixture) []string { return []string{"init", "-f", filepath.Join(f.dir, "new.yaml")} }, code: ExitOK, stdout: "wrote "},
		{name: "init never overwrites", args: withFile("init"), code: ExitError, stderr: "exists; init never overwrites a file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			if tt.setup != nil {
				tt.setup(f)
			}
			code, stdout, stderr := f.run(tt.args(f)...)
			if code != tt.code {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, stdout, stderr)
			}
			if !strings.Contains(stdout, tt.stdout) {
				t.Errorf("stdout does not contain %q:\n%s", tt.stdout, stdout)
			}
			if !strings.Contains(stderr, tt.stderr) {
				t.Errorf("stderr does not contain %q:\n%s", tt.stderr, stderr)
			}
			if code == ExitError && tt.stderr != "" && tt.stderr != "Usage:" && !strings.HasPrefix(stderr, "wigen: ") && !strings.Contains(stderr, ".yaml:") {
				t.Errorf("an error must start with \"wigen: \" or be a positioned diagnostic:\n%s", stderr)
			}
		})
	}
}

func none(*fixture) []string { return nil }

func fixed(args ...string) func(*fixture) []string {
	return func(*fixture) []string { return args }
}

func withFile(args ...string) func(*fixture) []string {
	return func(f *fixture) []string { return append(append([]string(nil), args...), "-f", f.file) }
}

func rendered(f *fixture) { f.render() }

// inputIsFolder makes a folder where an input file is named.
func inputIsFolder(f *fixture) {
	if err := os.Mkdir(filepath.Join(f.dir, "folder.yaml"), 0o755); err != nil {
		f.t.Fatal(err)
	}
}

func inFolder(cmd string) func(*fixture) []string {
	return func(f *fixture) []string { return []string{cmd, "-f", filepath.Join(f.dir, "folder.yaml")} }
}

func edited(f *fixture) {
	f.render()
	f.editGenerated()
}

func breakInput(f *fixture) {
	data, err := os.ReadFile(f.file)
	if err != nil {
		f.t.Fatal(err)
	}
	s := strings.Replace(string(data), "    - name: prod\n", "    - name: prod\n      namespace: Open_WebUI\n", 1)
	f.write("wigen.yaml", s)
}

// renamedIdentity renders, then renames the first environment's identity.
func renamedIdentity(f *fixture) {
	f.render()
	data, err := os.ReadFile(f.file)
	if err != nil {
		f.t.Fatal(err)
	}
	s := strings.Replace(string(data), "        name: id-", "        name: id-renamed-", 1)
	if s == string(data) {
		f.t.Fatal("the fixture names no identity to rename")
	}
	f.write("wigen.yaml", s)
}

// unowned renders, then replaces one rendered file by a file of the user's.
func unowned(f *fixture) {
	f.render()
	rel := f.outputFiles()[0]
	f.write("deploy/"+rel, "my own file\n")
}

// rootBelowFile makes the output root's parent a regular file.
func rootBelowFile(f *fixture) {
	data, err := os.ReadFile(f.file)
	if err != nil {
		f.t.Fatal(err)
	}
	f.write("wigen.yaml", strings.Replace(string(data), "spec:\n", "spec:\n  output: gen/deploy\n", 1))
	f.write("gen", "a file, not a folder\n")
}

// TestRenderWritesNothingOnError checks that invalid input and a conflict
// leave the disk exactly as it was.
func TestRenderWritesNothingOnError(t *testing.T) {
	t.Run("invalid input", func(t *testing.T) {
		f := newFixture(t)
		breakInput(f)
		if code, _, _ := f.run("render", "-f", f.file); code != ExitError {
			t.Fatalf("exit %d, want %d", code, ExitError)
		}
		if _, err := os.Stat(f.root); err == nil {
			t.Errorf("the output root was created for an invalid input")
		}
	})
	t.Run("unowned file", func(t *testing.T) {
		f := newFixture(t)
		f.render()
		before := f.outputFiles()
		// Remove one generated file (render would create it) and put a
		// user file where another goes.
		if err := os.Remove(filepath.Join(f.root, filepath.FromSlash(before[1]))); err != nil {
			t.Fatal(err)
		}
		f.write("deploy/"+before[0], "my own file\n")
		code, stdout, stderr := f.run("render", "-f", f.file)
		if code != ExitError {
			t.Fatalf("exit %d, want %d", code, ExitError)
		}
		wantErr := "wigen: " + filepath.ToSlash(filepath.Join(f.root, before[0])) + " exists and was not written by wigen"
		if !strings.HasPrefix(stderr, wantErr) || !strings.HasSuffix(stderr, "wigen: nothing written\n") {
			t.Errorf("stderr:\n%s\nwant it to start with %q and end with the nothing-written line", stderr, wantErr)
		}
		if stdout != "" {
			t.Errorf("stdout should be empty, got:\n%s", stdout)
		}
		if data, _ := os.ReadFile(filepath.Join(f.root, filepath.FromSlash(before[0]))); string(data) != "my own file\n" {
			t.Errorf("the user's file changed: %q", data)
		}
		if _, err := os.Stat(filepath.Join(f.root, filepath.FromSlash(before[1]))); err == nil {
			t.Errorf("%s was written despite the conflict", before[1])
		}
	})
}

// TestRenderOutput checks the lines render prints, and that paths are
// shown as -f names the input.
func TestRenderOutput(t *testing.T) {
	f := newFixture(t)
	t.Chdir(f.dir)
	code, stdout, _ := f.run("render")
	if code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	files := f.outputFiles()
	var want strings.Builder
	for _, p := range files {
		want.WriteString("created deploy/" + p + "\n")
	}
	want.WriteString("deploy: " + strconv.Itoa(len(files)) + " created, 0 updated, 0 removed, 0 unchanged\n")
	if stdout != want.String() {
		t.Errorf("stdout:\n%s\nwant:\n%s", stdout, want.String())
	}

	edited := f.editGenerated()
	code, stdout, _ = f.run("render", "--check")
	wantCheck := "stale   deploy/" + edited + "\n" +
		"deploy: out of date: 1 stale, 0 missing, 0 extra; run \"wigen render\" to update it\n"
	if code != ExitChanged || stdout != wantCheck {
		t.Errorf("check: exit %d, stdout:\n%s\nwant exit 1 and:\n%s", code, stdout, wantCheck)
	}
	code, stdout, _ = f.run("render")
	wantRender := "updated deploy/" + edited + "\n" +
		"deploy: 0 created, 1 updated, 0 removed, " + strconv.Itoa(len(files)-1) + " unchanged\n"
	if code != ExitOK || stdout != wantRender {
		t.Errorf("render: exit %d, stdout:\n%s\nwant exit 0 and:\n%s", code, stdout, wantRender)
	}
	code, stdout, _ = f.run("render", "--check")
	if wantClean := "deploy: up to date, " + strconv.Itoa(len(files)) + " files\n"; code != ExitOK || stdout != wantClean {
		t.Errorf("check after render: exit %d, stdout %q, want 0 and %q", code, stdout, wantClean)
	}
}

// TestStarterValidates checks that what `wigen init` writes is valid as
// written, with no warnings, and that its IDs are obviously fake.
func TestStarterValidates(t *testing.T) {
	data, err := Starter()
	if err != nil {
		t.Fatal(err)
	}
	s, err := schema.LoadBytes("wigen.yaml", data)
	if err != nil {
		t.Fatalf("the starter is invalid:\n%v", err)
	}
	if len(s.Warnings) > 0 {
		t.Errorf("the starter has warnings:\n%v", s.Warnings)
	}
	if !bytes.HasPrefix(data, []byte("# yaml-language-server: $schema="+SchemaURL+"\n")) {
		t.Errorf("the starter does not begin with the schema line")
	}
	for _, e := range s.Spec.Environments {
		for _, id := range []string{e.TenantID, e.SubscriptionID} {
			hex := strings.ReplaceAll(id, "-", "")
			if hex[0] == '0' || strings.Trim(hex, hex[:1]) != "" {
				t.Errorf("%q is not an obviously fake GUID (one nonzero digit repeated)", id)
			}
		}
	}
}

// TestHintsQuotePaths: the commands wigen suggests can be pasted as they
// are, even for a path with a space or a quote.
func TestHintsQuotePaths(t *testing.T) {
	f := newFixture(t)
	t.Chdir(f.dir)
	data, err := os.ReadFile(f.file)
	if err != nil {
		t.Fatal(err)
	}
	f.write("sp ace.yaml", string(data))
	code, stdout, stderr := f.run("init", "-f", "it's new.yaml")
	if want := `then run wigen validate -f 'it'\''s new.yaml' and wigen render -f 'it'\''s new.yaml'`; code != ExitOK || !strings.Contains(stdout, want) {
		t.Errorf("init: exit %d, stdout %q, stderr %q; want the hint %q", code, stdout, stderr, want)
	}
	code, stdout, _ = f.run("render", "--check", "-f", "sp ace.yaml")
	if want := `run "wigen render -f 'sp ace.yaml'" to update it`; code != ExitChanged || !strings.Contains(stdout, want) {
		t.Errorf("check: exit %d, stdout %q; want the hint %q", code, stdout, want)
	}
}

// TestInputFolderHoldingInput: -f naming a folder that holds a wigen.yaml
// suggests that file, in the words of the command run (lint too).
func TestInputFolderHoldingInput(t *testing.T) {
	f := newFixture(t)
	t.Chdir(f.dir)
	if err := os.Mkdir("my infra", 0o755); err != nil {
		t.Fatal(err)
	}
	f.write("my infra/wigen.yaml", "x: 1\n")
	for _, cmd := range []string{"render", "validate", "lint"} {
		code, _, stderr := f.run(cmd, "-f", "my infra")
		if want := "wigen: my infra is a folder, not an input file; did you mean wigen " + cmd + " -f 'my infra/wigen.yaml'?\n"; code != ExitError || stderr != want {
			t.Errorf("%s: exit %d, stderr %q, want 2 and %q", cmd, code, stderr, want)
		}
	}
}

// TestStarterExamplesValidate uncomments the starter's commented-out
// fields (the client ID and the adopt example), each alone and both, and
// requires the result to validate: a user who follows a comment gets no
// error from it. The adopt example writes removed blocks, so the starter's
// Terraform floor must be the one schema asks of them.
func TestStarterExamplesValidate(t *testing.T) {
	data, err := Starter()
	if err != nil {
		t.Fatal(err)
	}
	uncomment := map[string][]string{
		"clientId": {"        # clientId: "},
		"adopt":    {"        # federatedCredentialName: ", "      # adopt:", "      #   from: "},
	}
	for _, names := range [][]string{{"clientId"}, {"adopt"}, {"clientId", "adopt"}} {
		t.Run(strings.Join(names, "+"), func(t *testing.T) {
			text := string(data)
			for _, n := range names {
				for _, prefix := range uncomment[n] {
					i := strings.Index(text, "\n"+prefix)
					if i < 0 {
						t.Fatalf("the starter has no line %q", prefix)
					}
					indent := len(prefix) - len(strings.TrimLeft(prefix, " "))
					text = text[:i+1+indent] + strings.Replace(text[i+1+indent:], "# ", "", 1)
				}
			}
			s, err := schema.LoadBytes("wigen.yaml", []byte(text))
			if err != nil {
				t.Fatalf("uncommented %v, the starter is invalid:\n%v\n%s", names, err, text)
			}
			if slices.Contains(names, "adopt") && s.Spec.Environments[0].Adopt == nil {
				t.Errorf("uncommented, adopt is not set:\n%s", text)
			}
		})
	}
}

// TestHelpExitCodes: `wigen -h` names each exit code with what returns it,
// and what it names is what the commands return: 1 for render --check on a
// stale tree and for a lint error finding (lint.ExitFindings), 2 for
// invalid input.
func TestHelpExitCodes(t *testing.T) {
	f := newFixture(t)
	_, help, _ := f.run("-h")
	help = strings.Join(strings.Fields(help), " ")
	i, j := strings.Index(help, "Exit codes: 0 "), strings.Index(help, "; 1 ")
	k := strings.Index(help, "; 2 ")
	if i < 0 || j < i || k < j {
		t.Fatalf("no exit codes 0, 1 and 2 in wigen -h:\n%s", help)
	}
	one, two := help[j:k], help[k:]
	for _, w := range []string{"render --check", "--exit-code", "lint found an error"} {
		if !strings.Contains(one, w) {
			t.Errorf("wigen -h, exit code 1 (%q) does not name %q", one, w)
		}
	}
	if !strings.Contains(two, "invalid input") {
		t.Errorf("wigen -h, exit code 2 (%q) does not name invalid input", two)
	}

	// lint with an error finding: the namespace, and no ServiceAccount.
	var out, errb bytes.Buffer
	ns := "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: open-webui\n"
	if code := RunWithInput([]string{"lint", "-f", f.file, "--env", "dev"}, strings.NewReader(ns), &out, &errb); code != ExitChanged || ExitChanged != lint.ExitFindings || !strings.Contains(out.String(), "error WI") {
		t.Errorf("lint with an error: exit %d, stdout %q, stderr %q; want %d (wigen -h: 1)", code, out.String(), errb.String(), lint.ExitFindings)
	}
	f.render()
	f.editGenerated()
	if code, _, _ := f.run("render", "--check", "-f", f.file); code != ExitChanged {
		t.Errorf("render --check of a stale tree: exit %d, want 1", code)
	}
	breakInput(f)
	if code, _, _ := f.run("validate", "-f", f.file); code != ExitError {
		t.Errorf("validate of invalid input: exit %d, want 2", code)
	}
}
