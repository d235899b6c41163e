package realchart

import (
	"archive/tar"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// ReferenceCharts is where the reference charts are, relative to the
// repository root: beside the checkout, read-only, never copied into it.
const ReferenceCharts = "../shared/reference/charts"

// Chart is one packaged reference chart, as `helm package` writes it (its
// subcharts inside).
type Chart struct {
	Name, Version string
	// Archive is the absolute path of <name>-<version>.tgz.
	Archive string
}

func (c *Chart) String() string { return "chart " + c.Name + " " + c.Version }

// ReferenceChart returns the reference chart name at version (see
// Missing when it is not there).
func ReferenceChart(t testing.TB, name, version string) *Chart {
	t.Helper()
	dir := filepath.Join(RepoRoot(t), filepath.FromSlash(ReferenceCharts))
	p := filepath.Join(dir, name+"-"+version+".tgz")
	if _, err := os.Stat(p); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			Missing(t, "no reference chart %s %s: %s does not exist (the real charts are test data beside the checkout, in %s)", name, version, p, ReferenceCharts)
		}
		t.Fatal(err)
	}
	return &Chart{Name: name, Version: version, Archive: p}
}

// chartFile is one regular file of an archive.
type chartFile struct {
	name string // slash-separated, below the archive's top folder
	mode fs.FileMode
	data []byte
}

var (
	archivesMu sync.Mutex
	archives   = map[string]func() ([]chartFile, error){}
)

// files returns the archive's regular files, read and decompressed once
// per process.
func (c *Chart) files() ([]chartFile, error) {
	archivesMu.Lock()
	read, ok := archives[c.Archive]
	if !ok {
		read = sync.OnceValues(func() ([]chartFile, error) { return readArchive(c.Archive) })
		archives[c.Archive] = read
	}
	archivesMu.Unlock()
	return read()
}

func readArchive(p string) ([]chartFile, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	var out []chartFile
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		if h.Typeflag != tar.TypeReg {
			continue // helm package writes regular files only; folders are implied
		}
		name := path.Clean(h.Name)
		if !fs.ValidPath(name) || strings.HasPrefix(name, "../") {
			return nil, fmt.Errorf("%s: entry %q leaves the archive's folder", p, h.Name)
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %w", p, h.Name, err)
		}
		out = append(out, chartFile{name: name, mode: fs.FileMode(h.Mode).Perm() | 0o600, data: data})
	}
}

// Unpack writes the chart's files below dir as `helm pull --untar` does:
// dir/<name>/Chart.yaml, dir/<name>/charts/<subchart>/...
func (c *Chart) Unpack(t testing.TB, dir string) {
	t.Helper()
	files, err := c.files()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		full := filepath.Join(dir, filepath.FromSlash(f.name))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, f.data, f.mode); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, c.Name, "Chart.yaml")); err != nil {
		t.Fatalf("%s: no %s/Chart.yaml in the archive", c.Archive, c.Name)
	}
}
