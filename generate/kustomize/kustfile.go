package kustomize

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"

	"sigs.k8s.io/kustomize/api/types"

	"github.com/wigen-dev/wigen/generate/output"
)

// fieldOrder is the order in which kustomize's own kustomization.yaml
// writer (kubernetes-sigs/kustomize, kustomize/commands/internal/kustfile,
// determineFieldOrder) writes the fields of a Kustomization: a plain
// marshal sorts keys alphabetically and puts kind after images. Fields of
// types.Kustomization missing here (deprecated or newer ones) follow, in
// declaration order.
var fieldOrder = []string{
	"APIVersion",
	"Kind",
	"MetaData",
	"Resources",
	"Bases",
	"NamePrefix",
	"NameSuffix",
	"Namespace",
	"Crds",
	"CommonLabels",
	"Labels",
	"CommonAnnotations",
	"PatchesStrategicMerge",
	"PatchesJson6902",
	"Patches",
	"ConfigMapGenerator",
	"SecretGenerator",
	"HelmCharts",
	"HelmChartInflationGenerator",
	"HelmGlobals",
	"GeneratorOptions",
	"Vars",
	"Images",
	"Replacements",
	"Replicas",
	"Configurations",
	"Generators",
	"Transformers",
	"Components",
	"OpenAPI",
	"BuildMetadata",
}

// allFields is fieldOrder followed by every other field of
// types.Kustomization, computed once.
var allFields = func() []string {
	seen := map[string]bool{"TypeMeta": true}
	out := append([]string(nil), fieldOrder...)
	for _, f := range fieldOrder {
		seen[f] = true
	}
	t := reflect.TypeFor[types.Kustomization]()
	for i := 0; i < t.NumField(); i++ {
		if n := t.Field(i).Name; !seen[n] {
			out = append(out, n)
		}
	}
	return out
}()

// marshalKustomization writes k in kustomize's field order. It marshals k
// once with output.MarshalYAML (through JSON: every string that YAML 1.1
// would read as another type comes out quoted; keys in byte order), then
// orders the top-level blocks of that mapping: a block is a key at column
// 0 and every following line that is indented or a sequence item, which is
// how go.yaml.in/yaml/v2 writes a mapping's values. Nothing is written by
// hand. Only the top level takes kustomize's order; every mapping inside
// keeps byte order, as in every other YAML file wigen writes.
func marshalKustomization(k *types.Kustomization) ([]byte, error) {
	y, err := output.MarshalYAML(k)
	if err != nil {
		return nil, fmt.Errorf("marshal kustomization: %w", err)
	}
	blocks := map[string][]byte{}
	var key string
	for _, line := range bytes.SplitAfter(y, []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		if line[0] != ' ' && line[0] != '-' {
			k, _, ok := bytes.Cut(line, []byte(":"))
			if !ok {
				return nil, fmt.Errorf("marshal kustomization: unexpected line %q", line)
			}
			key = string(k)
			if _, dup := blocks[key]; dup {
				return nil, fmt.Errorf("marshal kustomization: key %s twice", key)
			}
		} else if key == "" {
			return nil, fmt.Errorf("marshal kustomization: unexpected line %q", line)
		}
		blocks[key] = append(blocks[key], line...)
	}
	var b bytes.Buffer
	for _, name := range allFields {
		tag := jsonNames[name]
		if blk, ok := blocks[tag]; ok {
			b.Write(blk)
			delete(blocks, tag)
		}
	}
	if len(blocks) > 0 {
		return nil, fmt.Errorf("marshal kustomization: fields without a place in the order: %v", blocks)
	}
	return b.Bytes(), nil
}

// jsonNames maps each field of types.Kustomization (and of its inlined
// TypeMeta) to its YAML key.
var jsonNames = func() map[string]string {
	out := map[string]string{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if f.Anonymous && tag == "" {
				walk(f.Type)
				continue
			}
			if tag == "" {
				tag = f.Name
			}
			out[f.Name] = tag
		}
	}
	walk(reflect.TypeFor[types.Kustomization]())
	return out
}()

// WriteKustomization renders k as the kustomization file at path p (relative
// to the output root): the generated-file line, comment lines, then k in
// kustomize's field order. It refuses deprecated fields. Other renderers
// (the Flux folder's kustomization.yaml) write theirs with it.
func WriteKustomization(p, source string, k *types.Kustomization, comments ...string) (output.File, error) {
	return kustomizationFile(p, source, k, comments...)
}
