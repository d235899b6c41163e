package docs

import (
	"fmt"
	"strings"

	"github.com/wigen-dev/wigen/generate/output"
	"github.com/wigen-dev/wigen/schema"
)

// sharedIdentity says, for environment i, what the other environments
// using the same identity do with it, so that each README names the
// environments it depends on or that depend on it: which environment
// creates the identity and which only read it (identity.existing), which
// assign its roles, and, with the terraform target, what `terraform
// destroy` of one module takes from the others. It returns nil when no
// other environment uses the identity.
//
// Validation lets one environment create an identity (the others set
// identity.existing) and one environment assign a given role on a given
// scope (the others set roles: [] or assign others), so the resources one
// environment relies on can live in another's Terraform module: destroying
// that module deletes them (an identity's federated identity credentials
// are deleted with it).
// byIdentity lists the environments of each identity (see rendered).
func sharedIdentity(s *schema.Spec, i int, byIdentity map[string][]int) []string {
	e := &s.Spec.Environments[i]
	if e.Identity == nil {
		return nil
	}
	var others []*schema.Environment
	creator := ""
	if !e.Identity.Existing {
		creator = e.Name
	}
	for _, j := range byIdentity[e.IdentityKey()] {
		o := &s.Spec.Environments[j]
		if j == i {
			continue
		}
		others = append(others, o)
		if !o.Identity.Existing {
			creator = o.Name
		}
	}
	if len(others) == 0 {
		return nil
	}
	terraform := e.HasTarget(schema.TargetTerraform)
	creatorTerraform := terraform
	var names, readers, assigns, relying []string
	for _, o := range others {
		names = append(names, code(o.Name))
		if o.Identity.Existing {
			readers = append(readers, code(o.Name))
		} else {
			creatorTerraform = o.HasTarget(schema.TargetTerraform)
		}
		if len(o.Roles) > 0 {
			assigns = append(assigns, fmt.Sprintf("%s assigns %s with %s", code(o.Name), rolesText(o.Roles), madeWith(o.HasTarget(schema.TargetTerraform))))
		} else {
			relying = append(relying, code(o.Name))
		}
	}
	creds := "each environment creates its own federated identity credentials on it"
	switch owner := s.CredentialModule(e); {
	case owner == e:
		creds = "this environment's Terraform module creates the federated identity credentials of all of them, one after another (Azure refuses concurrent credential writes on one identity with HTTP 409, so no other module writes to it)"
	case owner != nil:
		creds = fmt.Sprintf("environment %s's Terraform module creates the federated identity credentials of all of them, this environment's included, one after another (Azure refuses concurrent credential writes on one identity with HTTP 409, so no other module writes to it)", code(owner.Name))
	}
	out := []string{fmt.Sprintf("%s %s %s the same user-assigned managed identity %s; %s.",
		plural(len(others), "Environment", "Environments"), andList(names), plural(len(others), "uses", "use"), code(e.Identity.Name), creds)}

	// Who creates the identity. Validation allows one creator.
	switch {
	case creator == e.Name && terraform:
		its := plural(len(readers), "its", "their")
		out = append(out, fmt.Sprintf("This environment's Terraform module creates the identity, and %s only %s it (`identity.existing`): `terraform destroy` of this module deletes the identity, and with it %s federated identity credentials, so %s pods lose access too.",
			andList(readers), plural(len(readers), "reads", "read"), its, its))
	case creator == e.Name:
		out = append(out, fmt.Sprintf("This environment's Azure CLI commands create the identity, and %s only %s it (`identity.existing`): deleting the identity deletes %s federated identity credentials too.",
			andList(readers), plural(len(readers), "reads", "read"), plural(len(readers), "its", "their")))
	case creator != "" && creatorTerraform:
		out = append(out, fmt.Sprintf("Environment %s creates the identity with %s, and this environment only reads it (`identity.existing`): `terraform destroy` of %s's module deletes the identity, and with it this environment's federated identity credentials.",
			code(creator), madeWith(true), code(creator)))
	case creator != "":
		out = append(out, fmt.Sprintf("Environment %s creates the identity with %s, and this environment only reads it (`identity.existing`): deleting the identity deletes this environment's federated identity credentials too.",
			code(creator), madeWith(false)))
	default:
		sent := "No environment of this input creates the identity (`identity.existing` in each): it is made elsewhere."
		switch owner := s.CredentialModule(e); {
		case owner == e:
			sent += " `terraform destroy` of this module deletes the federated identity credentials of all of them."
		case owner != nil:
			sent += fmt.Sprintf(" `terraform destroy` of %s's module deletes this environment's federated identity credentials.", code(owner.Name))
		}
		out = append(out, sent)
	}

	// Who assigns its roles.
	switch {
	case len(e.Roles) == 0 && len(assigns) > 0:
		sent := "This environment assigns the identity no role (`roles: []`), so its pods call Azure OpenAI through the role assignments of other environments: " + strings.Join(assigns, "; ") + "."
		if terraform {
			sent += " `terraform destroy` of " + plural(len(assigns), "that module", "one of those modules") + " removes its role assignments, for this environment too."
		}
		out = append(out, sent)
	case len(e.Roles) == 0:
		out = append(out, "No environment of this input assigns the identity a role: it must hold one by other means to call Azure OpenAI.")
	case len(relying) > 0:
		sent := fmt.Sprintf("%s %s the identity no role and %s on the role %s made here (%s).",
			andList(relying), plural(len(relying), "assigns", "assign"), plural(len(relying), "relies", "rely"),
			plural(len(e.Roles), "assignment", "assignments"), rolesText(e.Roles))
		if terraform {
			sent += fmt.Sprintf(" `terraform destroy` of this module removes %s for %s too.", plural(len(e.Roles), "it", "them"), plural(len(relying), "that environment", "those environments"))
		}
		out = append(out, sent)
	}
	return out
}

// identityCreator returns the other environment that creates environment
// i's identity (validation allows one), or nil.
func identityCreator(s *schema.Spec, i int, byIdentity map[string][]int) *schema.Environment {
	e := &s.Spec.Environments[i]
	if e.Identity == nil || !e.Identity.Existing {
		return nil
	}
	for _, j := range byIdentity[e.IdentityKey()] {
		if o := &s.Spec.Environments[j]; j != i && !o.Identity.Existing {
			return o
		}
	}
	return nil
}

// madeWith names what creates an environment's Azure side: its Terraform
// module, or without the terraform target the Azure CLI commands of its
// README.
func madeWith(terraform bool) string {
	if terraform {
		return "its Terraform module"
	}
	return "the Azure CLI commands of its README"
}

// rolesText lists roles as "`role` on `scope`".
func rolesText(rs []schema.Role) string {
	var parts []string
	for _, r := range rs {
		parts = append(parts, code(r.Role)+" on "+code(r.Scope))
	}
	return andList(parts)
}

// plural returns one when n is 1, else many.
func plural(n int, one, many string) string { return output.Plural(n, one, many) }
