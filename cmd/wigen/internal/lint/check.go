package lint

import (
	"sort"
	"strings"

	"github.com/wigen-dev/wigen/generate/helm"
	"github.com/wigen-dev/wigen/schema"
)

type checker struct {
	env *schema.Environment
	// chart is the spec's chart, for fixes that name chart values (WI031);
	// nil when only the environment is known (Lint).
	chart *schema.Chart
	// spec names the input as -f names it, in fixes that send the user to it.
	spec     string
	subjects []*subject
	objects  []*object
	finds    []Finding
	// inputs names every input, for a finding about the input as a whole.
	inputs string
}

// Hints are the commands wigen lint suggests when its input is not
// rendered manifests: a Helm values file, a kustomization or one of its
// patches.
type Hints struct {
	// HelmTemplate renders the chart for the environment; the values
	// file is appended as "-f FILE".
	HelmTemplate string
	// Overlay is the environment's Kustomize overlay folder, suggested for
	// a kustomization read from standard input.
	Overlay string
	// Lint is the wigen lint command a build is piped into.
	Lint string
	// Spec is the input as -f names it (wigen.yaml by default), named in
	// fixes that say to correct it (WI004, WI006).
	Spec string
	// Values is the file the command suggested for an Argo CD Application
	// or a Flux HelmRelease writes their inline values to (gitops.go).
	Values string
	// envs are the hints of the spec's other environments, by name, for
	// the GitOps objects of their folders (gitops.go); nil without a spec.
	envs map[string]Hints
}

// DefaultHints are the hints for environment e when the spec's chart and
// paths are not known: the release and chart are left for the user to
// fill in.
func DefaultHints(e *schema.Environment) Hints {
	return Hints{
		HelmTemplate: "helm template RELEASE CHART --namespace " + e.Namespace,
		Overlay:      "deploy/kustomize/overlays/" + e.Name,
		Lint:         "wigen lint --env " + e.Name,
		Spec:         schema.DefaultFile,
		Values:       helm.ExtractedValuesPath("RELEASE", e.Name),
	}
}

// Lint checks the manifests of inputs against environment e of a spec from
// schema.Load. It returns the findings sorted by file, line and ID, or an
// InputErrors when the input is not Kubernetes YAML (malformed YAML, a
// document without apiVersion or kind, a kustomization or a patch, no
// object at all). Fixes that depend on the chart version speak of every
// version; LintSpec knows it.
func Lint(e *schema.Environment, inputs []Input) ([]Finding, error) {
	r, err := lint(nil, e, inputs, DefaultHints(e))
	if err != nil {
		return nil, err
	}
	return r.findings, nil
}

// LintSpec is Lint against environment e of spec s, as `wigen lint -f`
// runs it: fixes name the chart values of s's chart version and the
// commands of s's chart, release and paths (the spec named wigen.yaml).
func LintSpec(s *schema.Spec, e *schema.Environment, inputs []Input) ([]Finding, error) {
	r, err := lint(s, e, inputs, hintsFor(s, e, schema.DefaultFile))
	if err != nil {
		return nil, err
	}
	return r.findings, nil
}

// report is the result of one run: the findings and how many objects were
// checked.
type report struct {
	findings []Finding
	objects  int
}

// lint runs the checks; s may be nil (Lint).
func lint(s *schema.Spec, e *schema.Environment, inputs []Input, hints Hints) (*report, error) {
	d := newDecoder(e.Namespace, hints)
	for _, in := range inputs {
		d.add(in)
	}
	if len(d.errs) > 0 {
		return nil, d.inputErrors()
	}
	names := make([]string, len(inputs))
	for i, in := range inputs {
		names[i] = in.Name
	}
	if len(d.objects) == 0 {
		return nil, InputErrors{{File: strings.Join(names, ", "), Msg: "no Kubernetes objects in the input; did `helm template` or `kustomize build` fail?"}}
	}
	c := &checker{env: e, spec: hints.Spec, subjects: subjectsOf(e), objects: d.objects, finds: d.finds, inputs: strings.Join(names, ", ")}
	if c.spec == "" {
		c.spec = schema.DefaultFile
	}
	if s != nil {
		c.chart = &s.Spec.Chart
	}
	for _, o := range c.objects {
		if o.meta != nil {
			c.checkObject(o)
		}
	}
	c.checkSubjects()
	return &report{findings: sortFindings(c.finds), objects: len(d.objects)}, nil
}

func (c *checker) add(f Finding) { c.finds = append(c.finds, f) }

// checkObject runs the checks of one decoded object.
func (c *checker) checkObject(o *object) {
	pt := podTemplateOf(o.obj)
	switch {
	case o.gvk.Kind == "ServiceAccount" && o.gvk.Group == "":
		c.checkKeys(o, "metadata", o.meta, placeServiceAccount, false)
		c.checkServiceAccountValues(o)
	case pt != nil && pt.path == "":
		c.checkKeys(o, "metadata", o.meta, placePod, false) // a bare Pod
	default:
		c.checkKeys(o, "metadata", o.meta, placeOther, pt != nil)
	}
	if pt != nil {
		if pt.path != "" {
			for _, ow := range pt.owners[1:] {
				c.checkKeys(o, ow.path, ow.meta, placeOther, true)
			}
			c.checkKeys(o, pt.path+".metadata", pt.meta, placePod, false)
		}
		c.checkPod(o, pt)
	}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func sortedKeys(m map[string]string) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func sortedSet(m map[string]bool) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
