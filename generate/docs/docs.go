// Package docs renders the README of the output root and of each environment.
package docs

import (
	"github.com/wigen-dev/wigen/generate/output"
	"github.com/wigen-dev/wigen/schema"
)

// Render returns the README files.
func Render(s *schema.Spec) ([]output.File, error) {
	return nil, nil // scaffolding: replaced by the README renderer
}
