// Package kustomize renders the Kustomize base and one overlay per environment.
package kustomize

import (
	"github.com/wigen-dev/wigen/generate/output"
	"github.com/wigen-dev/wigen/schema"
)

// Render returns kustomize/base/ and kustomize/overlays/<env>/, and a note
// for every overlay skipped because its client ID is not known.
func Render(s *schema.Spec) ([]output.File, []string, error) {
	return nil, nil, nil // scaffolding: replaced by the Kustomize renderer
}
