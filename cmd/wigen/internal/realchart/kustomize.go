package realchart

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/api/types"
	"sigs.k8s.io/kustomize/kyaml/filesys"

	"github.com/wigen-dev/wigen/generate/output"
)

// WriteTree writes rendered files (paths relative to the output root) below
// a new temporary folder of t, which it returns: the output root on disk.
func WriteTree(t testing.TB, files []output.File) string {
	t.Helper()
	root := t.TempDir()
	for _, f := range files {
		full := filepath.Join(root, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// kustomizationNames are the file names kustomize accepts, in its order.
var kustomizationNames = []string{"kustomization.yaml", "kustomization.yml", "Kustomization"}

// readKustomization decodes dir's kustomization as kustomize does; nil
// when dir has none.
func readKustomization(t testing.TB, dir string) *types.Kustomization {
	t.Helper()
	for _, n := range kustomizationNames {
		data, err := os.ReadFile(filepath.Join(dir, n))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		var k types.Kustomization
		if err := k.Unmarshal(data); err != nil {
			t.Fatalf("%s: %v", filepath.Join(dir, n), err)
		}
		return &k
	}
	return nil
}

// PlaceCharts puts the reference chart of every helmCharts entry of the
// kustomization in dir, and of the kustomizations it builds on (its
// resources that are folders), where kustomize looks before it downloads:
// <chartHome>/<name>-<version>/<name> (chartHome defaults to "charts"
// beside the kustomization; without repo and version, <chartHome>/<name>).
// A chart that is not among the reference charts is Missing.
func PlaceCharts(t testing.TB, dir string) {
	t.Helper()
	k := readKustomization(t, dir)
	if k == nil {
		t.Fatalf("%s holds no kustomization", dir)
	}
	for _, hc := range k.HelmCharts {
		home := types.HelmDefaultHome
		if k.HelmGlobals != nil && k.HelmGlobals.ChartHome != "" {
			home = k.HelmGlobals.ChartHome
		}
		if !filepath.IsAbs(home) {
			home = filepath.Join(dir, filepath.FromSlash(home))
		}
		if hc.Version != "" && hc.Repo != "" {
			home = filepath.Join(home, hc.Name+"-"+hc.Version)
		}
		ReferenceChart(t, hc.Name, hc.Version).Unpack(t, home)
	}
	for _, r := range k.Resources {
		if strings.Contains(r, "://") {
			continue
		}
		sub := filepath.Join(dir, filepath.FromSlash(r))
		if st, err := os.Stat(sub); err == nil && st.IsDir() {
			PlaceCharts(t, sub)
		}
	}
}

// Krusty builds the kustomization in dir as `kustomize build --enable-helm
// --helm-command <h>` does, with the kustomize API at the version in
// go.mod (krusty.MakeDefaultOptions: root-only load restrictions), on the
// real file system (helm reads the chart from it). Place the charts first
// (PlaceCharts): nothing is downloaded.
func (h *Helm) Krusty(t testing.TB, dir string) []byte {
	t.Helper()
	opts := krusty.MakeDefaultOptions()
	opts.PluginConfig.HelmConfig = types.HelmConfig{Enabled: true, Command: h.Path}
	m, err := krusty.MakeKustomizer(opts).Run(filesys.MakeFsOnDisk(), dir)
	if err != nil {
		t.Fatalf("krusty build --enable-helm (%s) %s: %v", h, dir, err)
	}
	out, err := m.AsYaml()
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// KubectlKustomize builds the kustomization in dir with `kubectl kustomize
// --enable-helm --helm-command <h>`. The kustomize kubectl bundles predates
// Helm 4 support (before kustomize 5.8.1 it runs `helm version -c`, which
// Helm 4 removed), so run it with Helm 3.
func (h *Helm) KubectlKustomize(t testing.TB, k *Kubectl, dir string) []byte {
	t.Helper()
	out, err := h.kubectlKustomize(k, dir)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func (h *Helm) kubectlKustomize(k *Kubectl, dir string) ([]byte, error) {
	cmd := exec.Command(k.Path, "kustomize", "--enable-helm", "--helm-command", h.Path, dir)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, &kubectlError{cmd: k.String() + " with " + h.String() + " " + dir, err: err, stderr: stderr.String()}
	}
	return out, nil
}

type kubectlError struct {
	cmd, stderr string
	err         error
}

func (e *kubectlError) Error() string { return e.cmd + ": " + e.err.Error() + "\n" + e.stderr }
