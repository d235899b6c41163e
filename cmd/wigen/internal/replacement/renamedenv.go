// A user-assigned managed identity that another environment's module
// creates from now on: an environment renamed in the input (its module,
// under a new folder, is a new root module with its own state: a new
// folder, a new backend key), or a shared identity handed to another
// environment. What the old module created is not in the new one's state.

package replacement

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/wigen-dev/wigen/generate/terraform"
	"github.com/wigen-dev/wigen/schema"
)

// renamedEnvironments reports the user-assigned managed identity that a
// module of old creates and the module of another environment creates in
// next, which did not in old (the same name in the same resource group):
// the environment was renamed, or the identity handed to another. The new module's state does not hold it: its plan creates the
// identity, which Azure refuses while it exists, and the old module's
// state, applied or destroyed, still owns it (destroying it is a new
// client ID and principal ID).
func renamedEnvironments(old, next map[string][]byte) []Replacement {
	var out []Replacement
	for _, o := range modules(old) {
		mo, ok := readModule(old, o)
		if !ok || mo.identity == nil {
			continue
		}
		for _, n := range modules(next) {
			if n == o {
				continue
			}
			mn, ok := readModule(next, n)
			if !ok || !sameIdentity(mn.identity, mo.identity) {
				continue
			}
			if prev, ok := readModule(old, n); ok && sameIdentity(prev.identity, mo.identity) {
				continue // it created the identity already
			}
			from, to := terraform.Dir(o), terraform.Dir(n)
			change := fmt.Sprintf("moves to the module of environment %s (%s), a new one with its own state", schema.Quote(n), to)
			if _, ok := old[path.Join(to, terraform.FileMain)]; ok {
				change = fmt.Sprintf("moves to the module of environment %s (%s), whose state does not hold it", schema.Quote(n), to)
			}
			out = append(out, Replacement{Env: o, Path: path.Join(to, terraform.FileMain), Object: "identity " + schema.Quote(mo.identity.name),
				Change:      change,
				Consequence: fmt.Sprintf("its plan creates the identity again, which Azure refuses while it exists, and the state of the module %s still holds it (a destroy there deletes it: a new client ID and principal ID); keep it where it is, or move the objects' state into that module first (terraform state mv between the two states, or terraform import there and terraform state rm in %s)", from, from)})
		}
	}
	return out
}

// sameIdentity: both name one user-assigned managed identity (a name and
// resource group, compared as Azure does, without case).
func sameIdentity(a, b *tfIdentity) bool {
	return a != nil && b != nil && strings.EqualFold(a.name, b.name) && strings.EqualFold(a.resourceGroup, b.resourceGroup)
}

// modules lists the environments whose module's main.tf files holds.
func modules(files map[string][]byte) []string {
	var out []string
	for p := range files {
		env := path.Base(path.Dir(p))
		if p == path.Join(terraform.Dir(env), terraform.FileMain) {
			out = append(out, env)
		}
	}
	sort.Strings(out)
	return out
}
