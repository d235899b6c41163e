package disk

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// An exclusive lock keeps every other run out, shared locks only keep out
// an exclusive one; a run that cannot get the lock gives up after its
// wait with ErrLocked. The lock works for a root that does not exist yet,
// names one root however it is written, and leaves nothing in the tree.
func TestLock(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	dir := t.TempDir()
	root := filepath.Join(dir, "deploy") // not created
	short := 100 * time.Millisecond

	unlock, err := Lock(root, true, short)
	if err != nil {
		t.Fatal(err)
	}
	for _, exclusive := range []bool{true, false} {
		if _, err := Lock(root, exclusive, short); !errors.Is(err, ErrLocked) {
			t.Errorf("second lock (exclusive %v) while one is held: %v, want ErrLocked", exclusive, err)
		}
	}
	// The same root, named another way.
	t.Chdir(dir)
	if _, err := Lock("./sub/../deploy", false, short); !errors.Is(err, ErrLocked) {
		t.Errorf("the same root named ./sub/../deploy: %v, want ErrLocked", err)
	}
	// Another root is not held.
	other, err := Lock(filepath.Join(dir, "other"), true, short)
	if err != nil {
		t.Errorf("another root: %v", err)
	} else {
		other()
	}
	unlock()

	r1, err := Lock(root, false, short)
	if err != nil {
		t.Fatal(err)
	}
	r2, err := Lock(root, false, short)
	if err != nil {
		t.Errorf("two shared locks: %v", err)
	} else {
		r2()
	}
	if _, err := Lock(root, true, short); !errors.Is(err, ErrLocked) {
		t.Errorf("exclusive lock while a shared one is held: %v, want ErrLocked", err)
	}
	// A waiting run gets the lock once the holder lets go.
	go func() { time.Sleep(50 * time.Millisecond); r1() }()
	w, err := Lock(root, true, 2*time.Second)
	if err != nil {
		t.Errorf("waiting for the lock: %v", err)
	} else {
		w()
	}

	if _, err := os.Stat(root); !os.IsNotExist(err) {
		t.Errorf("Lock created the root: %v", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 0 {
		t.Errorf("Lock left files beside the root: %v", entries)
	}
	// The last run to let go removes the lock file.
	lockDir, _ := LockDir(os.Getenv("TMPDIR"))
	if left, _ := os.ReadDir(lockDir); len(left) != 0 {
		t.Errorf("lock files left after every lock was released: %v", left)
	}
	name, err := LockPath(root, os.Getenv("TMPDIR"))
	if err != nil || !strings.HasPrefix(name, os.Getenv("TMPDIR")) {
		t.Errorf("LockPath = %q, %v; want a file in the temporary folder", name, err)
	}
}

// A lock folder someone else made (or a link put in its place) is refused.
func TestLockDirNotOwn(t *testing.T) {
	tmp := t.TempDir()
	target := t.TempDir()
	uid := os.Getuid()
	if uid < 0 {
		t.Skip("no Unix user IDs here")
	}
	if err := os.Symlink(target, filepath.Join(tmp, "wigen-locks-"+strconv.Itoa(uid))); err != nil {
		t.Fatal(err)
	}
	if _, err := LockDir(tmp); err == nil || !strings.Contains(err.Error(), "is not a folder of your own") {
		t.Errorf("LockDir through a symbolic link: %v, want it refused", err)
	}
}

// Many runs taking and releasing the lock at once (each release removing
// the file when it can) never hold it together.
func TestLockStress(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	root := filepath.Join(t.TempDir(), "deploy")
	var inside, readers atomic.Int32
	var wg sync.WaitGroup
	errs := make(chan error, 200)
	for g := range 12 {
		wg.Go(func() {
			for i := range 25 {
				exclusive := (g+i)%3 != 0
				unlock, err := Lock(root, exclusive, 20*time.Second)
				if err != nil {
					errs <- err
					return
				}
				if exclusive {
					if n := inside.Add(1); n != 1 || readers.Load() != 0 {
						errs <- fmt.Errorf("exclusive lock held with %d others and %d readers", n-1, readers.Load())
					}
					time.Sleep(200 * time.Microsecond)
					inside.Add(-1)
				} else {
					readers.Add(1)
					if inside.Load() != 0 {
						errs <- errors.New("shared lock held with an exclusive one")
					}
					time.Sleep(200 * time.Microsecond)
					readers.Add(-1)
				}
				unlock()
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
