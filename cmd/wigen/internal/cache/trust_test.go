//go:build unix

package cache

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// The cache trusts only a folder and entries of the user's own that no one
// else can write to (disk.Private): a folder others can write to is
// refused by Check, an entry others can write to is a miss, and what Put
// creates passes, whatever the umask.
func TestTrust(t *testing.T) {
	old := syscall.Umask(0o002) // user-private groups: a group-writable default
	defer syscall.Umask(old)
	dir := filepath.Join(t.TempDir(), "cache")
	c := Open(dir)
	if err := c.Check(); err != nil {
		t.Fatalf("Check of a folder not made yet: %v", err)
	}
	k := NewKey("id", "wigen.yaml", "/x/wigen.yaml", []byte("a"))
	if err := c.Put(k, testEntry()); err != nil {
		t.Fatal(err)
	}
	if err := c.Check(); err != nil {
		t.Fatalf("Check of the folder Put made: %v", err)
	}
	if _, err := c.Get(k); err != nil {
		t.Fatalf("Get of an entry Put wrote: %v", err)
	}

	entry := c.entryName(k)
	if err := os.Chmod(entry, 0o620); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Get(k); err == nil || !strings.Contains(err.Error(), "not trusted") {
		t.Errorf("Get of a group-writable entry: %v, want a miss (not trusted)", err)
	}
	if err := os.Chmod(entry, 0o600); err != nil {
		t.Fatal(err)
	}

	for _, d := range []string{dir, filepath.Join(dir, entriesDir)} {
		if err := os.Chmod(d, 0o777); err != nil {
			t.Fatal(err)
		}
		if err := c.Check(); err == nil || !strings.Contains(err.Error(), d+" is not a folder of your own that only you can write to") {
			t.Errorf("Check with %s world-writable: %v", d, err)
		}
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// A link in place of the entries' folder.
	if err := os.Rename(filepath.Join(dir, entriesDir), filepath.Join(dir, "elsewhere")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("elsewhere", filepath.Join(dir, entriesDir)); err != nil {
		t.Fatal(err)
	}
	if err := c.Check(); err == nil {
		t.Errorf("Check with the entries' folder a symbolic link: nil")
	}
}

// TestTrustOtherOwner: a cache folder another user owns is refused with
// a fix that works for it (chmod would not change the owner). It needs
// root to give a folder away.
func TestTrustOtherOwner(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("needs root to chown a folder to another user")
	}
	dir := filepath.Join(t.TempDir(), "cache")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(dir, 65534, 65534); err != nil {
		t.Fatal(err)
	}
	err := Open(dir).Check()
	if err == nil || !strings.Contains(err.Error(), "(another user owns it)") || strings.Contains(err.Error(), "chmod") {
		t.Errorf("Check of a folder another user owns: %v; want \"another user owns it\" and no chmod", err)
	}
}
