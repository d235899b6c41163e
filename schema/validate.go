package schema

import (
	"fmt"
	"math"
	"net/url"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	version "github.com/hashicorp/go-version"
)

// validator checks the decoded, completed Spec. Every rule names its source.
type validator struct {
	d *decoder
	s *Spec
	// resourceIDs memoizes checkResourceID: every environment repeats the
	// account ID it inherits.
	resourceIDs     map[string]string
	roleSuggestions map[string]string
}

// suggestRole returns the known built-in role closest to name (memoized).
func (v *validator) suggestRole(name string) string {
	if s, ok := v.roleSuggestions[name]; ok {
		return s
	}
	if v.roleSuggestions == nil {
		v.roleSuggestions = map[string]string{}
	}
	s := name
	if !slices.Contains(knownRoles, name) {
		s = suggest(name, knownRoles)
	}
	v.roleSuggestions[name] = s
	return s
}

func (v *validator) checkResourceID(id string) string {
	if msg, ok := v.resourceIDs[id]; ok {
		return msg
	}
	if v.resourceIDs == nil {
		v.resourceIDs = map[string]string{}
	}
	msg := checkResourceID(id)
	v.resourceIDs[id] = msg
	return msg
}

// where finds the position and written path of a logical field path. A
// field that was not written (left to a default) is reported under its
// logical path at the nearest enclosing object the user wrote for it.
func (v *validator) where(logical string) (line, col int, written string) {
	if p, ok := v.d.at[logical]; ok {
		return p.line, p.col, p.written
	}
	for anc := parentPath(logical); ; anc = parentPath(anc) {
		if p, ok := v.d.at[anc]; ok && (p.written == anc || anc == "") {
			return p.line, p.col, logical
		}
		if anc == "" {
			return 0, 0, logical
		}
	}
}

// parentPath strips the last segment of a field path: a.b[2] -> a.b -> a -> "".
func parentPath(p string) string {
	depth := 0
	for i := len(p) - 1; i >= 0; i-- {
		switch p[i] {
		case ']':
			depth++
		case '[':
			depth--
			if depth == 0 {
				return p[:i]
			}
		case '.':
			if depth == 0 {
				return p[:i]
			}
		}
	}
	return ""
}

func (v *validator) report(sev Severity, logical, format string, args ...any) {
	line, col, written := v.where(logical)
	v.d.diags = append(v.d.diags, Diagnostic{File: v.d.file, Line: line, Column: col, Path: written, Message: fmt.Sprintf(format, args...), Severity: sev})
}

func (v *validator) errorf(logical, format string, args ...any) {
	v.report(Error, logical, format, args...)
}

func (v *validator) warnf(logical, format string, args ...any) {
	v.report(Warning, logical, format, args...)
}

// written reports whether the user wrote the field (as opposed to a default).
func (v *validator) written(logical string) bool {
	_, ok := v.d.at[logical]
	return ok
}

func (v *validator) validate() {
	s := v.s
	if s.APIVersion != "" && s.APIVersion != APIVersion {
		v.errorf("apiVersion", "%q is not supported; this wigen reads apiVersion %q", s.APIVersion, APIVersion)
	}
	if s.Kind != "" && s.Kind != Kind {
		v.errorf("kind", "%q is not supported; the kind is %q", s.Kind, Kind)
	}
	if n := s.Metadata.Name; n != "" {
		if msg := dns1123Label(n, 53); msg != "" {
			v.errorf("metadata.name", "%q is not a valid Helm release name: %s", n, msg)
		}
	}
	sp := &s.Spec
	// A field written empty where a default exists is a mistake, not a
	// request for the default.
	for p, def := range map[string]string{
		"spec.output":                         DefaultOutput,
		"spec.chart.repository":               DefaultChartRepository,
		"spec.chart.name":                     DefaultChartName,
		"spec.terraform.requiredVersion":      DefaultRequiredVersion,
		"spec.terraform.providers.azurerm":    DefaultAzurermVersion,
		"spec.terraform.providers.kubernetes": DefaultKubernetesVersion,
		"spec.terraform.providers.helm":       DefaultHelmVersion,
	} {
		if _, ok := v.d.blank[p]; ok {
			v.errorf(p, "is empty; leave the field out for the default, %q", def)
			delete(v.d.blank, p)
		}
	}
	for _, b := range v.d.blank {
		v.d.diags = append(v.d.diags, Diagnostic{File: v.d.file, Line: b.line, Column: b.col, Path: b.written,
			Message: "is empty; leave the field out (to take its default, or inherit it from spec.defaults) or give it a value"})
	}
	v.validateOutput(sp.Output)
	v.validateTargets(sp.Targets)
	v.validateChart(&sp.Chart)
	v.validateTerraform(&sp.Terraform, len(sp.Environments))
	if sp.Defaults != nil && v.written("spec.defaults.name") {
		v.errorf("spec.defaults.name", "an environment's name cannot have a default; name each environment")
	}
	if v.written("spec.environments") && len(sp.Environments) == 0 {
		v.errorf("spec.environments", "lists no environment; add at least one")
	}
	names := map[string]int{}
	for i := range sp.Environments {
		e := &sp.Environments[i]
		p := fmt.Sprintf("spec.environments[%d]", i)
		if first, dup := names[e.Name]; dup && e.Name != "" {
			v.errorf(p+".name", "%q is already the name of spec.environments[%d]; environment names must be unique", e.Name, first)
		} else {
			names[e.Name] = i
		}
		v.validateEnvironment(e, p)
	}
	v.validateIdentities()
	v.validateSharedServiceAccount()
}

// validateOutput: a relative folder below the input file's folder.
func (v *validator) validateOutput(out string) {
	const p = "spec.output"
	clean := path.Clean(out)
	switch {
	case strings.Contains(out, `\`):
		v.errorf(p, "%q uses '\\'; write the folder with '/' separators", out)
	case path.IsAbs(out):
		v.errorf(p, "%q is absolute; the output root is a folder relative to the input file, e.g. deploy", out)
	case clean == "." || clean == ".." || strings.HasPrefix(clean, "../"):
		v.errorf(p, "%q is not below the input file's folder; name a subfolder, e.g. deploy", out)
	case clean != out:
		v.errorf(p, "%q is not a clean path; write %q", out, clean)
	case out == v.s.Source:
		v.errorf(p, "%q is the input file itself; name a folder, e.g. deploy", out)
	default:
		for _, seg := range strings.Split(out, "/") {
			if !pathSegmentRE.MatchString(seg) {
				v.errorf(p, "%q: folder names may hold letters, digits, '.', '_' and '-' only", out)
				return
			}
			if strings.EqualFold(seg, ".git") {
				v.errorf(p, "%q is inside the repository's .git folder; name a folder of your own, e.g. deploy", out)
				return
			}
		}
	}
}

var pathSegmentRE = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)

func (v *validator) validateTargets(ts []string) {
	if ts != nil && len(ts) == 0 {
		v.errorf("spec.targets", "lists nothing to render; leave it out for all of %s", strings.Join(AllTargets, ", "))
	}
	seen := map[string]bool{}
	for i, t := range ts {
		if seen[t] {
			v.errorf(fmt.Sprintf("spec.targets[%d]", i), "%q is listed twice", t)
		}
		seen[t] = true
	}
}

// validateChart checks the chart and app versions against what Workload ID
// needs (facts.md "Open WebUI Helm chart", "Open WebUI application").
func (v *validator) validateChart(c *Chart) {
	if c.Repository != "" {
		u, err := url.Parse(c.Repository)
		if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http" && u.Scheme != "oci") {
			v.errorf("spec.chart.repository", "%q is not a chart repository URL; use https://... or oci://...", c.Repository)
		}
	}
	if c.Name != "" && !chartNameRE.MatchString(c.Name) {
		v.errorf("spec.chart.name", "%q is not a chart name: lowercase letters, digits and '-'", c.Name)
	}
	openWebUI := c.Name == DefaultChartName
	if c.Version != "" {
		if !semverRE.MatchString(c.Version) {
			v.errorf("spec.chart.version", "%q is not an exact chart version; pin one, e.g. 7.2.0 (ranges make the rendered output depend on the day)", c.Version)
		} else if cv, err := version.NewVersion(c.Version); err == nil && openWebUI {
			// open-webui/helm-charts#350: 12.0.0 to 12.1.0 append "-sa" to the
			// service account name, so the federated subject no longer matches.
			if !cv.LessThan(version.Must(version.NewVersion("12.0.0"))) && !version.Must(version.NewVersion("12.1.0")).LessThan(cv) {
				v.errorf("spec.chart.version", "open-webui chart %s appends \"-sa\" to the service account name (helm-charts#350), so pods would not match the federated credential's subject; use 12.1.1 or later, or 11.x", c.Version)
			}
		}
	}
	if c.ImageTag != "" {
		av, ok := appVersion(c.ImageTag)
		switch {
		case !ok:
			v.errorf("spec.chart.imageTag", "%q is not a version tag; wigen reads the app version from it to choose the settings the app understands: use a release tag such as v0.6.33", c.ImageTag)
		case openWebUI && !versionAtLeast(av, "0.6.30"):
			v.errorf("spec.chart.imageTag", "Open WebUI %s cannot use Microsoft Entra ID for Azure OpenAI; it needs 0.6.30 or later", av)
		default:
			c.App = AppFeatures{
				Version:             av.String(),
				TokenCredentialsEnv: versionAtLeast(av, "0.6.31"),
				ConnectionFromEnv:   versionAtLeast(av, "0.10.2"),
			}
		}
	}
	v.validateChartValues(c.Values, "spec.chart.values")
}

var chartNameRE = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)

// Environment variables the Workload ID webhook injects; a value the pod
// already sets is kept, so a preset one silently wins (facts.md).
var webhookEnv = []string{"AZURE_CLIENT_ID", "AZURE_TENANT_ID", "AZURE_FEDERATED_TOKEN_FILE", "AZURE_AUTHORITY_HOST"}

// Environment variables wigen sets itself in extraEnvVars.
var wigenEnv = []string{"AZURE_TOKEN_CREDENTIALS", "OPENAI_API_BASE_URLS", "OPENAI_API_KEYS", "OPENAI_API_CONFIGS"}

// validateChartValues refuses values that would take over what wigen owns.
func (v *validator) validateChartValues(vals map[string]any, p string) {
	if vals == nil {
		return
	}
	if sa, ok := vals["serviceAccount"].(map[string]any); ok {
		if _, ok := sa["name"]; ok {
			v.errorf(p+".serviceAccount.name", "wigen sets the service account name from the environment's serviceAccount, so it matches the federated credential's subject; set serviceAccount there")
		}
		if _, ok := sa["enable"]; ok {
			v.errorf(p+".serviceAccount.enable", "wigen enables the service account: Workload ID needs it")
		}
	}
	if img, ok := vals["image"].(map[string]any); ok {
		if _, ok := img["tag"]; ok {
			v.errorf(p+".image.tag", "set spec.chart.imageTag instead: wigen reads the app version from it")
		}
	}
	for _, k := range []string{"openaiApiKey", "openaiApiKeys"} {
		if _, ok := vals[k]; ok {
			v.errorf(joinKey(p, k), "an OpenAI API key defeats keyless access; the app authenticates with Workload ID")
		}
	}
	if _, ok := vals["namespaceOverride"]; ok {
		v.errorf(p+".namespaceOverride", "would put the chart's objects, the service account among them, in another namespace than the environment's, so the federated credential's subject would not match; set the environment's namespace instead")
	}
	for _, k := range []string{"nameOverride", "fullnameOverride"} {
		if x, ok := vals[k]; ok {
			if o, isString := x.(string); !isString || dns1123Label(o, 63) != "" {
				v.errorf(joinKey(p, k), "must be a DNS-1123 label (lowercase letters, digits and '-', at most 63 characters): it names the chart's workload, which the Kustomize overlays patch")
			}
		}
	}
	if sa, ok := vals["serviceAccount"].(map[string]any); ok {
		if c, ok := sa["create"].(bool); ok && !c {
			v.errorf(p+".serviceAccount.create", "false leaves the service account to someone else, but wigen annotates the one the chart creates; leave it out")
		}
	}
	if b, ok := vals["enableOpenaiApi"].(bool); ok && !b {
		v.errorf(p+".enableOpenaiApi", "false turns off Azure OpenAI connections too; leave it out")
	}
	v.walkValues(vals, p)
}

// walkValues looks through all chart values for Workload ID keys and
// environment variables that wigen owns or that break keyless access.
func (v *validator) walkValues(x any, p string) {
	switch t := x.(type) {
	case float64:
		if math.IsNaN(t) || math.IsInf(t, 0) {
			v.errorf(p, "%v cannot be written as a Helm value (JSON has no NaN or infinity); quote it or use a finite number", t)
		}
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			kp := joinKey(p, k)
			if strings.HasPrefix(k, AnnotationPrefix) {
				if p == "spec.chart.values.podAnnotations" && slices.Contains(podAnnotations, k) {
					v.podAnnotation(k, t[k], kp)
				} else if k != AnnotationClientID && k != AnnotationTenantID && k != LabelUse {
					msg := fmt.Sprintf("%q is not a Workload ID key wigen lets you set; the pod annotations allowed, under chart.values.podAnnotations, are %s", k, strings.Join(podAnnotations, ", "))
					if sug := suggest(k, podAnnotations); sug != "" {
						msg = fmt.Sprintf("%q is not a Workload ID key; did you mean %q (under chart.values.podAnnotations)?", k, sug)
					}
					v.errorf(kp, "%s", msg)
				} else {
					v.errorf(kp, "wigen owns the client-id and tenant-id annotations and the pod label: remove it (the other Workload ID pod annotations, such as service-account-token-expiration, go under chart.values.podAnnotations)")
				}
				continue
			}
			if strings.HasSuffix(p, "extraEnvVars") || strings.HasSuffix(p, ".env") {
				v.checkEnvName(k, kp) // map form of an env list
			}
			v.walkValues(t[k], kp)
		}
	case []any:
		for i, item := range t {
			ip := fmt.Sprintf("%s[%d]", p, i)
			if m, ok := item.(map[string]any); ok {
				if name, ok := m["name"].(string); ok {
					if _, hasValue := m["value"]; hasValue || m["valueFrom"] != nil {
						v.checkEnvName(name, ip+".name")
					}
				}
			}
			v.walkValues(item, ip)
		}
	}
}

func (v *validator) checkEnvName(name, p string) {
	for _, e := range webhookEnv {
		if name == e {
			v.errorf(p, "%s is injected by the Workload ID webhook, which keeps a value the pod already sets; remove it", name)
			return
		}
	}
	for _, e := range wigenEnv {
		if name == e {
			v.errorf(p, "wigen sets %s from spec.azureOpenAI and spec.chart.imageTag; remove it", name)
			return
		}
	}
	if name == "OPENAI_API_KEY" {
		v.errorf(p, "an OpenAI API key defeats keyless access; the app authenticates with Workload ID")
	}
}

// podAnnotations are the Workload ID pod annotations a user may set in
// chart.values.podAnnotations (Azure/azure-workload-identity v1.6.0, see
// facts.md "Azure Workload ID webhook").
var podAnnotations = []string{
	AnnotationTokenExpiration,
	AnnotationSkipContainers,
	AnnotationInjectProxySidecar,
	AnnotationProxySidecarPort,
}

// podAnnotation checks the value of one of podAnnotations. Annotation
// values are strings (a number is refused by the API server); the webhook
// refuses pods whose token expiration is outside 3600..86400 seconds, and
// injects the proxy sidecar whatever inject-proxy-sidecar says.
func (v *validator) podAnnotation(key string, val any, p string) {
	str, ok := val.(string)
	if !ok {
		v.errorf(p, "annotation values are strings: quote %v", val)
		return
	}
	switch key {
	case AnnotationTokenExpiration:
		if TokenExpirationProblem(str) != "" {
			v.errorf(p, "%q: the token expiration is a whole number of seconds from 3600 to 86400; the webhook refuses the pod otherwise", str)
		}
	case AnnotationProxySidecarPort:
		if !IsPort(str) {
			v.errorf(p, "%q is not a port number (1 to 65535)", str)
		}
	case AnnotationInjectProxySidecar:
		if MeansOff(str) {
			v.errorf(p, "%q still injects the proxy sidecar: the webhook only checks that the annotation is there (azure-workload-identity#1210); remove it to turn the sidecar off", str)
		}
	case AnnotationSkipContainers:
		if strings.TrimSpace(str) == "" {
			v.errorf(p, "is empty; name the containers to skip, separated by ';'")
		}
	}
}

// validateTerraform checks constraints and picks the syntax wigen emits.
func (v *validator) validateTerraform(tf *Terraform, envs int) {
	if _, err := parseConstraint(tf.RequiredVersion); err != nil {
		v.errorf("spec.terraform.requiredVersion", "%q is not a Terraform version constraint (%v); e.g. \">= 1.5.0\"", tf.RequiredVersion, err)
	}
	if c := v.providerConstraint("azurerm", tf.Providers.Azurerm); c != nil {
		if !c.admitsFrom(azurermMin) {
			v.errorf("spec.terraform.providers.azurerm", "%q admits only versions before %s, which have no azurerm_federated_identity_credential; use \"~> 4.65\"", tf.Providers.Azurerm, azurermMin)
		} else if c.spans(azurermUserAssignedIdentityID) {
			v.errorf("spec.terraform.providers.azurerm", "%q admits versions on both sides of 4.65.0, where azurerm_federated_identity_credential's parent_id became user_assigned_identity_id (parent_id and resource_group_name are gone in 5.0); pin one side: \"~> 4.65\" or \">= 4.65, < 6.0\" for user_assigned_identity_id, \">= 3.0, < 4.65\" for parent_id", tf.Providers.Azurerm)
		} else {
			tf.Syntax.UserAssignedIdentityID = c.admitsFrom(azurermUserAssignedIdentityID)
		}
	}
	if c := v.providerConstraint("kubernetes", tf.Providers.Kubernetes); c != nil && !c.admitsFrom(kubernetesMin) {
		v.errorf("spec.terraform.providers.kubernetes", "%q admits only versions before %s, which have no kubernetes_namespace_v1; use \"~> 3.0\" or \"~> 2.38\"", tf.Providers.Kubernetes, kubernetesMin)
	}
	if c := v.providerConstraint("helm", tf.Providers.Helm); c != nil {
		switch {
		case !c.admitsFrom(helmMin):
			v.errorf("spec.terraform.providers.helm", "%q admits only versions before %s, whose helm_release and provider arguments differ from what wigen writes; use \">= 3.1.1, < 4.0.0\"", tf.Providers.Helm, helmMin)
		case c.spans(helmV3):
			v.errorf("spec.terraform.providers.helm", "%q admits versions on both sides of 3.0.0, where helm_release's set {} blocks became set = [...] and the provider's kubernetes {} block became an attribute; pin one side: \">= 3.1.1, < 4.0.0\" or \"~> 2.17\"", tf.Providers.Helm)
		default:
			tf.Syntax.HelmV3 = c.admitsFrom(helmV3)
			if tf.Syntax.HelmV3 && c.admitsBelow(helmUpgradeFix) {
				v.warnf("spec.terraform.providers.helm", "%q admits helm provider versions before 3.1.1, which fail chart upgrades with \"Provider produced inconsistent result after apply\"; use \">= 3.1.1, < 4.0.0\"", tf.Providers.Helm)
			}
		}
	}
	if b := tf.Backend; b != nil {
		v.backendType(b.Type, "spec.terraform.backend.type")
		v.validateHCLKeys(b.Config, "spec.terraform.backend.config", true)
		v.noSecrets(b.Config, "spec.terraform.backend.config", "versions.tf")
		if envs > 1 {
			v.onePerEnvironment(b)
		}
	}
}

func (v *validator) providerConstraint(name, s string) *constraint {
	p := "spec.terraform.providers." + name
	c, err := parseConstraint(s)
	if err != nil {
		v.errorf(p, "%q is not a Terraform version constraint (%v); e.g. \"~> 4.65\"", s, err)
		return nil
	}
	if c.none() {
		v.errorf(p, "%q admits no version", s)
		return nil
	}
	return c
}

var hclIdentRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*$`)

// onePerEnvironment checks that a backend shared by several environments
// still gives each its own state: wigen sets key (azurerm, s3) or prefix
// (gcs) per environment, and the local backend keeps the state in each
// module's folder unless a path is given. Any other backend, or one of
// those arguments written in the input, would put every environment in
// one state, and applying one would plan against the others' resources.
func (v *validator) onePerEnvironment(b *Backend) {
	p := "spec.terraform.backend"
	probe := Environment{Name: "<environment>"}
	if arg, val := BackendStateArgument(&Spec{Metadata: Metadata{Name: "<metadata.name>"}}, &probe, b.Type); arg != "" {
		if _, ok := b.Config[arg]; ok {
			v.errorf(p+".config."+arg, "would put every environment in the same state; leave it out and wigen writes %s = %q for each", arg, val)
		}
		return
	}
	switch b.Type {
	case "local":
		if _, ok := b.Config["path"]; ok {
			v.errorf(p+".config.path", "would put every environment in the same state file; leave it out and each module keeps its terraform.tfstate in its own folder")
		}
	case "":
	default:
		v.errorf(p+".type", "%q cannot give each of several environments its own state through wigen (it sets key for azurerm and s3, prefix for gcs); use one of those, or one wigen.yaml per environment", b.Type)
	}
}

// terraformBackends are the backend types of Terraform 1.x (Terraform
// documentation, "Backend Configuration").
var terraformBackends = []string{"azurerm", "consul", "cos", "gcs", "http", "kubernetes", "local", "oss", "pg", "remote", "s3"}

func (v *validator) backendType(t, p string) {
	if t == "" || slices.Contains(terraformBackends, t) {
		return
	}
	if s := suggest(t, terraformBackends); s != "" {
		v.errorf(p, "%q is not a Terraform backend; did you mean %q?", t, s)
		return
	}
	v.errorf(p, "%q is not a Terraform backend: %s", t, strings.Join(terraformBackends, ", "))
}

// backendSecrets are backend arguments that hold credentials. Written into
// wigen's output they would be committed; Terraform reads each of them
// from the environment too (ARM_ACCESS_KEY, AWS_SECRET_ACCESS_KEY, ...) or
// from `terraform init -backend-config`.
var backendSecrets = []string{"access_key", "sas_token", "client_secret", "client_certificate_password", "client_certificate", "secret_key", "token", "password", "credentials", "oidc_token", "msi_endpoint_token", "conn_str"}

func (v *validator) noSecrets(m map[string]any, p, file string) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if slices.Contains(backendSecrets, k) {
			v.errorf(joinKey(p, k), "is a credential, and wigen's %s is committed; give it to Terraform through the backend's environment variable or terraform init -backend-config instead", file)
		}
	}
}

// validateHCLKeys: Terraform argument names are HCL identifiers. With
// nested, mappings below the top level become nested blocks (a backend's
// assume_role {}), whose arguments are identifiers too. Numbers must be
// finite: HCL has no NaN or infinity.
func (v *validator) validateHCLKeys(m map[string]any, p string, nested bool) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		kp := joinKey(p, k)
		if !hclIdentRE.MatchString(k) {
			v.errorf(kp, "%q is not a Terraform argument name (letters, digits, '_' and '-', not starting with a digit)", k)
		}
		v.validateHCLValue(m[k], kp, nested)
	}
}

func (v *validator) validateHCLValue(x any, p string, nested bool) {
	switch t := x.(type) {
	case float64:
		if math.IsNaN(t) || math.IsInf(t, 0) {
			v.errorf(p, "%v is not a number Terraform can hold; write a finite number or quote it", t)
		}
	case []any:
		for i, item := range t {
			v.validateHCLValue(item, fmt.Sprintf("%s[%d]", p, i), false)
		}
	case map[string]any:
		if nested {
			v.validateHCLKeys(t, p, true)
			return
		}
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			v.validateHCLValue(t[k], joinKey(p, k), false)
		}
	}
}

func (v *validator) validateEnvironment(e *Environment, p string) {
	if e.Name != "" {
		if msg := dns1123Label(e.Name, 63); msg != "" {
			v.errorf(p+".name", "%q is not a valid environment name (it names output folders): %s", e.Name, msg)
		}
	}
	required := func(val, field, what string) bool {
		if val == "" {
			v.errorf(p+"."+field, "is required: %s; set it here or in spec.defaults", what)
			return false
		}
		return true
	}
	if required(e.SubscriptionID, "subscriptionId", "the Azure subscription GUID of the identity") {
		v.guid(e.SubscriptionID, p+".subscriptionId", "subscription ID")
	}
	if e.TenantID != "" {
		v.guid(e.TenantID, p+".tenantId", "tenant ID")
	}
	if required(e.ResourceGroup, "resourceGroup", "the resource group of the identity") {
		v.resourceGroup(e.ResourceGroup, p+".resourceGroup")
	}
	if required(e.Namespace, "namespace", "the Kubernetes namespace of the app") {
		v.namespace(e.Namespace, p+".namespace")
	}
	if required(e.ServiceAccount, "serviceAccount", "the service account the pods run as") {
		v.serviceAccount(e.ServiceAccount, p+".serviceAccount")
	}
	if e.Identity == nil {
		required("", "identity", "the user-assigned managed identity (name, and existing: true for one made elsewhere)")
	} else {
		v.validateIdentity(e, p+".identity")
	}
	if e.Location == "" && (e.Identity == nil || !e.Identity.Existing) {
		required("", "location", "the Azure region of the identity wigen creates, e.g. westeurope")
	} else if e.Location != "" && !locationRE.MatchString(e.Location) {
		v.errorf(p+".location", "%q is not an Azure region name, e.g. westeurope", e.Location)
	}
	if e.Cluster == nil {
		required("", "cluster", "the AKS cluster (name and issuer)")
	} else {
		v.validateCluster(e, p+".cluster")
	}
	for i, f := range e.AdditionalFederations {
		fp := fmt.Sprintf("%s.additionalFederations[%d]", p, i)
		if f.Name != "" && !clusterNameRE.MatchString(f.Name) {
			v.errorf(fp+".name", "%q is not a valid federation name: letters, digits, '_' and '-', starting with a letter or digit, at most 63 characters", f.Name)
		}
		v.validateIssuer(&f.Issuer, fp+".issuer")
		if v.written(fp + ".namespace") {
			v.namespace(f.Namespace, fp+".namespace")
		}
		if v.written(fp + ".serviceAccount") {
			v.serviceAccount(f.ServiceAccount, fp+".serviceAccount")
		}
	}
	for i, fc := range e.FederatedCredentials() {
		fp := p + ".cluster.name"
		if i > 0 {
			fp = fmt.Sprintf("%s.additionalFederations[%d].name", p, i-1)
		}
		if e.Cluster == nil || e.Cluster.Name == "" || e.Namespace == "" || e.ServiceAccount == "" {
			break // reported on their own
		}
		if !credentialNameRE.MatchString(fc.Name) {
			v.errorf(fp, "derives federated identity credential name %q, which is not valid: 3 to 120 characters, letters, digits, '_' and '-', starting with a letter or digit", fc.Name)
		}
		if len(fc.Subject) > 600 {
			v.errorf(fp, "derives subject %q, longer than the 600 characters a federated identity credential allows", fc.Subject)
		}
	}
	if e.AzureOpenAI == nil {
		required("", "azureOpenAI", "the Azure OpenAI account (accountId, endpoint, deployments)")
	} else {
		v.validateAzureOpenAI(e.AzureOpenAI, p+".azureOpenAI")
	}
	v.validateRoles(e, p)
}

var (
	locationRE       = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9 ]{1,63}$`)
	clusterNameRE    = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?$`)
	credentialNameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{2,119}$`)
	// identityNameRE: user-assigned managed identity names, 3 to 128
	// characters (Azure resource naming rules, Microsoft.ManagedIdentity).
	identityNameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{2,127}$`)
	// resourceGroupRE: 1 to 90 characters: letters, digits, '_', '(', ')',
	// '-', '.', not ending in '.' (Azure resource naming rules, Microsoft.Resources).
	resourceGroupRE = regexp.MustCompile(`^[\p{L}\p{N}_().-]{0,89}[\p{L}\p{N}_()-]$`)
	kubeContextRE   = regexp.MustCompile(`^\S(.*\S)?$`)
)

func (v *validator) validateIdentity(e *Environment, p string) {
	id := e.Identity
	if id.Name == "" {
		v.errorf(p+".name", "is required: the name of the user-assigned managed identity")
	} else if !identityNameRE.MatchString(id.Name) {
		v.errorf(p+".name", "%q is not a valid user-assigned managed identity name: 3 to 128 characters, letters, digits, '_' and '-', starting with a letter or digit", id.Name)
	}
	if v.written(p+".resourceGroup") && id.ResourceGroup != "" {
		v.resourceGroup(id.ResourceGroup, p+".resourceGroup")
	}
	if id.ClientID != "" {
		v.guid(id.ClientID, p+".clientId", "client ID")
	}
}

func (v *validator) validateCluster(e *Environment, p string) {
	c := e.Cluster
	if c.Name == "" {
		v.errorf(p+".name", "is required: the name of the AKS cluster")
	} else if !clusterNameRE.MatchString(c.Name) {
		v.errorf(p+".name", "%q is not a valid AKS cluster name: 1 to 63 characters, letters, digits, '_' and '-', starting and ending with a letter or digit", c.Name)
	}
	if c.ResourceGroup != "" {
		v.resourceGroup(c.ResourceGroup, p+".resourceGroup")
	}
	v.validateIssuer(&c.Issuer, p+".issuer")
	if c.ResourceGroup == "" && usesFromCluster(e) {
		v.errorf(p+".resourceGroup", "is required with issuer.fromCluster: wigen reads the cluster's issuer with data \"azurerm_kubernetes_cluster\", which needs the cluster's resource group")
	}
	// Checked where written: the defaults (~/.kube/config, the cluster's
	// name) are right by construction, or reported on their own.
	if k := c.Kubeconfig; k != nil {
		if v.written(p+".kubeconfig.path") && !kubeContextRE.MatchString(k.Path) {
			v.errorf(p+".kubeconfig.path", "%q is not a file path", k.Path)
		}
		if v.written(p+".kubeconfig.context") && !kubeContextRE.MatchString(k.Context) {
			v.errorf(p+".kubeconfig.context", "%q is not a kubeconfig context name", k.Context)
		}
	}
}

// usesFromCluster reports whether any issuer of e, its cluster's or an
// additional federation's, is read from e's cluster.
func usesFromCluster(e *Environment) bool {
	if e.Cluster != nil && e.Cluster.Issuer.FromCluster {
		return true
	}
	for _, f := range e.AdditionalFederations {
		if f.Issuer.FromCluster {
			return true
		}
	}
	return false
}

// AKS issuer hosts. AKS issuer URLs end with '/'; without it token
// exchange fails with AADSTS70021 (azure-workload-identity troubleshooting,
// #1700). Other issuers have no trailing slash, so wigen never adds or
// removes one: it refuses an AKS issuer without it.
var aksIssuerHostRE = regexp.MustCompile(`(?i)^([a-z0-9-]+\.oic\.prod-aks\.azure\.com|oidc\.prod-aks\.azure\.com)$`)

func (v *validator) validateIssuer(is *Issuer, p string) {
	set := 0
	if is.FromCluster {
		set++
	}
	if is.URL != "" {
		set++
	}
	if is.RemoteState != nil {
		set++
	}
	if set != 1 {
		v.errorf(p, "set exactly one of fromCluster: true, url, remoteState (found %d)", set)
	}
	if is.URL != "" {
		v.issuerURL(is.URL, p+".url")
	}
	if rs := is.RemoteState; rs != nil {
		v.backendType(rs.Backend, p+".remoteState.backend")
		v.validateHCLKeys(rs.Config, p+".remoteState.config", false)
		v.noSecrets(rs.Config, p+".remoteState.config", "main.tf")
		if rs.Output != "" && !hclIdentRE.MatchString(rs.Output) {
			v.errorf(p+".remoteState.output", "%q is not a Terraform output name", rs.Output)
		}
	}
}

// issuerURL checks a literal issuer: https, no whitespace, no query or
// fragment, at most 600 characters (federated identity credential limits),
// and the trailing '/' of AKS issuers.
func (v *validator) issuerURL(s, p string) {
	if ph := placeholder(s); ph != "" {
		v.errorf(p, "%q looks like a placeholder (%s); put the cluster's issuer here: az aks show -n <cluster> -g <resource group> --query oidcIssuerProfile.issuerUrl -o tsv", s, ph)
		return
	}
	if strings.TrimSpace(s) != s || strings.ContainsAny(s, " \t\r\n") {
		v.errorf(p, "%q contains whitespace; the issuer is matched exactly", s)
		return
	}
	if len(s) > 600 {
		v.errorf(p, "is %d characters; an issuer may have at most 600", len(s))
		return
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		v.errorf(p, "%q is not an https URL; an OIDC issuer is https://host/path", s)
		return
	}
	if u.RawQuery != "" || u.Fragment != "" || strings.ContainsAny(s, "?#") {
		v.errorf(p, "%q has a query or fragment; an OIDC issuer has neither", s)
		return
	}
	// The issuer is compared character for character with the iss claim of
	// the tokens, which issuers write in canonical form: a lowercase scheme
	// and host, no user information, no empty path segment.
	host := u.Hostname()
	lowerHost := strings.ToLower(host)
	aks := aksIssuerHostRE.MatchString(strings.TrimSuffix(lowerHost, "."))
	switch {
	case u.User != nil:
		v.errorf(p, "%q has user information before the host; an OIDC issuer has none", s)
	case !strings.HasPrefix(s, "https://"):
		v.errorf(p, "%q: write the scheme in lowercase, https://, as it is in the tokens' iss claim (the issuer is matched exactly)", s)
	case host != lowerHost:
		v.errorf(p, "%q: write the host in lowercase, %s, as it is in the tokens' iss claim (the issuer is matched exactly)", s, lowerHost)
	case strings.HasSuffix(host, "."):
		v.errorf(p, "%q: the host ends with '.', which the tokens' iss claim does not have (the issuer is matched exactly)", s)
	case aks && u.Port() != "":
		v.errorf(p, "%q: AKS issuers have no port (the issuer is matched exactly)", s)
	case strings.Contains(u.EscapedPath(), "//"):
		v.errorf(p, "%q has an empty path segment (//); the issuer is matched exactly", s)
	case aks && !strings.HasSuffix(s, "/"):
		v.errorf(p, "%q is an AKS issuer without its trailing '/'; AKS issuers end with '/' and the token exchange fails with AADSTS70021 without it: write %q", s, s+"/")
	}
}

func (v *validator) validateAzureOpenAI(a *AzureOpenAI, p string) {
	if a.AccountID == "" {
		v.errorf(p+".accountId", "is required: the resource ID of the Azure OpenAI account")
	} else if msg := v.checkResourceID(a.AccountID); msg != "" {
		v.errorf(p+".accountId", "%s; put the account's resource ID here: az cognitiveservices account show -n <name> -g <resource group> --query id -o tsv", msg)
	} else if !cognitiveAccountRE.MatchString(a.AccountID) {
		v.errorf(p+".accountId", "%q is not an Azure OpenAI account: expected /subscriptions/<guid>/resourceGroups/<group>/providers/Microsoft.CognitiveServices/accounts/<name>", a.AccountID)
	}
	if a.Endpoint == "" {
		v.errorf(p+".endpoint", "is required: the account endpoint, e.g. https://<name>.openai.azure.com")
	} else if ph := placeholder(a.Endpoint); ph != "" {
		v.errorf(p+".endpoint", "%q looks like a placeholder (%s); put the account endpoint here, e.g. https://my-account.openai.azure.com", a.Endpoint, ph)
	} else if u, err := url.Parse(a.Endpoint); err != nil || u.Scheme != "https" || u.Host == "" {
		v.errorf(p+".endpoint", "%q is not an https URL, e.g. https://my-account.openai.azure.com", a.Endpoint)
	} else if u.RawQuery != "" || u.Fragment != "" {
		v.errorf(p+".endpoint", "%q has a query or fragment; write the account endpoint alone (the API version goes in apiVersion)", a.Endpoint)
	} else if strings.HasSuffix(strings.TrimSuffix(u.Path, "/"), "/openai") {
		v.errorf(p+".endpoint", "%q ends in /openai; Open WebUI adds that itself: write %q", a.Endpoint, strings.TrimSuffix(strings.TrimSuffix(a.Endpoint, "/"), "/openai"))
	} else if i := strings.Index(u.Path, "/openai/"); i >= 0 {
		v.errorf(p+".endpoint", "%q is a URL inside the API; write the account endpoint without /openai/..., e.g. %q", a.Endpoint, u.Scheme+"://"+u.Host+u.Path[:i])
	} else if acct := accountName(a.AccountID); acct != "" {
		// Standard endpoints name their account; a custom domain, private
		// endpoint or gateway does not, and is left alone.
		host := strings.ToLower(u.Hostname())
		for _, suffix := range []string{".openai.azure.com", ".cognitiveservices.azure.com"} {
			if name, ok := strings.CutSuffix(host, suffix); ok && !strings.Contains(name, ".") && name != strings.ToLower(acct) {
				v.warnf(p+".endpoint", "names account %q, but accountId names %q: the role is assigned on one account while the app calls the other", name, acct)
			}
		}
	}
	if !apiVersionRE.MatchString(a.APIVersion) {
		v.errorf(p+".apiVersion", "%q is not an Azure OpenAI API version: YYYY-MM-DD or YYYY-MM-DD-preview, e.g. 2024-10-21", a.APIVersion)
	}
	if len(a.Deployments) == 0 {
		v.errorf(p+".deployments", "lists no deployment; Azure OpenAI connections cannot list models, so name at least one deployment")
	}
	seen := map[string]bool{}
	for i, dep := range a.Deployments {
		dp := fmt.Sprintf("%s.deployments[%d]", p, i)
		switch {
		case !deploymentRE.MatchString(dep):
			v.errorf(dp, "%q is not an Azure OpenAI deployment name: 1 to 64 letters, digits, '.', '_' and '-'", dep)
		case seen[dep]:
			v.errorf(dp, "%q is listed twice", dep)
		}
		seen[dep] = true
	}
}

// accountName is the last segment of an Azure OpenAI account's resource ID.
func accountName(id string) string {
	if !cognitiveAccountRE.MatchString(id) || checkResourceID(id) != "" {
		return ""
	}
	return id[strings.LastIndex(id, "/")+1:]
}

var (
	apiVersionRE       = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}(-preview)?$`)
	deploymentRE       = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)
	cognitiveAccountRE = regexp.MustCompile(`(?i)^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft\.CognitiveServices/accounts/[^/]+$`)
)

// Built-in roles that manage an Azure OpenAI account but do not allow
// inference: calls get 401 (facts.md "Names"). Their role definition IDs
// are in builtinRoleIDs.
var controlPlaneRoles = []string{"Owner", "Contributor", "Cognitive Services Contributor"}

// guidMatcher matches ^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$
// without a regular expression (it runs for every GUID field of every environment).
type guidMatcher struct{}

func (guidMatcher) MatchString(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
				return false
			}
		}
	}
	return true
}

// controlPlaneRole returns the name of a control-plane role given by name
// or role definition ID, or "".
func controlPlaneRole(role string) string {
	key := roleKey(Role{Role: role}, "")
	for _, name := range controlPlaneRoles {
		if builtinRoleIDs[strings.ToLower(name)] == key {
			return name
		}
	}
	return ""
}

// knownRoles are built-in role names a typo is most likely aimed at; a name
// close to one of them but not equal is refused with a suggestion.
var knownRoles = []string{
	"Cognitive Services OpenAI User", "Cognitive Services OpenAI Contributor", "Cognitive Services User",
	"Cognitive Services Contributor", "Cognitive Services Data Reader", "Owner", "Contributor", "Reader",
	"Storage Blob Data Reader", "Storage Blob Data Contributor", "Key Vault Secrets User",
	"Search Index Data Reader", "Search Service Contributor", "Azure AI Developer", "Azure AI User",
}

var (
	guidRE             = guidMatcher{}
	roleDefinitionIDRE = regexp.MustCompile(`(?i)^(/subscriptions/[0-9a-f-]{36})?/providers/Microsoft\.Authorization/roleDefinitions/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	roleNameRE         = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9 ._()/-]{0,127}$`)
)

func (v *validator) validateRoles(e *Environment, p string) {
	type key struct{ role, scope string }
	seen := map[key]int{}
	for i, r := range e.Roles {
		rp := fmt.Sprintf("%s.roles[%d]", p, i)
		switch {
		case r.Role == "":
		case guidRE.MatchString(r.Role) || roleDefinitionIDRE.MatchString(r.Role):
		case strings.HasPrefix(r.Role, "/"):
			v.errorf(rp+".role", "%q is not a role definition ID: /subscriptions/<guid>/providers/Microsoft.Authorization/roleDefinitions/<guid>, or just the role's GUID", r.Role)
		case placeholder(r.Role) != "" || !roleNameRE.MatchString(r.Role):
			v.errorf(rp+".role", "%q is not a role: give a built-in role name such as %q, or a role definition ID", r.Role, RoleOpenAIUser)
		default:
			if s := v.suggestRole(r.Role); s != "" && s != r.Role {
				v.errorf(rp+".role", "%q is not a built-in role; did you mean %q? (names are matched exactly)", r.Role, s)
			}
		}
		if r.Scope != "" && v.written(rp+".scope") {
			if msg := v.checkResourceID(r.Scope); msg != "" {
				v.errorf(rp+".scope", "%s; put the resource ID the role applies to here, e.g. the Azure OpenAI account's", msg)
			}
		}
		k := key{strings.ToLower(roleKey(r, e.SubscriptionID)), strings.ToLower(r.Scope)}
		if first, dup := seen[k]; dup {
			v.errorf(rp, "assigns the same role on the same scope as roles[%d]", first)
		}
		seen[k] = i
		if name := controlPlaneRole(r.Role); name != "" && cognitiveAccountRE.MatchString(r.Scope) {
			v.warnf(rp+".role", "%s manages the Azure OpenAI account but does not allow inference: calls get 401; assign %q for the app", name, RoleOpenAIUser)
		}
	}
}

// validateIdentities checks rules across environments, per identity
// (subscription, resource group, name): created by one environment at most,
// at most 20 federated identity credentials, issuer and subject unique
// (Microsoft Entra, federated identity credential considerations).
func (v *validator) validateIdentities() {
	type fed struct {
		path, name, namePath, issuer, subject string
	}
	type identity struct {
		name      string
		createdBy string
		feds      []fed
		roles     map[string]string // role definition and scope -> the environment assigning it
		roleEnvs  int               // environments that assign at least one role
		// clientID is the identity's client ID, from environment clientIDEnv.
		clientID, clientIDEnv string
	}
	ids := map[string]*identity{}
	var order []string
	type clientIDUse struct{ key, name, env string }
	clientIDs := map[string]clientIDUse{} // client ID -> the identity that has it
	deployments := map[string]string{}    // cluster, namespace -> environment
	for i := range v.s.Spec.Environments {
		e := &v.s.Spec.Environments[i]
		if e.Identity == nil || e.Identity.Name == "" {
			continue
		}
		p := fmt.Sprintf("spec.environments[%d]", i)
		k := e.IdentityKey()
		id := ids[k]
		if id == nil {
			id = &identity{name: e.Identity.Name, roles: map[string]string{}}
			ids[k] = id
			order = append(order, k)
		}
		if !e.Identity.Existing {
			if id.createdBy != "" {
				v.errorf(p+".identity.name", "environment %q: identity %q is already created by environment %q; an identity is created once: set identity.existing: true in environment %q", e.Name, e.Identity.Name, id.createdBy, e.Name)
			} else {
				id.createdBy = e.Name
			}
		}
		if c := strings.ToLower(e.Identity.ClientID); c != "" {
			if other, ok := clientIDs[c]; ok && other.key != k {
				v.errorf(p+".identity.clientId", "environment %q: %s is already the client ID of identity %q (environment %q); each user-assigned managed identity has its own client ID: `terraform output -raw client_id` in this environment's module prints it", e.Name, e.Identity.ClientID, other.name, other.env)
			} else if !ok {
				clientIDs[c] = clientIDUse{key: k, name: e.Identity.Name, env: e.Name}
			}
			if id.clientID != "" && id.clientID != c {
				v.errorf(p+".identity.clientId", "environment %q: identity %q already has client ID %s in environment %q; one identity has one client ID", e.Name, e.Identity.Name, id.clientID, id.clientIDEnv)
			} else if id.clientID == "" {
				id.clientID, id.clientIDEnv = c, e.Name
			}
		}
		for j, fc := range e.FederatedCredentials() {
			fp, np := p+".cluster.issuer", p+".cluster.name"
			if j > 0 {
				fp = fmt.Sprintf("%s.additionalFederations[%d]", p, j-1)
				np = fp + ".name"
			}
			id.feds = append(id.feds, fed{path: fp, name: fc.Name, namePath: np, issuer: issuerKey(e, fc.Issuer), subject: fc.Subject})
		}
		if len(e.Roles) > 0 {
			id.roleEnvs++
		}
		for j, r := range e.Roles {
			rk := strings.ToLower(roleKey(r, e.SubscriptionID) + "\x00" + r.Scope)
			if other, dup := id.roles[rk]; dup && other != e.Name {
				v.errorf(fmt.Sprintf("%s.roles[%d]", p, j), "environment %q assigns %q on this scope to identity %q, as environment %q already does; a role assignment exists once (a second one fails with 409 RoleAssignmentExists): set roles: [] in environment %q and leave it to %q", e.Name, r.Role, e.Identity.Name, other, e.Name, other)
			} else {
				id.roles[rk] = e.Name
			}
		}
		// One release per namespace and cluster: two environments deploying
		// there would fight over the same objects.
		if e.Cluster != nil && e.Namespace != "" {
			if ck := issuerKey(e, e.Cluster.Issuer); ck != "" {
				dk := ck + "\x00" + e.Namespace
				if other, dup := deployments[dk]; dup {
					v.errorf(p+".namespace", "environment %q: environment %q already deploys release %q into namespace %q of this cluster (same issuer); each environment needs its own namespace or cluster", e.Name, other, v.s.ReleaseName(), e.Namespace)
				} else {
					deployments[dk] = e.Name
				}
			}
		}
	}
	for _, k := range order {
		id := ids[k]
		seen := map[string]fed{}
		names := map[string]fed{}
		for n, f := range id.feds {
			if n == MaxFederatedCredentials {
				v.errorf(f.path, "is federated credential number %d on one identity; an identity holds at most %d (Microsoft Entra limits): use another identity", n+1, MaxFederatedCredentials)
			}
			if first, dup := names[f.name]; dup {
				v.errorf(f.namePath, "derives federated identity credential name %q, which %s already has on identity %q; credential names are unique per identity: rename the federation", f.name, first.namePath, id.name)
			} else {
				names[f.name] = f
			}
			if f.issuer == "" {
				continue // no issuer: reported on its own
			}
			key := f.issuer + "\x00" + f.subject
			if first, dup := seen[key]; dup {
				v.errorf(f.path, "federates the same issuer and subject %q as %s; issuer and subject must be unique per identity", f.subject, first.path)
				continue
			}
			seen[key] = f
		}
	}
	// An environment without roles is expected when another environment on
	// the same identity assigns them.
	for i := range v.s.Spec.Environments {
		e := &v.s.Spec.Environments[i]
		p := fmt.Sprintf("spec.environments[%d].roles", i)
		if v.written(p) && len(e.Roles) == 0 && e.Identity != nil {
			if id := ids[e.IdentityKey()]; id == nil || id.roleEnvs == 0 {
				v.warnf(p, "lists no role: the identity can authenticate but is allowed nothing; leave roles out for %q on the Azure OpenAI account", RoleOpenAIUser)
			}
		}
	}
}

// roleKey identifies a role: its definition ID, or its built-in name.
func roleKey(r Role, subscriptionID string) string {
	if id := r.RoleDefinitionID(subscriptionID); id != "" {
		return strings.ToLower(id[strings.LastIndex(id, "/")+1:])
	}
	if id, ok := builtinRoleIDs[strings.ToLower(r.Role)]; ok {
		return id // the same role, given by name
	}
	return r.Role
}

// builtinRoleIDs are the role definition IDs of built-in roles wigen knows
// by name, so a role given once by name and once by ID is one role.
// Cognitive Services OpenAI User from facts.md; the control-plane roles
// from the Azure built-in roles reference.
var builtinRoleIDs = map[string]string{
	strings.ToLower(RoleOpenAIUser):  RoleOpenAIUserID,
	"owner":                          "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
	"contributor":                    "b24988ac-6180-49a0-ab88-20f7382dd24c",
	"cognitive services contributor": "25fbc0a9-bd7c-42a3-aa1a-3b75d497ee68",
}

// issuerKey identifies an issuer source for the uniqueness rule.
func issuerKey(e *Environment, is Issuer) string {
	switch {
	case is.URL != "":
		return "url:" + is.URL
	case is.FromCluster && e.Cluster != nil:
		return strings.ToLower("cluster:" + e.SubscriptionID + "/" + e.Cluster.ResourceGroup + "/" + e.Cluster.Name)
	case is.RemoteState != nil:
		return fmt.Sprintf("state:%s:%v:%s", is.RemoteState.Backend, sortedMap(is.RemoteState.Config), is.RemoteState.Output)
	}
	return ""
}

func sortedMap(m map[string]any) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%s=%v;", k, m[k])
	}
	return b.String()
}

// validateSharedServiceAccount: the Kustomize base is shared, and the pods'
// serviceAccountName comes from it, so every environment must use one name.
func (v *validator) validateSharedServiceAccount() {
	if !v.s.HasTarget(TargetKustomize) {
		return
	}
	envs := v.s.Spec.Environments
	for i := 1; i < len(envs); i++ {
		if envs[i].ServiceAccount != "" && envs[0].ServiceAccount != "" && envs[i].ServiceAccount != envs[0].ServiceAccount {
			v.errorf(fmt.Sprintf("spec.environments[%d].serviceAccount", i), "%q differs from %q in %s: the Kustomize base is shared and names the pods' service account, so every environment rendered for kustomize uses the same one; use one name, or drop kustomize from spec.targets", envs[i].ServiceAccount, envs[0].ServiceAccount, envs[0].Name)
		}
	}
}

// guid checks a GUID field; the nil GUID is a placeholder.
func (v *validator) guid(s, p, what string) {
	switch {
	case !guidRE.MatchString(s):
		v.errorf(p, "%q is not a GUID (8-4-4-4-12 hexadecimal digits); put the %s here", s, what)
	case s == "00000000-0000-0000-0000-000000000000":
		v.errorf(p, "is the nil GUID, a placeholder; put the real %s here", what)
	}
}

func (v *validator) resourceGroup(s, p string) {
	if !resourceGroupRE.MatchString(s) {
		v.errorf(p, "%q is not a valid resource group name: 1 to 90 letters, digits, '_', '(', ')', '-' and '.', not ending in '.'", s)
	}
}

// namespace: a DNS-1123 label of at most 63 characters (Kubernetes object
// names), and not kube-system, which the AKS admissions enforcer skips, so
// its pods are never given a token (azure-workload-identity known issues, #525).
func (v *validator) namespace(s, p string) {
	if msg := dns1123Label(s, 63); msg != "" {
		v.errorf(p, "%q is not a valid namespace: %s", s, msg)
		return
	}
	if s == "kube-system" {
		v.errorf(p, "pods in kube-system are never given a Workload ID token (the AKS admissions enforcer skips the namespace); use a namespace of the app's own")
	}
}

// serviceAccount: a DNS-1123 subdomain of at most 253 characters (Kubernetes object names).
func (v *validator) serviceAccount(s, p string) {
	if len(s) > 253 || !dns1123SubdomainRE.MatchString(s) {
		v.errorf(p, "%q is not a valid service account name: a DNS-1123 subdomain (lowercase letters, digits, '-' and '.', starting and ending with a letter or digit, at most 253 characters)", s)
	}
}

var (
	dns1123LabelRE     = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)
	dns1123SubdomainRE = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`)
)

// dns1123Label returns "" for a DNS-1123 label of at most max characters,
// else what is allowed.
func dns1123Label(s string, max int) string {
	if len(s) > max || !dns1123LabelRE.MatchString(s) {
		return "a DNS-1123 label (lowercase letters, digits and '-', starting and ending with a letter or digit, at most " + strconv.Itoa(max) + " characters)"
	}
	return ""
}

var (
	// An Azure resource ID: /subscriptions/<guid>[/resourceGroups/<rg>[/providers/<ns>/<type>/<name>[/<type>/<name>]...]]
	resourceIDRE = regexp.MustCompile(`(?i)^/subscriptions/([^/\s]+)(/resourceGroups/[^/\s]+(/providers/[^/\s]+(/[^/\s]+/[^/\s]+)+)?)?$`)
	// A management group scope.
	managementGroupRE = regexp.MustCompile(`(?i)^/providers/Microsoft\.Management/managementGroups/[^/\s]+$`)
)

// placeholderMarks are pieces of text that example values carry and real
// values do not: <guid>, YOUR_..., REPLACE_ME, CHANGEME, TODO, xxx, "...",
// template syntax.
var placeholderMarks = []string{"<", ">", "your_", "your-", "replace_me", "replace-me", "replaceme", "change_me", "change-me", "changeme", "todo", "xxx", "...", "{{", "${"}

// placeholder returns why s looks like a placeholder left in from an
// example, or "".
func placeholder(s string) string {
	lower := strings.ToLower(s)
	for _, m := range placeholderMarks {
		if i := strings.Index(lower, m); i >= 0 {
			mark := s[i : i+len(m)]
			if m == "<" {
				if j := strings.IndexByte(s[i:], '>'); j > 0 {
					mark = s[i : i+j+1]
				}
			}
			return "it contains " + strconv.Quote(mark)
		}
	}
	return ""
}

// checkResourceID returns "" for a well-formed Azure resource ID whose
// subscription is a GUID, else what is wrong.
func checkResourceID(s string) string {
	if ph := placeholder(s); ph != "" {
		return fmt.Sprintf("%q looks like a placeholder (%s)", s, ph)
	}
	if managementGroupRE.MatchString(s) {
		return ""
	}
	m := resourceIDRE.FindStringSubmatch(s)
	if m == nil {
		return fmt.Sprintf("%q is not an Azure resource ID (/subscriptions/<guid>/resourceGroups/<group>/providers/<namespace>/<type>/<name>)", s)
	}
	if !guidRE.MatchString(m[1]) {
		return fmt.Sprintf("%q names subscription %q, which is not a GUID", s, m[1])
	}
	return ""
}
