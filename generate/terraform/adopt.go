package terraform

import (
	"fmt"
	"slices"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/wigen-dev/wigen/generate/output"
	"github.com/wigen-dev/wigen/schema"
)

// FileAdopt holds the moved, removed and import blocks of an environment
// with adopt (schema.Environment.Adoption); it is rendered only then, so
// removing adopt from the input removes the file on the next render.
const FileAdopt = "adopt.tf"

// adopt writes the environment's adoption blocks, in the order Load
// resolved them (facts.md "Terraform providers"):
//
//	moved   { from = <existing address>  to = <wigen's address> }     (Terraform 1.1)
//	removed { from = <existing address>  lifecycle { destroy = false } } (1.7)
//	import  { to = <wigen's address>  id = "<import ID>" }              (1.5)
//
// Addresses are traversals (validated as TYPE.NAME, optionally after
// module.NAME., by schema); import IDs are string literals, which every
// Terraform from 1.5 takes (expressions need 1.6).
func (m *module) adopt(body *hclwrite.Body) error {
	own := false
	var others []string
	for _, b := range m.e.Adoption {
		switch {
		case b.Env == m.e.Name:
			own = true
		case !slices.Contains(others, b.Env):
			others = append(others, b.Env)
		}
	}
	if own {
		comment(body,
			"Takes the existing objects of this environment under this module without",
			"recreating them (adopt in the input). After the first apply has gone through,",
			"remove adopt from the input and render again: this file then goes away.")
	}
	if len(others) > 0 {
		if own {
			body.AppendNewline()
		}
		comment(body,
			"Imports the existing federated identity credentials of "+output.Plural(len(others), "environment ", "environments ")+output.AndList(others)+":",
			"this module creates every credential of its identity, and their adopt in the",
			"input asks for them. After the first apply has gone through, remove adopt",
			"from them and render again.")
	}
	for i, b := range m.e.Adoption {
		body.AppendNewline()
		if i == 0 || m.e.Adoption[i-1].Kind != b.Kind {
			switch b.Kind {
			case schema.Moved:
				comment(body, "In the existing state under another address of the same type.")
			case schema.Removed:
				comment(body, "The state forgets the object; destroy = false leaves the object itself be.")
			case schema.Import:
				comment(body, "Imported: the plan reads the object from its API, the apply writes it into the state.")
			}
		}
		bb := body.AppendNewBlock(b.Kind.String(), nil).Body()
		switch b.Kind {
		case schema.Moved:
			if err := setAddress(bb, "from", b.From); err != nil {
				return err
			}
			if err := setAddress(bb, "to", b.To); err != nil {
				return err
			}
		case schema.Removed:
			if err := setAddress(bb, "from", b.From); err != nil {
				return err
			}
			bb.AppendNewline()
			bb.AppendNewBlock("lifecycle", nil).Body().SetAttributeValue("destroy", cty.False)
		case schema.Import:
			if err := setAddress(bb, "to", b.To); err != nil {
				return err
			}
			setStr(bb, "id", b.ID)
		}
	}
	return nil
}

// setAddress writes name = <address> as a traversal.
func setAddress(body *hclwrite.Body, name, addr string) error {
	tr, diags := hclsyntax.ParseTraversalAbs([]byte(addr), "adopt", hcl.InitialPos)
	if diags.HasErrors() {
		return fmt.Errorf("adopt: %q is not a resource address: %s", addr, diags.Error())
	}
	body.SetAttributeTraversal(name, tr)
	return nil
}
