// Package cache is wigen render's cache: what a render of one input
// produced (each file's path, size and SHA-256, and the warnings and notes
// it printed), so that the next run on the same input, by the same wigen,
// can check the output tree against it in one walk (disk.Verify) instead
// of loading, validating and rendering again.
//
// It is a cache, content-addressed: an entry's key is a SHA-256 of the
// running binary's build ID (BuildID), the input as -f names it, its
// absolute path and its bytes (which, with the input's folder, fix the
// absolute output root). Rendering is a pure function of those (package
// generate and schema read nothing else: no environment, clock or working
// folder), so an entry can only be wrong if the file system lies. An
// entry that cannot be read, fails its checksum or names another key is a
// miss, never an error; so is a tree that does not verify. Writes are
// atomic (a temporary file renamed into place), so concurrent runs, which
// write the same bytes for the same key, are safe.
//
// The cache lives in os.UserCacheDir()/wigen, or in $WIGEN_CACHE (an
// absolute path); WIGEN_CACHE=off turns it off. Only a folder and entries
// of the user's own, writable by no one else, are trusted (trust.go; on
// Unix: Windows has no such owners and modes and trusts the folder). Entries unused for
// maxAge are removed, at most once a day, as the Go build cache does.
package cache

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Env is the environment variable naming the cache folder, or "off".
const Env = "WIGEN_CACHE"

// Off is the value of Env that turns the cache off.
const Off = "off"

// Dir returns the cache folder: $WIGEN_CACHE when set, else
// os.UserCacheDir()/wigen. It returns "" when WIGEN_CACHE=off, and "" with
// an error when WIGEN_CACHE is not an absolute path (a relative one would
// put the cache wherever wigen runs, inside a repository) or the user has
// no cache folder ($XDG_CACHE_HOME and $HOME unset).
func Dir() (string, error) {
	switch v := os.Getenv(Env); {
	case v == Off:
		return "", nil
	case v != "":
		if !filepath.IsAbs(v) {
			return "", fmt.Errorf("%s=%s is not an absolute path (or %s to turn the cache off)", Env, v, Off)
		}
		return filepath.Clean(v), nil
	}
	base, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(base, "wigen"), nil
}

// Cache is the render cache in one folder.
type Cache struct {
	dir string
}

// Open returns the cache in the folder dir, which need not exist yet
// (the first Put creates it).
func Open(dir string) *Cache { return &Cache{dir: dir} }

// Dir returns the cache's folder.
func (c *Cache) Dir() string { return c.dir }

// Folders under the cache's: entries, and memoised executable hashes
// (BuildID). The version changes with the entry format.
const (
	entriesDir = "render-v1"
	exeDir     = "exe-v1"
)

// Key is the key of one render.
type Key [sha256.Size]byte

func (k Key) String() string { return hex.EncodeToString(k[:]) }

// NewKey returns the key of a render by the binary buildID of the input
// named arg on the command line (as -f names it: it is in every message),
// at the absolute path abs, holding data.
func NewKey(buildID, arg, abs string, data []byte) Key {
	h := sha256.New()
	for _, part := range [][]byte{[]byte("wigen render cache v1"), []byte(buildID), []byte(arg), []byte(abs), data} {
		var n [8]byte
		binary.BigEndian.PutUint64(n[:], uint64(len(part)))
		h.Write(n[:])
		h.Write(part)
	}
	var k Key
	h.Sum(k[:0])
	return k
}

func (c *Cache) entryName(k Key) string { return filepath.Join(c.dir, entriesDir, k.String()) }

// Get returns the entry of k. Any error is a miss: no entry, or one that
// cannot be read or decoded, fails its checksum or is another key's. On a
// hit it marks the entry used (its modification time, at most hourly).
func (c *Cache) Get(k Key) (*Entry, error) {
	name := c.entryName(k)
	data, err := readTrusted(name)
	if err != nil {
		return nil, err
	}
	e, err := decodeEntry(data, k)
	if err != nil {
		return nil, fmt.Errorf("entry %s: %w", name, err)
	}
	markUsed(name)
	return e, nil
}

// Put stores e under k, atomically. Now and then (once a day) it also
// removes entries unused for maxAge.
func (c *Cache) Put(k Key, e *Entry) error {
	data, err := e.encode(k)
	if err != nil {
		return err
	}
	if err := c.write(entriesDir, k.String(), data); err != nil {
		return err
	}
	c.trim(time.Now())
	return nil
}

// write writes data to the file name in the cache's folder sub, atomically:
// a temporary file in the same folder, renamed into place. A reader sees
// the old file or the new one, never part of one; two writers of the same
// bytes leave those bytes.
func (c *Cache) write(sub, name string, data []byte) error {
	dir := filepath.Join(c.dir, sub)
	// 0755: writable by the user only, whatever the umask (Check refuses
	// a folder others can write to).
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	c.tag()
	f, err := os.CreateTemp(dir, tempPrefix+"*")
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), filepath.Join(dir, name))
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

// tempPrefix starts the name of a temporary file in the cache.
const tempPrefix = ".tmp-"

// cacheDirTag marks the folder as a cache for backup tools
// (https://bford.info/cachedir/), as the Go build cache does.
const cacheDirTag = "Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by wigen (the render cache).\n# For information about cache directory tags, see https://bford.info/cachedir/\n"

// tag writes CACHEDIR.TAG and a README in the cache's folder when missing.
func (c *Cache) tag() {
	for name, text := range map[string]string{
		"CACHEDIR.TAG": cacheDirTag,
		"README":       "This folder is wigen render's cache: remembered renders, so that a re-run\non an unchanged input only checks the output tree. Deleting it is safe.\nWIGEN_CACHE=off or `wigen render --no-cache` turns the cache off.\n",
	} {
		name = filepath.Join(c.dir, name)
		if _, err := os.Lstat(name); errors.Is(err, fs.ErrNotExist) {
			os.WriteFile(name, []byte(text), 0o644)
		}
	}
}

// Entries unused for maxAge are removed; an entry's modification time
// records its last use, updated at most every usedGranularity; the cache is
// trimmed at most every trimInterval, and temporary files older than
// tempAge (left by a run that was killed) go too.
const (
	maxAge          = 30 * 24 * time.Hour
	usedGranularity = time.Hour
	trimInterval    = 24 * time.Hour
	tempAge         = time.Hour
)

// markUsed sets the modification time of name to now when it is older
// than usedGranularity (so that a hit rarely writes).
func markUsed(name string) {
	info, err := os.Stat(name)
	if err != nil {
		return
	}
	now := time.Now()
	if now.Sub(info.ModTime()) > usedGranularity {
		os.Chtimes(name, now, now)
	}
}

// trim removes the entries and memoised hashes unused for maxAge, when the
// last trim (the modification time of trim.txt) is older than trimInterval.
// Errors are ignored: the next trim tries again.
func (c *Cache) trim(now time.Time) {
	marker := filepath.Join(c.dir, "trim.txt")
	if info, err := os.Stat(marker); err == nil && now.Sub(info.ModTime()) < trimInterval {
		return
	}
	for _, sub := range []string{entriesDir, exeDir} {
		dir := filepath.Join(c.dir, sub)
		ents, err := os.ReadDir(dir)
		if err != nil {
			continue
		}
		for _, d := range ents {
			info, err := d.Info()
			if err != nil || !info.Mode().IsRegular() {
				continue
			}
			age := now.Sub(info.ModTime())
			if age > maxAge || strings.HasPrefix(d.Name(), tempPrefix) && age > tempAge {
				os.Remove(filepath.Join(dir, d.Name()))
			}
		}
	}
	os.WriteFile(marker, []byte(now.UTC().Format(time.RFC3339)+"\n"), 0o644)
}
