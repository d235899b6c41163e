package cli

import "github.com/wigen-dev/wigen/cmd/wigen/internal/lint"

// lintCmd is `wigen lint`: package lint parses its own flags, prints its
// own usage and findings, and chooses the exit code.
var lintCmd = &command{
	name:     "lint",
	synopsis: "check rendered Kubernetes manifests against wigen.yaml, offline",
	run: func(e *env, args []string) int {
		return lint.Main(args, e.stdin, e.stdout, e.stderr)
	},
}
