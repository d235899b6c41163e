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

	"github.com/wigen-dev/wigen/cmd/wigen/internal/cli/inputarg"
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
	long: `Version prints the module version wigen was built from (and the commit, for a
build from a clone). The version is never written into generated files.
wigen -v and wigen --version print the same.`,
	example: `  $ wigen version
  wigen v0.1.0 (go1.26.0)`,
}

var initCmd = &command{
	name:     "init",
	synopsis: "write a commented starter wigen.yaml",
	use:      "wigen init [-f FILE]",
	long: `Init writes a commented starter wigen.yaml that validates as written: every
name and ID in it is an obvious example value (GUIDs such as
11111111-1111-1111-1111-111111111111) for you to replace with your own.
It never overwrites a file.`,
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
	fmt.Fprintf(e.stdout, "%s: valid: %d environment%s, targets %s\n", file, n, plural, strings.Join(s.Spec.Targets, ", "))
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

// versionString describes the build from runtime/debug build info: the
// module version ("v1.2.3" for `go install ...@v1.2.3`, "(devel)" in a
// clone), the VCS commit when the build recorded one, and the Go version.
func versionString() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "wigen (unknown version)"
	}
	v := bi.Main.Version
	if v == "" {
		v = "(devel)"
	}
	var rev, modified string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = ", modified"
			}
		}
	}
	out := "wigen " + v
	if rev != "" && !strings.Contains(v, rev[:min(12, len(rev))]) {
		out += " (commit " + rev[:min(12, len(rev))] + modified + ")"
	}
	return out + " " + bi.GoVersion
}

// reasonOf is the operating system's reason of a file error, without the
// operation and path that package os puts in it (the message names the
// file as -f does).
func reasonOf(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
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
			e.errorf("cannot write %s: %v", schema.Name(file), reasonOf(err))
		}
		return ExitError
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(file)
		e.errorf("cannot write %s: %v", schema.Name(file), reasonOf(err))
		return ExitError
	}
	if err := f.Close(); err != nil {
		os.Remove(file)
		e.errorf("cannot write %s: %v", schema.Name(file), reasonOf(err))
		return ExitError
	}
	flag := inputarg.Flag(file)
	fmt.Fprintf(e.stdout, "wrote %s: replace the example names and IDs with yours, then run wigen validate%s and wigen render%s\n", file, flag, flag)
	return ExitOK
}
