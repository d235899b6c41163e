// Terraform: the required_version and provider constraints, which choose
// the syntax wigen writes (azurerm 4.65.0: user_assigned_identity_id; helm
// 3.0.0: set = [...]; facts.md "Terraform providers"), and the argument
// names and values of config wigen writes into HCL. Backends are in
// backend.go.

package schema

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// validateTerraform checks constraints and picks the syntax wigen emits.
func (v *validator) validateTerraform(tf *Terraform, envs int) {
	if c, err := parseConstraint(tf.RequiredVersion); err != nil {
		v.errorf("spec.terraform.requiredVersion", "%s", notConstraint(tf.RequiredVersion, err, DefaultRequiredVersion))
	} else if c.none() {
		v.errorf("spec.terraform.requiredVersion", "%s admits no Terraform version; e.g. %s", Quote(tf.RequiredVersion), Quote(DefaultRequiredVersion))
	} else if c.admitsBelow(terraformMin) {
		v.errorf("spec.terraform.requiredVersion", "%s admits Terraform versions before %s, which cannot run the modules wigen writes (the helm provider 3.x, the default, takes its kubernetes and set arguments as nested attributes, plugin protocol 6, which Terraform reads from 1.0); e.g. %s", Quote(tf.RequiredVersion), terraformMin, Quote(DefaultRequiredVersion))
	}
	if c := v.providerConstraint("azurerm", tf.Providers.Azurerm); c != nil {
		if !c.admitsFrom(azurermMin) {
			v.errorf("spec.terraform.providers.azurerm", "%s admits only versions before %s, which have no azurerm_federated_identity_credential; use \"~> 4.65\"", Quote(tf.Providers.Azurerm), azurermMin)
		} else if c.spans(azurermUserAssignedIdentityID) {
			v.errorf("spec.terraform.providers.azurerm", "%s admits versions on both sides of 4.65.0, where azurerm_federated_identity_credential's parent_id became user_assigned_identity_id (parent_id and resource_group_name are gone in 5.0); pin one side: \"~> 4.65\" or \">= 4.65, < 6.0\" for user_assigned_identity_id, \">= 3.0, < 4.65\" for parent_id", Quote(tf.Providers.Azurerm))
		} else {
			tf.Syntax.UserAssignedIdentityID = c.admitsFrom(azurermUserAssignedIdentityID)
		}
	}
	if c := v.providerConstraint("kubernetes", tf.Providers.Kubernetes); c != nil && !c.admitsFrom(kubernetesMin) {
		v.errorf("spec.terraform.providers.kubernetes", "%s admits only versions before %s, which have no kubernetes_namespace_v1; use \"~> 3.0\" or \"~> 2.38\"", Quote(tf.Providers.Kubernetes), kubernetesMin)
	}
	if c := v.providerConstraint("helm", tf.Providers.Helm); c != nil {
		switch {
		case !c.admitsFrom(helmMin):
			v.errorf("spec.terraform.providers.helm", "%s admits only versions before %s, whose helm_release and provider arguments differ from what wigen writes; use \">= 3.1.1, < 4.0.0\"", Quote(tf.Providers.Helm), helmMin)
		case c.spans(helmV3):
			v.errorf("spec.terraform.providers.helm", "%s admits versions on both sides of 3.0.0, where helm_release's set {} blocks became set = [...] and the provider's kubernetes {} block became an attribute; pin one side: \">= 3.1.1, < 4.0.0\" or \"~> 2.17\"", Quote(tf.Providers.Helm))
		default:
			tf.Syntax.HelmV3 = c.admitsFrom(helmV3)
			if tf.Syntax.HelmV3 && c.admitsBelow(helmUpgradeFix) {
				v.warnf("spec.terraform.providers.helm", "%s admits helm provider versions before 3.1.1, which fail chart upgrades with \"Provider produced inconsistent result after apply\"; use \">= 3.1.1, < 4.0.0\"", Quote(tf.Providers.Helm))
			}
		}
	}
	if b := tf.Backend; b != nil {
		v.validateBackend(b, "spec.terraform.backend")
		if envs > 1 {
			v.onePerEnvironment(b)
		}
	}
}

func (v *validator) providerConstraint(name, s string) *constraint {
	p := "spec.terraform.providers." + name
	c, err := parseConstraint(s)
	if err != nil {
		v.errorf(p, "%s", notConstraint(s, err, providerDefaults[name]))
		return nil
	}
	if c.none() {
		v.errorf(p, "%s admits no version", Quote(s))
		return nil
	}
	return c
}

// providerDefaults are the default constraints, given as examples.
var providerDefaults = map[string]string{
	"azurerm":    DefaultAzurermVersion,
	"kubernetes": DefaultKubernetesVersion,
	"helm":       DefaultHelmVersion,
}

// notConstraint is the message for s, which parseConstraint refused with
// err: the part hashicorp/go-version could not read, quoted, when it is
// not all of s.
func notConstraint(s string, err error, example string) string {
	why := EscapeText(err.Error())
	if part, ok := strings.CutPrefix(err.Error(), "malformed constraint: "); ok {
		why = "cannot read " + Quote(part)
		if strings.TrimSpace(part) == strings.TrimSpace(s) {
			why = ""
		}
	}
	if why != "" {
		why = " (" + why + ")"
	}
	return fmt.Sprintf("%s is not a Terraform version constraint%s; e.g. %s", Quote(s), why, Quote(example))
}

var hclIdentRE = lazyRE(`^[A-Za-z_][A-Za-z0-9_-]*$`)

// validateHCLKeys: Terraform argument names are HCL identifiers. With
// nested, mappings below the top level become nested blocks (the remote
// backend's workspaces {}) or object attributes (the s3 backend's
// assume_role = {}), whose arguments are identifiers too. Numbers must be
// finite: HCL has no NaN or infinity. A null is refused: an argument set
// to null is the argument left out, and Terraform refuses null for a
// required one (a backend's or remote state's bucket, key...), so writing
// null only hides a missing value.
func (v *validator) validateHCLKeys(m map[string]any, p string, nested bool) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		kp := joinKey(p, k)
		if !hclIdentRE.MatchString(k) {
			v.errorf(kp, "%s is not a Terraform argument name (letters, digits, '_' and '-', not starting with a digit)", Quote(k))
		}
		v.validateHCLValue(m[k], kp, nested)
	}
}

func (v *validator) validateHCLValue(x any, p string, nested bool) {
	switch t := x.(type) {
	case nil:
		if !v.reported(p) { // a number out of range is decoded as nil, and reported
			v.errorf(p, "is null; give a string, number, boolean, list or mapping, or leave the argument out")
		}
	case float64:
		if math.IsNaN(t) || math.IsInf(t, 0) {
			v.errorf(p, "%v is not a number Terraform can hold; write a finite number or quote it", t)
		}
	case []any:
		for i, item := range t {
			v.validateHCLValue(item, fmt.Sprintf("%s[%d]", p, i), false)
		}
	case map[string]any:
		if nested {
			v.validateHCLKeys(t, p, true)
			return
		}
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			v.validateHCLValue(t[k], joinKey(p, k), false)
		}
	}
}
