package cli

import (
	"fmt"
	"os"
	"testing"

	"github.com/wigen-dev/wigen/cmd/wigen/internal/cache"
)

// TestMain gives the package's tests and benchmarks a render cache of
// their own, removed afterwards: they never read or write the user's.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "wigen-cli-test-cache-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	os.Setenv(cache.Env, dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
