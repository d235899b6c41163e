package cli

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wigen-dev/wigen/cmd/wigen/internal/cache"
	"github.com/wigen-dev/wigen/cmd/wigen/internal/disk"
)

// cacheFixture is a fixture whose input has a warning (the endpoint names
// another account than accountId) and a note (dev has no client ID), with
// a cache of its own, rendered once (so the cache holds its render).
func cacheFixture(t *testing.T) *fixture {
	t.Helper()
	t.Setenv(cache.Env, t.TempDir())
	t.Setenv(cacheDebugEnv, "1")
	f := newFixture(t)
	data, err := os.ReadFile(f.file)
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Replace(string(data), "endpoint: https://aoai-example.openai.azure.com", "endpoint: https://aoai-other.openai.azure.com", 1)
	s = strings.Replace(s, "        clientId: 33333333-3333-3333-3333-333333333333\n", "", 1)
	f.write("wigen.yaml", s)
	code, _, stderr := f.run("render", "-f", f.file)
	if code != ExitOK || !strings.Contains(stderr, "cache: stored") {
		t.Fatalf("render: exit %d\n%s", code, stderr)
	}
	return f
}

// traced splits stderr into the cache's trace lines and the rest.
func traced(stderr string) (trace, rest string) {
	for _, line := range strings.SplitAfter(stderr, "\n") {
		if strings.HasPrefix(line, "wigen: cache: ") {
			trace += line
		} else {
			rest += line
		}
	}
	return trace, rest
}

// TestCacheHitPrintsWhatRenderPrints: in every mode, a hit exits and
// prints exactly what the full render and comparison (--no-cache) print on
// the same up-to-date tree: the warnings and notes, the "up to date" line.
//
// Also after a render that replaced an identity (--allow-replace, whose
// warnings are not the input's): the tree then holds that render, nothing
// changes, and neither the hit nor the full run prints a replacement.
func TestCacheHitPrintsWhatRenderPrints(t *testing.T) {
	f := cacheFixture(t)
	hitsLikeFullRuns(t, f, "warning: spec.azureOpenAI.endpoint", "identity.clientId is not set")

	data, err := os.ReadFile(f.file)
	must(t, err)
	f.write("wigen.yaml", strings.Replace(string(data), "name: id-open-webui-prod", "name: id-open-webui-prod2", 1))
	code, _, stderr := f.run("render", "--allow-replace", "-f", f.file)
	if code != ExitOK || !strings.Contains(stderr, "warning: the change replaces") || !strings.Contains(stderr, "cache: stored") {
		t.Fatalf("render --allow-replace of a renamed identity: exit %d\n%s", code, stderr)
	}
	hitsLikeFullRuns(t, f, "warning: spec.azureOpenAI.endpoint", "identity.clientId is not set")
}

// hitsLikeFullRuns checks, in every mode, that the run is a hit and prints
// what the same run with --no-cache prints, each of want among it.
func hitsLikeFullRuns(t *testing.T, f *fixture, want ...string) {
	t.Helper()
	for _, mode := range [][]string{{}, {"--exit-code"}, {"--check"}, {"--diff"}, {"--check", "--diff"}, {"--allow-replace"}} {
		args := append(append([]string{"render"}, mode...), "-f", f.file)
		code, stdout, stderr := f.run(args...)
		trace, stderr := traced(stderr)
		if !strings.HasPrefix(trace, "wigen: cache: hit: ") {
			t.Fatalf("%v: not a hit:\n%s", mode, trace)
		}
		fullCode, fullStdout, fullStderr := f.run(append(args, "--no-cache")...)
		_, fullStderr = traced(fullStderr)
		if code != fullCode || stdout != fullStdout || stderr != fullStderr {
			t.Errorf("%v: the hit printed (exit %d)\n%s%s\nthe full run (exit %d)\n%s%s", mode, code, stdout, stderr, fullCode, fullStdout, fullStderr)
		}
		for _, w := range want {
			if !strings.Contains(stderr, w) {
				t.Errorf("%v: %q is missing:\n%s", mode, w, stderr)
			}
		}
		if strings.Contains(stderr, "replace") {
			t.Errorf("%v: a replacement on a tree that holds the render:\n%s", mode, stderr)
		}
	}
}

// TestCacheHitWithSeveralAccounts: issue 15's input (two Azure OpenAI
// accounts, one with only Reader, which validation warns about per
// account; spec.openWebUI) is cached like any other: a hit prints the
// per-account warning the full run prints, and a new client ID (which
// changes the checksum/workload-identity annotation of the Helm values and
// the overlay's workload patch) is a miss whose check lists exactly those
// files and the README.
func TestCacheHitWithSeveralAccounts(t *testing.T) {
	t.Setenv(cache.Env, t.TempDir())
	t.Setenv(cacheDebugEnv, "1")
	data, err := os.ReadFile(filepath.Join("..", "..", "..", "..", "golden", "two-accounts", "wigen.yaml"))
	must(t, err)
	src := strings.Replace(string(data), "  environments:\n", `  roles:
    - role: Cognitive Services OpenAI User
      scope: /subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-ai-example/providers/Microsoft.CognitiveServices/accounts/aoai-example
    - role: Reader
      scope: /subscriptions/99999999-9999-9999-9999-999999999999/resourceGroups/rg-ai-sweden/providers/Microsoft.CognitiveServices/accounts/aoai-sweden
  openWebUI:
    modelAccess: everyone
  environments:
`, 1)
	f := newFixture(t)
	f.write("wigen.yaml", src)
	code, _, stderr := f.run("render", "-f", f.file)
	if code != ExitOK || !strings.Contains(stderr, "cache: stored") {
		t.Fatalf("render: exit %d\n%s", code, stderr)
	}
	hitsLikeFullRuns(t, f, `warning: spec.azureOpenAI[1].accountId: environment "prod": its identity "id-open-webui-prod" holds only "Reader"`)

	f.write("wigen.yaml", strings.Replace(src, "clientId: 33333333-3333-3333-3333-333333333333", "clientId: 99999999-8888-7777-6666-555555555555", 1))
	code, stdout, stderr := f.run("render", "--check", "-f", f.file)
	trace, _ := traced(stderr)
	if code != ExitChanged || strings.Contains(trace, "cache: hit") {
		t.Fatalf("--check after a new client ID: exit %d, want %d and a miss\n%s", code, ExitChanged, trace)
	}
	var stale []string
	for _, l := range strings.Split(stdout, "\n") {
		if fields := strings.Fields(l); len(fields) == 2 && fields[0] == "stale" {
			rel, err := filepath.Rel(f.dir, fields[1])
			must(t, err)
			stale = append(stale, filepath.ToSlash(rel))
		}
	}
	// The READMEs show the client ID and the checksum.
	want := []string{"deploy/README.md", "deploy/environments/prod/README.md", "deploy/helm/prod/values.yaml", "deploy/kustomize/overlays/prod/service-account.yaml", "deploy/kustomize/overlays/prod/workload.yaml"}
	if strings.Join(stale, "\n") != strings.Join(want, "\n") {
		t.Errorf("--check lists\n%s\nwant stale\n%s", stdout, strings.Join(want, "\n"))
	}
}

// TestCacheDoubtMeansFullComparison: whatever makes the cache entry or the
// tree doubtful (a corrupt entry, an edited generated file, an edited
// input, another binary) makes the next --check a miss, which renders and
// compares in full and reports what that finds.
func TestCacheDoubtMeansFullComparison(t *testing.T) {
	entries := func(t *testing.T) []string {
		names, err := filepath.Glob(filepath.Join(os.Getenv(cache.Env), "render-v1", "*"))
		if err != nil || len(names) == 0 {
			t.Fatalf("no cache entry (%v)", err)
		}
		return names
	}
	tests := []struct {
		name   string
		change func(t *testing.T, f *fixture)
		code   int
		stdout string
		miss   string // in the miss's trace
	}{
		{"entry with a flipped byte", func(t *testing.T, f *fixture) {
			for _, name := range entries(t) {
				data, err := os.ReadFile(name)
				if err != nil {
					t.Fatal(err)
				}
				data[len(data)/2] ^= 1
				must(t, os.WriteFile(name, data, 0o600))
			}
		}, ExitOK, "up to date", "checksum mismatch"},
		{"entry truncated", func(t *testing.T, f *fixture) {
			for _, name := range entries(t) {
				must(t, os.Truncate(name, 100))
			}
		}, ExitOK, "up to date", "corrupt"},
		{"entry emptied", func(t *testing.T, f *fixture) {
			for _, name := range entries(t) {
				must(t, os.WriteFile(name, nil, 0o600))
			}
		}, ExitOK, "up to date", "corrupt"},
		{"entry replaced by another input's", func(t *testing.T, f *fixture) {
			other := newFixture(t)
			other.render()
			names := entries(t)
			if len(names) != 2 {
				t.Fatalf("%d entries, want 2", len(names))
			}
			var data [][]byte
			for _, name := range names {
				d, err := os.ReadFile(name)
				if err != nil {
					t.Fatal(err)
				}
				data = append(data, d)
			}
			must(t, os.WriteFile(names[0], data[1], 0o600))
			must(t, os.WriteFile(names[1], data[0], 0o600))
		}, ExitOK, "up to date", "the entry of another key"},
		{"generated file edited", func(t *testing.T, f *fixture) { f.editGenerated() }, ExitChanged, "stale ", "differs"},
		{"generated file removed", func(t *testing.T, f *fixture) {
			must(t, os.Remove(filepath.Join(f.root, filepath.FromSlash(f.outputFiles()[0]))))
		}, ExitChanged, "missing ", "is missing"},
		{"a leftover temporary file of a killed render", func(t *testing.T, f *fixture) {
			f.write("deploy/helm/prod/.values.yaml.wigen-2718.tmp", "")
		}, ExitChanged, "1 leftover temporary file of an interrupted render", "is a temporary file of a render"},
		{"generated file saved with a byte order mark", func(t *testing.T, f *fixture) {
			name := filepath.Join(f.root, "README.md")
			data, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			must(t, os.WriteFile(name, append([]byte("\xef\xbb\xbf"), data...), 0o644))
		}, ExitChanged, "stale   ", "README.md differs"},
		{"input edited: a comment", func(t *testing.T, f *fixture) {
			data, err := os.ReadFile(f.file)
			if err != nil {
				t.Fatal(err)
			}
			f.write("wigen.yaml", string(data)+"# a comment\n")
		}, ExitOK, "up to date", "no such file"},
		{"input edited: a namespace", func(t *testing.T, f *fixture) {
			data, err := os.ReadFile(f.file)
			if err != nil {
				t.Fatal(err)
			}
			f.write("wigen.yaml", strings.Replace(string(data), "namespace: open-webui", "namespace: webui", 1))
		}, ExitChanged, "stale ", "no such file"},
		{"another binary", func(t *testing.T, f *fixture) {
			real := buildID
			buildID = func(c *cache.Cache) (string, bool) {
				id, ok := real(c)
				return id + "-rebuilt", ok
			}
			t.Cleanup(func() { buildID = real })
		}, ExitOK, "up to date", "no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := cacheFixture(t)
			code, _, stderr := f.run("render", "--check", "-f", f.file)
			if trace, _ := traced(stderr); code != ExitOK || !strings.Contains(trace, "cache: hit") {
				t.Fatalf("before the change: exit %d, not a hit:\n%s", code, stderr)
			}
			tt.change(t, f)
			code, stdout, stderr := f.run("render", "--check", "-f", f.file)
			trace, _ := traced(stderr)
			if !strings.Contains(trace, "cache: miss") || !strings.Contains(trace, tt.miss) {
				t.Errorf("not a miss for %q:\n%s", tt.miss, trace)
			}
			if code != tt.code || !strings.Contains(stdout, tt.stdout) {
				t.Errorf("exit %d, want %d, stdout without %q:\n%s%s", code, tt.code, tt.stdout, stdout, stderr)
			}
			// Once the full comparison finds the tree up to date, the
			// cache holds the render again.
			if tt.code == ExitOK {
				if _, _, stderr := f.run("render", "--check", "-f", f.file); !strings.Contains(stderr, "cache: hit") {
					t.Errorf("no hit after the full comparison:\n%s", stderr)
				}
			}
		})
	}
}

// TestCacheHitTakesTheLock: a hit verifies the tree under the shared
// lock a --check takes (disk.Lock), so it waits for a render holding the
// tree, and then hits; when the lock stays held it fails as the full run
// fails, printing the same.
func TestCacheHitTakesTheLock(t *testing.T) {
	f := cacheFixture(t)
	args := []string{"render", "--check", "-f", f.file}

	unlock, err := disk.Lock(f.root, true, time.Second)
	must(t, err)
	type result struct {
		code           int
		stdout, stderr string
	}
	done := make(chan result, 1)
	go func() {
		code, stdout, stderr := f.run(args...)
		done <- result{code, stdout, stderr}
	}()
	select {
	case r := <-done:
		unlock()
		t.Fatalf("the check did not wait for the lock: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	case <-time.After(300 * time.Millisecond):
	}
	unlock()
	r := <-done
	if trace, _ := traced(r.stderr); r.code != ExitOK || !strings.Contains(trace, "cache: hit") {
		t.Fatalf("after the lock was released: exit %d, not a hit\n%s%s", r.code, r.stdout, r.stderr)
	}

	// Held for longer than disk.LockWait: the hit and the full run (at
	// once, so the test waits once) fail alike.
	unlock, err = disk.Lock(f.root, true, time.Second)
	must(t, err)
	defer unlock()
	var hit, full result
	var wg sync.WaitGroup
	wg.Go(func() { hit.code, hit.stdout, hit.stderr = f.run(args...) })
	wg.Go(func() { full.code, full.stdout, full.stderr = f.run(append(args, "--no-cache")...) })
	wg.Wait()
	trace, hitStderr := traced(hit.stderr)
	_, fullStderr := traced(full.stderr)
	if !strings.Contains(trace, "cache: no lock") {
		t.Errorf("the hit's trace does not say it had no lock:\n%s", trace)
	}
	if hit.code != ExitError || hit.code != full.code || hit.stdout != full.stdout || hitStderr != fullStderr {
		t.Errorf("the hit printed (exit %d)\n%s%s\nthe full run (exit %d)\n%s%s", hit.code, hit.stdout, hitStderr, full.code, full.stdout, fullStderr)
	}
	if !strings.Contains(hitStderr, "another wigen render holds") || !strings.Contains(hitStderr, "identity.clientId is not set") {
		t.Errorf("the lock's message or the note is missing:\n%s", hitStderr)
	}
}

// TestCacheOnlyRemembersAMatchingTree: a --check or --diff that finds the
// tree out of date stores nothing; a render that writes stores the render
// it wrote; --exit-code then exits 0 on a hit.
func TestCacheOnlyRemembersAMatchingTree(t *testing.T) {
	t.Setenv(cache.Env, t.TempDir())
	t.Setenv(cacheDebugEnv, "1")
	f := newFixture(t)
	for _, args := range [][]string{{"--check"}, {"--diff"}, {"--check", "--diff"}} {
		code, _, stderr := f.run(append(append([]string{"render"}, args...), "-f", f.file)...)
		if code != ExitChanged || strings.Contains(stderr, "cache: stored") {
			t.Errorf("%v before any render: exit %d\n%s", args, code, stderr)
		}
	}
	code, _, stderr := f.run("render", "--exit-code", "-f", f.file)
	if code != ExitChanged || !strings.Contains(stderr, "cache: stored") {
		t.Errorf("render --exit-code writing: exit %d\n%s", code, stderr)
	}
	code, stdout, stderr := f.run("render", "--exit-code", "-f", f.file)
	if code != ExitOK || !strings.Contains(stderr, "cache: hit") || !strings.Contains(stdout, "up to date") {
		t.Errorf("render --exit-code again: exit %d\n%s%s", code, stdout, stderr)
	}
}

// TestCacheOff: --no-cache and WIGEN_CACHE=off read and write no cache; a
// WIGEN_CACHE that is not absolute is a warning, and render goes on
// without the cache.
func TestCacheOff(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(cacheDebugEnv, "")
	for _, tt := range []struct {
		name, env string
		args      []string
		stderr    string
	}{
		{"--no-cache", dir, []string{"--no-cache"}, ""},
		{"WIGEN_CACHE=off", "off", nil, ""},
		{"relative WIGEN_CACHE", "cache", nil, "wigen: warning: WIGEN_CACHE=cache is not an absolute path (or off to turn the cache off); rendering without the cache\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(cache.Env, tt.env)
			f := newFixture(t)
			t.Chdir(f.dir)
			for range 2 {
				code, _, stderr := f.run(append([]string{"render", "-f", f.file}, tt.args...)...)
				if code != ExitOK || stderr != tt.stderr {
					t.Errorf("exit %d, stderr %q, want %q", code, stderr, tt.stderr)
				}
			}
			for _, d := range []string{dir, filepath.Join(f.dir, "cache"), filepath.Join(f.dir, "off")} {
				if ents, _ := os.ReadDir(d); len(ents) > 0 {
					t.Errorf("%s holds %d entries", d, len(ents))
				}
			}
		})
	}
}

// TestCacheConcurrentRuns: runs of render, --check and --diff at once on
// one input and one cache all succeed, and leave an entry that hits.
func TestCacheConcurrentRuns(t *testing.T) {
	f := cacheFixture(t)
	must(t, os.RemoveAll(os.Getenv(cache.Env)))
	var wg sync.WaitGroup
	errs := make(chan string, 30)
	for i := range 30 {
		wg.Go(func() {
			args := [][]string{{"render"}, {"render", "--check"}, {"render", "--diff"}}[i%3]
			if code, stdout, stderr := f.run(append(args, "-f", f.file)...); code != ExitOK {
				errs <- strings.Join(args, " ") + ": " + stdout + stderr
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	if _, _, stderr := f.run("render", "--check", "-f", f.file); !strings.Contains(stderr, "cache: hit") {
		t.Errorf("no hit after concurrent runs:\n%s", stderr)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
