package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wigen-dev/wigen/generate/kustomize"
)

// TestOverlayGitignore: the overlay's .gitignore is a file wigen owns like
// any other it renders: written, up to date on --check, removed with the
// overlay; the chart kustomize pulls into charts/ beside it is not
// wigen's, so --check lists none of it as extra and a render leaves it
// alone; a .gitignore of the user's where wigen writes one is refused,
// and nothing is written.
func TestOverlayGitignore(t *testing.T) {
	f := newFixture(t)
	f.render()
	gi := filepath.Join(f.root, filepath.FromSlash(kustomize.OverlayDir("dev")), kustomize.GitignoreFile)
	data, err := os.ReadFile(gi)
	if err != nil || !strings.HasSuffix(string(data), "\n/charts/\n") {
		t.Fatalf("overlay .gitignore: %q, %v", data, err)
	}
	chart := filepath.Join(f.root, filepath.FromSlash(kustomize.OverlayDir("dev")), kustomize.ChartsDir, "open-webui-16.0.0", "open-webui", "Chart.yaml")
	f.write(strings.TrimPrefix(filepath.ToSlash(chart), filepath.ToSlash(f.dir)+"/"), "apiVersion: v2\nname: open-webui\n")
	if code, stdout, stderr := f.run("render", "--check", "-f", f.file); code != ExitOK || strings.Contains(stdout, "extra") {
		t.Errorf("check with a pulled chart: exit %d\n%s%s", code, stdout, stderr)
	}

	// Without its client ID, dev's overlay goes: its .gitignore too, the
	// pulled chart stays.
	input, err := os.ReadFile(f.file)
	if err != nil {
		t.Fatal(err)
	}
	f.write("wigen.yaml", strings.Replace(string(input), "        clientId: 33333333-3333-3333-3333-333333333333\n", "", 1))
	code, stdout, stderr := f.run("render", "-f", f.file)
	if code != ExitOK || !strings.Contains(stdout, "removed "+filepath.Join(f.root, "kustomize", "overlays", "dev", ".gitignore")+"\n") {
		t.Errorf("render without dev's client ID: exit %d\n%s%s", code, stdout, stderr)
	}
	if _, err := os.Stat(gi); !os.IsNotExist(err) {
		t.Errorf(".gitignore left: %v", err)
	}
	if _, err := os.Stat(chart); err != nil {
		t.Errorf("the pulled chart was touched: %v", err)
	}

	// A .gitignore of the user's in the way: refused, nothing written.
	f.write("deploy/kustomize/overlays/dev/.gitignore", "charts\n")
	f.write("wigen.yaml", string(input))
	code, _, stderr = f.run("render", "-f", f.file)
	if code != ExitError || !strings.Contains(stderr, "kustomize/overlays/dev/.gitignore") || !strings.Contains(stderr, "not written by wigen") {
		t.Errorf("render over the user's .gitignore: exit %d\n%s", code, stderr)
	}
	if data, _ := os.ReadFile(gi); string(data) != "charts\n" {
		t.Errorf("the user's .gitignore was changed: %q", data)
	}
	if _, err := os.Stat(filepath.Join(f.root, "kustomize", "overlays", "dev", kustomize.KustomizationFile)); !os.IsNotExist(err) {
		t.Errorf("the refused render wrote the overlay: %v", err)
	}
}
