package helm

import (
	"github.com/wigen-dev/wigen/generate/output"
	"github.com/wigen-dev/wigen/schema"
)

// Render returns the standalone values files helm/<env>/values.yaml, and a
// note for every environment skipped because its client ID is not known.
func Render(s *schema.Spec) ([]output.File, []string, error) {
	return nil, nil, nil // scaffolding: replaced by the Helm renderer
}
