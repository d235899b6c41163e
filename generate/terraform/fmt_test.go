package terraform

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/wigen-dev/wigen/generate/output"
	"github.com/wigen-dev/wigen/schema"
)

// TestTerraformFmt runs `terraform fmt -check -recursive` on every golden
// rendering, and on the renderings of the specs the other tests build,
// each written to a temporary folder. terraform fmt needs no
// providers and no network; the test skips where terraform is not
// installed, and fails there in CI (WIGEN_CI=1, set by .ci/run).
func TestTerraformFmt(t *testing.T) {
	tf, err := exec.LookPath("terraform")
	if err != nil {
		const msg = "terraform is not on PATH; skipping the terraform fmt check (the hclwrite.Format check still ran)"
		if os.Getenv("WIGEN_CI") == "1" {
			t.Fatal(msg + " (WIGEN_CI=1: in CI a missing tool fails the test)")
		}
		t.Skip(msg)
	}
	cliConfig := filepath.Join(t.TempDir(), "terraformrc")
	if err := os.WriteFile(cliConfig, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for name, s := range moduleSpecs(t) {
		t.Run(name, func(t *testing.T) {
			root := t.TempDir()
			writeTree(t, root, mustRender(t, s))
			cmd := exec.Command(tf, "fmt", "-check", "-recursive", "-diff", root)
			cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+cliConfig, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1")
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Errorf("terraform fmt -check -recursive: %v\n%s", err, out)
			}
		})
	}
}

// moduleSpecs are the specs whose modules the format tests check: every
// golden input and the specs the other tests build (user values to escape,
// labels, adoption, backends).
func moduleSpecs(t *testing.T) map[string]*schema.Spec {
	t.Helper()
	trees := map[string]*schema.Spec{}
	for name := range goldenInputs(t) {
		trees["golden/"+name] = goldenSpec(t, name)
	}
	trees["escape/helm2"] = escapeSpecFor(t, "~> 2.17")
	trees["escape/helm3"] = escapeSpecFor(t, ">= 3.1.1, < 4.0.0")
	trees["labels"] = specFromYAML(t, labelSpec)
	for name, s := range adoptCases(t) {
		trees["adopt/"+name] = s
	}
	for _, tc := range backendCases {
		trees["backend/"+tc.name] = backendSpecFor(t, tc.config)
	}
	return trees
}

// writeTree writes files below root, as the CLI would below the output root.
func writeTree(t *testing.T, root string, files []output.File) {
	t.Helper()
	for _, f := range files {
		p := filepath.Join(root, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
