// Files on disk far larger than any render.

package disk

import (
	"io/fs"

	"github.com/wigen-dev/wigen/generate/output"
)

// MaxCompareBytes is the largest file of the output root a plan reads
// whole (64 MiB). wigen's input is at most 1 MiB (schema.MaxInputBytes)
// and no rendered file comes near this size, so a larger file of wigen's
// (its first line says so) differs from the render whatever it holds: the
// plan reads only its first line, and the Change is Large (Old nil), so
// that `render --diff` or `--check` against a file of gigabytes does not
// hold it in memory.
const MaxCompareBytes = 64 << 20

// large plans the rendered file f whose file on disk (name, info) is
// larger than MaxCompareBytes: owned (probe), it is an Update whose old
// content is not read.
func (pl *planner) large(f output.File, name string, info fs.FileInfo) fileResult {
	src, owned, err := probe(name)
	if err != nil {
		return fileResult{err: err}
	}
	if !owned {
		return fileResult{prob: notOwned(f.Path)}
	}
	if prob := pl.otherSource(f.Path, src); prob != nil {
		return fileResult{prob: prob}
	}
	return fileResult{change: Change{Path: f.Path, Action: Update, Large: true, New: f.Data, mode: info.Mode().Perm()}}
}
