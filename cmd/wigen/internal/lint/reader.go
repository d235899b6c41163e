// Reading an input as kubectl reads a manifest stream: YAML documents or a
// JSON stream, told apart and split by k8s.io/apimachinery/pkg/util/yaml,
// with the line each document starts at.

package lint

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	yamlv3 "go.yaml.in/yaml/v3"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"

	"github.com/wigen-dev/wigen/schema"
)

// guessSize is how far into an input kubectl looks to tell a JSON stream
// from YAML (k8s.io/cli-runtime resource.StreamVisitor calls
// yaml.NewYAMLOrJSONDecoder(r, 4096)): a stream whose first non-space
// character there is '{' is read as JSON.
const guessSize = 4096

// document is one document of an input.
type document struct {
	first int // line of the document's first line (after its "---")
	line  int // line of its first line that is neither blank nor a comment
	data  []byte
	// json: data is one JSON value of a JSON stream (already JSON, not
	// YAML to convert).
	json bool
}

// readDocuments splits an input into documents the way kubectl's
// k8s.io/apimachinery/pkg/util/yaml YAMLOrJSONDecoder does:
//
//   - when the input starts with '{' (utilyaml.IsJSONBuffer over its first
//     guessSize bytes) it is a stream of JSON values, one after another
//     (`kubectl get -o json`, or `jq -c '.items[]'`: one object per line).
//     If the first or second value fails to parse, the rest is read as
//     YAML, as kubectl does (a JSON object followed by "---" and YAML);
//     after two values a JSON syntax error is an error at its line;
//   - otherwise it is multi-document YAML, split by utilyaml.YAMLReader at
//     lines starting with "---" (only spaces or a comment may follow it).
//
// Documents holding only blank lines and comments are kept (they decode
// to null and are skipped later). Every document knows its line in the
// input, so findings point at the object.
//
// A UTF-16 input (with its byte order mark, little- or big-endian, as
// PowerShell's Out-File and iconv -t utf-16 write it) is first decoded to
// UTF-8, as the YAML parser decodes an input of wigen validate
// (go.yaml.in/yaml/v3 yaml_parser_determine_encoding); line numbers are
// the same in both.
func readDocuments(file string, data []byte) ([]document, InputErrors) {
	data, err := fromUTF16(data)
	if err != nil {
		return nil, InputErrors{{File: file, Msg: err.Error()}}
	}
	lines := newLineIndex(data)
	start := 0
	var docs []document
	if utilyaml.IsJSONBuffer(data[:min(len(data), guessSize)]) {
		dec := json.NewDecoder(bytes.NewReader(data))
		for count := 0; ; count++ {
			var raw json.RawMessage
			err := dec.Decode(&raw)
			if errors.Is(err, io.EOF) {
				return docs, nil
			}
			if err != nil {
				if count > 1 {
					at := len(data)
					var se *json.SyntaxError
					if errors.As(err, &se) {
						at = int(se.Offset)
					}
					return docs, InputErrors{{File: file, Line: lines.at(max(at-1, 0)), Msg: "invalid JSON: " + schema.EscapeText(strings.TrimPrefix(err.Error(), "json: "))}}
				}
				break
			}
			end := int(dec.InputOffset())
			begin := end - len(raw)
			n := lines.at(begin)
			docs = append(docs, document{first: n, line: n, data: raw, json: true})
			start = end
		}
		start = skipSpaceLine(data, start)
	}
	yd, errs := readYAML(file, data[start:], lines.at(start)-1)
	return append(docs, yd...), errs
}

// readYAML splits YAML (starting at line base+1 of its input) into
// documents with utilyaml.YAMLReader. The reader returns each document's
// lines, so the source lines are followed alongside it to know where each
// starts: a document runs from the end of the one before (a "---" there
// while no document has begun belongs to it, as the reader keeps it) up to
// the "---" that ends it, which belongs to neither.
func readYAML(file string, data []byte, base int) ([]document, InputErrors) {
	var (
		docs []document
		errs InputErrors
	)
	src := bytes.SplitAfter(data, []byte("\n"))
	if len(src) > 0 && len(src[len(src)-1]) == 0 {
		src = src[:len(src)-1]
	}
	cur := 0
	emit := func(from, to int) {
		d := document{first: base + from + 1}
		for i := from; i < to; i++ {
			t := strings.TrimSpace(string(src[i]))
			if d.line == 0 && t != "" && !strings.HasPrefix(t, "#") && separator(src[i]) == sepNone {
				d.line = base + i + 1
			}
			d.data = append(d.data, src[i]...)
		}
		if d.line == 0 {
			d.line = d.first
		}
		docs = append(docs, d)
	}
	r := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(data)))
	for {
		doc, err := r.Read()
		if errors.Is(err, io.EOF) {
			return docs, errs
		}
		if err != nil {
			// An invalid separator: the reader drops the lines read since
			// the last document. They are read here all the same, so every
			// error of the input is reported at once.
			bad := cur
			for bad < len(src) && separator(src[bad]) != sepBad {
				bad++
			}
			if bad > cur {
				emit(cur, bad)
			}
			if bad < len(src) {
				l := strings.TrimRight(string(src[bad]), "\r\n")
				errs = append(errs, InputError{File: file, Line: base + bad + 1, Msg: fmt.Sprintf("invalid document separator %s: only a comment may follow \"---\" (kubectl refuses it too); put the content on the next line", schema.Quote(l))})
			}
			cur = bad + 1
			continue
		}
		n := min(bytes.Count(doc, []byte("\n")), len(src)-cur)
		emit(cur, cur+n)
		cur += n
		if cur < len(src) && separator(src[cur]) == sepOK {
			cur++ // the "---" that ended the document
		}
	}
}

const (
	sepNone = iota
	sepOK
	sepBad
)

// separator tells a document separator line as utilyaml.YAMLReader does:
// "---" at the start of the line, then nothing but spaces or a comment
// (sepOK); anything else after "---" is an invalid separator (sepBad).
func separator(line []byte) int {
	if !bytes.HasPrefix(line, []byte("---")) {
		return sepNone
	}
	rest := strings.TrimSpace(string(line[3:]))
	if rest == "" || strings.HasPrefix(rest, "#") {
		return sepOK
	}
	return sepBad
}

// skipSpaceLine skips white space from i up to and including the first
// newline, as utilyaml.YAMLOrJSONDecoder does before it reads the rest of
// a stream as YAML.
func skipSpaceLine(data []byte, i int) int {
	for i < len(data) {
		r, size := utf8.DecodeRune(data[i:])
		if !unicode.IsSpace(r) {
			return i
		}
		i += size
		if r == '\n' {
			return i
		}
	}
	return i
}

// lineIndex maps byte offsets of an input to 1-based lines.
type lineIndex []int // offsets of the line starts

func newLineIndex(data []byte) lineIndex {
	idx := lineIndex{0}
	for i, b := range data {
		if b == '\n' {
			idx = append(idx, i+1)
		}
	}
	return idx
}

// at returns the line of byte offset off.
func (l lineIndex) at(off int) int {
	lo, hi := 0, len(l)
	for lo+1 < hi {
		mid := (lo + hi) / 2
		if l[mid] <= off {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo + 1
}

// elementLines returns the line of each element of the sequence in data (a
// YAML or JSON document starting at line first): the document itself when
// key is "", else the value of its top-level key. nil when data does not
// parse that way; callers then use the document's line.
func elementLines(data []byte, first int, key string) []int {
	var doc yamlv3.Node
	if yamlv3.Unmarshal(data, &doc) != nil || len(doc.Content) == 0 {
		return nil
	}
	n := doc.Content[0]
	if key != "" {
		if n.Kind != yamlv3.MappingNode {
			return nil
		}
		var v *yamlv3.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == key {
				v = n.Content[i+1]
			}
		}
		n = v
	}
	if n == nil || n.Kind != yamlv3.SequenceNode {
		return nil
	}
	out := make([]int, len(n.Content))
	for i, c := range n.Content {
		out[i] = first + c.Line - 1
	}
	return out
}
