// Planning one rendered file: the folders on the way to it (real folders,
// no symbolic link), the file in its place (a regular file wigen owns, of
// this input, or nothing), and what applying the plan does to it. Also the
// generated-file probe for files the render does not produce.

package disk

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/wigen-dev/wigen/generate/output"
	"github.com/wigen-dev/wigen/schema"
)

// headerProbe is how much of a file not in the render is read to decide
// whether it is wigen's: the generated-file line is far shorter.
const headerProbe = 512

// checkPath refuses a rendered path that is not a clean, relative,
// '/'-separated path below the root: no rendered file ever leaves it.
func checkPath(p string) error {
	if p == "" || path.IsAbs(p) || strings.Contains(p, `\`) || path.Clean(p) != p ||
		p == "." || p == ".." || strings.HasPrefix(p, "../") || strings.Contains(p, "\x00") {
		return fmt.Errorf("refusing to write %s: not a clean path below the output root", schema.Quote(p))
	}
	if filepath.IsAbs(filepath.FromSlash(p)) || filepath.VolumeName(filepath.FromSlash(p)) != "" {
		return fmt.Errorf("refusing to write %s: not a clean path below the output root", schema.Quote(p))
	}
	return nil
}

// renderedPaths checks the n paths of a render (pathAt(i)): each clean
// (checkPath), none twice, none both a file and a folder of another. It
// returns the index of each path, and the set of folders (relative to the
// root) holding a rendered file at any depth, so that the walk knows in
// one lookup whether a folder has anything of wigen's below it.
func renderedPaths(n int, pathAt func(int) string) (files map[string]int, dirs map[string]bool, err error) {
	files = make(map[string]int, n)
	for i := range n {
		p := pathAt(i)
		if err := checkPath(p); err != nil {
			return nil, nil, err
		}
		if _, dup := files[p]; dup {
			return nil, nil, fmt.Errorf("%s is rendered twice", p)
		}
		files[p] = i
	}
	dirs = make(map[string]bool, n/2)
	for i := range n {
		p := pathAt(i)
		for d := path.Dir(p); d != "."; d = path.Dir(d) {
			if _, ok := files[d]; ok {
				return nil, nil, fmt.Errorf("%s is rendered as a file and as a folder of %s", d, p)
			}
			if dirs[d] {
				break // its parents are in the set and were checked
			}
			dirs[d] = true
		}
	}
	return files, dirs, nil
}

type dirState int

type planner struct {
	root   string
	source string              // the input's base name
	dirs   map[string]dirState // by path relative to root
}

// otherSource returns the problem of the generated file rel, whose
// generated-file line names the input src, when src is another input
// than the one being rendered. A line naming no input is taken as ours.
func (pl *planner) otherSource(rel, src string) *Problem {
	if src == "" || src == pl.source {
		return nil
	}
	return &Problem{Path: rel, Source: src, Message: fmt.Sprintf(
		"was generated from %s, not %s: two inputs cannot share an output root; give one of them another spec.output",
		src, pl.source)}
}

// fileResult is the plan of one rendered file: a change, a problem (an
// empty one when the problem was reported on another file), or an error.
type fileResult struct {
	change Change
	prob   *Problem
	err    error
}

// folders checks that every folder on the way to f is a real folder or does
// not exist yet. ok reports that this decides f's plan (a folder is missing,
// so f is created; or one is in the way).
func (pl *planner) folders(f output.File) (r fileResult, ok bool) {
	dir := path.Dir(f.Path)
	if dir == "." {
		return r, false
	}
	st, prob, err := pl.dir(dir)
	switch {
	case err != nil || prob != nil:
		return fileResult{prob: prob, err: err}, true
	case st == dirBad:
		// Already reported on the first file below that folder.
		return fileResult{prob: &Problem{}}, true
	case st == dirMissing:
		return fileResult{change: Change{Path: f.Path, Action: Create, New: f.Data, mode: DefaultFileMode}}, true
	}
	return r, false
}

// file plans one rendered file whose folder exists. It is safe to call
// concurrently.
func (pl *planner) file(f output.File) fileResult {
	name := filepath.Join(pl.root, filepath.FromSlash(f.Path))
	info, err := os.Lstat(name)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fileResult{change: Change{Path: f.Path, Action: Create, New: f.Data, mode: DefaultFileMode}}
	case err != nil:
		return fileResult{err: err}
	case info.Mode()&fs.ModeSymlink != 0:
		return fileResult{prob: pl.linkProblem(f.Path, name)}
	case info.IsDir():
		return fileResult{prob: &Problem{Path: f.Path, Message: "is a folder where wigen writes a file; move it away"}}
	case !info.Mode().IsRegular():
		return fileResult{prob: &Problem{Path: f.Path, Message: "is not a regular file; move it away"}}
	}
	if info.Size() > MaxCompareBytes {
		return pl.large(f, name, info)
	}
	buf := readBuffers.Get().(*[]byte)
	defer readBuffers.Put(buf)
	data, err := readRegularInto(name, info.Size(), buf)
	if err != nil {
		return fileResult{err: err}
	}
	src, owned := generatedFrom(data)
	if !owned {
		return fileResult{prob: notOwned(f.Path)}
	}
	if prob := pl.otherSource(f.Path, src); prob != nil {
		return fileResult{prob: prob}
	}
	c := Change{Path: f.Path, New: f.Data, mode: info.Mode().Perm()}
	if bytes.Equal(data, f.Data) {
		// The same bytes: Old shares New's, and the buffer read into goes
		// back to the pool (a check of 1000 environments would otherwise
		// allocate, and hold, every file twice).
		c.Action, c.Old = Unchanged, f.Data
	} else {
		c.Action, c.Old = Update, bytes.Clone(data)
	}
	return fileResult{change: c}
}

// notOwned is the problem of a file at a rendered path that is not wigen's.
func notOwned(rel string) *Problem {
	return &Problem{Path: rel, Message: "exists and was not written by wigen (its first line is not the \"Code generated by wigen\" line); wigen never overwrites a file it does not own: move or rename it"}
}

// parallel calls f(0) ... f(n-1) on a few goroutines and waits for them.
// The work is file I/O, so there are more goroutines than processors.
func parallel(n int, f func(int)) {
	workers := min(n, 4*runtime.GOMAXPROCS(0))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				f(i)
			}
		})
	}
	wg.Wait()
}

// dir reports whether the folder rel (relative to the root) exists, is
// missing, or is in the way, checking its parents first.
func (pl *planner) dir(rel string) (dirState, *Problem, error) {
	if st, ok := pl.dirs[rel]; ok {
		// A folder in the way is reported once, on the first file below it.
		return st, nil, nil
	}
	if parent := path.Dir(rel); parent != "." {
		st, prob, err := pl.dir(parent)
		if err != nil || prob != nil || st != dirOK {
			if st == dirMissing {
				pl.dirs[rel] = dirMissing
			}
			return st, prob, err
		}
	}
	name := filepath.Join(pl.root, filepath.FromSlash(rel))
	info, err := os.Lstat(name)
	var st dirState
	var prob *Problem
	switch {
	case errors.Is(err, fs.ErrNotExist):
		st = dirMissing
	case err != nil:
		return 0, nil, err
	case info.Mode()&fs.ModeSymlink != 0:
		st, prob = dirBad, pl.linkProblem(rel, name)
	case !info.IsDir():
		st, prob = dirBad, &Problem{Path: rel, Message: "is a file where wigen needs a folder; move it away"}
	default:
		st = dirOK
	}
	pl.dirs[rel] = st
	return st, prob, nil
}

func (pl *planner) linkProblem(rel, name string) *Problem {
	if !pl.linkInside(name) {
		return &Problem{Path: rel, Message: "is a symbolic link pointing outside the output root; wigen refuses to work through it: remove it"}
	}
	return &Problem{Path: rel, Message: "is a symbolic link where wigen writes; wigen writes only regular files and folders under the output root: remove it"}
}

// linkInside reports whether the symbolic link name resolves to a place
// inside the root. A link that cannot be resolved (dangling, a loop) is
// judged by its text.
func (pl *planner) linkInside(name string) bool {
	target := resolveLink(name)
	if target == "" {
		return false
	}
	return Inside(pl.root, target)
}

// probe reads the start of name and reports whether it is wigen's, and
// from which input (output.GeneratedFrom).
func probe(name string) (source string, owned bool, err error) {
	var buf [headerProbe]byte
	n, err := readFull(name, buf[:], -1)
	if err != nil {
		return "", false, err
	}
	source, owned = generatedFrom(buf[:n])
	return source, owned, nil
}

// utf8BOM is the UTF-8 byte order mark some editors put at the start of
// a file they save.
var utf8BOM = []byte("\xef\xbb\xbf")

// generatedFrom is output.GeneratedFrom, read past a UTF-8 byte order
// mark: a generated file an editor saved with one is still wigen's (and,
// differing from the render, rewritten without it).
func generatedFrom(data []byte) (source string, owned bool) {
	return output.GeneratedFrom(bytes.TrimPrefix(data, utf8BOM))
}

// readRegular reads the file name, of about size bytes (from Lstat).
func readRegular(name string, size int64) ([]byte, error) {
	return readRegularInto(name, size, new([]byte))
}

// readBuffers hold the buffers the planner and Verify read rendered files
// into: most files they read are unchanged, and their bytes are not kept.
var readBuffers = sync.Pool{New: func() any { return new([]byte) }}

// sized returns (*buf)[:n], growing *buf first when it is shorter.
func sized(buf *[]byte, n int64) []byte {
	if int64(cap(*buf)) < n {
		*buf = make([]byte, n)
	}
	return (*buf)[:n]
}

// readRegularInto is readRegular reading into *buf, which it grows as
// needed: the bytes it returns are in *buf (but for a file that grew
// since Lstat), valid until the buffer is used again.
func readRegularInto(name string, size int64, buf *[]byte) ([]byte, error) {
	// One byte more than expected: the usual case is one short read; a
	// file that grew since Lstat is read again, whole.
	b := sized(buf, size+1)
	n, err := readFull(name, b, size)
	switch {
	case err != nil:
		return nil, err
	case int64(n) <= size:
		return b[:n], nil
	}
	return os.ReadFile(name)
}

const (
	dirMissing dirState = iota + 1
	dirOK
	dirBad
)
