package schema

import (
	"slices"
	"strings"
	"testing"
)

// TestBackendArgumentsCover: every backend type wigen accepts has its
// argument list, but the three whose schema is written in a form the list
// was not taken from (cos, oss, oci: any argument passes); each list is
// sorted (the lookup is a binary search) and holds every secret argument
// wigen refuses for it (backendSecrets, from the same Terraform source).
func TestBackendArgumentsCover(t *testing.T) {
	unlisted := []string{"cos", "oci", "oss"}
	for _, typ := range terraformBackends {
		args, ok := backendArguments[typ]
		if !ok {
			if !slices.Contains(unlisted, typ) {
				t.Errorf("backend %s has no argument list", typ)
			}
			continue
		}
		if !slices.IsSorted(args) {
			t.Errorf("backend %s: arguments not sorted", typ)
		}
		for _, sec := range backendSecrets[typ].Secrets {
			top, _, _ := strings.Cut(sec.Arg, ".") // a nested one: its attribute
			if !slices.Contains(args, top) {
				t.Errorf("backend %s: secret argument %s is not in its argument list", typ, sec.Arg)
			}
		}
	}
	for typ := range backendArguments {
		if !slices.Contains(terraformBackends, typ) {
			t.Errorf("backend %s is listed but not accepted", typ)
		}
	}
}
