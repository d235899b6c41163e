package terraform

import (
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// TestEnvironmentBackend: an environment's terraform.backend goes into its
// own versions.tf only, with wigen's key for the environment; the others
// keep theirs (golden/team-topology: prod's state in prod's subscription,
// dev and staging in their folders). Each versions.tf parses as HCL with
// at most one backend block.
func TestEnvironmentBackend(t *testing.T) {
	s := goldenSpec(t, "team-topology")
	files := map[string]string{}
	for _, f := range mustRender(t, s) {
		files[f.Path] = string(f.Data)
	}
	for _, env := range []string{"dev", "staging", "prod"} {
		p := "terraform/" + env + "/versions.tf"
		text, ok := files[p]
		if !ok {
			t.Fatalf("%s not rendered", p)
		}
		f, diags := hclsyntax.ParseConfig([]byte(text), p, hcl.InitialPos)
		if diags.HasErrors() {
			t.Fatalf("%s: %v", p, diags)
		}
		var backends []*hclsyntax.Block
		for _, b := range f.Body.(*hclsyntax.Body).Blocks {
			for _, inner := range b.Body.Blocks {
				if inner.Type == "backend" {
					backends = append(backends, inner)
				}
			}
		}
		switch {
		case env != "prod" && len(backends) != 0:
			t.Errorf("%s has a backend, want the local state:\n%s", p, text)
		case env == "prod" && (len(backends) != 1 || backends[0].Labels[0] != "azurerm"):
			t.Errorf("%s: want one azurerm backend:\n%s", p, text)
		case env == "prod":
			for _, want := range []string{`subscription_id      = "99999999-9999-9999-9999-999999999999"`, `key                  = "open-webui-prod.tfstate"`, `storage_account_name = "sttfstateprod"`} {
				if !strings.Contains(text, want) {
					t.Errorf("%s lacks %s:\n%s", p, want, text)
				}
			}
		}
	}
}
