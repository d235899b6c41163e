//go:build !unix

package disk

import "io/fs"

// ownedBy reports whether info is owned by the user uid; without Unix
// owners (Windows, where the temporary folder is the user's own), always.
func ownedBy(fs.FileInfo, int) bool { return true }

// Private reports whether info is the current user's own, writable by no
// one else; without Unix owners and mode bits (Windows, where the user's
// cache and temporary folders are in the user's profile), always.
func Private(fs.FileInfo) bool { return true }

// OwnedByUser reports whether info is owned by the current user; without
// Unix owners, always.
func OwnedByUser(fs.FileInfo) bool { return true }
