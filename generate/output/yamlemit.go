// The YAML emitter: writes the plain trees yamlTree builds in the block
// style go.yaml.in/yaml/v2 gives them, byte for byte, without going
// through its event pipeline.

package output

import (
	"strconv"
	"strings"
	"sync"

	yamlv2 "go.yaml.in/yaml/v2"
)

// The layout rules of go.yaml.in/yaml/v2 v2.4.4 (emitterc.go) this emitter
// follows. TestEmitYAMLMatchesYAMLv2 and FuzzEmitYAML compare every tree
// with yamlv2.Marshal; when the emitter meets what it does not handle
// (see emitYAML), the caller marshals the tree with yamlv2 instead.
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

// emitYAML writes t, a tree of yamlv2.MapSlice with string keys, []any,
// strings, booleans, integers and nil, as yamlv2.Marshal(t) would. ok is
// false, and nothing is returned, when the tree holds what the emitter
// leaves to yaml.v2: another type (a float), a key longer than
// yamlSimpleKey bytes or with a line break, a string that yaml.v2 writes
// on more than one line (a literal block for text with "\n"), or one with
// a space that could reach past yamlWidth (yaml.v2 may fold it there).
func emitYAML(t any) (out []byte, ok bool) {
	e := yamlEmitter{b: make([]byte, 0, 1024)}
	switch v := t.(type) {
	case yamlv2.MapSlice:
		if len(v) == 0 {
			e.b = append(e.b, "{}\n"...)
			return e.b, true
		}
		ok = e.mapping(v, 0, false)
	case []any:
		if len(v) == 0 {
			e.b = append(e.b, "[]\n"...)
			return e.b, true
		}
		ok = e.sequence(v, 0, false)
	default:
		ok = e.scalar(v, 0)
		e.b = append(e.b, '\n')
	}
	if !ok {
		return nil, false
	}
	return e.b, true
}

type yamlEmitter struct {
	b []byte
}

func (e *yamlEmitter) indent(n int) {
	for range n {
		e.b = append(e.b, ' ')
	}
}

// mapping writes m's entries at column indent; with inline, the first
// entry goes where the line already is (after a sequence's "- ").
func (e *yamlEmitter) mapping(m yamlv2.MapSlice, indent int, inline bool) bool {
	for i, item := range m {
		if i > 0 || !inline {
			e.indent(indent)
		}
		key, ok := item.Key.(string)
		if !ok || len(key) > yamlSimpleKey || strings.ContainsAny(key, lineBreaks) {
			return false
		}
		start := len(e.b)
		if !e.scalar(key, indent) {
			return false
		}
		col := indent + len(e.b) - start
		e.b = append(e.b, ':')
		switch v := item.Value.(type) {
		case yamlv2.MapSlice:
			if len(v) == 0 {
				e.b = append(e.b, " {}\n"...)
				continue
			}
			e.b = append(e.b, '\n')
			if !e.mapping(v, indent+yamlIndent, false) {
				return false
			}
		case []any:
			if len(v) == 0 {
				e.b = append(e.b, " []\n"...)
				continue
			}
			e.b = append(e.b, '\n')
			if !e.sequence(v, indent, false) {
				return false
			}
		default:
			e.b = append(e.b, ' ')
			if !e.scalar(v, col+2) {
				return false
			}
			e.b = append(e.b, '\n')
		}
	}
	return true
}

// sequence writes s's items as "- item" at column indent; with inline,
// the first item goes where the line already is.
func (e *yamlEmitter) sequence(s []any, indent int, inline bool) bool {
	for i, item := range s {
		if i > 0 || !inline {
			e.indent(indent)
		}
		e.b = append(e.b, "- "...)
		switch v := item.(type) {
		case yamlv2.MapSlice:
			if len(v) == 0 {
				e.b = append(e.b, "{}\n"...)
				continue
			}
			if !e.mapping(v, indent+yamlIndent, true) {
				return false
			}
		case []any:
			if len(v) == 0 {
				e.b = append(e.b, "[]\n"...)
				continue
			}
			if !e.sequence(v, indent+yamlIndent, true) {
				return false
			}
		default:
			if !e.scalar(v, indent+yamlIndent) {
				return false
			}
			e.b = append(e.b, '\n')
		}
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

// slowTexts remembers what slowScalarText found for each string: the
// text, or "\n" for one yaml.v2 writes on several lines.
var slowTexts sync.Map

// slowScalarText asks yaml.v2 how it writes s as a mapping value.
func slowScalarText(s string) (string, bool) {
	if v, ok := slowTexts.Load(s); ok {
		text := v.(string)
		return text, text != "\n"
	}
	text := "\n"
	if strings.ContainsAny(s, lineBreaks) {
		// yaml.v2 writes these as breaks, indented (literal or quoted):
		// the text depends on where it stands.
		slowTexts.Store(s, text)
		return text, false
	}
	if out, err := yamlv2.Marshal(yamlv2.MapSlice{{Key: "k", Value: s}}); err == nil {
		t, found := strings.CutPrefix(string(out), "k: ")
		t, end := strings.CutSuffix(t, "\n")
		if found && end && !strings.ContainsAny(t, lineBreaks) {
			text = t
		}
	}
	slowTexts.Store(s, text)
	return text, text != "\n"
}
