// Terraform's own files in a module folder (terraform.tfstate, .terraform/):
// never wigen's, never walked into, and reported when a render removes
// the module they sit in (the module may have been applied).

package disk

import (
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
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
	// Backend is the type of the backend the removed versions.tf names
	// ("azurerm"), "" for none: the module's state lives there, where a
	// clone that never ran terraform init has no trace of it.
	Backend string
}

// stateNames are the files and folders Terraform leaves in a root module:
// the local state (terraform.tfstate, the default local backend) and the
// working directory of `terraform init` (.terraform/, which also holds the
// backend configuration of a remote state).
var stateNames = []string{"terraform.tfstate", ".terraform"}

// terraformWorkDirName is the folder `terraform init` creates in a root
// module.
const terraformWorkDirName = ".terraform"

// terraformWorkDir reports whether the walk's entry d, at rel under the
// root, is Terraform's working directory (terraform init), which the walk
// skips: never wigen's, and its provider folders may be symbolic links
// into a plugin cache outside the root (TF_PLUGIN_CACHE_DIR). A
// .terraform folder holding a rendered file (dirs: the folders holding
// one at any depth) is walked like any other; wigen renders nothing there.
func terraformWorkDir(d fs.DirEntry, rel string, dirs map[string]bool) bool {
	return d.IsDir() && d.Name() == terraformWorkDirName && !dirs[rel]
}

// walkTree walks the tree under realRoot (real and absolute), never
// following a symbolic link and skipping Terraform's working directories
// (terraformWorkDir; dirs: the folders holding a rendered file), and calls
// visit with every other entry, its name and its path relative to the
// root ('/' separators).
func walkTree(realRoot string, dirs map[string]bool, visit func(name, rel string, d fs.DirEntry) error) error {
	return filepath.WalkDir(realRoot, func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if name == realRoot {
			return nil
		}
		rel, err := filepath.Rel(realRoot, name)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if terraformWorkDir(d, rel, dirs) || gitDir(d) {
			return fs.SkipDir
		}
		return visit(name, rel, d)
	})
}

// gitDir reports whether d is a .git folder (a repository or submodule
// under the output root): the walk never goes into one, so nothing in it
// is removed, whatever it holds.
func gitDir(d fs.DirEntry) bool {
	return d.IsDir() && strings.EqualFold(d.Name(), ".git")
}

// backendRE finds the backend block of a Terraform file as wigen writes
// it (terraform { backend "TYPE" { ... } }, one block a line).
var backendRE = regexp.MustCompile(`(?m)^\s*backend\s+"([A-Za-z0-9_-]+)"\s*\{`)

// stateLeft finds the folders under root whose removed files include a
// Terraform file (.tf), where the render keeps no file, and which hold
// Terraform state or a Terraform working directory (stateNames), or whose
// removed files name a backend (the state is there).
func stateLeft(root string, changes []Change) ([]StateDir, error) {
	kept := map[string]bool{}
	removedTF := map[string]bool{}
	backend := map[string]string{}
	for _, c := range changes {
		dir := path.Dir(c.Path)
		switch {
		case c.Action != Remove:
			kept[dir] = true
		case path.Ext(c.Path) == ".tf":
			removedTF[dir] = true
			if m := backendRE.FindSubmatch(c.Old); m != nil {
				backend[dir] = string(m[1])
			}
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
		if len(found) > 0 || backend[dir] != "" {
			out = append(out, StateDir{Dir: dir, Found: found, Backend: backend[dir]})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Dir < out[j].Dir })
	return out, nil
}
