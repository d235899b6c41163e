package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
	"github.com/wigen-dev/wigen/cmd/wigen/internal/cli"
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
		},
	})
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
