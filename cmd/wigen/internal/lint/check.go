package lint

import (
	"fmt"
	"sort"
	"strings"

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

// subject is one namespace and service account that federated identity
// credentials of the environment name.
type subject struct {
	namespace, serviceAccount string
	// primary: the environment's own namespace and service account, always
	// expected in the input.
	primary bool
	// credentials are the names of the credentials with this subject.
	credentials []string
}

func (s *subject) String() string { return schema.Subject(s.namespace, s.serviceAccount) }

// subjectsOf lists the environment's subjects: its own first, then those of
// additional federations, without repeats.
func subjectsOf(e *schema.Environment) []*subject {
	out := []*subject{{namespace: e.Namespace, serviceAccount: e.ServiceAccount, primary: true}}
	for _, fc := range e.FederatedCredentials() {
		var s *subject
		for _, x := range out {
			if x.namespace == fc.Namespace && x.serviceAccount == fc.ServiceAccount {
				s = x
			}
		}
		if s == nil {
			s = &subject{namespace: fc.Namespace, serviceAccount: fc.ServiceAccount}
			out = append(out, s)
		}
		s.credentials = append(s.credentials, fc.Name)
	}
	return out
}

type checker struct {
	env *schema.Environment
	// spec names the input as -f names it, in fixes that send the user to it.
	spec     string
	subjects []*subject
	objects  []*object
	finds    []Finding
	// inputs names every input, for a finding about the input as a whole.
	inputs string
}

// Hints are the commands wigen lint suggests when its input is not
// rendered manifests: a Helm values file, a kustomization or one of its
// patches.
type Hints struct {
	// HelmTemplate renders the chart for the environment; the values
	// file is appended as "-f FILE".
	HelmTemplate string
	// Overlay is the environment's Kustomize overlay folder, suggested for
	// a kustomization read from standard input.
	Overlay string
	// Lint is the wigen lint command a build is piped into.
	Lint string
	// Spec is the input as -f names it (wigen.yaml by default), named in
	// fixes that say to correct it (WI004, WI006).
	Spec string
}

// DefaultHints are the hints for environment e when the spec's chart and
// paths are not known: the release and chart are left for the user to
// fill in.
func DefaultHints(e *schema.Environment) Hints {
	return Hints{
		HelmTemplate: "helm template RELEASE CHART --namespace " + e.Namespace,
		Overlay:      "deploy/kustomize/overlays/" + e.Name,
		Lint:         "wigen lint --env " + e.Name,
		Spec:         schema.DefaultFile,
	}
}

// Lint checks the manifests of inputs against environment e of a spec from
// schema.Load. It returns the findings sorted by file, line and ID, or an
// InputErrors when the input is not Kubernetes YAML (malformed YAML, a
// document without apiVersion or kind, a kustomization or a patch, no
// object at all).
func Lint(e *schema.Environment, inputs []Input) ([]Finding, error) {
	r, err := lint(e, inputs, DefaultHints(e))
	if err != nil {
		return nil, err
	}
	return r.findings, nil
}

// report is the result of one run: the findings and how many objects were
// checked.
type report struct {
	findings []Finding
	objects  int
}

func lint(e *schema.Environment, inputs []Input, hints Hints) (*report, error) {
	d := newDecoder(e.Namespace, hints)
	for _, in := range inputs {
		d.add(in)
	}
	if len(d.errs) > 0 {
		return nil, d.errs
	}
	names := make([]string, len(inputs))
	for i, in := range inputs {
		names[i] = in.Name
	}
	if len(d.objects) == 0 {
		return nil, InputErrors{{File: strings.Join(names, ", "), Msg: "no Kubernetes objects in the input; did `helm template` or `kustomize build` fail?"}}
	}
	c := &checker{env: e, spec: hints.Spec, subjects: subjectsOf(e), objects: d.objects, finds: d.finds, inputs: strings.Join(names, ", ")}
	if c.spec == "" {
		c.spec = schema.DefaultFile
	}
	for _, o := range c.objects {
		if o.meta != nil {
			c.checkObject(o)
		}
	}
	c.checkSubjects()
	return &report{findings: sortFindings(c.finds), objects: len(d.objects)}, nil
}

func (c *checker) add(f Finding) { c.finds = append(c.finds, f) }

// subjectFor returns the subject of a pod running as sa in ns, or nil.
func (c *checker) subjectFor(ns, sa string) *subject {
	for _, s := range c.subjects {
		if s.namespace == ns && s.serviceAccount == sa {
			return s
		}
	}
	return nil
}

func (c *checker) subjectList() string {
	var ss []string
	for _, s := range c.subjects {
		ss = append(ss, s.String())
	}
	return strings.Join(ss, ", ")
}

// checkObject runs the checks of one decoded object.
func (c *checker) checkObject(o *object) {
	pt := podTemplateOf(o.obj)
	switch {
	case o.gvk.Kind == "ServiceAccount" && o.gvk.Group == "":
		c.checkKeys(o, "metadata", o.meta, placeServiceAccount, false)
		c.checkServiceAccountValues(o)
	case pt != nil && pt.path == "":
		c.checkKeys(o, "metadata", o.meta, placePod, false) // a bare Pod
	default:
		c.checkKeys(o, "metadata", o.meta, placeOther, pt != nil)
	}
	if pt != nil {
		if pt.path != "" {
			for _, ow := range pt.owners[1:] {
				c.checkKeys(o, ow.path, ow.meta, placeOther, true)
			}
			c.checkKeys(o, pt.path+".metadata", pt.meta, placePod, false)
		}
		c.checkPod(o, pt)
	}
}

// checkKeys reports misspelled (WI010) and misplaced (WI011) Workload ID
// keys among meta's labels and annotations. ownerOfPod: meta belongs to a
// workload with a pod template, where checkPod judges the use label.
func (c *checker) checkKeys(o *object, path string, meta *metav1.ObjectMeta, pl place, ownerOfPod bool) {
	for _, k := range sortedKeys(meta.Labels) {
		if !meantAsWorkloadID(k) {
			continue
		}
		rule, known := knownKeys[k]
		switch {
		case !known:
			c.misspelled(o, "label", k, path+".labels")
		case !rule.label:
			c.add(o.finding(IDKeyMisplaced,
				fmt.Sprintf("%s is given as a label at %s.labels; the webhook reads it as %s", k, path, rule.where),
				"move it to the annotations"))
		case !rule.at(pl):
			if k == schema.LabelUse && ownerOfPod {
				continue // checkPod reports it
			}
			c.add(o.finding(IDKeyMisplaced,
				fmt.Sprintf("label %s at %s.labels does nothing on %s; the webhook reads it as %s", k, path, pl, rule.where),
				"remove it here"))
		}
	}
	for _, k := range sortedKeys(meta.Annotations) {
		if !meantAsWorkloadID(k) {
			continue
		}
		rule, known := knownKeys[k]
		switch {
		case !known && isKnownUseAnnotation(k):
			if pl == placeOther {
				c.add(o.finding(IDKeyMisplaced,
					fmt.Sprintf("annotation %s at %s.annotations does nothing on %s; the webhook reads it on the pod", k, path, pl),
					"move it to the pod template's annotations"))
			}
		case !known:
			c.misspelled(o, "annotation", k, path+".annotations")
		case rule.label:
			c.add(o.finding(IDKeyMisplaced,
				fmt.Sprintf("%s is given as an annotation at %s.annotations; the webhook reads it as %s", k, path, rule.where),
				fmt.Sprintf("make it a label: %s: %q", k, schema.LabelUseValue)))
		case !rule.at(pl):
			c.add(o.finding(IDKeyMisplaced,
				fmt.Sprintf("annotation %s at %s.annotations does nothing on %s; the webhook reads it as %s", k, path, pl, rule.where),
				"move it there"))
		}
	}
}

func (r keyRule) at(p place) bool {
	for _, x := range r.places {
		if x == p {
			return true
		}
	}
	return false
}

func (c *checker) misspelled(o *object, what, key, path string) {
	fix := "use one of the keys the webhook reads: " + strings.Join(knownKeyNames, ", ")
	if s := suggestKey(key); s != "" {
		fix = "rename it to " + s
	}
	c.add(o.finding(IDKeyMisspelled,
		fmt.Sprintf("%s %s at %s is not a key the Azure Workload ID webhook reads; it is ignored silently", what, key, path),
		fix))
}

// checkServiceAccountValues checks the Workload ID annotations any
// ServiceAccount carries (WI003, WI005, WI042).
func (c *checker) checkServiceAccountValues(o *object) {
	a := o.meta.Annotations
	if v, ok := a[schema.AnnotationClientID]; ok && v != "" && !schema.IsGUID(v) {
		c.add(o.finding(IDClientIDNotGUID,
			fmt.Sprintf("annotation %s is %q, not a GUID", schema.AnnotationClientID, v),
			"set it to the client ID of the user-assigned managed identity (`terraform output -raw client_id`)"))
	}
	if v, ok := a[schema.AnnotationTenantID]; ok && !schema.IsGUID(v) {
		c.add(o.finding(IDTenantIDNotGUID,
			fmt.Sprintf("annotation %s is %q, not a GUID", schema.AnnotationTenantID, v),
			"set it to the Microsoft Entra tenant ID, or remove it to use the webhook's tenant"))
	}
	c.checkTokenExpiration(o, "metadata.annotations", a)
}

// checkSubjects checks, for every subject, that its ServiceAccount is in the
// input and annotated with the identity's client ID.
func (c *checker) checkSubjects() {
	present := map[string]bool{}
	for _, o := range c.objects {
		if o.namespace != "" {
			present[o.namespace] = true
		}
		if o.gvk.Kind == "Namespace" && o.gvk.Group == "" {
			present[o.name] = true
		}
	}
	for _, s := range c.subjects {
		var found, elsewhere []*object
		for _, o := range c.objects {
			if o.gvk.Kind != "ServiceAccount" || o.gvk.Group != "" || o.name != s.serviceAccount {
				continue
			}
			switch {
			case o.namespace == s.namespace:
				found = append(found, o)
			case c.subjectFor(o.namespace, o.name) == nil:
				// Not another subject's own ServiceAccount: misplaced.
				elsewhere = append(elsewhere, o)
			}
		}
		if len(found) == 0 {
			if s.primary || present[s.namespace] {
				c.serviceAccountMissing(s, elsewhere)
			}
			continue
		}
		for _, o := range found {
			if o.meta != nil {
				c.checkSubjectServiceAccount(o, s)
			}
		}
	}
}

// serviceAccountMissing reports (WI001) that subject s's ServiceAccount is
// not in its namespace. Like every finding, it names the object on the
// line it points at, and it points only at an object the problem is
// about: the first ServiceAccount of that name in another namespace (the
// object to move), else the first workload running as it in the
// namespace. With neither in the input, no object is to blame: the
// finding is about the input as a whole (File names every input, Line is
// 0) and names the missing ServiceAccount itself as its object.
func (c *checker) serviceAccountMissing(s *subject, elsewhere []*object) {
	if len(elsewhere) > 0 {
		at := elsewhere[0]
		msg := fmt.Sprintf("ServiceAccount %s is in namespace %s, not in namespace %s of the federated identity credential's subject %s", s.serviceAccount, at.namespace, s.namespace, s)
		var others []string
		for _, o := range elsewhere[1:] {
			if o.namespace != at.namespace && !contains(others, o.namespace) {
				others = append(others, o.namespace)
			}
		}
		if len(others) > 0 {
			sort.Strings(others)
			msg += fmt.Sprintf(" (it is also in namespace %s)", strings.Join(others, ", "))
		}
		c.add(at.finding(IDServiceAccountMissing, msg,
			fmt.Sprintf("render it into namespace %s (`helm template --namespace %s`, or namespace: in the overlay)", s.namespace, s.namespace)))
		return
	}
	fix := fmt.Sprintf("render it with the chart (serviceAccount.enable: true, serviceAccount.name: %s), or pass its manifest to wigen lint too", s.serviceAccount)
	for _, o := range c.objects {
		if pt := podTemplateOf(o.obj); pt != nil && o.namespace == s.namespace && pt.serviceAccount() == s.serviceAccount {
			c.add(o.finding(IDServiceAccountMissing,
				fmt.Sprintf("pods run as ServiceAccount %s, which is not in the input in namespace %s (the federated identity credential's subject is %s)", s.serviceAccount, s.namespace, s),
				fix))
			return
		}
	}
	c.add(Finding{
		File: c.inputs, Severity: ruleByID[IDServiceAccountMissing].Severity, ID: IDServiceAccountMissing,
		Kind: "ServiceAccount", Namespace: s.namespace, Name: s.serviceAccount,
		Message: fmt.Sprintf("ServiceAccount %s is not in the input in namespace %s, and neither is a workload running as it, but the federated identity credential's subject is %s", s.serviceAccount, s.namespace, s),
		Fix:     fix,
	})
}

// checkSubjectServiceAccount checks the ServiceAccount of a subject
// (WI002, WI004, WI006, WI050).
func (c *checker) checkSubjectServiceAccount(o *object, s *subject) {
	a := o.meta.Annotations
	want := ""
	if c.env.Identity != nil {
		want = c.env.Identity.ClientID
	}
	v, ok := a[schema.AnnotationClientID]
	switch {
	case !ok || v == "":
		state := "lacks the annotation " + schema.AnnotationClientID
		if ok {
			state = "has an empty " + schema.AnnotationClientID
		}
		fix := "annotate it with the identity's client ID (Helm: serviceAccount.annotations; `terraform output -raw client_id`)"
		if want != "" {
			fix = fmt.Sprintf("annotate it: %s: %s (Helm: serviceAccount.annotations)", schema.AnnotationClientID, want)
		}
		c.add(o.finding(IDClientIDMissing,
			fmt.Sprintf("ServiceAccount of subject %s %s: the webhook injects no AZURE_CLIENT_ID", s, state),
			fix))
	case want != "" && schema.IsGUID(v) && !strings.EqualFold(v, want):
		c.add(o.finding(IDClientIDMismatch,
			fmt.Sprintf("annotation %s is %s, but identity.clientId of environment %s is %s", schema.AnnotationClientID, v, c.env.Name, want),
			fmt.Sprintf("set it to %s, or correct identity.clientId in %s", want, c.spec)))
	}
	if t, ok := a[schema.AnnotationTenantID]; ok && c.env.TenantID != "" && schema.IsGUID(t) && !strings.EqualFold(t, c.env.TenantID) {
		c.add(o.finding(IDTenantIDMismatch,
			fmt.Sprintf("annotation %s is %s, but tenantId of environment %s is %s", schema.AnnotationTenantID, t, c.env.Name, c.env.TenantID),
			fmt.Sprintf("set it to %s, or correct tenantId in %s", c.env.TenantID, c.spec)))
	}
	if o.namespace == kubeSystem {
		c.add(o.finding(IDKubeSystem,
			"a federated ServiceAccount in kube-system: the AKS admissions enforcer skips the namespace, so its pods get no Workload ID token",
			"use a namespace of the app's own"))
	}
}

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
		runAs = "default"
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
	labelFix := fmt.Sprintf("add %s: %q to %s (Helm: podLabels)", schema.LabelUse, schema.LabelUseValue, where)
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
			fmt.Sprintf("label %s is %q on %s; the webhook's objectSelector matches only the string \"true\"", schema.LabelUse, value, where),
			fmt.Sprintf("set it to %q", schema.LabelUseValue)))
	case subj == nil && has && value == schema.LabelUseValue:
		c.otherServiceAccount(o, sa)
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
				fmt.Sprintf("annotation %s is %q, but the webhook injects the proxy sidecar whenever the annotation is present, whatever its value (azure-workload-identity#1210)", schema.AnnotationInjectProxySidecar, v),
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
				fmt.Sprintf("annotation %s is %q, not a port number", schema.AnnotationProxySidecarPort, v),
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
				c.add(o.finding(IDOpenAIKey,
					fmt.Sprintf("container %s sets %s: an API key in a pod meant to call Azure OpenAI with Microsoft Entra ID", ct.Name, ev.Name),
					"remove the key from the pod's env (Helm: extraEnvVars); keep OPENAI_API_KEYS empty for the Entra ID connection"))
			}
		}
	}
}

// otherServiceAccount reports a labelled pod template whose namespace and
// service account no federated identity credential names: WI026 when it
// names no service account, else WI025, whose fix fits the cause: when a
// credential names this service account in another namespace, the
// namespace is what is wrong (the subject is
// system:serviceaccount:<namespace>:<name>, both parts compared exactly),
// else the service account.
func (c *checker) otherServiceAccount(o *object, sa string) {
	base := func(runs string) string {
		return fmt.Sprintf("pods carry the label %s but run as %s in namespace %s, which no federated identity credential of environment %s names (subjects: %s): token exchange fails with AADSTS70021",
			schema.LabelUse, runs, o.namespace, c.env.Name, c.subjectList())
	}
	if sa == "" {
		c.add(o.finding(IDDefaultServiceAccount, base("no ServiceAccount (the namespace's \"default\")"),
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
		fmt.Sprintf("annotation %s at %s is %q, %s: the webhook refuses to create the pods", schema.AnnotationTokenExpiration, path, v, what),
		"set a whole number of seconds from 3600 to 86400, or remove it for the default 3600"))
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func sortedKeys(m map[string]string) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func sortedSet(m map[string]bool) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
