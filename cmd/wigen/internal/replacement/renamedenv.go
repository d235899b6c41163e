// A user-assigned managed identity that another environment's module
// creates from now on: an environment renamed in the input (its module,
// under a new folder, is a new root module with its own state: a new
// folder, a new backend key), or a shared identity handed to another
// environment. What the old module created is not in the new one's state.

package replacement

import (
	"bytes"
	"fmt"
	"path"
	"slices"
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
func renamedEnvironments(old, next *moduleReader) []Replacement {
	oldEnvs, nextEnvs := old.envs(), next.envs()
	if slices.Equal(oldEnvs, nextEnvs) && slices.IndexFunc(oldEnvs, func(env string) bool {
		p := path.Join(terraform.Dir(env), terraform.FileMain)
		return !bytes.Equal(old.files[p], next.files[p])
	}) < 0 {
		return nil // no module's main.tf changed: no identity moved
	}
	// Each module parsed once; the identities old's modules create, by
	// name and resource group as Azure compares them (without case).
	before := map[string]string{}
	for _, env := range oldEnvs {
		if m, ok := old.read(env); ok && m.identity != nil {
			before[identityKey(m.identity)] = env
		}
	}
	var out []Replacement
	for _, n := range nextEnvs {
		mn, ok := next.read(n)
		if !ok || mn.identity == nil {
			continue
		}
		o, ok := before[identityKey(mn.identity)]
		if !ok || o == n {
			continue // a new identity, or the one this module created already
		}
		from, to := terraform.Dir(o), terraform.Dir(n)
		change := fmt.Sprintf("moves to the module of environment %s (%s), a new one with its own state", schema.Quote(n), to)
		if _, ok := old.files[path.Join(to, terraform.FileMain)]; ok {
			change = fmt.Sprintf("moves to the module of environment %s (%s), whose state does not hold it", schema.Quote(n), to)
		}
		out = append(out, Replacement{Env: o, Path: path.Join(to, terraform.FileMain), Object: "identity " + schema.Quote(mn.identity.name),
			Change:      change,
			Consequence: fmt.Sprintf("its plan creates the identity again, which Azure refuses while it exists, and the state of the module %s still holds it (a destroy there deletes it: a new client ID and principal ID); keep it where it is, or move the objects' state into that module first (terraform state mv between the two states, or terraform import there and terraform state rm in %s)", from, from)})
	}
	return out
}

// identityKey identifies a user-assigned managed identity: its name and
// resource group, compared as Azure does, without case.
func identityKey(id *tfIdentity) string {
	return strings.ToLower(id.name) + "\x00" + strings.ToLower(id.resourceGroup)
}
