// The chart: repository, name, exact version (open-webui 12.0.0 to 12.1.0
// rename the service account, helm-charts#350), the app version read from
// imageTag (Entra ID for Azure OpenAI from 0.6.30), and chart.values that
// would take over what wigen owns: the service account, the Workload ID
// annotations and pod label, the webhook's environment variables, an
// OpenAI API key. Sources: facts.md "Open WebUI Helm chart", "Open WebUI
// application" and "Azure Workload ID webhook".

package schema

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"unicode"

	version "github.com/hashicorp/go-version"
	"sigs.k8s.io/yaml"
)

// validateChart checks the chart and app versions against what Workload ID
// needs (facts.md "Open WebUI Helm chart", "Open WebUI application").
func (v *validator) validateChart(c *Chart) {
	if c.Repository != "" {
		v.chartRepository(c.Repository)
	}
	if c.Name != "" && !chartNameRE.MatchString(c.Name) {
		v.errorf("spec.chart.name", "%s is not a chart name: lowercase letters, digits and '-'", Quote(c.Name))
	}
	openWebUI := c.Name == DefaultChartName
	if c.Version != "" {
		if !semverRE.MatchString(c.Version) {
			v.errorf("spec.chart.version", "%s is not an exact chart version; pin one, e.g. 7.2.0 (ranges make the rendered output depend on the day)", Quote(c.Version))
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
			v.errorf("spec.chart.imageTag", "%s is not a version tag; wigen reads the app version from it to choose the settings the app understands: use a release tag such as v0.6.33", Quote(c.ImageTag))
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

// validateChartNames refuses names the open-webui chart writes into its
// manifests unquoted (templates/_helpers.tpl and the object templates, read
// at 7.2.0 and 16.0.0: metadata.name and metadata.namespace of every
// object, the app.kubernetes.io/instance label from the release name, the
// service account's name) when YAML 1.1 reads them as something other than
// a string: "off", "yes" or "y" become booleans, "123" or "1e3" numbers,
// "null" nothing, and Helm and the API server refuse the objects (found by
// rendering the real chart with such names).
func (v *validator) validateChartNames() {
	// Environments share most names (spec.defaults): each is read once.
	isString := map[string]bool{}
	check := func(p, name, what string) {
		if name == "" {
			return
		}
		ok, seen := isString[name]
		if !seen {
			ok = readsAsString(name)
			isString[name] = ok
		}
		if ok {
			return
		}
		v.errorf(p, "%s reads as a YAML %s, not a string, and the open-webui chart writes %s unquoted into its manifests, so Helm and the API server refuse them; choose another name", Quote(name), yamlKind(name), what)
	}
	check("metadata.name", v.s.Metadata.Name, "the release name (the app.kubernetes.io/instance label)")
	for i := range v.s.Spec.Environments {
		e := &v.s.Spec.Environments[i]
		p := fmt.Sprintf("spec.environments[%d]", i)
		check(p+".namespace", e.Namespace, "the namespace")
		check(p+".serviceAccount", e.ServiceAccount, "the service account's name")
	}
}

// readsAsString reports whether a plain YAML scalar s reads back as the
// string s, as sigs.k8s.io/yaml (YAML 1.1, what Helm and kubectl decode
// manifests with) reads it.
func readsAsString(s string) bool {
	var m map[string]any
	if err := yaml.Unmarshal([]byte("v: "+s), &m); err != nil {
		return false
	}
	got, ok := m["v"].(string)
	return ok && got == s
}

// yamlKind names what YAML 1.1 reads s as: "boolean", "number" or "null".
func yamlKind(s string) string {
	var m map[string]any
	_ = yaml.Unmarshal([]byte("v: "+s), &m)
	switch m["v"].(type) {
	case bool:
		return "boolean"
	case nil:
		return "null"
	case float64, int64, int:
		return "number"
	}
	return "value"
}

var chartNameRE = lazyRE(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)

// podAnnotationsPathRE matches the podAnnotations of the spec-level chart
// values and of an environment's.
var podAnnotationsPathRE = lazyRE(`^spec\.(environments\[\d+\]\.)?chart\.values\.podAnnotations$`)

// Environment variables the Workload ID webhook injects; a value the pod
// already sets is kept, so a preset one silently wins (facts.md).
var webhookEnv = []string{"AZURE_CLIENT_ID", "AZURE_TENANT_ID", "AZURE_FEDERATED_TOKEN_FILE", "AZURE_AUTHORITY_HOST"}

// Environment variables wigen sets itself in extraEnvVars.
var wigenEnv = []string{"AZURE_TOKEN_CREDENTIALS", "OPENAI_API_BASE_URLS", "OPENAI_API_KEYS", "OPENAI_API_CONFIGS"}

// Environment variables wigen sets from spec.openWebUI, and the field that does.
var openWebUIEnv = map[string]string{
	"BYPASS_MODEL_ACCESS_CONTROL": "spec.openWebUI.modelAccess (everyone)",
	"ENABLE_PERSISTENT_CONFIG":    "spec.openWebUI.persistentConfig (false)",
}

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
	v.validateChartOpenAI(vals, p)
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
	v.ssoSecrets(vals, p)
	v.walkValues(vals, p)
}

// validateChartOpenAI checks the chart's own OpenAI values
// (chartopenai.go). Empty is what wigen itself sets for openaiBaseApiUrl
// and openaiApiKey, and the chart's off for the others, so "" and [] are
// accepted; anything else puts the public OpenAI URL, a second connection
// or a key into the pod.
func (v *validator) validateChartOpenAI(vals map[string]any, p string) {
	set := func(k string) bool {
		x, ok := vals[k]
		return ok && !isEmptyValue(x)
	}
	for _, k := range []string{ChartValueOpenAIKey, ChartValueOpenAIKeys} {
		if set(k) {
			v.errorf(joinKey(p, k), "an OpenAI API key defeats keyless access; the app authenticates with Workload ID (wigen empties the chart's own key itself; \"\" is allowed)")
		}
	}
	for _, k := range []string{ChartValueOpenAIKeySecret, ChartValueOpenAIKeysSecret} {
		if set(k) {
			v.errorf(joinKey(p, k), "puts a real OpenAI API key from a Secret into the pod, and the app stores it as the key of its Entra ID connection (an empty OPENAI_API_KEYS falls back to OPENAI_API_KEY); the app authenticates with Workload ID: remove it (\"\" is allowed)")
		}
	}
	if set(ChartValueOpenAIBaseURL) {
		v.errorf(joinKey(p, ChartValueOpenAIBaseURL), "wigen sets it to \"\" so the chart emits no OPENAI_API_BASE_URL (its default is the public OpenAI API) and no dummy OPENAI_API_KEY beside it; the Azure OpenAI endpoint comes from spec.azureOpenAI: remove it (\"\" is allowed)")
	}
	if set(ChartValueOpenAIBaseURLs) {
		v.errorf(joinKey(p, ChartValueOpenAIBaseURLs), "the chart would emit OPENAI_API_BASE_URLS, which wigen sets from spec.azureOpenAI: remove it ([] is allowed)")
	}
}

// isEmptyValue: null, "", [] or {}.
func isEmptyValue(x any) bool {
	switch t := x.(type) {
	case nil:
		return true
	case string:
		return t == ""
	case []any:
		return len(t) == 0
	case map[string]any:
		return len(t) == 0
	}
	return false
}

// walkValues looks through all chart values for Workload ID keys and
// environment variables that wigen owns or that break keyless access.
func (v *validator) walkValues(x any, p string) {
	switch t := x.(type) {
	case string:
		v.noBidi(t, p)
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
			v.noBidi(k, kp)
			if kind, ok := stringMapKind(k); ok {
				if m, ok := t[k].(map[string]any); ok {
					v.stringMapValues(m, kp, kind)
				}
			}
			if strings.HasPrefix(k, AnnotationPrefix) {
				if podAnnotationsPathRE.MatchString(p) && slices.Contains(podAnnotations, k) {
					v.podAnnotation(k, t[k], kp)
				} else if k != AnnotationClientID && k != AnnotationTenantID && k != LabelUse {
					msg := fmt.Sprintf("%s is not a Workload ID key wigen lets you set; the pod annotations allowed, under chart.values.podAnnotations, are %s", Quote(k), strings.Join(podAnnotations, ", "))
					if sug := suggest(k, podAnnotations); sug != "" {
						msg = fmt.Sprintf("%s is not a Workload ID key; did you mean %s (under chart.values.podAnnotations)?", Quote(k), Quote(sug))
					}
					v.errorf(kp, "%s", msg)
				} else {
					v.errorf(kp, "wigen owns the client-id and tenant-id annotations and the pod label: remove it (the other Workload ID pod annotations, such as service-account-token-expiration, go under chart.values.podAnnotations)")
				}
				continue
			}
			if k == AnnotationChecksum && p == "spec.chart.values.podAnnotations" {
				v.errorf(kp, "wigen sets %s from the identity's client ID and the tenant ID, so a new client ID rolls the pods; remove it", AnnotationChecksum)
				continue
			}
			if strings.HasSuffix(p, "extraEnvVars") || strings.HasSuffix(p, ".env") {
				v.checkEnvName(k, kp) // map form of an env list
				v.secretEnv(k, t[k], kp)
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
						v.secretEnv(name, m["value"], ip+".value")
					}
				}
			}
			v.walkValues(item, ip)
		}
	}
}

// noBidi refuses a chart value or key holding a bidirectional control
// (U+200E, U+200F, U+061C, U+202A..U+202E, U+2066..U+2069): the values
// are committed and reviewed, and such a character makes the text read in
// another order than it is (Unicode Technical Report #36, "Bidirectional
// Text Spoofing"; CVE-2021-42574, "Trojan Source").
func (v *validator) noBidi(s, p string) {
	for _, r := range s {
		if unicode.Is(unicode.Bidi_Control, r) {
			v.errorf(p, "holds %s, which makes the text read in another order than it is (Trojan Source, CVE-2021-42574); remove it", describeRune(r))
			return
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
	if field, ok := openWebUIEnv[name]; ok {
		v.errorf(p, "wigen sets %s from %s; set it there", name, field)
		return
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
		v.stringValue(val, p, "annotation")
		return
	}
	switch key {
	case AnnotationTokenExpiration:
		if TokenExpirationProblem(str) != "" {
			v.errorf(p, "%s: the token expiration is a whole number of seconds from 3600 to 86400; the webhook refuses the pod otherwise", Quote(str))
		}
	case AnnotationProxySidecarPort:
		if !IsPort(str) {
			v.errorf(p, "%s is not a port number (1 to 65535)", Quote(str))
		}
	case AnnotationInjectProxySidecar:
		if MeansOff(str) {
			v.errorf(p, "%s still injects the proxy sidecar: the webhook only checks that the annotation is there (azure-workload-identity#1210); remove it to turn the sidecar off", Quote(str))
		}
	case AnnotationSkipContainers:
		if strings.TrimSpace(str) == "" {
			v.errorf(p, "is empty; name the containers to skip, separated by ';'")
		}
	}
}
