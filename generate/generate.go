// Package generate renders everything wigen produces from one validated
// Spec, in memory: pure functions, input model in, files out, no disk.
package generate

import (
	"fmt"

	"golang.org/x/sync/errgroup"

	"github.com/wigen-dev/wigen/generate/argocd"
	"github.com/wigen-dev/wigen/generate/docs"
	"github.com/wigen-dev/wigen/generate/flux"
	"github.com/wigen-dev/wigen/generate/helm"
	"github.com/wigen-dev/wigen/generate/kustomize"
	"github.com/wigen-dev/wigen/generate/output"
	"github.com/wigen-dev/wigen/generate/terraform"
	"github.com/wigen-dev/wigen/schema"
)

// Result is one render: the files, sorted by path (relative to the output
// root), and the environments whose client-ID-bearing outputs were skipped
// because identity.clientId is not known yet, in environment order.
type Result struct {
	Files   []output.File
	Skipped []Skip
}

// Skip is one environment whose client-ID-bearing outputs were not
// rendered: its standalone Helm values file, its Kustomize overlay, its
// Argo CD Application and its Flux folder (whichever targets it renders)
// carry the identity's client ID, which Terraform knows only after the
// first apply, and wigen never writes a placeholder in its place. helm.MissingClientIDNote words it for the user.
type Skip struct {
	// Index is the environment's index in spec.environments; Env its name.
	Index int
	Env   string
	// Paths are the outputs not rendered, relative to the output root with
	// '/' separators; a folder ends in "/".
	Paths []string
}

// Render renders every target of s. s must come from schema.Load and is
// only read. The targets render concurrently; the result does not depend
// on their timing: files are sorted by path. Result.Skipped (one per
// environment) is for the caller to word with the paths as its user sees
// them.
func Render(s *schema.Spec) (*Result, error) {
	type part struct {
		name  string
		files []output.File
	}
	var jobs []func() (part, error)
	if s.HasTarget(schema.TargetTerraform) {
		jobs = append(jobs, func() (part, error) {
			fs, err := terraform.Render(s)
			return part{"terraform", fs}, err
		})
	}
	if s.HasTarget(schema.TargetHelm) {
		jobs = append(jobs, func() (part, error) {
			fs, err := helm.Render(s)
			return part{"helm values", fs}, err
		})
	}
	if s.HasTarget(schema.TargetKustomize) {
		jobs = append(jobs, func() (part, error) {
			fs, err := kustomize.Render(s)
			return part{"kustomize", fs}, err
		})
	}
	if s.HasTarget(schema.TargetArgoCD) {
		jobs = append(jobs, func() (part, error) {
			fs, err := argocd.Render(s)
			return part{"argocd", fs}, err
		})
	}
	if s.HasTarget(schema.TargetFlux) {
		jobs = append(jobs, func() (part, error) {
			fs, err := flux.Render(s)
			return part{"flux", fs}, err
		})
	}
	jobs = append(jobs, func() (part, error) {
		fs, err := docs.Render(s)
		return part{"readme", fs}, err
	})
	parts := make([]part, len(jobs))
	var g errgroup.Group
	for i, job := range jobs {
		g.Go(func() error {
			p, err := job()
			if err != nil {
				return fmt.Errorf("render %s: %w", p.name, err)
			}
			parts[i] = p
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	r := &Result{Skipped: skipped(s)}
	for _, p := range parts {
		r.Files = append(r.Files, p.files...)
	}
	output.Sort(r.Files)
	for i := 1; i < len(r.Files); i++ {
		if r.Files[i].Path == r.Files[i-1].Path {
			return nil, fmt.Errorf("two renderers write %s", r.Files[i].Path)
		}
	}
	return r, nil
}

// skipped lists, in environment order, the environments without a client
// ID and the outputs of their targets that Render leaves out for it (see
// helm.HasClientID, helm.Render and kustomize.Render).
func skipped(s *schema.Spec) []Skip {
	var out []Skip
	for i := range s.Spec.Environments {
		e := &s.Spec.Environments[i]
		if helm.HasClientID(e) {
			continue
		}
		sk := Skip{Index: i, Env: e.Name}
		if e.HasTarget(schema.TargetHelm) {
			sk.Paths = append(sk.Paths, helm.StandalonePath(e.Name))
		}
		if e.HasTarget(schema.TargetKustomize) {
			sk.Paths = append(sk.Paths, kustomize.OverlayDir(e.Name)+"/")
		}
		if e.HasTarget(schema.TargetArgoCD) {
			sk.Paths = append(sk.Paths, argocd.Path(e.Name))
		}
		if e.HasTarget(schema.TargetFlux) {
			sk.Paths = append(sk.Paths, flux.Dir(e.Name)+"/")
		}
		if len(sk.Paths) > 0 {
			out = append(out, sk)
		}
	}
	return out
}
