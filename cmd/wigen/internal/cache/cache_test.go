package cache

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/wigen-dev/wigen/cmd/wigen/internal/disk"
)

func testEntry() *Entry {
	return &Entry{
		Root:   "infra/my deploy",
		Shown:  "infra/my deploy",
		Stderr: []byte("wigen.yaml:3:4: warning: x\nwigen: dev: note\n\nstderr 5\n"),
		Files: []disk.FileSum{
			disk.Sum("README.md", []byte("a\n")),
			disk.Sum("terraform/dev/main.tf", []byte("b = 1\n")),
			disk.Sum("empty", nil),
		},
	}
}

func TestEntryRoundTrip(t *testing.T) {
	k := NewKey("id", "wigen.yaml", "/w/wigen.yaml", []byte("input"))
	for _, e := range []*Entry{testEntry(), {Files: []disk.FileSum{}}} {
		data, err := e.encode(k)
		if err != nil {
			t.Fatal(err)
		}
		got, err := decodeEntry(data, k)
		if err != nil {
			t.Fatalf("decode: %v\n%s", err, data)
		}
		if e.Stderr == nil {
			e.Stderr = []byte{}
		}
		if diff := cmp.Diff(e, got); diff != "" {
			t.Errorf("round trip (-want +got):\n%s", diff)
		}
	}
	if _, err := (&Entry{Files: []disk.FileSum{{Path: "a\nb"}}}).encode(k); err == nil {
		t.Error("a path with a newline encoded")
	}
}

// TestEntryCorruption: every truncation, every flipped bit of an entry,
// and another key's entry are refused (a miss), never decoded to
// something else.
func TestEntryCorruption(t *testing.T) {
	k := NewKey("id", "wigen.yaml", "/w/wigen.yaml", []byte("input"))
	data, err := testEntry().encode(k)
	if err != nil {
		t.Fatal(err)
	}
	for n := range len(data) {
		if _, err := decodeEntry(data[:n], k); err == nil {
			t.Errorf("truncated to %d bytes: decoded", n)
		}
	}
	for i := range data {
		for bit := range 8 {
			c := bytes.Clone(data)
			c[i] ^= 1 << bit
			if _, err := decodeEntry(c, k); err == nil {
				t.Errorf("byte %d bit %d flipped: decoded", i, bit)
			}
		}
	}
	other := NewKey("id", "wigen.yaml", "/w/wigen.yaml", []byte("input2"))
	if _, err := decodeEntry(data, other); err == nil {
		t.Error("decoded under another key")
	}
}

// TestNewKey: every part counts, and parts cannot be shifted into each
// other.
func TestNewKey(t *testing.T) {
	base := NewKey("id", "wigen.yaml", "/w/wigen.yaml", []byte("input"))
	for _, k := range []Key{
		NewKey("id2", "wigen.yaml", "/w/wigen.yaml", []byte("input")),
		NewKey("id", "./wigen.yaml", "/w/wigen.yaml", []byte("input")),
		NewKey("id", "wigen.yaml", "/x/wigen.yaml", []byte("input")),
		NewKey("id", "wigen.yaml", "/w/wigen.yaml", []byte("input ")),
		NewKey("idw", "igen.yaml", "/w/wigen.yaml", []byte("input")),
	} {
		if k == base {
			t.Errorf("key %s equals the base key", k)
		}
	}
	if NewKey("id", "wigen.yaml", "/w/wigen.yaml", []byte("input")) != base {
		t.Error("the key is not a function of its parts")
	}
}

func TestGetPut(t *testing.T) {
	c := Open(filepath.Join(t.TempDir(), "cache"))
	k := NewKey("id", "a", "/a", nil)
	if _, err := c.Get(k); err == nil {
		t.Fatal("hit in an empty cache")
	}
	want := testEntry()
	if err := c.Put(k, want); err != nil {
		t.Fatal(err)
	}
	got, err := c.Get(k)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Get (-want +got):\n%s", diff)
	}
	if _, err := os.Stat(filepath.Join(c.Dir(), "CACHEDIR.TAG")); err != nil {
		t.Errorf("no CACHEDIR.TAG: %v", err)
	}
}

// TestConcurrentPutGet: writers of one key and readers at once; a reader
// gets the entry or a miss, never a broken entry, and no temporary file
// stays.
func TestConcurrentPutGet(t *testing.T) {
	c := Open(t.TempDir())
	k := NewKey("id", "a", "/a", nil)
	e := testEntry()
	for i := range 2000 {
		e.Files = append(e.Files, disk.Sum(fmt.Sprintf("f/%d", i), []byte{byte(i)}))
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 20 {
				if err := c.Put(k, e); err != nil {
					t.Error(err)
				}
			}
		})
		wg.Go(func() {
			for range 20 {
				got, err := c.Get(k)
				if err == nil && len(got.Files) != len(e.Files) {
					t.Errorf("a reader got %d files", len(got.Files))
				}
				if err != nil && !os.IsNotExist(err) {
					t.Errorf("a reader saw a broken entry: %v", err)
				}
			}
		})
	}
	wg.Wait()
	ents, err := os.ReadDir(filepath.Join(c.Dir(), entriesDir))
	if err != nil || len(ents) != 1 {
		t.Errorf("entries folder: %v, %d files (want the entry alone)", err, len(ents))
	}
}

func TestDir(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", "/home/u/.cache")
	t.Setenv("HOME", "/home/u")
	for _, tt := range []struct {
		env, want string
		err       bool
	}{
		{"off", "", false},
		{"/abs/cache", "/abs/cache", false},
		{"/abs/cache/", "/abs/cache", false},
		{"rel/cache", "", true},
	} {
		t.Setenv(Env, tt.env)
		got, err := Dir()
		if got != tt.want || (err != nil) != tt.err {
			t.Errorf("%s=%s: %q, %v", Env, tt.env, got, err)
		}
	}
	t.Setenv(Env, "")
	base, err := os.UserCacheDir()
	if err != nil {
		t.Skip(err)
	}
	if got, err := Dir(); err != nil || got != filepath.Join(base, "wigen") {
		t.Errorf("unset: %q, %v; want %s", got, err, filepath.Join(base, "wigen"))
	}
}

func TestFromBuildInfo(t *testing.T) {
	info := func(version, sum string, settings ...string) *debug.BuildInfo {
		bi := &debug.BuildInfo{GoVersion: "go1.26.0", Path: "github.com/wigen-dev/wigen/cmd/wigen",
			Main: debug.Module{Path: "github.com/wigen-dev/wigen", Version: version, Sum: sum}}
		for i := 0; i < len(settings); i += 2 {
			bi.Settings = append(bi.Settings, debug.BuildSetting{Key: settings[i], Value: settings[i+1]})
		}
		return bi
	}
	for _, tt := range []struct {
		name string
		bi   *debug.BuildInfo
		ok   bool
	}{
		{"none", nil, false},
		{"a build from a folder without VCS", info("(devel)", ""), false},
		{"a build from a modified clone", info("(devel)", "", "vcs.revision", "abc", "vcs.modified", "true"), false},
		{"a build from a clean clone", info("(devel)", "", "vcs.revision", "abc", "vcs.modified", "false"), true},
		{"go install ...@v1.2.3", info("v1.2.3", "h1:xyz="), true},
		{"a version without its checksum", info("v1.2.3+dirty", ""), false},
	} {
		id, ok := fromBuildInfo(tt.bi)
		if ok != tt.ok || ok && id == "" {
			t.Errorf("%s: %q, %v; want ok %v", tt.name, id, ok, tt.ok)
		}
	}
	a, _ := fromBuildInfo(info("(devel)", "", "vcs.revision", "abc", "vcs.modified", "false"))
	b, _ := fromBuildInfo(info("(devel)", "", "vcs.revision", "abd", "vcs.modified", "false"))
	c, _ := fromBuildInfo(info("(devel)", "", "vcs.revision", "abc", "vcs.modified", "false", "-ldflags", "-X main.x=1"))
	if a == b || a == c {
		t.Error("the build ID does not follow the revision and the build flags")
	}
}

// TestExecutableHash: without build information that pins the code, the
// build ID is the hash of the binary's content: the same for a copy,
// another for a binary replaced in place (remembered by the file's
// identity, never trusted past a write).
func TestExecutableHash(t *testing.T) {
	c := Open(t.TempDir())
	dir := t.TempDir()
	bin := filepath.Join(dir, "wigen")
	running := bin
	real := executable
	executable = func() (*os.File, error) { return os.Open(running) }
	t.Cleanup(func() { executable = real })
	write := func(name, content string) {
		t.Helper()
		if err := os.WriteFile(name, []byte(content), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	hashOf := func(content string) string {
		sum := sha256.Sum256([]byte(content))
		return "exe:" + hex.EncodeToString(sum[:])
	}
	id := func() string {
		t.Helper()
		id, ok := c.executableHash()
		if !ok {
			t.Fatal("no build ID")
		}
		return id
	}

	memos := func() int {
		ents, _ := os.ReadDir(filepath.Join(c.Dir(), exeDir))
		return len(ents)
	}

	// Just written: hashed, not remembered (a second write in the same
	// tick of a coarse clock would not show).
	write(bin, "binary one")
	if got := id(); got != hashOf("binary one") {
		t.Errorf("first: %s", got)
	}
	if n := memos(); n != 0 {
		t.Errorf("%d remembered hashes of a file just written, want 0", n)
	}
	recent := recentChange
	recentChange = 0
	t.Cleanup(func() { recentChange = recent })
	if got := id(); got != hashOf("binary one") {
		t.Errorf("first: %s", got)
	}
	if n := memos(); n != 1 && runtime.GOOS != "windows" {
		t.Errorf("%d remembered hashes, want 1", n)
	}
	if got := id(); got != hashOf("binary one") {
		t.Errorf("again: %s", got)
	}
	// Replaced in place, same size, same modification time.
	info, err := os.Stat(bin)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(10 * time.Millisecond) // a change time the file system can tell apart
	write(bin, "binary two")
	if err := os.Chtimes(bin, info.ModTime(), info.ModTime()); err != nil {
		t.Fatal(err)
	}
	if got := id(); got != hashOf("binary two") {
		t.Errorf("replaced in place: %s, want the new content's hash", got)
	}
	running = filepath.Join(dir, "copy")
	write(running, "binary two")
	if got := id(); got != hashOf("binary two") {
		t.Errorf("a copy: %s", got)
	}
}

func TestTrim(t *testing.T) {
	c := Open(t.TempDir())
	now := time.Now()
	old, recent := NewKey("a", "", "", nil), NewKey("b", "", "", nil)
	for _, k := range []Key{old, recent} {
		if err := c.Put(k, testEntry()); err != nil {
			t.Fatal(err)
		}
	}
	temp := filepath.Join(c.Dir(), entriesDir, tempPrefix+"1")
	if err := os.WriteFile(temp, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for name, age := range map[string]time.Duration{c.entryName(old): maxAge + time.Hour, c.entryName(recent): maxAge - 2*trimInterval, temp: 2 * tempAge} {
		if err := os.Chtimes(name, now.Add(-age), now.Add(-age)); err != nil {
			t.Fatal(err)
		}
	}
	c.trim(now) // trimmed by the Put above: not again so soon
	if _, err := os.Stat(c.entryName(old)); err != nil {
		t.Error("trimmed twice in a day")
	}
	c.trim(now.Add(trimInterval + time.Minute))
	for name, want := range map[string]bool{c.entryName(old): false, c.entryName(recent): true, temp: false} {
		if _, err := os.Stat(name); (err == nil) != want {
			t.Errorf("%s: exists %v, want %v", filepath.Base(name), err == nil, want)
		}
	}
}
