package main

import (
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/gofrs/flock"
	"github.com/rogpeppe/go-internal/testscript"
	"github.com/wigen-dev/wigen/cmd/wigen/internal/cli"
	"github.com/wigen-dev/wigen/cmd/wigen/internal/disk"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"wigen": func() { os.Exit(cli.Run(os.Args[1:], os.Stdout, os.Stderr)) },
	})
}

// TestScripts runs the end-to-end scripts in testdata/script: the wigen
// binary on real folders, as users run it.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"settime":   setTime,
			"checktime": checkTime,
			"readonly":  readOnly,
			"writable":  writable,
			"holdlock":  holdLock,
		},
		Condition: func(cond string) (bool, error) {
			switch cond {
			case "can-readonly":
				return canReadOnly(), nil
			}
			return false, fmt.Errorf("unknown condition %q", cond)
		},
	})
}

// holdlock DIR: take the lock a render takes on the output root DIR
// (disk.Lock, in the script's temporary folder, as the wigen processes the
// script runs), and hold it to the end of the script.
func holdLock(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: holdlock DIR")
	}
	name, err := disk.LockPath(ts.MkAbs(args[0]), ts.Getenv("TMPDIR"))
	ts.Check(err)
	fl := flock.New(name)
	ok, err := fl.TryLock()
	ts.Check(err)
	if !ok {
		ts.Fatalf("%s is locked already", args[0])
	}
	ts.Defer(func() { fl.Close() })
}

// undoReadOnly holds, by absolute folder, how to undo readonly.
var undoReadOnly sync.Map

// readonly DIR: make the folder DIR refuse new files, renames and removals
// until `writable DIR` or the end of the script: chmod 0555, or as root
// (which ignores permissions) the immutable attribute, chattr +i. Scripts
// using it start with [!can-readonly] skip.
func readOnly(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: readonly DIR")
	}
	dir := ts.MkAbs(args[0])
	undo, err := makeReadOnly(dir)
	ts.Check(err)
	undoReadOnly.Store(dir, undo)
	ts.Defer(func() {
		if u, ok := undoReadOnly.LoadAndDelete(dir); ok {
			if err := u.(func() error)(); err != nil {
				ts.Logf("making %s writable again: %v", dir, err)
			}
		}
	})
}

// writable DIR: undo readonly DIR.
func writable(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: writable DIR")
	}
	dir := ts.MkAbs(args[0])
	u, ok := undoReadOnly.LoadAndDelete(dir)
	if !ok {
		ts.Fatalf("%s was not made read-only", args[0])
	}
	ts.Check(u.(func() error)())
}

// makeReadOnly makes dir refuse changes and returns how to undo it.
func makeReadOnly(dir string) (undo func() error, err error) {
	if os.Geteuid() != 0 {
		if err := os.Chmod(dir, 0o555); err != nil {
			return nil, err
		}
		return func() error { return os.Chmod(dir, 0o755) }, nil
	}
	if out, err := exec.Command("chattr", "+i", dir).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("chattr +i %s: %v: %s", dir, err, out)
	}
	return func() error {
		if out, err := exec.Command("chattr", "-i", dir).CombinedOutput(); err != nil {
			return fmt.Errorf("chattr -i: %v: %s", err, out)
		}
		return nil
	}, nil
}

var (
	readOnlyOnce sync.Once
	readOnlyOK   bool
)

// canReadOnly reports whether readonly works here: a file cannot be
// created in a folder it was applied to (as root it needs chattr and a
// file system with the immutable attribute).
func canReadOnly() bool {
	readOnlyOnce.Do(func() {
		dir, err := os.MkdirTemp("", "wigen-readonly-")
		if err != nil {
			return
		}
		defer os.RemoveAll(dir)
		undo, err := makeReadOnly(dir)
		if err != nil {
			return
		}
		defer undo()
		err = os.WriteFile(filepath.Join(dir, "x"), nil, 0o644)
		readOnlyOK = err != nil
	})
	return readOnlyOK
}

// past is the modification time settime gives files, long before any run.
var past = time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)

// settime DIR: set the modification time of every file under DIR to a
// fixed time in the past.
func setTime(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: settime DIR")
	}
	walkFiles(ts, args[0], func(name string, _ fs.FileInfo) {
		ts.Check(os.Chtimes(name, past, past))
	})
}

// checktime DIR: every file under DIR still has the time settime gave it
// (! checktime: at least one does not).
func checkTime(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: checktime DIR")
	}
	var touched []string
	walkFiles(ts, args[0], func(name string, info fs.FileInfo) {
		if !info.ModTime().Equal(past) {
			touched = append(touched, name)
		}
	})
	switch {
	case !neg && len(touched) > 0:
		ts.Fatalf("modification time changed: %v", touched)
	case neg && len(touched) == 0:
		ts.Fatalf("no modification time changed under %s", args[0])
	}
}

func walkFiles(ts *testscript.TestScript, dir string, f func(string, fs.FileInfo)) {
	n := 0
	err := filepath.WalkDir(ts.MkAbs(dir), func(name string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		n++
		f(name, info)
		return nil
	})
	ts.Check(err)
	if n == 0 {
		ts.Fatalf("no files under %s", dir)
	}
}
