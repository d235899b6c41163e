package terraform

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/wigen-dev/wigen/generate/helm"
	"github.com/wigen-dev/wigen/schema"
)

// The checksum/workload-identity annotation: the Terraform module computes
// it from the identity's client ID with checksumExpr, the Helm values and
// the Kustomize overlay carry it from identity.clientId
// (schema.WorkloadIdentityChecksum through helm.PodAnnotations). These
// tests evaluate the rendered Terraform expression and check it gives the
// static value for the same client ID and tenant ID, and another value for
// another client ID.

// checksumSpec has a tenant and a client ID in capitals (Azure returns
// client IDs in lowercase; both must give one checksum).
const checksumSpec = `
apiVersion: wigen/v1alpha1
kind: WorkloadIdentity
metadata:
  name: webui
spec:
  chart:
    version: 16.0.0
    imageTag: v0.11.0
  azureOpenAI:
    accountId: /subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/aoai
    endpoint: https://aoai.openai.azure.com
    deployments: [gpt-4o]
  environments:
    - name: prod
      tenantId: ABCDEF01-2222-2222-2222-222222222222
      subscriptionId: 11111111-1111-1111-1111-111111111111
      location: westeurope
      resourceGroup: rg-app
      namespace: app
      serviceAccount: app
      identity:
        name: id-app
        clientId: ABCDEF01-3333-3333-3333-333333333333
      cluster:
        name: aks
        issuer:
          url: https://westeurope.oic.prod-aks.azure.com/22222222-2222-2222-2222-222222222222/33333333-3333-3333-3333-333333333333/
`

// checksumSet returns the value expression of the module's
// podAnnotations.checksum/workload-identity set entry.
func checksumSet(t *testing.T, m *tfModule) hclsyntax.Expression {
	t.Helper()
	for _, st := range releaseSets(t, m, m.block(t, "resource", "helm_release", "this").Body) {
		if st.name == ChecksumSetName {
			return st.expr
		}
	}
	t.Fatalf("environment %s: helm_release does not set %s", m.env, ChecksumSetName)
	return nil
}

// evalChecksum evaluates the checksum expression with the identity's
// client_id set to clientID.
func evalChecksum(t *testing.T, expr hclsyntax.Expression, identity hcl.Traversal, clientID string) string {
	t.Helper()
	obj := cty.ObjectVal(map[string]cty.Value{"this": cty.ObjectVal(map[string]cty.Value{"client_id": cty.StringVal(clientID)})})
	vars := map[string]cty.Value{}
	if identity.RootName() == "data" {
		vars["data"] = cty.ObjectVal(map[string]cty.Value{"azurerm_user_assigned_identity": obj})
	} else {
		vars["azurerm_user_assigned_identity"] = obj
	}
	ctx := &hcl.EvalContext{Variables: vars, Functions: ChecksumFunctions()}
	v, diags := expr.Value(ctx)
	if diags.HasErrors() {
		t.Fatalf("evaluate %s: %s", expr.Range(), diags.Error())
	}
	if v.Type() != cty.String {
		t.Fatalf("the checksum is %s, want a string (helm_release set value)", v.Type().FriendlyName())
	}
	return v.AsString()
}

// identityTraversal is the traversal of module m's identity.
func identityTraversal(m *tfModule) hcl.Traversal {
	if len(m.blocks("resource", "azurerm_user_assigned_identity")) == 0 {
		return ref("data", "azurerm_user_assigned_identity", labelThis)
	}
	return ref("azurerm_user_assigned_identity", labelThis)
}

// TestChecksumSameInEveryPath: for every golden environment with a client
// ID, and one written in capitals, the Terraform expression evaluated with
// that client ID gives the value the Helm values and the overlay carry;
// another client ID or tenant gives another value, in both.
func TestChecksumSameInEveryPath(t *testing.T) {
	specs := map[string]*schema.Spec{"capitals": specFromYAML(t, checksumSpec)}
	for name := range goldenInputs(t) {
		specs["golden/"+name] = goldenSpec(t, name)
	}
	checked := 0
	for name, s := range specs {
		mods := parseModules(t, mustRender(t, s))
		for i := range s.Spec.Environments {
			e := &s.Spec.Environments[i]
			if !helm.HasClientID(e) || !e.TerraformRelease() {
				continue // no static value, or no helm_release (an Azure-only module)
			}
			checked++
			m := mods[e.Name]
			expr := checksumSet(t, m)
			static := helm.PodAnnotations(e)[schema.AnnotationChecksum]
			// Azure returns the client ID in lowercase.
			if got := evalChecksum(t, expr, identityTraversal(m), strings.ToLower(e.Identity.ClientID)); got != static {
				t.Errorf("%s/%s: Terraform gives %s, the Helm values and overlay %s", name, e.Name, got, static)
			}
			const other = "99999999-8888-7777-6666-555555555555"
			moved := *e
			moved.Identity = &schema.Identity{ClientID: other}
			tfOther, staticOther := evalChecksum(t, expr, identityTraversal(m), other), helm.PodAnnotations(&moved)[schema.AnnotationChecksum]
			if tfOther == static || tfOther != staticOther {
				t.Errorf("%s/%s: another client ID gives %s in Terraform and %s in the static outputs; want one value, not %s", name, e.Name, tfOther, staticOther, static)
			}
		}
	}
	if checked < 4 {
		t.Errorf("only %d environments with a client ID checked", checked)
	}
}

// TestChecksumWithTerraform evaluates the rendered checksum expression with
// the real terraform binary (`terraform console`, which needs no provider
// for a module of variables and locals only), the identity's client_id
// read from local.identity.client_id, which a variable sets.
func TestChecksumWithTerraform(t *testing.T) {
	tf, err := exec.LookPath("terraform")
	if err != nil {
		if os.Getenv("WIGEN_CI") == "1" {
			t.Fatal("terraform is not on PATH (WIGEN_CI=1: a missing tool is a failure)")
		}
		t.Skip("terraform is not on PATH; skipping the terraform console check (TestChecksumSameInEveryPath ran with a stand-in for its functions)")
	}
	s := specFromYAML(t, checksumSpec)
	e := &s.Spec.Environments[0]
	m := parseModules(t, mustRender(t, s))["prod"]
	src := string(m.files[FileMain])
	r := checksumSet(t, m).Range()
	expr, diags := hclwrite.ParseConfig([]byte("x = "+src[r.Start.Byte:r.End.Byte]+"\n"), "x.tf", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	x := expr.Body().GetAttribute("x").Expr()
	x.RenameVariablePrefix([]string{"azurerm_user_assigned_identity", "this", "client_id"}, []string{"local", "identity", "client_id"})
	dir := t.TempDir()
	cliConfig := filepath.Join(dir, "terraformrc")
	if err := os.WriteFile(cliConfig, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	mod := filepath.Join(dir, "module")
	if err := os.MkdirAll(mod, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(mod, "main.tf"), []byte("variable \"client_id\" {\n  type = string\n}\n\nlocals {\n  identity = { client_id = var.client_id }\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, clientID := range []string{strings.ToLower(e.Identity.ClientID), "99999999-8888-7777-6666-555555555555"} {
		cmd := exec.Command(tf, "console", "-var", "client_id="+clientID)
		cmd.Dir = mod
		cmd.Stdin = strings.NewReader(strings.TrimSpace(string(x.BuildTokens(nil).Bytes())) + "\n")
		cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+cliConfig, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1")
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("terraform console: %v\n%s", err, out)
		}
		got := strings.Trim(strings.TrimSpace(string(out)), `"`)
		if want := schema.WorkloadIdentityChecksum(clientID, e.TenantID); got != want {
			t.Errorf("client ID %s: terraform console gives %s, schema.WorkloadIdentityChecksum %s", clientID, got, want)
		}
	}
}
