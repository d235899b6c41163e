package schema

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func TestQuote(t *testing.T) {
	for in, want := range map[string]string{
		"plain":               `"plain"`,
		"a\nb":                `"a\nb"`,
		"nul\x00":             `"nul\x00"`,
		"rlo\u202eevil":       `"rlo\u202eevil"`,
		"lrm\u200e":           `"lrm\u200e"`,
		"isolate\u2066x":      `"isolate\u2066x"`,
		"zwsp\u200b":          `"zwsp\u200b"`,
		"nbsp\u00a0":          `"nbsp\u00a0"`,
		"line\u2028sep":       `"line\u2028sep"`,
		"bad\xff":             `"bad\xff"`,
		"quote\" back\\":      `"quote\" back\\"`,
		"grüße 東京":            `"grüße 東京"`,
		"tab\tand\rcr\x7fdel": `"tab\tand\rcr\x7fdel"`,
	} {
		if got := Quote(in); got != want {
			t.Errorf("Quote(%q) = %s, want %s", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"did not find expected key":  "did not find expected key",
		"Malformed constraint: 1\n0": `Malformed constraint: 1\n0`,
		"with \"quotes\" and \u202e": `with "quotes" and \u202e`,
		"C:\\path":                   `C:\path`,
		"bad \xfe byte":              `bad \xfe byte`,
		"":                           "",
	} {
		if got := EscapeText(in); got != want {
			t.Errorf("EscapeText(%q) = %s, want %s", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"wigen.yaml":            "wigen.yaml",
		"dir with space/w.yaml": "dir with space/w.yaml",
		"a\nb.yaml":             `"a\nb.yaml"`,
	} {
		if got := Name(in); got != want {
			t.Errorf("Name(%q) = %s, want %s", in, got, want)
		}
	}
}

// Every user value in every message is quoted by Quote, and parser text
// embedded in a message is escaped: a newline, NUL or bidirectional
// override anywhere in the input never breaks the one-line
// FILE:LINE:COL: path: message format.
func TestMessagesStayOnOneLine(t *testing.T) {
	const sa = "      serviceAccount: open-webui\n"
	bad := []string{"\n", "\x00", "\u202e", "\r", "\u2028", "\x1b[31m"}
	fields := []struct{ old, new string }{
		{"spec:\n", "spec:\n  terraform:\n    requiredVersion: \">= 1.5\x00\"\n"},
		{"spec:\n", "spec:\n  terraform:\n    requiredVersion: \"BAD\"\n    providers:\n      azurerm: \"BAD\"\n      helm: \"BAD\"\n      kubernetes: \"BAD\"\n"},
		{"name: prod\n", "name: \"BAD\"\n"},
		{"namespace: open-webui\n", "namespace: \"BAD\"\n"},
		{"serviceAccount: open-webui\n", "serviceAccount: \"BAD\"\n"},
		{"location: westeurope\n", "location: \"BAD\"\n"},
		{"resourceGroup: rg-app\n", "resourceGroup: \"BAD\"\n"},
		{"subscriptionId: 11111111-1111-1111-1111-111111111111\n", "subscriptionId: \"BAD\"\n      tenantId: \"BAD\"\n"},
		{"fromCluster: true\n", "url: \"https://BAD/\"\n        kubeconfig: {path: \"BAD\", context: \"BAD\"}\n"},
		{"    deployments: [gpt-4o]\n", "    deployments: [gpt-4o]\n  roles: [{role: \"BAD\", scope: \"BAD\"}]\n"},
		{"accountId: /subscriptions/", "accountId: /subscriptions/BAD"},
		{"name: id-app\n", "name: \"BAD\"\n"},
		{"name: aks-prod\n", "name: \"BAD\"\n"},
		{"version: 7.2.0\n", "version: \"BAD\"\n"},
		{"imageTag: v0.6.33\n", "imageTag: \"BAD\"\n"},
		{"endpoint: https://aoai.openai.azure.com\n", "endpoint: \"BAD\"\n"},
		{"deployments: [gpt-4o]\n", "deployments: [\"BAD\"]\n"},
		{"spec:\n", "spec:\n  \"BAD\": 1\n"},
		{"spec:\n", "spec:\n  output: \"BAD\"\n"},
		{"spec:\n", "spec:\n  chart:\n    repository: \"BAD\"\n"},
		{"spec:\n", "spec:\n  terraform:\n    backend:\n      type: \"BAD\"\n      config:\n        \"BAD\": 1\n"},
		// The fields of adoption, targets, GitOps, other subscriptions and
		// chart values (issues 11 and 14).
		{sa, sa + "      adopt:\n        addresses:\n          namespace: \"BAD\"\n          identity: \"BAD\"\n          release: \"BAD\"\n          federatedCredentials: {\"BAD\": \"BAD\", aks-prod: \"BAD\"}\n          roleAssignments: {\"BAD\": \"BAD\"}\n"},
		{sa, sa + "      adopt:\n        addresses:\n          identity: \"data.BAD\"\n          namespace: \"azurerm_user_assigned_identity.BAD\"\n          release: \"helm_release.x[\\\"BAD\\\"]\"\n"},
		{sa, sa + "      roles: [{role: Cognitive Services OpenAI User, scope: \"/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/BAD\"}]\n      adopt:\n        import: true\n"},
		{sa, sa + "      roles: [{role: Cognitive Services OpenAI User, scope: \"/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/BAD\"}]\n      adopt:\n        import: true\n        roleAssignmentIds: {\"Cognitive Services OpenAI User\": \"/subscriptions/BAD/providers/Microsoft.Authorization/roleAssignments/BAD\", \"BAD\": \"BAD\"}\n"},
		{"metadata:\n  name: open-webui\n", "metadata:\n  name: \"BAD\"\n"},
		{sa, sa + "      adopt:\n        from: tutorial\n"},
		{"    imageTag: v0.6.33\n", "    imageTag: v0.6.33\n    keepPersistentVolumeClaim: false\n    values: {fullnameOverride: \"BAD\"}\n"},
		{sa, sa + "      targets: [\"BAD\", helm, helm]\n"},
		{sa, sa + "      targets: [argocd]\n      argocd:\n        namespace: \"BAD\"\n        project: \"BAD\"\n        destination: {server: \"BAD\"}\n"},
		{sa, sa + "      targets: [argocd]\n      argocd:\n        destination: {name: \" BAD\"}\n"},
		{sa, sa + "      targets: [flux]\n      flux:\n        namespace: \"BAD\"\n        interval: \"BAD\"\n"},
		{"        resourceGroup: rg-aks\n", "        resourceGroup: rg-aks\n        subscriptionId: \"BAD\"\n        federatedCredentialName: \"BAD\"\n"},
		{sa, sa + "      additionalFederations:\n        - name: \"BAD\"\n          namespace: jobs\n          credentialName: \"BAD\"\n          issuer: {fromCluster: true}\n"},
		{sa, sa + "      chart:\n        version: \"BAD\"\n        values:\n          \"BAD\": {\"BAD\": .inf}\n          podAnnotations: {\"azure.workload.identity/BAD\": \"1\", \"BAD\": 1}\n          persistence: {existingClaim: \"BAD\", annotations: {\"BAD\": 1}}\n"},
		{"    imageTag: v0.6.33\n", "    imageTag: v0.6.33\n    values:\n      \"BAD\": {\"BAD\": 1e400}\n      serviceAccount: {\"BAD\": 1}\n      podAnnotations: {\"azure.workload.identity/BAD\": \"1\"}\n      extraEnvVars: [{name: \"BAD\", value: \"BAD\"}]\n"},
		{"spec:\n", "spec:\n  terraform:\n    release: false\n    requiredVersion: \">= 1.0, BAD\"\n"},
		{"spec:\n", "spec:\n  defaults:\n    adopt:\n      addresses: {identity: \"BAD\"}\n    chart:\n      values: {\"BAD\": 1}\n"},
		// Several Azure OpenAI accounts and spec.openWebUI (issue 15): a
		// prefixId, the rules across a list of accounts (one endpoint twice,
		// one model ID twice, a deployment holding the prefix, ';' in an
		// endpoint, an endpoint naming another account), the role coverage
		// per account, the keys of adoption on several accounts, and the
		// openWebUI fields and the env they own.
		{"    deployments: [gpt-4o]\n", "    deployments: [gpt-4o]\n    prefixId: \"BAD\"\n"},
		{"    deployments: [gpt-4o]\n", "    deployments: [gpt-4o]\n  defaults:\n    azureOpenAI:\n" +
			"      - {accountId: /subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/aoai, endpoint: \"https://BAD.openai.azure.com\", deployments: [\"BAD\"], prefixId: p}\n" +
			"      - {accountId: /subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/aoai-2, endpoint: \"https://BAD.openai.azure.com/\", deployments: [\"BAD\", \"p.BAD\"], prefixId: p}\n" +
			"      - {accountId: /subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/aoai-3, endpoint: \"https://aoai-3.openai.azure.com/BAD;\", deployments: [\"BAD\"]}\n"},
		{"    deployments: [gpt-4o]\n", "    deployments: [gpt-4o]\n  roles: [{role: Reader, scope: /subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/aoai}]\n  defaults:\n    identity: {name: \"BAD\"}\n"},
		{sa, sa + "      azureOpenAI:\n        - {accountId: /subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/aoai, endpoint: https://aoai.openai.azure.com, deployments: [gpt-4o]}\n        - {accountId: /subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/aoai-b, endpoint: https://aoai-b.openai.azure.com, deployments: [o3], prefixId: b}\n      adopt:\n        import: true\n        roleAssignmentIds: {\"Cognitive Services OpenAI User\": \"BAD\", \"BAD\": \"BAD\"}\n"},
		{sa, sa + "      azureOpenAI:\n        - {accountId: /subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/aoai, endpoint: https://aoai.openai.azure.com, deployments: [gpt-4o]}\n        - {accountId: /subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/aoai-b, endpoint: https://aoai-b.openai.azure.com, deployments: [o3], prefixId: b}\n      adopt:\n        addresses:\n          roleAssignments: {\"Cognitive Services OpenAI User\": \"BAD\", \"BAD\": azurerm_role_assignment.x}\n"},
		{"spec:\n", "spec:\n  openWebUI:\n    modelAccess: \"BAD\"\n    persistentConfig: false\n"},
		{"    imageTag: v0.6.33\n", "    imageTag: v0.6.33\n    values:\n      podAnnotations: {checksum/workload-identity: \"BAD\"}\n      extraEnvVars: [{name: BYPASS_MODEL_ACCESS_CONTROL, value: \"BAD\"}, {name: ENABLE_PERSISTENT_CONFIG, value: \"BAD\"}]\n"},
	}
	for _, b := range bad {
		esc := strings.ReplaceAll(strings.ReplaceAll(strings.ReplaceAll(b, "\n", `\n`), "\r", `\r`), "\x1b", `\x1b`)
		esc = strings.ReplaceAll(strings.ReplaceAll(strings.ReplaceAll(esc, "\x00", `\x00`), "\u202e", `\u202e`), "\u2028", `\u2028`)
		for _, f := range fields {
			if !strings.Contains(validDoc, f.old) {
				t.Fatalf("%q is not in validDoc", f.old)
			}
			doc := strings.Replace(validDoc, f.old, strings.ReplaceAll(f.new, "BAD", "v"+esc+"x"), 1)
			s, err := LoadBytes("wigen.yaml", []byte(doc))
			var ds Diagnostics
			if err == nil {
				if len(s.Warnings) == 0 {
					t.Errorf("%q in %q: accepted", b, f.new)
				}
				ds = s.Warnings
			} else {
				ds = err.(Diagnostics)
			}
			for _, d := range ds {
				line := d.String()
				for _, r := range line {
					if r == '\n' || r == '\r' || r == 0 || r == 0x1b || r == '\u202e' || r == '\u2028' || !utf8.ValidRune(r) {
						t.Errorf("%q in %q: message holds %q raw: %s", b, f.new, r, line)
						break
					}
				}
			}
		}
	}
}

// YAML syntax errors name the line (and column, where known) at fault, in
// words a person can act on.
func TestYAMLErrorMessages(t *testing.T) {
	for _, tt := range []struct{ doc, want string }{
		{"apiVersion: wigen/v1alpha1\nkind: WorkloadIdentity\nmetadata:\n\tname: x\n", "wigen.yaml:4:1: invalid YAML: tabs are not allowed in YAML indentation; indent with spaces"},
		{"a:\n  b:\n  \tc: 1\n", "wigen.yaml:3:3: invalid YAML: tabs are not allowed in YAML indentation; indent with spaces"},
		{"a: 1\nb: caf\xe9\n", "wigen.yaml:2:7: invalid YAML: byte 0xE9 is not UTF-8 text; YAML files are UTF-8: save the file as UTF-8"},
		{"a: 1\nb: x\x01y\n", `wigen.yaml:2:5: invalid YAML: the control character "\x01" is not allowed in YAML; remove it`},
		{"a: 1\nb: @x\n", `wigen.yaml:2:4: invalid YAML: "@" cannot start a plain YAML value (it is reserved); quote the value`},
		{"a:\n  b: [1, 2\n  c: 3\n", "wigen.yaml:2:6: invalid YAML: did not find expected ',' or ']'"},
		{"spec: [\n", "wigen.yaml:1:7: invalid YAML: did not find expected node content"},
		// The line and the column of the character at fault, where the
		// YAML library gives a line only (or none, or the block's).
		{"a:\n  b: 1\n\t  c: 2\n", "wigen.yaml:3:1: invalid YAML: tabs are not allowed in YAML indentation; indent with spaces"},
		{"key: value\n\tother: 1\n", "wigen.yaml:2:1: invalid YAML: tabs are not allowed in YAML indentation; indent with spaces"},
		{"a: |\n  x\n\ty\n", "wigen.yaml:3:1: invalid YAML: tabs are not allowed in YAML indentation; indent with spaces"},
		{"a: b: c\n", "wigen.yaml:1:5: invalid YAML: mapping values are not allowed in this context"},
		{"x: 1\na: 'q: r': c\n", "wigen.yaml:2:10: invalid YAML: mapping values are not allowed in this context"},
		{"a:\n  b: c: d\n", "wigen.yaml:2:7: invalid YAML: mapping values are not allowed in this context"},
		{"a: b\n  c: d\n", "wigen.yaml:2:4: invalid YAML: mapping values are not allowed in this context"},
		{"a: @x\n", `wigen.yaml:1:4: invalid YAML: "@" cannot start a plain YAML value (it is reserved); quote the value`},
		{"a:\n  b: 1\n c: 2\n", "wigen.yaml:3:2: invalid YAML: did not find expected key"},
		{"a:\n  b: 1\n  - c\n", "wigen.yaml:3:3: invalid YAML: did not find expected key"},
		{"a:\n  - b\n  c: 1\n", "wigen.yaml:3:3: invalid YAML: did not find expected '-' indicator"},
		{"a: [1, 2\nb: 3\n", "wigen.yaml:1:4: invalid YAML: did not find expected ',' or ']'"},
		{"a: {b: 1\n", "wigen.yaml:1:4: invalid YAML: did not find expected ',' or '}'"},
		{"x: 1\ny: 'x\n", "wigen.yaml:2:4: invalid YAML: found unexpected end of stream"},
		{"x: 1\ny: \"a\\qb\"\n", "wigen.yaml:2:6: invalid YAML: found unknown escape character"},
		{"a: 1\n[b\n", "wigen.yaml:2:1: invalid YAML: could not find expected ':'"},
	} {
		if got := diagnostics(t, tt.doc); len(got) != 1 || got[0] != tt.want {
			t.Errorf("%q:\n got %q\nwant %q", tt.doc, got, tt.want)
		}
	}
}

func TestYAMLErrorLines(t *testing.T) {
	// The parser's lines count from 0, the scanner's from 1.
	for _, tt := range []struct {
		text string
		line int
	}{
		{"yaml: line 3: did not find expected key", 4},
		{"yaml: line 3: mapping values are not allowed in this context", 3},
		{"error converting YAML to JSON: yaml: line 1: did not find expected node content", 2},
		{"yaml: did not find expected node content", 1},
	} {
		line, _, _ := YAMLError([]byte("a\nb\nc\nd\ne\n"), tt.text)
		if diff := cmp.Diff(tt.line, line); diff != "" {
			t.Errorf("%s: line (-want +got): %s", tt.text, diff)
		}
	}
}

// The input's file name goes into the first line of every rendered file:
// one that would break that line (a newline) or end the Markdown comment
// holding it ("-->") is refused.
func TestSourceName(t *testing.T) {
	for name, want := range map[string]string{
		"a\nb.yaml":      `"a\nb.yaml": the input's file name holds the control character "\n"`,
		"x-->y.yaml":     `x-->y.yaml: the input's file name holds "-->"`,
		"rlo\u202e.yaml": `"rlo\u202e.yaml": the input's file name holds the bidirectional control "\u202e"`,
	} {
		_, err := LoadBytes(name, []byte(validDoc))
		if err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("LoadBytes(%q): %v, want %s...", name, err, want)
		}
	}
	if _, err := LoadBytes("my infra--prod.yaml", []byte(validDoc)); err != nil {
		t.Errorf("a name with a space and '--': %v", err)
	}
}
