// Package templates embeds the prose artifacts wigen writes: the starter
// wigen.yaml of `wigen init` and the per-environment README. HCL and YAML
// are never rendered from templates: generate/ builds them as typed trees.
package templates

import "embed"

// FS holds every template, by file name.
//
//go:embed *.tmpl
var FS embed.FS
