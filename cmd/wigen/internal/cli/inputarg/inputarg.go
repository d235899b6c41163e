// Package inputarg holds what every wigen command that reads an input
// (render, validate, lint) says about its -f argument, so that `wigen lint`
// (its own package) words it exactly as the other commands do.
package inputarg

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/wigen-dev/wigen/generate/output"
	"github.com/wigen-dev/wigen/schema"
)

// Problem says why file cannot name the input of `wigen command`: "" when
// it can (a missing or unreadable file is left to the loader, which says
// so). usage reports a usage error (an empty name), after which the
// command points at its -h.
func Problem(command, file string) (msg string, usage bool) {
	if file == "" {
		return "-f needs a file name", true
	}
	if info, err := os.Stat(file); err == nil && info.IsDir() {
		return fmt.Sprintf("%s is a folder, not an input file; %s", file, nameInput(command, file)), false
	}
	return "", false
}

// nameInput is the hint for a folder named where an input file goes: the
// folder's own wigen.yaml when it has one.
func nameInput(command, dir string) string {
	inside := filepath.Join(dir, schema.DefaultFile)
	if info, err := os.Stat(inside); err == nil && info.Mode().IsRegular() {
		return fmt.Sprintf("did you mean wigen %s -f %s?", command, output.ShellQuote(filepath.ToSlash(inside)))
	}
	return "name the input file with -f FILE"
}

// Flag is " -f FILE" (FILE quoted) for a command run on file, or "" for
// the default input, so a suggested command reads as the user would type
// it: "wigen render" + Flag(file).
func Flag(file string) string {
	if file == schema.DefaultFile {
		return ""
	}
	return " -f " + output.ShellQuote(file)
}
