// The YAML emitter: writes what MarshalYAML gets in the block style
// go.yaml.in/yaml/v2 gives yamlTree's tree of it, byte for byte, without
// building the tree or going through yaml.v2's event pipeline.

package output

import (
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	yamlv2 "go.yaml.in/yaml/v2"

	"github.com/wigen-dev/wigen/generate/memo"
)

// The layout rules of go.yaml.in/yaml/v2 v2.4.4 (emitterc.go) this emitter
// follows. TestEmitYAMLMatchesYAMLv2, TestEmitYAMLPlainValues and
// FuzzEmitYAML compare its output with yamlv2.Marshal's; when the emitter
// meets what it does not handle (see emitYAML), the caller marshals the
// tree with yamlv2 instead.
const (
	// yamlIndent is the emitter's best_indent: a nested mapping, and the
	// content of a sequence item, sit two columns further in. A sequence
	// that is a mapping's value is not indented (yaml_emitter_increase_indent
	// with indentless in mapping context).
	yamlIndent = 2
	// yamlWidth is the emitter's best_width: a quoted or plain scalar is
	// broken at a space once the line is past this column (yaml.v2 keeps
	// the 80 columns of libyaml unless FutureLineWrap is called, and wigen
	// does not call it).
	yamlWidth = 80
	// yamlSimpleKey is the longest key yaml.v2 writes as "key:"
	// (yaml_emitter_check_simple_key); a longer one takes the "? key" form.
	yamlSimpleKey = 128
)

// emitYAML writes v as yamlv2.Marshal(yamlTree(v)) would, without
// building the tree: plain maps (map[string]any, map[string]string,
// yamlv2.MapSlice with string keys), lists ([]any, []string), strings,
// booleans, integers and nil are written as they are, keys in byte order;
// anything else (a struct, a json.Number, text that is not UTF-8) is
// first made plain by yamlTree. ok is false, and nothing is returned, when
// the tree holds what the emitter leaves to yaml.v2: a float, a key longer
// than yamlSimpleKey bytes or with a line break, a string that yaml.v2
// writes on more than one line (a literal block for text with "\n"), or
// one with a space that could reach past yamlWidth (yaml.v2 may fold it
// there). err is yamlTree's.
func emitYAML(v any) (out []byte, ok bool, err error) {
	e := yamlEmitter{b: make([]byte, 0, 1024)}
	n, kind := e.node(v)
	switch kind {
	case emptyMappingNode:
		e.b, ok = append(e.b, "{}\n"...), true
	case emptySequenceNode:
		e.b, ok = append(e.b, "[]\n"...), true
	case mappingNode:
		ok = e.mapping(n, 0, false)
	case sequenceNode:
		ok = e.sequence(n, 0, false)
	case scalarNode:
		ok = e.scalar(n, 0)
		e.b = append(e.b, '\n')
	}
	if e.err != nil {
		return nil, false, e.err
	}
	if !ok {
		return nil, false, nil
	}
	return e.b, true, nil
}

type yamlEmitter struct {
	b   []byte
	err error
}

// nodeKind is how the emitter writes a value.
type nodeKind int

const (
	badNode nodeKind = iota // yamlTree failed: e.err
	scalarNode
	mappingNode
	sequenceNode
	emptyMappingNode  // {}
	emptySequenceNode // []
)

// node returns v and how it is written: v itself when it is plain, else
// what yamlTree makes of it (a nil map or list is null, as yamlTree has
// it).
func (e *yamlEmitter) node(v any) (any, nodeKind) {
	if n, kind, ok := plainNode(v); ok {
		return n, kind
	}
	t, err := yamlTree(v)
	if err != nil {
		e.err = err
		return nil, badNode
	}
	if n, kind, ok := plainNode(t); ok {
		return n, kind
	}
	return t, scalarNode // a float: scalar declines it
}

// plainNode reports how v is written when it is plain; ok is false when
// yamlTree must make it plain first.
func plainNode(v any) (n any, kind nodeKind, ok bool) {
	switch t := v.(type) {
	case nil, bool, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return v, scalarNode, true
	case string:
		return v, scalarNode, utf8.ValidString(t)
	case yamlv2.MapSlice:
		return v, collectionKind(len(t), mappingNode), true
	case map[string]any:
		if t == nil {
			return nil, scalarNode, true
		}
		return v, collectionKind(len(t), mappingNode), validKeys(t)
	case map[string]string:
		if t == nil {
			return nil, scalarNode, true
		}
		return v, collectionKind(len(t), mappingNode), validKeys(t)
	case []any:
		if t == nil {
			return nil, scalarNode, true
		}
		return v, collectionKind(len(t), sequenceNode), true
	case []string:
		if t == nil {
			return nil, scalarNode, true
		}
		return v, collectionKind(len(t), sequenceNode), true
	}
	return nil, badNode, false
}

func collectionKind(n int, kind nodeKind) nodeKind {
	switch {
	case n > 0:
		return kind
	case kind == mappingNode:
		return emptyMappingNode
	}
	return emptySequenceNode
}

// validKeys reports whether every key of m is UTF-8 (else yamlTree takes
// m through JSON, which rewrites the key).
func validKeys[V any](m map[string]V) bool {
	for k := range m {
		if !utf8.ValidString(k) {
			return false
		}
	}
	return true
}

func (e *yamlEmitter) indent(n int) {
	for range n {
		e.b = append(e.b, ' ')
	}
}

// mapping writes the entries of m (a mappingNode) at column indent, keys
// in byte order (yamlTree's MapSlice is in that order already); with
// inline, the first entry goes where the line already is (after a
// sequence's "- ").
func (e *yamlEmitter) mapping(m any, indent int, inline bool) bool {
	switch t := m.(type) {
	case yamlv2.MapSlice:
		for i, item := range t {
			key, ok := item.Key.(string)
			if !ok || !e.entry(i, key, item.Value, indent, inline) {
				return false
			}
		}
	case map[string]any:
		return entries(e, t, indent, inline)
	case map[string]string:
		return entries(e, t, indent, inline)
	}
	return true
}

// entries writes the entries of m, keys in byte order.
func entries[V any](e *yamlEmitter, m map[string]V, indent int, inline bool) bool {
	for i, k := range slices.Sorted(maps.Keys(m)) {
		if !e.entry(i, k, m[k], indent, inline) {
			return false
		}
	}
	return true
}

// entry writes the i-th entry of a mapping, "key: value".
func (e *yamlEmitter) entry(i int, key string, value any, indent int, inline bool) bool {
	if i > 0 || !inline {
		e.indent(indent)
	}
	if len(key) > yamlSimpleKey || strings.ContainsAny(key, lineBreaks) {
		return false
	}
	start := len(e.b)
	if !e.scalar(key, indent) {
		return false
	}
	col := indent + len(e.b) - start
	e.b = append(e.b, ':')
	n, kind := e.node(value)
	switch kind {
	case emptyMappingNode:
		e.b = append(e.b, " {}\n"...)
	case emptySequenceNode:
		e.b = append(e.b, " []\n"...)
	case mappingNode:
		e.b = append(e.b, '\n')
		return e.mapping(n, indent+yamlIndent, false)
	case sequenceNode:
		e.b = append(e.b, '\n')
		return e.sequence(n, indent, false)
	case scalarNode:
		e.b = append(e.b, ' ')
		if !e.scalar(n, col+2) {
			return false
		}
		e.b = append(e.b, '\n')
	default:
		return false
	}
	return true
}

// sequence writes the items of s (a sequenceNode) as "- item" at column
// indent; with inline, the first item goes where the line already is.
func (e *yamlEmitter) sequence(s any, indent int, inline bool) bool {
	switch t := s.(type) {
	case []any:
		return items(e, t, indent, inline)
	case []string:
		return items(e, t, indent, inline)
	}
	return true
}

// items writes the items of s.
func items[V any](e *yamlEmitter, s []V, indent int, inline bool) bool {
	for i, x := range s {
		if !e.item(i, x, indent, inline) {
			return false
		}
	}
	return true
}

// item writes the i-th item of a sequence.
func (e *yamlEmitter) item(i int, value any, indent int, inline bool) bool {
	if i > 0 || !inline {
		e.indent(indent)
	}
	e.b = append(e.b, "- "...)
	n, kind := e.node(value)
	switch kind {
	case emptyMappingNode:
		e.b = append(e.b, "{}\n"...)
	case emptySequenceNode:
		e.b = append(e.b, "[]\n"...)
	case mappingNode:
		return e.mapping(n, indent+yamlIndent, true)
	case sequenceNode:
		return e.sequence(n, indent+yamlIndent, true)
	case scalarNode:
		if !e.scalar(n, indent+yamlIndent) {
			return false
		}
		e.b = append(e.b, '\n')
	default:
		return false
	}
	return true
}

// scalar appends v's text starting at column col (0-based).
func (e *yamlEmitter) scalar(v any, col int) bool {
	switch t := v.(type) {
	case nil:
		e.b = append(e.b, "null"...)
	case bool:
		e.b = strconv.AppendBool(e.b, t)
	case int:
		e.b = strconv.AppendInt(e.b, int64(t), 10)
	case int8:
		e.b = strconv.AppendInt(e.b, int64(t), 10)
	case int16:
		e.b = strconv.AppendInt(e.b, int64(t), 10)
	case int32:
		e.b = strconv.AppendInt(e.b, int64(t), 10)
	case int64:
		e.b = strconv.AppendInt(e.b, t, 10)
	case uint:
		e.b = strconv.AppendUint(e.b, uint64(t), 10)
	case uint8:
		e.b = strconv.AppendUint(e.b, uint64(t), 10)
	case uint16:
		e.b = strconv.AppendUint(e.b, uint64(t), 10)
	case uint32:
		e.b = strconv.AppendUint(e.b, uint64(t), 10)
	case uint64:
		e.b = strconv.AppendUint(e.b, t, 10)
	case string:
		text, ok := scalarText(t)
		if !ok {
			return false
		}
		// yaml.v2 breaks a scalar at a space once the column is past
		// yamlWidth; below it, the text is the same wherever it stands.
		if col+len(text) > yamlWidth && strings.IndexByte(text, ' ') >= 0 {
			return false
		}
		e.b = append(e.b, text...)
	default:
		return false
	}
	return true
}

// lineBreaks are the characters libyaml takes as line breaks (is_break).
const lineBreaks = "\n\r\u0085\u2028\u2029"

// scalarText returns s as yaml.v2 writes it on one line, unbroken: plain,
// single-quoted or double-quoted. ok is false when yaml.v2 writes it on
// more than one line.
//
// A string of printable ASCII is decided here, by the rules of yaml.v2's
// encoder (stringv: plain unless it would be read back as another type,
// then double-quoted) and emitter (yaml_emitter_analyze_scalar and
// yaml_emitter_select_scalar_style: plain only where no indicator forbids
// it, else single-quoted). Anything else (a first character that may make
// a number, a timestamp or a base-60 float, which resolve would have to
// parse; control or non-ASCII characters, which double quoting escapes) is
// marshalled once by yaml.v2 itself and remembered.
func scalarText(s string) (string, bool) {
	if s == "" {
		return `""`, true // resolves to null: quoted
	}
	for i := range len(s) {
		if c := s[i]; c < 0x20 || c > 0x7e {
			return slowScalarText(s)
		}
	}
	switch c := s[0]; {
	case c >= '0' && c <= '9', c == '+', c == '-', c == '.':
		return slowScalarText(s)
	case strings.IndexByte("yYnNtTfFoO~", c) >= 0:
		// resolve looks these up in its table of booleans and nulls.
		if yamlWords[s] {
			return `"` + s + `"`, true
		}
	}
	if plainAllowed(s) {
		return s, true
	}
	return "'" + strings.ReplaceAll(s, "'", "''") + "'", true
}

// yamlWords are the strings starting with one of "yYnNtTfFoO~" that
// yaml.v2's resolve reads as a boolean or null (resolve.go, resolveMap).
var yamlWords = map[string]bool{
	"y": true, "Y": true, "yes": true, "Yes": true, "YES": true,
	"n": true, "N": true, "no": true, "No": true, "NO": true,
	"true": true, "True": true, "TRUE": true,
	"false": true, "False": true, "FALSE": true,
	"on": true, "On": true, "ON": true,
	"off": true, "Off": true, "OFF": true,
	"~": true, "null": true, "Null": true, "NULL": true,
}

// plainAllowed reports whether yaml_emitter_analyze_scalar allows s, a
// non-empty string of printable ASCII, plain in block context.
func plainAllowed(s string) bool {
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	if strings.HasPrefix(s, "---") || strings.HasPrefix(s, "...") {
		return false
	}
	blankAfter := func(i int) bool { return i+1 >= len(s) || s[i+1] == ' ' }
	switch s[0] {
	case '#', ',', '[', ']', '{', '}', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`':
		return false
	case '?', ':', '-':
		if blankAfter(0) {
			return false
		}
	}
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case ':':
			if blankAfter(i) {
				return false
			}
		case '#':
			if s[i-1] == ' ' {
				return false
			}
		}
	}
	return true
}

// slowTexts remembers what slowScalarText found for each string of up to
// 256 bytes (4096 of them at most): the text, or "\n" for one yaml.v2
// writes on several lines.
var slowTexts = memo.New[string](4096, 256)

// slowScalarText asks yaml.v2 how it writes s as a mapping value.
func slowScalarText(s string) (string, bool) {
	if strings.ContainsAny(s, lineBreaks) {
		// yaml.v2 writes these as breaks, indented (literal or quoted):
		// the text depends on where it stands.
		return "", false
	}
	if text, ok := slowTexts.Lookup(s); ok {
		return text, text != "\n"
	}
	text := "\n"
	if out, err := yamlv2.Marshal(yamlv2.MapSlice{{Key: "k", Value: s}}); err == nil {
		t, found := strings.CutPrefix(string(out), "k: ")
		t, end := strings.CutSuffix(t, "\n")
		if found && end && !strings.ContainsAny(t, lineBreaks) {
			text = t
		}
	}
	slowTexts.Remember(s, text)
	return text, text != "\n"
}
