// Package realchart is test support: it runs wigen's rendered output
// through the consumers users run it with, and judges what they print with
// wigen lint. The consumers are the real open-webui charts (the packaged
// .tgz files in ../shared/reference/charts beside the repository, never
// copied into it, never downloaded), the real helm binary of both majors,
// kustomize through its Go API (krusty, at the version in go.mod: 5.8
// behaviour) and `kubectl kustomize` (the kustomize kubectl bundles: 5.5 in
// kubectl 1.32).
//
// # Tools, and when a test skips
//
// Helm comes only from WIGEN_HELM3 and WIGEN_HELM4, the absolute paths of a
// Helm 3 and a Helm 4 binary (.ci/run builds them with `go install` and sets
// both); kubectl from PATH. When a tool or a reference chart is missing the
// test skips with a message saying what to set or install, except with
// WIGEN_CI=1 (set by .ci/run), where it fails: CI never passes by skipping.
// Missing is that rule; every function here applies it.
//
// # One environment, every path
//
// Streams renders environment e of a spec along every path wigen writes for
// it, with every tool: the Terraform path (`helm template` with the
// module's values.yaml plus the client ID set exactly as its helm_release
// passes it, and the pod template's checksum/workload-identity computed
// by its sha256(join(...)) expression from that client ID, with the
// module's release name and namespace, read from main.tf; not for a module without the release, terraform.release:
// false), the Helm path (`helm template` with helm/<env>/values.yaml), the
// Kustomize path (the overlay built with krusty under Helm 3 and Helm 4
// and with `kubectl kustomize` under Helm 3, the reference chart unpacked
// where kustomize looks before downloading), and the GitOps paths:
// `helm template` as Argo CD and Flux's helm-controller run it, with the
// chart, release, namespace and values read from the rendered Application
// and HelmRelease (ArgoCDRelease, FluxRelease), never from wigen's values
// function. Each Stream is the multi-document YAML a consumer would apply.
// Typical use in a test:
//
//	for _, c := range realchart.GoldenCases(t) {
//		for i := range c.Spec.Spec.Environments {
//			e := &c.Spec.Spec.Environments[i]
//			for _, st := range realchart.Streams(t, c.Spec, c.Files, e) {
//				realchart.RequireClean(t, c.Spec, e, st)     // wigen lint: no finding at all
//				realchart.CheckNamespace(t, e.Namespace, st) // every object and in-cluster URL in e's namespace
//				realchart.CheckAppConfig(t, c.Spec, e, st)   // checksum on the pod template, connections, openWebUI env
//			}
//		}
//	}
//
// The pieces are there for other uses (a new golden case, a broken
// rendering): Helm.Template, TerraformRelease, ArgoCDRelease, FluxRelease,
// WriteTree, PlaceCharts, Helm.Krusty, Helm.KubectlKustomize, Lint and
// ShapeOf.
//
// # Speed
//
// Each archive is read and decompressed once per test process and written
// out from memory where kustomize needs a folder; `helm template` reads the
// archive itself. Nothing here runs in parallel on its own: tests call
// t.Parallel per environment, and every helper is safe for that (each
// helm and kustomize run gets its own temporary folders).
package realchart
