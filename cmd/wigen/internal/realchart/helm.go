package realchart

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Template runs `helm template RELEASE <archive> --namespace NAMESPACE
// ARGS...` offline and returns what it prints: the manifests `helm install`
// would apply. ARGS are further flags (-f FILE, --set-string K=V). Helm's
// config, cache and data folders are a fresh temporary folder, so no
// repository or plugin of the machine takes part. A failure fails the test
// with helm's stderr.
func (h *Helm) Template(t testing.TB, c *Chart, release, namespace string, args ...string) []byte {
	t.Helper()
	argv := append([]string{"template", release, c.Archive, "--namespace", namespace}, args...)
	return h.run(t, argv...)
}

// run runs helm with argv in an isolated environment.
func (h *Helm) run(t testing.TB, argv ...string) []byte {
	t.Helper()
	home := t.TempDir()
	cmd := exec.Command(h.Path, argv...)
	cmd.Env = append(os.Environ(), helmHome(home)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", h, strings.Join(argv, " "), err, stderr.Bytes())
	}
	return out
}

// helmHome points helm's config, cache and data folders below dir.
func helmHome(dir string) []string {
	return []string{
		"HELM_CONFIG_HOME=" + filepath.Join(dir, "config"),
		"HELM_CACHE_HOME=" + filepath.Join(dir, "cache"),
		"HELM_DATA_HOME=" + filepath.Join(dir, "data"),
	}
}

// writeTemp writes data to a new file named name in a temporary folder of
// t and returns its path.
func writeTemp(t testing.TB, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
