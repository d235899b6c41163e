package output

import (
	"encoding/json"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	yamlv2 "go.yaml.in/yaml/v2"
)

// emitPieces are the parts random strings are built from: the characters
// that change how yaml.v2 writes a scalar (indicators at the start and
// inside, spaces, quotes, escapes, breaks, control and non-ASCII
// characters) and the words resolve reads as other types.
var emitPieces = []string{
	"a", "Z", "_", "/", ".", "-", "+", "0", "1", "9", "e", "x", "b", ":", "#", " ", "  ", "'", `"`, `\`,
	"?", ",", "[", "]", "{", "}", "&", "*", "!", "|", ">", "%", "@", "`", "~", "<<", "=",
	"\n", "\t", "\r", "\x00", "\x7f", "\u0085", "\u2028", "\ufeff", "é", "中", "\U0001F600",
	"---", "...", "- ", ": ", " #", "y", "n", "true", "no", "Off", "null", "NULL", ".inf", "-.Inf", ".NaN",
	"0x1F", "0o17", "0b101", "1_000", "1e3", "12:30", "190:20:30", "2024-10-21", "2001-12-14t21:59:43.10-05:00",
	"https://aoai-example.openai.azure.com", "azure.workload.identity/use", "33333333-3333-3333-3333-000000000001",
	"Cognitive Services OpenAI User",
}

// randomString joins up to max pieces; long ones pass the 80 columns at
// which yaml.v2 breaks a scalar at a space.
func randomString(r *rand.Rand, max int) string {
	var b strings.Builder
	for range r.IntN(max + 1) {
		b.WriteString(emitPieces[r.IntN(len(emitPieces))])
	}
	return b.String()
}

// randomTree builds a yamlTree value: mappings (keys unique, in byte
// order as yamlTree gives them, sometimes long), lists, empty ones, and
// scalars of every kind the emitter takes, and floats, which it leaves to
// yaml.v2.
func randomTree(r *rand.Rand, depth int) any {
	kind := r.IntN(10)
	if depth > 4 {
		kind = 9
	}
	switch kind {
	case 0, 1, 2:
		n := r.IntN(5)
		seen := map[string]bool{}
		var ms yamlv2.MapSlice
		for range n {
			k := randomString(r, 3)
			if r.IntN(20) == 0 {
				k = strings.Repeat("k", 120+r.IntN(20)) // about the simple-key limit
			}
			if seen[k] {
				continue
			}
			seen[k] = true
			ms = append(ms, yamlv2.MapItem{Key: k, Value: randomTree(r, depth+1)})
		}
		return sortedMapSlice(ms)
	case 3, 4:
		n := r.IntN(4)
		s := make([]any, n)
		for i := range s {
			s[i] = randomTree(r, depth+1)
		}
		return s
	}
	switch r.IntN(8) {
	case 0:
		return nil
	case 1:
		return r.IntN(2) == 0
	case 2:
		return r.Int64() - r.Int64()
	case 3:
		return uint64(r.Uint32())
	case 4:
		return r.Float64()
	default:
		return randomString(r, 8+r.IntN(30))
	}
}

func sortedMapSlice(ms yamlv2.MapSlice) yamlv2.MapSlice {
	for i := 1; i < len(ms); i++ {
		for j := i; j > 0 && ms[j].Key.(string) < ms[j-1].Key.(string); j-- {
			ms[j], ms[j-1] = ms[j-1], ms[j]
		}
	}
	return ms
}

// TestEmitYAMLMatchesYAMLv2: on 30,000 random trees, whatever emitYAML
// writes is what yamlv2.Marshal writes, byte for byte; it declines only
// what it leaves to yaml.v2, and it takes most trees (the test fails if
// it declines nearly all, which would make the comparison empty).
func TestEmitYAMLMatchesYAMLv2(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	taken := 0
	const trees = 30000
	for i := range trees {
		tree := randomTree(r, 0)
		if compareWithYAMLv2(t, tree) {
			taken++
		}
		if t.Failed() {
			t.Fatalf("tree %d: %#v", i, tree)
		}
	}
	if taken < trees/3 {
		t.Errorf("emitYAML took %d of %d trees", taken, trees)
	}
	t.Logf("emitYAML took %d of %d trees", taken, trees)
}

// TestEmitYAMLScalars: every piece and every string of yaml11Strings, as a
// value, a key and a list item at several depths and after long keys (the
// column of the 80-column rule), in yamlTree's trees and in plain maps,
// is written as yaml.v2 writes it, or left to it.
func TestEmitYAMLScalars(t *testing.T) {
	strs := append(append([]string{}, emitPieces...), yaml11Strings...)
	for _, p := range emitPieces {
		strs = append(strs, "a"+p+"b", p+"a", "a"+p, strings.Repeat(p, 3))
	}
	strs = append(strs, strings.Repeat("word ", 20), strings.Repeat("x", 200), strings.Repeat("a b", 27), "'"+strings.Repeat("q ", 40)+"'")
	long := strings.Repeat("long", 15)
	for _, s := range strs {
		for _, v := range []any{
			s,
			map[string]any{"k": s},
			map[string]string{s: s},
			map[string]any{s: 1},
			[]any{s, []string{s}},
			map[string]any{long: map[string]any{"n": []any{s, map[string]string{s: s}}}},
		} {
			compareWithYAMLTree(t, v)
		}
		if !utf8.ValidString(s) {
			continue // yamlTree's trees hold UTF-8 alone
		}
		for _, tree := range []any{
			yamlv2.MapSlice{{Key: "k", Value: s}},
			yamlv2.MapSlice{{Key: s, Value: 1}},
			[]any{s, []any{s}},
			yamlv2.MapSlice{{Key: long, Value: yamlv2.MapSlice{{Key: "n", Value: []any{s, yamlv2.MapSlice{{Key: s, Value: s}}}}}}},
		} {
			compareWithYAMLv2(t, tree)
		}
	}
}

// TestEmitYAMLPlainValues: on 20,000 random values as MarshalYAML gets
// them (plain maps and lists, structs with JSON tags, json.Number, floats,
// text that is not UTF-8), emitYAML writes what yaml.v2 writes of
// yamlTree's tree, or leaves it to yaml.v2.
func TestEmitYAMLPlainValues(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	taken := 0
	const values = 20000
	for i := range values {
		v := toPlain(r, randomTree(r, 0))
		if compareWithYAMLTree(t, v) {
			taken++
		}
		if t.Failed() {
			t.Fatalf("value %d: %#v", i, v)
		}
	}
	if taken < values/3 {
		t.Errorf("emitYAML took %d of %d values", taken, values)
	}
	t.Logf("emitYAML took %d of %d values", taken, values)
}

// labelled is a struct as the renderers hand MarshalYAML some values.
type labelled struct {
	Name   string         `json:"name"`
	Labels map[string]any `json:"labels,omitempty"`
	Items  []any          `json:"items,omitempty"`
}

// toPlain turns a yamlTree tree into what a renderer might pass: maps for
// MapSlices (string maps where it can), string lists, a struct, JSON
// numbers, and now and then text or a key that is not UTF-8.
func toPlain(r *rand.Rand, v any) any {
	switch t := v.(type) {
	case yamlv2.MapSlice:
		m := make(map[string]any, len(t))
		strs := make(map[string]string, len(t))
		allStrings := true
		for _, item := range t {
			k := item.Key.(string)
			if r.IntN(40) == 0 {
				k += "\xff"
			}
			m[k] = toPlain(r, item.Value)
			s, ok := m[k].(string)
			allStrings = allStrings && ok
			strs[k] = s
		}
		switch {
		case allStrings && r.IntN(2) == 0:
			return strs
		case r.IntN(6) == 0:
			return labelled{Name: "n", Labels: m, Items: []any{json.Number("12"), json.Number("1.5e3")}}
		}
		return m
	case []any:
		out := make([]any, len(t))
		strs := make([]string, len(t))
		allStrings := true
		for i, x := range t {
			out[i] = toPlain(r, x)
			s, ok := out[i].(string)
			allStrings = allStrings && ok
			strs[i] = s
		}
		if allStrings && r.IntN(2) == 0 {
			return strs
		}
		return out
	case string:
		if r.IntN(40) == 0 {
			return t + "\xfe"
		}
	}
	return v
}

// compareWithYAMLTree fails t when emitYAML writes v otherwise than
// yamlv2.Marshal writes yamlTree(v); it reports whether emitYAML took v.
func compareWithYAMLTree(t *testing.T, v any) bool {
	t.Helper()
	tree, err := yamlTree(v)
	if err != nil {
		t.Fatalf("yamlTree: %v", err)
	}
	return compareEmitted(t, v, tree)
}

// compareWithYAMLv2 fails t when emitYAML writes tree otherwise than
// yamlv2.Marshal; it reports whether emitYAML took the tree.
func compareWithYAMLv2(t *testing.T, tree any) bool {
	t.Helper()
	return compareEmitted(t, tree, tree)
}

// compareEmitted fails t when emitYAML(v) takes v and writes otherwise than
// yamlv2.Marshal(tree).
func compareEmitted(t *testing.T, v, tree any) bool {
	t.Helper()
	want, err := yamlv2.Marshal(tree)
	if err != nil {
		t.Fatalf("yaml.v2: %v", err)
	}
	got, ok, err := emitYAML(v)
	if err != nil {
		t.Fatalf("emitYAML: %v", err)
	}
	if ok && string(got) != string(want) {
		t.Errorf("emitYAML(%#v):\n%q\nyaml.v2 of %#v:\n%q", v, got, tree, want)
	}
	return ok
}

// FuzzEmitYAML: trees built from the fuzzer's bytes come out of emitYAML
// as yamlv2.Marshal writes them.
func FuzzEmitYAML(f *testing.F) {
	f.Add(uint64(1), uint64(2), "")
	f.Add(uint64(7), uint64(9), "a: b")
	f.Add(uint64(3), uint64(4), "é\n'q' #x")
	f.Fuzz(func(t *testing.T, s1, s2 uint64, extra string) {
		r := rand.New(rand.NewPCG(s1, s2))
		tree := randomTree(r, 0)
		compareWithYAMLv2(t, tree)
		compareWithYAMLTree(t, toPlain(r, randomTree(r, 0)))
		compareWithYAMLv2(t, yamlv2.MapSlice{{Key: "k", Value: extra}, {Key: "l", Value: []any{extra, tree}}})
		if !strings.ContainsAny(extra, lineBreaks) {
			compareWithYAMLv2(t, yamlv2.MapSlice{{Key: extra, Value: tree}})
		}
	})
}

// TestEmitYAMLGolden: every YAML file of the golden cases, read back into
// a tree, is taken by emitYAML and written again byte for byte: the
// emitter, not yaml.v2, writes what users commit (and the speed-up it
// gives cannot fall away unseen).
func TestEmitYAMLGolden(t *testing.T) {
	var files []string
	err := filepath.WalkDir("../../golden", func(name string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(name, ".yaml") && strings.Contains(filepath.ToSlash(name), "/deploy/") {
			files = append(files, name)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 100 {
		t.Fatalf("%d golden YAML files", len(files))
	}
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		body := string(data)
		for strings.HasPrefix(body, "#") {
			_, body, _ = strings.Cut(body, "\n")
		}
		var tree yamlv2.MapSlice
		if err := yamlv2.Unmarshal([]byte(body), &tree); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		got, ok, err := emitYAML(plainTree(tree))
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			t.Errorf("%s: emitYAML left it to yaml.v2", name)
			continue
		}
		if string(got) != body {
			t.Errorf("%s: emitYAML wrote\n%s\nthe file holds\n%s", name, got, body)
		}
	}
}

// plainTree turns what yaml.v2 decodes ([]interface{} and MapSlice, the
// scalars it resolves) into the tree yamlTree builds.
func plainTree(v any) any {
	switch t := v.(type) {
	case yamlv2.MapSlice:
		for i := range t {
			t[i].Value = plainTree(t[i].Value)
		}
		return t
	case []any:
		for i := range t {
			t[i] = plainTree(t[i])
		}
		return t
	}
	return v
}
