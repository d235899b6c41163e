// Verifying a remembered render against the output root without the
// render: what `wigen render` relies on for a cache hit.

package disk

import (
	"crypto/sha256"
	"io/fs"
	"os"
	"sync/atomic"
)

// FileSum is one rendered file as a cache remembers it: its path
// (relative to the output root, '/' separators), its size in bytes and
// the SHA-256 of its content.
type FileSum struct {
	Path   string
	Size   int64
	SHA256 [sha256.Size]byte
}

// Sum returns the FileSum of a rendered file.
func Sum(path string, data []byte) FileSum {
	return FileSum{Path: path, Size: int64(len(data)), SHA256: sha256.Sum256(data)}
}

// Verify reports whether the tree at root holds exactly a render of the
// input whose base name is source, a render whose files sums describes:
// whether NewPlanWith(root, source, files, opts), with the files the sums
// were taken of, would find every file Unchanged, nothing to remove and no
// problem. It makes the checks NewPlanWith makes, in one walk of the tree:
//
//   - with opts, the folders on the way to the root and the other inputs
//     of the same file name above it (NewPlanWith's own functions);
//   - every listed file is a regular file in a real folder, of the listed
//     size and SHA-256 (so it is this input's, and up to date: a file an
//     editor saved with a byte order mark differs, and the plan rewrites
//     it);
//   - no other file under the root is wigen's (of this input: a file to
//     remove, even past a byte order mark; of another: a conflict), none
//     is a temporary file of a render (IsTempName: a leftover the plan
//     lists in Leftovers, or a render at work), and none is another input
//     of the same file name (opts.OtherInput);
//   - there is no symbolic link under the root at all, outside the
//     .terraform folders the walk skips as NewPlanWith does (NewPlanWith
//     accepts one that stays inside the root; Verify leaves that to it).
//
// Any doubt is a false: an I/O error, a path NewPlanWith would refuse,
// anything missing, extra or different. why then says what, for a
// trace; it is "" when ok. Verify reads and never writes.
func Verify(root, source string, sums []FileSum, opts Options) (ok bool, why string) {
	rendered, dirs, err := renderedPaths(len(sums), func(i int) string { return sums[i].Path })
	if err != nil {
		return false, err.Error()
	}
	if problems, err := inputProblems(root, source, opts); err != nil || len(problems) > 0 {
		return false, "the checks of the input's place: " + describe(problems, err)
	}
	info, err := os.Stat(root)
	if err != nil || !info.IsDir() {
		return false, "the output root is not a folder"
	}
	realRoot, err := resolveRoot(root)
	if err != nil {
		return false, err.Error()
	}

	found := make([]string, len(sums)) // the file of each sum, by index
	var doubt string
	err = walkTree(realRoot, dirs, func(name, rel string, d fs.DirEntry) error {
		i, isRendered := rendered[rel]
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			doubt = rel + " is a symbolic link"
			return fs.SkipAll
		case isRendered:
			if !d.Type().IsRegular() {
				doubt = rel + " is not a regular file"
				return fs.SkipAll
			}
			found[i] = name
			return nil
		case d.IsDir() || !d.Type().IsRegular():
			return nil
		case IsTempName(d.Name()):
			// A leftover of an interrupted render (the plan's Leftovers:
			// out of date), or a concurrent render's temporary file.
			doubt = rel + " is a temporary file of a render"
			return fs.SkipAll
		}
		_, owned, err := probe(name)
		if err != nil {
			return err
		}
		if owned {
			doubt = rel + " is wigen's and not in the render"
			return fs.SkipAll
		}
		if prob := otherInputInside(name, rel, d.Name(), source, opts); prob != nil {
			doubt = rel + " is another input of the same name"
			return fs.SkipAll
		}
		return nil
	})
	switch {
	case err != nil:
		return false, err.Error()
	case doubt != "":
		return false, doubt
	}
	for i, name := range found {
		if name == "" {
			return false, sums[i].Path + " is missing"
		}
	}

	// Every listed file is in place: compare contents, concurrently
	// (reading them is most of the cost).
	var bad atomic.Int64
	bad.Store(-1)
	parallel(len(sums), func(i int) {
		if bad.Load() >= 0 {
			return
		}
		if !sameContent(found[i], sums[i]) {
			bad.CompareAndSwap(-1, int64(i))
		}
	})
	if i := bad.Load(); i >= 0 {
		return false, sums[i].Path + " differs"
	}
	return true, ""
}

// describe words the outcome of inputProblems for Verify's why.
func describe(problems []Problem, err error) string {
	if err != nil {
		return err.Error()
	}
	return (&ConflictError{Problems: problems[:1]}).Error()
}

// sameContent reports whether the file name holds exactly sum.Size bytes
// whose SHA-256 is sum.SHA256.
func sameContent(name string, sum FileSum) bool {
	bp := readBuffers.Get().(*[]byte)
	defer readBuffers.Put(bp)
	// One byte more than expected: a longer file shows in one read.
	buf := sized(bp, sum.Size+1)
	n, err := readFull(name, buf, sum.Size)
	return err == nil && int64(n) == sum.Size && sha256.Sum256(buf[:n]) == sum.SHA256
}
