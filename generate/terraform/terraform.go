// Package terraform renders each environment as a Terraform root module:
// the namespace, the user-assigned managed identity, one federated
// identity credential per issuer and service account, the role
// assignments and the Helm release of Open WebUI, in the syntax of the
// provider versions the user pins (schema.TerraformSyntax).
//
// HCL is built as a tree with hclwrite and cty values, never from text:
// literals are cty values (a user value cannot become HCL syntax),
// references are traversals, and the one template, the values file path,
// is parsed from fixed source text.
package terraform

import (
	"fmt"
	"path"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/wigen-dev/wigen/generate/helm"
	"github.com/wigen-dev/wigen/generate/output"
	"github.com/wigen-dev/wigen/schema"
)

// Files of each environment's module, in terraform/<environment>/.
const (
	FileVersions  = "versions.tf"
	FileProviders = "providers.tf"
	FileMain      = "main.tf"
	FileOutputs   = "outputs.tf"
	FileValues    = "values.yaml"
)

// Dir is the folder of environment env's module, relative to the output root.
func Dir(env string) string { return path.Join("terraform", env) }

// Resource names (labels) of the resources every module has once.
const labelThis = "this"

// valuesExpr reads values.yaml beside the module. Fixed source text: a real
// template, which cty.StringVal would escape to "$${path.module}".
const valuesExpr = `[file("${path.module}/values.yaml")]`

// Render returns terraform/<env>/versions.tf, providers.tf, main.tf,
// outputs.tf and values.yaml for every environment of s, in environment
// order. s must come from schema.Load (complete and valid).
func Render(s *schema.Spec) ([]output.File, error) {
	return output.PerEnvironment(len(s.Spec.Environments), func(i int) ([]output.File, error) {
		e := &s.Spec.Environments[i]
		fs, err := renderEnvironment(s, e)
		if err != nil {
			return nil, fmt.Errorf("environment %q: %w", e.Name, err)
		}
		return fs, nil
	})
}

// module holds what the files of one environment refer to.
type module struct {
	s *schema.Spec
	e *schema.Environment

	// identity is azurerm_user_assigned_identity.this, or
	// data.azurerm_user_assigned_identity.this for an existing identity.
	identity hcl.Traversal
	// namespace is the expression of the namespace: a reference to the
	// kubernetes_namespace_v1 wigen creates, or the literal name.
	namespace hclwrite.Tokens
	creds     []credential
	roles     []role
}

type credential struct {
	label string
	fc    schema.FederatedCredential
}

type role struct {
	label string
	r     schema.Role
}

func newModule(s *schema.Spec, e *schema.Environment) (*module, error) {
	if e.Identity == nil || e.Cluster == nil {
		return nil, fmt.Errorf("identity and cluster are required (load the spec with schema.Load)")
	}
	m := &module{s: s, e: e}
	if e.Identity.Existing {
		m.identity = ref("data", "azurerm_user_assigned_identity", labelThis)
	} else {
		m.identity = ref("azurerm_user_assigned_identity", labelThis)
	}
	if e.CreatesNamespace() {
		m.namespace = hclwrite.TokensForTraversal(index(ref("kubernetes_namespace_v1", labelThis, "metadata"), 0, "name"))
	} else {
		m.namespace = str(e.Namespace)
	}
	fcs := e.FederatedCredentials()
	names := make([]string, len(fcs))
	for i, fc := range fcs {
		// The cluster's credential is named after the cluster, each other
		// after its federation.
		if fc.Federation == "" {
			names[i] = label(e.Cluster.Name)
		} else {
			names[i] = label(fc.Federation)
		}
	}
	for i, l := range unique(names) {
		m.creds = append(m.creds, credential{label: l, fc: fcs[i]})
	}
	names = make([]string, len(e.Roles))
	for i, r := range e.Roles {
		names[i] = roleLabel(r.Role)
	}
	for i, l := range unique(names) {
		m.roles = append(m.roles, role{label: l, r: e.Roles[i]})
	}
	return m, nil
}

func renderEnvironment(s *schema.Spec, e *schema.Environment) ([]output.File, error) {
	m, err := newModule(s, e)
	if err != nil {
		return nil, err
	}
	dir := Dir(e.Name)
	var files []output.File
	for _, f := range []struct {
		name  string
		build func(*hclwrite.Body) error
	}{
		{FileVersions, m.versions},
		{FileProviders, m.providers},
		{FileMain, m.main},
		{FileOutputs, m.outputs},
	} {
		hf := hclwrite.NewEmptyFile()
		if err := f.build(hf.Body()); err != nil {
			return nil, fmt.Errorf("%s: %w", f.name, err)
		}
		p := path.Join(dir, f.name)
		data := []byte(output.Header(p, s.Source) + "\n")
		data = append(data, hf.Bytes()...) // Bytes formats the tokens as terraform fmt does
		files = append(files, output.File{Path: p, Data: data})
	}
	vp := path.Join(dir, FileValues)
	vf, err := output.YAML(vp, s.Source, helm.Values(s, e, helm.ForTerraform),
		append([]string{
			fmt.Sprintf("Helm values of environment %s, read by helm_release.%s in %s.", e.Name, labelThis, FileMain),
			"The client-id annotation and the " + schema.AnnotationChecksum + " pod annotation",
			"are not here: helm_release sets them from the identity's client ID, which",
			"exists only after apply.",
		}, helm.AppEnvComments(s)...)...)
	if err != nil {
		return nil, err
	}
	files = append(files, vf)
	output.Sort(files)
	return files, nil
}

// versions writes the terraform block: required_version,
// required_providers and, when spec.terraform.backend is set, the backend.
func (m *module) versions(body *hclwrite.Body) error {
	tf := m.s.Spec.Terraform
	tb := body.AppendNewBlock("terraform", nil).Body()
	tb.SetAttributeValue("required_version", cty.StringVal(tf.RequiredVersion))
	tb.AppendNewline()
	rp := tb.AppendNewBlock("required_providers", nil).Body()
	for _, p := range []struct{ name, version string }{
		{"azurerm", tf.Providers.Azurerm},
		{"kubernetes", tf.Providers.Kubernetes},
		{"helm", tf.Providers.Helm},
	} {
		rp.SetAttributeRaw(p.name, hclwrite.TokensForObject([]hclwrite.ObjectAttrTokens{
			objAttr("source", str("hashicorp/"+p.name)),
			objAttr("version", str(p.version)),
		}))
	}
	if b := tf.Backend; b != nil {
		if !hclsyntax.ValidIdentifier(b.Type) {
			return fmt.Errorf("backend type %q is not an identifier", b.Type)
		}
		cfg := make(map[string]any, len(b.Config)+1)
		for k, v := range b.Config {
			cfg[k] = v
		}
		// One state per environment: azurerm and s3 name it with key, gcs
		// with prefix; other arguments are written as given.
		if arg, val := schema.BackendStateArgument(m.s, m.e, b.Type); arg != "" {
			if _, ok := cfg[arg]; !ok {
				cfg[arg] = val
			}
		}
		tb.AppendNewline()
		bb := tb.AppendNewBlock("backend", []string{b.Type}).Body()
		if err := backendBody(bb, cfg, "spec.terraform.backend.config"); err != nil {
			return err
		}
	}
	return nil
}

// backendBody writes backend arguments as given, keys sorted: scalars and
// lists as attributes, mappings as nested blocks (backend settings such as
// the remote backend's workspaces or the s3 backend's assume_role are
// blocks, which Terraform refuses in attribute syntax).
func backendBody(body *hclwrite.Body, cfg map[string]any, p string) error {
	var blocks []string
	for _, k := range sortedKeys(cfg) {
		if !hclsyntax.ValidIdentifier(k) {
			return fmt.Errorf("%s.%s: not a Terraform argument name", p, k)
		}
		if _, ok := cfg[k].(map[string]any); ok {
			blocks = append(blocks, k)
			continue
		}
		v, err := ctyValue(cfg[k], p+"."+k)
		if err != nil {
			return err
		}
		body.SetAttributeValue(k, v)
	}
	for _, k := range blocks {
		body.AppendNewline()
		nb := body.AppendNewBlock(k, nil).Body()
		if err := backendBody(nb, cfg[k].(map[string]any), p+"."+k); err != nil {
			return err
		}
	}
	return nil
}

// providers configures azurerm for the environment's subscription, and the
// kubernetes and helm providers from cluster.kubeconfig. azurerm requires
// features {} and, since 4.0, subscription_id; the helm provider takes a
// kubernetes {} block in 2.x and a kubernetes = {} attribute from 3.0.0
// (facts.md "Terraform providers").
func (m *module) providers(body *hclwrite.Body) error {
	az := body.AppendNewBlock("provider", []string{"azurerm"}).Body()
	az.SetAttributeValue("subscription_id", cty.StringVal(m.e.SubscriptionID))
	emptyBlock(az, "features")

	kc := m.e.Cluster.Kubeconfig
	if kc == nil {
		return fmt.Errorf("cluster.kubeconfig is not set (load the spec with schema.Load)")
	}
	body.AppendNewline()
	k8s := body.AppendNewBlock("provider", []string{"kubernetes"}).Body()
	k8s.SetAttributeValue("config_path", cty.StringVal(kc.Path))
	k8s.SetAttributeValue("config_context", cty.StringVal(kc.Context))

	body.AppendNewline()
	hb := body.AppendNewBlock("provider", []string{"helm"}).Body()
	if m.s.Spec.Terraform.Syntax.HelmV3 {
		hb.SetAttributeRaw("kubernetes", hclwrite.TokensForObject([]hclwrite.ObjectAttrTokens{
			objAttr("config_path", str(kc.Path)),
			objAttr("config_context", str(kc.Context)),
		}))
	} else {
		kb := hb.AppendNewBlock("kubernetes", nil).Body()
		kb.SetAttributeValue("config_path", cty.StringVal(kc.Path))
		kb.SetAttributeValue("config_context", cty.StringVal(kc.Context))
	}
	return nil
}

// main writes the namespace, the issuer sources, the identity, the
// federated identity credentials, the role assignments and the release.
func (m *module) main(body *hclwrite.Body) error {
	e := m.e
	first := true
	sep := func() {
		if !first {
			body.AppendNewline()
		}
		first = false
	}

	// kubernetes_namespace is deprecated in the kubernetes provider 3.0.0;
	// kubernetes_namespace_v1 exists in 2.x too (facts.md).
	if e.CreatesNamespace() {
		sep()
		ns := body.AppendNewBlock("resource", []string{"kubernetes_namespace_v1", labelThis}).Body()
		ns.AppendNewBlock("metadata", nil).Body().SetAttributeValue("name", cty.StringVal(e.Namespace))
	}

	issuers, err := m.issuerSources(body, sep)
	if err != nil {
		return err
	}

	sep()
	idType := []string{"azurerm_user_assigned_identity", labelThis}
	if e.Identity.Existing {
		comment(body, "The identity is managed elsewhere (identity.existing); it is only read here.")
		id := body.AppendNewBlock("data", idType).Body()
		id.SetAttributeValue("name", cty.StringVal(e.Identity.Name))
		id.SetAttributeValue("resource_group_name", cty.StringVal(e.IdentityResourceGroup()))
	} else {
		id := body.AppendNewBlock("resource", idType).Body()
		id.SetAttributeValue("name", cty.StringVal(e.Identity.Name))
		id.SetAttributeValue("resource_group_name", cty.StringVal(e.IdentityResourceGroup()))
		id.SetAttributeValue("location", cty.StringVal(e.Location))
	}

	var dependsOn []hclwrite.Tokens
	for i, c := range m.creds {
		sep()
		if i == 0 && len(m.creds) > 1 {
			comment(body,
				"One federated identity credential per issuer and service account. Azure",
				"rejects concurrent credential writes under one identity (HTTP 409,",
				"terraform-provider-azurerm#19968), so each waits for the one before.")
		}
		cb := body.AppendNewBlock("resource", []string{"azurerm_federated_identity_credential", c.label}).Body()
		m.credential(cb, c, issuers[i])
		if i > 0 {
			cb.AppendNewline()
			prev := ref("azurerm_federated_identity_credential", m.creds[i-1].label)
			cb.SetAttributeRaw("depends_on", hclwrite.TokensForTuple([]hclwrite.Tokens{hclwrite.TokensForTraversal(prev)}))
		}
		dependsOn = append(dependsOn, hclwrite.TokensForTraversal(ref("azurerm_federated_identity_credential", c.label)))
	}

	for _, r := range m.roles {
		sep()
		rb := body.AppendNewBlock("resource", []string{"azurerm_role_assignment", r.label}).Body()
		rb.SetAttributeValue("scope", cty.StringVal(r.r.Scope))
		if id := r.r.RoleDefinitionID(e.SubscriptionID); id != "" {
			rb.SetAttributeValue("role_definition_id", cty.StringVal(id))
		} else {
			rb.SetAttributeValue("role_definition_name", cty.StringVal(r.r.Role))
		}
		rb.SetAttributeTraversal("principal_id", attr(m.identity, "principal_id"))
		// A role assignment made right after its identity can fail while
		// the new service principal replicates; setting the principal type
		// avoids it (Microsoft Learn, Azure RBAC: "Create a role assignment
		// for a new service principal").
		rb.SetAttributeValue("principal_type", cty.StringVal("ServicePrincipal"))
		dependsOn = append(dependsOn, hclwrite.TokensForTraversal(ref("azurerm_role_assignment", r.label)))
	}

	sep()
	m.release(body.AppendNewBlock("resource", []string{"helm_release", labelThis}).Body(), dependsOn)
	return nil
}

// issuerSources writes the data sources the credentials' issuers come
// from and returns each credential's issuer expression: a literal URL,
// data.azurerm_kubernetes_cluster.<cluster>.oidc_issuer_url (fromCluster:
// the environment's cluster, read once), or
// data.terraform_remote_state.<credential>.outputs.<output>.
func (m *module) issuerSources(body *hclwrite.Body, sep func()) ([]hclwrite.Tokens, error) {
	e := m.e
	out := make([]hclwrite.Tokens, len(m.creds))
	var cluster hcl.Traversal
	for i, c := range m.creds {
		is := c.fc.Issuer
		switch {
		case is.URL != "":
			out[i] = str(is.URL)
		case is.FromCluster:
			if cluster == nil {
				if e.Cluster.ResourceGroup == "" {
					return nil, fmt.Errorf("issuer.fromCluster needs cluster.resourceGroup")
				}
				l := label(e.Cluster.Name)
				sep()
				comment(body, "The cluster's OIDC issuer; the cluster needs oidc_issuer_enabled and",
					"workload_identity_enabled.")
				cb := body.AppendNewBlock("data", []string{"azurerm_kubernetes_cluster", l}).Body()
				cb.SetAttributeValue("name", cty.StringVal(e.Cluster.Name))
				cb.SetAttributeValue("resource_group_name", cty.StringVal(e.Cluster.ResourceGroup))
				cluster = ref("data", "azurerm_kubernetes_cluster", l)
			}
			out[i] = hclwrite.TokensForTraversal(attr(cluster, "oidc_issuer_url"))
		case is.RemoteState != nil:
			rs := is.RemoteState
			if !hclsyntax.ValidIdentifier(rs.Backend) || !hclsyntax.ValidIdentifier(rs.Output) {
				return nil, fmt.Errorf("remoteState backend %q and output %q must be identifiers", rs.Backend, rs.Output)
			}
			sep()
			comment(body, "The OIDC issuer, read from an output of another Terraform state.")
			rb := body.AppendNewBlock("data", []string{"terraform_remote_state", c.label}).Body()
			rb.SetAttributeValue("backend", cty.StringVal(rs.Backend))
			if rs.Config != nil {
				v, err := ctyValue(rs.Config, "issuer.remoteState.config")
				if err != nil {
					return nil, err
				}
				rb.SetAttributeValue("config", v)
			}
			out[i] = hclwrite.TokensForTraversal(ref("data", "terraform_remote_state", c.label, "outputs", rs.Output))
		default:
			return nil, fmt.Errorf("federated credential %q has no issuer", c.fc.Name)
		}
	}
	return out, nil
}

// credential writes one azurerm_federated_identity_credential. The identity
// is named by parent_id and resource_group_name below azurerm 4.65.0, by
// user_assigned_identity_id from 4.65.0 (parent_id deprecated) and in 5.x
// (parent_id and resource_group_name removed) (facts.md "Terraform
// providers"). Audience and subject follow the Microsoft Entra rules for
// Kubernetes: one audience, api://AzureADTokenExchange, and
// system:serviceaccount:<namespace>:<service account>, from the same fields
// that name the service account in the Helm values.
func (m *module) credential(body *hclwrite.Body, c credential, issuer hclwrite.Tokens) {
	body.SetAttributeValue("name", cty.StringVal(c.fc.Name))
	if m.s.Spec.Terraform.Syntax.UserAssignedIdentityID {
		body.SetAttributeTraversal("user_assigned_identity_id", attr(m.identity, "id"))
	} else {
		body.SetAttributeTraversal("resource_group_name", attr(m.identity, "resource_group_name"))
		body.SetAttributeTraversal("parent_id", attr(m.identity, "id"))
	}
	body.SetAttributeValue("audience", cty.TupleVal([]cty.Value{cty.StringVal(schema.Audience)}))
	body.SetAttributeRaw("issuer", issuer)
	body.SetAttributeValue("subject", cty.StringVal(schema.Subject(c.fc.Namespace, c.fc.ServiceAccount)))
}

// ClientIDSetName is the helm_release set name of the service account's
// client-id annotation: serviceAccount.annotations.azure\.workload\.identity/client-id.
var ClientIDSetName = SetName("serviceAccount", "annotations", schema.AnnotationClientID)

// release writes the helm_release: the chart, values.yaml beside the module,
// two values known only after apply, set as strings: the identity's client
// ID under the escaped client-id annotation key, and checksum/workload-identity
// on the pod template, computed from the same client ID (checksumExpr), so
// a new identity changes the pod template and the pods are replaced (the
// Workload ID webhook mutates pods only at creation, azure-workload-identity#109);
// and depends_on every credential and role assignment, so pods start only
// once their token can be exchanged. Helm provider 2.x takes set {} blocks,
// 3.x set = [{...}] (facts.md).
func (m *module) release(body *hclwrite.Body, dependsOn []hclwrite.Tokens) {
	c := m.s.Spec.Chart
	body.SetAttributeValue("name", cty.StringVal(m.s.ReleaseName()))
	body.SetAttributeValue("repository", cty.StringVal(c.Repository))
	body.SetAttributeValue("chart", cty.StringVal(c.Name))
	body.SetAttributeValue("version", cty.StringVal(c.Version))
	body.SetAttributeRaw("namespace", m.namespace)
	body.SetAttributeValue("atomic", cty.True)
	body.SetAttributeRaw("values", fixedExpr(valuesExpr))
	body.AppendNewline()
	comment(body,
		"Known only after apply: the identity's client ID, and on the pod template a",
		"checksum of it and the tenant ID, so a new client ID rolls the pods (the",
		"Workload ID webhook changes pods only when they are created). Every other",
		"value is in values.yaml.")
	sets := []struct {
		name  string
		value hclwrite.Tokens
	}{
		{ClientIDSetName, hclwrite.TokensForTraversal(attr(m.identity, "client_id"))},
		{ChecksumSetName, checksumExpr(attr(m.identity, "client_id"), m.e.TenantID)},
	}
	if m.s.Spec.Terraform.Syntax.HelmV3 {
		var objs []hclwrite.Tokens
		for _, st := range sets {
			objs = append(objs, inlineObject([]hclwrite.ObjectAttrTokens{
				objAttr("name", str(st.name)),
				objAttr("value", st.value),
				objAttr("type", str("string")),
			}))
		}
		body.SetAttributeRaw("set", tuplePerLine(objs))
	} else {
		for i, st := range sets {
			if i > 0 {
				body.AppendNewline()
			}
			sb := body.AppendNewBlock("set", nil).Body()
			sb.SetAttributeValue("name", cty.StringVal(st.name))
			sb.SetAttributeRaw("value", st.value)
			sb.SetAttributeValue("type", cty.StringVal("string"))
		}
	}
	body.AppendNewline()
	body.SetAttributeRaw("depends_on", tuplePerLine(dependsOn))
}

// outputs writes the module's outputs, sorted by name.
func (m *module) outputs(body *hclwrite.Body) error {
	e := m.e
	subject := hclwrite.TokensForTraversal(ref("azurerm_federated_identity_credential", m.creds[0].label, "subject"))
	outs := []struct {
		name, description string
		value             hclwrite.Tokens
	}{
		{"client_id", fmt.Sprintf("Client ID of the user-assigned managed identity: put it in identity.clientId of environment %s in %s for the Kustomize and Helm-CLI outputs.", e.Name, m.s.Source),
			hclwrite.TokensForTraversal(attr(m.identity, "client_id"))},
		{"federated_subject", "Subject of the cluster's federated identity credential: system:serviceaccount:<namespace>:<service account>.", subject},
		{"identity_id", "Resource ID of the user-assigned managed identity.", hclwrite.TokensForTraversal(attr(m.identity, "id"))},
		{"namespace", "Kubernetes namespace of the release.", m.namespace},
		{"principal_id", "Principal (object) ID of the user-assigned managed identity, the one its roles are assigned to.", hclwrite.TokensForTraversal(attr(m.identity, "principal_id"))},
		{"service_account", "Kubernetes service account the pods run as.", str(e.ServiceAccount)},
	}
	for i, o := range outs {
		if i > 0 {
			body.AppendNewline()
		}
		ob := body.AppendNewBlock("output", []string{o.name}).Body()
		ob.SetAttributeValue("description", cty.StringVal(o.description))
		ob.SetAttributeRaw("value", o.value)
	}
	return nil
}
