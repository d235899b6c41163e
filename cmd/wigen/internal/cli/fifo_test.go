//go:build unix

package cli

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// -f naming a FIFO is refused at once (opening one waits for a writer,
// forever when there is none), by every command that reads the input.
func TestInputFIFO(t *testing.T) {
	f := newFixture(t)
	fifo := filepath.Join(f.dir, "fifo.yaml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	for _, cmd := range []string{"validate", "render", "lint"} {
		done := make(chan struct{})
		var code int
		var stderr string
		go func() {
			code, _, stderr = f.run(cmd, "-f", fifo)
			close(done)
		}()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatalf("wigen %s -f FIFO still waits after 5s", cmd)
		}
		if code != ExitError || !strings.Contains(stderr, "fifo.yaml is a named pipe (FIFO), not a regular file") {
			t.Errorf("wigen %s -f FIFO: exit %d, stderr %q", cmd, code, stderr)
		}
	}
}
