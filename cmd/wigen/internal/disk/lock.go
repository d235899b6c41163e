// The lock on an output root: one render writes a tree at a time, and
// --check and --diff never read one half written. The lock file lives
// outside the tree, so nothing of it is committed or reported.

package disk

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/gofrs/flock"
)

// LockWait is how long Lock waits for another run holding the root.
const LockWait = 5 * time.Second

// ErrLocked is returned by Lock when another run held the output root for
// the whole of LockWait.
var ErrLocked = errors.New("another wigen render holds the output root")

// Lock takes the lock on the output root root for one run, and returns how
// to release it: exclusive for a render that writes, shared for --check
// and --diff, which only read (several may read at once, none while a
// render writes). It waits up to wait for a run holding the root, then
// returns an error wrapping ErrLocked.
//
// The lock is an advisory lock (flock(2) on Unix, LockFileEx on Windows,
// through github.com/gofrs/flock) on a file of its own outside the output
// tree, so `git add` of the tree never commits it and `render --check`
// never reports it: in LockDir, named after the SHA-256 of the root's
// real path (absolute, its existing part resolved through symbolic
// links, so every way of naming the root takes one lock, and a root that
// does not exist yet has its lock too). The last run to release the lock
// removes the file, while it holds the lock exclusively; a run that
// locked a file meanwhile finds it gone from its name and locks again, so
// two runs never hold two files of one name.
func Lock(root string, exclusive bool, wait time.Duration) (unlock func(), err error) {
	name, err := LockPath(root, os.TempDir())
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	for {
		fl := flock.New(name, flock.SetPermissions(0o600))
		try := fl.TryRLockContext
		if exclusive {
			try = fl.TryLockContext
		}
		ok, err := try(ctx, 50*time.Millisecond)
		if err != nil || !ok {
			fl.Close()
			if errors.Is(err, context.DeadlineExceeded) || err == nil {
				return nil, fmt.Errorf("%w (waited %s)", ErrLocked, wait)
			}
			return nil, fmt.Errorf("lock the output root with %s: %w", name, err)
		}
		// The file locked must still be the one at name (a temporary-file
		// cleaner may have removed it meanwhile): else lock again.
		held, herr := fl.Stat()
		now, nerr := os.Stat(name)
		if herr == nil && nerr == nil && os.SameFile(held, now) {
			// Keep the file fresh for cleaners that go by age (systemd-tmpfiles).
			t := time.Now()
			_ = os.Chtimes(name, t, t)
			return func() {
				// Remove the file unless another run holds it too (a
				// shared lock of its own) or waits on it (and then relocks).
				if ok, err := fl.TryLock(); ok && err == nil {
					_ = os.Remove(name)
				}
				fl.Close()
			}, nil
		}
		fl.Close()
	}
}

// LockPath returns the lock file of the output root root, in the lock
// folder under the temporary folder tmp (LockDir), creating that folder
// as needed. Lock uses os.TempDir() for tmp.
func LockPath(root, tmp string) (string, error) {
	real, err := realPath(root)
	if err != nil {
		return "", err
	}
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		real = strings.ToLower(real) // case-insensitive file systems by default
	}
	dir, err := LockDir(tmp)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256([]byte(real))
	return filepath.Join(dir, hex.EncodeToString(sum[:16])+".lock"), nil
}

// LockDir is the folder of the lock files: wigen-locks-<uid> in the
// temporary folder tmp (for Lock, os.TempDir(): $TMPDIR, or /tmp), private
// to the user (0700; refused when it is not the user's own real folder).
func LockDir(tmp string) (string, error) {
	uid := os.Getuid() // -1 on Windows, whose temporary folder is the user's
	name := "wigen-locks"
	if uid >= 0 {
		name += "-" + strconv.Itoa(uid)
	}
	dir := filepath.Join(tmp, name)
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, os.ErrExist) {
		return "", fmt.Errorf("cannot create the folder of wigen's lock files, %s: %w; set TMPDIR to a folder you can write to", dir, Reason(err))
	}
	info, err := os.Lstat(dir)
	if err != nil {
		return "", fmt.Errorf("the folder of wigen's lock files, %s: %w", dir, Reason(err))
	}
	if !info.IsDir() || !ownedBy(info, uid) {
		return "", fmt.Errorf("%s, where wigen keeps its lock files, is not a folder of your own: remove it (or set TMPDIR to another folder)", dir)
	}
	return dir, nil
}
