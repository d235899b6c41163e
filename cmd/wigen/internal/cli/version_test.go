package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"
	"testing"
)

func TestVersionLine(t *testing.T) {
	settings := func(kv ...string) []debug.BuildSetting {
		var out []debug.BuildSetting
		for i := 0; i+1 < len(kv); i += 2 {
			out = append(out, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
		}
		return out
	}
	for _, tc := range []struct {
		name string
		bi   debug.BuildInfo
		want string
	}{
		{"go install @version", debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: "v1.2.3"}},
			"wigen v1.2.3, built with go1.26.0"},
		{"clone, dirty", debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: "v0.0.0-20260102150405-abcdef123456+dirty"},
			Settings: settings("vcs", "git", "vcs.revision", "abcdef1234567890abcdef1234567890abcdef12", "vcs.time", "2026-01-02T15:04:05Z", "vcs.modified", "true")},
			"wigen v0.0.0-20260102150405-abcdef123456+dirty, commit abcdef1234567890abcdef1234567890abcdef12 with uncommitted changes (dirty), committed 2026-01-02T15:04:05Z, built with go1.26.0"},
		{"clone, clean, older Go", debug.BuildInfo{GoVersion: "go1.22.0", Main: debug.Module{Version: "(devel)"},
			Settings: settings("vcs.revision", "abcdef1234567890abcdef1234567890abcdef12", "vcs.modified", "false")},
			"wigen (devel), commit abcdef1234567890abcdef1234567890abcdef12 (clean), built with go1.22.0"},
		{"no VCS information", debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: "(devel)"}},
			"wigen (devel), no VCS revision recorded (built with -buildvcs=false, with go run, outside a git checkout, or in a git worktree, whose .git file Go does not read: build it with make build in a clone), built with go1.26.0"},
	} {
		if got := versionLine(&tc.bi); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.name, got, tc.want)
		}
	}
}

// make build in a clone records the commit and the dirty flag, and wigen
// version prints them, even where GOFLAGS says -buildvcs=false (as on the
// machine this was found on: a clone printed "(devel)").
func TestVersionFromClone(t *testing.T) {
	if testing.Short() {
		t.Skip("builds wigen twice")
	}
	skip := t.Skipf
	if os.Getenv("WIGEN_CI") == "1" {
		skip = t.Fatalf // in CI a missing tool is a failure
	}
	for _, tool := range []string{"git", "make", "go"} {
		if _, err := exec.LookPath(tool); err != nil {
			skip("%s not found", tool)
		}
	}
	top, err := exec.Command("git", "rev-parse", "--show-toplevel").Output()
	if err != nil {
		skip("not in a git checkout: %v", err)
	}
	clone := filepath.Join(t.TempDir(), "wigen")
	run := func(dir string, env []string, name string, args ...string) string {
		t.Helper()
		cmd := exec.Command(name, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), env...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
		}
		return strings.TrimSpace(string(out))
	}
	// A clone of the working tree as it is (committed or not): its files
	// in a new repository of one commit.
	root := strings.TrimSpace(string(top))
	files := strings.Split(run(root, nil, "git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"), "\x00")
	for _, f := range files {
		if f == "" {
			continue
		}
		data, err := os.ReadFile(filepath.Join(root, f))
		if err != nil {
			continue // deleted in the working tree
		}
		dst := filepath.Join(clone, f)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	git := []string{"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com"}
	run(clone, nil, "git", "init", "--quiet")
	run(clone, nil, "git", "add", "-A")
	run(clone, git, "git", "commit", "--quiet", "--no-gpg-sign", "-m", "snapshot")
	head := run(clone, nil, "git", "rev-parse", "HEAD")
	env := []string{"GOFLAGS=-buildvcs=false", "GOWORK=off"}
	run(clone, env, "make", "--no-print-directory", "build")
	got := run(clone, nil, filepath.Join(clone, "bin", "wigen"), "version")
	if !strings.Contains(got, "commit "+head+" (clean)") {
		t.Errorf("wigen version in a clean clone = %q, want commit %s (clean)", got, head)
	}
	if err := os.WriteFile(filepath.Join(clone, "README.md"), []byte("changed\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	run(clone, env, "make", "--no-print-directory", "build")
	got = run(clone, nil, filepath.Join(clone, "bin", "wigen"), "version")
	if !strings.Contains(got, "commit "+head+" with uncommitted changes (dirty)") || !regexp.MustCompile(`^wigen v0\.0\.0-\d{14}-[0-9a-f]{12}\+dirty, `).MatchString(got) {
		t.Errorf("wigen version in a dirty clone = %q, want the pseudo-version +dirty and commit %s with uncommitted changes (dirty)", got, head)
	}
}
