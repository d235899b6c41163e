// Other inputs of the same file name: ownership goes by the input's base
// name, so another input named alike whose output root is this one,
// contains it or lies inside it is a conflict.

package disk

import (
	"fmt"
	"os"
	"path/filepath"
)

// otherInputsAbove looks in every folder above root, up to the file
// system's root, for a file named source other than opts.Input that
// opts.OtherInput takes for a wigen input, and returns a problem for each
// whose output root is root, contains it, or lies inside it (Path
// relative to root, e.g. "../wigen.yaml"). Files it cannot read are
// skipped.
func otherInputsAbove(root, source string, opts Options) ([]Problem, error) {
	realRoot, err := realPath(root)
	if err != nil {
		return nil, err
	}
	var problems []Problem
	for up := ".."; ; up = filepath.Join(up, "..") {
		dir := filepath.Join(root, up)
		abs, err := filepath.Abs(dir)
		if err != nil {
			return nil, err
		}
		name := filepath.Join(dir, source)
		if info, err := os.Stat(name); err == nil && info.Mode().IsRegular() && !sameFile(name, opts.Input) {
			if other, ok := opts.OtherInput(name); ok {
				if msg := overlap(realRoot, other, source); msg != "" {
					problems = append(problems, Problem{Path: filepath.ToSlash(filepath.Join(up, source)), Message: msg})
				}
			}
		}
		if filepath.Dir(abs) == abs {
			return problems, nil
		}
	}
}

// overlap says how the output root other of another input named source
// overlaps realRoot (real and absolute), or "" when they are apart.
func overlap(realRoot, other, source string) string {
	realOther, err := realPath(other)
	if err != nil {
		return ""
	}
	var how string
	switch {
	case realOther == realRoot:
		how = "whose output root is this one: wigen tells inputs apart by their file name only, so each render would overwrite and remove the files of the other"
	case within(realOther, realRoot):
		how = "whose output root contains this one: wigen tells inputs apart by their file name only, so a render of that input would remove the files of this one"
	case within(realRoot, realOther):
		how = "whose output root lies inside this one: wigen tells inputs apart by their file name only, so a render of this input would remove the files of that one"
	default:
		return ""
	}
	return fmt.Sprintf("is another input named %s, %s; give one of them a spec.output that neither contains nor lies inside the other's, or rename one of them", source, how)
}

// sameFile reports whether the paths a and b name one existing file.
func sameFile(a, b string) bool {
	ia, err := os.Stat(a)
	if err != nil {
		return false
	}
	ib, err := os.Stat(b)
	return err == nil && os.SameFile(ia, ib)
}

// otherInputInside returns the problem of the file name under the root
// (rel relative to it, base its file name), which is not wigen's, when it
// is another input of the rendered input's file name (source), as
// opts.OtherInput says; nil otherwise, and when opts skip the check.
func otherInputInside(name, rel, base, source string, opts Options) *Problem {
	if base != source || opts.Input == "" || opts.OtherInput == nil || sameFile(name, opts.Input) {
		return nil
	}
	if _, ok := opts.OtherInput(name); !ok {
		return nil
	}
	return &Problem{Path: rel, Message: fmt.Sprintf(
		"is another input named %s, inside this output root: wigen tells inputs apart by their file name only, so a render of this input would remove the files of that one; move it out of the output root, or rename one of them", source)}
}
