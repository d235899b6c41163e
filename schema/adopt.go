// Adoption: taking objects that exist already (made by the Open WebUI
// Workload ID tutorial's Terraform, another module, or by hand) under an
// environment's module without recreating any of them. Load resolves
// spec.environments[].adopt into the moved, removed and import blocks of
// the module (Environment.Adoption), and raises or checks the module's
// Terraform version for them. Sources: facts.md "Terraform providers"
// (moved 1.1+, import 1.5+, removed with lifecycle { destroy = false }
// 1.7+; no moved across resource types, "Move Resource State Not
// Supported", terraform-provider-kubernetes#2812; the import ID formats),
// source-tutorial.md (the tutorial's resource addresses and credential
// name).
//
// An environment's adopt covers the environment's own objects, wherever
// they are rendered. A module without the release (terraform.release:
// false) renders no namespace and no helm_release: their addresses in the
// existing state are forgotten (removed, destroy = false), so the release
// stays installed for the environment's other target to take over, and an
// import names neither; the module then pins the kubernetes and helm
// providers for those blocks alone and configures neither, which needs
// Terraform 1.9.3 (ForgottenProviders, forgetWithoutProvider). The federated identity credentials of an
// environment that shares an identity are created by the identity's module
// (Spec.CredentialModule), in another state: they are imported there (by
// ID, as a moved block cannot cross states) and, from an existing state of
// the environment's own module, forgotten in it.

package schema

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	version "github.com/hashicorp/go-version"

	"github.com/wigen-dev/wigen/generate/output"
)

// AdoptKind is the Terraform block an AdoptBlock writes.
type AdoptKind int

const (
	// Moved is `moved { from = From; to = To }` (Terraform 1.1): the
	// object is in the state under another address of the same type.
	Moved AdoptKind = iota
	// Removed is `removed { from = From; lifecycle { destroy = false } }`
	// (Terraform 1.7): the state forgets the object and leaves it be.
	Removed
	// Import is `import { to = To; id = ID }` (Terraform 1.5): the plan
	// reads the object from its API into the state.
	Import
)

func (k AdoptKind) String() string {
	switch k {
	case Removed:
		return "removed"
	case Import:
		return "import"
	}
	return "moved"
}

// MinTerraform is the oldest Terraform that reads a block of kind k.
func (k AdoptKind) MinTerraform() string {
	switch k {
	case Removed:
		return "1.7.0"
	case Import:
		return "1.5.0"
	}
	return "1.1.0"
}

// forgetWithoutProvider is the oldest Terraform whose removed block
// (destroy = false) forgets an object without reading it first: from
// 1.7.0 to 1.9.2 the plan refreshes the object before it forgets it, a
// call to the object's API through its provider configuration; 1.9.3 skips
// that read (hashicorp/terraform#35458, internal/terraform/
// node_resource_plan_orphan.go). Terraform still starts the provider (it
// upgrades the object's state with the provider's schema), configured
// with an empty configuration where the module has none, which the
// kubernetes and helm providers accept without connecting to a cluster
// (terraform-provider-kubernetes v3.2.1 kubernetes/provider.go
// providerConfigure, terraform-provider-helm v3.1.2 helm/provider.go
// Configure: both connect on first use).
const forgetWithoutProvider = "1.9.3"

// providerOf is the provider of resource type typ, the part before its
// first '_' (hashicorp's provider naming): azurerm, kubernetes, helm.
func providerOf(typ string) string {
	p, _, _ := strings.Cut(typ, "_")
	return p
}

// ForgottenProviders lists the providers (kubernetes, then helm, as
// required_providers names them) of the objects adopt's removed blocks make
// e's state forget that e's module does not configure: a module without
// the release (terraform.release: false) taking over a state that holds a
// kubernetes_namespace(_v1) or a helm_release. terraform init installs
// every provider the state names, so the module pins these to
// spec.terraform.providers while adopt.tf holds such a block (unpinned,
// init would install the newest, which may not read the state), and
// configures none of them: the blocks need Terraform forgetWithoutProvider
// (MinTerraformFor). nil for a module with the release, which configures
// both.
func (e *Environment) ForgottenProviders() []string {
	if e.TerraformRelease() {
		return nil
	}
	var out []string
	for _, p := range []string{"kubernetes", "helm"} {
		for _, b := range e.Adoption {
			if forgets(b) == p {
				out = append(out, p)
				break
			}
		}
	}
	return out
}

// forgets is the provider, kubernetes or helm, of the object a removed
// block b forgets; "" for any other block.
func forgets(b AdoptBlock) string {
	if b.Kind != Removed {
		return ""
	}
	if p := providerOf(resourceType(b.From)); p == "kubernetes" || p == "helm" {
		return p
	}
	return ""
}

// MinTerraformFor is the oldest Terraform that applies block b in e's
// module: its kind's MinTerraform, or forgetWithoutProvider for a removed
// block of a provider the module does not configure (ForgottenProviders):
// an older Terraform would read the object through that provider, with no
// cluster credentials to read it with.
func (e *Environment) MinTerraformFor(b AdoptBlock) string {
	if !e.TerraformRelease() && forgets(b) != "" {
		return forgetWithoutProvider
	}
	return b.Kind.MinTerraform()
}

// AdoptBlock is one block of an environment's adoption.
type AdoptBlock struct {
	Kind AdoptKind
	// From is the address in the existing state (Moved, Removed).
	From string
	// To is the address wigen renders the object under (Moved, Import).
	To string
	// ID is the import ID (Import): the identity's Azure resource ID,
	// <identity ID>/federatedIdentityCredentials/<name>, the role
	// assignment's ID, <namespace>/<release>, or the namespace's name.
	ID string
	// Object names the object for people: "identity id-open-webui".
	Object string
	// Env is the environment whose adopt asks for the block: the module's
	// own, or another environment sharing the identity whose federated
	// identity credentials this module creates (Spec.CredentialModule).
	Env string
}

// The addresses and names of the Open WebUI Workload ID tutorial's
// Terraform (source-tutorial.md), the preset adopt.from: tutorial.
const (
	AdoptFromTutorial = "tutorial"

	tutorialNamespace      = "kubernetes_namespace.this"
	tutorialIdentity       = "azurerm_user_assigned_identity.uai"
	tutorialCredential     = "azurerm_federated_identity_credential.federated_identity"
	tutorialRoleAssignment = "azurerm_role_assignment.workload_identity_azure_openai"
	tutorialRelease        = "helm_release.openwebui"
	// TutorialCredentialName is the tutorial's federated identity
	// credential name; TutorialRelease its Helm release name.
	TutorialCredentialName = "federated-identity"
	TutorialRelease        = "open-webui"
)

// AdoptsRelease reports whether e's adopt takes over a release that is
// installed already: adopt.from (the tutorial's helm_release),
// adopt.addresses.release, or adopt.import (the objects exist, the
// release among them).
func (e *Environment) AdoptsRelease() bool {
	a := e.Adopt
	return a != nil && (a.From == AdoptFromTutorial || a.Import || (a.Addresses != nil && a.Addresses.Release != ""))
}

// Subcharts are the open-webui chart's subcharts that are on by default
// (ollama and pipelines, chart 7.2.0 and 16.0.0: values.yaml), which
// wigen's values turn off unless the chart values set them (helm.Values)
// or the environment adopts an installed release (AdoptsRelease): turned
// off there, Helm would uninstall them, and the Pipelines PVC with them.
var Subcharts = []string{"ollama", "pipelines"}

// SubchartSet reports whether chart values vals set subchart's enabled.
func SubchartSet(vals map[string]any, subchart string) bool {
	m, _ := vals[subchart].(map[string]any)
	_, ok := m["enabled"]
	return ok
}

// warnAdoptedValues: an adopted release was installed with values of its
// own (the tutorial's helm.values.yaml), which wigen's replace; and its
// subcharts run as the chart's defaults have them, which wigen keeps
// while adopt is set and turns off once it is removed, unless the chart
// values say.
func (v *validator) warnAdoptedValues(e *Environment, ap string) {
	at := ap + ".import"
	switch a := e.Adopt; {
	case a.From != "":
		at = ap + ".from"
	case !a.Import:
		at = ap + ".addresses.release"
	}
	name := v.s.ReleaseName()
	tutorial := ""
	if e.Adopt.From == AdoptFromTutorial {
		tutorial = "the tutorial's helm.values.yaml; "
	}
	msg := fmt.Sprintf("environment %s adopts the installed release %s: wigen's values replace the values it was installed with (%s`helm get values %s --namespace %s` prints them), so move the ones to keep into spec.chart.values or this environment's chart.values",
		Quote(e.Name), Quote(name), tutorial, output.ShellQuote(name), output.ShellQuote(e.Namespace))
	var unset []string
	for _, sc := range Subcharts {
		if !SubchartSet(v.s.Values(e), sc) {
			unset = append(unset, sc+".enabled")
		}
	}
	if len(unset) > 0 {
		msg += fmt.Sprintf("; %s: the chart's default (on) is kept while adopt is set, where wigen's default would turn the subchart off and Helm would uninstall it (the Pipelines PVC with it); set %s there before removing adopt (true keeps them, false removes them)",
			strings.Join(unset, " and "), strings.Join(unset, " and "))
	}
	v.warnf(at, "%s", msg)
}

// IdentityID is the Azure resource ID of e's user-assigned managed
// identity, its import ID (Microsoft.ManagedIdentity resource ID form).
func (e *Environment) IdentityID() string {
	return "/subscriptions/" + e.SubscriptionID + "/resourceGroups/" + e.IdentityResourceGroup() +
		"/providers/Microsoft.ManagedIdentity/userAssignedIdentities/" + e.Identity.Name
}

var (
	addrIdent = `[A-Za-z_][A-Za-z0-9_-]*`
	// resourceAddressRE: [module.NAME.]...TYPE.NAME, no instance keys.
	resourceAddressRE = lazyRE(`^(?:module\.` + addrIdent + `\.)*(` + addrIdent + `)\.` + addrIdent + `$`)
	roleAssignmentRE  = lazyRE(`(?i)^(.+)/providers/Microsoft\.Authorization/roleAssignments/([^/]+)$`)
)

// adoption collects the blocks of one environment while they are checked.
type adoption struct {
	v      *validator
	e      *Environment
	p      string // spec.environments[i].adopt
	blocks []AdoptBlock
	// owner is the environment whose module creates e's federated identity
	// credentials, and elsewhere the import blocks of e's adopt that go
	// into that module when it is not e's.
	owner     *Environment
	elsewhere []AdoptBlock
	// rendered holds the addresses the module renders resources under.
	rendered map[string]bool
	// from holds, by address in the existing state, the field it came from.
	from map[string]string
}

// validateAdopt checks spec.environments[i].adopt (p is the environment's
// path) and fills e.Adoption.
func (v *validator) validateAdopt(e *Environment, p string) {
	a := e.Adopt
	if a == nil || e.Identity == nil || e.Cluster == nil {
		return // no adopt, or reported on their own
	}
	ap := p + ".adopt"
	if !e.HasTarget(TargetTerraform) {
		v.errorf(ap, "adopt writes moved, removed and import blocks into the Terraform module, and the environment's targets do not render terraform; add it or remove adopt")
		return
	}
	byAddress := a.From != "" || a.Addresses != nil
	switch {
	case a.Import && byAddress:
		v.errorf(ap+".import", "import takes the objects into a new state, while from and addresses move them inside an existing one; use one of the two")
		return
	case !a.Import && !byAddress:
		v.errorf(ap, "names nothing to adopt: set from: tutorial or addresses (the module's backend then points at the existing state), or import: true (a new state, the objects exist)")
		return
	}
	if a.RoleAssignmentIDs != nil && !a.Import {
		v.errorf(ap+".roleAssignmentIds", "is only for import: true: with from and addresses the role assignments are in the existing state already")
	}
	ad := &adoption{v: v, e: e, p: ap, rendered: map[string]bool{}, from: map[string]string{}, owner: v.s.CredentialModule(e)}
	release := e.TerraformRelease()
	if release && e.CreatesNamespace() {
		ad.rendered[NamespaceAddress] = true
	}
	if !e.Identity.Existing {
		ad.rendered[IdentityAddress] = true
	}
	for _, l := range v.s.ModuleCredentialLabels(e) {
		ad.rendered[TypeFederatedCredential+"."+l] = true
	}
	for _, l := range e.RoleLabels() {
		ad.rendered[TypeRoleAssignment+"."+l] = true
	}
	if release {
		ad.rendered[ReleaseAddress] = true
	}
	if a.Import {
		ad.imports()
	} else {
		ad.addresses()
	}
	for i := range ad.blocks {
		ad.blocks[i].Env = e.Name
	}
	e.Adoption = ad.blocks
	if e.AdoptsRelease() {
		v.warnAdoptedValues(e, ap)
	}
	if len(ad.elsewhere) > 0 {
		if v.adoptElsewhere == nil {
			v.adoptElsewhere = map[*Environment][]AdoptBlock{}
		}
		v.adoptElsewhere[ad.owner] = append(v.adoptElsewhere[ad.owner], ad.elsewhere...)
	}
}

// credentialHere reports whether e's own module creates e's federated
// identity credentials; when it does not, the identity's module does.
func (ad *adoption) credentialHere() bool { return ad.owner == ad.e }

// importCredential adds the import block of e's federated identity
// credential i (in FederatedCredentials order) to the module that creates
// it: e's own, or the identity's module.
func (ad *adoption) importCredential(i int) {
	e := ad.e
	addrs := ad.v.s.CredentialAddresses(e)
	if i >= len(addrs) {
		return
	}
	fc := e.FederatedCredentials()[i]
	b := AdoptBlock{Kind: Import, To: addrs[i], ID: e.IdentityID() + "/federatedIdentityCredentials/" + fc.Name,
		Object: "federated identity credential " + fc.Name}
	if ad.credentialHere() {
		ad.blocks = append(ad.blocks, b)
		return
	}
	b.Env = e.Name
	ad.elsewhere = append(ad.elsewhere, b)
}

// addressed is one address of adopt.addresses (or of the preset) with the
// field it was given in.
type addressed struct {
	addr, path string
	preset     bool
}

// addresses resolves from and addresses into moved and removed blocks (and
// the import that completes a removed kubernetes_namespace).
func (ad *adoption) addresses() {
	v, e, a := ad.v, ad.e, ad.e.Adopt
	var ns, id, rel *addressed
	creds := map[string]addressed{}
	roles := map[string]addressed{}
	if a.From == AdoptFromTutorial {
		fp := ad.p + ".from"
		ns = &addressed{tutorialNamespace, fp, true}
		id = &addressed{tutorialIdentity, fp, true}
		rel = &addressed{tutorialRelease, fp, true}
		creds[e.Cluster.Name] = addressed{tutorialCredential, fp, true}
		roles[RoleOpenAIUser] = addressed{tutorialRoleAssignment, fp, true}
	}
	if x := a.Addresses; x != nil {
		xp := ad.p + ".addresses"
		for _, f := range []struct {
			val  string
			name string
			dst  **addressed
		}{{x.Namespace, "namespace", &ns}, {x.Identity, "identity", &id}, {x.Release, "release", &rel}} {
			if f.val != "" {
				*f.dst = &addressed{f.val, xp + "." + f.name, false}
			}
		}
		for _, k := range sortedKeys(x.FederatedCredentials) {
			creds[k] = addressed{x.FederatedCredentials[k], joinKey(xp+".federatedCredentials", k), false}
		}
		for _, k := range sortedKeys(x.RoleAssignments) {
			roles[k] = addressed{x.RoleAssignments[k], joinKey(xp+".roleAssignments", k), false}
		}
	}

	if ns != nil && ad.check(*ns, TypeNamespace, TypeNamespaceDeprecated) {
		obj := "namespace " + e.Namespace
		switch {
		case !e.TerraformRelease():
			ad.add(*ns, AdoptBlock{Kind: Removed, From: ns.addr, Object: obj + " (terraform.release: false: the module renders no namespace; kept, no longer in this state)"})
		case !e.CreatesNamespace():
			ad.add(*ns, AdoptBlock{Kind: Removed, From: ns.addr, Object: obj + " (createNamespace: false: kept, no longer in this state)"})
		case resourceType(ns.addr) == TypeNamespaceDeprecated:
			// A moved block across resource types fails ("Move Resource
			// State Not Supported"): forget, then import by name.
			ad.add(*ns, AdoptBlock{Kind: Removed, From: ns.addr, Object: obj})
			ad.blocks = append(ad.blocks, AdoptBlock{Kind: Import, To: NamespaceAddress, ID: e.Namespace, Object: obj})
		default:
			ad.move(*ns, NamespaceAddress, obj)
		}
	}
	if id != nil && ad.check(*id, TypeIdentity) {
		obj := "identity " + e.Identity.Name
		if e.Identity.Existing {
			ad.add(*id, AdoptBlock{Kind: Removed, From: id.addr, Object: obj + " (identity.existing: kept, no longer in this state)"})
		} else {
			ad.move(*id, IdentityAddress, obj)
		}
	}
	ad.credentials(creds)
	ad.roles(roles)
	if rel != nil && ad.check(*rel, TypeRelease) {
		name := ad.v.s.ReleaseName()
		if e.TerraformRelease() {
			ad.move(*rel, ReleaseAddress, "release "+name)
		} else {
			// The module renders no helm_release: left in the state, the
			// release would be uninstalled (and its PVC with it, unless
			// kept). Forgotten, it stays installed under its name, which
			// the environment's helm, kustomize, argocd or flux output
			// uses too.
			ad.add(*rel, AdoptBlock{Kind: Removed, From: rel.addr, Object: fmt.Sprintf("release %s (terraform.release: false: stays installed, no longer in this state; installed with %s from now on)", name, appInstallers(e))})
		}
		if rel.preset && name != TutorialRelease {
			if e.TerraformRelease() {
				v.warnf("metadata.name", "environment %s adopts the tutorial's helm_release, whose release is named %s, but the release here is %s: a release's name cannot change, so Terraform would uninstall it and install it again (the chart's PVC, and the chat database in it, go with it unless kept); set metadata.name: %s unless your release was renamed", Quote(e.Name), Quote(TutorialRelease), Quote(name), TutorialRelease)
			} else {
				v.warnf("metadata.name", "environment %s adopts the tutorial's helm_release, whose release is named %s, but the release here is %s: the tutorial's release stays installed, and installing with %s adds a second one beside it, with a new, empty PVC; set metadata.name: %s unless your release was renamed", Quote(e.Name), Quote(TutorialRelease), Quote(name), appInstallers(e), TutorialRelease)
			}
		}
	}
}

// appInstallers names what of e's output installs the app besides
// Terraform (appTargets): "the Helm values or the Kustomize overlay".
func appInstallers(e *Environment) string {
	what := map[string]string{TargetHelm: "the Helm values", TargetKustomize: "the Kustomize overlay",
		TargetArgoCD: "the Argo CD Application", TargetFlux: "the Flux HelmRelease"}
	var out []string
	for _, t := range appTargets {
		if e.HasTarget(t) {
			out = append(out, what[t])
		}
	}
	if len(out) == 0 {
		return "another target" // refused by validateEnvironmentTargets
	}
	return strings.Join(out, " or ")
}

// credentials resolves adopt.addresses.federatedCredentials (keyed by the
// cluster's or a federation's name) into moved blocks.
func (ad *adoption) credentials(creds map[string]addressed) {
	v, e := ad.v, ad.e
	fcs := e.FederatedCredentials()
	addrs := v.s.CredentialAddresses(e) // in e's module or the identity's
	keys := map[string][]int{}
	var names []string
	for i, fc := range fcs {
		k := fc.Federation
		if i == 0 && fc.Federation == "" {
			k = e.Cluster.Name
		}
		if _, ok := keys[k]; !ok {
			names = append(names, k)
		}
		keys[k] = append(keys[k], i)
	}
	pending := map[int]addressed{}
	for _, k := range sortedKeys(creds) {
		c := creds[k]
		idx, ok := keys[k]
		switch {
		case !ok:
			v.errorf(c.path, "%s is neither the cluster's name nor an additional federation's; federated identity credentials are adopted by those: %s", Quote(k), quoteList(names))
			continue
		case len(idx) > 1:
			v.errorf(c.path, "%s names both the cluster and an additional federation, so it does not say which credential the address holds; rename the federation", Quote(k))
			continue
		}
		if !ad.check(c, TypeFederatedCredential) {
			continue
		}
		if !ad.credentialHere() {
			// Created by the identity's module, in another state: this
			// state forgets it, that module imports it.
			fc := fcs[idx[0]]
			ad.add(c, AdoptBlock{Kind: Removed, From: c.addr, Object: fmt.Sprintf("federated identity credential %s (created by environment %s's module from now on, which imports it; no longer in this state)", fc.Name, ad.owner.Name)})
			ad.importCredential(idx[0])
		} else if ad.movable(c, addrs[idx[0]]) {
			pending[idx[0]] = c
		}
		if fc := fcs[idx[0]]; c.preset && !fc.Named {
			// A credential's name is immutable: moved under wigen's derived
			// name, the tutorial's credential would be deleted and created
			// again, and token exchange fails in between.
			v.errorf(ad.p+".from", "environment %s adopts the tutorial's federated identity credential, which the tutorial names %s, while wigen would name it %s: a credential's name cannot change (Terraform would delete it and create it again, and token exchange fails in between); set spec.environments[%s].cluster.federatedCredentialName: %s (or the name yours has)",
				Quote(e.Name), Quote(TutorialCredentialName), Quote(fc.Name), envIndex(ad.p), TutorialCredentialName)
		}
	}
	for i, fc := range fcs { // in the order of FederatedCredentials
		if c, ok := pending[i]; ok {
			ad.move(c, addrs[i], "federated identity credential "+fc.Name)
		}
	}
}

// roles resolves adopt.addresses.roleAssignments into moved blocks. A key
// names one role assignment of the environment (assignmentsOf): its role,
// when the role is assigned on one scope here, or its resource name in
// main.tf (RoleLabels), which tells apart the assignments of a role on
// several scopes (a role without scope with several Azure OpenAI accounts
// is one assignment per account). An address written wins over the
// preset's for the same assignment. The tutorial's role assignment, when
// the environment does not assign its role, is forgotten and kept, with a
// warning; when it assigns the role on several scopes, the tutorial's is on
// one of them, which only the user can name.
func (ad *adoption) roles(roles map[string]addressed) {
	v, e := ad.v, ad.e
	labels := e.RoleLabels()
	keys := sortedKeys(roles)
	sort.SliceStable(keys, func(i, j int) bool { return !roles[keys[i]].preset && roles[keys[j]].preset })
	claimed := map[int]bool{}
	pending := map[int]addressed{}
	for _, k := range keys {
		c := roles[k]
		idx, byLabel := ad.assignmentsOf(k)
		if c.preset && slices.ContainsFunc(idx, func(i int) bool { return claimed[i] }) {
			continue // an address written for the assignment wins
		}
		switch {
		case len(idx) == 0 && c.preset:
			if ad.check(c, TypeRoleAssignment) {
				ad.add(c, AdoptBlock{Kind: Removed, From: c.addr, Object: fmt.Sprintf("role assignment %s (not assigned here: kept, no longer in this state)", RoleOpenAIUser)})
				v.warnf(c.path, "environment %s assigns no %s, so the tutorial's role assignment leaves this state and stays in Azure, managed by nothing wigen renders; assign the role here (roles) to keep managing it", Quote(e.Name), Quote(RoleOpenAIUser))
			}
			continue
		case len(idx) == 0:
			v.errorf(c.path, "%s is neither a role this environment assigns nor the resource name of one of its role assignments; adopt each by %s", Quote(k), ad.assignmentKeys())
			continue
		case len(idx) > 1 && c.preset:
			v.errorf(c.path, "environment %s assigns %s on %d scopes (%s), and the tutorial's role assignment is on one of them; say which: set adopt.addresses.roleAssignments.<resource name>: %s for it, the resource name one of %s", Quote(e.Name), Quote(k), len(idx), ad.scopesOf(idx), tutorialRoleAssignment, ad.labelsOf(idx))
			continue
		case len(idx) > 1:
			v.errorf(c.path, "%s is assigned on %d scopes here (%s), so the role does not say which assignment the address holds; key each by its resource name in main.tf instead: %s", Quote(k), len(idx), ad.scopesOf(idx), ad.labelsOf(idx))
			continue
		}
		if claimed[idx[0]] {
			what := "assigns the same role as another key of roleAssignments (a role given by name and by ID is one role)"
			if byLabel {
				what = "names the role assignment another key of roleAssignments names (by its role or its resource name)"
			}
			v.errorf(c.path, "%s; keep one", what)
			continue
		}
		claimed[idx[0]] = true
		if ad.check(c, TypeRoleAssignment) && ad.movable(c, TypeRoleAssignment+"."+labels[idx[0]]) {
			pending[idx[0]] = c
		}
	}
	for i := range e.Roles { // in the order of roles
		if c, ok := pending[i]; ok {
			ad.move(c, TypeRoleAssignment+"."+labels[i], ad.assignmentObject(i))
		}
	}
}

// assignmentsOf returns the indexes in e.Roles of the role assignments key
// names: the one whose resource name (RoleLabels) is key (byLabel), else
// every assignment of role key (by name or by role definition ID, as
// roleKey tells them apart), one per scope.
func (ad *adoption) assignmentsOf(key string) (idx []int, byLabel bool) {
	if i := slices.Index(ad.e.RoleLabels(), key); i >= 0 {
		return []int{i}, true
	}
	return ad.rolesOf(key), false
}

// rolesOf returns the indexes of e.Roles that assign role key (by name or
// by role definition ID, as roleKey tells them apart).
func (ad *adoption) rolesOf(key string) []int {
	e := ad.e
	want := strings.ToLower(roleKey(Role{Role: key}, e.SubscriptionID))
	var out []int
	for i, r := range e.Roles {
		if strings.ToLower(roleKey(r, e.SubscriptionID)) == want {
			out = append(out, i)
		}
	}
	return out
}

// assignmentKey is the key adopt takes for role assignment i of e: its role
// when the role is assigned on one scope here, else its resource name.
func (ad *adoption) assignmentKey(i int) string {
	r := ad.e.Roles[i]
	if len(ad.rolesOf(r.Role)) == 1 {
		return r.Role
	}
	return ad.e.RoleLabels()[i]
}

// assignmentObject names role assignment i of e for people: "role
// assignment Reader", with its scope when the role is on several.
func (ad *adoption) assignmentObject(i int) string {
	r := ad.e.Roles[i]
	if len(ad.rolesOf(r.Role)) == 1 {
		return "role assignment " + r.Role
	}
	return "role assignment " + r.Role + " on " + r.Scope
}

// assignmentKeys names, for a message, the keys of e's role assignments:
// "\"Reader\" (on /subscriptions/...), \"reader_aoai\" (\"Reader\" on
// /subscriptions/...)", or that there is none.
func (ad *adoption) assignmentKeys() string {
	var out []string
	for i, r := range ad.e.Roles {
		if k := ad.assignmentKey(i); k == r.Role {
			out = append(out, Quote(k)+" (on "+EscapeText(r.Scope)+")")
		} else {
			out = append(out, Quote(k)+" ("+Quote(r.Role)+" on "+EscapeText(r.Scope)+")")
		}
	}
	if len(out) == 0 {
		return "role, but roles is empty"
	}
	return "role or resource name: " + strings.Join(out, ", ")
}

// labelsOf names the resource names of the role assignments idx, with
// their scopes: "\"x_aoai\" (on /subscriptions/...), ...".
func (ad *adoption) labelsOf(idx []int) string {
	labels := ad.e.RoleLabels()
	var out []string
	for _, i := range idx {
		out = append(out, Quote(labels[i])+" (on "+EscapeText(ad.e.Roles[i].Scope)+")")
	}
	return strings.Join(out, ", ")
}

// scopesOf names the scopes of the role assignments idx.
func (ad *adoption) scopesOf(idx []int) string {
	var out []string
	for _, i := range idx {
		out = append(out, EscapeText(ad.e.Roles[i].Scope))
	}
	return strings.Join(out, ", ")
}

// check reports whether c is a resource address of one of types, and
// that no other field gives the same address.
func (ad *adoption) check(c addressed, types ...string) bool {
	v := ad.v
	switch {
	case strings.HasPrefix(c.addr, "data.") || strings.Contains(c.addr, ".data."):
		v.errorf(c.path, "%s is a data source, which holds no object to adopt; give the address of a resource (%s.NAME)", Quote(c.addr), types[0])
		return false
	case strings.ContainsAny(c.addr, "[]"):
		v.errorf(c.path, "%s names one instance of a resource (count or for_each); wigen adopts whole resources: move the instance to an address without a key first (terraform state mv)", Quote(c.addr))
		return false
	case !resourceAddressRE.MatchString(c.addr):
		v.errorf(c.path, "%s is not a Terraform resource address: TYPE.NAME, optionally after module.NAME., e.g. %s.example", Quote(c.addr), types[0])
		return false
	}
	typ := resourceType(c.addr)
	ok := false
	for _, t := range types {
		ok = ok || typ == t
	}
	if !ok {
		v.errorf(c.path, "%s is a %s; this object is a %s", Quote(c.addr), typ, strings.Join(types, " or a "))
		return false
	}
	if first, dup := ad.from[c.addr]; dup {
		v.errorf(c.path, "%s is already given in %s; one object is at one address", Quote(c.addr), first)
		return false
	}
	ad.from[c.addr] = c.path
	return true
}

// move adds moved { from = c; to = to } unless the object is at its
// address already. An address the module renders another object under
// cannot be moved from: Terraform refuses a moved block whose from still
// exists.
func (ad *adoption) move(c addressed, to, object string) {
	if c.addr != to && ad.movable(c, to) {
		ad.blocks = append(ad.blocks, AdoptBlock{Kind: Moved, From: c.addr, To: to, Object: object})
	}
}

// movable reports whether c may be moved to to: it is not an address the
// module renders another object under.
func (ad *adoption) movable(c addressed, to string) bool {
	if c.addr != to && ad.rendered[c.addr] {
		ad.v.errorf(c.path, "%s is where this module renders another object; give the address the existing state holds this one under", Quote(c.addr))
		delete(ad.from, c.addr) // the object rendered there may still claim it
		return false
	}
	return true
}

// add adds a removed block for c: a removed block may not name an address
// the module still renders.
func (ad *adoption) add(c addressed, b AdoptBlock) {
	if ad.rendered[c.addr] {
		ad.v.errorf(c.path, "%s is where this module renders an object, so the state cannot forget it; give the address the existing state holds this one under", Quote(c.addr))
		return
	}
	ad.blocks = append(ad.blocks, b)
}

// imports writes an import block for every object the module renders, with
// the IDs the providers take (facts.md "Terraform providers"); the role
// assignments' IDs come from adopt.roleAssignmentIds.
func (ad *adoption) imports() {
	v, e := ad.v, ad.e
	release := e.TerraformRelease() // else the module renders no namespace and no release
	if release && e.CreatesNamespace() {
		ad.blocks = append(ad.blocks, AdoptBlock{Kind: Import, To: NamespaceAddress, ID: e.Namespace, Object: "namespace " + e.Namespace})
	}
	if !e.Identity.Existing {
		ad.blocks = append(ad.blocks, AdoptBlock{Kind: Import, To: IdentityAddress, ID: e.IdentityID(), Object: "identity " + e.Identity.Name})
	}
	for i := range e.FederatedCredentials() {
		ad.importCredential(i)
	}
	ids := e.Adopt.RoleAssignmentIDs
	ip := ad.p + ".roleAssignmentIds"
	// The key of each assignment: its resource name wins over its role.
	keyOf := map[int]string{}
	ambiguous := map[int]bool{} // named by a key that names several: reported there
	for _, k := range sortedKeys(ids) {
		idx, _ := ad.assignmentsOf(k)
		kp := joinKey(ip, k)
		switch {
		case len(idx) == 0:
			v.errorf(kp, "%s is neither a role this environment assigns nor the resource name of one of its role assignments; give an ID per %s", Quote(k), ad.assignmentKeys())
			continue
		case len(idx) > 1:
			var cmds []string
			for _, i := range idx {
				cmds = append(cmds, fmt.Sprintf("%s: the ID `%s` prints", Quote(e.RoleLabels()[i]), roleAssignmentListCommand(e, e.Roles[i])))
			}
			v.errorf(kp, "%s is assigned on %d scopes here, so the role does not say which assignment the ID is; key each by its resource name in main.tf instead: %s", Quote(k), len(idx), strings.Join(cmds, "; "))
			for _, i := range idx {
				ambiguous[i] = true
			}
			continue
		}
		if other, dup := keyOf[idx[0]]; dup {
			v.errorf(kp, "names the role assignment %s names too (by its role or its resource name); keep one", Quote(other))
			continue
		}
		keyOf[idx[0]] = k
	}
	for i, l := range e.RoleLabels() {
		r := e.Roles[i]
		key, ok := keyOf[i]
		if !ok && ambiguous[i] {
			continue
		}
		if !ok {
			where := ip
			if ids == nil {
				where = ad.p + ".import"
			}
			v.errorf(where, "needs the ID of the existing %s role assignment on %s: a role assignment's ID holds a GUID Azure chose, which wigen cannot derive; add roleAssignmentIds: {%s: <ID>}, the ID `%s` prints",
				Quote(r.Role), Quote(r.Scope), Quote(ad.assignmentKey(i)), roleAssignmentListCommand(e, r))
			continue
		}
		id := ids[key]
		kp := joinKey(ip, key)
		m := roleAssignmentRE.FindStringSubmatch(id)
		switch {
		case m == nil || !guidRE.MatchString(m[2]):
			v.errorf(kp, "%s is not a role assignment ID: %s/providers/Microsoft.Authorization/roleAssignments/<GUID>, as `%s` prints it", Quote(id), EscapeText(r.Scope), roleAssignmentListCommand(e, r))
			continue
		case m[2] == nilGUID:
			// Azure names a role assignment with a GUID it chooses
			// (facts.md "Names"); the nil GUID is a placeholder.
			v.errorf(kp, "%s ends with the nil GUID, a placeholder; put the ID of the existing assignment here, as `%s` prints it", Quote(id), roleAssignmentListCommand(e, r))
			continue
		case !strings.EqualFold(m[1], r.Scope):
			v.errorf(kp, "%s is a role assignment on %s, but roles assigns %s on %s; give the ID of the assignment on that scope, as `%s` prints it", Quote(id), Quote(m[1]), Quote(r.Role), Quote(r.Scope), roleAssignmentListCommand(e, r))
			continue
		}
		ad.blocks = append(ad.blocks, AdoptBlock{Kind: Import, To: TypeRoleAssignment + "." + l, ID: id, Object: ad.assignmentObject(i)})
	}
	if release {
		ad.blocks = append(ad.blocks, AdoptBlock{Kind: Import, To: ReleaseAddress, ID: e.Namespace + "/" + v.s.ReleaseName(), Object: "release " + v.s.ReleaseName()})
	}
}

// roleAssignmentListCommand prints the ID of the role assignment of r to
// e's identity (Azure CLI `az role assignment list`; the assignee is the
// identity's principal ID, read with `az identity show`), for a message:
// the names are shell-quoted, and EscapeText keeps a name holding a
// control character on the message's one line.
func roleAssignmentListCommand(e *Environment, r Role) string {
	return EscapeText(fmt.Sprintf(`az role assignment list --assignee "$(az identity show --name %s --resource-group %s --subscription %s --query principalId --output tsv)" --role %s --scope %s --query '[].id' --output tsv`,
		output.ShellQuote(e.Identity.Name), output.ShellQuote(e.IdentityResourceGroup()), output.ShellQuote(e.SubscriptionID),
		output.ShellQuote(r.Role), output.ShellQuote(r.Scope)))
}

// resourceType is the TYPE of [module.NAME.]...TYPE.NAME.
func resourceType(addr string) string {
	if m := resourceAddressRE.FindStringSubmatch(addr); m != nil {
		return m[1]
	}
	return ""
}

// envIndex returns the index in "spec.environments[3].adopt".
func envIndex(p string) string {
	i, j := strings.Index(p, "["), strings.Index(p, "]")
	if i < 0 || j < i {
		return "?"
	}
	return p[i+1 : j]
}

// validateAdoptTerraform adds to each environment's Adoption the import
// blocks other environments' adopt writes into its module (the federated
// identity credentials it creates for them), after its own, and sets every
// environment's RequiredVersion: the spec's, raised to what its module's
// blocks need when the spec's is the default, or refused with the reason
// when it was written and admits an older Terraform.
func (v *validator) validateAdoptTerraform() {
	tf := &v.s.Spec.Terraform
	written := v.written("spec.terraform.requiredVersion")
	c, err := parseConstraint(tf.RequiredVersion)
	for i := range v.s.Spec.Environments {
		e := &v.s.Spec.Environments[i]
		e.Adoption = append(e.Adoption, v.adoptElsewhere[e]...)
		e.RequiredVersion = tf.RequiredVersion
		need, by := "", e.Name
		var block AdoptBlock
		for _, b := range e.Adoption {
			if min := e.MinTerraformFor(b); need == "" || version.Must(version.NewVersion(need)).LessThan(version.Must(version.NewVersion(min))) {
				need, block, by = min, b, b.Env
			}
		}
		if need == "" || err != nil || !c.admitsBelow(need) {
			continue
		}
		if !written {
			e.RequiredVersion = ">= " + need
			continue
		}
		if need == forgetWithoutProvider && need != block.Kind.MinTerraform() {
			v.errorf("spec.terraform.requiredVersion", "%s admits Terraform versions before %s, which read an object through its provider before a removed block forgets it; environment %s's module holds the Azure side only (terraform.release: false), with no %s provider configuration and no cluster credentials, and its adopt writes a removed block for %s; use \">= %s\"",
				Quote(tf.RequiredVersion), need, Quote(e.Name), providerOf(resourceType(block.From)), Quote(block.From), need)
			continue
		}
		where := ""
		if by != e.Name {
			where = fmt.Sprintf(" into environment %s's module (which creates its federated identity credentials)", Quote(e.Name))
		}
		v.errorf("spec.terraform.requiredVersion", "%s admits Terraform versions before %s, which cannot read the %s blocks that environment %s's adopt writes%s%s; use \">= %s\"",
			Quote(tf.RequiredVersion), need, block.Kind, Quote(by), where, kindWhy(block.Kind), need)
	}
}

// kindWhy says why an adoption needs a block of kind k.
func kindWhy(k AdoptKind) string {
	if k == Removed {
		return " (a moved block cannot change a resource's type, so kubernetes_namespace leaves the state with removed and comes back as kubernetes_namespace_v1 with import; an object wigen no longer manages leaves it with removed)"
	}
	return ""
}

// sortedKeys returns the keys of m in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
