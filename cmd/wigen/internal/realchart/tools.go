package realchart

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// Environment variables the tests read. .ci/run sets all three.
const (
	// CIEnv set to "1" turns every skip for a missing tool or chart into a
	// failure.
	CIEnv = "WIGEN_CI"
	// Helm3Env and Helm4Env are the absolute paths of a Helm 3 and a Helm 4
	// binary. Helm is never looked up on PATH: which major a test runs must
	// not depend on the machine.
	Helm3Env = "WIGEN_HELM3"
	Helm4Env = "WIGEN_HELM4"
)

// InCI reports whether WIGEN_CI=1: a missing tool or chart is a failure.
func InCI() bool { return os.Getenv(CIEnv) == "1" }

// Missing is the rule for a tool or reference chart a test needs but does
// not have: it fails t under WIGEN_CI=1 and skips it otherwise, with the
// message in both cases. It does not return.
func Missing(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if InCI() {
		t.Fatalf("%s (%s=1: in CI a missing tool or chart fails the test)", msg, CIEnv)
	}
	t.Skip(msg)
}

// Helm is one helm binary.
type Helm struct {
	// Major is 3 or 4.
	Major int
	// Path is the binary's absolute path.
	Path string
	// Version is what the binary reports, e.g. "v3.22.0".
	Version string
}

func (h *Helm) String() string { return "helm " + h.Version }

var (
	helmMu    sync.Mutex
	helmFound = map[string]*Helm{} // by path, checked once per process
)

// Helm3 returns the Helm 3 binary of WIGEN_HELM3 (see Missing).
func Helm3(t testing.TB) *Helm { t.Helper(); return helmFrom(t, Helm3Env, 3) }

// Helm4 returns the Helm 4 binary of WIGEN_HELM4 (see Missing).
func Helm4(t testing.TB) *Helm { t.Helper(); return helmFrom(t, Helm4Env, 4) }

// Helms returns the Helm 3 and the Helm 4 binary, in that order; a missing
// one is Missing.
func Helms(t testing.TB) []*Helm {
	t.Helper()
	return []*Helm{Helm3(t), Helm4(t)}
}

// helmFrom reads the binary's path from env var, and checks once per
// process that it runs and reports the major it is meant to be. A variable
// set to something that is not that binary fails the test even outside CI:
// the user asked for it.
func helmFrom(t testing.TB, env string, major int) *Helm {
	t.Helper()
	p := os.Getenv(env)
	if p == "" {
		Missing(t, "%s is not set: point it at a Helm %d binary (e.g. `GOBIN=/tmp/helm%d go install helm.sh/helm/v%d/cmd/helm@latest`; .ci/run does this)", env, major, major, major)
	}
	if !filepath.IsAbs(p) {
		t.Fatalf("%s=%q is not an absolute path", env, p)
	}
	helmMu.Lock()
	defer helmMu.Unlock()
	if h, ok := helmFound[p]; ok {
		return h
	}
	out, err := exec.Command(p, "version", "--template", "{{.Version}}").Output()
	if err != nil {
		t.Fatalf("%s=%s: `helm version`: %v", env, p, err)
	}
	v := strings.TrimSpace(string(out))
	if !strings.HasPrefix(v, fmt.Sprintf("v%d.", major)) {
		t.Fatalf("%s=%s reports version %q, not Helm %d", env, p, v, major)
	}
	h := &Helm{Major: major, Path: p, Version: v}
	helmFound[p] = h
	return h
}

// Kubectl is the kubectl binary on PATH and the kustomize it bundles.
type Kubectl struct {
	Path string
	// Kustomize is the bundled kustomize's version, e.g. "v5.5.0".
	Kustomize string
}

func (k *Kubectl) String() string { return "kubectl kustomize " + k.Kustomize }

var kubectlOnce = sync.OnceValues(func() (*Kubectl, error) {
	p, err := exec.LookPath("kubectl")
	if err != nil {
		return nil, nil
	}
	out, err := exec.Command(p, "version", "--client", "--output", "json").Output()
	if err != nil {
		return nil, fmt.Errorf("kubectl version --client: %w", err)
	}
	var v struct {
		Kustomize string `json:"kustomizeVersion"`
	}
	if err := json.NewDecoder(bytes.NewReader(out)).Decode(&v); err != nil {
		return nil, fmt.Errorf("kubectl version --client --output json: %w", err)
	}
	return &Kubectl{Path: p, Kustomize: v.Kustomize}, nil
})

// FindKubectl returns kubectl from PATH (see Missing).
func FindKubectl(t testing.TB) *Kubectl {
	t.Helper()
	k, err := kubectlOnce()
	if err != nil {
		t.Fatal(err)
	}
	if k == nil {
		Missing(t, "kubectl is not on PATH: it runs `kubectl kustomize`, the kustomize most users have")
	}
	return k
}

// repoRoot is the folder of the repository's go.mod, found upwards from
// the working directory (a package's folder under `go test`).
var repoRoot = sync.OnceValues(func() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && bytes.HasPrefix(data, []byte("module github.com/wigen-dev/wigen\n")) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod of github.com/wigen-dev/wigen above the working directory")
		}
		dir = parent
	}
})

// RepoRoot returns the repository's root folder.
func RepoRoot(t testing.TB) string {
	t.Helper()
	root, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	return root
}
