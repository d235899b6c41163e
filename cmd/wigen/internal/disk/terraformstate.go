// Terraform's own files in a module folder (terraform.tfstate, .terraform/):
// never wigen's, never walked into, and reported when a render removes
// the module they sit in (the module may have been applied).

package disk

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"

	"github.com/wigen-dev/wigen/generate/output"
)

// StateDir is a folder whose generated Terraform files the plan removes
// although it holds what `terraform init` or `terraform apply` leave
// behind: that module may have been applied, and its resources may still
// exist. wigen never removes those files: they are not wigen's.
type StateDir struct {
	// Dir is relative to the output root, with '/' separators.
	Dir string
	// Found names what is there: "terraform.tfstate", ".terraform/".
	Found []string
}

// stateNames are the files and folders Terraform leaves in a root module:
// the local state (terraform.tfstate, the default local backend) and the
// working directory of `terraform init` (.terraform/, which also holds the
// backend configuration of a remote state).
var stateNames = []string{"terraform.tfstate", ".terraform"}

// terraformWorkDir is the folder `terraform init` creates in a root module.
const terraformWorkDir = ".terraform"

// renderedDirs returns the set of folders (relative to the root) that hold
// a rendered file at any depth, so that the walk knows in one lookup
// whether a .terraform folder has anything of wigen's below it (wigen
// renders nothing under .terraform; a render that did would have its
// folder walked like any other). It refuses a path rendered both as a
// file and as a folder of another. rendered is the set of files' paths.
func renderedDirs(files []output.File, rendered map[string]bool) (map[string]bool, error) {
	dirs := make(map[string]bool, len(files)/2)
	for _, f := range files {
		for d := path.Dir(f.Path); d != "."; d = path.Dir(d) {
			if rendered[d] {
				return nil, fmt.Errorf("%s is rendered as a file and as a folder of %s", d, f.Path)
			}
			if dirs[d] {
				break // its parents are in the set and were checked
			}
			dirs[d] = true
		}
	}
	return dirs, nil
}

// stateLeft finds the folders under root whose removed files include a
// Terraform file (.tf), where the render keeps no file, and which hold
// Terraform state or a Terraform working directory (stateNames).
func stateLeft(root string, changes []Change) ([]StateDir, error) {
	kept := map[string]bool{}
	removedTF := map[string]bool{}
	for _, c := range changes {
		dir := path.Dir(c.Path)
		switch {
		case c.Action != Remove:
			kept[dir] = true
		case path.Ext(c.Path) == ".tf":
			removedTF[dir] = true
		}
	}
	var out []StateDir
	for dir := range removedTF {
		if kept[dir] {
			continue
		}
		var found []string
		for _, n := range stateNames {
			info, err := os.Lstat(filepath.Join(root, filepath.FromSlash(dir), n))
			switch {
			case errors.Is(err, fs.ErrNotExist):
				continue
			case err != nil:
				return nil, err
			case info.IsDir():
				found = append(found, n+"/")
			default:
				found = append(found, n)
			}
		}
		if len(found) > 0 {
			out = append(out, StateDir{Dir: dir, Found: found})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Dir < out[j].Dir })
	return out, nil
}
