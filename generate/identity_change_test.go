package generate

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/yaml"

	"github.com/wigen-dev/wigen/schema"
)

// Changing identity.clientId (the identity was recreated) or tenantId must
// change, in the outputs that carry them, exactly the client-ID (or
// tenant-ID) annotation of the service account and the
// checksum/workload-identity annotation of the pod template, and nothing
// else: that pod-template change is what rolls the pods, which the Workload
// ID webhook mutates only at creation (azure-workload-identity#109). The
// Terraform module does not read identity.clientId at all (its checksum
// follows the identity's client_id; generate/terraform's checksum tests
// evaluate it), so it must not change with it.

// Leaf paths of the values and manifests the change may touch.
const (
	pathClientID = `serviceAccount.annotations["azure.workload.identity/client-id"]`
	pathTenantID = `serviceAccount.annotations["azure.workload.identity/tenant-id"]`
	pathChecksum = `podAnnotations["checksum/workload-identity"]`
	// In the overlay's patches.
	patchClientID = `metadata.annotations["azure.workload.identity/client-id"]`
	patchTenantID = `metadata.annotations["azure.workload.identity/tenant-id"]`
	patchChecksum = `spec.template.metadata.annotations["checksum/workload-identity"]`
)

// leaves flattens a YAML document into leaf path -> value.
func leaves(t *testing.T, p string, data []byte) map[string]string {
	t.Helper()
	var doc any
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("%s: %v", p, err)
	}
	out := map[string]string{}
	var walk func(prefix string, x any)
	walk = func(prefix string, x any) {
		switch v := x.(type) {
		case map[string]any:
			for k, c := range v {
				key := prefix + "." + k
				if strings.ContainsAny(k, "./") {
					key = fmt.Sprintf("%s[%q]", prefix, k)
				}
				walk(key, c)
			}
		case []any:
			for i, c := range v {
				walk(fmt.Sprintf("%s[%d]", prefix, i), c)
			}
		default:
			out[strings.TrimPrefix(prefix, ".")] = fmt.Sprint(v)
		}
	}
	walk("", doc)
	return out
}

// changedLeaves lists the leaf paths whose value differs between a and b.
func changedLeaves(t *testing.T, p string, a, b []byte) []string {
	t.Helper()
	la, lb := leaves(t, p, a), leaves(t, p, b)
	var out []string
	for k, v := range la {
		if lb[k] != v {
			out = append(out, k)
		}
	}
	for k := range lb {
		if _, ok := la[k]; !ok {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

func renderFiles(t *testing.T, s *schema.Spec) map[string][]byte {
	t.Helper()
	r, err := Render(s)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, f := range r.Files {
		out[f.Path] = f.Data
	}
	return out
}

// identityChange is one edit of the golden input and what it may change.
type identityChange struct {
	name     string
	old, new string // replaced once in wigen.yaml
	// allowed are the leaf paths that may change in each kind of output,
	// and the strings a changed README line must hold.
	values, serviceAccount, workload []string
	// terraformLine, when set, is the one main.tf line allowed to change.
	terraformLine string
}

func TestIdentityChangeChangesOnlyItsAnnotations(t *testing.T) {
	cases, err := filepath.Glob(filepath.Join("..", "golden", "*", schema.DefaultFile))
	if err != nil || len(cases) == 0 {
		t.Fatalf("no golden cases: %v", err)
	}
	checked := 0
	for _, file := range cases {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		src := string(data)
		s, err := schema.LoadBytes(schema.DefaultFile, data)
		if err != nil {
			t.Fatal(err)
		}
		for i := range s.Spec.Environments {
			e := &s.Spec.Environments[i]
			if e.Identity == nil || e.Identity.ClientID == "" || strings.Count(src, e.Identity.ClientID) != 1 {
				continue // no client ID, or one this test cannot edit alone
			}
			changes := []identityChange{{
				name: "client ID", old: "clientId: " + e.Identity.ClientID, new: "clientId: 99999999-8888-7777-6666-555555555555",
				values: []string{pathChecksum, pathClientID}, serviceAccount: []string{patchClientID}, workload: []string{patchChecksum},
			}}
			if e.TenantID != "" && strings.Count(src, "tenantId: "+e.TenantID) == 1 && len(s.Spec.Environments) == 1 {
				changes = append(changes, identityChange{
					name: "tenant ID", old: "tenantId: " + e.TenantID, new: "tenantId: 77777777-6666-5555-4444-333333333333",
					values: []string{pathChecksum, pathTenantID}, serviceAccount: []string{patchTenantID}, workload: []string{patchChecksum},
					terraformLine: "sha256(join(",
				})
			}
			for _, ch := range changes {
				t.Run(filepath.Base(filepath.Dir(file))+"/"+e.Name+"/"+ch.name, func(t *testing.T) {
					checked++
					s2, err := schema.LoadBytes(schema.DefaultFile, []byte(strings.Replace(src, ch.old, ch.new, 1)))
					if err != nil {
						t.Fatal(err)
					}
					before, after := renderFiles(t, s), renderFiles(t, s2)
					if diff := cmp.Diff(sortedPaths(before), sortedPaths(after)); diff != "" {
						t.Fatalf("the set of files changed (-before +after):\n%s", diff)
					}
					oldValue, newValue := strings.TrimSpace(strings.SplitN(ch.old, ":", 2)[1]), strings.TrimSpace(strings.SplitN(ch.new, ":", 2)[1])
					rollsChecked := 0
					for p, a := range before {
						b := after[p]
						var allowed []string
						switch {
						case p == "helm/"+e.Name+"/values.yaml":
							allowed = ch.values
							rollsChecked++
						case p == "terraform/"+e.Name+"/values.yaml" && ch.name == "tenant ID":
							allowed = []string{pathTenantID}
						case strings.HasPrefix(p, "kustomize/overlays/"+e.Name+"/service-account.yaml"):
							allowed = ch.serviceAccount
						case strings.HasPrefix(p, "kustomize/overlays/"+e.Name+"/workload.yaml"):
							allowed = ch.workload
							rollsChecked++
						case path.Ext(p) == ".md":
							e2 := &s2.Spec.Environments[i]
							checkReadmeLines(t, p, a, b, strings.NewReplacer(oldValue, newValue,
								schema.WorkloadIdentityChecksum(e.Identity.ClientID, e.TenantID), schema.WorkloadIdentityChecksum(e2.Identity.ClientID, e2.TenantID)))
							continue
						case p == "terraform/"+e.Name+"/main.tf" && ch.terraformLine != "":
							checkOneLine(t, p, a, b, ch.terraformLine)
							continue
						}
						if path.Ext(p) == ".yaml" {
							if diff := cmp.Diff(allowed, changedLeaves(t, p, a, b)); diff != "" {
								t.Errorf("%s: changed values (-allowed +changed):\n%s", p, diff)
							}
						} else if string(a) != string(b) {
							t.Errorf("%s changed", p)
						}
					}
					if s.HasTarget(schema.TargetHelm) || s.HasTarget(schema.TargetKustomize) {
						if rollsChecked == 0 {
							t.Errorf("no Helm values or overlay of %s checked", e.Name)
						}
					}
				})
			}
		}
	}
	if checked < 6 {
		t.Errorf("only %d changes checked", checked)
	}
}

func sortedPaths(m map[string][]byte) []string {
	out := make([]string, 0, len(m))
	for p := range m {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// checkReadmeLines: the READMEs show the client ID, the tenant ID and the
// checksum in their commands; a line may change only by those values (r
// replaces each old one with the new).
func checkReadmeLines(t *testing.T, p string, a, b []byte, r *strings.Replacer) {
	t.Helper()
	la, lb := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	if len(la) != len(lb) {
		t.Errorf("%s: %d lines before, %d after", p, len(la), len(lb))
		return
	}
	for i := range la {
		if la[i] != lb[i] && r.Replace(la[i]) != lb[i] {
			t.Errorf("%s:%d changed beyond the value:\n- %s\n+ %s", p, i+1, la[i], lb[i])
		}
	}
}

// checkOneLine: only the line holding marker changed.
func checkOneLine(t *testing.T, p string, a, b []byte, marker string) {
	t.Helper()
	la, lb := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	if len(la) != len(lb) {
		t.Errorf("%s: %d lines before, %d after", p, len(la), len(lb))
		return
	}
	changed := 0
	for i := range la {
		if la[i] != lb[i] {
			changed++
			if !strings.Contains(la[i], marker) {
				t.Errorf("%s:%d changed:\n- %s\n+ %s", p, i+1, la[i], lb[i])
			}
		}
	}
	if changed != 1 {
		t.Errorf("%s: %d lines changed, want the one with %s", p, changed, marker)
	}
}
