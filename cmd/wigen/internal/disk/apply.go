package disk

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// ApplyError is a failure of Apply: what it could not do to which path,
// and the operating system's reason.
type ApplyError struct {
	// Op is what failed: "write", "create the folder", "remove", "replace".
	Op string
	// Path is the file or folder it failed on (never a temporary file's
	// name), relative to the output root, with '/' separators.
	Path string
	// Err is the reason, without the path ("permission denied").
	Err error
	// Partial reports that some files were already replaced or removed
	// when the failure happened (in the commit phase; see Apply). When it
	// is false, the tree is exactly as it was before Apply.
	Partial bool
}

func (e *ApplyError) Error() string { return fmt.Sprintf("cannot %s %s: %v", e.Op, e.Path, e.Err) }

func (e *ApplyError) Unwrap() error { return e.Err }

// Reason strips the operation and path that package os puts in an error:
// ApplyError names the path itself, never a temporary file's.
func Reason(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	var se *os.SyscallError
	if errors.As(err, &se) {
		return se.Err
	}
	return err
}

// The file operations Apply uses; tests replace them to make one fail at
// a chosen path (a write failure is hard to provoke otherwise, e.g. as root).
var (
	createTemp = os.CreateTemp
	rename     = os.Rename
	remove     = os.Remove
	mkdir      = os.Mkdir
)

// tempPattern is the os.CreateTemp pattern of a temporary file beside
// name: ".<name>.wigen-<digits>.tmp". The name alone marks it as wigen's
// (IsTempName), since a render killed between creating and renaming it
// leaves it behind, holding nothing or part of a file. Starting with '.'
// and ending in ".tmp", it is neither a Terraform file (*.tf) nor a YAML
// one to the tools that read the output.
func tempPattern(name string) string {
	return "." + filepath.Base(name) + tempMarker + "*" + tempSuffix
}

const (
	tempMarker = ".wigen-"
	tempSuffix = ".tmp"
)

// IsTempName reports whether base is the name of one of wigen's temporary
// files (tempPattern: os.CreateTemp puts decimal digits for the "*").
func IsTempName(base string) bool {
	_, ok := TempTarget(base)
	return ok
}

// TempTarget returns the name of the file whose temporary file base is
// (tempPattern: ".<name>.wigen-<digits>.tmp" gives name), or false when
// base is not a temporary file's name.
func TempTarget(base string) (string, bool) {
	rest, ok := strings.CutSuffix(base, tempSuffix)
	if !ok || !strings.HasPrefix(rest, ".") {
		return "", false
	}
	i := strings.LastIndex(rest, tempMarker)
	if i < 2 { // "." and at least one character of the file's name
		return "", false
	}
	digits := rest[i+len(tempMarker):]
	if digits == "" {
		return "", false
	}
	for _, c := range digits {
		if c < '0' || c > '9' {
			return "", false
		}
	}
	return rest[1:i], true
}

// leftoverOf reports whether the file at rel (relative to the output
// root) is a temporary file of a path the render writes (rendered): one a
// render of this input, interrupted before it renamed it, left behind.
// Any other file of that shape is not this render's to remove: a user's
// file, or the temporary file of another input's render at work in an
// output root nested in this one (its paths are not this input's).
func leftoverOf(rel string, rendered map[string]int) bool {
	target, ok := TempTarget(path.Base(rel))
	if !ok {
		return false
	}
	_, ok = rendered[path.Join(path.Dir(rel), target)]
	return ok
}

// RemoveLeftovers removes the leftover temporary files of the plan (see
// Plan.Leftovers), calling done with each path after it is gone. A file
// already gone is no error.
func (p *Plan) RemoveLeftovers(done func(path string)) error {
	for _, rel := range p.Leftovers {
		err := remove(filepath.Join(p.Root, filepath.FromSlash(rel)))
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return &ApplyError{Op: "remove the leftover temporary file", Path: rel, Err: Reason(err)}
		}
		if done != nil {
			done(rel)
		}
	}
	return nil
}

// step is one file of an Apply in progress.
type step struct {
	c    Change
	name string // the target, under p.Root
	temp string // the temporary file: the new content, or the moved-aside old one
}

// Apply carries out the plan in two phases, so that a failure it can
// foresee changes nothing:
//
//  1. Prepare. Create the missing folders; write every created and updated
//     file to a temporary file in its own folder (flushed to disk and given
//     its mode); move every file to remove aside, to a temporary name in its
//     folder. If any of this fails, all of it is undone (temporary files
//     removed, moved files moved back, created folders removed) and Apply
//     returns an *ApplyError with Partial false: the tree is as it was.
//  2. Commit. Rename each temporary file over its target, in path order,
//     then delete the moved-aside files, then the folders that removal left
//     empty (never the root). These are renames and removals in folders
//     phase 1 has just written to, so they fail only when something else
//     changed the tree in between or the file system fails. If a rename
//     fails, the files renamed before it hold their new content, the others
//     keep their old one (their temporary files are removed and the files
//     moved aside are moved back), and Apply returns an *ApplyError with
//     Partial true; running it again finishes the job.
//
// Unchanged files are never touched (their modification time neither). A
// file always holds either its old or its new content, never a mix. done,
// when not nil, is called in phase 2 after each file is written or
// removed: written files in path order, then removed files in path order.
func (p *Plan) Apply(done func(Change)) error {
	var writes, removes []*step
	for _, c := range p.Changes {
		st := &step{c: c, name: filepath.Join(p.Root, filepath.FromSlash(c.Path))}
		switch c.Action {
		case Create, Update:
			writes = append(writes, st)
		case Remove:
			removes = append(removes, st)
		}
	}
	if len(writes) == 0 && len(removes) == 0 {
		return nil
	}

	// Phase 1: prepare.
	var created []string // folders made, parents first
	// undo restores what is still pending: moved-aside files go back,
	// temporary files not renamed yet are removed, and the folders this
	// Apply made are removed when empty (deepest first).
	undo := func() {
		for _, st := range removes {
			if st.temp != "" {
				rename(st.temp, st.name)
			}
		}
		for _, st := range writes {
			if st.temp != "" {
				remove(st.temp)
			}
		}
		for i := len(created) - 1; i >= 0; i-- {
			remove(created[i])
		}
	}
	known := map[string]bool{}
	for _, st := range writes {
		made, err := p.mkdirs(path.Dir(st.c.Path), known)
		created = append(created, made...)
		if err != nil {
			undo()
			return err
		}
	}
	errs := make([]error, len(writes))
	parallel(len(writes), func(j int) {
		st := writes[j]
		st.temp, errs[j] = writeTemp(st.name, st.c.New, st.c.mode)
	})
	for j, err := range errs {
		if err != nil {
			undo()
			return &ApplyError{Op: "write", Path: writes[j].c.Path, Err: Reason(err)}
		}
	}
	for _, st := range removes {
		temp, err := moveAside(st.name)
		if err != nil {
			undo()
			return &ApplyError{Op: "remove", Path: st.c.Path, Err: Reason(err)}
		}
		st.temp = temp
	}

	// Phase 2: commit.
	for i, st := range writes {
		if err := rename(st.temp, st.name); err != nil {
			undo()
			op := "replace"
			if st.c.Action == Create {
				op = "create"
			}
			return &ApplyError{Op: op, Path: st.c.Path, Err: Reason(err), Partial: i > 0}
		}
		st.temp = ""
		if done != nil {
			done(st.c)
		}
	}
	emptied := map[string]bool{}
	for i, st := range removes {
		if err := remove(st.temp); err != nil && !errors.Is(err, fs.ErrNotExist) {
			undo()
			return &ApplyError{Op: "remove", Path: st.c.Path, Err: Reason(err), Partial: len(writes) > 0 || i > 0}
		}
		for d := path.Dir(st.c.Path); d != "."; d = path.Dir(d) {
			emptied[d] = true
		}
		st.temp = ""
		if done != nil {
			done(st.c)
		}
	}
	return p.removeEmptied(emptied)
}

// mkdirs creates the folder rel (relative to the root) and its missing
// parents, and returns the folders it created, parents first. The root
// itself is created too when missing (the first render). known holds the
// folders already found or made, to stat each folder once.
func (p *Plan) mkdirs(rel string, known map[string]bool) (created []string, err error) {
	var missing []string
	name := filepath.Join(p.Root, filepath.FromSlash(rel))
	for !known[name] {
		info, err := os.Stat(name)
		if err == nil {
			if !info.IsDir() {
				return nil, &ApplyError{Op: "create the folder", Path: p.rel(name), Err: errors.New("a file is in the way")}
			}
			break
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, &ApplyError{Op: "create the folder", Path: p.rel(name), Err: Reason(err)}
		}
		missing = append(missing, name)
		parent := filepath.Dir(name)
		if parent == name {
			break
		}
		name = parent
	}
	for i := len(missing) - 1; i >= 0; i-- {
		switch err := mkdir(missing[i], 0o755); {
		case err == nil:
			created = append(created, missing[i])
		case !errors.Is(err, fs.ErrExist):
			return created, &ApplyError{Op: "create the folder", Path: p.rel(missing[i]), Err: Reason(err)}
		}
	}
	for n := filepath.Join(p.Root, filepath.FromSlash(rel)); !known[n]; n = filepath.Dir(n) {
		known[n] = true
		if filepath.Dir(n) == n {
			break
		}
	}
	return created, nil
}

// rel names a folder of the tree for an ApplyError: relative to the root,
// or "." for the root itself, or as given when it lies above the root.
func (p *Plan) rel(name string) string {
	r, err := filepath.Rel(p.Root, name)
	if err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
		return filepath.ToSlash(name)
	}
	return filepath.ToSlash(r)
}

// removeEmptied removes the folders of emptied (relative to the root)
// that are now empty, deepest first, so a parent is empty once its
// children are gone. It never removes the root.
func (p *Plan) removeEmptied(emptied map[string]bool) error {
	dirs := make([]string, 0, len(emptied))
	for d := range emptied {
		dirs = append(dirs, d)
	}
	sort.Slice(dirs, func(i, j int) bool {
		if ci, cj := strings.Count(dirs[i], "/"), strings.Count(dirs[j], "/"); ci != cj {
			return ci > cj
		}
		return dirs[i] > dirs[j]
	})
	for _, d := range dirs {
		name := filepath.Join(p.Root, filepath.FromSlash(d))
		entries, err := os.ReadDir(name)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			return &ApplyError{Op: "read the folder", Path: d, Err: Reason(err), Partial: true}
		}
		if len(entries) == 0 {
			if err := remove(name); err != nil {
				return &ApplyError{Op: "remove the empty folder", Path: d, Err: Reason(err), Partial: true}
			}
		}
	}
	return nil
}

// writeTemp writes data to a new temporary file beside name, flushes it
// and gives it mode, and returns its name; on error nothing is left.
// Renaming it over name later replaces name atomically (as Terraform's
// internal/replacefile does).
func writeTemp(name string, data []byte, mode fs.FileMode) (temp string, err error) {
	f, err := createTemp(filepath.Dir(name), tempPattern(name))
	if err != nil {
		return "", err
	}
	defer func() {
		if err != nil {
			f.Close()
			remove(f.Name())
		}
	}()
	if _, err = f.Write(data); err != nil {
		return "", err
	}
	if err = f.Sync(); err != nil {
		return "", err
	}
	if err = f.Chmod(mode); err != nil {
		return "", err
	}
	if err = f.Close(); err != nil {
		return "", err
	}
	return f.Name(), nil
}

// moveAside renames name to a new temporary name in its folder and
// returns that name: the file is gone from its place, and can be moved
// back. It needs the same permission as removing it.
func moveAside(name string) (string, error) {
	f, err := createTemp(filepath.Dir(name), tempPattern(name))
	if err != nil {
		return "", err
	}
	temp := f.Name()
	f.Close()
	if err := rename(name, temp); err != nil {
		remove(temp)
		return "", err
	}
	return temp, nil
}
