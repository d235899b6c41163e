// Package crdtest validates rendered custom resources (Argo CD
// Applications, Flux HelmReleases, HelmRepositories and OCIRepositories)
// strictly against their real CustomResourceDefinitions, offline, for
// tests, with the API server's own code (k8s.io/apiextensions-apiserver):
//
//   - the object's apiVersion and kind must be the CRD's group, its served
//     storage version and its kind;
//   - unknown fields are errors, as with `kubectl apply
//     --validate=strict` (fieldValidation=Strict): the API server's pruning
//     (pruning.PruneWithOptions) reports every field the structural schema
//     does not know, where without strict validation it would silently
//     drop them (inside x-kubernetes-preserve-unknown-fields subtrees such
//     as the values, everything is known);
//   - the OpenAPI v3 schema is checked (validation.ValidateCustomResource):
//     required fields, types, enums, patterns, lengths;
//   - the CEL rules (x-kubernetes-validations, such as the HelmRelease's
//     "either chart or chartRef must be set") are evaluated
//     (cel.Validator);
//   - metadata is checked as the API server checks a custom resource's
//     (ObjectMeta: the name a DNS-1123 subdomain, a namespace), and YAML
//     duplicate keys are refused (sigs.k8s.io/yaml.UnmarshalStrict).
//
// The API server's code was chosen over a JSON Schema validator on a
// converted schema (kubeconform's way) because it is the consumer itself:
// the same structural schema, pruning and CEL evaluation `kubectl apply`
// meets, with nothing converted by hand and no CEL rule rewritten as a Go
// check. It is a test-only dependency: the wigen binary does not link it.
//
// The CRDs are byte-for-byte copies of the upstream files in testdata/,
// under their upstream names and sources (testdata/README.md).
package crdtest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	apiextensionsinternal "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/cel"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/objectmeta"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/pruning"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/validation"
	apimachineryvalidation "k8s.io/apimachinery/pkg/api/validation"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	utiljson "k8s.io/apimachinery/pkg/util/json"
	"k8s.io/apimachinery/pkg/util/validation/field"
	celconfig "k8s.io/apiserver/pkg/apis/cel"
	"sigs.k8s.io/yaml"
)

// CRD is one CustomResourceDefinition's served storage version, ready to
// validate objects.
type CRD struct {
	// File is the CRD's file name; APIVersion (group/version) and Kind
	// are what the objects it validates must say.
	File, APIVersion, Kind string
	// Namespaced: the objects need metadata.namespace.
	Namespaced bool

	structural *structuralschema.Structural
	schema     validation.SchemaValidator
	cel        *cel.Validator
}

// Load reads the CRD in file and prepares its served storage version.
func Load(file string) (*CRD, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var def apiextensionsv1.CustomResourceDefinition
	if err := yaml.UnmarshalStrict(data, &def); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	var ver *apiextensionsv1.CustomResourceDefinitionVersion
	for i := range def.Spec.Versions {
		if v := &def.Spec.Versions[i]; v.Served && v.Storage {
			ver = v
		}
	}
	if ver == nil || ver.Schema == nil || ver.Schema.OpenAPIV3Schema == nil {
		return nil, fmt.Errorf("%s: no served storage version with a schema", file)
	}
	var internal apiextensionsinternal.JSONSchemaProps
	if err := apiextensionsv1.Convert_v1_JSONSchemaProps_To_apiextensions_JSONSchemaProps(ver.Schema.OpenAPIV3Schema, &internal, nil); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	ss, err := structuralschema.NewStructural(&internal)
	if err != nil {
		return nil, fmt.Errorf("%s: not a structural schema: %w", file, err)
	}
	if errs := structuralschema.ValidateStructural(nil, ss); len(errs) > 0 {
		return nil, fmt.Errorf("%s: not a structural schema: %v", file, errs.ToAggregate())
	}
	sv, _, err := validation.NewSchemaValidator(&internal)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return &CRD{
		File:       filepath.Base(file),
		APIVersion: def.Spec.Group + "/" + ver.Name,
		Kind:       def.Spec.Names.Kind,
		Namespaced: def.Spec.Scope == apiextensionsv1.NamespaceScoped,
		structural: ss,
		schema:     sv,
		cel:        cel.NewValidator(ss, true, celconfig.PerCallLimit),
	}, nil
}

// Validate checks one object, a YAML document, and returns every problem
// found, each "path: what", sorted; none means the API server accepts the
// object with strict field validation.
func (c *CRD) Validate(doc []byte) []string {
	var probe map[string]any
	if err := yaml.UnmarshalStrict(doc, &probe); err != nil {
		return []string{"decode: " + err.Error()}
	}
	js, err := yaml.YAMLToJSON(doc)
	if err != nil {
		return []string{"decode: " + err.Error()}
	}
	var obj map[string]any
	if err := utiljson.Unmarshal(js, &obj); err != nil {
		return []string{"decode: " + err.Error()}
	}
	var out []string
	if av, _ := obj["apiVersion"].(string); av != c.APIVersion {
		out = append(out, fmt.Sprintf("apiVersion: %q, want %q (the version %s serves)", av, c.APIVersion, c.File))
	}
	if k, _ := obj["kind"].(string); k != c.Kind {
		out = append(out, fmt.Sprintf("kind: %q, want %q", k, c.Kind))
	}
	// Strictness: every field the schema does not know.
	pruned := runtime.DeepCopyJSON(obj)
	for _, p := range pruning.PruneWithOptions(pruned, c.structural, true, structuralschema.UnknownFieldPathOptions{TrackUnknownFieldPaths: true}) {
		out = append(out, p+": unknown field")
	}
	ctx := context.Background()
	errs := validation.ValidateCustomResource(nil, obj, c.schema)
	errs = append(errs, objectmeta.Validate(ctx, nil, obj, c.structural, true)...)
	if c.cel != nil {
		celErrs, _ := c.cel.Validate(ctx, nil, c.structural, obj, nil, celconfig.RuntimeCELCostBudget)
		errs = append(errs, celErrs...)
	}
	u := &unstructured.Unstructured{Object: obj}
	errs = append(errs, apimachineryvalidation.ValidateObjectMetaAccessor(u, c.Namespaced, apimachineryvalidation.NameIsDNSSubdomain, field.NewPath("metadata"))...)
	for _, e := range errs {
		out = append(out, e.Error())
	}
	sort.Strings(out)
	return out
}

// Set is the CRDs of a folder, by apiVersion and kind.
type Set struct {
	byKind map[string]*CRD
}

// LoadDir loads every *-crd.yaml in dir.
func LoadDir(dir string) (*Set, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*-crd.yaml"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no *-crd.yaml in %s", dir)
	}
	s := &Set{byKind: map[string]*CRD{}}
	for _, f := range files {
		c, err := Load(f)
		if err != nil {
			return nil, err
		}
		s.byKind[c.APIVersion+"/"+c.Kind] = c
	}
	return s, nil
}

// Validate checks one YAML document against the CRD of its apiVersion and
// kind; an object of a kind the set has no CRD for is one problem.
func (s *Set) Validate(doc []byte) []string {
	var tm struct {
		APIVersion string `json:"apiVersion"`
		Kind       string `json:"kind"`
	}
	if err := yaml.Unmarshal(doc, &tm); err != nil {
		return []string{"decode: " + err.Error()}
	}
	c := s.byKind[tm.APIVersion+"/"+tm.Kind]
	if c == nil {
		var known []string
		for k := range s.byKind {
			known = append(known, k)
		}
		sort.Strings(known)
		return []string{fmt.Sprintf("no CRD for apiVersion %q kind %q (known: %s)", tm.APIVersion, tm.Kind, strings.Join(known, ", "))}
	}
	return c.Validate(doc)
}

// Kinds lists the apiVersion/kind pairs of the set, sorted.
func (s *Set) Kinds() []string {
	var out []string
	for k := range s.byKind {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
