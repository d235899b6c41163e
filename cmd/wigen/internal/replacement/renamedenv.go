// An environment renamed in the input: its module, under a new folder, is
// a new root module with its own state (a new folder, a new backend key),
// so what the old module created is not what the new one manages.

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
// module of old creates and a module of next, of another environment that
// old does not have, creates again (the same name in the same resource
// group): the environment was renamed, or its identity handed to a new
// one. The new module's state does not hold it: its plan creates the
// identity, which Azure refuses while it exists, and the old module's
// state, applied or destroyed, still owns it (destroying it is a new
// client ID and principal ID).
func renamedEnvironments(old, next map[string][]byte) []Replacement {
	gone, added := onlyIn(old, next), onlyIn(next, old)
	var out []Replacement
	for _, o := range gone {
		mo, ok := readModule(old, o)
		if !ok || mo.identity == nil {
			continue
		}
		for _, n := range added {
			mn, ok := readModule(next, n)
			if !ok || mn.identity == nil || !strings.EqualFold(mn.identity.name, mo.identity.name) || !strings.EqualFold(mn.identity.resourceGroup, mo.identity.resourceGroup) {
				continue
			}
			from, to := terraform.Dir(o), terraform.Dir(n)
			out = append(out, Replacement{Env: o, Path: path.Join(to, terraform.FileMain), Object: "identity " + schema.Quote(mo.identity.name),
				Change:      fmt.Sprintf("moves to the module of environment %s (%s), a new one with its own state", schema.Quote(n), to),
				Consequence: fmt.Sprintf("its plan creates the identity again, which Azure refuses while it exists, and the state of the module %s still holds it (a destroy there deletes it: a new client ID and principal ID); keep the environment's name, or move the objects' state into the new module first (terraform state mv between the two states, or adopt.import in the new environment and terraform state rm in the old module)", from)})
		}
	}
	return out
}

// onlyIn lists the environments whose module's main.tf a has and b has
// not.
func onlyIn(a, b map[string][]byte) []string {
	var out []string
	for p := range a {
		env := path.Base(path.Dir(p))
		if p != path.Join(terraform.Dir(env), terraform.FileMain) {
			continue
		}
		if _, ok := b[p]; !ok {
			out = append(out, env)
		}
	}
	sort.Strings(out)
	return out
}
