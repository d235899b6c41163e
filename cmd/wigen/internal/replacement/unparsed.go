// Files of the previous render the comparison cannot read. Find compares
// only what parses: a previous main.tf holding merge-conflict markers, or
// a kustomization.yaml edited into invalid YAML, would hide a replacement
// its environment's new render makes. Unparsed lists those files, so
// `wigen render` refuses to render over them until they are resolved or
// deleted (or --allow-replace is given).

package replacement

import (
	"bytes"
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"go.yaml.in/yaml/v3"

	"github.com/wigen-dev/wigen/generate/argocd"
	"github.com/wigen-dev/wigen/generate/kustomize"
	"github.com/wigen-dev/wigen/generate/terraform"
	"github.com/wigen-dev/wigen/schema"
)

// Unreadable is a file of the previous render that the comparison reads
// and that does not parse.
type Unreadable struct {
	// Path is relative to the output root ('/' separators).
	Path string
	// Line is the 1-based line of the first problem, 0 when unknown.
	Line int
	// Problem says what is wrong ("a merge-conflict marker", or the
	// parser's words), one line.
	Problem string
	// Unread: the caller did not read the file; Problem says why.
	Unread bool
}

// Fix says what makes the file comparable again.
func (u Unreadable) Fix() string {
	if u.Unread {
		return "delete the file"
	}
	return "resolve the conflict or delete the file"
}

// Text is the problem in one line, with path as the caller shows Path:
// `cannot compare with the previous render: PATH:LINE does not parse
// (PROBLEM)`.
func (u Unreadable) Text(path string) string {
	if u.Unread {
		return fmt.Sprintf("cannot compare with the previous render: %s is not read (%s)", path, u.Problem)
	}
	at := path
	if u.Line > 0 {
		at = fmt.Sprintf("%s:%d", path, u.Line)
	}
	return fmt.Sprintf("cannot compare with the previous render: %s does not parse (%s)", at, u.Problem)
}

// FindUnreadable returns the files of old (the previous render) that Find
// would read to compare an environment present in both old and next, that
// the new render changes, and that do not parse (or hold a merge-conflict
// marker), sorted by path. Find skips them; a caller that trusts Find's
// empty answer must look here first. unread names the files of old the
// caller did not read (their content nil), with why: they are listed too.
func FindUnreadable(old, next map[string][]byte, unread map[string]string) []Unreadable {
	paths := map[string]bool{}
	add := func(files ...string) {
		for _, p := range files {
			paths[p] = true
		}
	}
	for _, env := range envs(old, next, func(env string) string { return path.Join(terraform.Dir(env), terraform.FileMain) }) {
		add(moduleInputs(env)...)
	}
	for _, env := range envs(old, next, func(env string) string { return path.Join(kustomize.OverlayDir(env), kustomize.KustomizationFile) }) {
		add(overlayInputs(env)...)
	}
	for _, env := range envs(old, next, argocd.Path) {
		add(argocd.Path(env))
	}
	for _, env := range envs(old, next, fluxRelease) {
		add(fluxInputs(env)...)
	}
	var out []Unreadable
	for p := range paths {
		data, ok := old[p]
		if why, no := unread[p]; no && ok {
			out = append(out, Unreadable{Path: p, Problem: why, Unread: true})
			continue
		}
		if !ok || same(old, next, p) {
			continue
		}
		if u, bad := unreadable(p, data); bad {
			out = append(out, u)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// conflictMarkers start the lines git writes around a merge conflict.
var conflictMarkers = [][]byte{[]byte("<<<<<<<"), []byte("======="), []byte(">>>>>>>"), []byte("|||||||")}

// unreadable reports whether file p (HCL for .tf, YAML otherwise) holds a
// merge-conflict marker at the start of a line (which a generated file
// never does) or does not parse, and where.
func unreadable(p string, data []byte) (Unreadable, bool) {
	for i, l := range bytes.Split(data, []byte("\n")) {
		for _, m := range conflictMarkers {
			if bytes.HasPrefix(l, m) {
				return Unreadable{Path: p, Line: i + 1, Problem: "a merge-conflict marker " + schema.Quote(string(m))}, true
			}
		}
	}
	if strings.HasSuffix(p, ".tf") {
		_, diags := hclsyntax.ParseConfig(data, p, hcl.InitialPos)
		if !diags.HasErrors() {
			return Unreadable{}, false
		}
		u := Unreadable{Path: p, Problem: "invalid HCL"}
		for _, d := range diags {
			if d.Severity == hcl.DiagError {
				u.Problem = "invalid HCL: " + schema.EscapeText(d.Summary)
				if d.Subject != nil {
					u.Line = d.Subject.Start.Line
				}
				break
			}
		}
		return u, true
	}
	var doc any
	err := yaml.Unmarshal(data, &doc)
	if err == nil {
		return Unreadable{}, false
	}
	line, _, msg := schema.YAMLError(data, err.Error())
	return Unreadable{Path: p, Line: line, Problem: "invalid YAML: " + msg}, true
}
