// How much of one input wigen lint reads.

package lint

import (
	"fmt"
	"io"
	"os"
)

// MaxInputBytes is the most wigen lint reads of one input, a file or
// standard input (64 MiB): the manifests `helm template` or `kustomize
// build` print for one environment are well under 1 MiB, and a stream past
// the limit (`cat /dev/zero | wigen lint`) is refused as soon as it is
// read, not held in memory whole.
const MaxInputBytes = 64 << 20

// readLimited reads r (the input name) to its end, or fails when it holds
// more than MaxInputBytes.
func readLimited(name string, r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxInputBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if len(data) > MaxInputBytes {
		return nil, InputErrors{{File: name, Msg: fmt.Sprintf("the input is larger than %d MiB, the most wigen lint reads of one input; lint the manifests of one environment at a time", MaxInputBytes>>20)}}
	}
	return data, nil
}

// readFileLimited is readLimited on the file at path.
func readFileLimited(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readLimited(path, f)
}
