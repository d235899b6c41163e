// Where the output root lies: every folder from the input's folder down
// to the root must resolve inside the input's folder; a symbolic link
// leading elsewhere is a conflict.

package disk

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// checkRootPath checks the folders from base (the input's folder) down to
// root, as far as they exist: each must resolve inside base, and root
// strictly inside it (the output root is a subfolder of the input's
// folder). Only a symbolic link can lead elsewhere; the first that does is
// returned as a problem, its Path relative to root ("" for root itself,
// ".." for its parent...). A root that is not below base lexically is
// left to input validation.
//
// Before that, the root's real path (resolved through every symbolic link
// on the way) must not lie inside a .git folder: an input inside .git
// (`-f .git/wigen.yaml`), or a folder on the way that is a link into .git
// (`ln -s .git/hooks deploy`), would have wigen write into the
// repository's own files (gitProblem).
func checkRootPath(base, root string) (*Problem, error) {
	if prob, err := gitProblem(root); prob != nil || err != nil {
		return prob, err
	}
	rel, err := filepath.Rel(base, root)
	if err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return nil, nil
	}
	realBase, err := filepath.EvalSymlinks(base)
	if err != nil {
		return nil, err
	}
	if realBase, err = filepath.Abs(realBase); err != nil {
		return nil, err
	}
	cur := base
	parts := strings.Split(rel, string(filepath.Separator))
	for i, part := range parts {
		cur = filepath.Join(cur, part)
		info, err := os.Lstat(cur)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return nil, nil
		case err != nil:
			return nil, err
		case info.Mode()&fs.ModeSymlink == 0:
			continue
		}
		target := resolveLink(cur)
		in, err := filepath.Rel(realBase, target)
		last := i == len(parts)-1
		if target != "" && err == nil && !(in == ".." || strings.HasPrefix(in, ".."+string(filepath.Separator)) || filepath.IsAbs(in) || last && in == ".") {
			continue
		}
		at, err := filepath.Rel(root, cur)
		if err != nil {
			return nil, err
		}
		if at == "." {
			at = ""
		}
		what := "the output root"
		if !last {
			what = "a folder on the way to the output root"
		}
		to := "a place it cannot read"
		if target != "" {
			to = target
		}
		return &Problem{Path: filepath.ToSlash(at), Message: fmt.Sprintf(
			"is %s and a symbolic link to %s, which is not below the input's folder; wigen writes only below the input's folder and refuses to work through the link: make it a real folder, or set another spec.output",
			what, to)}, nil
	}
	return nil, nil
}

// gitProblem returns the problem of an output root whose real path has a
// folder named .git (in any case: Windows and macOS file systems ignore
// it) on the way, or nil.
func gitProblem(root string) (*Problem, error) {
	real, err := realPath(root)
	if err != nil {
		return nil, err
	}
	for _, seg := range strings.Split(filepath.ToSlash(real), "/") {
		if strings.EqualFold(seg, ".git") {
			at := ""
			if abs, err := filepath.Abs(root); err == nil && abs != real {
				at = " (through a symbolic link: its real path is " + real + ")"
			}
			return &Problem{Path: "", Message: "is inside a repository's .git folder" + at + "; wigen never writes into .git: render from an input outside it, with spec.output a folder of your own, e.g. deploy"}, nil
		}
	}
	return nil, nil
}

// resolveLink returns where the symbolic link name leads, as an absolute
// path: resolved through every link, or for a link that cannot be
// resolved (dangling, a loop) its text taken from the link's folder; ""
// when even its text cannot be read.
func resolveLink(name string) string {
	target, err := filepath.EvalSymlinks(name)
	if err != nil {
		t, rerr := os.Readlink(name)
		if rerr != nil {
			return ""
		}
		if !filepath.IsAbs(t) {
			t = filepath.Join(filepath.Dir(name), t)
		}
		target = filepath.Clean(t)
	}
	if abs, err := filepath.Abs(target); err == nil {
		target = abs
	}
	return target
}

// within reports whether path lies strictly inside dir (both clean and absolute).
func within(dir, path string) bool { return path != dir && Inside(dir, path) }

// Inside reports whether path is dir or lies inside it (both clean and
// absolute).
func Inside(dir, path string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// RealPath is realPath, for the callers outside the package that compare
// locations as Lock does.
func RealPath(p string) (string, error) { return realPath(p) }

// realPath returns p absolute, with its longest existing prefix resolved
// through symbolic links (the rest does not exist yet).
func realPath(p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	rest := ""
	for cur := abs; ; cur = filepath.Dir(cur) {
		if r, err := filepath.EvalSymlinks(cur); err == nil {
			return filepath.Join(r, rest), nil
		}
		if filepath.Dir(cur) == cur {
			return abs, nil
		}
		rest = filepath.Join(filepath.Base(cur), rest)
	}
}
