//go:build unix

package disk

import (
	"io/fs"
	"os"
	"syscall"
)

// ownedBy reports whether info is owned by the user uid.
func ownedBy(info fs.FileInfo, uid int) bool {
	st, ok := info.Sys().(*syscall.Stat_t)
	return ok && int(st.Uid) == uid
}

// Private reports whether info is owned by the current user (the rule
// LockDir applies to the lock folder) and writable by no one else,
// neither its group nor others: what wigen trusts of what it reads back
// from its own folders (the render cache).
func Private(info fs.FileInfo) bool {
	return OwnedByUser(info) && info.Mode().Perm()&0o022 == 0
}

// OwnedByUser reports whether info is owned by the current user (the
// half of Private a chmod cannot fix).
func OwnedByUser(info fs.FileInfo) bool { return ownedBy(info, os.Getuid()) }
