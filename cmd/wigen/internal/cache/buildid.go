// The build ID: what identifies the code of the running binary in a key.

package cache

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"time"

	"github.com/wigen-dev/wigen/cmd/wigen/internal/buildinfo"
)

// BuildID returns what identifies the code of the running binary, for
// NewKey, and false when nothing does (then there is no cache):
//
//   - its build information (runtime/debug.ReadBuildInfo) when that pins
//     the code: a module version with its checksum (`go install
//     ...@v1.2.3`), or a VCS revision without local modifications (a
//     build in a clean clone). The whole build information counts (Go
//     version, dependencies, build flags);
//   - else the SHA-256 of the executable's content. Hashing the binary
//     takes a few milliseconds, so the hash is remembered in the cache by
//     the file's identity (device, inode, size, modification and change
//     time, which every write changes; on Linux and macOS), and computed
//     once per binary.
func (c *Cache) BuildID() (string, bool) {
	bi, _ := debug.ReadBuildInfo()
	if id, ok := fromBuildInfo(bi); ok {
		return id, true
	}
	return c.executableHash()
}

// fromBuildInfo returns the build ID of bi when it pins the code
// (buildinfo.PinsCode).
func fromBuildInfo(bi *debug.BuildInfo) (string, bool) {
	if !buildinfo.PinsCode(bi) {
		return "", false
	}
	sum := sha256.Sum256([]byte(bi.String()))
	return "buildinfo:" + hex.EncodeToString(sum[:]), true
}

// recentChange: a file changed this recently has no identity
// (fileIdentity). The Go command trusts no modification time within 2
// seconds of now either.
var recentChange = 2 * time.Second

// executable opens the running binary: on Linux /proc/self/exe, which is
// the file running even when its path now names another (a binary
// replaced during the run).
var executable = func() (*os.File, error) {
	if runtime.GOOS == "linux" {
		if f, err := os.Open("/proc/self/exe"); err == nil {
			return f, nil
		}
	}
	name, err := os.Executable()
	if err != nil {
		return nil, err
	}
	return os.Open(name)
}

// executableHash returns "exe:" and the SHA-256 of the running binary,
// remembered by the file's identity.
func (c *Cache) executableHash() (string, bool) {
	f, err := executable()
	if err != nil {
		return "", false
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return "", false
	}
	memo := ""
	if id, ok := fileIdentity(info); ok {
		sum := sha256.Sum256([]byte(id))
		memo = hex.EncodeToString(sum[:])
		if data, err := readTrusted(c.exeName(memo)); err == nil && validHex(data) {
			return "exe:" + string(data), true
		}
	}
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", false
	}
	sum := hex.EncodeToString(h.Sum(nil))
	if memo != "" {
		c.write(exeDir, memo, []byte(sum)) // a failure only costs a hash next time
	}
	return "exe:" + sum, true
}

func (c *Cache) exeName(memo string) string { return filepath.Join(c.dir, exeDir, memo) }

// validHex reports whether data is a SHA-256 in lowercase hex.
func validHex(data []byte) bool {
	if len(data) != 2*sha256.Size {
		return false
	}
	for _, b := range data {
		if !('0' <= b && b <= '9' || 'a' <= b && b <= 'f') {
			return false
		}
	}
	return true
}
