package replacement

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestFindUnreadable: a previous file the comparison reads that holds a
// merge-conflict marker or does not parse is listed with its line (Find
// skips it); one the new render leaves as it is, one of an environment
// the new render drops, and a tree that parses are not.
func TestFindUnreadable(t *testing.T) {
	next := tree(t, edited(t, "name: id-a", "name: id-b"))
	old := tree(t, base)
	if got := FindUnreadable(old, next, nil); len(got) != 0 {
		t.Errorf("unreadable files in a tree that parses: %v", got)
	}
	old["terraform/prod/main.tf"] = append(append([]byte{}, old["terraform/prod/main.tf"]...), "<<<<<<< HEAD\nx = 1\n=======\n>>>>>>> theirs\n"...)
	old["terraform/prod/values.yaml"] = []byte("# values\na: b: c\n")
	old["kustomize/overlays/prod/kustomization.yaml"] = []byte("namespace: a\n  b: 1\n")
	old["argocd/prod/application.yaml"] = []byte("spec:\n\tsource: {}\n")
	old["terraform/prod/adopt.tf"] = []byte("moved {\n  from = \n}\n")
	old["terraform/gone/main.tf"] = []byte("resource {")
	mainLines := 1
	for _, b := range tree(t, base)["terraform/prod/main.tf"] {
		if b == '\n' {
			mainLines++
		}
	}
	want := []Unreadable{
		{Path: "argocd/prod/application.yaml", Line: 2, Problem: "invalid YAML: tabs are not allowed in YAML indentation; indent with spaces"},
		{Path: "kustomize/overlays/prod/kustomization.yaml", Line: 2, Problem: "invalid YAML: mapping values are not allowed in this context"},
		{Path: "terraform/prod/adopt.tf", Line: 2, Problem: "invalid HCL: Invalid expression"},
		{Path: "terraform/prod/main.tf", Line: mainLines, Problem: `a merge-conflict marker "<<<<<<<"`},
		{Path: "terraform/prod/values.yaml", Line: 2, Problem: "invalid YAML: mapping values are not allowed in this context"},
	}
	next["argocd/prod/application.yaml"] = []byte("kind: Application\n")
	if diff := cmp.Diff(want, FindUnreadable(old, next, nil)); diff != "" {
		t.Errorf("FindUnreadable (-want +got):\n%s", diff)
	}
	if got := Find(old, next); len(got) != 0 {
		t.Errorf("Find compared unreadable files: %v", lines(got))
	}
	// A file the new render leaves as it is was not changed by the merge.
	next["terraform/prod/values.yaml"] = old["terraform/prod/values.yaml"]
	for _, u := range FindUnreadable(old, next, nil) {
		if u.Path == "terraform/prod/values.yaml" {
			t.Errorf("unchanged file listed: %v", u)
		}
	}
}
