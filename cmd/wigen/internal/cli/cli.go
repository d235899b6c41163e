// Package cli is the wigen command: subcommands, flags, messages and exit
// codes. Run is the whole program; cmd/wigen's main only calls it, so tests
// run it in-process.
//
// Conventions: results go to stdout; errors, warnings and notes to stderr.
// An error message carries one "wigen: " prefix and is lowercase; a
// diagnostic about the input is "FILE:LINE:COL: field.path: message", with
// FILE as -f names it. Paths of output files are shown as -f names the
// input: relative to the current folder when -f is relative.
package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/agext/levenshtein"
	"github.com/spf13/pflag"
	"github.com/wigen-dev/wigen/cmd/wigen/internal/cli/inputarg"
	"github.com/wigen-dev/wigen/generate/output"
	"github.com/wigen-dev/wigen/schema"
)

// Exit codes, the scheme of gofmt -d and go mod tidy -diff.
const (
	// ExitOK: success; with --check or --diff, the output tree is up to date.
	ExitOK = 0
	// ExitChanged: the output tree is out of date (render --check, --diff),
	// or render --exit-code wrote or removed a file; for wigen lint, an
	// error finding (lint.ExitFindings, the same code).
	ExitChanged = 1
	// ExitError: invalid input, usage error or I/O failure.
	ExitError = 2
)

// Run runs wigen with args (without the program name), reading standard
// input from os.Stdin, and returns the exit code.
func Run(args []string, stdout, stderr io.Writer) int {
	return RunWithInput(args, os.Stdin, stdout, stderr)
}

// RunWithInput is Run with standard input given (`wigen lint` reads
// manifests from it).
func RunWithInput(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) == 0 {
		fmt.Fprint(stderr, mainUsage())
		return ExitError
	}
	name, rest := args[0], args[1:]
	switch name {
	case "-h", "--help", "help":
		if name == "help" && len(rest) > 0 {
			if c := lookup(rest[0]); c != nil {
				return c.run(e, []string{"-h"})
			}
			return e.usageErr(nil, "unknown command %s%s", schema.Quote(rest[0]), didYouMean(rest[0]))
		}
		fmt.Fprint(stdout, mainUsage())
		return ExitOK
	case "-v", "--version":
		if len(rest) > 0 {
			return e.usageErr(nil, "%s takes no arguments, got %s", name, schema.Quote(rest[0]))
		}
		return runVersion(e, nil)
	}
	c := lookup(name)
	if c == nil {
		if strings.HasPrefix(name, "-") {
			flag, _, hasValue := strings.Cut(name, "=")
			if cmds := commandsWithFlag(flag); len(cmds) > 0 {
				given := name
				if !hasValue && valueFlags[flag] && len(rest) > 0 {
					given += " " + output.ShellQuote(rest[0])
				}
				return e.usageErr(nil, "%s comes after a command, e.g. wigen %s %s", flag, cmds[0], given)
			}
			return e.usageErr(nil, "unknown flag %s", flag)
		}
		return e.usageErr(nil, "unknown command %s%s", schema.Quote(name), didYouMean(name))
	}
	return c.run(e, rest)
}

// commandFor maps words people type for what a command does to the
// command: other tools' verbs for rendering, checking and diffing.
var commandFor = map[string]string{
	"check": "render --check", "diff": "render --diff", "generate": "render", "gen": "render",
	"build": "render", "apply": "render", "plan": "render --diff", "template": "render",
	"verify": "render --check", "new": "init", "create": "init", "fmt": "render",
}

// didYouMean returns "; did you mean wigen X?" for an unknown command
// name: the command for a word of another tool (check, generate, ...), the
// command it misspells (at most two edits, fewer than its length, case
// ignored), or the one it starts (three letters or more); else "".
func didYouMean(name string) string {
	lower := strings.ToLower(name)
	if c, ok := commandFor[lower]; ok {
		return "; did you mean wigen " + c + "?"
	}
	best, dist := "", 3
	for _, c := range commands {
		if c.run == nil || c.hidden {
			continue
		}
		if d := levenshtein.Distance(lower, c.name, nil); d < dist && d < len(lower) {
			best, dist = c.name, d
		}
	}
	for _, c := range commands {
		if best == "" && c.run != nil && !c.hidden && len(lower) >= 3 && strings.HasPrefix(c.name, lower) {
			best = c.name
		}
	}
	if best == "" {
		return ""
	}
	return "; did you mean wigen " + best + "?"
}

// commandFlags lists the flags of each command that defines its own
// (lint's are those package lint parses), for the hint on a flag given
// before the command.
var commandFlags = map[string][]string{
	"render":   {"-f", "--file", "--check", "--diff", "--exit-code", "--allow-replace", "--no-cache"},
	"validate": {"-f", "--file"},
	"init":     {"-f", "--file"},
	"lint":     {"-f", "--file", "--env", "--format"},
}

// valueFlags are the flags of commandFlags that take a value.
var valueFlags = map[string]bool{"-f": true, "--file": true, "--env": true, "--format": true}

// commandsWithFlag returns the commands that take flag, render first.
func commandsWithFlag(flag string) []string {
	var out []string
	for _, name := range []string{"render", "validate", "init", "lint"} {
		for _, f := range commandFlags[name] {
			if f == flag {
				out = append(out, name)
			}
		}
	}
	return out
}

// env is what a command writes to and reads from.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
}

// errorf prints one error line with the "wigen: " prefix. Whatever the
// values in it, it stays one line: anything that would not print is
// escaped (schema.EscapeText; values from the input are quoted by
// schema.Quote where they are put in).
func (e *env) errorf(format string, args ...any) {
	fmt.Fprintln(e.stderr, "wigen: "+schema.EscapeText(fmt.Sprintf(format, args...)))
}

// usageErr reports a usage error and where to find the usage.
func (e *env) usageErr(c *command, format string, args ...any) int {
	e.errorf(format, args...)
	if c != nil {
		fmt.Fprintf(e.stderr, "run 'wigen %s -h' for usage\n", c.name)
	} else {
		fmt.Fprintln(e.stderr, "run 'wigen -h' for usage")
	}
	return ExitError
}

type command struct {
	name     string
	synopsis string // one line for the command list
	use      string // "wigen render [-f FILE] [--check] [--diff] [--exit-code]"
	long     string // what it does, wrapped by hand
	example  string
	run      func(e *env, args []string) int
	hidden   bool
}

var commands []*command

func init() {
	commands = []*command{initCmd, validateCmd, renderCmd, lintCmd, schemaCmd, versionCmd}
}

func lookup(name string) *command {
	for _, c := range commands {
		if c.name == name && c.run != nil {
			return c
		}
	}
	return nil
}

func mainUsage() string {
	var b strings.Builder
	b.WriteString(`wigen renders everything Open WebUI on AKS needs to call Azure OpenAI with
Microsoft Entra Workload ID (Terraform root modules, Helm values, Kustomize
overlays) from one declarative file, wigen.yaml. It never calls the cloud.

Usage:
  wigen <command> [flags]

Commands:
`)
	for _, c := range commands {
		if c.run == nil || c.hidden {
			continue
		}
		fmt.Fprintf(&b, "  %-9s %s\n", c.name, c.synopsis)
	}
	b.WriteString(`
Run 'wigen <command> -h' for a command's flags and an example.

Exit codes: 0 success or up to date; 1 out of date (render --check, --diff),
with render --exit-code something was written or removed, or lint found an
error (warnings alone exit 0); 2 invalid input, usage error or I/O failure.
`)
	return b.String()
}

func (c *command) flagSet() *pflag.FlagSet {
	fs := pflag.NewFlagSet("wigen "+c.name, pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	fs.SortFlags = false
	return fs
}

// usage is the -h text of c, listing the flags defined in fs.
func (c *command) usage(fs *pflag.FlagSet) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Usage:\n  %s\n\n%s\n", c.use, strings.TrimSpace(c.long))
	if fs.Lookup("help") == nil {
		boolFlag(fs, new(bool), "help", "h", "print this help")
	}
	fmt.Fprintf(&b, "\nFlags:\n%s", fs.FlagUsages())
	fmt.Fprintf(&b, "\nExample:\n%s\n", strings.TrimRight(c.example, "\n"))
	return b.String()
}

// parse parses args into fs. It returns done=true with the exit code when
// the command must stop: -h (usage printed, exit 0) or a usage error
// (exit 2). Positional arguments are refused unless allowArgs.
func (e *env) parse(c *command, fs *pflag.FlagSet, args []string, allowArgs bool) (done bool, code int) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			fmt.Fprint(e.stdout, c.usage(fs))
			return true, ExitOK
		}
		return true, e.usageErr(c, "%s", err)
	}
	if !allowArgs && fs.NArg() > 0 {
		return true, e.usageErr(c, "%s takes no arguments, got %s", c.name, schema.Quote(fs.Args()[0]))
	}
	return false, 0
}

// fileFlag defines -f, the input file.
func fileFlag(fs *pflag.FlagSet, p *string) {
	fs.StringVarP(p, "file", "f", schema.DefaultFile, "the input file")
}

// checkInput reports whether file can name an input to read: not empty
// (a usage error), not a folder (inputarg.Problem). A missing or
// unreadable file is left to the loader, which says so.
func (e *env) checkInput(c *command, file string) bool {
	msg, usage := inputarg.Problem(c.name, file)
	switch {
	case msg == "":
		return true
	case usage:
		e.usageErr(c, "%s", msg)
	default:
		e.errorf("%s", msg)
	}
	return false
}

// load loads and validates the input. On failure it prints every
// diagnostic (or the error) and returns nil. Warnings of a valid input are
// printed on stderr.
func (e *env) load(file string) *schema.Spec {
	data, err := schema.ReadFile(file)
	if err != nil {
		e.errorf("%s", err)
		return nil
	}
	return e.loadBytes(file, data)
}

// loadBytes is load on the input's bytes, already read from file.
func (e *env) loadBytes(file string, data []byte) *schema.Spec {
	s, err := schema.LoadBytes(filepath.Base(file), data)
	if err != nil {
		var ds schema.Diagnostics
		if errors.As(err, &ds) {
			e.printDiagnostics(file, ds)
			return nil
		}
		e.errorf("%s", err)
		return nil
	}
	e.printDiagnostics(file, s.Warnings)
	return s
}

// printDiagnostics prints ds one per line, naming the file as the user did.
func (e *env) printDiagnostics(file string, ds schema.Diagnostics) {
	for _, d := range ds {
		d.File = file
		fmt.Fprintln(e.stderr, d.String())
	}
}

// boolFlag defines a boolean flag that -h lists as "--name" (pflag 1.1
// lists its own bool flags as "--name[=true|false]").
func boolFlag(fs *pflag.FlagSet, p *bool, name, short, usage string) {
	f := fs.VarPF((*plainBool)(p), name, short, usage)
	f.NoOptDefVal = "true"
}

type plainBool bool

func (b *plainBool) String() string { return strconv.FormatBool(bool(*b)) }
func (b *plainBool) Type() string   { return "bool" }
func (b *plainBool) Set(s string) error {
	v, err := strconv.ParseBool(s)
	if err != nil {
		return fmt.Errorf("%s is not true or false", schema.Quote(s))
	}
	*b = plainBool(v)
	return nil
}
