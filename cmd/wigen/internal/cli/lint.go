package cli

// lintCmd is `wigen lint`; its run is set when the lint package is wired in.
var lintCmd = &command{
	name:     "lint",
	synopsis: "check rendered Kubernetes manifests against wigen.yaml, offline",
}
