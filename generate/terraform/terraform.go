// Package terraform renders each environment as a Terraform root module:
// the namespace, the user-assigned managed identity, one federated
// identity credential per issuer and service account, the role
// assignments and the Helm release of Open WebUI, in the syntax of the
// provider versions the user pins (schema.TerraformSyntax), under the
// addresses schema names (schema/addresses.go); with adopt, the moved,
// removed and import blocks that take existing objects over (adopt.go).
//
// HCL is built as a tree with hclwrite and cty values, never from text:
// literals are cty values (a user value cannot become HCL syntax),
// references are traversals, and the one template, the values file path,
// is parsed from fixed source text.
package terraform

import (
	"fmt"
	"path"
	"slices"
	"strings"

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

// labelThis is the resource name of the resources every module has once.
const labelThis = schema.NameThis

// formatFile returns a module file's source, formatted as terraform fmt
// formats it: fileBytes, which is (*hclwrite.File).Bytes at a fraction of
// its cost (a test renders every module with both).
var formatFile = fileBytes

// valuesExpr reads values.yaml beside the module. Fixed source text: a real
// template, which cty.StringVal would escape to "$${path.module}".
const valuesExpr = `[file("${path.module}/values.yaml")]`

// Render returns terraform/<env>/versions.tf, providers.tf, main.tf,
// outputs.tf, values.yaml (when the module installs the release) and, with
// adopt, adopt.tf for every environment of s that renders terraform, in
// environment order. s must come from schema.Load (complete and valid).
func Render(s *schema.Spec) ([]output.File, error) {
	return output.PerEnvironment(len(s.Spec.Environments), func(i int) ([]output.File, error) {
		e := &s.Spec.Environments[i]
		if !e.HasTarget(schema.TargetTerraform) {
			return nil, nil
		}
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

	// release: the module installs the chart with helm_release and holds
	// the kubernetes and helm providers (schema.Environment.TerraformRelease);
	// without it, the module is the Azure side only, with azurerm alone.
	release bool
	// identity is azurerm_user_assigned_identity.this, or
	// data.azurerm_user_assigned_identity.this for an existing identity.
	identity hcl.Traversal
	// namespace is the expression of the namespace: a reference to the
	// kubernetes_namespace_v1 wigen creates, or the literal name.
	namespace hclwrite.Tokens
	// creds are the federated identity credentials this module creates:
	// those of every environment using the identity when this module is
	// theirs (schema.Spec.ModuleCredentials), else none.
	creds []credential
	roles []role
	// clusters are the AKS clusters whose issuers the credentials read
	// (issuer.fromCluster), one data source each; aliases the azurerm
	// provider configurations for clusters in another subscription.
	clusters []*clusterSource
	aliases  []*alias
}

type credential struct {
	label string
	env   *schema.Environment
	fc    schema.FederatedCredential
}

type role struct {
	label string
	r     schema.Role
}

// clusterSource is one data "azurerm_kubernetes_cluster".
type clusterSource struct {
	label string
	// key identifies the cluster: subscription, resource group and name,
	// without case (clusterKey).
	key     string
	cluster *schema.Cluster
	// alias is the azurerm provider configuration it is read with, nil
	// for the module's own subscription.
	alias *alias
}

// alias is a second azurerm provider configuration, for the subscription
// of clusters outside the module's own.
type alias struct {
	name         string
	subscription string
	clusters     []string
}

func newModule(s *schema.Spec, e *schema.Environment) (*module, error) {
	if e.Identity == nil || e.Cluster == nil {
		return nil, fmt.Errorf("identity and cluster are required (load the spec with schema.Load)")
	}
	m := &module{s: s, e: e, release: e.TerraformRelease()}
	if e.Identity.Existing {
		m.identity = ref("data", schema.TypeIdentity, labelThis)
	} else {
		m.identity = ref(schema.TypeIdentity, labelThis)
	}
	if m.release && e.CreatesNamespace() {
		m.namespace = hclwrite.TokensForTraversal(index(ref(schema.TypeNamespace, labelThis, "metadata"), 0, "name"))
	} else {
		m.namespace = str(e.Namespace)
	}
	fcs := s.ModuleCredentials(e)
	for i, l := range s.ModuleCredentialLabels(e) {
		m.creds = append(m.creds, credential{label: l, env: fcs[i].Env, fc: fcs[i].FederatedCredential})
	}
	for i, l := range e.RoleLabels() {
		m.roles = append(m.roles, role{label: l, r: e.Roles[i]})
	}
	if err := m.clusterSources(); err != nil {
		return nil, err
	}
	return m, nil
}

// clusterSources finds the clusters the credentials read their issuer
// from (one data source per cluster, in credential order) and the azurerm
// provider configuration each is read with: the module's own for a
// cluster in the environment's subscription, else an alias for the
// cluster's subscription (cluster.subscriptionId), one per subscription,
// named "cluster_" and the subscription GUID's first 8 hexadecimal digits
// (the whole GUID when two subscriptions share them).
func (m *module) clusterSources() error {
	seen := map[string]*clusterSource{}
	bySub := map[string]*alias{}
	var names []string
	for _, c := range m.creds {
		if !c.fc.Issuer.FromCluster {
			continue
		}
		cl := c.env.Cluster
		if cl.ResourceGroup == "" {
			return fmt.Errorf("issuer.fromCluster needs cluster.resourceGroup (environment %s)", c.env.Name)
		}
		sub := c.env.ClusterSubscriptionID()
		key := clusterKey(c.env)
		if seen[key] != nil {
			continue
		}
		cs := &clusterSource{key: key, cluster: cl}
		if !strings.EqualFold(sub, m.e.SubscriptionID) {
			a := bySub[strings.ToLower(sub)]
			if a == nil {
				a = &alias{subscription: sub}
				bySub[strings.ToLower(sub)] = a
				m.aliases = append(m.aliases, a)
			}
			a.clusters = append(a.clusters, cl.Name)
			cs.alias = a
		}
		seen[key] = cs
		m.clusters = append(m.clusters, cs)
		names = append(names, schema.TerraformLabel(cl.Name))
	}
	for i, l := range schema.UniqueLabels(names) {
		m.clusters[i].label = l
	}
	short := map[string]int{}
	for _, a := range m.aliases {
		short[strings.ToLower(a.subscription[:min(8, len(a.subscription))])]++
	}
	for _, a := range m.aliases {
		if p := strings.ToLower(a.subscription[:min(8, len(a.subscription))]); short[p] == 1 {
			a.name = schema.TerraformLabel("cluster_" + p)
		} else {
			a.name = schema.TerraformLabel("cluster_" + a.subscription)
		}
	}
	return nil
}

// clusterKey identifies environment e's cluster as Azure does: its
// subscription, resource group and name, compared without case.
func clusterKey(e *schema.Environment) string {
	return strings.ToLower(e.ClusterSubscriptionID() + "/" + e.Cluster.ResourceGroup + "/" + e.Cluster.Name)
}

// clusterOf returns the data source of the cluster of credential c.
func (m *module) clusterOf(c credential) *clusterSource {
	key := clusterKey(c.env)
	for _, cs := range m.clusters {
		if cs.key == key {
			return cs
		}
	}
	return nil
}

func renderEnvironment(s *schema.Spec, e *schema.Environment) ([]output.File, error) {
	m, err := newModule(s, e)
	if err != nil {
		return nil, err
	}
	dir := Dir(e.Name)
	var files []output.File
	type tfFile struct {
		name  string
		build func(*hclwrite.Body) error
	}
	tfFiles := []tfFile{
		{FileVersions, m.versions},
		{FileProviders, m.providers},
		{FileMain, m.main},
		{FileOutputs, m.outputs},
	}
	if len(e.Adoption) > 0 {
		tfFiles = append(tfFiles, tfFile{FileAdopt, m.adopt})
	}
	for _, f := range tfFiles {
		hf := hclwrite.NewEmptyFile()
		if err := f.build(hf.Body()); err != nil {
			return nil, fmt.Errorf("%s: %w", f.name, err)
		}
		p := path.Join(dir, f.name)
		data := []byte(output.Header(p, s.Source) + "\n")
		data = append(data, formatFile(hf)...)
		files = append(files, output.File{Path: p, Data: data})
	}
	if m.release {
		vp := path.Join(dir, FileValues)
		comments := append([]string{
			fmt.Sprintf("Helm values of environment %s, read by helm_release.%s in %s.", e.Name, labelThis, FileMain),
			"The client-id annotation and the " + schema.AnnotationChecksum + " pod annotation",
			"are not here: helm_release sets them from the identity's client ID, which",
			"exists only after apply.",
		}, append(helm.OpenAIComments(s), helm.AppEnvComments(s)...)...)
		vf, err := output.YAML(vp, s.Source, helm.Values(s, e, helm.ForTerraform), comments...)
		if err != nil {
			return nil, err
		}
		files = append(files, vf)
	}
	output.Sort(files)
	return files, nil
}

// versions writes the terraform block: required_version,
// required_providers and the backend: the environment's terraform.backend,
// else spec.terraform.backend (schema.Spec.BackendFor), when set.
func (m *module) versions(body *hclwrite.Body) error {
	tf := m.s.Spec.Terraform
	tb := body.AppendNewBlock("terraform", nil).Body()
	// The environment's own constraint: raised by schema.Load for adopt's
	// blocks (import needs Terraform 1.5, removed 1.7).
	rv := m.e.RequiredVersion
	if rv == "" {
		rv = tf.RequiredVersion
	}
	setStr(tb, "required_version", rv)
	tb.AppendNewline()
	rp := tb.AppendNewBlock("required_providers", nil).Body()
	type provider struct{ name, version string }
	providers := []provider{{"azurerm", tf.Providers.Azurerm}}
	if m.release {
		providers = append(providers, provider{"kubernetes", tf.Providers.Kubernetes}, provider{"helm", tf.Providers.Helm})
	}
	// A module without the release whose adopt.tf forgets a namespace or
	// a helm_release of the existing state: terraform init installs their
	// providers (the state names them), pinned here as for a module with
	// the release; no provider block configures them (schema
	// ForgottenProviders).
	forgotten := m.e.ForgottenProviders()
	for _, name := range forgotten {
		v := tf.Providers.Kubernetes
		if name == "helm" {
			v = tf.Providers.Helm
		}
		providers = append(providers, provider{name, v})
	}
	for i, p := range providers {
		if len(forgotten) > 0 && i == len(providers)-len(forgotten) {
			comment(rp, "Only for the removed blocks of "+FileAdopt+": the existing state holds objects of",
				"the "+output.AndList(forgotten)+" "+output.Plural(len(forgotten), "provider", "providers")+", which this module does not manage (no provider",
				"configuration: Terraform forgets them without reading them). They leave with adopt.")
		}
		rp.SetAttributeRaw(p.name, object([]hclwrite.ObjectAttrTokens{
			objAttr("source", str("hashicorp/"+p.name)),
			objAttr("version", str(p.version)),
		}))
	}
	if b := m.s.BackendFor(m.e); b != nil {
		if !hclsyntax.ValidIdentifier(b.Type) {
			return fmt.Errorf("backend type %q is not an identifier", b.Type)
		}
		// One state per environment: azurerm and s3 name it with key, gcs
		// with prefix; other arguments are written as given.
		cfg := m.s.BackendConfig(m.e)
		tb.AppendNewline()
		bb := tb.AppendNewBlock("backend", []string{b.Type}).Body()
		if err := backendBody(bb, cfg, m.s.BackendField(m.e)+".config", !backendObjectAttributes[b.Type]); err != nil {
			return err
		}
	}
	return nil
}

// backendObjectAttributes are the backends whose mappings are object
// attributes (assume_role = { ... }), not nested blocks: the s3 backend
// declares assume_role, assume_role_with_web_identity and endpoints as
// single nested attributes (internal/backend/remote-state/s3/backend.go,
// ConfigSchema, hashicorp/terraform v1.15.9), and Terraform refuses them
// in block syntax ("Unsupported block type").
var backendObjectAttributes = map[string]bool{"s3": true}

// backendBody writes backend arguments as given, keys sorted: scalars and
// lists as attributes, mappings as nested blocks when blocks is set (the
// remote backend's workspaces is a block, which Terraform refuses in
// attribute syntax), else as object attributes.
func backendBody(body *hclwrite.Body, cfg map[string]any, p string, blocks bool) error {
	var nested []string
	for _, k := range sortedKeys(cfg) {
		if !hclsyntax.ValidIdentifier(k) {
			return fmt.Errorf("%s.%s: not a Terraform argument name", p, k)
		}
		if _, ok := cfg[k].(map[string]any); ok && blocks {
			nested = append(nested, k)
			continue
		}
		v, err := ctyValue(cfg[k], p+"."+k)
		if err != nil {
			return err
		}
		body.SetAttributeValue(k, v)
	}
	for _, k := range nested {
		body.AppendNewline()
		nb := body.AppendNewBlock(k, nil).Body()
		if err := backendBody(nb, cfg[k].(map[string]any), p+"."+k, true); err != nil {
			return err
		}
	}
	return nil
}

// providers configures azurerm for the environment's subscription (and,
// with an alias, for each other subscription a cluster is read in), and,
// when the module installs the release, the kubernetes and helm providers
// from cluster.kubeconfig. azurerm requires features {} in every
// configuration and, since 4.0, subscription_id; the helm provider takes a
// kubernetes {} block in 2.x and a kubernetes = {} attribute from 3.0.0
// (facts.md "Terraform providers").
func (m *module) providers(body *hclwrite.Body) error {
	az := body.AppendNewBlock("provider", []string{"azurerm"}).Body()
	setStr(az, "subscription_id", m.e.SubscriptionID)
	emptyBlock(az, "features")
	for _, a := range m.aliases {
		body.AppendNewline()
		comment(body, fmt.Sprintf("AKS %s %s %s in subscription %s:", output.Plural(len(a.clusters), "cluster", "clusters"),
			output.AndList(a.clusters), output.Plural(len(a.clusters), "is", "are"), a.subscription),
			output.Plural(len(a.clusters), "it is", "they are")+" read with this configuration.")
		ab := body.AppendNewBlock("provider", []string{"azurerm"}).Body()
		setStr(ab, "alias", a.name)
		setStr(ab, "subscription_id", a.subscription)
		emptyBlock(ab, "features")
	}
	if !m.release {
		return nil
	}

	kc := m.e.Cluster.Kubeconfig
	if kc == nil {
		return fmt.Errorf("cluster.kubeconfig is not set (load the spec with schema.Load)")
	}
	body.AppendNewline()
	k8s := body.AppendNewBlock("provider", []string{"kubernetes"}).Body()
	setStr(k8s, "config_path", kc.Path)
	setStr(k8s, "config_context", kc.Context)

	body.AppendNewline()
	hb := body.AppendNewBlock("provider", []string{"helm"}).Body()
	if m.s.Spec.Terraform.Syntax.HelmV3 {
		hb.SetAttributeRaw("kubernetes", object([]hclwrite.ObjectAttrTokens{
			objAttr("config_path", str(kc.Path)),
			objAttr("config_context", str(kc.Context)),
		}))
	} else {
		kb := hb.AppendNewBlock("kubernetes", nil).Body()
		setStr(kb, "config_path", kc.Path)
		setStr(kb, "config_context", kc.Context)
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
	if m.release && e.CreatesNamespace() {
		sep()
		ns := body.AppendNewBlock("resource", []string{schema.TypeNamespace, labelThis}).Body()
		setStr(ns.AppendNewBlock("metadata", nil).Body(), "name", e.Namespace)
	}

	issuers, err := m.issuerSources(body, sep)
	if err != nil {
		return err
	}

	sep()
	idType := []string{schema.TypeIdentity, labelThis}
	if e.Identity.Existing {
		comment(body, "The identity is managed elsewhere (identity.existing); it is only read here.")
		id := body.AppendNewBlock("data", idType).Body()
		setStr(id, "name", e.Identity.Name)
		setStr(id, "resource_group_name", e.IdentityResourceGroup())
	} else {
		id := body.AppendNewBlock("resource", idType).Body()
		setStr(id, "name", e.Identity.Name)
		setStr(id, "resource_group_name", e.IdentityResourceGroup())
		setStr(id, "location", e.Location)
	}

	var dependsOn []hclwrite.Tokens
	var others []string
	for _, c := range m.creds {
		if c.env != e && !slices.Contains(others, c.env.Name) {
			others = append(others, c.env.Name)
		}
	}
	for i, c := range m.creds {
		sep()
		if i == 0 && len(others) > 0 {
			comment(body,
				"The federated identity credentials of every environment using this identity:",
				output.AndList(append([]string{e.Name}, others...))+".",
				"One per issuer and service account, all created here, by the module that",
				"creates the identity: Azure rejects concurrent credential writes under one",
				"identity (HTTP 409, terraform-provider-azurerm#19968), so each waits for the",
				"one before, and no other module writes to the identity.")
		} else if i == 0 && len(m.creds) > 1 {
			comment(body,
				"One federated identity credential per issuer and service account. Azure",
				"rejects concurrent credential writes under one identity (HTTP 409,",
				"terraform-provider-azurerm#19968), so each waits for the one before.")
		}
		cb := body.AppendNewBlock("resource", []string{schema.TypeFederatedCredential, c.label}).Body()
		m.credential(cb, c, issuers[i])
		if i > 0 {
			cb.AppendNewline()
			prev := ref(schema.TypeFederatedCredential, m.creds[i-1].label)
			cb.SetAttributeRaw("depends_on", tuple([]hclwrite.Tokens{hclwrite.TokensForTraversal(prev)}))
		}
		if c.env == e {
			dependsOn = append(dependsOn, hclwrite.TokensForTraversal(ref(schema.TypeFederatedCredential, c.label)))
		}
	}

	for _, r := range m.roles {
		sep()
		rb := body.AppendNewBlock("resource", []string{schema.TypeRoleAssignment, r.label}).Body()
		setStr(rb, "scope", r.r.Scope)
		if id := r.r.RoleDefinitionID(e.SubscriptionID); id != "" {
			setStr(rb, "role_definition_id", id)
		} else {
			setStr(rb, "role_definition_name", r.r.Role)
		}
		rb.SetAttributeTraversal("principal_id", attr(m.identity, "principal_id"))
		// A role assignment made right after its identity can fail while
		// the new service principal replicates; setting the principal type
		// avoids it (Microsoft Learn, Azure RBAC: "Create a role assignment
		// for a new service principal").
		setStr(rb, "principal_type", "ServicePrincipal")
		dependsOn = append(dependsOn, hclwrite.TokensForTraversal(ref(schema.TypeRoleAssignment, r.label)))
	}

	if m.release {
		sep()
		m.helmRelease(body.AppendNewBlock("resource", []string{schema.TypeRelease, labelThis}).Body(), dependsOn)
	}
	return nil
}

// issuerSources writes the data sources the credentials' issuers come
// from and returns each credential's issuer expression: a literal URL,
// data.azurerm_kubernetes_cluster.<cluster>.oidc_issuer_url (fromCluster:
// the cluster of the credential's environment, each cluster read once,
// through the azurerm alias of its subscription when that is not the
// module's), or data.terraform_remote_state.<credential>.outputs.<output>.
func (m *module) issuerSources(body *hclwrite.Body, sep func()) ([]hclwrite.Tokens, error) {
	out := make([]hclwrite.Tokens, len(m.creds))
	written := map[*clusterSource]bool{}
	for i, c := range m.creds {
		is := c.fc.Issuer
		switch {
		case is.URL != "":
			out[i] = str(is.URL)
		case is.FromCluster:
			cs := m.clusterOf(c)
			if cs == nil {
				return nil, fmt.Errorf("federated credential %q: no data source for its cluster", c.fc.Name)
			}
			if !written[cs] {
				written[cs] = true
				sep()
				comment(body, "The cluster's OIDC issuer; the cluster needs oidc_issuer_enabled and",
					"workload_identity_enabled.")
				cb := body.AppendNewBlock("data", []string{"azurerm_kubernetes_cluster", cs.label}).Body()
				if cs.alias != nil {
					cb.SetAttributeTraversal("provider", ref("azurerm", cs.alias.name))
				}
				setStr(cb, "name", cs.cluster.Name)
				setStr(cb, "resource_group_name", cs.cluster.ResourceGroup)
			}
			out[i] = hclwrite.TokensForTraversal(ref("data", "azurerm_kubernetes_cluster", cs.label, "oidc_issuer_url"))
		case is.RemoteState != nil:
			rs := is.RemoteState
			if !hclsyntax.ValidIdentifier(rs.Backend) || !hclsyntax.ValidIdentifier(rs.Output) {
				return nil, fmt.Errorf("remoteState backend %q and output %q must be identifiers", rs.Backend, rs.Output)
			}
			sep()
			comment(body, "The OIDC issuer, read from an output of another Terraform state.")
			rb := body.AppendNewBlock("data", []string{"terraform_remote_state", c.label}).Body()
			setStr(rb, "backend", rs.Backend)
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
	setStr(body, "name", c.fc.Name)
	if m.s.Spec.Terraform.Syntax.UserAssignedIdentityID {
		body.SetAttributeTraversal("user_assigned_identity_id", attr(m.identity, "id"))
	} else {
		body.SetAttributeTraversal("resource_group_name", attr(m.identity, "resource_group_name"))
		body.SetAttributeTraversal("parent_id", attr(m.identity, "id"))
	}
	body.SetAttributeValue("audience", cty.TupleVal([]cty.Value{cty.StringVal(schema.Audience)}))
	body.SetAttributeRaw("issuer", issuer)
	setStr(body, "subject", schema.Subject(c.fc.Namespace, c.fc.ServiceAccount))
}

// ClientIDSetName is the helm_release set name of the service account's
// client-id annotation: serviceAccount.annotations.azure\.workload\.identity/client-id.
var ClientIDSetName = SetName("serviceAccount", "annotations", schema.AnnotationClientID)

// helmRelease writes the helm_release: the chart, values.yaml beside the
// module, two values known only after apply, set as strings: the
// identity's client ID under the escaped client-id annotation key, and
// checksum/workload-identity on the pod template, computed from the same
// client ID (checksumExpr), so a new identity changes the pod template and
// the pods are replaced (the Workload ID webhook mutates pods only at
// creation, azure-workload-identity#109); and depends_on every credential
// of this environment and every role assignment in the module, so pods
// start only once their token can be exchanged. Helm provider 2.x takes
// set {} blocks, 3.x set = [{...}] (facts.md).
func (m *module) helmRelease(body *hclwrite.Body, dependsOn []hclwrite.Tokens) {
	c := m.s.Spec.Chart
	setStr(body, "name", m.s.ReleaseName())
	setStr(body, "repository", c.Repository)
	setStr(body, "chart", c.Name)
	setStr(body, "version", c.Version)
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
			setStr(sb, "name", st.name)
			sb.SetAttributeRaw("value", st.value)
			setStr(sb, "type", "string")
		}
	}
	if len(dependsOn) > 0 {
		body.AppendNewline()
		body.SetAttributeRaw("depends_on", tuplePerLine(dependsOn))
	}
}

// outputs writes the module's outputs, sorted by name.
func (m *module) outputs(body *hclwrite.Body) error {
	e := m.e
	// The subject of this environment's cluster credential, from the
	// resource when this module creates it.
	subject := str(schema.Subject(e.Namespace, e.ServiceAccount))
	for _, c := range m.creds {
		if c.env == e && c.fc.Federation == "" {
			subject = hclwrite.TokensForTraversal(ref(schema.TypeFederatedCredential, c.label, "subject"))
			break
		}
	}
	outs := []struct {
		name, description string
		value             hclwrite.Tokens
	}{
		{"client_id", clientIDDescription(m.s, e), hclwrite.TokensForTraversal(attr(m.identity, "client_id"))},
		{"federated_subject", "Subject of the cluster's federated identity credential: system:serviceaccount:<namespace>:<service account>.", subject},
		{"identity_id", "Resource ID of the user-assigned managed identity.", hclwrite.TokensForTraversal(attr(m.identity, "id"))},
		{"namespace", namespaceDescription(m.release), m.namespace},
		{"principal_id", "Principal (object) ID of the user-assigned managed identity, the one its roles are assigned to.", hclwrite.TokensForTraversal(attr(m.identity, "principal_id"))},
		{"service_account", "Kubernetes service account the pods run as.", str(e.ServiceAccount)},
	}
	for i, o := range outs {
		if i > 0 {
			body.AppendNewline()
		}
		ob := body.AppendNewBlock("output", []string{o.name}).Body()
		setStr(ob, "description", o.description)
		ob.SetAttributeRaw("value", o.value)
	}
	return nil
}

// clientIDDescription describes the client_id output: what to do with it,
// for the outputs of e's targets that need it (they cannot ask Terraform).
func clientIDDescription(s *schema.Spec, e *schema.Environment) string {
	needs := helm.ClientIDOutputs(e)
	d := "Client ID of the user-assigned managed identity"
	if len(needs) == 0 {
		return d + "."
	}
	return fmt.Sprintf("%s: put it in identity.clientId of environment %s in %s for %s.", d, e.Name, s.Source, output.AndList(needs))
}

// namespaceDescription describes the namespace output: the release's when
// the module installs it, else the app's.
func namespaceDescription(release bool) string {
	if release {
		return "Kubernetes namespace of the release."
	}
	return "Kubernetes namespace of the app."
}
