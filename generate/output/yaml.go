// YAML files: how every YAML file wigen writes is marshalled, with its keys
// in one explicit order.

package output

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	yamlv2 "go.yaml.in/yaml/v2"
)

// YAML returns the file at p: the generated-file line, any comment lines,
// then v marshalled with MarshalYAML.
func YAML(p, source string, v any, comments ...string) (File, error) {
	body, err := MarshalYAML(v)
	if err != nil {
		return File{}, fmt.Errorf("marshal %s: %w", p, err)
	}
	header := Header(p, source)
	size := len(header) + len(body)
	for _, c := range comments {
		size += len(c) + 3*(strings.Count(c, "\n")+1) // "# " and "\n" a line
	}
	var b bytes.Buffer
	b.Grow(size)
	b.WriteString(header)
	for _, c := range comments {
		for _, line := range strings.Split(c, "\n") {
			if line == "" {
				b.WriteString("#\n")
				continue
			}
			b.WriteString("# " + line + "\n")
		}
	}
	b.Write(body)
	return File{Path: p, Data: b.Bytes()}, nil
}

// MarshalYAML writes v as YAML, the same bytes on every run:
//
//   - every mapping lists its keys in plain byte order (sort.Strings:
//     "0123" < "1_000" < "Z" < "_" < "a" < "q256MB" < "q2GB"). The order
//     go.yaml.in/yaml/v2 (and sigs.k8s.io/yaml, which uses it) gives map
//     keys compares runs of digits as numbers and is not a consistent
//     order for keys such as q256MB, q2GB and q4GB, or "0123" and "1_000"
//     (go-yaml/yaml#194, #444): the same map came out in different orders
//     from one run to the next;
//   - scalars are written as sigs.k8s.io/yaml.Marshal writes them: every
//     string that YAML 1.1 would read as another type ("true", "on", "~",
//     "0123", "1_000", "12:30") is quoted, and a number is the text JSON
//     gives it, read back by YAML (1.0 is 1);
//   - plain maps (map[string]any, map[string]string), lists ([]any,
//     []string), strings, booleans, integers and nil go to the YAML
//     encoder as they are; anything else (a struct with JSON tags, a
//     float, a named type) goes through encoding/json first, as
//     sigs.k8s.io/yaml does with everything, so JSON tags and
//     json.Marshaler apply.
//
// v is written by emitYAML, which gives the bytes go.yaml.in/yaml/v2
// gives yamlTree(v) (compared in yamlemit_test.go) at a fraction of the
// cost; what it does not handle goes to yaml.v2 itself.
func MarshalYAML(v any) ([]byte, error) {
	out, ok, err := emitYAML(v)
	if err != nil {
		return nil, err
	}
	if ok {
		return out, nil
	}
	t, err := yamlTree(v)
	if err != nil {
		return nil, err
	}
	return yamlv2.Marshal(t)
}

// yamlTree turns v into what go.yaml.in/yaml/v2 marshals as MarshalYAML
// describes: mappings as MapSlice in byte order of their keys.
func yamlTree(v any) (any, error) {
	switch t := v.(type) {
	case nil, bool, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return t, nil
	case string:
		if utf8.ValidString(t) {
			return t, nil
		}
		// encoding/json writes each invalid byte as U+FFFD: below.
	case json.Number:
		// The text of a JSON number, as sigs.k8s.io/yaml reads it: with
		// the YAML parser (an integer, else a float).
		var n any
		if err := yamlv2.Unmarshal([]byte(t), &n); err != nil {
			return nil, err
		}
		return n, nil
	case map[string]any:
		if t == nil {
			return nil, nil
		}
		if ms, ok, err := mapping(t); ok || err != nil {
			return ms, err
		}
	case map[string]string:
		if t == nil {
			return nil, nil
		}
		if ms, ok, err := mapping(t); ok || err != nil {
			return ms, err
		}
	case []any:
		if t == nil {
			return nil, nil
		}
		return sequence(t)
	case []string:
		if t == nil {
			return nil, nil
		}
		return sequence(t)
	}
	// Anything else, through JSON: what it decodes to is plain.
	js, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.UseNumber()
	var generic any
	if err := dec.Decode(&generic); err != nil {
		return nil, err
	}
	return yamlTree(generic)
}

// mapping returns m with its keys in byte order. ok is false when a key is
// not valid UTF-8 (JSON rewrites it: the caller takes that way).
func mapping[V any](m map[string]V) (ms yamlv2.MapSlice, ok bool, err error) {
	keys := make([]string, 0, len(m))
	for k := range m {
		if !utf8.ValidString(k) {
			return nil, false, nil
		}
		keys = append(keys, k)
	}
	slices.Sort(keys)
	ms = make(yamlv2.MapSlice, len(keys))
	for i, k := range keys {
		val, err := yamlTree(m[k])
		if err != nil {
			return nil, true, err
		}
		ms[i] = yamlv2.MapItem{Key: k, Value: val}
	}
	return ms, true, nil
}

func sequence[V any](s []V) ([]any, error) {
	out := make([]any, len(s))
	for i, x := range s {
		val, err := yamlTree(x)
		if err != nil {
			return nil, err
		}
		out[i] = val
	}
	return out, nil
}
