package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"text/template"

	"github.com/wigen-dev/wigen/cmd/wigen/internal/buildinfo"
	"github.com/wigen-dev/wigen/cmd/wigen/internal/cli/inputarg"
	"github.com/wigen-dev/wigen/cmd/wigen/internal/disk"
	"github.com/wigen-dev/wigen/generate/output"
	"github.com/wigen-dev/wigen/schema"
	"github.com/wigen-dev/wigen/templates"
)

var validateCmd = &command{
	name:     "validate",
	synopsis: "check wigen.yaml and report every error with its line and column",
	use:      "wigen validate [-f FILE]",
	long: `Validate decodes the input strictly, applies spec.defaults and checks every
rule (names, GUIDs, issuer, scopes, roles, chart and provider versions)
without rendering anything. A valid input prints a one-line summary and any
warnings, and exits 0. An invalid one prints every error, one per line as
FILE:LINE:COL: field.path: message, and exits 2.`,
	example: `  $ wigen validate
  wigen.yaml: valid: 1 environment, targets terraform, helm, kustomize`,
}

var schemaCmd = &command{
	name:     "schema",
	synopsis: "print the JSON Schema of wigen.yaml",
	use:      "wigen schema",
	long: `Schema prints the JSON Schema (draft 2020-12) of wigen.yaml. Save it and point
your editor at it with a first line such as
  # yaml-language-server: $schema=wigen.schema.json`,
	example: `  $ wigen schema > wigen.schema.json`,
}

var versionCmd = &command{
	name:     "version",
	synopsis: "print wigen's version",
	use:      "wigen version",
	long: `Version prints the module version wigen was built from and, for a build in a
git checkout, the commit, whether the checkout had uncommitted changes
(dirty) and the commit time, from the build information the go command
records. The version is never written into generated files.
wigen -v and wigen --version print the same.`,
	example: `  $ wigen version
  wigen v0.1.0, built with go1.26.0
  $ make build && bin/wigen version   # in a clone
  wigen v0.0.0-20260102150405-abcdef123456+dirty, commit abcdef1234567890abcdef1234567890abcdef12 with uncommitted changes (dirty), committed 2026-01-02T15:04:05Z, built with go1.26.0`,
}

var initCmd = &command{
	name:     "init",
	synopsis: "write a commented starter wigen.yaml",
	use:      "wigen init [-f FILE]",
	long: `Init writes a commented starter wigen.yaml that validates as written: every
name and ID in it is an obvious example value (GUIDs such as
11111111-1111-1111-1111-111111111111) for you to replace with your own.
It never overwrites a file. With -f - it prints the starter instead.`,
	example: `  $ wigen init
  $ $EDITOR wigen.yaml
  $ wigen validate && wigen render`,
}

func init() {
	validateCmd.run = runValidate
	schemaCmd.run = runSchema
	versionCmd.run = runVersion
	initCmd.run = runInit
}

func runValidate(e *env, args []string) int {
	fl := validateCmd.flagSet()
	var file string
	fileFlag(fl, &file)
	if done, code := e.parse(validateCmd, fl, args, false); done {
		return code
	}
	if !e.checkInput(validateCmd, file) {
		return ExitError
	}
	s := e.load(file)
	if s == nil {
		return ExitError
	}
	n := len(s.Spec.Environments)
	plural := "s"
	if n == 1 {
		plural = ""
	}
	fmt.Fprintf(e.stdout, "%s: valid: %d environment%s, targets %s\n", file, n, plural, strings.Join(s.Targets(), ", "))
	return ExitOK
}

func runSchema(e *env, args []string) int {
	fl := schemaCmd.flagSet()
	if done, code := e.parse(schemaCmd, fl, args, false); done {
		return code
	}
	if _, err := e.stdout.Write(schema.JSONSchema); err != nil {
		e.errorf("%s", err)
		return ExitError
	}
	return ExitOK
}

func runVersion(e *env, args []string) int {
	fl := versionCmd.flagSet()
	if done, code := e.parse(versionCmd, fl, args, false); done {
		return code
	}
	fmt.Fprintln(e.stdout, versionString())
	return ExitOK
}

// versionString describes this build (runtime/debug.ReadBuildInfo).
func versionString() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "wigen (no build information: built without module support)"
	}
	return versionLine(bi)
}

// versionLine describes a build from its build information, so a team can
// tell which wigen rendered a tree: the module version (v1.2.3 for `go
// install ...@v1.2.3`; for a build in a git checkout, Go 1.24 and later
// derive a pseudo-version such as v0.0.0-20260102150405-abcdef123456+dirty),
// then the VCS revision in full, whether the checkout had uncommitted
// changes (vcs.modified) and the commit time, as the go command recorded
// them (-buildvcs, on by default in a checkout), and the Go version. A
// build that recorded no revision says so, and how to get one.
func versionLine(bi *debug.BuildInfo) string {
	v := bi.Main.Version
	if v == "" {
		v = "(devel)"
	}
	vcs := buildinfo.VCSOf(bi)
	out := "wigen " + v
	switch {
	case vcs.Revision != "":
		out += ", commit " + vcs.Revision
		if vcs.Modified == "true" {
			out += " with uncommitted changes (dirty)"
		} else if vcs.Modified == "false" {
			out += " (clean)"
		}
		if vcs.Time != "" {
			out += ", committed " + vcs.Time
		}
	case v == "(devel)":
		out += ", no VCS revision recorded (built with -buildvcs=false, with go run, outside a git checkout, or in a git worktree, whose .git file Go does not read: build it with make build in a clone)"
	}
	return out + ", built with " + bi.GoVersion
}

// starterData fills templates/starter-wigen.yaml.tmpl.
type starterData struct {
	// SchemaURL is where editors fetch the JSON Schema from.
	SchemaURL string
}

// SchemaURL is the published JSON Schema of wigen.yaml, at the module's
// source repository.
const SchemaURL = "https://raw.githubusercontent.com/wigen-dev/wigen/main/schema/wigen.schema.json"

// Starter returns the starter wigen.yaml `wigen init` writes.
func Starter() ([]byte, error) {
	t, err := template.New("starter-wigen.yaml.tmpl").Option("missingkey=error").ParseFS(templates.FS, "starter-wigen.yaml.tmpl")
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := t.Execute(&b, starterData{SchemaURL: SchemaURL}); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func runInit(e *env, args []string) int {
	fl := initCmd.flagSet()
	var file string
	fileFlag(fl, &file)
	if done, code := e.parse(initCmd, fl, args, false); done {
		return code
	}
	if file == "" {
		return e.usageErr(initCmd, "-f needs a file name")
	}
	if info, err := os.Stat(file); err == nil && info.IsDir() {
		e.errorf("%s is a folder; init writes a file: name a new one with -f FILE", file)
		return ExitError
	}
	data, err := Starter()
	if err != nil {
		e.errorf("render the starter: %s", err)
		return ExitError
	}
	if file == "-" {
		// -f - prints the starter, as the convention goes for an output
		// file; the other commands refuse -f - (inputarg.Problem).
		if _, err := e.stdout.Write(data); err != nil {
			e.errorf("cannot write the starter to stdout: %v", disk.Reason(err))
			return ExitError
		}
		return ExitOK
	}
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		dir := filepath.Dir(file)
		switch info, derr := os.Stat(dir); {
		case errors.Is(err, fs.ErrExist):
			e.errorf("%s exists; init never overwrites a file: edit it, or name a new file with -f", schema.Name(file))
		case errors.Is(derr, fs.ErrNotExist):
			e.errorf("cannot write %s: the folder %s does not exist; create it first (mkdir -p %s), or name a file in an existing folder", schema.Name(file), schema.Name(dir), output.ShellQuote(dir))
		case derr == nil && !info.IsDir():
			e.errorf("cannot write %s: %s is a file, not a folder", schema.Name(file), schema.Name(dir))
		default:
			e.errorf("cannot write %s: %v", schema.Name(file), disk.Reason(err))
		}
		return ExitError
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(file)
		e.errorf("cannot write %s: %v", schema.Name(file), disk.Reason(err))
		return ExitError
	}
	if err := f.Close(); err != nil {
		os.Remove(file)
		e.errorf("cannot write %s: %v", schema.Name(file), disk.Reason(err))
		return ExitError
	}
	flag := inputarg.Flag(file)
	fmt.Fprintf(e.stdout, "wrote %s: replace the example names and IDs with yours, then run wigen validate%s and wigen render%s\n", file, flag, flag)
	return ExitOK
}
