//go:build linux || darwin

package cache

import (
	"fmt"
	"io/fs"
	"syscall"
	"time"
)

// fileIdentity returns what changes whenever the file's content may have:
// device, inode, size, modification and change time (the change time is
// set by the kernel on every write and cannot be set back). A file
// changed in the last recentChange has none: a file system whose clock
// ticks coarsely may give a second write in the same tick the same times.
func fileIdentity(info fs.FileInfo) (string, bool) {
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return "", false
	}
	mtime, ctime := times(st)
	if now := time.Now(); now.Sub(time.Unix(mtime.Unix())) < recentChange || now.Sub(time.Unix(ctime.Unix())) < recentChange {
		return "", false
	}
	return fmt.Sprintf("dev=%d ino=%d size=%d mtime=%d.%09d ctime=%d.%09d",
		uint64(st.Dev), uint64(st.Ino), st.Size, mtime.Sec, mtime.Nsec, ctime.Sec, ctime.Nsec), true
}
