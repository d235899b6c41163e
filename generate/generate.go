// Package generate renders everything wigen produces from one validated
// Spec, in memory: pure functions, input model in, files out, no disk.
package generate

import (
	"fmt"

	"golang.org/x/sync/errgroup"

	"github.com/wigen-dev/wigen/generate/docs"
	"github.com/wigen-dev/wigen/generate/helm"
	"github.com/wigen-dev/wigen/generate/kustomize"
	"github.com/wigen-dev/wigen/generate/output"
	"github.com/wigen-dev/wigen/generate/terraform"
	"github.com/wigen-dev/wigen/schema"
)

// Result is one render: the files, sorted by path (relative to the output
// root), and notes for the user (for example an output skipped because
// identity.clientId is not known yet), in environment order.
type Result struct {
	Files []output.File
	Notes []string
}

// Render renders every target of s. s must come from schema.Load and is
// only read. The targets render concurrently; the result does not depend
// on their timing: files are sorted by path, notes come in target order.
func Render(s *schema.Spec) (*Result, error) {
	type part struct {
		name  string
		files []output.File
		notes []string
	}
	var jobs []func() (part, error)
	if s.HasTarget(schema.TargetTerraform) {
		jobs = append(jobs, func() (part, error) {
			fs, err := terraform.Render(s)
			return part{"terraform", fs, nil}, err
		})
	}
	if s.HasTarget(schema.TargetHelm) {
		jobs = append(jobs, func() (part, error) {
			fs, notes, err := helm.Render(s)
			return part{"helm values", fs, notes}, err
		})
	}
	if s.HasTarget(schema.TargetKustomize) {
		jobs = append(jobs, func() (part, error) {
			fs, notes, err := kustomize.Render(s)
			return part{"kustomize", fs, notes}, err
		})
	}
	jobs = append(jobs, func() (part, error) {
		fs, err := docs.Render(s)
		return part{"readme", fs, nil}, err
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
	r := &Result{}
	for _, p := range parts {
		r.Files = append(r.Files, p.files...)
		r.Notes = append(r.Notes, p.notes...)
	}
	output.Sort(r.Files)
	for i := 1; i < len(r.Files); i++ {
		if r.Files[i].Path == r.Files[i-1].Path {
			return nil, fmt.Errorf("two renderers write %s", r.Files[i].Path)
		}
	}
	return r, nil
}
