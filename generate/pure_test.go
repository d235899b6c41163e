package generate_test

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/wigen-dev/wigen/generate"
	"github.com/wigen-dev/wigen/schema"
)

// wigen render's cache (cmd/wigen/internal/cache) keys a render on the
// binary and the input's name and bytes only, and so relies on this: a
// render is a pure function of the input. schema.Load reads the input
// file (schema.ReadFile) and nothing else; schema.LoadBytes and
// generate.Render read no file, no environment variable, no clock and no
// working folder. The tests below prove it three ways: by the source of
// every package of this module they are built from, by rendering in
// processes with other environments and working folders, and (where
// strace is installed) by tracing every file system call of a render.

const module = "github.com/wigen-dev/wigen"

// forbidden are the uses the pure packages must not make: whole packages
// ("" as the name) and package-level names. os is refused whole, but for
// the one read of the input in schema.ReadFile.
var forbidden = map[string][]string{
	"os":            {""},
	"os/exec":       {""},
	"os/user":       {""},
	"os/signal":     {""},
	"syscall":       {""},
	"net":           {""},
	"net/http":      {""},
	"io/ioutil":     {""},
	"math/rand":     {""},
	"math/rand/v2":  {""},
	"crypto/rand":   {""},
	"plugin":        {""},
	"unsafe":        {""},
	"time":          {"Now", "Since", "Until", "Sleep", "After", "AfterFunc", "Tick", "NewTicker", "NewTimer", "LoadLocation", "Local"},
	"path/filepath": {"Abs", "EvalSymlinks", "Glob", "Walk", "WalkDir"},
	"runtime":       {"GOOS", "GOARCH", "Version", "Caller", "Callers", "GOROOT"},
	"runtime/debug": {"ReadBuildInfo"},
}

// allowed is the one exception: the input's read.
var allowed = map[string]string{"schema.ReadFile": "os"}

// TestPureSources: no package of this module that schema and generate are
// built from uses anything of forbidden (outside schema.ReadFile).
func TestPureSources(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	queue := []string{module + "/schema", module + "/generate"}
	for len(queue) > 0 {
		pkg := queue[0]
		queue = queue[1:]
		if seen[pkg] {
			continue
		}
		seen[pkg] = true
		dir := filepath.Join(root, filepath.FromSlash(strings.TrimPrefix(strings.TrimPrefix(pkg, module), "/")))
		names, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil || len(names) == 0 {
			t.Fatalf("%s: no Go files in %s (%v)", pkg, dir, err)
		}
		for _, name := range names {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			for _, imp := range checkPure(t, name, filepath.Base(dir)) {
				if strings.HasPrefix(imp, module+"/") {
					queue = append(queue, imp)
				}
			}
		}
	}
	for _, pkg := range []string{"generate/terraform", "generate/helm", "generate/kustomize", "generate/argocd", "generate/flux", "generate/docs", "generate/output", "templates"} {
		if !seen[module+"/"+pkg] {
			t.Errorf("the walk of the imports missed %s: %v", pkg, seen)
		}
	}
}

// checkPure reports every forbidden use in the file name (of the package
// named pkg) and returns its imports.
func checkPure(t *testing.T, name, pkg string) []string {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	local := map[string]string{} // name in the file -> import path
	var imports []string
	for _, imp := range f.Imports {
		p := strings.Trim(imp.Path.Value, `"`)
		imports = append(imports, p)
		n := p[strings.LastIndex(p, "/")+1:] // the name of every package forbidden names
		if imp.Name != nil {
			n = imp.Name.Name
		}
		local[n] = p
		if names, ok := forbidden[p]; ok && slices.Contains(names, "") && !allowedIn(f, p, pkg) {
			t.Errorf("%s: imports %s: a render must read nothing but its input", fset.Position(imp.Pos()), p)
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		fd, ok := n.(*ast.FuncDecl)
		if ok && allowed[pkg+"."+fd.Name.Name] != "" {
			return false // the one exception, whole
		}
		sel, ok := n.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		id, ok := sel.X.(*ast.Ident)
		if !ok {
			return true
		}
		p, ok := local[id.Name]
		if !ok {
			return true
		}
		for _, bad := range forbidden[p] {
			if bad == "" || bad == sel.Sel.Name {
				t.Errorf("%s: %s.%s: a render must read nothing but its input (no environment, clock, working folder or other file)", fset.Position(sel.Pos()), p, sel.Sel.Name)
			}
		}
		return true
	})
	return imports
}

// allowedIn reports whether file f of package pkg may import p because
// the one exception (allowed) is there.
func allowedIn(f *ast.File, p, pkg string) bool {
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && allowed[pkg+"."+fd.Name.Name] == p {
			return true
		}
	}
	return false
}

// pureChild is set in the environment of the processes
// TestRenderIsPure starts; its value is the list of inputs to render.
const pureChild = "WIGEN_PURE_TEST_INPUTS"

// markers are the paths the child stats, which do not exist, around the
// renders: strace shows them, so the calls between are the renders'.
const (
	markBegin = "/nonexistent-wigen-pure-test-begin"
	markEnd   = "/nonexistent-wigen-pure-test-end"
)

// TestRenderIsPure renders every golden input in this process and in
// child processes (this test binary again) with an empty environment, and
// with a crowded one (another time zone, locale, home, GOMAXPROCS=1,
// Kubernetes, Helm, Terraform and Azure variables), each in another
// working folder: every render must be the same, byte for byte. Under
// strace, the child's only file system calls during the renders are the
// stats and opens of the inputs.
func TestRenderIsPure(t *testing.T) {
	if list := os.Getenv(pureChild); list != "" {
		fmt.Printf("digest %s\n", renderDigest(t, strings.Split(list, string(os.PathListSeparator))))
		return
	}
	if runtime.GOOS == "windows" || runtime.GOOS == "js" || runtime.GOOS == "wasip1" {
		t.Skip("child processes with a controlled environment: not here")
	}
	inputs, err := filepath.Glob("../golden/*/wigen.yaml")
	if err != nil || len(inputs) == 0 {
		t.Fatalf("no golden inputs (%v)", err)
	}
	for i, in := range inputs {
		if inputs[i], err = filepath.Abs(in); err != nil {
			t.Fatal(err)
		}
	}
	requireCoverage(t, inputs)
	want := renderDigest(t, inputs)
	list := strings.Join(inputs, string(os.PathListSeparator))
	run := func(t *testing.T, env []string, dir string, prefix ...string) []byte {
		t.Helper()
		args := append(prefix, os.Args[0], "-test.run=^TestRenderIsPure$", "-test.count=1")
		cmd := exec.Command(args[0], args[1:]...)
		cmd.Env = append(env, pureChild+"="+list)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
		if got := digestIn(out); got != want {
			t.Errorf("%v in %s with %v: the render differs (%s, in this process %s)\n%s", args, dir, env, got, want, out)
		}
		return out
	}
	t.Run("empty environment", func(t *testing.T) {
		run(t, []string{}, t.TempDir())
	})
	t.Run("crowded environment", func(t *testing.T) {
		home := t.TempDir()
		run(t, []string{
			"HOME=" + home, "PWD=/", "USER=someone", "TZ=Pacific/Chatham", "LANG=tr_TR.UTF-8", "LC_ALL=tr_TR.UTF-8",
			"GOMAXPROCS=1", "GODEBUG=madvdontneed=1", "XDG_CACHE_HOME=" + home, "XDG_CONFIG_HOME=" + home,
			"KUBECONFIG=/nonexistent", "HELM_NAMESPACE=other", "HELM_REPOSITORY_CONFIG=/nonexistent",
			"TF_CLI_CONFIG_FILE=/nonexistent", "TF_DATA_DIR=/tmp", "ARM_SUBSCRIPTION_ID=99999999-9999-9999-9999-999999999999",
			"AZURE_CLIENT_ID=99999999-9999-9999-9999-999999999999", "AZURE_TENANT_ID=99999999-9999-9999-9999-999999999999",
			"WIGEN_CACHE=off", "NO_COLOR=1", "TERM=dumb",
		}, "/")
	})
	t.Run("strace", func(t *testing.T) {
		strace, err := exec.LookPath("strace")
		if err != nil {
			t.Skip("strace not on PATH: the file system calls of a render are not traced here")
		}
		if out, err := exec.Command(strace, "-qq", "-e", "trace=none", "true").CombinedOutput(); err != nil {
			t.Skipf("strace cannot trace here (%v): %s", err, out)
		}
		trace := filepath.Join(t.TempDir(), "trace")
		run(t, []string{}, t.TempDir(), strace, "-f", "-qq", "-e", "signal=none", "-o", trace, "-e", "trace=%file,getcwd,chdir,fchdir")
		data, err := os.ReadFile(trace)
		if err != nil {
			t.Fatal(err)
		}
		checkTrace(t, string(data), inputs)
	})
}

// requireCoverage fails unless the inputs exercise what later issues added
// to the render, so that the purity shown covers it: several Azure OpenAI
// accounts with prefixIds, spec.openWebUI other than the app's defaults
// (issue 15), shared identities, per-environment values and targets,
// Azure-only modules and the GitOps targets (issue 14), adoption (11).
func requireCoverage(t *testing.T, inputs []string) {
	t.Helper()
	seen := map[string]bool{}
	for _, in := range inputs {
		s, err := schema.Load(in)
		if err != nil {
			t.Fatal(err)
		}
		seen["openWebUI"] = seen["openWebUI"] || s.Spec.OpenWebUI.EveryoneSeesModels() || !s.Spec.OpenWebUI.ConfigPersists()
		for i := range s.Spec.Environments {
			e := &s.Spec.Environments[i]
			seen["accounts"] = seen["accounts"] || len(e.AzureOpenAI) > 1 && e.AzureOpenAI[1].PrefixID != ""
			seen["shared identity"] = seen["shared identity"] || e.SharesIdentity()
			seen["environment values"] = seen["environment values"] || e.Chart != nil && len(e.Chart.Values) > 0
			seen["Azure-only"] = seen["Azure-only"] || e.HasTarget(schema.TargetTerraform) && !e.TerraformRelease()
			seen["argocd"] = seen["argocd"] || e.HasTarget(schema.TargetArgoCD)
			seen["flux"] = seen["flux"] || e.HasTarget(schema.TargetFlux)
			seen["adopt"] = seen["adopt"] || len(e.Adoption) > 0
		}
	}
	for _, what := range []string{"accounts", "openWebUI", "shared identity", "environment values", "Azure-only", "argocd", "flux", "adopt"} {
		if !seen[what] {
			t.Errorf("no golden input exercises %s: the purity shown here would not cover it", what)
		}
	}
}

// checkTrace checks that between the markers the trace holds nothing but
// one stat of each input (schema.ReadFile refuses a FIFO before it opens
// it) and one open.
func checkTrace(t *testing.T, trace string, inputs []string) {
	var during []string
	in := false
	sawEnd := false
	sc := bufio.NewScanner(strings.NewReader(trace))
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.Contains(line, `"`+markBegin+`"`):
			in = true
		case strings.Contains(line, `"`+markEnd+`"`):
			in, sawEnd = false, true
		case in:
			during = append(during, line)
		}
	}
	if !sawEnd {
		t.Fatalf("the markers are not in the trace:\n%s", trace)
	}
	opened, statted := map[string]int{}, map[string]int{}
	open := regexp.MustCompile(`^\d+\s+openat\(AT_FDCWD, "([^"]+)", O_RDONLY\|O_CLOEXEC[A-Z_|]*\) = \d+$`)
	stat := regexp.MustCompile(`^\d+\s+(?:newfstatat|fstatat64|statx)\(AT_FDCWD, "([^"]+)", .*\) = 0$|^\d+\s+(?:stat|stat64)\("([^"]+)", .*\) = 0$`)
	for _, line := range during {
		if m := open.FindStringSubmatch(line); m != nil && slices.Contains(inputs, m[1]) {
			opened[m[1]]++
			continue
		}
		if m := stat.FindStringSubmatch(line); m != nil && slices.Contains(inputs, m[1]+m[2]) {
			statted[m[1]+m[2]]++
			continue
		}
		t.Errorf("a render made a file system call other than opening its input: %s", line)
	}
	for _, in := range inputs {
		if opened[in] != 1 || statted[in] > 1 {
			t.Errorf("%s opened %d times and statted %d times, want once and at most once", in, opened[in], statted[in])
		}
	}
}

// renderDigest loads and renders each input and returns the SHA-256 of
// every file's path and content and of every skipped output, in order.
// It stats the markers before and after.
func renderDigest(t *testing.T, inputs []string) string {
	h := sha256.New()
	os.Stat(markBegin)
	for _, in := range inputs {
		s, err := schema.Load(in)
		if err != nil {
			t.Fatal(err)
		}
		res, err := generate.Render(s)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range res.Files {
			fmt.Fprintf(h, "%s\x00%d\x00", f.Path, len(f.Data))
			h.Write(f.Data)
		}
		fmt.Fprintf(h, "%v\x00%v\x00", res.Skipped, s.Warnings)
	}
	os.Stat(markEnd)
	return hex.EncodeToString(h.Sum(nil))
}

// digestIn finds the "digest HEX" line a child printed.
func digestIn(out []byte) string {
	for _, line := range strings.Split(string(out), "\n") {
		if d, ok := strings.CutPrefix(line, "digest "); ok {
			return d
		}
	}
	return "(none)"
}
