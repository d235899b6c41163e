// Pod templates (WI020..WI028, WI030..WI032, WI040..WI044, WI050): the use
// label on the pod template as the string "true" and never in a selector,
// the service account the pods run as, the checksum annotation that rolls
// the pods when the client ID changes, the webhook's pod annotations, and
// the containers' env (no preset AZURE_* variable, no OpenAI API key, no
// in-cluster URL of another namespace).

package lint

import (
	"fmt"
	"regexp"
	"strings"
	"sync"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/wigen-dev/wigen/schema"
)

// kubeSystem is the namespace the AKS admissions enforcer skips
// (facts.md: AKS known issues; azure-workload-identity#525).
const kubeSystem = "kube-system"

// presetEnv are the variables the webhook injects and keeps when a container
// already sets them (webhook addEnvironmentVariables: a name already in the
// container's env is left as is, whatever its value).
var presetEnv = []string{"AZURE_CLIENT_ID", "AZURE_TENANT_ID", "AZURE_FEDERATED_TOKEN_FILE"}

// podTemplate is the pod template of a workload, or a bare Pod.
type podTemplate struct {
	// path is the template's field path ("spec.template",
	// "spec.jobTemplate.spec.template"), "" for a Pod.
	path string
	meta *metav1.ObjectMeta
	spec *corev1.PodSpec
	// owners are the workload's own metadata and, for a CronJob, its job
	// template's.
	owners    []ownerMeta
	selectors []selector
}

type ownerMeta struct {
	path string
	meta *metav1.ObjectMeta
}

type selector struct {
	path string
	sel  *metav1.LabelSelector
}

// serviceAccount is the service account the pods run as: serviceAccountName,
// else the deprecated serviceAccount, else "" (the namespace's "default").
func (pt *podTemplate) serviceAccount() string {
	if pt.spec.ServiceAccountName != "" {
		return pt.spec.ServiceAccountName
	}
	return pt.spec.DeprecatedServiceAccount //nolint:staticcheck // the API server still honours it
}

func podTemplateOf(obj runtime.Object) *podTemplate {
	workload := func(meta *metav1.ObjectMeta, t *corev1.PodTemplateSpec, sel *metav1.LabelSelector) *podTemplate {
		return &podTemplate{
			path: "spec.template", meta: &t.ObjectMeta, spec: &t.Spec,
			owners:    []ownerMeta{{"metadata", meta}},
			selectors: []selector{{"spec.selector", sel}},
		}
	}
	switch w := obj.(type) {
	case *appsv1.Deployment:
		return workload(&w.ObjectMeta, &w.Spec.Template, w.Spec.Selector)
	case *appsv1.StatefulSet:
		return workload(&w.ObjectMeta, &w.Spec.Template, w.Spec.Selector)
	case *appsv1.DaemonSet:
		return workload(&w.ObjectMeta, &w.Spec.Template, w.Spec.Selector)
	case *appsv1.ReplicaSet:
		return workload(&w.ObjectMeta, &w.Spec.Template, w.Spec.Selector)
	case *batchv1.Job:
		return workload(&w.ObjectMeta, &w.Spec.Template, w.Spec.Selector)
	case *batchv1.CronJob:
		j := &w.Spec.JobTemplate
		return &podTemplate{
			path: "spec.jobTemplate.spec.template", meta: &j.Spec.Template.ObjectMeta, spec: &j.Spec.Template.Spec,
			owners:    []ownerMeta{{"metadata", &w.ObjectMeta}, {"spec.jobTemplate.metadata", &j.ObjectMeta}},
			selectors: []selector{{"spec.jobTemplate.spec.selector", j.Spec.Selector}},
		}
	case *corev1.Pod:
		return &podTemplate{meta: &w.ObjectMeta, spec: &w.Spec, owners: []ownerMeta{{"metadata", &w.ObjectMeta}}}
	}
	return nil
}

// checkPod checks a pod template: the use label against the service
// account (WI020..WI026), selectors (WI024), the webhook's pod annotations
// (WI040..WI044) and, for a Workload ID pod, its containers' env (WI030,
// WI031) and namespace (WI050).
func (c *checker) checkPod(o *object, pt *podTemplate) {
	where := "the pod template (" + pt.path + ".metadata.labels)"
	if pt.path == "" {
		where = "the pod (metadata.labels)"
	}
	sa := pt.serviceAccount()
	runAs := sa
	if runAs == "" {
		runAs = defaultServiceAccount
	}
	subj := c.subjectFor(o.namespace, runAs)
	value, has := pt.meta.Labels[schema.LabelUse]
	var ownerPaths []string
	if pt.path != "" {
		for _, ow := range pt.owners {
			if _, ok := ow.meta.Labels[schema.LabelUse]; ok {
				ownerPaths = append(ownerPaths, ow.path+".labels")
			}
		}
	}
	labelFix := fmt.Sprintf("add %s: %s to %s (Helm: podLabels)", schema.LabelUse, schema.Quote(schema.LabelUseValue), where)
	switch {
	case subj != nil && !has && len(ownerPaths) > 0:
		c.add(o.finding(IDLabelOnWorkloadOnly,
			fmt.Sprintf("label %s is on the workload's own metadata (%s), not on %s: the webhook matches pods only, so it does not inject the token", schema.LabelUse, strings.Join(ownerPaths, ", "), where),
			labelFix))
	case subj != nil && !has:
		c.add(o.finding(IDLabelMissing,
			fmt.Sprintf("pods run as %s (subject %s) but %s lacks the label %s: the webhook does not inject the token and Azure calls fail", runAs, subj, where, schema.LabelUse),
			labelFix))
	case subj != nil && value != schema.LabelUseValue:
		c.add(o.finding(IDLabelValue,
			fmt.Sprintf("label %s is %s on %s; the webhook's objectSelector matches only the string \"true\"", schema.LabelUse, schema.Quote(value), where),
			fmt.Sprintf("set it to %s", schema.Quote(schema.LabelUseValue))))
	case subj == nil && has && value == schema.LabelUseValue:
		c.otherServiceAccount(o, sa)
	}
	if subj != nil {
		c.checkChecksum(o, pt, subj)
	}
	if len(ownerPaths) > 0 && (has || subj == nil) {
		c.add(o.finding(IDKeyMisplaced,
			fmt.Sprintf("label %s at %s does nothing on the workload's own metadata; the webhook reads it on the pod template only", schema.LabelUse, strings.Join(ownerPaths, ", ")),
			"remove it there (kustomize `labels` with includeTemplates writes it there too; patch spec.template.metadata.labels instead)"))
	}
	for _, s := range pt.selectors {
		if s.sel == nil {
			continue
		}
		_, inMatch := s.sel.MatchLabels[schema.LabelUse]
		inExpr := false
		for _, e := range s.sel.MatchExpressions {
			inExpr = inExpr || e.Key == schema.LabelUse
		}
		if inMatch || inExpr {
			c.add(o.finding(IDLabelInSelector,
				fmt.Sprintf("label %s is in %s: selectors are immutable, so adding or removing it makes upgrades fail (azure-workload-identity#1025)", schema.LabelUse, s.path),
				"remove it from the selector and keep it on the pod template only (kustomize: no commonLabels or includeSelectors for it)"))
		}
	}

	ann := pt.meta.Annotations
	annPath := pt.path + ".metadata.annotations"
	if pt.path == "" {
		annPath = "metadata.annotations"
	}
	c.checkTokenExpiration(o, annPath, ann)
	if v, ok := ann[schema.AnnotationInjectProxySidecar]; ok {
		if schema.MeansOff(v) {
			c.add(o.finding(IDProxySidecarOff,
				fmt.Sprintf("annotation %s is %s, but the webhook injects the proxy sidecar whenever the annotation is present, whatever its value (azure-workload-identity#1210)", schema.AnnotationInjectProxySidecar, schema.Quote(v)),
				"remove the annotation to go without the sidecar"))
		}
		if pt.spec.HostNetwork {
			c.add(o.finding(IDProxySidecarHostNetwork,
				fmt.Sprintf("annotation %s on a hostNetwork pod: the webhook refuses to create it", schema.AnnotationInjectProxySidecar),
				"remove the annotation or hostNetwork: true"))
		}
	}
	if v, ok := ann[schema.AnnotationProxySidecarPort]; ok {
		if !schema.IsPort(v) {
			c.add(o.finding(IDProxySidecarPort,
				fmt.Sprintf("annotation %s is %s, not a port number", schema.AnnotationProxySidecarPort, schema.Quote(v)),
				"set a port in 1..65535, or remove it for the default 8000"))
		}
	}
	containers := append(append([]corev1.Container{}, pt.spec.InitContainers...), pt.spec.Containers...)
	names := map[string]bool{}
	for _, ct := range containers {
		names[ct.Name] = true
	}
	skip := map[string]bool{}
	if v := ann[schema.AnnotationSkipContainers]; v != "" {
		var missing []string
		for _, n := range strings.Split(v, ";") {
			n = strings.TrimSpace(n) // as the webhook's getSkipContainers
			if n == "" {
				continue
			}
			skip[n] = true
			if !names[n] {
				missing = append(missing, n)
			}
		}
		if len(missing) > 0 {
			c.add(o.finding(IDSkipContainersUnknown,
				fmt.Sprintf("annotation %s names %s, which the pod does not have (containers: %s)", schema.AnnotationSkipContainers, strings.Join(missing, ", "), strings.Join(sortedSet(names), ", ")),
				"name existing containers, separated by ';'"))
		}
	}

	c.checkServiceHosts(o, containers)
	if subj == nil && !(has && value == schema.LabelUseValue) {
		return // not a Workload ID pod
	}
	if o.namespace == kubeSystem {
		c.add(o.finding(IDKubeSystem,
			"a Workload ID pod in kube-system: the AKS admissions enforcer skips the namespace, so the webhook does not mutate it",
			"use a namespace of the app's own"))
	}
	for _, ct := range containers {
		for _, ev := range ct.Env {
			if !skip[ct.Name] && contains(presetEnv, ev.Name) {
				c.add(o.finding(IDPresetEnv,
					fmt.Sprintf("container %s sets %s: the webhook keeps a variable the container already sets, so the injected value is lost", ct.Name, ev.Name),
					fmt.Sprintf("remove %s from the container's env (Helm: extraEnvVars); the webhook sets it", ev.Name)))
			}
			if openAIKey(ev) {
				why := ""
				if ev.Name == schema.EnvOpenAIKey {
					why = " (with OPENAI_API_KEYS empty the app falls back to OPENAI_API_KEY and stores it as the connection's key)"
				}
				c.add(o.finding(IDOpenAIKey,
					fmt.Sprintf("container %s sets %s: an API key in a pod meant to call Azure OpenAI with Microsoft Entra ID%s", ct.Name, ev.Name, why),
					c.openAIKeyFix(ev.Name)))
			}
		}
	}
}

// checkChecksum: a long-running workload (Deployment, StatefulSet,
// DaemonSet) whose pods run as a federated service account carries the
// checksum/workload-identity pod-template annotation (WI027), equal to the
// checksum of the client ID and tenant ID its service account has (WI028).
// The webhook mutates pods only when they are created
// (azure-workload-identity#109): without a pod-template change, pods keep
// the old AZURE_CLIENT_ID after the identity is recreated. Jobs and
// CronJobs create new pods for every run, and a ReplicaSet or a bare Pod
// does not replace its pods when its template changes: none is reported.
func (c *checker) checkChecksum(o *object, pt *podTemplate, subj *subject) {
	switch o.obj.(type) {
	case *appsv1.Deployment, *appsv1.StatefulSet, *appsv1.DaemonSet:
	default:
		return
	}
	where := pt.path + ".metadata.annotations"
	clientID, tenantID, from := c.identityOf(subj)
	want := "<sha256 of the client ID and tenant ID>"
	if clientID != "" {
		want = schema.WorkloadIdentityChecksum(clientID, tenantID)
	}
	v, ok := pt.meta.Annotations[schema.AnnotationChecksum]
	switch {
	case !ok:
		c.add(o.finding(IDChecksumMissing,
			fmt.Sprintf("pods run as %s (subject %s), but %s has no %s: the webhook sets AZURE_CLIENT_ID only when a pod is created (azure-workload-identity#109), so after the identity's client ID changes the running pods keep the old one, and every call fails, until they are restarted", subj.serviceAccount, subj, where, schema.AnnotationChecksum),
			fmt.Sprintf("add %s: %s to %s (Helm: podAnnotations; wigen's Helm values, Kustomize overlay, Argo CD Application, Flux HelmRelease and Terraform module set it), so a new client ID changes the pod template and rolls the pods", schema.AnnotationChecksum, schema.Quote(want), where)))
	case clientID != "" && v != want:
		c.add(o.finding(IDChecksumStale,
			fmt.Sprintf("%s at %s is %s, but the checksum of client ID %s and tenant ID %s (%s) is %s: the pod template was rendered for another client ID or tenant", schema.AnnotationChecksum, where, schema.Quote(v), schema.Quote(clientID), schema.Quote(tenantID), from, schema.Quote(want)),
			fmt.Sprintf("set it to %s: render the manifests again from the current %s", schema.Quote(want), c.spec)))
	}
}

// identityOf returns the client ID and tenant ID the pods of subject s
// should get, and where they come from: identity.clientId and tenantId of
// the environment (a ServiceAccount annotated otherwise is WI004 or WI006),
// else the annotations of its ServiceAccount in the input; "" when neither
// is known.
func (c *checker) identityOf(s *subject) (clientID, tenantID, from string) {
	if c.env.Identity != nil && c.env.Identity.ClientID != "" {
		return c.env.Identity.ClientID, c.env.TenantID, "identity.clientId and tenantId in " + c.spec
	}
	for _, o := range c.objects {
		if o.gvk.Kind != "ServiceAccount" || o.gvk.Group != "" || o.name != s.serviceAccount || o.namespace != s.namespace || o.meta == nil {
			continue
		}
		if id := o.meta.Annotations[schema.AnnotationClientID]; schema.IsGUID(id) {
			return id, o.meta.Annotations[schema.AnnotationTenantID], "ServiceAccount " + s.serviceAccount + "'s annotations"
		}
	}
	return "", "", ""
}

// defaultServiceAccount is the ServiceAccount every namespace has, which a
// pod naming none runs as.
const defaultServiceAccount = "default"

// otherServiceAccount reports a labelled pod template whose namespace and
// service account no federated identity credential names: WI026 when it
// runs as the namespace's "default" (it names none, or names "default";
// Kubernetes runs a pod that names none as "default": ServiceAccount
// admission plugin), else WI025, whose fix fits the cause: when a
// credential names this service account in another namespace, the
// namespace is what is wrong (the subject is
// system:serviceaccount:<namespace>:<name>, both parts compared exactly),
// else the service account.
func (c *checker) otherServiceAccount(o *object, sa string) {
	base := func(runs string) string {
		return fmt.Sprintf("pods carry the label %s but run as %s in namespace %s, which no federated identity credential of environment %s names (subjects: %s): token exchange fails with AADSTS70021",
			schema.LabelUse, runs, o.namespace, c.env.Name, c.subjectList())
	}
	if sa == "" || sa == defaultServiceAccount {
		runs := "no ServiceAccount (the namespace's \"default\")"
		if sa != "" {
			runs = "the namespace's ServiceAccount \"default\""
		}
		c.add(o.finding(IDDefaultServiceAccount, base(runs),
			fmt.Sprintf("set spec.serviceAccountName to %s (Helm: serviceAccount.name), or federate this service account (additionalFederations)", c.env.ServiceAccount)))
		return
	}
	var namespaces []string
	for _, s := range c.subjects {
		if s.serviceAccount == sa && !contains(namespaces, s.namespace) {
			namespaces = append(namespaces, s.namespace)
		}
	}
	if len(namespaces) == 0 {
		c.add(o.finding(IDOtherServiceAccount, base("ServiceAccount "+sa),
			fmt.Sprintf("set spec.serviceAccountName to %s (Helm: serviceAccount.name), or federate this service account (additionalFederations)", c.env.ServiceAccount)))
		return
	}
	ns := strings.Join(namespaces, " or ")
	c.add(o.finding(IDOtherServiceAccount,
		fmt.Sprintf("pods carry the label %s and run as ServiceAccount %s, but in namespace %s, while the federated identity credentials name %s in namespace %s (subjects: %s): the token's subject %s matches none, so token exchange fails with AADSTS70021",
			schema.LabelUse, sa, o.namespace, sa, ns, c.subjectList(), schema.Subject(o.namespace, sa)),
		fmt.Sprintf("deploy the workload into namespace %s (`helm template --namespace %s`, or namespace: in the overlay), or federate %s (additionalFederations with namespace: %s)",
			ns, namespaces[0], schema.Subject(o.namespace, sa), o.namespace)))
}

// openAIKeyFix says where the open-webui chart takes env variable name (an
// OpenAI API key) from, for the spec's chart version when it is known
// (schema.ChartOpenAIKeySources), and how to keep it out.
func (c *checker) openAIKeyFix(name string) string {
	const keep = "; keep OPENAI_API_KEYS empty for the Entra ID connection"
	if c.chart == nil || c.chart.Name != schema.DefaultChartName {
		return "remove the key from the pod's env: the open-webui chart writes OPENAI_API_KEY from openaiApiKey (from chart 8.11.0, a dummy key by default: set it to \"\"), openaiApiKeyExistingSecret or extraEnvVars (whose default list holds a dummy key before 8.11.0), and OPENAI_API_KEYS from openaiApiKeys or openaiApiKeysExistingSecret" + keep
	}
	var from []string
	for _, k := range schema.ChartOpenAIKeySources(c.chart.Version, name) {
		switch {
		case k == schema.ChartValueOpenAIKey:
			from = append(from, k+" (a dummy key by default: set it to \"\")")
		case k == schema.ChartValueExtraEnvVars && !schema.ChartHasOpenAIKeyValue(c.chart.Version) && name == schema.EnvOpenAIKey:
			from = append(from, k+" (its default list holds a dummy key: give a list without it)")
		case k == schema.ChartValueExtraEnvVars:
			from = append(from, k+" (remove it there)")
		default:
			from = append(from, k+" (leave it out)")
		}
	}
	return fmt.Sprintf("remove the key from the pod's env: chart %s %s writes %s from chart.values %s; `wigen render` writes values without it%s",
		c.chart.Name, c.chart.Version, name, joinOr(from), keep)
}

// joinOr joins items as prose: "a", "a or b", "a, b or c".
func joinOr(items []string) string {
	if len(items) <= 1 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}

// serviceHostRE is an in-cluster service host (Kubernetes DNS for
// Services), both labels DNS-1123: <service>.<namespace>.svc, alone or
// followed by the default cluster domain cluster.local (the open-webui
// chart's clusterDomain default). A host that only has "svc" among its
// labels (chat.example.svc.example.com) is not one. ServiceHosts matches
// it against each run of host characters in a value. Compiled on first
// use, not at every start of wigen.
var serviceHostRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^([a-z0-9](?:[-a-z0-9]*[a-z0-9])?)\.([a-z0-9](?:[-a-z0-9]*[a-z0-9])?)\.svc(?:\.cluster\.local)?\.?$`)
})

// ServiceHosts returns the service and namespace of every in-cluster
// service host in v (a URL, a list of URLs, a host:port).
func ServiceHosts(v string) [][2]string {
	var out [][2]string
	words := strings.FieldsFunc(strings.ToLower(v), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '-')
	})
	for _, w := range words {
		if m := serviceHostRE().FindStringSubmatch(w); m != nil {
			out = append(out, [2]string{m[1], m[2]})
		}
	}
	return out
}

// checkServiceHosts reports env values naming an in-cluster service of
// another namespace than the pod's (WI032). The open-webui chart builds
// such URLs from the release namespace (Redis: REDIS_URL and
// WEBSOCKET_REDIS_URL, redis://<fullname>-redis.<namespace>.svc...;
// Ollama, Pipelines, terminals: templates/_helpers.tpl): rendered in
// another namespace than the objects land in (kustomize 5.5 renders a
// helmCharts entry without namespace in "default"), the app calls a
// service that does not exist (facts.md "Open WebUI Helm chart",
// "Kustomize").
func (c *checker) checkServiceHosts(o *object, containers []corev1.Container) {
	if o.namespace == "" {
		return
	}
	for _, ct := range containers {
		for _, ev := range ct.Env {
			for _, h := range ServiceHosts(ev.Value) {
				svc, ns := h[0], h[1]
				if ns == o.namespace {
					continue
				}
				c.add(o.finding(IDOtherNamespaceService,
					fmt.Sprintf("container %s sets %s to %s, which names service %s in namespace %s, but the pod is in namespace %s: the chart was rendered with another namespace than its objects got, so the app calls a service that is not there", ct.Name, ev.Name, schema.Quote(ev.Value), svc, ns, o.namespace),
					fmt.Sprintf("render the chart in namespace %s: `helm template --namespace %s`, or namespace: %s in the kustomization's helmCharts entry (without it kustomize 5.5, the one in kubectl, renders the chart in \"default\")", o.namespace, o.namespace, o.namespace)))
			}
		}
	}
}

// openAIKey reports whether ev holds an OpenAI API key: OPENAI_API_KEY
// non-empty, OPENAI_API_KEYS with a non-empty entry (';'-separated, one per
// connection), or either read from a Secret or ConfigMap.
func openAIKey(ev corev1.EnvVar) bool {
	switch ev.Name {
	case "OPENAI_API_KEY":
		return ev.ValueFrom != nil || strings.TrimSpace(ev.Value) != ""
	case "OPENAI_API_KEYS":
		if ev.ValueFrom != nil {
			return true
		}
		for _, k := range strings.Split(ev.Value, ";") {
			if strings.TrimSpace(k) != "" {
				return true
			}
		}
	}
	return false
}

// checkTokenExpiration: an integer number of seconds in 3600..86400, as the
// webhook's getServiceAccountTokenExpiration parses it (strconv.ParseInt,
// base 10); an empty value means the default.
func (c *checker) checkTokenExpiration(o *object, path string, ann map[string]string) {
	v := ann[schema.AnnotationTokenExpiration]
	if v == "" {
		return
	}
	what := schema.TokenExpirationProblem(v)
	if what == "" {
		return
	}
	c.add(o.finding(IDTokenExpiration,
		fmt.Sprintf("annotation %s at %s is %s, %s: the webhook refuses to create the pods", schema.AnnotationTokenExpiration, path, schema.Quote(v), what),
		"set a whole number of seconds from 3600 to 86400, or remove it for the default 3600"))
}
