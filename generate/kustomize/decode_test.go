package kustomize

import (
	"fmt"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
	kjson "k8s.io/apimachinery/pkg/runtime/serializer/json"
	"sigs.k8s.io/kustomize/api/types"
)

// scheme knows the Kubernetes types of the rendered patches and resources.
var scheme = func() *runtime.Scheme {
	sc := runtime.NewScheme()
	if err := corev1.AddToScheme(sc); err != nil {
		panic(err)
	}
	if err := appsv1.AddToScheme(sc); err != nil {
		panic(err)
	}
	return sc
}()

// strict decodes as the API server does with strict field validation:
// YAML to JSON, then case-sensitive JSON decoding into the registered Go
// type, refusing unknown and duplicate fields and any value of the wrong
// type (a boolean label value is an error: labels are strings).
var strict = kjson.NewSerializerWithOptions(kjson.DefaultMetaFactory, scheme, scheme,
	kjson.SerializerOptions{Yaml: true, Strict: true})

// decode decodes one Kubernetes object from a YAML document, strictly.
func decode(doc []byte) (runtime.Object, error) {
	obj, _, err := strict.Decode(doc, nil, nil)
	return obj, err
}

// decodeKustomization decodes a kustomization.yaml as kustomize does
// (types.Kustomization.Unmarshal: YAML to JSON, unknown fields refused) and
// checks its kind and apiVersion (EnforceFields).
func decodeKustomization(data []byte) (*types.Kustomization, error) {
	var k types.Kustomization
	if err := k.Unmarshal(data); err != nil {
		return nil, err
	}
	if errs := k.EnforceFields(); len(errs) > 0 {
		return nil, fmt.Errorf("kustomization: %s", strings.Join(errs, "; "))
	}
	return &k, nil
}
