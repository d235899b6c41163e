// The render cache as `wigen render` uses it (package cache): a hit, a
// tree that verifies against what the last render of the same input by
// the same binary produced, prints what an up-to-date render prints and
// exits 0 in every mode; a miss renders as usual and, once the tree holds
// exactly the render, remembers it.

package cli

import (
	"bytes"
	"io"
	"os"
	"path/filepath"

	"github.com/wigen-dev/wigen/cmd/wigen/internal/cache"
	"github.com/wigen-dev/wigen/cmd/wigen/internal/disk"
	"github.com/wigen-dev/wigen/generate/output"
)

// cacheDebugEnv, set to 1, makes render say on stderr what the cache did
// (hit, miss and why, stored), like GODEBUG=gocachehash=1 for go.
const cacheDebugEnv = "WIGEN_CACHE_DEBUG"

// renderCache is the cache of one render run; nil when off. Its methods
// do nothing on nil.
type renderCache struct {
	c     *cache.Cache
	key   cache.Key
	file  string // the input, as -f names it
	debug bool

	stderr io.Writer    // the run's stderr while record is on
	rec    bytes.Buffer // what was printed on it since record
}

// openRenderCache returns the cache for rendering the input file, whose
// bytes are data, or nil: with --no-cache or WIGEN_CACHE=off, without a
// cache folder or without a build ID. A WIGEN_CACHE that is not an
// absolute path is a warning (and no cache).
func (e *env) openRenderCache(noCache bool, file string, data []byte) *renderCache {
	debug := os.Getenv(cacheDebugEnv) == "1"
	off := func(why string) *renderCache {
		if debug {
			e.errorf("cache: off: %s", why)
		}
		return nil
	}
	if noCache {
		return off("--no-cache")
	}
	dir, err := cache.Dir()
	switch {
	case err != nil && os.Getenv(cache.Env) != "":
		e.errorf("warning: %s; rendering without the cache", err)
		return nil
	case err != nil:
		return off(err.Error())
	case dir == "":
		return off(cache.Env + "=" + cache.Off)
	}
	abs, err := filepath.Abs(file)
	if err != nil {
		return off(err.Error())
	}
	if where := cacheInRepository(dir, abs); where != "" {
		named := cache.Env + "=" + dir
		if os.Getenv(cache.Env) == "" {
			named = "the cache folder " + dir + " (the default)"
		}
		e.errorf("warning: %s is inside %s: the cache's entries would be committed with the output; rendering without the cache (set %s to a folder outside it)", named, where, cache.Env)
		return nil
	}
	c := cache.Open(dir)
	if err := c.Check(); err != nil {
		e.errorf("warning: %s; rendering without the cache", err)
		return nil
	}
	id, ok := buildID(c)
	if !ok {
		return off("no build ID for this binary")
	}
	return &renderCache{c: c, key: cache.NewKey(id, file, abs, data), file: file, debug: debug}
}

// cacheInRepository says where the cache folder dir (WIGEN_CACHE's, or
// the default under the user's cache folder: a home folder kept in Git
// holds it) lies that it must not: inside the repository of the input at
// abs (the nearest folder above it holding .git) or, outside a
// repository, inside the input's folder, which holds the output root; ""
// when neither.
func cacheInRepository(dir, abs string) string {
	realDir, err := disk.RealPath(dir)
	if err != nil {
		return ""
	}
	folder, err := disk.RealPath(filepath.Dir(abs))
	if err != nil {
		return ""
	}
	where := "the folder of the input " + filepath.ToSlash(folder) + ", which holds the output root"
	for d := folder; ; d = filepath.Dir(d) {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			folder, where = d, "the repository "+filepath.ToSlash(d)+" of the input"
			break
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	if disk.Inside(folder, realDir) {
		return where
	}
	return ""
}

// buildID is (*cache.Cache).BuildID; tests replace it to stand for
// another binary.
var buildID = (*cache.Cache).BuildID

func (rc *renderCache) trace(e *env, format string, args ...any) {
	if rc.debug {
		e.errorf("cache: "+format, args...)
	}
}

// hit reports whether the cache holds the render and the tree verifies
// against it (disk.Verify, with render's checks), under the shared lock
// on the output root that --check and --diff take (a hit only reads): a
// render at work on the tree is waited for, as a full run waits, and a
// tree half written is never verified. Then it prints what an up-to-date
// render prints in this mode, the warnings and notes, and the "up to date"
// line unless the mode is --diff alone, and done is true with exit code
// ExitOK. When the lock cannot be taken, it prints what the full run
// prints then (the warnings and notes, then why) and done is true with
// ExitError. Otherwise (a miss) done is false: render in full.
func (rc *renderCache) hit(e *env, check, diff bool) (code int, done bool) {
	if rc == nil {
		return 0, false
	}
	ent, err := rc.c.Get(rc.key)
	if err != nil {
		rc.trace(e, "miss: %v", err)
		return 0, false
	}
	unlock, err := disk.Lock(ent.Root, false, disk.LockWait)
	if err != nil {
		// The full run prints the warnings and notes, then fails to take
		// the lock the same way (a render's exclusive lock waits at least
		// as long as this shared one): say it as that run would.
		rc.trace(e, "no lock: %v", err)
		e.stderr.Write(ent.Stderr)
		e.lockFailed(ent.Root, err, check, diff, renderCommand(rc.file))
		return ExitError, true
	}
	defer unlock()
	if ok, why := disk.Verify(ent.Root, sourceName(rc.file), ent.Files, renderOptions(rc.file)); !ok {
		rc.trace(e, "miss: the tree does not verify: %s", why)
		return 0, false
	}
	rc.trace(e, "hit: %s verified, %s", ent.Shown, files(len(ent.Files)))
	e.stderr.Write(ent.Stderr)
	if check || !diff {
		e.upToDate(ent.Shown, len(ent.Files))
	}
	return ExitOK, true
}

// record starts keeping what render prints on stderr, until stopRecording:
// the warnings and notes a hit prints again.
func (rc *renderCache) record(e *env) {
	if rc == nil {
		return
	}
	rc.stderr = e.stderr
	e.stderr = io.MultiWriter(rc.stderr, &rc.rec)
}

func (rc *renderCache) stopRecording(e *env) {
	if rc == nil || rc.stderr == nil {
		return
	}
	e.stderr, rc.stderr = rc.stderr, nil
}

// store remembers the render: call it only when the tree at root holds
// exactly files (found up to date, or just written).
func (rc *renderCache) store(e *env, root, shown string, files []output.File) {
	if rc == nil {
		return
	}
	ent := &cache.Entry{Root: root, Shown: shown, Stderr: bytes.Clone(rc.rec.Bytes()), Files: make([]disk.FileSum, len(files))}
	for i, f := range files {
		ent.Files[i] = disk.Sum(f.Path, f.Data)
	}
	if err := rc.c.Put(rc.key, ent); err != nil {
		rc.trace(e, "not stored: %v", err)
		return
	}
	rc.trace(e, "stored %s", rc.key)
}

// sourceName is the input's base name, as generated-file lines name it.
func sourceName(file string) string { return filepath.Base(file) }
