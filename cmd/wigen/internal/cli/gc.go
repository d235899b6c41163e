package cli

import (
	"os"
	"runtime/debug"
)

// TuneGC sets the garbage collector for one short run of wigen: a render
// allocates a lot of short-lived memory (hclwrite's syntax trees, the
// READMEs' templates), so collecting less often makes a cold check of 100
// environments about 1.3 times faster than Go's default (81 against
// 105 ms, paired whole-process runs). The soft memory limit keeps the
// peak bounded (a render of 1000 environments stays under 100 MiB).
// Turning the collector off below the limit was measured too: 4% faster
// at 100 environments, 11% slower at 1000. GOGC and GOMEMLIMIT, when set,
// win.
func TuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(64 << 20)
	}
}
