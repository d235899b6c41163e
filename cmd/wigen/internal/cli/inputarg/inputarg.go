// Package inputarg holds what every wigen command that reads an input
// (render, validate, lint) says about its -f argument, so that `wigen lint`
// (its own package) words it exactly as the other commands do.
package inputarg

import (
	"fmt"
	"io/fs"
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
	info, err := os.Stat(file)
	switch {
	case err != nil && file == "-":
		// "-" is no file here: wigen's input names the output root and is
		// the source every rendered file names, so it is a file.
		return "-f -: reading the input from stdin is not supported: give a file, e.g. -f " + schema.DefaultFile, true
	case err != nil:
	case info.IsDir():
		return fmt.Sprintf("%s is a folder, not an input file; %s", schema.Name(file), nameInput(command, file)), false
	case !info.Mode().IsRegular():
		// Opening a FIFO would wait for a writer, maybe forever.
		return fmt.Sprintf("%s is %s, not a regular file; wigen reads its input from a file: name one with -f FILE", schema.Name(file), fileKind(info.Mode())), false
	}
	return "", false
}

// fileKind names the kind of a file that is not a regular file or folder.
func fileKind(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "not a regular file"
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
