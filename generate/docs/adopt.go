package docs

import (
	"fmt"
	"slices"

	version "github.com/hashicorp/go-version"

	"github.com/wigen-dev/wigen/generate/helm"
	"github.com/wigen-dev/wigen/generate/output"
	"github.com/wigen-dev/wigen/schema"
)

// adoption is the environment README's "Adopting an existing setup": what
// adopt.tf does with each existing object, how to point the module at the
// existing state (or start a new one), the plan to expect, and when to
// remove adopt (schema.Environment.Adoption; facts.md "Terraform
// providers": moved, removed and import blocks). A module that creates
// the federated identity credentials of other environments sharing its
// identity also holds the import blocks their adopt asks for; an
// environment whose credentials another module creates says where they
// are imported.
type adoption struct {
	// Own: this environment has adopt (else adopt.tf holds only other
	// environments' blocks). Import: adopt.import, a new state; else the
	// module takes over an existing state.
	Own, Import bool
	// Release: the module installs the release (terraform.release).
	Release bool
	// Rows describe each block of adopt.tf.
	Rows []adoptRow
	// Others names, as prose, the other environments whose adopt put
	// blocks into this module's adopt.tf ("" for none).
	Others string
	// Elsewhere lists this environment's federated identity credentials
	// imported by the module that creates them (CredentialModule), another
	// environment's, ElsewhereDir.
	Elsewhere    []adoptRow
	ElsewhereDir string
	// Imports counts the import blocks ("N to import" in the plan).
	Imports int
	// Forgets counts the removed blocks.
	Forgets int
	// RequiredVersion is the module's Terraform constraint, and MinTerraform
	// what the blocks need (schema.Environment.MinTerraformFor).
	RequiredVersion, MinTerraform string
	// Forgotten names, as prose, the providers versions.tf pins for the
	// removed blocks alone (schema.Environment.ForgottenProviders: a module
	// without the release whose state holds a namespace or a helm_release),
	// "" for none; ForgottenCount how many.
	Forgotten      string
	ForgottenCount int
	// Backend names the type of the module's backend (schema.Spec.BackendFor);
	// "" without one (the module keeps its state in its folder).
	// BackendField is where the input sets it (schema.Spec.BackendField).
	Backend, BackendField string
	// StateArg is the backend argument that names the environment's state
	// (key, prefix), with the value the module has; "" when none.
	// StateWritten: the value is the input's, not wigen's default.
	StateArg, StateValue string
	StateWritten         bool
	// Tutorial: adopt.from is the tutorial preset.
	Tutorial bool
	// AdoptsRelease: adopt takes over an installed release
	// (schema.Environment.AdoptsRelease), whose values wigen's replace;
	// ReleaseName and Namespace name it. Subcharts lists, as prose, the
	// subcharts on by default whose enabled the chart values leave unset
	// (schema.Subcharts): kept on while adopt is set.
	AdoptsRelease          bool
	ReleaseName, Namespace string
	Subcharts              string
}

type adoptRow struct {
	Object, From, To, How string
}

func adoptionData(s *schema.Spec, e *schema.Environment) *adoption {
	if !e.HasTarget(schema.TargetTerraform) {
		return nil
	}
	a := &adoption{Own: e.Adopt != nil, Release: e.TerraformRelease(), RequiredVersion: e.RequiredVersion, MinTerraform: "1.1.0"}
	if a.Own {
		a.Import, a.Tutorial = e.Adopt.Import, e.Adopt.From == schema.AdoptFromTutorial
	}
	if e.AdoptsRelease() {
		a.AdoptsRelease, a.ReleaseName, a.Namespace = true, s.ReleaseName(), e.Namespace
		var unset []string
		for _, sc := range schema.Subcharts {
			if !schema.SubchartSet(s.Values(e), sc) {
				unset = append(unset, code(sc+".enabled"))
			}
		}
		a.Subcharts = output.AndList(unset)
	}
	if owner := s.CredentialModule(e); owner != nil && owner != e {
		for _, b := range owner.Adoption {
			if b.Env == e.Name {
				a.Elsewhere = append(a.Elsewhere, adoptRow{Object: b.Object, To: code(b.To), How: "`import` by ID " + code(b.ID)})
			}
		}
		a.ElsewhereDir = helm.TerraformDir(owner.Name)
	}
	if len(e.Adoption) == 0 && len(a.Elsewhere) == 0 {
		return nil
	}
	a.BackendField = s.BackendField(e)
	if b := s.BackendFor(e); b != nil {
		a.Backend = b.Type
		a.StateArg, a.StateValue = schema.BackendStateArgument(s, e, b.Type)
		if v, ok := b.Config[a.StateArg]; ok && a.StateArg != "" {
			a.StateValue, a.StateWritten = fmt.Sprint(v), true
		}
	}
	var others []string
	for i, b := range e.Adoption {
		if b.Env != e.Name {
			if !slices.Contains(others, code(b.Env)) {
				others = append(others, code(b.Env))
			}
			b.Object += fmt.Sprintf(" (environment `%s`'s, created by this module)", b.Env)
		}
		if min := e.MinTerraformFor(b); version.Must(version.NewVersion(min)).GreaterThan(version.Must(version.NewVersion(a.MinTerraform))) {
			a.MinTerraform = min
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
	a.Others = output.AndList(others)
	var forgotten []string
	for _, p := range e.ForgottenProviders() {
		forgotten = append(forgotten, code(p))
	}
	a.Forgotten, a.ForgottenCount = output.AndList(forgotten), len(forgotten)
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
	// ArgoCD: the environment renders an Argo CD Application, whose values
	// also give the PVC the sync options Prune=false,Delete=false when it
	// is kept (helm.ArgoCDValues). Kustomize: it renders a Kustomize
	// overlay, which a pruning apply (Argo CD, Flux) deletes the PVC from
	// whatever Helm's annotation says.
	ArgoCD, Kustomize bool
	// Delete is the command that deletes the PVC for good.
	Delete string
}

func dataNote(s *schema.Spec, e *schema.Environment) *data {
	c, vals := s.Spec.Chart, s.Values(e)
	if !schema.CreatesPVC(vals) {
		if claim := schema.ExistingClaim(vals); claim != "" {
			return &data{Claim: claim}
		}
		return nil // object storage or an emptyDir: no volume to keep
	}
	d := &data{PVC: s.FullnameFor(e), Kept: s.KeepsPVC(e), ArgoCD: e.HasTarget(schema.TargetArgoCD), Kustomize: e.HasTarget(schema.TargetKustomize)}
	d.OptedOut = !d.Kept && c.KeepPersistentVolumeClaim != nil && !*c.KeepPersistentVolumeClaim
	d.Delete = fmt.Sprintf("%s delete persistentvolumeclaim %s --namespace %s", helm.Kubectl(e), output.ShellQuote(d.PVC), output.ShellQuote(e.Namespace))
	return d
}
