// Package generate renders everything wigen produces from one validated
// Spec, in memory: pure functions, input model in, files out, no disk.
package generate

import (
	"fmt"

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

// Render renders every target of s. s must come from schema.Load.
func Render(s *schema.Spec) (*Result, error) {
	r := &Result{}
	if s.HasTarget(schema.TargetTerraform) {
		fs, err := terraform.Render(s)
		if err != nil {
			return nil, fmt.Errorf("render terraform: %w", err)
		}
		r.Files = append(r.Files, fs...)
	}
	if s.HasTarget(schema.TargetHelm) {
		fs, notes, err := helm.Render(s)
		if err != nil {
			return nil, fmt.Errorf("render helm values: %w", err)
		}
		r.Files = append(r.Files, fs...)
		r.Notes = append(r.Notes, notes...)
	}
	if s.HasTarget(schema.TargetKustomize) {
		fs, notes, err := kustomize.Render(s)
		if err != nil {
			return nil, fmt.Errorf("render kustomize: %w", err)
		}
		r.Files = append(r.Files, fs...)
		r.Notes = append(r.Notes, notes...)
	}
	fs, err := docs.Render(s)
	if err != nil {
		return nil, fmt.Errorf("render readme: %w", err)
	}
	r.Files = append(r.Files, fs...)
	output.Sort(r.Files)
	for i := 1; i < len(r.Files); i++ {
		if r.Files[i].Path == r.Files[i-1].Path {
			return nil, fmt.Errorf("two renderers write %s", r.Files[i].Path)
		}
	}
	return r, nil
}
