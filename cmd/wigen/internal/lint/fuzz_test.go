package lint

import (
	"bytes"
	"strings"
	"testing"
)

// FuzzReader feeds arbitrary input to lint's reader and decoder. Whatever
// the bytes, reading never panics, every document and every error has a
// line inside the input, a YAML document's bytes are the input's own text
// from its first line on, and decoding the documents never panics either.
// Run it with `make fuzz-lint` (or go test -fuzz FuzzReader).
func FuzzReader(f *testing.F) {
	for _, seed := range []string{
		goodSA,
		docs(goodSA, goodSTS),
		"{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"a\"}}\n{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"b\"}}]}\n",
		"[{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"a\"}}, 1, null]\n",
		"{\"a\": 1}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n",
		"apiVersion: v1\r\nkind: List\r\nitems:\r\n- apiVersion: v1\r\n  kind: ConfigMap\r\n  metadata: {name: c}\r\n",
		"--- {a: 1}\n---\n# c\n---\nkind: [\n",
		"\xef\xbb\xbfapiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: x\n",
		"{\"x\": \"\xff\"}\n{\n",
		"",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		docs, errs := readDocuments("in", data)
		lines := len(newLineIndex(data))
		for _, e := range errs {
			if e.Line < 1 || e.Line > lines {
				t.Fatalf("error at line %d of %d: %v", e.Line, lines, e)
			}
			if strings.ContainsAny(e.Msg, "\n\r") {
				t.Fatalf("error message spans lines: %q", e.Msg)
			}
		}
		src := bytes.SplitAfter(data, []byte("\n"))
		for _, d := range docs {
			if d.first < 1 || d.first > lines || d.line < d.first || d.line > lines {
				t.Fatalf("document at lines %d/%d of %d", d.first, d.line, lines)
			}
			if d.json {
				continue
			}
			// From the start of its first line, or after the JSON values
			// read before it on that line.
			if !bytes.Contains(bytes.Join(src[d.first-1:], nil), d.data) {
				t.Fatalf("YAML document at line %d is not the input's text there: %q", d.first, d.data)
			}
		}
		dec := newDecoder("open-webui", Hints{})
		dec.add(Input{Name: "in", Data: data})
		for _, e := range dec.errs {
			if strings.ContainsAny(e.Msg, "\n\r") {
				t.Fatalf("input error spans lines: %q", e.Msg)
			}
		}
	})
}
