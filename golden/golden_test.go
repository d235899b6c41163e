// Package golden_test checks the committed golden cases: each
// golden/<case>/wigen.yaml rendered in memory must equal the committed
// output tree beside it, byte for byte, and each golden/errors/<case>/wigen.yaml
// must produce exactly the diagnostics in its diagnostics.txt.
//
// The committed trees are written by the real CLI (`make golden-update`),
// never by hand and never by this test: see README.md.
package golden_test

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wigen-dev/wigen/generate"
	"github.com/wigen-dev/wigen/generate/output"
	"github.com/wigen-dev/wigen/schema"
)

const regenerate = "run `make golden-update` and review the diff"

// caseDirs returns the folders under dir holding a wigen.yaml.
func caseDirs(t *testing.T, dir string) []string {
	t.Helper()
	matches, err := filepath.Glob(filepath.Join(dir, "*", schema.DefaultFile))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range matches {
		out = append(out, filepath.Dir(m))
	}
	sort.Strings(out)
	return out
}

func TestGolden(t *testing.T) {
	cases := caseDirs(t, ".")
	if len(cases) == 0 {
		t.Fatal("no golden cases found")
	}
	for _, dir := range cases {
		t.Run(dir, func(t *testing.T) {
			s, err := schema.Load(filepath.Join(dir, schema.DefaultFile))
			if err != nil {
				t.Fatalf("the input is invalid:\n%v", err)
			}
			res, err := generate.Render(s)
			if err != nil {
				t.Fatalf("render: %v", err)
			}
			again, err := generate.Render(s)
			if err != nil {
				t.Fatalf("second render: %v", err)
			}
			if diff := cmp.Diff(res.Files, again.Files); diff != "" {
				t.Fatalf("two renders of one input differ (-first +second):\n%s", diff)
			}

			rendered := map[string][]byte{}
			for _, f := range res.Files {
				rendered[f.Path] = f.Data
				checkFile(t, f)
				checkChartClaims(t, f, s.Spec.Chart.Version)
			}
			root := filepath.Join(dir, filepath.FromSlash(s.Spec.Output))
			committed := readTree(t, root)
			for _, p := range sortedKeys(rendered) {
				want, ok := committed[p]
				switch {
				case !ok:
					t.Errorf("%s: rendered but not committed; %s", p, regenerate)
				case !bytes.Equal(want, rendered[p]):
					t.Errorf("%s: differs from the committed file; %s\n(-committed +rendered):\n%s",
						p, regenerate, cmp.Diff(lines(want), lines(rendered[p])))
				}
			}
			for _, p := range sortedKeys(committed) {
				if _, ok := rendered[p]; !ok {
					t.Errorf("%s: committed but no longer rendered; %s", p, regenerate)
				}
			}
		})
	}
}

// checkFile checks what every generated file must be: marked as wigen's on
// its first line, LF line endings, one final newline.
func checkFile(t *testing.T, f output.File) {
	t.Helper()
	if !output.IsGenerated(f.Data) {
		t.Errorf("%s: the first line is not the generated-file line", f.Path)
	}
	if bytes.Contains(f.Data, []byte("\r")) {
		t.Errorf("%s: contains a carriage return", f.Path)
	}
	if !bytes.HasSuffix(f.Data, []byte("\n")) || bytes.HasSuffix(f.Data, []byte("\n\n")) {
		t.Errorf("%s: does not end with exactly one newline", f.Path)
	}
}

// chartClaim finds a statement about one chart version ("chart 7.2.0").
var chartClaim = regexp.MustCompile(`\bchart (\d+\.\d+\.\d+)\b`)

// checkChartClaims checks that the comments of a YAML file state no fact
// of a chart version other than the one rendered: such a comment is false
// for the chart the reader uses (a dummy OPENAI_API_KEY in chart 7.2.0's
// default extraEnvVars is not in 16.0.0's, which is empty).
func checkChartClaims(t *testing.T, f output.File, version string) {
	t.Helper()
	if ext := path.Ext(f.Path); ext != ".yaml" && ext != ".yml" {
		return
	}
	for i, line := range strings.Split(string(f.Data), "\n") {
		if !strings.HasPrefix(line, "#") {
			continue
		}
		for _, m := range chartClaim.FindAllStringSubmatch(line, -1) {
			if m[1] != version {
				t.Errorf("%s:%d: a comment speaks of chart %s, but the chart is %s: %q", f.Path, i+1, m[1], version, line)
			}
		}
	}
}

func TestGoldenErrors(t *testing.T) {
	cases := caseDirs(t, "errors")
	if len(cases) == 0 {
		t.Fatal("no golden error cases found")
	}
	for _, dir := range cases {
		t.Run(dir, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(dir, schema.DefaultFile))
			if err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile(filepath.Join(dir, "diagnostics.txt"))
			if err != nil {
				t.Fatalf("%v; %s", err, regenerate)
			}
			_, err = schema.LoadBytes(schema.DefaultFile, data)
			var ds schema.Diagnostics
			if !errors.As(err, &ds) {
				t.Fatalf("want diagnostics, got error %v", err)
			}
			// Exactly what `wigen validate` prints on stderr in the case's folder.
			got := []byte(ds.Error() + "\n")
			if !bytes.Equal(want, got) {
				t.Errorf("diagnostics differ from diagnostics.txt; %s\n(-committed +got):\n%s",
					regenerate, cmp.Diff(lines(want), lines(got)))
			}
		})
	}
}

// readTree reads every file under root, by path relative to root with '/'
// separators. A missing root is an empty tree.
func readTree(t *testing.T, root string) map[string][]byte {
	t.Helper()
	m := map[string][]byte{}
	err := filepath.WalkDir(root, func(name string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) && name == root {
			return nil
		}
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(root, name)
		if err != nil {
			return err
		}
		data, err := os.ReadFile(name)
		m[filepath.ToSlash(rel)] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func lines(b []byte) []string { return strings.SplitAfter(string(b), "\n") }

func sortedKeys(m map[string][]byte) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// TestReadmeListsEveryCase: README.md's tables list every golden case and
// every error case, each once, and name no case that does not exist.
func TestReadmeListsEveryCase(t *testing.T) {
	data, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	split := strings.Index(text, "Error cases (`golden/errors/`):")
	if split < 0 {
		t.Fatal("README.md has no error cases table")
	}
	row := regexp.MustCompile("(?m)^\\| `([^`]+)` \\|")
	for _, tc := range []struct{ table, dir string }{{text[:split], "."}, {text[split:], "errors"}} {
		listed := map[string]int{}
		for _, m := range row.FindAllStringSubmatch(tc.table, -1) {
			listed[m[1]]++
		}
		for _, dir := range caseDirs(t, tc.dir) {
			name := filepath.Base(dir)
			switch listed[name] {
			case 0:
				t.Errorf("README.md: %s is not in the table of %s", name, tc.dir)
			case 1:
			default:
				t.Errorf("README.md: %s is listed %d times", name, listed[name])
			}
			delete(listed, name)
		}
		for name := range listed {
			t.Errorf("README.md lists %s, which is no case in %s", name, tc.dir)
		}
	}
}
