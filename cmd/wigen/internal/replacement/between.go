// Federated identity credentials that move from one environment's
// Terraform module to another's: a shared identity's credentials that the
// identity's module creates from now on, a federation moved to another
// environment. Each module has its own state, so no moved block can carry
// a credential across: the module that held it destroys it, the one that
// holds it now creates it (facts.md "Terraform providers": moved works
// within one state only; import IDs), and token exchange fails in between.
// Moving it between the states keeps it: the old state forgets it
// (terraform state rm, or a removed block with destroy = false, which
// adopt.addresses.federatedCredentials renders) and the new one imports it
// (terraform import, or an import block).

package replacement

import (
	"fmt"
	"strings"

	"github.com/wigen-dev/wigen/generate/output"
	"github.com/wigen-dev/wigen/generate/terraform"
	"github.com/wigen-dev/wigen/schema"
)

// leftCredential is a federated identity credential environment env's
// module created in the previous render and creates no more, the state
// not told to forget it.
type leftCredential struct {
	env  string
	from *module // the previous render's module of env
	c    tfCredential
}

// movedBetween reports each credential of left that another environment's
// module of the new render creates (the same name, else the same subject
// and issuer) and did not create before. A credential no module creates
// any more was removed, which is no replacement.
func movedBetween(left []leftCredential, old, next *moduleReader) []Replacement {
	if len(left) == 0 {
		return nil
	}
	others := next.envs() // environments with a module in the new render
	var out []Replacement
	for _, l := range left {
		for _, env := range others {
			if env == l.env {
				continue
			}
			to, ok := next.read(env)
			if !ok {
				continue
			}
			nc, ok := sameCredential(to.creds, l.c)
			if !ok {
				continue
			}
			if before, ok := old.read(env); ok && before.identityRef == to.identityRef && hasName(before.creds, nc.name) {
				continue // that module created it before: not this one
			}
			out = append(out, crossing(l, env, to, nc, to.identityID(next.files, env)))
			break
		}
	}
	return out
}

// sameCredential finds oc among creds: by name, else by subject and issuer.
func sameCredential(creds []tfCredential, oc tfCredential) (tfCredential, bool) {
	for _, c := range creds {
		if c.name == oc.name {
			return c, true
		}
	}
	for _, c := range creds {
		if c.subject == oc.subject && c.issuer == oc.issuer {
			return c, true
		}
	}
	return tfCredential{}, false
}

func hasName(creds []tfCredential, name string) bool {
	for _, c := range creds {
		if c.name == name {
			return true
		}
	}
	return false
}

// crossing is the replacement of credential l, which environment env's
// module to creates as nc from now on, on the identity whose Azure
// resource ID is id ("" when unknown).
func crossing(l leftCredential, env string, to *module, nc tfCredential, id string) Replacement {
	fromDir, toDir := terraform.Dir(l.env), terraform.Dir(env)
	change := fmt.Sprintf("leaves this module for environment %s's (%s, %s)", schema.Quote(env), to.path, nc.address)
	sameName, sameIdentity := nc.name == l.c.name, to.identityRef == l.from.identityRef
	if !sameName {
		change += " and becomes " + schema.Quote(nc.name)
	}
	if !sameIdentity {
		change += fmt.Sprintf(" and moves from identity %s to identity %s", l.from.identityRef, to.identityRef)
	}
	c := fmt.Sprintf("each module has its own state, so applied, %s deletes it and %s creates it: token exchange for %s fails in between", fromDir, toDir, schema.Quote(l.c.subject))
	switch {
	case !sameIdentity:
		c += "; a credential belongs to one identity, so it cannot be kept"
	default:
		if id == "" {
			id = "<ID of identity " + to.identityRef + ">"
		}
		// Names read from the previous render's files: shell-quoted, and
		// escaped so the line stays one line (schema.EscapeText).
		importID := id + "/federatedIdentityCredentials/" + l.c.name
		if !strings.HasPrefix(id, "<") {
			importID = output.ShellQuote(importID)
		}
		keep := fmt.Sprintf("move it between the states before applying: terraform -chdir=%s state rm %s, then terraform -chdir=%s import %s %s",
			fromDir, l.c.address, toDir, nc.address, schema.EscapeText(importID))
		if !sameName {
			// Its name cannot change: only under its old name is it the
			// same object.
			keep = fmt.Sprintf("give it its name (cluster.federatedCredentialName or additionalFederations[].credentialName: %s) and %s", schema.Quote(l.c.name), keep)
		}
		c += "; to keep it, " + keep + fmt.Sprintf(" (for a shared identity's credential, %s in environment %s's adopt.addresses.federatedCredentials, under its cluster's or federation's name, renders both as removed and import blocks)", l.c.address, schema.Quote(l.env))
	}
	return Replacement{Env: l.env, Path: l.from.path, Object: "federated identity credential " + schema.Quote(l.c.name), Change: change, Consequence: c}
}
