package docs

import (
	"fmt"

	version "github.com/hashicorp/go-version"

	"github.com/wigen-dev/wigen/generate/output"
	"github.com/wigen-dev/wigen/schema"
)

// adoption is the environment README's "Adopting an existing setup": what
// adopt.tf does with each existing object, how to point the module at the
// existing state (or start a new one), the plan to expect, and when to
// remove adopt (schema.Environment.Adoption; facts.md "Terraform
// providers": moved, removed and import blocks).
type adoption struct {
	// Import: adopt.import, a new state; else the module takes over an
	// existing state.
	Import bool
	// Rows describe each block of adopt.tf.
	Rows []adoptRow
	// Imports counts the import blocks ("N to import" in the plan).
	Imports int
	// Forgets counts the removed blocks.
	Forgets int
	// RequiredVersion is the module's Terraform constraint, and MinTerraform
	// what the blocks need.
	RequiredVersion, MinTerraform string
	// Backend names spec.terraform.backend's type; "" without one (the
	// module keeps its state in its folder).
	Backend string
	// StateArg is the backend argument that names the environment's state
	// (key, prefix), with the value the module has; "" when none.
	// StateWritten: the value is the input's, not wigen's default.
	StateArg, StateValue string
	StateWritten         bool
	// Tutorial: adopt.from is the tutorial preset.
	Tutorial bool
}

type adoptRow struct {
	Object, From, To, How string
}

func adoptionData(s *schema.Spec, e *schema.Environment) *adoption {
	if len(e.Adoption) == 0 || !s.HasTarget(schema.TargetTerraform) {
		return nil
	}
	a := &adoption{Import: e.Adopt.Import, RequiredVersion: e.RequiredVersion, MinTerraform: "1.1.0", Tutorial: e.Adopt.From == schema.AdoptFromTutorial}
	if b := s.Spec.Terraform.Backend; b != nil {
		a.Backend = b.Type
		a.StateArg, a.StateValue = schema.BackendStateArgument(s, e, b.Type)
		if v, ok := b.Config[a.StateArg]; ok && a.StateArg != "" {
			a.StateValue, a.StateWritten = fmt.Sprint(v), true
		}
	}
	for i, b := range e.Adoption {
		if min := version.Must(version.NewVersion(b.Kind.MinTerraform())); min.GreaterThan(version.Must(version.NewVersion(a.MinTerraform))) {
			a.MinTerraform = b.Kind.MinTerraform()
		}
		switch b.Kind {
		case schema.Moved:
			a.Rows = append(a.Rows, adoptRow{Object: b.Object, From: code(b.From), To: code(b.To), How: "`moved`: the state entry is renamed"})
		case schema.Removed:
			a.Forgets++
			row := adoptRow{Object: b.Object, From: code(b.From), To: "—", How: "`removed` with `destroy = false`: the state forgets it, the object stays"}
			// A removed kubernetes_namespace is imported again as
			// kubernetes_namespace_v1 by the block after it.
			if i+1 < len(e.Adoption) && e.Adoption[i+1].Kind == schema.Import && e.Adoption[i+1].Object == b.Object {
				row.To = code(e.Adoption[i+1].To)
				row.How = "`removed` with `destroy = false`, then `import` by its name: a `moved` block cannot change the resource type"
			}
			a.Rows = append(a.Rows, row)
		case schema.Import:
			a.Imports++
			if i > 0 && e.Adoption[i-1].Kind == schema.Removed && e.Adoption[i-1].Object == b.Object {
				continue // the row of the removed block says it
			}
			a.Rows = append(a.Rows, adoptRow{Object: b.Object, From: "—", To: code(b.To), How: "`import` by ID " + code(b.ID)})
		}
	}
	return a
}

// data is the environment README's "Keeping the chat database": what
// holds Open WebUI's database, whether Helm keeps it, how to attach it
// again and how to really delete it (schema.Spec.KeepsPVC; facts.md "Open
// WebUI Helm chart", PVC and Data).
type data struct {
	// PVC is the chart's PVC ("" when the chart creates none); Claim the
	// existing claim the release mounts instead.
	PVC, Claim string
	// Kept: annotated helm.sh/resource-policy: keep. OptedOut: by
	// spec.chart.keepPersistentVolumeClaim: false (else the chart version
	// cannot carry the annotation).
	Kept, OptedOut bool
	// Delete is the command that deletes the PVC for good.
	Delete string
}

func dataNote(s *schema.Spec, e *schema.Environment) *data {
	c := s.Spec.Chart
	if !schema.CreatesPVC(c.Values) {
		if claim := schema.ExistingClaim(c.Values); claim != "" {
			return &data{Claim: claim}
		}
		return nil // object storage or an emptyDir: no volume to keep
	}
	d := &data{PVC: s.Fullname(), Kept: s.KeepsPVC()}
	d.OptedOut = !d.Kept && c.KeepPersistentVolumeClaim != nil && !*c.KeepPersistentVolumeClaim
	d.Delete = fmt.Sprintf("kubectl delete persistentvolumeclaim %s --namespace %s", output.ShellQuote(d.PVC), output.ShellQuote(e.Namespace))
	return d
}
