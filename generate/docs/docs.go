// Package docs renders the README files of the output: README.md at the
// output root (what was rendered, the file tree, one line per environment)
// and environments/<env>/README.md (what was rendered for the environment,
// what creates its namespace and its Azure side, how to apply it, how to
// verify Workload ID with this environment's names, and the Open WebUI UI
// steps where the app cannot be configured by env; with adopt, how to take
// existing objects over; where the chat database is and how it is kept:
// adopt.go).
//
// Every sentence names only what was rendered: without the terraform
// target nothing in the output creates the user-assigned managed identity,
// its federated identity credentials or role assignments, so the README
// says so and gives the Azure CLI commands that create them (azcli.go);
// the namespace is said to be created only by the Terraform module, the
// Kustomize overlay's namespace.yaml or the Helm command's
// --create-namespace, whichever was rendered.
//
// Environments sharing one user-assigned managed identity depend on each
// other's Azure side: one creates the identity the others read, one
// assigns a role the others rely on. Each of their READMEs has a "Shared
// identity" section naming the other environments, what this one relies
// on in them or they in it, and what `terraform destroy` of one module
// takes from the others (shared.go).
//
// The READMEs name the input by its file name (s.Source) and give the
// render command for it (`wigen render -f NAME` when it is not
// wigen.yaml). Every az identity and az aks command names the
// environment's subscription.
//
// The prose lives in text/template files embedded by package templates
// (readme.md.tmpl, environment-readme.md.tmpl); this package computes
// every value they print, so the templates hold no logic beyond
// conditionals and loops.
package docs

import (
	"bytes"
	"fmt"
	"path"
	"sort"
	"strings"
	"sync"
	"text/template"

	"github.com/wigen-dev/wigen/generate/argocd"
	"github.com/wigen-dev/wigen/generate/flux"
	"github.com/wigen-dev/wigen/generate/helm"
	"github.com/wigen-dev/wigen/generate/kustomize"
	"github.com/wigen-dev/wigen/generate/output"
	"github.com/wigen-dev/wigen/schema"
	"github.com/wigen-dev/wigen/templates"
)

// Template and output file names.
const (
	rootTemplate = "readme.md.tmpl"
	envTemplate  = "environment-readme.md.tmpl"
	// RootReadme is the README at the output root.
	RootReadme = "README.md"
)

// EnvironmentReadme is the path of environment env's README, relative to
// the output root.
func EnvironmentReadme(env string) string { return "environments/" + env + "/README.md" }

// The webhook's mutating webhook configuration, as installed by the AKS
// Workload ID add-on and the azure-workload-identity Helm chart
// (Azure/azure-workload-identity v1.6.0: cmd/webhook/main.go,
// deploy/azure-wi-webhook.yaml; facts.md "Azure Workload ID webhook"). The
// tutorial's azure-wi-webhook-controller-manager-mutating-webhook-configuration
// exists on no cluster: `kubectl get` of it fails on a healthy one.
const webhookConfiguration = "azure-wi-webhook-mutating-webhook-configuration"

// tmpl parses the README templates on first use: half a millisecond that
// every run of wigen paid at start-up otherwise, a render answered from
// the render cache included.
var tmpl = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("").Funcs(template.FuncMap{
		"code": code,
	}).ParseFS(templates.FS, rootTemplate, envTemplate))
})

// Render returns README.md and environments/<env>/README.md for every
// environment, in that order.
func Render(s *schema.Spec) ([]output.File, error) {
	r, err := newRendered(s)
	if err != nil {
		return nil, err
	}
	envs := make([]envData, len(s.Spec.Environments))
	for i := range s.Spec.Environments {
		envs[i] = r.environment(i)
	}
	var need []string
	for _, n := range []struct{ target, what string }{
		{schema.TargetHelm, "the Helm values"},
		{schema.TargetKustomize, "the Kustomize overlays"},
		{schema.TargetArgoCD, "the Argo CD Applications"},
		{schema.TargetFlux, "the Flux HelmReleases"},
	} {
		if s.HasTarget(n.target) {
			need = append(need, n.what)
		}
	}
	if len(need) > 0 {
		need[0] = strings.ToUpper(need[0][:1]) + need[0][1:]
	}
	root, err := execute(RootReadme, s.Source, rootTemplate, rootData{
		Spec:           s,
		RenderCommand:  renderCommand(s),
		Output:         s.Spec.Output,
		Targets:        targetsText(s),
		PerEnvironment: targetsDiffer(s),
		Terraform:      s.HasTarget(schema.TargetTerraform),
		AzureSide:      rootAzureSide(s),
		NeedClientID:   andList(need),
		Chart:          chartData(s, nil),
		Environments:   envs,
		ApplyOrder:     r.rootApplyOrder(),
		Tree:           r.tree(),
		Skipped:        r.allSkipped(envs),
	})
	if err != nil {
		return nil, err
	}
	files, err := output.PerEnvironment(len(envs), func(i int) ([]output.File, error) {
		f, err := execute(EnvironmentReadme(envs[i].Name), s.Source, envTemplate, envs[i])
		return []output.File{f}, err
	})
	if err != nil {
		return nil, err
	}
	return append([]output.File{root}, files...), nil
}

func execute(p, source, name string, data any) (output.File, error) {
	b := executeBuffers.Get().(*bytes.Buffer)
	defer executeBuffers.Put(b)
	b.Reset()
	b.WriteString(output.Header(p, source))
	if err := tmpl().ExecuteTemplate(b, name, data); err != nil {
		return output.File{}, fmt.Errorf("render %s: %w", p, err)
	}
	return output.File{Path: p, Data: tidyLines(b.Bytes())}, nil
}

// executeBuffers hold what execute's templates write, before tidyLines
// copies it: grown once, not from nothing for every README (a tenth of
// what a render allocated).
var executeBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// tidyLines returns text with one final newline, no trailing spaces or
// tabs, and no run of blank lines (the templates' conditionals leave
// some), in one pass and one allocation.
func tidyLines(text []byte) []byte {
	text = bytes.TrimRight(text, "\n")
	out := make([]byte, 0, len(text)+1)
	first, prevBlank := true, false
	for {
		line, rest, more := bytes.Cut(text, []byte("\n"))
		line = bytes.TrimRight(line, " \t")
		blank := len(line) == 0
		if !blank || first || !prevBlank {
			out = append(append(out, line...), '\n')
			first, prevBlank = false, blank
		}
		if !more {
			return out
		}
		text = rest
	}
}

// rendered knows which files the Helm and Kustomize renderers produce
// (their Paths, without rendering them), so the READMEs list exactly what
// exists.
type rendered struct {
	s     *schema.Spec
	paths map[string]bool
	// byIdentity lists, per identity (Environment.IdentityKey), the
	// indexes of the environments using it, so each README finds the
	// others in one lookup, not by scanning every environment.
	byIdentity map[string][]int
	// inDir lists the rendered files of each folder by base name.
	inDir map[string][]string
}

func newRendered(s *schema.Spec) (*rendered, error) {
	r := &rendered{s: s, paths: map[string]bool{}, byIdentity: map[string][]int{}, inDir: map[string][]string{}}
	for i := range s.Spec.Environments {
		if e := &s.Spec.Environments[i]; e.Identity != nil {
			k := e.IdentityKey()
			r.byIdentity[k] = append(r.byIdentity[k], i)
		}
	}
	if s.HasTarget(schema.TargetHelm) {
		r.add(helm.Paths(s))
	}
	if s.HasTarget(schema.TargetKustomize) {
		r.add(kustomize.Paths(s))
	}
	if s.HasTarget(schema.TargetArgoCD) {
		r.add(argocd.Paths(s))
	}
	if s.HasTarget(schema.TargetFlux) {
		r.add(flux.Paths(s))
	}
	return r, nil
}

func (r *rendered) add(paths []string) {
	for _, p := range paths {
		r.paths[p] = true
		r.inDir[path.Dir(p)] = append(r.inDir[path.Dir(p)], path.Base(p))
	}
}

// chart describes the chart and app.
type chart struct {
	Name, Version, Repository, Release, ImageTag, AppVersion string
	WorkloadKind, WorkloadName                               string
	TokenCredentialsEnv, ConnectionFromEnv                   bool
}

// chartData describes the chart with the chart values of environment e
// (the spec-level ones when e is nil), which decide the workload's kind
// and name.
func chartData(s *schema.Spec, e *schema.Environment) chart {
	c := s.Spec.Chart
	return chart{
		Name: c.Name, Version: c.Version, Repository: c.Repository, Release: s.ReleaseName(),
		ImageTag: c.ImageTag, AppVersion: c.App.Version,
		WorkloadKind: s.WorkloadKindFor(e), WorkloadName: s.FullnameFor(e),
		TokenCredentialsEnv: c.App.TokenCredentialsEnv, ConnectionFromEnv: c.App.ConnectionFromEnv,
	}
}

type rootData struct {
	Spec *schema.Spec
	// RenderCommand renders the input, run in its folder: "wigen render",
	// with -f for an input not named wigen.yaml.
	RenderCommand string
	Output        string
	// Targets names what was rendered: the targets, each with the
	// environments rendering it when they differ (PerEnvironment).
	Targets        string
	PerEnvironment bool
	// Terraform: some environment renders the terraform target.
	Terraform bool
	// AzureSide says what creates the identities, federated identity
	// credentials and role assignments.
	AzureSide string
	// NeedClientID names the outputs that wait for identity.clientId.
	NeedClientID string
	Chart        chart
	Environments []envData
	// ApplyOrder lists, one sentence each, the Terraform modules that
	// must be applied before others (shared identities).
	ApplyOrder []string
	Tree       string
	Skipped    []skipped
}

// envData is everything environment-readme.md.tmpl prints.
type envData struct {
	Index int
	Name  string
	// Source is the input's file name (s.Source); RenderCommand renders
	// it, run from the output root as every command of the README is
	// ("wigen render -f ../wigen.yaml"); InputRenderCommand is the same
	// run in the input's folder ("wigen render").
	Source, RenderCommand, InputRenderCommand string
	// Root is the output root seen from the README's folder ("../..").
	Root   string
	Output string
	App    string
	Chart  chart

	Namespace, ServiceAccount, Subject string
	CreatesNamespace                   bool
	// NamespaceNote says what creates the namespace, from what was
	// rendered: the Terraform module, the Kustomize overlay, the Helm
	// command's --create-namespace, or nothing.
	NamespaceNote            string
	TenantID, SubscriptionID string

	Identity                             *schema.Identity
	IdentityResourceGroup, ClientIDShown string
	ClientIDSource                       string
	// ClientIDLater says when and how to read a client ID the input does
	// not set (clientIDLater); "" when it does.
	ClientIDLater string
	// IdentityNote says who creates the identity, or that it exists.
	IdentityNote string
	// Shared says, one sentence each, what the other environments using
	// the same identity do with it and what destroying one does to the
	// others; nil when no other environment uses it.
	Shared []string
	// ClientIDUnlocks names what identity.clientId lets wigen render that
	// it did not: "the Helm values", "the Kustomize overlay", both, or "".
	ClientIDUnlocks string

	Cluster *schema.Cluster
	// ClusterSubscriptionID is the cluster's subscription when it is not
	// the environment's, else "".
	ClusterSubscriptionID string
	Credentials           []credential
	// CredentialsBy names the other environment whose Terraform module
	// creates this environment's credentials ("" when this environment's
	// own module or Azure CLI commands do); CredentialsAlsoFor the other
	// environments whose credentials this environment's module creates.
	CredentialsBy      string
	CredentialsAlsoFor string
	Roles              []schema.Role
	// Connections are the environment's Azure OpenAI accounts, connection i
	// being account i.
	Connections []connection
	// Models lists every model ID the connections offer, as code spans.
	Models string
	// ModelAccessEveryone: spec.openWebUI.modelAccess is everyone
	// (BYPASS_MODEL_ACCESS_CONTROL=True); else only administrators see the
	// models until access is given per model.
	ModelAccessEveryone bool
	// PersistentConfig: spec.openWebUI.persistentConfig (the app's database
	// wins after the first start); false: ENABLE_PERSISTENT_CONFIG=False.
	PersistentConfig bool

	Terraform bool
	// TerraformRelease: the module installs the chart with helm_release
	// (terraform.release); without it the module is the Azure side only.
	TerraformRelease bool
	// AppBy says what installs the app when the Terraform module does not.
	AppBy        string
	TerraformDir string
	// TerraformDoes lists what the Terraform module creates or reads.
	TerraformDoes string
	// BackendNote says where the module keeps its state (backendNote).
	BackendNote string
	// AzureCLI creates the Azure side by hand; nil with the terraform
	// target, whose module creates it.
	AzureCLI *azureCLI
	// ApplyOrder says, one sentence each, which Terraform modules must be
	// applied before this environment's, or after a change to it.
	ApplyOrder []string

	Helm         bool
	HelmPath     string
	HelmCommand  string
	Kustomize    bool
	OverlayDir   string
	OverlayFiles []string
	// ArgoCD and Flux describe the GitOps targets; nil when not rendered.
	ArgoCD  *argoCDData
	Flux    *fluxData
	Lint    *lintData
	Skipped []skipped

	// Targets lists the environment's targets.
	Targets string

	// WorkloadRef is the chart's workload as kubectl names it, e.g. statefulset/open-webui.
	WorkloadRef string
	// Kubectl is kubectl with the cluster's context (kubectl);
	// ContextNote says which context that is (contextNote).
	Kubectl, ContextNote string

	// Adoption is "Adopting an existing setup" (nil without adopt);
	// Data is "Keeping the chat database" (nil when the chart's data is
	// not on a volume). See adopt.go.
	Adoption *adoption
	Data     *data

	Verify []step
}

// connection is one Azure OpenAI account as the app's connection, ready to print.
type connection struct {
	// Index is the connection's index in OPENAI_API_BASE_URLS,
	// OPENAI_API_KEYS and OPENAI_API_CONFIGS; Number is Index+1, as the
	// UI steps count.
	Index, Number                           int
	AccountID, Endpoint, APIVersion, Prefix string
	// Deployments and Models (the IDs the app offers them as: with a
	// prefix, "<prefix>.<deployment>") are code spans joined with ", ".
	Deployments, Models string
}

// connections lists e's accounts as connections.
func connections(e *schema.Environment) (out []connection, models string) {
	var all []string
	for i, a := range e.AzureOpenAI {
		var deps, ms []string
		for _, d := range a.Deployments {
			deps = append(deps, code(d))
			ms = append(ms, code(schema.ModelID(a.PrefixID, d)))
		}
		all = append(all, ms...)
		out = append(out, connection{
			Index: i, Number: i + 1, AccountID: a.AccountID, Endpoint: strings.TrimSuffix(a.Endpoint, "/"), APIVersion: a.APIVersion, Prefix: a.PrefixID,
			Deployments: strings.Join(deps, ", "), Models: strings.Join(ms, ", "),
		})
	}
	return out, strings.Join(all, ", ")
}

// credential is one federated identity credential, ready to print.
type credential struct {
	Name, Subject, Issuer, IssuerCommand string
	// IssuerURL is the literal issuer (issuer.url), which IssuerCommand
	// compares with the cluster's; "" when IssuerCommand prints it.
	IssuerURL    string
	OtherCluster string
}

type skipped struct {
	Env, Path, Why string
}

type step struct {
	What, Command, Expect string
}

func (r *rendered) environment(i int) envData {
	s := r.s
	e := &s.Spec.Environments[i]
	d := envData{
		Index: i, Name: e.Name, Source: s.Source, RenderCommand: rootRenderCommand(s), InputRenderCommand: renderCommand(s),
		Root: "../..", Output: s.Spec.Output, App: s.Metadata.Name, Chart: chartData(s, e),
		Namespace: e.Namespace, ServiceAccount: e.ServiceAccount, Subject: schema.Subject(e.Namespace, e.ServiceAccount),
		CreatesNamespace: e.CreatesNamespace(), TenantID: e.TenantID, SubscriptionID: e.SubscriptionID,
		Identity: e.Identity, IdentityResourceGroup: e.IdentityResourceGroup(),
		ClientIDSource: clientIDSource(s, e),
		Cluster:        e.Cluster, Roles: e.Roles,
		ModelAccessEveryone: s.Spec.OpenWebUI.EveryoneSeesModels(),
		PersistentConfig:    s.Spec.OpenWebUI.ConfigPersists(),
		Terraform:           e.HasTarget(schema.TargetTerraform),
		TerraformRelease:    e.TerraformRelease(),
		TerraformDir:        helm.TerraformDir(e.Name),
		Helm:                e.HasTarget(schema.TargetHelm),
		HelmPath:            helm.StandalonePath(e.Name),
		HelmCommand:         strings.Join(helm.InstallCommand(s, e), "\n"),
		Kustomize:           e.HasTarget(schema.TargetKustomize),
		OverlayDir:          kustomize.OverlayDir(e.Name),
		Targets:             strings.Join(e.Targets, ", "),
		Kubectl:             helm.Kubectl(e),
		ContextNote:         contextNote(e),
	}
	if e.Cluster != nil && !strings.EqualFold(e.ClusterSubscriptionID(), e.SubscriptionID) {
		d.ClusterSubscriptionID = e.ClusterSubscriptionID()
	}
	d.WorkloadRef = strings.ToLower(d.Chart.WorkloadKind) + "/" + d.Chart.WorkloadName
	d.Connections, d.Models = connections(e)
	if helm.HasClientID(e) {
		d.ClientIDShown = e.Identity.ClientID
	} else {
		d.ClientIDLater = clientIDLater(e)
	}
	owner := s.CredentialModule(e)
	for _, fc := range e.FederatedCredentials() {
		c := credential{Name: fc.Name, Subject: fc.Subject, OtherCluster: fc.Federation, IssuerURL: fc.Issuer.URL}
		c.Issuer, c.IssuerCommand = issuerText(e, fc, owner != nil)
		d.Credentials = append(d.Credentials, c)
	}
	if owner != nil && owner != e {
		d.CredentialsBy = owner.Name
	}
	if owner == e {
		var also []string
		for _, j := range e.IdentityEnvironments {
			if j != i {
				also = append(also, code(s.Spec.Environments[j].Name))
			}
		}
		d.CredentialsAlsoFor = andList(also)
	}
	d.OverlayFiles = append([]string(nil), r.inDir[d.OverlayDir]...)
	sort.Strings(d.OverlayFiles)
	if d.Helm && !r.paths[d.HelmPath] {
		d.Helm = false
		d.Skipped = append(d.Skipped, skipped{Env: e.Name, Path: d.HelmPath, Why: "identity.clientId is not set"})
	}
	if d.Kustomize && len(d.OverlayFiles) == 0 {
		d.Kustomize = false
		d.Skipped = append(d.Skipped, skipped{Env: e.Name, Path: d.OverlayDir + "/", Why: "identity.clientId is not set"})
	}
	r.gitOps(e, &d)
	d.NamespaceNote = namespaceNote(d)
	d.IdentityNote = identityNote(d, identityCreator(s, i, r.byIdentity))
	d.Shared = sharedIdentity(s, i, r.byIdentity)
	if len(d.Shared) > 0 {
		d.IdentityNote += "; shared with other environments (see \"Shared identity\" below)"
	}
	d.ClientIDUnlocks = clientIDUnlocks(s, e)
	d.AppBy = appBy(e)
	if d.Terraform {
		d.TerraformDoes = terraformDoes(s, e)
		d.BackendNote = backendNote(s, e)
	} else if a := azureCommands(e, owner == nil); a.What != "" || d.ClientIDUnlocks != "" {
		d.AzureCLI = a
	}
	d.ApplyOrder = applyOrder(s, e)
	d.Verify = verifySteps(s, e, d)
	d.Adoption = adoptionData(s, e)
	d.Data = dataNote(s, e)
	return d
}

// namespaceNote says what creates the namespace, naming only what was
// rendered: the Terraform module's kubernetes_namespace_v1, the Kustomize
// overlay's namespace.yaml, or the Helm command's --create-namespace (a
// values file cannot create a namespace).
func namespaceNote(d envData) string {
	if !d.CreatesNamespace {
		return "must exist already: `createNamespace` is false, so nothing here creates it"
	}
	var by []string
	if d.TerraformRelease {
		by = append(by, "the Terraform module (`kubernetes_namespace_v1`)")
	}
	overlay := d.Kustomize && contains(d.OverlayFiles, kustomize.NamespaceFile)
	if d.Helm && !d.TerraformRelease && !overlay && d.ArgoCD == nil && d.Flux == nil {
		return "the Helm values do not create it: `--create-namespace` in the Helm command below does, or `" + d.Kubectl + " create namespace " + d.Namespace + "`"
	}
	if d.Helm {
		by = append(by, "`--create-namespace` in the Helm command below")
	}
	if overlay {
		by = append(by, "the Kustomize overlay (`"+kustomize.NamespaceFile+"`)")
	}
	if d.ArgoCD != nil {
		by = append(by, "the Argo CD Application (`CreateNamespace=true`)")
	}
	if d.Flux != nil {
		by = append(by, "the Flux HelmRelease (`install.createNamespace`)")
	}
	if len(by) == 0 {
		return "nothing rendered yet creates it: `" + d.Kubectl + " create namespace " + d.Namespace + "` does"
	}
	return "created by " + andList(by)
}

// identityNote says who creates the identity: another environment of the
// input (creator), something outside it (identity.existing), or this
// environment's module or Azure CLI commands.
func identityNote(d envData, creator *schema.Environment) string {
	switch {
	case creator != nil && creator.HasTarget(schema.TargetTerraform) && d.Terraform:
		return "created by environment " + code(creator.Name) + "'s Terraform module (`identity.existing` here), read by this environment's module"
	case creator != nil && creator.HasTarget(schema.TargetTerraform):
		return "created by environment " + code(creator.Name) + "'s Terraform module (`identity.existing` here)"
	case creator != nil:
		return "created by environment " + code(creator.Name) + " (`identity.existing` here)"
	case d.Identity.Existing && d.Terraform:
		return "made elsewhere (`identity.existing`), read by the Terraform module"
	case d.Identity.Existing:
		return "made elsewhere (`identity.existing`)"
	case d.Terraform:
		return "created by the Terraform module"
	}
	return "not created by this output: create it as under \"Azure resources\" below"
}

// clientIDUnlocks names the outputs identity.clientId lets wigen render for
// e that it has not rendered: the Helm values, the Kustomize overlay, the
// Argo CD Application and the Flux HelmRelease, of e's targets.
func clientIDUnlocks(s *schema.Spec, e *schema.Environment) string {
	if helm.HasClientID(e) {
		return ""
	}
	return andList(helm.ClientIDOutputs(e))
}

// appBy says what installs the app of environment e, whose Terraform
// module does not (terraform.release: false): its other targets, once
// identity.clientId is set when their files wait for it.
func appBy(e *schema.Environment) string {
	var by []string
	for _, n := range []struct{ target, what string }{
		{schema.TargetHelm, "the Helm command"},
		{schema.TargetKustomize, "the Kustomize overlay"},
		{schema.TargetArgoCD, "Argo CD"},
		{schema.TargetFlux, "Flux"},
	} {
		if e.HasTarget(n.target) {
			by = append(by, n.what)
		}
	}
	out := andList(by) + plural(len(by), " installs", " install") + " the app"
	if !helm.HasClientID(e) {
		out += ", once identity.clientId is set and wigen renders " + plural(len(by), "its file", "their files")
	}
	return out
}

// terraformDoes lists what the Terraform module of e creates and reads,
// as generate/terraform renders it: the credentials are those of every
// environment using e's identity when e's module is the one creating them
// (schema.Spec.ModuleCredentials), none otherwise.
func terraformDoes(s *schema.Spec, e *schema.Environment) string {
	var parts []string
	if e.Identity.Existing {
		parts = append(parts, "reads the existing identity")
	} else {
		parts = append(parts, "creates the identity")
	}
	creds := s.ModuleCredentials(e)
	shared := false
	for _, c := range creds {
		shared = shared || c.Env != e
	}
	switch {
	case shared:
		parts = append(parts, "creates the federated identity credentials of every environment using it, one after another (Azure refuses concurrent writes on one identity)")
	case len(creds) == 1:
		parts = append(parts, "creates its federated identity credential")
	case len(creds) > 1:
		parts = append(parts, "creates its federated identity credentials one after another (Azure refuses concurrent writes on one identity)")
	}
	switch n := len(e.Roles); {
	case n == 1:
		parts = append(parts, "assigns the role")
	case n > 1:
		parts = append(parts, "assigns the roles")
	}
	if e.TerraformRelease() && e.CreatesNamespace() {
		parts = append(parts, "creates the namespace")
	}
	return strings.Join(parts, ", ")
}

// backendNote says where e's module keeps its Terraform state: the
// backend of schema.Spec.BackendFor, from the field that sets it, with the
// argument naming this environment's state; "" for the state in the
// module's folder.
func backendNote(s *schema.Spec, e *schema.Environment) string {
	b := s.BackendFor(e)
	if b == nil {
		return ""
	}
	out := fmt.Sprintf("The module keeps its state in the %s backend of %s (`versions.tf`)", code(b.Type), code(s.BackendField(e)))
	if arg, _ := schema.BackendStateArgument(s, e, b.Type); arg != "" {
		out += fmt.Sprintf(", %s %s", code(arg), code(fmt.Sprint(s.BackendConfig(e)[arg])))
	}
	return out + ": `terraform init` needs access to it, with the credentials the backend reads from its environment variables (none is written here)."
}

// andList joins "a", "a and b", "a, b and c".
func andList(ss []string) string { return output.AndList(ss) }

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// issuerText describes where a credential's issuer comes from (read by
// the Terraform module only when it is rendered), and the command that
// prints the cluster's issuer when wigen knows the cluster, or, for a
// literal issuer of the environment's own cluster, compares the two.
func issuerText(e *schema.Environment, fc schema.FederatedCredential, terraform bool) (text, command string) {
	is := fc.Issuer
	readBy := ""
	if terraform {
		readBy = ", read by Terraform"
	}
	switch {
	case fc.Federation == "" && is.URL != "" && e.Cluster != nil:
		// A literal issuer is the environment's own cluster's: compare it
		// with what the cluster reports.
		command = issuerCompareCommand(e.Cluster, e.ClusterSubscriptionID(), is.URL)
	case fc.Federation == "" && !is.FromCluster && e.Cluster != nil && e.Cluster.ResourceGroup != "":
		command = aksIssuerCommand(e.Cluster, e.ClusterSubscriptionID())
	}
	switch {
	case is.URL != "":
		return code(is.URL), command
	case is.FromCluster && e.Cluster != nil:
		where := fmt.Sprintf("resource group %s", code(e.Cluster.ResourceGroup))
		if !strings.EqualFold(e.ClusterSubscriptionID(), e.SubscriptionID) {
			where += fmt.Sprintf(", subscription %s", code(e.ClusterSubscriptionID()))
		}
		return fmt.Sprintf("the OIDC issuer of AKS cluster %s (%s)%s", code(e.Cluster.Name), where, readBy),
			aksIssuerCommand(e.Cluster, e.ClusterSubscriptionID())
	case is.RemoteState != nil:
		return fmt.Sprintf("output %s of a Terraform remote state (backend %s)%s", code(is.RemoteState.Output), code(is.RemoteState.Backend), readBy), command
	}
	return "", command
}

// verifySteps are the tutorial's verification commands with this
// environment's names.
func verifySteps(s *schema.Spec, e *schema.Environment, d envData) []step {
	steps := []step{
		{
			What:    "The service account carries the client ID of the identity",
			Command: fmt.Sprintf("%s get serviceaccount %s --namespace %s --output yaml", d.Kubectl, e.ServiceAccount, e.Namespace),
			Expect:  clientIDExpected("annotation `"+schema.AnnotationClientID+": %s`", "annotation `"+schema.AnnotationClientID+"` with", d),
		},
		{
			What:    "The pods carry the label and run as that service account",
			Command: fmt.Sprintf("%s get pods --namespace %s --selector %s=%s --output custom-columns=POD:.metadata.name,SERVICE_ACCOUNT:.spec.serviceAccountName", d.Kubectl, e.Namespace, schema.LabelUse, schema.LabelUseValue),
			Expect:  fmt.Sprintf("the Open WebUI pod, with service account `%s`", e.ServiceAccount),
		},
		{
			// kubectl's JSONPath ends a field name at an unescaped '.'
			// (k8s.io/client-go util/jsonpath, parser.go isTerminator);
			// '/' and '-' are part of the name.
			What: "The pod template carries the checksum of the client ID and tenant ID, so a new client ID rolls the pods; the second command computes it",
			Command: fmt.Sprintf("%s get %s --namespace %s --output jsonpath='{.spec.template.metadata.annotations.%s}'; echo\n%s",
				d.Kubectl, d.WorkloadRef, e.Namespace, strings.ReplaceAll(schema.AnnotationChecksum, ".", `\.`), checksumCommand(e)),
			Expect: checksumShown(e),
		},
		{
			What:    "The webhook injected the Workload ID environment into the app container",
			Command: fmt.Sprintf("%s exec --namespace %s %s --container %s -- env | grep '^AZURE_'", d.Kubectl, e.Namespace, d.WorkloadRef, s.Spec.Chart.Name),
			Expect:  clientIDExpected("`AZURE_CLIENT_ID=%s`", "`AZURE_CLIENT_ID` with", d) + ", `AZURE_TENANT_ID`, `AZURE_FEDERATED_TOKEN_FILE` and `AZURE_AUTHORITY_HOST`",
		},
		{
			What:    "The Workload ID webhook is installed in the cluster",
			Command: d.Kubectl + " get mutatingwebhookconfiguration " + webhookConfiguration,
			Expect:  "one mutating webhook configuration (enable Workload ID on the cluster if it is missing)",
		},
	}
	if e.Identity != nil {
		steps = append(steps, step{
			What:    "The identity trusts this service account",
			Command: "az identity federated-credential list " + identityFlags(e, "identity-name") + " --output table",
			Expect:  fmt.Sprintf("subject `%s` with the issuer listed above", d.Subject),
		})
	}
	for _, c := range d.Connections {
		what := "The identity may call Azure OpenAI"
		if len(d.Connections) > 1 {
			what = fmt.Sprintf("The identity may call the Azure OpenAI account of connection %d (%s)", c.Number, code(c.Endpoint))
		}
		roles := s.AccountRoles(e, c.AccountID)
		inherited := ""
		for _, r := range roles {
			if !strings.EqualFold(r.Scope, c.AccountID) {
				inherited = " --include-inherited" // assigned on a scope above the account
			}
		}
		steps = append(steps, step{
			What:    what,
			Command: fmt.Sprintf("az role assignment list --assignee %s --scope %s%s --output table", clientIDWord(e), output.ShellQuote(c.AccountID), inherited),
			Expect:  rolesExpected(roles),
		})
	}
	return steps
}

// clientIDExpected is what a verification step expects of the client ID:
// known (the input sets it), known%s with it filled in; else unknown,
// followed by "the identity's client ID" and where to read it.
func clientIDExpected(known, unknown string, d envData) string {
	if d.ClientIDShown != "" {
		return fmt.Sprintf(known, d.ClientIDShown)
	}
	return unknown + " the identity's client ID (not set in " + code(d.Source) + "; " + d.ClientIDLater + ")"
}

// rolesExpected says which role assignments az role assignment list shows
// for the roles the identity holds on the account (schema.AccountRoles):
// what is assigned, not a role the input does not give. A role given by
// definition ID shows under its name, which wigen does not know.
func rolesExpected(roles []schema.Role) string {
	if len(roles) == 0 {
		return "no role on the account: nothing rendered here assigns one, so the identity cannot call Azure OpenAI until one is (wigen validate warns about this)"
	}
	var items []string
	for _, r := range roles {
		if id := r.RoleDefinitionID(""); id != "" {
			items = append(items, "the role with definition ID "+code(id[strings.LastIndex(id, "/")+1:])+" (listed under its name)")
		} else {
			items = append(items, "role "+code(r.Role))
		}
	}
	out := andList(items)
	allows := false
	for _, r := range roles {
		if ok, _ := schema.RoleAllowsInference(r.Role); ok {
			allows = true
		}
	}
	if !allows {
		known := true
		for _, r := range roles {
			if _, k := schema.RoleAllowsInference(r.Role); !k {
				known = false
			}
		}
		if known {
			out += "; no such role allows inference, so calls get 401 until a data-plane role such as " + code(schema.RoleOpenAIUser) + " is assigned (wigen validate warns about this)"
		}
	}
	return out
}

// checksumShown says what the checksum step prints: the
// checksum/workload-identity value e's pods carry, twice (the value
// itself when the client ID is known), which checksumCommand computes.
func checksumShown(e *schema.Environment) string {
	how := "the SHA-256 of the lowercase client ID, a newline and the lowercase tenant ID (on macOS, `shasum -a 256` in place of `sha256sum`)"
	if helm.HasClientID(e) {
		return "the same value twice, " + code(schema.WorkloadIdentityChecksum(e.Identity.ClientID, e.TenantID)) + " (the second followed by `-`): " + how
	}
	return "the same value twice (the second followed by `-`): " + how
}

func (r *rendered) allSkipped(envs []envData) []skipped {
	var out []skipped
	for _, e := range envs {
		out = append(out, e.Skipped...)
	}
	return out
}

// code wraps s in a Markdown code span, with a longer fence when s holds
// a backtick.
func code(s string) string {
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		return fence + " " + s + " " + fence
	}
	return fence + s + fence
}

// tree draws the output tree: every README, the Terraform module folders,
// and every Helm, Kustomize, Argo CD and Flux file rendered.
func (r *rendered) tree() string {
	s := r.s
	root := &node{}
	root.add(RootReadme, "")
	for i := range s.Spec.Environments {
		e := &s.Spec.Environments[i]
		root.add(EnvironmentReadme(e.Name), "")
		switch {
		case e.TerraformRelease():
			root.add(helm.TerraformDir(e.Name)+"/", "Terraform root module")
		case e.HasTarget(schema.TargetTerraform):
			root.add(helm.TerraformDir(e.Name)+"/", "Terraform root module, Azure side only")
		}
	}
	for p := range r.paths {
		root.add(p, "")
	}
	var b strings.Builder
	b.WriteString(s.Spec.Output + "/\n")
	root.write(&b, "")
	return strings.TrimRight(b.String(), "\n")
}

type node struct {
	name     string
	note     string
	children []*node
	byName   map[string]*node // the children by name
}

// add inserts p (a file, or a folder when it ends in '/'). Children are
// found by name in a map: terraform/, helm/ and environments/ hold a
// folder per environment, and scanning them for every path was quadratic
// in the number of environments.
func (n *node) add(p, note string) {
	dir := strings.HasSuffix(p, "/")
	parts := strings.Split(strings.TrimSuffix(p, "/"), "/")
	cur := n
	for i, part := range parts {
		name := part
		if i < len(parts)-1 || dir {
			name += "/"
		}
		next := cur.byName[name]
		if next == nil {
			next = &node{name: name}
			if cur.byName == nil {
				cur.byName = map[string]*node{}
			}
			cur.byName[name] = next
			cur.children = append(cur.children, next)
		}
		cur = next
	}
	if note != "" {
		cur.note = note
	}
}

func (n *node) write(b *strings.Builder, indent string) {
	sort.Slice(n.children, func(i, j int) bool { return n.children[i].name < n.children[j].name })
	for i, c := range n.children {
		branch, more := "├── ", "│   "
		if i == len(n.children)-1 {
			branch, more = "└── ", "    "
		}
		line := indent + branch + c.name
		if c.note != "" {
			line += "  (" + c.note + ")"
		}
		b.WriteString(line + "\n")
		c.write(b, indent+more)
	}
}

// Rel is the link from environment README to an output path.
func (d envData) Rel(p string) string { return path.Join(d.Root, p) }

// renderCommand is the command that renders s, run in the input's folder:
// -f names an input that is not wigen.yaml, the file wigen reads without it.
func renderCommand(s *schema.Spec) string {
	if s.Source == schema.DefaultFile {
		return "wigen render"
	}
	return "wigen render -f " + output.ShellQuote(s.Source)
}

// rootRenderCommand is the command that renders s, run from the output
// root: wigen reads wigen.yaml from the working folder, so -f names the
// input by its path from there.
func rootRenderCommand(s *schema.Spec) string {
	return "wigen render -f " + output.ShellQuote(inputFromRoot(s))
}

// clientIDSource says where the client ID of e's identity comes from, with
// commands run from the output root.
func clientIDSource(s *schema.Spec, e *schema.Environment) string {
	return helm.ClientIDSourceAt(s, e, output.ShellQuote(helm.TerraformDir(e.Name)))
}
