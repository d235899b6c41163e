// Package inputarg holds what every wigen command that reads an input
// (render, validate, lint) says about its -f argument, and how the
// commands wigen suggests quote a path, so that `wigen lint` (its own
// package) words these exactly as the other commands do.
package inputarg

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

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
		return fmt.Sprintf("did you mean wigen %s -f %s?", command, Quote(filepath.ToSlash(inside)))
	}
	return "name the input file with -f FILE"
}

// Quote returns s as one word for a POSIX shell: unchanged when it holds
// only characters no shell treats specially, else in single quotes (a
// single quote inside is closed, escaped with a backslash and reopened).
// Hints that show a command use it on every path, so the command can be
// pasted as it is.
func Quote(s string) string {
	if s == "" {
		return "''"
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("@%+=:,./_-", r)) {
			return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
		}
	}
	return s
}

// Flag is " -f FILE" (FILE quoted) for a command run on file, or "" for
// the default input, so a suggested command reads as the user would type
// it: "wigen render" + Flag(file).
func Flag(file string) string {
	if file == schema.DefaultFile {
		return ""
	}
	return " -f " + Quote(file)
}
