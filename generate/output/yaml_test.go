package output

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/yaml"
)

// yaml11Strings are strings that YAML 1.1 reads as another type, or that
// need quoting for another reason: each must come out as a string.
var yaml11Strings = []string{"true", "false", "yes", "no", "on", "off", "y", "n", "Y", "N", "~", "null", "", " ", "0123", "1e3", "0x1F", "1_000", "0b101", "+12", ".inf", "-.Inf", ".nan", "12:30", "190:20:30", "2024-10-21", "- x", "a: b", "#c", "'q'", "\"d\"", "multi\nline", "tab\there", "é ü 中", "<>&", "\u2028", "q256MB", "\xff invalid UTF-8"}

// TestMarshalYAMLScalarsAsSigsYAML: every scalar, as a value and as a
// key, is written as sigs.k8s.io/yaml.Marshal writes it (the quoting of
// YAML 1.1's other types, numbers as JSON writes them).
func TestMarshalYAMLScalarsAsSigsYAML(t *testing.T) {
	var scalars []any
	for _, s := range yaml11Strings {
		scalars = append(scalars, s)
	}
	scalars = append(scalars, 0, 1, -1, int64(math.MaxInt64), int64(math.MinInt64), uint64(math.MaxUint64), int8(-3), uint16(7),
		1.0, -0.0, 1.5, 123456789.0, 1e20, 1e21, 1e-7, 0.1, float32(2.5), true, false, nil)
	check := func(what string, v any) {
		t.Helper()
		if want, got := bothWays(t, v); !bytes.Equal(got, want) {
			t.Errorf("%s: MarshalYAML wrote %q, sigs.k8s.io/yaml %q", what, got, want)
		}
	}
	for _, x := range scalars {
		check("value", map[string]any{"k": x})
		check("list item", []any{x})
		check("top level", x)
	}
	for _, s := range yaml11Strings {
		check("key", map[string]any{s: 1})
		check("map[string]string", map[string]string{s: s})
		check("[]string", []string{s})
	}
}

// TestMarshalYAMLDocumentsAsSigsYAML: whole documents come out as
// sigs.k8s.io/yaml.Marshal writes them where its key order agrees with
// byte order (keys of lowercase letters): structs with JSON tags, nested
// maps and lists, empty and nil ones.
func TestMarshalYAMLDocumentsAsSigsYAML(t *testing.T) {
	type labels struct {
		Name   string            `json:"name"`
		Labels map[string]string `json:"labels,omitempty"`
		Count  int               `json:"count"`
		Skip   string            `json:"-"`
	}
	values := []any{
		map[string]any{
			"strings": []any{"true", "on", "0123", map[string]any{"nested": []string{"yes", "b"}}},
			"numbers": []any{0, 1.5, int64(math.MaxInt64), 1e21},
			"bools":   []any{true, false, nil},
			"empty":   map[string]any{"map": map[string]any{}, "list": []any{}, "strings": map[string]string{}, "nilmap": map[string]any(nil), "nillist": []any(nil), "nilstrings": []string(nil)},
			"structs": []any{labels{Name: "a", Labels: map[string]string{"azure.workload.identity/use": "true"}, Count: 3}, &labels{Name: "b"}},
		},
		labels{Name: "open-webui", Labels: map[string]string{"azure.workload.identity/use": "true"}, Count: 3},
		[]any{"on", map[string]any{"name": "OPENAI_API_CONFIGS", "value": `{"0":{"azure":true,"model_ids":["gpt-4o"]}}`}},
		"just a string",
		nil,
	}
	for i, v := range values {
		want, got := bothWays(t, v)
		if d := cmp.Diff(strings.Split(string(want), "\n"), strings.Split(string(got), "\n")); d != "" {
			t.Errorf("value %d (-sigs.k8s.io/yaml +MarshalYAML):\n%s", i, d)
		}
	}
}

// bothWays marshals v with sigs.k8s.io/yaml (want) and MarshalYAML (got).
func bothWays(t *testing.T, v any) (want, got []byte) {
	t.Helper()
	want, err := yaml.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if got, err = MarshalYAML(v); err != nil {
		t.Fatal(err)
	}
	return want, got
}

// TestMarshalYAMLKeyOrder: keys come out in plain byte order, the same
// bytes on every run, for the keys whose order go.yaml.in/yaml/v2 (and so
// sigs.k8s.io/yaml) changes from one run to the next, in plain maps and
// in maps reached through JSON (a struct field).
func TestMarshalYAMLKeyOrder(t *testing.T) {
	keys := map[string]any{"q256MB": "a", "q2GB": "b", "q4GB": "c", "0123": 1, "1_000": 2, "123": 3, "a10": 4, "a9": 5, "A": 6, "_": 7, "10": 8, "2": 9, "é": 10, "Z": 11}
	const want = `"0123": 1
"10": 8
"123": 3
"1_000": 2
"2": 9
A: 6
Z: 11
_: 7
a10: 4
a9: 5
q256MB: a
q2GB: b
q4GB: c
é: 10
`
	type wrapped struct {
		Annotations map[string]any `json:"podAnnotations"`
	}
	for _, tt := range []struct {
		name string
		v    any
		want string
	}{
		{"map[string]any", keys, want},
		{"through JSON", wrapped{keys}, "podAnnotations:\n" + indent(want)},
		{"nested", map[string]any{"podAnnotations": keys, "list": []any{keys}}, "list:\n- " + strings.TrimPrefix(indent(want), "  ") + "podAnnotations:\n" + indent(want)},
	} {
		for run := range 50 {
			got, err := MarshalYAML(tt.v)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Fatalf("%s, run %d:\n%s\nwant (byte order):\n%s", tt.name, run, got, tt.want)
			}
		}
	}
}

func indent(s string) string {
	return "  " + strings.ReplaceAll(strings.TrimSuffix(s, "\n"), "\n", "\n  ") + "\n"
}
