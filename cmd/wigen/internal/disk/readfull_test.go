package disk

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestReadRegularSize: readRegularInto returns the whole file whether the
// size it is given (Lstat's, taken earlier) is the file's, smaller (the
// file grew since) or larger (it shrank), and sameContent tells a file of
// the recorded size from a longer or shorter one.
func TestReadRegularSize(t *testing.T) {
	name := filepath.Join(t.TempDir(), "f")
	data := bytes.Repeat([]byte("0123456789"), 1000)
	if err := os.WriteFile(name, data, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, size := range []int64{0, 1, int64(len(data)) - 1, int64(len(data)), int64(len(data)) + 1, 2 * int64(len(data))} {
		got, err := readRegularInto(name, size, new([]byte))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, data) {
			t.Errorf("size %d: read %d bytes, want the file's %d", size, len(got), len(data))
		}
	}
	for _, tc := range []struct {
		size int64
		want bool
	}{{int64(len(data)), true}, {int64(len(data)) - 1, false}, {int64(len(data)) + 1, false}} {
		sum := Sum("f", data[:min(int(tc.size), len(data))])
		sum.Size = tc.size
		if got := sameContent(name, sum); got != tc.want {
			t.Errorf("sameContent with size %d = %v, want %v", tc.size, got, tc.want)
		}
	}
}
