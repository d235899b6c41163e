package lint

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	k8sschema "k8s.io/apimachinery/pkg/runtime/schema"
	kjson "k8s.io/apimachinery/pkg/runtime/serializer/json"
	"sigs.k8s.io/yaml"

	"github.com/wigen-dev/wigen/generate/output"
	"github.com/wigen-dev/wigen/schema"
)

// Input is one source of manifests. Name is how findings name it: the path
// as given, or "<stdin>".
type Input struct {
	Name string
	Data []byte
}

// InputError is a problem with the input itself, not with an object in it:
// malformed YAML, a document that is not a Kubernetes object.
type InputError struct {
	File string
	Line int // 1-based; 0 when unknown
	Msg  string
}

func (e InputError) Error() string {
	msg := schema.EscapeText(e.Msg)
	if e.File == "" {
		return msg
	}
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", schema.Name(e.File), e.Line, msg)
	}
	return schema.Name(e.File) + ": " + msg
}

// InputErrors collects every InputError of one run; as an error it prints
// one per line.
type InputErrors []InputError

func (es InputErrors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// object is one decoded Kubernetes object and where it starts.
type object struct {
	file string
	line int
	gvk  k8sschema.GroupVersionKind
	// name and namespace identify the object; namespace is the effective
	// one (see the package documentation) and "" for cluster-scoped kinds.
	name, namespace string
	// obj is the typed object (*metav1.PartialObjectMetadata for kinds
	// outside the scheme); nil when it did not decode (a WI023 or WI060
	// finding says why), and then meta is nil too.
	obj  runtime.Object
	meta *metav1.ObjectMeta
}

func (o *object) finding(id, message, fix string) Finding {
	return Finding{
		File: o.file, Line: o.line, Severity: ruleByID[id].Severity, ID: id,
		Kind: o.gvk.Kind, Namespace: o.namespace, Name: o.name,
		Message: message, Fix: fix,
	}
}

// clusterScoped are the common kinds without a namespace; every other kind
// is taken to be namespaced.
var clusterScoped = map[string]bool{
	"Namespace": true, "Node": true, "PersistentVolume": true, "ClusterRole": true,
	"ClusterRoleBinding": true, "CustomResourceDefinition": true, "StorageClass": true,
	"PriorityClass": true, "IngressClass": true, "RuntimeClass": true, "CSIDriver": true,
	"MutatingWebhookConfiguration": true, "ValidatingWebhookConfiguration": true,
	"APIService": true,
}

// decoder decodes JSON documents as the API server does: the apimachinery
// JSON serializer in strict mode (case-sensitive field names, unknown and
// duplicate fields reported, wrong value types refused) over a scheme
// holding the kinds lint checks.
type decoder struct {
	codec   *kjson.Serializer
	envNS   string
	hints   Hints
	objects []*object
	finds   []Finding
	errs    InputErrors
	// sources are the indices in errs of Flux chart sources refused
	// (gitops.go), holders how many Applications and HelmReleases were:
	// with a HelmRelease refused, its source says nothing more.
	sources []int
	holders int
}

// inputErrors returns every input error, without those of Flux chart sources
// when a HelmRelease or an Application was refused too (its message gives
// the command for both, kustomize build of a Flux folder prints both).
func (d *decoder) inputErrors() InputErrors {
	if d.holders == 0 || len(d.sources) == 0 {
		return d.errs
	}
	drop := map[int]bool{}
	for _, i := range d.sources {
		drop[i] = true
	}
	var out InputErrors
	for i, e := range d.errs {
		if !drop[i] {
			out = append(out, e)
		}
	}
	return out
}

func newDecoder(envNamespace string, hints Hints) *decoder {
	sc := runtime.NewScheme()
	for _, add := range []func(*runtime.Scheme) error{corev1.AddToScheme, appsv1.AddToScheme, batchv1.AddToScheme} {
		if err := add(sc); err != nil {
			panic(err) // static registration of k8s.io/api types
		}
	}
	return &decoder{
		codec: kjson.NewSerializerWithOptions(kjson.DefaultMetaFactory, sc, sc, kjson.SerializerOptions{Strict: true}),
		envNS: envNamespace,
		hints: hints,
	}
}

// add decodes every document of in.
func (d *decoder) add(in Input) {
	if in.Name != StdinName && isKustomizationFile(filepath.Base(in.Name)) {
		msg := d.kustomizationMsg(in.Name)
		if k, own := kustomizationOf(filepath.Dir(in.Name)); k != "" {
			if m, ok := gitOpsFolder(d.hints, filepath.Dir(in.Name), k, own); ok {
				msg = m
			}
		}
		d.errs = append(d.errs, InputError{File: in.Name, Msg: msg})
		return
	}
	docs, errs := readDocuments(in.Name, in.Data)
	d.errs = append(d.errs, errs...)
	for _, doc := range docs {
		js, dups := doc.data, []string(nil)
		if !doc.json {
			var err error
			if js, dups, err = toJSON(doc); err != nil {
				d.errs = append(d.errs, yamlError(in.Name, doc, err))
				continue
			}
		}
		t := bytes.TrimSpace(js)
		switch {
		case bytes.Equal(t, []byte("null")) || len(t) == 0:
			continue
		case t[0] == '[':
			d.decodeArray(in.Name, doc, t)
			continue
		}
		d.decode(in.Name, doc.line, js, dups, &doc)
	}
}

// decodeArray decodes a document that is a list of objects (a JSON array,
// or a YAML sequence), each at its own line. kubectl refuses a top-level
// list; lint reads its objects rather than report the whole document as
// not an object.
func (d *decoder) decodeArray(file string, doc document, js []byte) {
	var items []json.RawMessage
	if err := json.Unmarshal(js, &items); err != nil {
		d.errs = append(d.errs, InputError{File: file, Line: doc.line, Msg: "invalid JSON: " + schema.EscapeText(err.Error())})
		return
	}
	lines := elementLines(doc.data, doc.first, "")
	for i, item := range items {
		line := doc.line
		if i < len(lines) {
			line = lines[i]
		}
		d.decode(file, line, item, nil, nil)
	}
}

// duplicateRE is compiled on first use, not at every start of wigen.
var duplicateRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`line (\d+): key ("(?:[^"\\]|\\.)*") already set in map`)
})

// toJSON converts a YAML document to JSON as kubectl does
// (sigs.k8s.io/yaml, YAML 1.1) and lists the keys it repeats in one
// mapping: the plain conversion keeps the last value silently, strict
// decoding (kubectl's --validate=strict, the API server's
// fieldValidation=Strict) refuses them. The strict conversion runs first,
// so a document without repeats is parsed once.
func toJSON(doc document) (js []byte, dups []string, err error) {
	js, strictErr := yaml.YAMLToJSONStrict(doc.data)
	if strictErr == nil {
		return js, nil, nil
	}
	js, err = yaml.YAMLToJSON(doc.data)
	if err != nil {
		return nil, nil, err
	}
	for _, m := range duplicateRE().FindAllStringSubmatch(strictErr.Error(), -1) {
		n, _ := strconv.Atoi(m[1])
		dups = append(dups, fmt.Sprintf("duplicate field %s (line %d)", m[2], doc.first+n-1))
	}
	return js, dups, nil
}

// yamlError positions a YAML syntax error in the whole file (the parser
// counts lines from the start of the document) with schema.YAMLError.
func yamlError(file string, doc document, err error) InputError {
	line, _, msg := schema.YAMLError(doc.data, err.Error())
	if line > 0 {
		line = doc.first + line - 1
	} else {
		line = doc.line
	}
	return InputError{File: file, Line: line, Msg: "invalid YAML: " + msg}
}

// decode decodes one JSON document found at file:line; dups are its
// duplicate keys, for WI061. src, when not nil, is the document the JSON
// came from, to find the lines of a List's items in.
func (d *decoder) decode(file string, line int, js []byte, dups []string, src *document) {
	obj, gvk, strict, err := d.decodeTyped(js)
	if gvk == nil || (err != nil && (runtime.IsMissingKind(err) || runtime.IsMissingVersion(err))) {
		d.errs = append(d.errs, d.notAnObject(file, line, js))
		return
	}
	if gvk.Group == kustomizeGroup {
		d.errs = append(d.errs, InputError{File: file, Line: line, Msg: d.kustomizationMsg(file)})
		return
	}
	if k, ok := gitOpsKinds[gvk.GroupKind()]; ok {
		var doc map[string]any
		_ = json.Unmarshal(js, &doc) // valid JSON: it decoded
		name, _ := lookup(doc, "metadata", "name").(string)
		if k.values == "" {
			d.sources = append(d.sources, len(d.errs))
		} else {
			d.holders++
		}
		d.errs = append(d.errs, InputError{File: file, Line: line, Msg: gitOpsMsg(d.hints, file, k, name)})
		return
	}
	o := &object{file: file, line: line, gvk: *gvk}
	if err != nil {
		// Refused as it stands: report why, then check what is left
		// when the values at fault are read as strings.
		var ok bool
		if obj, strict, ok = d.decodeFailed(o, js, err); !ok {
			return
		}
	}
	if list, ok := obj.(*corev1.List); ok {
		var lines []int
		if src != nil {
			lines = elementLines(src.data, src.first, "items")
		}
		for i, item := range list.Items {
			at := line
			if i < len(lines) {
				at = lines[i]
			}
			d.decode(file, at, item.Raw, nil, nil)
		}
		return
	}
	d.accept(o, obj, strict, dups)
}

// decodeTyped decodes js into its Kubernetes type; a kind outside the
// scheme is decoded as metadata only, ignoring the fields of its own type.
// strict is the strict decoding error (unknown or duplicate fields) of an
// object that decoded; err a failure to decode.
func (d *decoder) decodeTyped(js []byte) (obj runtime.Object, gvk *k8sschema.GroupVersionKind, strict, err error) {
	obj, gvk, err = d.codec.Decode(js, nil, nil)
	switch {
	case err == nil:
	case runtime.IsStrictDecodingError(err):
		strict, err = err, nil
	case runtime.IsNotRegisteredError(err):
		pom := &metav1.PartialObjectMetadata{}
		if _, _, perr := d.codec.Decode(js, nil, pom); perr != nil && !runtime.IsStrictDecodingError(perr) {
			obj, err = nil, perr
		} else {
			obj, err = pom, nil
		}
	}
	return obj, gvk, strict, err
}

// accept adds a decoded object to the input's objects, with a WI061
// finding for its unknown (strict) and duplicate (dups) fields. A workload
// whose pod template has no container is not a manifest the API server
// takes (containers are required) but a patch, such as the workload.yaml
// of a Kustomize overlay: it is bad input with a hint to build first, not
// a source of findings about the pods.
func (d *decoder) accept(o *object, obj runtime.Object, strict error, dups []string) {
	if pt := podTemplateOf(obj); pt != nil && len(pt.spec.Containers) == 0 {
		d.errs = append(d.errs, InputError{File: o.file, Line: o.line, Msg: fmt.Sprintf(
			"%s %s has no containers: a patch (such as a Kustomize overlay's), not a rendered manifest; lint what the build prints: %s",
			o.gvk.Kind, objectMeta(obj).Name, d.kustomizeBuild(o.file))})
		return
	}
	o.obj = obj
	o.meta = objectMeta(obj)
	o.name = o.meta.Name
	o.namespace = d.namespaceOf(o.gvk.Kind, o.meta.Namespace)
	d.objects = append(d.objects, o)
	if strict != nil || len(dups) > 0 {
		var msgs []string
		if se, ok := strict.(interface{ Errors() []error }); ok {
			for _, e := range se.Errors() {
				msgs = append(msgs, e.Error())
			}
		} else if strict != nil {
			msgs = append(msgs, strict.Error())
		}
		msgs = append(msgs, dups...)
		sort.Strings(msgs)
		d.finds = append(d.finds, o.finding(IDUnknownField,
			strings.Join(msgs, "; "),
			"remove or correct the field: the API server drops it with a warning, or refuses the object under strict field validation (kubectl apply's default)"))
	}
}

// objectMeta returns the metadata of a decoded object.
func objectMeta(obj runtime.Object) *metav1.ObjectMeta {
	type metaObject interface{ GetObjectMeta() metav1.Object }
	switch o := obj.(type) {
	case *metav1.PartialObjectMetadata:
		return &o.ObjectMeta
	case metaObject:
		if m, ok := o.GetObjectMeta().(*metav1.ObjectMeta); ok {
			return m
		}
	}
	return &metav1.ObjectMeta{}
}

func (d *decoder) namespaceOf(kind, ns string) string {
	if clusterScoped[kind] {
		return ""
	}
	if ns == "" {
		return d.envNS
	}
	return ns
}

// metadataPaths are where an object's labels and annotations sit: its own
// metadata, the pod template's, and a CronJob's job template and pod template.
var metadataPaths = [][]string{
	{"metadata"},
	{"spec", "template", "metadata"},
	{"spec", "jobTemplate", "metadata"},
	{"spec", "jobTemplate", "spec", "template", "metadata"},
}

// selectorPaths are label maps of selectors (a workload's matchLabels, a
// Service's selector).
var selectorPaths = [][]string{
	{"spec", "selector", "matchLabels"},
	{"spec", "selector"},
	{"spec", "jobTemplate", "spec", "selector", "matchLabels"},
}

// decodeFailed reports an object the API server would refuse, and
// returns it decoded leniently when that is possible, so every other check
// still runs on it.
//
// To name the object and tell a Workload ID key typed as a boolean or
// number (WI023) from any other type error (WI060), it reads the JSON
// document at fixed paths: the typed decoder's error names the field but
// not the map key. Every boolean or number found among labels,
// annotations and selector labels is then rewritten as the string the
// author most likely meant (true as "true"), and the document decoded
// again: when that succeeds, obj and strict are the lenient decoding and
// ok is true; otherwise a WI060 finding carries the remaining error and
// the object stays undecoded (checked for presence only).
func (d *decoder) decodeFailed(o *object, js []byte, err error) (obj runtime.Object, strict error, ok bool) {
	var doc map[string]any
	_ = json.Unmarshal(js, &doc) // valid JSON: it came from YAMLToJSON
	o.name, _ = lookup(doc, "metadata", "name").(string)
	ns, _ := lookup(doc, "metadata", "namespace").(string)
	o.namespace = d.namespaceOf(o.gvk.Kind, ns)

	converted := 0
	check := func(path []string, what string) {
		m, _ := lookup(doc, path...).(map[string]any)
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			v := m[k]
			switch v.(type) {
			case bool, float64:
			default:
				continue // a string, null, or a mapping or list no string can stand for
			}
			raw, _ := json.Marshal(v)
			m[k] = string(raw)
			converted++
			at := fmt.Sprintf("%s %s at %s is %s %s, not a string: the API server refuses the object (label and annotation values are strings)", what, k, strings.Join(path, "."), typeName(v), raw)
			fix := fmt.Sprintf("quote the value: %s", schema.Quote(string(raw)))
			if meantAsWorkloadID(k) {
				d.finds = append(d.finds, o.finding(IDValueNotString, at, fix))
			} else {
				d.finds = append(d.finds, o.finding(IDDecode, fmt.Sprintf("does not decode as %s %s: %s", o.gvk.GroupVersion().String(), o.gvk.Kind, at), fix))
			}
		}
	}
	for _, p := range metadataPaths {
		check(append(append([]string{}, p...), "labels"), "label")
		check(append(append([]string{}, p...), "annotations"), "annotation")
	}
	for _, p := range selectorPaths {
		check(p, "selector label")
	}
	if converted > 0 {
		lenient, _ := json.Marshal(doc)
		if obj, _, strict, err2 := d.decodeTyped(lenient); err2 == nil {
			return obj, strict, true
		} else {
			err = err2
		}
	}
	// Keep it in the input's objects: it is present, only refused.
	d.objects = append(d.objects, o)
	d.finds = append(d.finds, o.finding(IDDecode,
		fmt.Sprintf("does not decode as %s %s: %s", o.gvk.GroupVersion().String(), o.gvk.Kind, strings.TrimPrefix(err.Error(), "json: ")),
		"correct the field's type: the API server refuses the object"))
	return nil, nil, false
}

func typeName(v any) string {
	switch v.(type) {
	case bool:
		return "the boolean"
	case float64:
		return "the number"
	case map[string]any:
		return "a mapping"
	case []any:
		return "a list"
	}
	return "the value"
}

func lookup(doc map[string]any, path ...string) any {
	var cur any = doc
	for _, p := range path {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[p]
	}
	return cur
}

// kustomizeGroup is the API group of kustomization.yaml files
// (kustomize.config.k8s.io/v1beta1 Kustomization, v1alpha1 Component).
const kustomizeGroup = "kustomize.config.k8s.io"

// isKustomizationFile reports whether base is a name kustomize reads as a
// kustomization (sigs.k8s.io/kustomize/api/konfig.RecognizedKustomizationFileNames).
func isKustomizationFile(base string) bool {
	return base == "kustomization.yaml" || base == "kustomization.yml" || base == "Kustomization"
}

// kustomizationKeys are top-level fields of a kustomization; a document
// without apiVersion and kind holding one is a kustomization (kustomize
// accepts one without apiVersion and kind).
var kustomizationKeys = []string{"resources", "bases", "components", "patches", "patchesStrategicMerge", "patchesJson6902", "helmCharts", "namePrefix", "nameSuffix", "images", "configMapGenerator", "secretGenerator"}

func (d *decoder) kustomizationMsg(file string) string {
	return "a kustomization, not rendered manifests; lint what the build prints: " + d.kustomizeBuild(file)
}

// kustomizeBuild is the command that builds the kustomization of file's
// folder (the environment's overlay for standard input) into wigen lint.
func (d *decoder) kustomizeBuild(file string) string {
	dir := d.hints.Overlay
	if file != StdinName {
		dir = filepath.Dir(file)
	}
	return "kustomize build --enable-helm " + output.ShellQuote(dir) + " | " + d.hints.Lint
}

// notAnObject is the error for a document without apiVersion or kind. A
// mapping with neither is most often a Helm values file or a
// kustomization given by mistake: the message says how to render it.
func (d *decoder) notAnObject(file string, line int, js []byte) InputError {
	e := InputError{File: file, Line: line, Msg: "not a Kubernetes object: apiVersion and kind are required"}
	var doc map[string]any
	if json.Unmarshal(js, &doc) != nil {
		return e
	}
	_, hasVersion := doc["apiVersion"]
	_, hasKind := doc["kind"]
	if hasVersion || hasKind {
		return e
	}
	for _, k := range kustomizationKeys {
		if _, ok := doc[k]; ok {
			e.Msg = d.kustomizationMsg(file)
			return e
		}
	}
	values := output.ShellQuote(file)
	if file == StdinName {
		values = "VALUES_FILE"
	}
	e.Msg += "; if this is a Helm values file, lint what the chart renders from it: " + d.hints.HelmTemplate + " -f " + values + " | " + d.hints.Lint
	return e
}
