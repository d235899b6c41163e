//go:build unix

package disk

import (
	"io/fs"
	"syscall"
)

// ownedBy reports whether info is owned by the user uid.
func ownedBy(info fs.FileInfo, uid int) bool {
	st, ok := info.Sys().(*syscall.Stat_t)
	return ok && int(st.Uid) == uid
}
