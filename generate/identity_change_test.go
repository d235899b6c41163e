package generate

import (
	"fmt"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/yaml"

	"github.com/wigen-dev/wigen/generate/argocd"
	"github.com/wigen-dev/wigen/generate/flux"
	"github.com/wigen-dev/wigen/generate/helm"
	"github.com/wigen-dev/wigen/generate/kustomize"
	"github.com/wigen-dev/wigen/generate/terraform"
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
// evaluate it), so it must not change with it. A client ID written once
// applies to every environment sharing the identity: the change must reach
// each of them, in every path (the Helm values, the overlay's patches, the
// values inline in the Argo CD Application and the Flux HelmRelease), and
// no environment of another identity.

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

// renderFiles renders s and returns its files by path.
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
	// envs are the environments the edit applies to: those of the
	// identity, when a client ID written once applies to every
	// environment sharing the identity (issue 14).
	envs map[string]bool
	// allowed are the leaf paths that may change in each kind of output:
	// the values (the standalone Helm values, and the same under the
	// inline values of the Argo CD Application and the Flux HelmRelease),
	// the overlay's service account and workload patches, and the
	// Terraform module's values.
	values, serviceAccount, workload, terraformValues []string
	// terraformLine, when set, is the one main.tf line allowed to change.
	terraformLine string
}

// Where the inline values sit in the GitOps files (argocd.Application,
// flux.HelmRelease).
const (
	argocdValues = "spec.source.helm.valuesObject."
	fluxValues   = "spec.values."
)

// prefixed returns paths, each after prefix.
func prefixed(prefix string, paths []string) []string {
	out := make([]string, len(paths))
	for i, p := range paths {
		out[i] = prefix + p
	}
	return out
}

// envOfPath returns the environment whose output p (relative to the
// output root) is, or "" for a file of no one environment (the root
// README).
func envOfPath(p string) string {
	parts := strings.Split(p, "/")
	switch {
	case len(parts) >= 3 && parts[0] == "kustomize" && parts[1] == "overlays":
		return parts[2]
	case len(parts) >= 3:
		return parts[1]
	}
	return ""
}

func TestIdentityChangeChangesOnlyItsAnnotations(t *testing.T) {
	cases, err := filepath.Glob(filepath.Join("..", "golden", "*", schema.DefaultFile))
	if err != nil || len(cases) == 0 {
		t.Fatalf("no golden cases: %v", err)
	}
	checked, shared, gitops := 0, 0, 0
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
		var changes []identityChange
		seen := map[string]bool{}
		for i := range s.Spec.Environments {
			e := &s.Spec.Environments[i]
			if e.Identity == nil || e.Identity.ClientID == "" || seen[e.Identity.ClientID] || strings.Count(src, "clientId: "+e.Identity.ClientID) != 1 {
				continue // no client ID, or one this test cannot edit alone
			}
			seen[e.Identity.ClientID] = true
			envs := map[string]bool{}
			for j := range s.Spec.Environments {
				if o := &s.Spec.Environments[j]; o.Identity != nil && strings.EqualFold(o.Identity.ClientID, e.Identity.ClientID) {
					envs[o.Name] = true
				}
			}
			changes = append(changes, identityChange{
				name: e.Name + "/client ID", old: "clientId: " + e.Identity.ClientID, new: "clientId: 99999999-8888-7777-6666-555555555555", envs: envs,
				values: []string{pathChecksum, pathClientID}, serviceAccount: []string{patchClientID}, workload: []string{patchChecksum},
			})
			if e.TenantID != "" && strings.Count(src, "tenantId: "+e.TenantID) == 1 && len(s.Spec.Environments) == 1 {
				changes = append(changes, identityChange{
					name: e.Name + "/tenant ID", old: "tenantId: " + e.TenantID, new: "tenantId: 77777777-6666-5555-4444-333333333333", envs: envs,
					values: []string{pathChecksum, pathTenantID}, serviceAccount: []string{patchTenantID}, workload: []string{patchChecksum},
					terraformValues: []string{pathTenantID},
					terraformLine:   "sha256(join(",
				})
			}
		}
		for _, ch := range changes {
			t.Run(filepath.Base(filepath.Dir(file))+"/"+ch.name, func(t *testing.T) {
				checked++
				if len(ch.envs) > 1 {
					shared++
				}
				s2, err := schema.LoadBytes(schema.DefaultFile, []byte(strings.Replace(src, ch.old, ch.new, 1)))
				if err != nil {
					t.Fatal(err)
				}
				before, after := renderFiles(t, s), renderFiles(t, s2)
				if diff := cmp.Diff(slices.Sorted(maps.Keys(before)), slices.Sorted(maps.Keys(after))); diff != "" {
					t.Fatalf("the set of files changed (-before +after):\n%s", diff)
				}
				oldValue, newValue := strings.TrimSpace(strings.SplitN(ch.old, ":", 2)[1]), strings.TrimSpace(strings.SplitN(ch.new, ":", 2)[1])
				// The READMEs show the client ID, the tenant ID and each
				// affected environment's checksum.
				pairs := []string{oldValue, newValue}
				for j := range s.Spec.Environments {
					e, e2 := &s.Spec.Environments[j], &s2.Spec.Environments[j]
					if ch.envs[e.Name] && e.Identity != nil && e.Identity.ClientID != "" {
						pairs = append(pairs, schema.WorkloadIdentityChecksum(e.Identity.ClientID, e.TenantID), schema.WorkloadIdentityChecksum(e2.Identity.ClientID, e2.TenantID))
					}
				}
				readme := strings.NewReplacer(pairs...)
				rolls := map[string]int{} // by environment: outputs that roll its pods
				for p, a := range before {
					b := after[p]
					env := envOfPath(p)
					var allowed []string
					switch {
					case path.Ext(p) == ".md":
						checkReadmeLines(t, p, a, b, readme)
						continue
					case !ch.envs[env]:
						// another identity's environment, or no one's
					case p == helm.StandalonePath(env):
						allowed = ch.values
						rolls[env]++
					case p == argocd.Path(env):
						allowed = prefixed(argocdValues, ch.values)
						rolls[env]++
						gitops++
					case p == flux.Dir(env)+"/"+flux.HelmReleaseFile:
						allowed = prefixed(fluxValues, ch.values)
						rolls[env]++
						gitops++
					case p == terraform.Dir(env)+"/"+terraform.FileValues:
						allowed = ch.terraformValues
					case p == kustomize.OverlayDir(env)+"/"+kustomize.ServiceAccountFile:
						allowed = ch.serviceAccount
					case p == kustomize.OverlayDir(env)+"/"+kustomize.WorkloadFile:
						allowed = ch.workload
						rolls[env]++
					case p == terraform.Dir(env)+"/"+terraform.FileMain && ch.terraformLine != "":
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
				// Every environment of the identity whose outputs carry the
				// client ID rolls its pods, not only the one it is written in.
				for j := range s.Spec.Environments {
					e := &s.Spec.Environments[j]
					if !ch.envs[e.Name] {
						continue
					}
					want := 0
					for _, target := range []string{schema.TargetHelm, schema.TargetKustomize, schema.TargetArgoCD, schema.TargetFlux} {
						if e.HasTarget(target) {
							want++
						}
					}
					if rolls[e.Name] != want {
						t.Errorf("%s: %d outputs roll the pods, want %d (one per target of helm, kustomize, argocd, flux)", e.Name, rolls[e.Name], want)
					}
				}
			})
		}
	}
	if checked < 6 || shared == 0 || gitops == 0 {
		t.Errorf("%d changes checked, %d of a shared identity, %d GitOps files: want at least 6, one, one", checked, shared, gitops)
	}
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
