package main

import (
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
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
		// Each script has a render cache of its own, outside $WORK (so
		// that no walk of $WORK sees it), removed afterwards: scripts
		// never use the user's, and a second render in a script is a
		// cache hit, verified against the tree, as users get it.
		Setup: func(env *testscript.Env) error {
			dir, err := os.MkdirTemp("", "wigen-script-cache-")
			if err != nil {
				return err
			}
			env.Defer(func() { os.RemoveAll(dir) })
			env.Setenv("WIGEN_CACHE", dir)
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"settime":    setTime,
			"checktime":  checkTime,
			"readonly":   readOnly,
			"writable":   writable,
			"holdlock":   holdLock,
			"cacheentry": cacheEntry,
			"append":     appendLine,
			"newbinary":  newBinary,
			"truncate":   truncateFile,
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

// truncate FILE SIZE: make FILE SIZE bytes long (os.Truncate: a longer
// file is sparse, its new bytes NUL).
func truncateFile(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: truncate FILE SIZE")
	}
	var size int64
	_, err := fmt.Sscan(args[1], &size)
	ts.Check(err)
	ts.Check(os.Truncate(ts.MkAbs(args[0]), size))
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

// cacheentry corrupt|remove: corrupt (flip one byte in the middle of) or
// remove every entry of the script's render cache; there must be one.
func cacheEntry(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 || args[0] != "corrupt" && args[0] != "remove" {
		ts.Fatalf("usage: cacheentry corrupt|remove")
	}
	names, err := filepath.Glob(filepath.Join(ts.Getenv("WIGEN_CACHE"), "render-v1", "*"))
	ts.Check(err)
	if len(names) == 0 {
		ts.Fatalf("no cache entry")
	}
	for _, name := range names {
		if args[0] == "remove" {
			ts.Check(os.Remove(name))
			continue
		}
		data, err := os.ReadFile(name)
		ts.Check(err)
		data[len(data)/2] ^= 0x20
		ts.Check(os.WriteFile(name, data, 0o600))
	}
}

// newbinary: replace the wigen the script runs by another binary: a copy
// of it with one byte appended (the ELF loader ignores what follows the
// program), in a folder put first in PATH. Its build ID (the hash of its
// content: a test binary has no VCS information) is another.
func newBinary(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 0 {
		ts.Fatalf("usage: newbinary")
	}
	if runtime.GOOS == "windows" {
		ts.Fatalf("newbinary: not on Windows")
	}
	var old string
	for _, dir := range filepath.SplitList(ts.Getenv("PATH")) {
		if info, err := os.Stat(filepath.Join(dir, "wigen")); err == nil && info.Mode().IsRegular() {
			old = filepath.Join(dir, "wigen")
			break
		}
	}
	if old == "" {
		ts.Fatalf("no wigen in PATH")
	}
	info, err := os.Stat(old)
	ts.Check(err)
	dir := ts.MkAbs(fmt.Sprintf(".bin-%d", info.Size()+1))
	ts.Check(os.MkdirAll(dir, 0o755))
	// The copy is written by a child process, never through a file this
	// process opens: a script running at the same time forks, its child
	// inherits a descriptor open for writing until it execs, and exec of
	// the copy then fails with "text file busy" (golang/go#22315).
	cp := exec.Command("sh", "-c", `cp "$1" "$2" && printf '\0' >> "$2" && chmod 755 "$2"`, "sh", old, filepath.Join(dir, "wigen"))
	if out, err := cp.CombinedOutput(); err != nil {
		ts.Fatalf("newbinary: %v: %s", err, out)
	}
	ts.Setenv("PATH", dir+string(os.PathListSeparator)+ts.Getenv("PATH"))
}

// append FILE LINE: add LINE and a newline at the end of FILE.
func appendLine(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: append FILE LINE")
	}
	f, err := os.OpenFile(ts.MkAbs(args[0]), os.O_WRONLY|os.O_APPEND, 0)
	ts.Check(err)
	_, err = f.WriteString(args[1] + "\n")
	ts.Check(err)
	ts.Check(f.Close())
}
