// Package replacement finds what a new render would replace of the objects
// the previous render deployed: objects that hold state or an identity,
// whose replacement loses it. It compares two renders of one input, the
// files the output root holds (wigen's own, from the previous render) and
// the files the new render would write, and nothing else: pure, no disk,
// no cloud. `wigen render` refuses a render with replacements unless told
// --allow-replace.
//
// What replaces what, per environment present in both renders (a new
// environment and a removed one are not compared; in-place updates are not
// replacements):
//
//   - Terraform module (terraform/<env>/main.tf, read with hclsyntax, and
//     values.yaml beside it): the user-assigned managed identity's name,
//     resource group or location; a federated identity credential's name,
//     its identity (another existing identity read), or its address (a
//     credential for one subject under another resource name is deleted
//     and created); the namespace's name; the
//     helm_release's name or namespace; a chart upgrade (version,
//     nameOverride or fullnameOverride) that renames the chart's workload,
//     Service and PVC (schema.ChartFullname); an identity or namespace the
//     module stops creating (identity.existing, createNamespace: false,
//     terraform.release: false), which Terraform destroys; and a
//     helm_release the module stops installing (terraform.release: false),
//     which Terraform uninstalls. Which arguments force a replacement is from
//     the provider sources (facts.md "Terraform providers", "What forces
//     replacement"). A moved or removed block of the new render's adopt.tf
//     is honoured: an address moved is not replaced, one removed is kept.
//     A credential that moves within a module is paired by subject, first
//     with one of the same issuer, so it is never mistaken for another
//     environment's credential of the same subject on another cluster. A
//     credential that leaves a module for another environment's (a shared
//     identity's credentials, which the identity's module creates from now
//     on) is deleted by one state and created by the other: reported unless
//     the old module's adopt.tf makes its state forget it (between.go).
//
//   - Kustomize overlay (kustomize/overlays/<env>/kustomization.yaml, the
//     chart its helmCharts entry inflates and values.yaml beside it; for a
//     tree an older wigen wrote, the shared kustomize/base): the overlay's
//     namespace, and a rename of the
//     chart's workload, Service and PVC. Applied with pruning (Argo CD,
//     Flux), the old objects are deleted.
//
//   - Argo CD Application (argocd/<env>/application.yaml) and Flux
//     HelmRelease (flux/<env>/helmrelease.yaml, with ocirepository.yaml
//     for an OCI chart): the release's name, namespace and chart, and a
//     chart upgrade that renames the chart's objects (gitops.go). Flux
//     uninstalls and installs again, like Terraform; Argo CD prunes the
//     objects it no longer renders, the PVC among them unless it carries
//     the sync option Prune=false.
//
// In each of them, values that turn off a subchart the previous render
// left on (ollama, pipelines: on by default, kept on for an adopted
// release) delete its objects, the Pipelines PVC among them
// (release.go, subchartsOff).
//
// The standalone Helm values (helm/<env>/values.yaml) name no release,
// namespace or chart version, so they are not compared.
package replacement

import (
	"bytes"
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/wigen-dev/wigen/generate/kustomize"
	"github.com/wigen-dev/wigen/generate/terraform"
	"github.com/wigen-dev/wigen/schema"
)

// Replacement is one object the new render would replace.
type Replacement struct {
	// Env is the environment.
	Env string
	// Path is the rendered file that shows the change, relative to the
	// output root ('/' separators).
	Path string
	// Object and Change say what changes (`identity "id-a"`, `becomes
	// "id-b"`: every name in them quoted by schema.Quote, so a name read
	// from a file holding a control character keeps the line one line);
	// Consequence what that does to the deployed object.
	Object, Change, Consequence string
}

// Line is the replacement in one line, with path as the caller shows
// Path: `environment "prod": identity "id-a" becomes "id-b" (PATH):
// Terraform replaces it: ...`.
func (r Replacement) Line(path string) string {
	return fmt.Sprintf("environment %s: %s %s (%s): %s", schema.Quote(r.Env), r.Object, r.Change, path, r.Consequence)
}

// Find compares old (the files of the previous render, by path relative
// to the output root) with next (the files of the new render) and returns
// the replacements, sorted by environment, then file, then object. A
// previous file that does not parse (edited by hand, left with
// merge-conflict markers) is not compared: FindUnreadable lists it.
func Find(old, next map[string][]byte) []Replacement {
	var out []Replacement
	var left []leftCredential
	// Each module of each tree is parsed once, for every comparison here.
	oldMods, nextMods := newModuleReader(old), newModuleReader(next)
	elsewhere := heldElsewhere(oldMods)
	for _, env := range envs(old, next, func(env string) string { return path.Join(terraform.Dir(env), terraform.FileMain) }) {
		if same(old, next, moduleInputs(env)...) {
			continue // nothing the comparison reads has changed
		}
		o, okOld := oldMods.read(env)
		n, okNew := nextMods.read(env)
		if okOld && okNew {
			r, l := compareModules(env, o, n, func(name string) bool { return elsewhere(env, name) })
			out = append(out, r...)
			for _, c := range l {
				left = append(left, leftCredential{env: env, from: o, c: c})
			}
		}
	}
	out = append(out, movedBetween(left, oldMods, nextMods)...)
	out = append(out, renamedEnvironments(oldMods, nextMods)...)
	out = append(out, findGitOps(old, next)...)
	for _, env := range envs(old, next, func(env string) string { return path.Join(kustomize.OverlayDir(env), kustomize.KustomizationFile) }) {
		if same(old, next, overlayInputs(env)...) {
			continue
		}
		o, okOld := readOverlay(old, env)
		n, okNew := readOverlay(next, env)
		if okOld && okNew {
			out = append(out, compareOverlays(env, o, n)...)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Env != out[j].Env {
			return out[i].Env < out[j].Env
		}
		return out[i].Path < out[j].Path
	})
	return out
}

// heldElsewhere returns whether a federated identity credential name was
// created, in old, by another environment's module than env's: read once,
// when first asked (only a credential that changed address asks).
func heldElsewhere(old *moduleReader) func(env, name string) bool {
	var byName map[string][]string // credential name -> environments whose module created it
	return func(env, name string) bool {
		if byName == nil {
			byName = map[string][]string{}
			for _, other := range old.envs() {
				if m, ok := old.read(other); ok {
					for _, c := range m.creds {
						byName[c.name] = append(byName[c.name], other)
					}
				}
			}
		}
		for _, e := range byName[name] {
			if e != env {
				return true
			}
		}
		return false
	}
}

// moduleInputs are the files readModule reads for env (FindUnreadable
// checks the same list).
func moduleInputs(env string) []string {
	dir := terraform.Dir(env)
	return []string{path.Join(dir, terraform.FileMain), path.Join(dir, terraform.FileValues), path.Join(dir, terraform.FileAdopt)}
}

// moduleReader reads the Terraform modules of one tree (readModule), each
// once however often it is asked.
type moduleReader struct {
	files map[string][]byte
	read1 map[string]*module // nil when the module is missing or unreadable
}

func newModuleReader(files map[string][]byte) *moduleReader {
	return &moduleReader{files: files, read1: map[string]*module{}}
}

func (r *moduleReader) read(env string) (*module, bool) {
	m, done := r.read1[env]
	if !done {
		m, _ = readModule(r.files, env)
		r.read1[env] = m
	}
	return m, m != nil
}

// envs lists the environments whose module's main.tf the tree holds.
func (r *moduleReader) envs() []string {
	var out []string
	for p := range r.files {
		env := path.Base(path.Dir(p))
		if p == path.Join(terraform.Dir(env), terraform.FileMain) {
			out = append(out, env)
		}
	}
	sort.Strings(out)
	return out
}

// same reports whether every one of paths has the same content (or is
// missing) in old and next.
func same(old, next map[string][]byte, paths ...string) bool {
	for _, p := range paths {
		o, inOld := old[p]
		n, inNext := next[p]
		if inOld != inNext || !bytes.Equal(o, n) {
			return false
		}
	}
	return true
}

// envs lists the environments whose file (at the path file gives) is in
// both trees, sorted.
func envs(old, next map[string][]byte, file func(env string) string) []string {
	var out []string
	for p := range next {
		env := path.Base(path.Dir(p))
		if _, ok := old[p]; ok && file(env) == p {
			out = append(out, env)
		}
	}
	sort.Strings(out)
	return out
}

// chart is what names the chart's objects: schema.ChartFullname's inputs.
type chart struct {
	name, version, release string
	values                 map[string]any
}

func (c chart) fullname() string {
	return schema.ChartFullname(c.name, c.version, c.release, c.values)
}

// pvc describes the chart's PVC under values: "" when the chart creates
// none, and whether it is kept on uninstall (helm.sh/resource-policy: keep).
func pvc(c chart) (name string, kept bool) {
	if !schema.CreatesPVC(c.values) {
		return "", false
	}
	p, _ := c.values["persistence"].(map[string]any)
	ann, _ := p["annotations"].(map[string]any)
	policy, _ := ann[schema.AnnotationResourcePolicy].(string)
	// Helm keeps a resource whose policy is anything but "delete" (helm
	// pkg/kube ResourcePolicyIsKeep).
	return c.fullname(), policy != "" && policy != "delete"
}

// renamed returns the replacement of the chart's objects when old and new
// name them differently, or ok false. where names the deployment ("release
// open-webui"), how says what the old objects become.
func renamed(env, file, where string, o, n chart, how func(oldPVC string, kept bool) string) (Replacement, bool) {
	from, to := o.fullname(), n.fullname()
	if from == to {
		return Replacement{}, false
	}
	var cause []string
	if o.version != n.version {
		cause = append(cause, fmt.Sprintf("chart %s %s -> %s", schema.Quote(n.name), schema.Quote(o.version), schema.Quote(n.version)))
	}
	for _, k := range []string{"nameOverride", "fullnameOverride"} {
		if fmt.Sprint(o.values[k]) != fmt.Sprint(n.values[k]) {
			cause = append(cause, "a new "+k)
		}
	}
	if o.release != n.release {
		cause = append(cause, "release "+schema.Quote(o.release)+" -> "+schema.Quote(n.release))
	}
	oldPVC, kept := pvc(o)
	objects := "the workload and Service"
	if oldPVC != "" {
		objects = "the workload, Service and PVC"
	}
	c := fmt.Sprintf("the new objects replace the old: anything that calls Service %s by name (an ingress) must follow", schema.Quote(from))
	if oldPVC != "" {
		c = how(oldPVC, kept) + "; " + c
	}
	return Replacement{Env: env, Path: file, Object: where,
		Change:      fmt.Sprintf("(%s) renames %s %s to %s", strings.Join(cause, ", "), objects, schema.Quote(from), schema.Quote(to)),
		Consequence: c}, true
}

// reattach says how to keep the data of a kept PVC.
func reattach(pvc string) string {
	return fmt.Sprintf("set persistence.existingClaim: %s in the environment's chart.values (spec.environments[].chart.values) to use it again", schema.Quote(pvc))
}
