package terraform

import (
	"math"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/wigen-dev/wigen/schema"
)

// Values that would be HCL syntax if they were pasted into a quoted
// string: a quote, a backslash, a newline, an interpolation and a directive.
const (
	nastyQuote     = `st"quote`
	nastyBackslash = `back\slash\`
	nastyNewline   = "line1\nline2"
	nastyInterp    = "${var.secret}"
	nastyDirective = "%{if true}yes%{endif}"
	nastyAll       = "a\"b\\c\nd${e}f%{g}h$${i}%%{j}"
)

// escapeSpec is a valid wigen.yaml whose free-form values (backend and
// remote-state config, kubeconfig path and context) hold the nasty values
// (the chart repository cannot: validation refuses '$', '{', '"' and '\'
// there, schema/repository.go; it holds a percent-encoded one); HELM is replaced by a helm provider constraint.
const escapeSpec = `
apiVersion: wigen/v1alpha1
kind: WorkloadIdentity
metadata:
  name: open-webui
spec:
  targets: [terraform]
  chart:
    repository: 'https://example.com/charts/%24%7Bpath.module%7D/'
    version: 7.2.0
    imageTag: v0.6.33
  terraform:
    providers:
      azurerm: "~> 4.65"
      kubernetes: "~> 3.0"
      helm: "HELM"
    backend:
      # cos: a backend whose arguments wigen does not list (backendargs.go),
      # so made-up argument names carry the values to escape.
      type: cos
      config:
        quote: 'st"quote'
        backslash: 'back\slash\'
        newline: "line1\nline2"
        interp: "${var.secret}"
        directive: "%{if true}yes%{endif}"
        all: "a\"b\\c\nd${e}f%{g}h$${i}%%{j}"
        list: ["${var.secret}", "%{if true}yes%{endif}"]
  azureOpenAI:
    accountId: /subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/aoai
    endpoint: https://aoai.openai.azure.com
    deployments: [gpt-4o]
  environments:
    - name: prod
      subscriptionId: 11111111-1111-1111-1111-111111111111
      location: westeurope
      resourceGroup: rg-app
      namespace: app
      serviceAccount: app
      identity:
        name: id-app
      cluster:
        name: aks
        issuer:
          remoteState:
            backend: cos
            config:
              key: "${terraform.workspace}.tfstate"
              all: "a\"b\\c\nd${e}f%{g}h$${i}%%{j}"
              nested:
                "key with ${interp} and \"quotes\"": "%{if true}yes%{endif}"
        kubeconfig:
          path: '/home/${USER}/%{x}/"kube"\config'
          context: 'ctx ${a} %{b} "c" \d'
`

func escapeSpecFor(t *testing.T, helm string) *schema.Spec {
	t.Helper()
	return specFromYAML(t, strings.Replace(escapeSpec, "HELM", helm, 1))
}

// TestUserValuesStayLiteral: every user value comes out as a literal string
// that evaluates, without variables or functions, to exactly the input;
// the only template interpolation in the module is wigen's own
// file("${path.module}/values.yaml"), and there is no template directive.
func TestUserValuesStayLiteral(t *testing.T) {
	for _, helm := range []string{"~> 2.17", ">= 3.1.1, < 4.0.0"} {
		t.Run(helm, func(t *testing.T) {
			s := escapeSpecFor(t, helm)
			files := mustRender(t, s)
			checkFiles(t, s, files)
			m := parseModules(t, files)["prod"]

			backend := nested(m.block(t, "terraform").Body, "backend")
			if len(backend) != 1 {
				t.Fatalf("want one backend block, found %d", len(backend))
			}
			for name, want := range map[string]string{
				"quote": nastyQuote, "backslash": nastyBackslash, "newline": nastyNewline,
				"interp": nastyInterp, "directive": nastyDirective, "all": nastyAll,
			} {
				if got := literalString(t, backend[0].Body, name); got != want {
					t.Errorf("backend %s = %q, want %q", name, got, want)
				}
			}
			list, _ := literal(t, backend[0].Body, "list")
			if !list.RawEquals(cty.TupleVal([]cty.Value{cty.StringVal(nastyInterp), cty.StringVal(nastyDirective)})) {
				t.Errorf("backend list = %#v", list)
			}

			rs := m.block(t, "data", "terraform_remote_state", "aks").Body
			cfg, _ := literal(t, rs, "config")
			wantCfg := cty.ObjectVal(map[string]cty.Value{
				"key": cty.StringVal("${terraform.workspace}.tfstate"),
				"all": cty.StringVal(nastyAll),
				"nested": cty.ObjectVal(map[string]cty.Value{
					`key with ${interp} and "quotes"`: cty.StringVal(nastyDirective),
				}),
			})
			if !cfg.RawEquals(wantCfg) {
				t.Errorf("remote state config = %#v, want %#v", cfg, wantCfg)
			}

			wantPath, wantContext := `/home/${USER}/%{x}/"kube"\config`, `ctx ${a} %{b} "c" \d`
			k8s := m.block(t, "provider", "kubernetes").Body
			if got := literalString(t, k8s, "config_path"); got != wantPath {
				t.Errorf("kubernetes config_path = %q, want %q", got, wantPath)
			}
			if got := literalString(t, k8s, "config_context"); got != wantContext {
				t.Errorf("kubernetes config_context = %q, want %q", got, wantContext)
			}
			hp := m.block(t, "provider", "helm").Body
			var hk cty.Value
			if s.Spec.Terraform.Syntax.HelmV3 {
				hk, _ = literal(t, hp, "kubernetes")
			} else {
				kb := nested(hp, "kubernetes")
				if len(kb) != 1 {
					t.Fatalf("want one kubernetes block in provider helm, found %d", len(kb))
				}
				hk = cty.ObjectVal(map[string]cty.Value{
					"config_path":    cty.StringVal(literalString(t, kb[0].Body, "config_path")),
					"config_context": cty.StringVal(literalString(t, kb[0].Body, "config_context")),
				})
			}
			wantHK := cty.ObjectVal(map[string]cty.Value{"config_path": cty.StringVal(wantPath), "config_context": cty.StringVal(wantContext)})
			if !hk.RawEquals(wantHK) {
				t.Errorf("helm provider kubernetes = %#v, want %#v", hk, wantHK)
			}

			rel := m.block(t, "resource", "helm_release", "this").Body
			if got, want := literalString(t, rel, "repository"), `https://example.com/charts/%24%7Bpath.module%7D/`; got != want {
				t.Errorf("helm_release repository = %q, want %q", got, want)
			}

			// hclwrite writes "${" as "$${" and "%{" as "%%{".
			all := string(m.files[FileVersions]) + string(m.files[FileMain]) + string(m.files[FileProviders])
			for _, want := range []string{`$${var.secret}`, `%%{if true}yes%%{endif}`, `$$${i}`, `%%%{j}`} {
				if !strings.Contains(all, want) {
					t.Errorf("rendered module does not contain %s", want)
				}
			}

			interps := 0
			for name, data := range m.files {
				if !strings.HasSuffix(name, ".tf") {
					continue
				}
				toks, diags := hclsyntax.LexConfig(data, name, hcl.InitialPos)
				if diags.HasErrors() {
					t.Fatalf("%s: %s", name, diags.Error())
				}
				for _, tok := range toks {
					switch tok.Type {
					case hclsyntax.TokenTemplateInterp:
						interps++
						if name != FileMain {
							t.Errorf("%s:%d: template interpolation", name, tok.Range.Start.Line)
						}
					case hclsyntax.TokenTemplateControl:
						t.Errorf("%s:%d: template directive", name, tok.Range.Start.Line)
					}
				}
			}
			if interps != 1 {
				t.Errorf("want exactly one interpolation (the values.yaml path), found %d", interps)
			}
		})
	}
}

// TestEscapedSpecConforms: the escaping spec is also formatted and
// schema-conformant, like the golden cases.
func TestEscapedSpecConforms(t *testing.T) {
	for _, helm := range []string{"~> 2.17", ">= 3.1.1, < 4.0.0"} {
		checkConformance(t, escapeSpecFor(t, helm))
	}
}

// TestRenderRefusesUnwritableBackendConfig: a backend mapping whose key
// is not an identifier cannot be a nested block, and NaN is not a number
// Terraform holds. Validation refuses both at their line (schema tests);
// Render, given such a spec anyway, says so instead of writing broken HCL.
func TestRenderRefusesUnwritableBackendConfig(t *testing.T) {
	for _, tc := range []struct {
		name  string
		value map[string]any
		want  string
	}{
		{"nested key", map[string]any{"workspaces": map[string]any{"not an identifier": "x"}}, `spec.terraform.backend.config.workspaces.not an identifier: not a Terraform argument name`},
		{"nan", map[string]any{"timeout": math.NaN()}, `spec.terraform.backend.config.timeout: NaN is not a number`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := specFromYAML(t, strings.Replace(escapeSpec, "HELM", "~> 2.17", 1))
			for k, v := range tc.value {
				s.Spec.Terraform.Backend.Config[k] = v
			}
			_, err := Render(s)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Render error = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

// TestSetName is Helm's --set key escaping (helm pkg/strvals): a backslash
// before '\', '.', ',', '=' and '[', nothing else touched.
func TestSetName(t *testing.T) {
	for _, tc := range []struct {
		segments []string
		want     string
	}{
		{[]string{"image", "tag"}, `image.tag`},
		{[]string{"serviceAccount", "annotations", "azure.workload.identity/client-id"}, `serviceAccount.annotations.azure\.workload\.identity/client-id`},
		{[]string{"a,b"}, `a\,b`},
		{[]string{"a=b"}, `a\=b`},
		{[]string{"list[0]"}, `list\[0]`},
		{[]string{`back\slash`}, `back\\slash`},
		{[]string{`\.`}, `\\\.`},
		{[]string{"x", "a.b,c=d[e]\\f"}, `x.a\.b\,c\=d\[e]\\f`},
		{[]string{"plain-key_1/ü"}, `plain-key_1/ü`},
		{[]string{""}, ``},
	} {
		if got := SetName(tc.segments...); got != tc.want {
			t.Errorf("SetName(%q) = %q, want %q", tc.segments, got, tc.want)
		}
	}
	// The HCL source doubles each backslash of the set name.
	if ClientIDSetName != `serviceAccount.annotations.azure\.workload\.identity/client-id` {
		t.Errorf("ClientIDSetName = %q", ClientIDSetName)
	}
	// '/' means nothing to the --set parser: no escape in checksum/workload-identity.
	if ChecksumSetName != `podAnnotations.checksum/workload-identity` {
		t.Errorf("ChecksumSetName = %q", ChecksumSetName)
	}
}

// TestSetNameRoundTrip splits an escaped name the way Helm's strvals
// parser reads a key (a backslash makes the next character literal; an
// unescaped '.' separates segments) and gets the segments back.
func TestSetNameRoundTrip(t *testing.T) {
	for _, segs := range [][]string{
		{"serviceAccount", "annotations", "azure.workload.identity/client-id"},
		{"podAnnotations", "checksum/workload-identity"},
		{`a\b`, "c.d", "e,f=g[h]"},
		{`\`, `.`, `,`, `=`, `[`},
	} {
		name := SetName(segs...)
		var got []string
		var cur strings.Builder
		for i := 0; i < len(name); i++ {
			switch name[i] {
			case '\\':
				i++
				cur.WriteByte(name[i])
			case '.':
				got = append(got, cur.String())
				cur.Reset()
			case ',', '=', '[':
				t.Fatalf("%q: unescaped %q would end the key", name, name[i])
			default:
				cur.WriteByte(name[i])
			}
		}
		got = append(got, cur.String())
		if strings.Join(got, "\x00") != strings.Join(segs, "\x00") {
			t.Errorf("SetName(%q) = %q reads back as %q", segs, name, got)
		}
	}
}
