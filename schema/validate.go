// The validator: positions of logical field paths, how diagnostics are
// reported, and the order of the checks. Each concern's rules live in a
// file of their own (names.go, azureids.go, issuer.go, roles.go,
// chart.go, terraform.go, backend.go, environment.go, identities.go,
// adopt.go, persistence.go, ...),
// each opening with the sources it cites.

package schema

import (
	"fmt"
)

// validator checks the decoded, completed Spec. Every rule names its source.
type validator struct {
	d               *decoder
	s               *Spec
	roleSuggestions map[string]string
	// adoptElsewhere holds, by the environment whose module creates them,
	// the import blocks of other environments' federated identity
	// credentials their adopt asks for (adopt.go).
	adoptElsewhere map[*Environment][]AdoptBlock
}

// where finds the position and written path of a logical field path. A
// field that was not written (left to a default) is reported under its
// logical path at the nearest enclosing object the user wrote for it.
func (v *validator) where(logical string) (line, col int, written string) {
	if p, ok := v.d.at[logical]; ok {
		return p.line, p.col, p.written
	}
	for anc := parentPath(logical); ; anc = parentPath(anc) {
		if p, ok := v.d.at[anc]; ok && (p.written == anc || anc == "") {
			return p.line, p.col, logical
		}
		if anc == "" {
			return 0, 0, logical
		}
	}
}

// parentPath strips the last segment of a field path: a.b[2] -> a.b -> a -> "".
func parentPath(p string) string {
	depth := 0
	for i := len(p) - 1; i >= 0; i-- {
		switch p[i] {
		case ']':
			depth++
		case '[':
			depth--
			if depth == 0 {
				return p[:i]
			}
		case '.':
			if depth == 0 {
				return p[:i]
			}
		}
	}
	return ""
}

func (v *validator) report(sev Severity, logical, format string, args ...any) {
	line, col, written := v.where(logical)
	v.d.diags = append(v.d.diags, Diagnostic{File: v.d.file, Line: line, Column: col, Path: written, Message: fmt.Sprintf(format, args...), Severity: sev})
}

func (v *validator) errorf(logical, format string, args ...any) {
	v.report(Error, logical, format, args...)
}

func (v *validator) warnf(logical, format string, args ...any) {
	v.report(Warning, logical, format, args...)
}

// reported reports whether an error was reported at the field already.
func (v *validator) reported(logical string) bool {
	line, col, written := v.where(logical)
	for _, d := range v.d.diags {
		if d.Severity == Error && d.Line == line && d.Column == col && d.Path == written {
			return true
		}
	}
	return false
}

// written reports whether the user wrote the field (as opposed to a default).
func (v *validator) written(logical string) bool {
	_, ok := v.d.at[logical]
	return ok
}

func (v *validator) validate() {
	s := v.s
	if s.APIVersion != "" && s.APIVersion != APIVersion {
		v.errorf("apiVersion", "%s is not supported; this wigen reads apiVersion %s", Quote(s.APIVersion), Quote(APIVersion))
	}
	if s.Kind != "" && s.Kind != Kind {
		v.errorf("kind", "%s is not supported; the kind is %s", Quote(s.Kind), Quote(Kind))
	}
	if n := s.Metadata.Name; n != "" {
		if msg := dns1123Label(n, 53); msg != "" {
			v.errorf("metadata.name", "%s is not a valid Helm release name: %s", Quote(n), msg)
		}
	}
	sp := &s.Spec
	// A field written empty where a default exists is a mistake, not a
	// request for the default.
	for p, def := range map[string]string{
		"spec.output":                         DefaultOutput,
		"spec.chart.repository":               DefaultChartRepository,
		"spec.chart.name":                     DefaultChartName,
		"spec.terraform.requiredVersion":      DefaultRequiredVersion,
		"spec.terraform.providers.azurerm":    DefaultAzurermVersion,
		"spec.terraform.providers.kubernetes": DefaultKubernetesVersion,
		"spec.terraform.providers.helm":       DefaultHelmVersion,
	} {
		if _, ok := v.d.blank[p]; ok {
			v.errorf(p, "is empty; leave the field out for the default, %s", Quote(def))
			delete(v.d.blank, p)
		}
	}
	for _, b := range v.d.blank {
		v.d.diags = append(v.d.diags, Diagnostic{File: v.d.file, Line: b.line, Column: b.col, Path: b.written,
			Message: "is empty; leave the field out (to take its default, or inherit it from spec.defaults) or give it a value"})
	}
	v.validateOutput(sp.Output)
	v.validateTargets(sp.Targets)
	v.validateChart(&sp.Chart)
	v.validateTerraform(&sp.Terraform, v.sharingSpecBackend())
	if sp.Defaults != nil && v.written("spec.defaults.name") {
		v.errorf("spec.defaults.name", "an environment's name cannot have a default; name each environment")
	}
	if v.written("spec.environments") && len(sp.Environments) == 0 {
		v.errorf("spec.environments", "lists no environment; add at least one")
	}
	names := map[string]int{}
	for i := range sp.Environments {
		e := &sp.Environments[i]
		p := fmt.Sprintf("spec.environments[%d]", i)
		if first, dup := names[e.Name]; dup && e.Name != "" {
			v.errorf(p+".name", "%s is already the name of spec.environments[%d]; environment names must be unique", Quote(e.Name), first)
		} else {
			names[e.Name] = i
		}
		v.validateEnvironment(e, p)
		v.validateAdopt(e, p)
		v.validateEnvironmentTargets(e, p)
		v.validateGitOps(e, p)
	}
	v.validateEnvironmentBackends()
	v.validateAdoptTerraform()
	v.validatePersistence()
	v.validateIdentities()
	v.validateChartNames()
	v.validateWorkloadName()
	v.validateRoleCoverage()
	v.validateOpenWebUI()
}
