//go:build !unix

package disk

import (
	"errors"
	"io"
	"os"
)

// readFull reads the start of the regular file name into buf, up to
// len(buf) bytes, and returns how many it read. size is for the unix
// version's sake.
func readFull(name string, buf []byte, _ int64) (int, error) {
	f, err := os.Open(name)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	n, err := io.ReadFull(f, buf)
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		err = nil
	}
	return n, err
}
