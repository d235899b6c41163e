package docs

import (
	"fmt"
	"strings"

	"github.com/wigen-dev/wigen/generate/helm"
	"github.com/wigen-dev/wigen/schema"
)

// Apply order across modules. The federated identity credentials of a
// shared identity are all created by one environment's Terraform module
// (schema.Spec.CredentialModule), the one that creates the identity when
// it renders terraform: Azure refuses concurrent credential writes on one
// identity (HTTP 409), and only one module writing them makes that
// impossible whatever else runs at the same time. The other environments'
// modules read the identity with a data source, so their plan fails until
// it exists: applying them first is refused, not half done. What the
// READMEs must say is the order, and that a change to another
// environment's namespace, service account or issuer is applied through
// the module holding its credentials.

// applyOrder says, for environment e, which module to apply before its
// own and after a change to it; nil when e's identity is not shared or no
// module creates its credentials.
func applyOrder(s *schema.Spec, e *schema.Environment) []string {
	owner := s.CredentialModule(e)
	if owner == nil || !e.SharesIdentity() {
		return nil
	}
	ownerDir := code(helm.TerraformDir(owner.Name))
	if owner != e {
		what := "this environment's federated identity credentials (with every other credential of the identity, one after another)"
		if !owner.Identity.Existing {
			what = "the identity and " + what
		}
		out := []string{fmt.Sprintf("Apply %s (environment %s) first: it creates %s.", ownerDir, code(owner.Name), what)}
		if e.HasTarget(schema.TargetTerraform) {
			if owner.Identity.Existing {
				out = append(out, fmt.Sprintf("Then %s: its release waits for nothing in another module, so until %s is applied its pods cannot exchange their token.", code(helm.TerraformDir(e.Name)), ownerDir))
			} else {
				out = append(out, fmt.Sprintf("Then %s: it reads the identity, so its plan fails until %s has created it.", code(helm.TerraformDir(e.Name)), ownerDir))
			}
		}
		out = append(out, fmt.Sprintf("After a change to this environment's namespace, service account or issuers in %s, render and apply %s again: its credentials are there.", code(s.Source), ownerDir))
		return out
	}
	var after, all []string
	for _, j := range e.IdentityEnvironments {
		o := &s.Spec.Environments[j]
		if o == e {
			continue
		}
		all = append(all, code(o.Name))
		if o.HasTarget(schema.TargetTerraform) {
			after = append(after, code(helm.TerraformDir(o.Name)))
		}
	}
	var out []string
	if len(after) > 0 {
		what := "the federated identity credentials of every environment using the identity, which their pods need to exchange their token"
		if !e.Identity.Existing {
			what = fmt.Sprintf("the identity, which %s %s, and the federated identity credentials of every environment using it",
				plural(len(after), "that module", "those modules"), plural(len(after), "reads", "read"))
		}
		out = append(out, fmt.Sprintf("Apply this module (%s) before %s: it creates %s.", code(helm.TerraformDir(e.Name)), andList(after), what))
	}
	out = append(out, fmt.Sprintf("It holds the credentials of %s too: after a change to their namespace, service account or issuers in %s, render and apply it again.", andList(all), code(s.Source)))
	return out
}

// rootApplyOrder lists, one sentence per shared identity whose
// credentials one module creates for other Terraform modules, which
// module comes first.
func (r *rendered) rootApplyOrder() []string {
	s := r.s
	var out []string
	for i := range s.Spec.Environments {
		e := &s.Spec.Environments[i]
		if s.CredentialModule(e) != e {
			continue
		}
		var after []string
		for _, j := range e.IdentityEnvironments {
			if o := &s.Spec.Environments[j]; o != e && o.HasTarget(schema.TargetTerraform) {
				after = append(after, code(helm.TerraformDir(o.Name)))
			}
		}
		if len(after) == 0 {
			continue
		}
		made := "creates every federated identity credential on it"
		if !e.Identity.Existing {
			made = "creates it and every federated identity credential on it"
		}
		out = append(out, fmt.Sprintf("%s before %s (identity %s: environment %s's module %s).",
			code(helm.TerraformDir(e.Name)), andList(after), code(e.Identity.Name), code(e.Name), made))
	}
	return out
}

// rootAzureSide says what creates the identities, federated identity
// credentials and role assignments, by the environments' targets.
func rootAzureSide(s *schema.Spec) string {
	var tf, cli []string
	shared := false
	for i := range s.Spec.Environments {
		e := &s.Spec.Environments[i]
		if e.HasTarget(schema.TargetTerraform) {
			tf = append(tf, code(e.Name))
		} else {
			cli = append(cli, code(e.Name))
		}
		shared = shared || (e.SharesIdentity() && s.CredentialModule(e) != nil)
	}
	modules := "each environment's Terraform module creates the federated identity credentials and role assignments, and the identity unless it is marked existing"
	if shared {
		modules = "each environment's Terraform module creates its role assignments, and the identity unless it is marked existing; the federated identity credentials of an identity that environments share are all created by one module, the one that creates the identity (see \"Apply order\")"
	}
	none := "nothing here creates the identities, federated identity credentials or role assignments (the `terraform` target is not rendered): they must exist already or be created by other means, and each environment's README gives the Azure CLI commands, with its names"
	switch {
	case len(cli) == 0:
		return modules
	case len(tf) == 0:
		return none
	}
	return fmt.Sprintf("for %s, %s; %s %s no `terraform` target, so nothing here creates %s Azure side: %s README gives the Azure CLI commands",
		andList(tf), strings.Replace(modules, "each environment's", "each", 1), andList(cli), plural(len(cli), "renders", "render"),
		plural(len(cli), "its", "their"), plural(len(cli), "its", "each"))
}

// targetsText names what was rendered: the targets some environment
// renders, each followed by its environments when they do not all render
// the same.
func targetsText(s *schema.Spec) string {
	ts := s.Targets()
	if !targetsDiffer(s) {
		return strings.Join(ts, ", ")
	}
	var parts []string
	for _, t := range ts {
		var envs []string
		for i := range s.Spec.Environments {
			if e := &s.Spec.Environments[i]; e.HasTarget(t) {
				envs = append(envs, e.Name)
			}
		}
		parts = append(parts, fmt.Sprintf("%s (%s)", t, strings.Join(envs, ", ")))
	}
	return strings.Join(parts, ", ")
}

// targetsDiffer reports whether the environments render different targets.
func targetsDiffer(s *schema.Spec) bool {
	envs := s.Spec.Environments
	for i := 1; i < len(envs); i++ {
		for _, t := range schema.KnownTargets {
			if envs[i].HasTarget(t) != envs[0].HasTarget(t) {
				return true
			}
		}
	}
	return false
}
