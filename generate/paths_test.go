package generate

import (
	"path"
	"strings"
	"testing"

	"github.com/wigen-dev/wigen/schema"
)

// TestOutputPaths: validation limits spec.output (schema.MaxOutputLen,
// folder names of schema.MaxNameLen) and environment names (DNS-1123
// labels of 63 bytes, never a name Windows cannot hold); every other part
// of every path wigen writes is fixed. So with the longest spec.output and
// environment name validation accepts, every file of every target (Argo CD
// and Flux included) has names a file system and a Windows checkout hold,
// and its path leaves more than half of PATH_MAX for the folder the input
// is in.
func TestOutputPaths(t *testing.T) {
	// Flux's HelmRelease is named <metadata.name>-<environment> and that
	// name is a label value (at most 63): with metadata.name open-webui,
	// the longest environment name a flux environment takes is 52.
	for _, tc := range []struct {
		env     string
		targets []string
	}{
		{"e" + strings.Repeat("n", 61) + "v", []string{"terraform", "helm", "kustomize", "argocd"}}, // 63 bytes
		{"e" + strings.Repeat("n", 50) + "v", []string{"terraform", "flux"}},                        // 52 bytes
	} {
		t.Run(strings.Join(tc.targets, ","), func(t *testing.T) { checkOutputPaths(t, tc.env, tc.targets) })
	}
}

func checkOutputPaths(t *testing.T, env string, want []string) {
	seg := strings.Repeat("o", schema.MaxNameLen)
	out := strings.Join([]string{seg, seg, seg, seg[1:], "o"}, "/") // 1024 bytes
	doc := strings.NewReplacer(
		"  targets: TARGETS\n", "  output: "+out+"\n  targets: ["+strings.Join(want, ", ")+"]\n",
		"    - name: prod\n", "    - name: "+env+"\n      adopt: {from: tutorial}\n",
		"        name: aks-prod\n", "        name: aks-prod\n        federatedCredentialName: federated-identity\n",
	).Replace(input)
	s, err := schema.LoadBytes("wigen.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Spec.Output) != schema.MaxOutputLen {
		t.Fatalf("spec.output is %d bytes, want %d", len(s.Spec.Output), schema.MaxOutputLen)
	}
	r, err := Render(s)
	if err != nil {
		t.Fatal(err)
	}
	targets := map[string]bool{}
	for _, f := range r.Files {
		if !strings.Contains(f.Path, env) {
			continue
		}
		targets[strings.SplitN(f.Path, "/", 2)[0]] = true
		full := path.Join(s.Spec.Output, f.Path)
		if len(full) > schema.MaxPathLen/2 {
			t.Errorf("%s...: %d bytes, more than half of PATH_MAX (%d)", f.Path, len(full), schema.MaxPathLen)
		}
		for _, c := range strings.Split(f.Path, "/") {
			if len(c) > schema.MaxNameLen {
				t.Errorf("%s: %q is %d bytes, more than NAME_MAX (%d)", f.Path, c, len(c), schema.MaxNameLen)
			}
			if msg := schema.WindowsName(c); msg != "" {
				t.Errorf("%s: %q %s", f.Path, c, msg)
			}
		}
	}
	for _, want := range append([]string{"environments"}, want...) {
		if !targets[want] {
			t.Errorf("no file under %s/ for environment %s: the test does not cover it", want, env)
		}
	}
}
