// Package terraform renders each environment as a Terraform root module.
package terraform

import (
	"github.com/wigen-dev/wigen/generate/output"
	"github.com/wigen-dev/wigen/schema"
)

// Render returns <output>/terraform/<env>/*.tf and values.yaml for every environment.
func Render(s *schema.Spec) ([]output.File, error) {
	return nil, nil // scaffolding: replaced by the Terraform renderer
}
