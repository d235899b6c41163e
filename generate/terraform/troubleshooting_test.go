package terraform

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/wigen-dev/wigen/schema"
)

// The tutorial's troubleshooting list, checked on a rendered module
// instead of by eye:
//   - the federated credential's subject matches the namespace and the
//     service account name the pods run as;
//   - Cognitive Services OpenAI User is assigned to the identity, on a
//     scope that includes the Azure OpenAI account;
//   - the service account gets the azure.workload.identity/client-id
//     annotation with the identity's client ID;
//   - the pods carry the label azure.workload.identity/use: "true".

// identityRef is how module m names its identity.
func identityRef(m *tfModule) string {
	if len(m.blocks("resource", "azurerm_user_assigned_identity")) == 0 {
		return "data.azurerm_user_assigned_identity.this"
	}
	return "azurerm_user_assigned_identity.this"
}

// troubleshoot returns every item of the list environment e of s fails in
// the rendered modules mods (by environment): its own module, the module
// that creates its identity's federated identity credentials
// (schema.Spec.CredentialModule) and the modules of the environments
// sharing its identity, one of which assigns its role. A module without
// the release (terraform.release: false) leaves the service account and
// the pod label to another target: only the Azure side is checked.
func troubleshoot(t *testing.T, s *schema.Spec, e *schema.Environment, mods map[string]*tfModule) []string {
	t.Helper()
	var problems []string
	fail := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	m := mods[e.Name]
	if m == nil {
		return nil
	}
	if !e.TerraformRelease() {
		problems = append(problems, azureSide(t, s, e, mods, e.Namespace, e.ServiceAccount)...)
		for _, typ := range []string{"helm_release", "kubernetes_namespace_v1"} {
			if len(m.blocks("resource", typ)) > 0 {
				fail("a module without the release has a %s", typ)
			}
		}
		return problems
	}
	identity := identityRef(m)
	rel := m.block(t, "resource", "helm_release", "this").Body

	// The namespace helm_release installs into, resolved through the
	// kubernetes_namespace_v1 it may reference.
	var namespace string
	if a := rel.Attributes["namespace"]; a == nil {
		fail("helm_release has no namespace")
	} else if v, diags := a.Expr.Value(nil); !diags.HasErrors() {
		namespace = v.AsString()
	} else {
		r := exprReference(t, a.Expr)
		if r != "kubernetes_namespace_v1.this.metadata[0].name" {
			fail("helm_release namespace refers to %s", r)
		} else {
			md := nested(m.block(t, "resource", "kubernetes_namespace_v1", "this").Body, "metadata")
			namespace = literalString(t, md[0].Body, "name")
		}
	}

	// The service account the chart creates and the pods run as.
	sa, _ := m.values["serviceAccount"].(map[string]any)
	saName, _ := sa["name"].(string)
	if saName == "" {
		fail("values.yaml does not name the service account (serviceAccount.name)")
	}
	if sa["enable"] != true {
		fail("values.yaml does not enable the service account (serviceAccount.enable: true)")
	}

	problems = append(problems, azureSide(t, s, e, mods, namespace, saName)...)

	// The client-id annotation: set by helm_release from the identity.
	sets := releaseSets(t, m, rel)
	found := false
	for _, s := range sets {
		if s.name != `serviceAccount.annotations.azure\.workload\.identity/client-id` {
			continue
		}
		found = true
		if s.value != identity+".client_id" {
			fail("client-id annotation is set from %s, not %s.client_id", s.value, identity)
		}
		if s.typ != "string" {
			fail("client-id annotation is set with type %q, want \"string\"", s.typ)
		}
	}
	if !found {
		fail("helm_release does not set serviceAccount.annotations.azure\\.workload\\.identity/client-id")
	}

	// The pod-template checksum, computed from the same client ID, so a new
	// identity rolls the pods (the webhook mutates pods at creation only).
	found = false
	for _, s := range sets {
		if s.name != "podAnnotations.checksum/workload-identity" {
			continue
		}
		found = true
		if want := "sha256(join(\"\\n\", [lower(" + identity + ".client_id), \"" + strings.ToLower(e.TenantID) + "\"]))"; s.value != want {
			fail("checksum/workload-identity is set to %s, want %s", s.value, want)
		}
		if s.typ != "string" {
			fail("checksum/workload-identity is set with type %q, want \"string\"", s.typ)
		}
	}
	if !found {
		fail("helm_release does not set podAnnotations.checksum/workload-identity")
	}
	if ann, ok := sa["annotations"].(map[string]any); ok && ann[schema.AnnotationClientID] != nil {
		fail("values.yaml also sets %s; helm_release owns it", schema.AnnotationClientID)
	}

	// The pod label, a string: a YAML boolean is refused by the API server
	// and never matches the webhook's objectSelector.
	labels, _ := m.values["podLabels"].(map[string]any)
	if v, ok := labels[schema.LabelUse].(string); !ok || v != schema.LabelUseValue {
		fail("values.yaml podLabels[%q] is %#v, want the string %q", schema.LabelUse, labels[schema.LabelUse], schema.LabelUseValue)
	}
	return problems
}

// azureSide checks the Azure side of environment e: a federated identity
// credential for system:serviceaccount:<namespace>:<serviceAccount> in the
// module that creates the identity's credentials, every credential there
// on the identity with the one audience, and the data-plane role on (a
// scope including) the Azure OpenAI account in the module of one of the
// environments using the identity.
func azureSide(t *testing.T, s *schema.Spec, e *schema.Environment, mods map[string]*tfModule, namespace, saName string) []string {
	t.Helper()
	var problems []string
	fail := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	owner := s.CredentialModule(e)
	if owner == nil || mods[owner.Name] == nil {
		return []string{"no module creates the federated identity credentials"}
	}
	cm := mods[owner.Name]
	creds := cm.blocks("resource", "azurerm_federated_identity_credential")
	want := schema.Subject(namespace, saName)
	found := false
	for _, c := range creds {
		found = found || literalString(t, c.Body, "subject") == want
	}
	if !found {
		fail("no federated identity credential for subject %q (namespace %q, service account %q) in the module of %s", want, namespace, saName, owner.Name)
	}
	for _, c := range creds {
		aud, _ := literal(t, c.Body, "audience")
		if !aud.RawEquals(cty.TupleVal([]cty.Value{cty.StringVal(schema.Audience)})) {
			fail("%s: audience is %#v, want [%q]", c.Labels[1], aud, schema.Audience)
		}
		idAttr := "user_assigned_identity_id"
		if _, ok := c.Body.Attributes["parent_id"]; ok {
			idAttr = "parent_id"
		}
		if r := reference(t, c.Body, idAttr); r != identityRef(cm)+".id" {
			fail("%s: %s refers to %s, not the identity", c.Labels[1], idAttr, r)
		}
	}

	// The data-plane role on (a scope including) each Azure OpenAI account.
	for _, a := range e.AzureOpenAI {
		account := a.AccountID
		assigned := false
		for _, j := range e.IdentityEnvironments {
			rm := mods[s.Spec.Environments[j].Name]
			if rm == nil {
				continue
			}
			for _, r := range rm.blocks("resource", "azurerm_role_assignment") {
				name, _ := literal(t, r.Body, "role_definition_name")
				id, _ := literal(t, r.Body, "role_definition_id")
				isUser := (!name.IsNull() && name.AsString() == schema.RoleOpenAIUser) ||
					(!id.IsNull() && strings.HasSuffix(strings.ToLower(id.AsString()), schema.RoleOpenAIUserID))
				scope := strings.ToLower(literalString(t, r.Body, "scope"))
				covers := scope == strings.ToLower(account) || strings.HasPrefix(strings.ToLower(account), strings.TrimSuffix(scope, "/")+"/")
				if isUser && covers && reference(t, r.Body, "principal_id") == identityRef(rm)+".principal_id" {
					assigned = true
				}
			}
		}
		if !assigned {
			fail("no %q role assignment for the identity on a scope including %s", schema.RoleOpenAIUser, account)
		}
	}
	return problems
}

// releaseSet is one set entry of helm_release, in either syntax; value is
// the expression's source text, as terraform fmt writes it.
type releaseSet struct {
	name, value, typ string
	expr             hclsyntax.Expression
}

// releaseSets reads set {} blocks (helm provider 2.x) or set = [{...}] (3.x)
// of the module m's helm_release.
func releaseSets(t *testing.T, m *tfModule, rel *hclsyntax.Body) []releaseSet {
	t.Helper()
	src := m.files[FileMain]
	text := func(e hclsyntax.Expression) string {
		r := e.Range()
		return string(src[r.Start.Byte:r.End.Byte])
	}
	var out []releaseSet
	for _, b := range nested(rel, "set") {
		typ, _ := literal(t, b.Body, "type")
		v := b.Body.Attributes["value"].Expr
		out = append(out, releaseSet{literalString(t, b.Body, "name"), text(v), typ.AsString(), v})
	}
	if a, ok := rel.Attributes["set"]; ok {
		tup, ok := a.Expr.(*hclsyntax.TupleConsExpr)
		if !ok {
			t.Fatalf("helm_release set is not a list")
		}
		for _, e := range tup.Exprs {
			it := objectItems(t, e)
			out = append(out, releaseSet{exprLiteral(t, it["name"]).AsString(), text(it["value"]), exprLiteral(t, it["type"]).AsString(), it["value"]})
		}
	}
	return out
}

func TestTroubleshootingTutorial(t *testing.T) {
	s := goldenSpec(t, "open-webui-aks")
	m := parseModules(t, mustRender(t, s))["prod"]
	for _, p := range troubleshoot(t, s, &s.Spec.Environments[0], map[string]*tfModule{"prod": m}) {
		t.Error(p)
	}
}

func TestTroubleshootingAllGolden(t *testing.T) {
	for name := range goldenInputs(t) {
		t.Run(name, func(t *testing.T) {
			s := goldenSpec(t, name)
			mods := parseModules(t, mustRender(t, s))
			for i := range s.Spec.Environments {
				e := &s.Spec.Environments[i]
				for _, p := range troubleshoot(t, s, e, mods) {
					t.Errorf("%s: %s", e.Name, p)
				}
			}
		})
	}
}

// TestTroubleshootingCatchesMistakes breaks one item at a time in the
// parsed tutorial module (or the environment it is checked against) and
// expects the check to say so.
func TestTroubleshootingCatchesMistakes(t *testing.T) {
	s := goldenSpec(t, "open-webui-aks")
	for _, tc := range []struct {
		name   string
		mutate func(m *tfModule, e *schema.Environment)
		want   string
	}{
		{"service account renamed", func(m *tfModule, _ *schema.Environment) {
			m.values["serviceAccount"].(map[string]any)["name"] = "other"
		}, "no federated identity credential for subject"},
		{"label is a boolean", func(m *tfModule, _ *schema.Environment) {
			m.values["podLabels"].(map[string]any)[schema.LabelUse] = true
		}, "want the string"},
		{"client-id annotation in values", func(m *tfModule, _ *schema.Environment) {
			m.values["serviceAccount"].(map[string]any)["annotations"] = map[string]any{schema.AnnotationClientID: "x"}
		}, "helm_release owns it"},
		{"role on another account", func(_ *tfModule, e *schema.Environment) {
			e.AzureOpenAI[0].AccountID = "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-other/providers/Microsoft.CognitiveServices/accounts/other"
		}, "role assignment"},
		{"no role on a second account", func(_ *tfModule, e *schema.Environment) {
			second := e.AzureOpenAI[0]
			second.AccountID = "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-other/providers/Microsoft.CognitiveServices/accounts/second"
			e.AzureOpenAI = append(e.AzureOpenAI, second)
		}, "accounts/second"},
		{"checksum from another identity", func(m *tfModule, _ *schema.Environment) {
			renameInRelease(t, m, "azurerm_user_assigned_identity.this.client_id)", "azurerm_user_assigned_identity.other.client_id)")
		}, "checksum/workload-identity is set to"},
		{"checksum not set", func(m *tfModule, _ *schema.Environment) {
			renameInRelease(t, m, "podAnnotations.checksum/workload-identity", "podAnnotations.other")
		}, "does not set podAnnotations.checksum/workload-identity"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := s.Spec.Environments[0]
			e.AzureOpenAI = append(schema.AzureOpenAIAccounts(nil), e.AzureOpenAI...)
			m := parseModules(t, mustRender(t, s))["prod"]
			tc.mutate(m, &e)
			got := strings.Join(troubleshoot(t, s, &e, map[string]*tfModule{"prod": m}), "\n")
			if !strings.Contains(got, tc.want) {
				t.Errorf("problems %q do not mention %q", got, tc.want)
			}
		})
	}
}

// renameInRelease replaces old with repl in the module's main.tf (once,
// failing when it is not there) and parses the file again.
func renameInRelease(t *testing.T, m *tfModule, old, repl string) {
	t.Helper()
	src := string(m.files[FileMain])
	if !strings.Contains(src, old) {
		t.Fatalf("main.tf does not contain %q", old)
	}
	src = strings.Replace(src, old, repl, 1)
	hf, diags := hclsyntax.ParseConfig([]byte(src), FileMain, hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("main.tf does not parse after the edit: %s", diags.Error())
	}
	m.files[FileMain] = []byte(src)
	m.bodies[FileMain] = hf.Body.(*hclsyntax.Body)
}
