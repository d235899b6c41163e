// The Terraform module of an environment as wigen renders it
// (generate/terraform), read back from main.tf, values.yaml and adopt.tf,
// and what replaces its objects (facts.md "Terraform providers", "What
// forces replacement": azurerm 4.81.0 / 5.2.0, helm 2.17.0 / 3.1.2,
// kubernetes 3.2.1).

package replacement

import (
	"fmt"
	"path"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"go.yaml.in/yaml/v3"

	"github.com/wigen-dev/wigen/generate/terraform"
	"github.com/wigen-dev/wigen/schema"
)

// module is what one rendered module deploys.
type module struct {
	path string // main.tf
	// identity is the azurerm_user_assigned_identity the module creates,
	// nil when it creates none (identity.existing); identityRef the
	// identity its credentials are on, created or read ("name in
	// resource group rg").
	identity    *tfIdentity
	identityRef string
	// identityName and identityRG are that identity's literal name and
	// resource group ("" when not a literal).
	identityName, identityRG string
	// namespace is the name of the kubernetes_namespace_v1 the module
	// creates, "" when it creates none (createNamespace: false).
	namespace string
	creds     []tfCredential
	release   *tfRelease
	// values are the Helm values of the release (values.yaml).
	values map[string]any
	// moved (from -> to) and removed are the adopt.tf blocks.
	moved   map[string]string
	removed map[string]bool
}

type tfIdentity struct{ name, resourceGroup, location string }

type tfCredential struct {
	address, name, subject string
	// issuer is the source text of the issuer expression (a literal or a
	// data source's oidc_issuer_url).
	issuer string
}

type tfRelease struct{ name, namespace, chart, version string }

// readModule reads environment env's module from files; ok is false when
// main.tf is missing or does not parse.
func readModule(files map[string][]byte, env string) (*module, bool) {
	dir := terraform.Dir(env)
	m := &module{path: path.Join(dir, terraform.FileMain), moved: map[string]string{}, removed: map[string]bool{}}
	body, ok := parseHCL(files[m.path], m.path)
	if !ok {
		return nil, false
	}
	for _, b := range body.Blocks {
		if len(b.Labels) == 2 && b.Labels[0] == schema.TypeIdentity && (b.Type == "resource" || b.Type == "data") {
			m.identityName, m.identityRG = str(b.Body, "name"), str(b.Body, "resource_group_name")
			m.identityRef = fmt.Sprintf("%s in resource group %s", schema.Quote(m.identityName), schema.Quote(m.identityRG))
		}
		if b.Type != "resource" || len(b.Labels) != 2 {
			continue
		}
		switch typ, label := b.Labels[0], b.Labels[1]; {
		case typ == schema.TypeIdentity:
			m.identity = &tfIdentity{name: str(b.Body, "name"), resourceGroup: str(b.Body, "resource_group_name"), location: str(b.Body, "location")}
		case typ == schema.TypeNamespace && label == schema.NameThis:
			for _, md := range b.Body.Blocks {
				if md.Type == "metadata" {
					m.namespace = str(md.Body, "name")
				}
			}
		case typ == schema.TypeFederatedCredential:
			m.creds = append(m.creds, tfCredential{address: typ + "." + label, name: str(b.Body, "name"), subject: str(b.Body, "subject"),
				issuer: source(files[m.path], b.Body, "issuer")})
		case typ == schema.TypeRelease && label == schema.NameThis:
			// namespace is a literal, or a reference to the namespace the
			// module creates (resolved below).
			m.release = &tfRelease{name: str(b.Body, "name"), chart: str(b.Body, "chart"), version: str(b.Body, "version"), namespace: str(b.Body, "namespace")}
		}
	}
	if m.release != nil && m.release.namespace == "" {
		m.release.namespace = m.namespace
	}
	if data, ok := files[path.Join(dir, terraform.FileValues)]; ok {
		if yaml.Unmarshal(data, &m.values) != nil {
			m.values = nil
		}
	}
	if ab, ok := parseHCL(files[path.Join(dir, terraform.FileAdopt)], terraform.FileAdopt); ok {
		for _, b := range ab.Blocks {
			switch b.Type {
			case "moved":
				m.moved[addr(b.Body, "from")] = addr(b.Body, "to")
			case "removed":
				m.removed[addr(b.Body, "from")] = true
			}
		}
	}
	return m, true
}

// identityID is the Azure resource ID of the identity module m's
// credentials are on, from its name, resource group and the azurerm
// provider's subscription_id in files (environment env's providers.tf);
// "" when one of them is not a literal.
func (m *module) identityID(files map[string][]byte, env string) string {
	sub := subscription(files[path.Join(terraform.Dir(env), terraform.FileProviders)])
	if sub == "" || m.identityName == "" || m.identityRG == "" {
		return ""
	}
	return "/subscriptions/" + sub + "/resourceGroups/" + m.identityRG + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/" + m.identityName
}

// subscription is the literal subscription_id of the azurerm provider
// block of providers.tf data, or "".
func subscription(data []byte) string {
	body, ok := parseHCL(data, terraform.FileProviders)
	if !ok {
		return ""
	}
	for _, b := range body.Blocks {
		if b.Type == "provider" && len(b.Labels) == 1 && b.Labels[0] == "azurerm" {
			return str(b.Body, "subscription_id")
		}
	}
	return ""
}

func parseHCL(data []byte, name string) (*hclsyntax.Body, bool) {
	if data == nil {
		return nil, false
	}
	f, diags := hclsyntax.ParseConfig(data, name, hcl.InitialPos)
	if diags.HasErrors() {
		return nil, false
	}
	body, ok := f.Body.(*hclsyntax.Body)
	return body, ok
}

// str is the literal string attribute name of body, or "".
func str(body *hclsyntax.Body, name string) string {
	a, ok := body.Attributes[name]
	if !ok {
		return ""
	}
	v, diags := a.Expr.Value(nil)
	if diags.HasErrors() || v.Type() != cty.String || v.IsNull() {
		return ""
	}
	return v.AsString()
}

// source is the source text of attribute name of body, parsed from data,
// or "".
func source(data []byte, body *hclsyntax.Body, name string) string {
	a, ok := body.Attributes[name]
	if !ok {
		return ""
	}
	r := a.Expr.Range()
	if r.Start.Byte < 0 || r.End.Byte > len(data) || r.Start.Byte > r.End.Byte {
		return ""
	}
	return string(data[r.Start.Byte:r.End.Byte])
}

// addr is the resource address attribute name of body (a traversal), or "".
func addr(body *hclsyntax.Body, name string) string {
	a, ok := body.Attributes[name]
	if !ok {
		return ""
	}
	tr, diags := hcl.AbsTraversalForExpr(a.Expr)
	if diags.HasErrors() {
		return ""
	}
	parts := []string{tr.RootName()}
	for _, s := range tr[1:] {
		if at, ok := s.(hcl.TraverseAttr); ok {
			parts = append(parts, at.Name)
		}
	}
	return strings.Join(parts, ".")
}

func (m *module) chart() chart {
	return chart{name: m.release.chart, version: m.release.version, release: m.release.name, values: m.values}
}

func (m *module) helmRelease() helmRelease {
	return helmRelease{namespace: m.release.namespace, chart: m.chart()}
}

// compareModules lists what module n replaces of module o, and the
// federated identity credentials o created that n neither creates nor
// makes the state forget (compareCredentials). elsewhere reports whether
// another module created a credential of that name before (a shared
// identity's credential moving into this module).
func compareModules(env string, o, n *module, elsewhere func(name string) bool) ([]Replacement, []tfCredential) {
	var out []Replacement
	add := func(object, change, consequence string) {
		out = append(out, Replacement{Env: env, Path: n.path, Object: object, Change: change, Consequence: consequence})
	}
	oldPVC, kept := "", false
	if o.release != nil {
		oldPVC, kept = pvc(o.chart())
	}

	// The identity: name, resource_group_name and location force a new one.
	reported := len(out)
	if oi := o.identity; oi != nil {
		switch ni := n.identity; {
		case ni != nil:
			var changes []string
			if oi.name != ni.name {
				changes = append(changes, "becomes "+schema.Quote(ni.name))
			}
			if oi.resourceGroup != ni.resourceGroup {
				changes = append(changes, fmt.Sprintf("moves from resource group %s to %s", schema.Quote(oi.resourceGroup), schema.Quote(ni.resourceGroup)))
			}
			if normalizeLocation(oi.location) != normalizeLocation(ni.location) {
				changes = append(changes, fmt.Sprintf("moves from location %s to %s", schema.Quote(oi.location), schema.Quote(ni.location)))
			}
			if len(changes) > 0 {
				add("identity "+schema.Quote(oi.name), strings.Join(changes, " and "),
					"Terraform replaces it: a new client ID and principal ID, so everything that names the client ID (identity.clientId, the Helm values, the Kustomize overlay) needs the new one, and its federated identity credentials and role assignments are created again")
			}
		case !n.removed[schema.IdentityAddress]:
			add("identity "+schema.Quote(oi.name), "is no longer created by this module (identity.existing)",
				"Terraform destroys it: its client ID and principal ID are gone for good, its role assignments with it; to keep the identity, make the state forget it instead: adopt.addresses.identity: "+schema.IdentityAddress)
		}
	}

	// The namespace: a new name is a new namespace; deleting one deletes
	// everything in it (Helm's keep policy does not stop that).
	if o.namespace != "" {
		gone := fmt.Sprintf("Terraform deletes namespace %s and everything in it", schema.Quote(o.namespace))
		if oldPVC != "" {
			gone += fmt.Sprintf(", the PVC %s and the chat database in it too (helm.sh/resource-policy: keep does not stop a namespace's deletion)", schema.Quote(oldPVC))
		}
		switch {
		case n.namespace != "" && n.namespace != o.namespace:
			add("namespace "+schema.Quote(o.namespace), "becomes "+schema.Quote(n.namespace), gone)
		case n.namespace == "" && !n.removed[schema.NamespaceAddress]:
			why := "createNamespace: false"
			if o.release != nil && n.release == nil {
				why = "terraform.release: false"
			}
			add("namespace "+schema.Quote(o.namespace), "is no longer created by this module ("+why+")",
				gone+"; to keep the namespace, make the state forget it instead: adopt.addresses.namespace: "+schema.NamespaceAddress)
		}
	}

	identityReplaced := len(out) > reported
	creds, left := compareCredentials(env, n.path, o, n, identityReplaced, elsewhere)
	out = append(out, creds...)

	// A release the module no longer installs (terraform.release: false)
	// is uninstalled, unless the state forgets it.
	if or := o.release; or != nil && n.release == nil && !n.removed[schema.ReleaseAddress] {
		c := "Terraform uninstalls it, and the app is down until the environment's other target installs it again"
		switch {
		case oldPVC == "":
		case kept:
			c += fmt.Sprintf("; the PVC %s stays (helm.sh/resource-policy: keep)", schema.Quote(oldPVC))
		default:
			c += fmt.Sprintf("; the chart's PVC %s is deleted, and the chat database in it", schema.Quote(oldPVC))
		}
		add(fmt.Sprintf("release %s in namespace %s", schema.Quote(or.name), schema.Quote(or.namespace)), "is no longer installed by this module (terraform.release: false)",
			c+"; to leave it installed for that target to take over, make the state forget it instead: adopt.addresses.release: "+schema.ReleaseAddress)
	}

	// The release: name and namespace force an uninstall and a new install;
	// a chart upgrade in place can rename the chart's objects.
	if o.release != nil && n.release != nil {
		out = append(out, compareReleases(env, n.path, "Terraform", "", o.helmRelease(), n.helmRelease(), false)...)
	}
	return out, left
}

// bySubject returns the credentials of creds with oc's subject, those with
// oc's issuer too first: a module that creates a shared identity's
// credentials holds those of other environments, whose subject can be the
// same on another cluster.
func bySubject(creds []tfCredential, oc tfCredential) []tfCredential {
	var same, other []tfCredential
	for _, c := range creds {
		switch {
		case c.subject != oc.subject:
		case c.issuer == oc.issuer:
			same = append(same, c)
		default:
			other = append(other, c)
		}
	}
	return append(same, other...)
}

// compareCredentials: a credential's name is immutable, and one under
// another resource address is deleted and created (no moved block but
// adopt's). Credentials are paired by address (after adopt's moved
// blocks), then the rest by subject (those of the same issuer first),
// leaving out any another module created before: one without a partner
// was added, or removed, or moved to another module (left: movedBetween
// tells those apart), unless n's adopt.tf makes the state forget it.
//
// A credential on another identity (parent_id, user_assigned_identity_id)
// is deleted and created too; when the module's own identity is replaced
// its line says so, else (another existing identity read) each credential
// says it.
func compareCredentials(env, file string, o, n *module, identityReplaced bool, elsewhere func(name string) bool) (out []Replacement, left []tfCredential) {
	byAddress := map[string]tfCredential{}
	for _, c := range n.creds {
		byAddress[c.address] = c
	}
	paired := map[string]bool{}
	var rest []tfCredential
	for _, oc := range o.creds {
		a := oc.address
		if to, ok := n.moved[a]; ok {
			a = to
		}
		nc, ok := byAddress[a]
		if !ok {
			rest = append(rest, oc)
			continue
		}
		paired[a] = true
		switch {
		case oc.name != nc.name:
			out = append(out, Replacement{Env: env, Path: file, Object: "federated identity credential " + schema.Quote(oc.name), Change: "becomes " + schema.Quote(nc.name),
				Consequence: fmt.Sprintf("a credential's name cannot change, so Terraform deletes it and creates %s: token exchange for %s fails in between; to keep it, give it its name (cluster.federatedCredentialName or additionalFederations[].credentialName: %s)", schema.Quote(nc.name), schema.Quote(oc.subject), schema.Quote(oc.name))})
		case !identityReplaced && o.identityRef != n.identityRef:
			out = append(out, Replacement{Env: env, Path: file, Object: "federated identity credential " + schema.Quote(oc.name), Change: fmt.Sprintf("moves from identity %s to identity %s", o.identityRef, n.identityRef),
				Consequence: fmt.Sprintf("a credential belongs to one identity, so Terraform deletes it and creates it on the other: token exchange for %s fails in between", schema.Quote(oc.subject))})
		}
	}
	for _, oc := range rest {
		if n.removed[oc.address] {
			continue
		}
		found := false
		for _, nc := range bySubject(n.creds, oc) {
			if paired[nc.address] || elsewhere(nc.name) {
				continue // another module created that one: it moves between modules
			}
			paired[nc.address] = true
			c := fmt.Sprintf("Terraform deletes it and creates it again under the new address: token exchange for %s fails in between", schema.Quote(oc.subject))
			if nc.name == oc.name {
				c += ", and, the two having one name, the delete can remove the credential just created"
			}
			out = append(out, Replacement{Env: env, Path: file, Object: "federated identity credential " + schema.Quote(oc.name),
				Change: fmt.Sprintf("moves from %s to %s", schema.Quote(oc.address), schema.Quote(nc.address)), Consequence: c})
			found = true
			break
		}
		if !found {
			left = append(left, oc)
		}
	}
	return out, left
}

// normalizeLocation is an Azure location as azurerm compares two of them:
// lower case, without spaces ("West Europe" is westeurope). The
// provider's location attribute suppresses a difference between two
// locations that normalise alike (go-azure-helpers
// resourcemanager/location, DiffSuppressFunc and Normalize, vendored in
// terraform-provider-azurerm), so such an edit replaces nothing.
func normalizeLocation(l string) string {
	return strings.ToLower(strings.ReplaceAll(l, " ", ""))
}
