// What of the cache's folder is trusted. A render cache hit skips the
// render: an entry someone else wrote (another user, in a folder they can
// write to) could make `wigen render --check` pass on a stale tree. So the
// cache's folder, its subfolders and every file read back must be the
// user's own and writable by no one else (disk.Private: the owner rule of
// the lock folder, disk.LockDir, plus no write permission for group or
// others). On Windows, which has neither Unix owners nor mode bits, the
// default cache folder is in the user's profile and everything is trusted.

package cache

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/wigen-dev/wigen/cmd/wigen/internal/disk"
	"github.com/wigen-dev/wigen/generate/output"
)

// Check reports why the cache's folder is not to be used: it, or one of
// the subfolders entries and executable hashes live in, exists and is not
// a folder of the user's own that only the user can write to. A folder
// that does not exist yet is fine (Put creates it, private).
func (c *Cache) Check() error {
	for i, d := range []string{c.dir, filepath.Join(c.dir, entriesDir), filepath.Join(c.dir, exeDir)} {
		stat := os.Lstat
		if i == 0 {
			stat = os.Stat // the cache folder itself may be reached through a link of the user's
		}
		info, err := stat(d)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			continue
		case err != nil:
			return fmt.Errorf("the render cache folder %s: %w", d, disk.Reason(err))
		case !info.IsDir():
			return fmt.Errorf("the render cache folder %s is not a folder", d)
		case !disk.Private(info):
			// Private is false for another owner or for a mode others can
			// write with: say which, so the fix offered is one that works.
			fix := "remove the folder, or set " + Env + " to another folder"
			why := "another user owns it"
			if disk.OwnedByUser(info) {
				why = fmt.Sprintf("its mode %s lets others write to it", info.Mode().Perm())
				fix = fmt.Sprintf("run chmod go-w %s, remove the folder, or set %s to another folder", output.ShellQuote(d), Env)
			}
			return fmt.Errorf("the render cache folder %s is not a folder of your own that only you can write to (%s): a render cache hit skips the render, so wigen trusts only its own entries; %s", d, why, fix)
		}
	}
	return nil
}

// readTrusted reads the file name of the cache, or fails when it is not
// the user's own file, writable by no one else.
func readTrusted(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() || !disk.Private(info) {
		return nil, fmt.Errorf("%s is not a file of your own that only you can write to (mode %s): not trusted", name, info.Mode().Perm())
	}
	return io.ReadAll(f)
}
