// YAML syntax errors, positioned and worded for a person: the YAML
// libraries (go.yaml.in/yaml v2 and v3, which sigs.k8s.io/yaml wraps)
// count the lines of their parser's errors from 0 and those of their
// scanner from 1, give no line at all for text that is not UTF-8, and say
// "found character that cannot start any token" for a tab in the
// indentation.

package schema

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// yamlParserProblems are the problems the YAML parser (parserc.go of
// go.yaml.in/yaml v2.4 and v3.0) reports, with 0-based lines; every other
// "line N:" error comes from the scanner, with 1-based lines.
var yamlParserProblems = map[string]bool{
	"did not find expected ',' or ']'":       true,
	"did not find expected ',' or '}'":       true,
	"did not find expected '-' indicator":    true,
	"did not find expected <document start>": true,
	"did not find expected <stream-start>":   true,
	"did not find expected key":              true,
	"did not find expected node content":     true,
	"found duplicate %TAG directive":         true,
	"found duplicate %YAML directive":        true,
	"found incompatible YAML document":       true,
	"found undefined tag handle":             true,
}

var yamlErrorRE = lazyRE(`^line (\d+): (.*)$`)

// YAMLError positions and words a YAML syntax error for a diagnostic.
// text is the error's text from go.yaml.in/yaml (v2 or v3) or
// sigs.k8s.io/yaml, data the document that was parsed. line and col are
// 1-based, 0 when unknown; msg says what is wrong (the parser's own words,
// escaped with EscapeText, when nothing better is known), without the
// "invalid YAML: " a caller puts before it.
func YAMLError(data []byte, text string) (line, col int, msg string) {
	msg = strings.TrimPrefix(text, "error converting YAML to JSON: ")
	msg = strings.TrimPrefix(msg, "yaml: ")
	if m := yamlErrorRE.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
		if yamlParserProblems[msg] {
			line++
		}
	} else if yamlParserProblems[msg] || yamlScannerProblems[msg] {
		line = 1 // the libraries give no line for their first one (0)
	}
	src := newYAMLSource(data)
	// An unclosed bracket or quote is reported at the end of the input,
	// past its last line: point at the last line instead.
	if n := src.count(); line > n && n > 0 {
		line = n
	}
	switch {
	case strings.Contains(msg, "UTF-8") || strings.Contains(msg, "UTF-16") || msg == "invalid Unicode character":
		if l, c, b, ok := firstNonUTF8(data); ok {
			return l, c, fmt.Sprintf("byte 0x%02X is not UTF-8 text; YAML files are UTF-8: save the file as UTF-8", b)
		}
	case msg == "control characters are not allowed":
		if l, c, r, ok := firstControl(data); ok {
			return l, c, fmt.Sprintf("the control character %s is not allowed in YAML; remove it", Quote(string(r)))
		}
	case msg == "found character that cannot start any token" && line > 0:
		if c, ok := tabIndent(src, line); ok {
			return line, c, tabMessage
		}
		if c, r, ok := reservedStart(src, line); ok {
			return line, c, fmt.Sprintf("%s cannot start a plain YAML value (it is reserved); quote the value", Quote(string(r)))
		}
	case strings.HasPrefix(msg, "found a tab character") && line > 0:
		// The line is that of the value before the tab (the scanner's
		// context): the tab is on it or on a line below.
		for n := line; n <= src.count(); n++ {
			if c, ok := tabIndent(src, n); ok {
				return n, c, tabMessage
			}
		}
	}
	if line > 0 {
		if l, c := yamlColumn(src, line, msg); c > 0 {
			return l, c, EscapeText(msg)
		}
	}
	return line, 0, EscapeText(msg)
}

const tabMessage = "tabs are not allowed in YAML indentation; indent with spaces"

// yamlScannerProblems are the scanner's problems that yamlColumn
// positions; with no "line N:" the scanner is on the first line (the
// libraries leave a line 0 out).
var yamlScannerProblems = map[string]bool{
	"mapping values are not allowed in this context": true,
	"found character that cannot start any token":    true,
	"could not find expected ':'":                    true,
	"found unexpected end of stream":                 true,
	"found unknown escape character":                 true,
}

// yamlSource is a document split into lines once, for the lookups that
// position one error (each line by number, in constant time: an error at
// the end of a 1 MiB input must not split it once per line).
type yamlSource struct {
	data  []byte
	lines []string // without their line breaks
}

func newYAMLSource(data []byte) *yamlSource {
	text := string(data)
	lines := strings.SplitAfter(text, "\n")
	if len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1] // a final line break ends the last line
	}
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, "\r\n")
	}
	return &yamlSource{data: data, lines: lines}
}

// count is the number of lines (a last line without a line break counts).
func (src *yamlSource) count() int { return len(src.lines) }

// line returns the 1-based line n without its line break, or false when
// there are fewer lines.
func (src *yamlSource) line(n int) (string, bool) {
	if n < 1 || n > len(src.lines) {
		return "", false
	}
	return src.lines[n-1], true
}

// tabIndent returns the column (1-based, in bytes) of the first tab in the
// indentation of line n.
func tabIndent(src *yamlSource, n int) (int, bool) {
	l, ok := src.line(n)
	if !ok {
		return 0, false
	}
	for i := 0; i < len(l); i++ {
		switch l[i] {
		case '\t':
			return i + 1, true
		case ' ', '-', '?', ':':
			continue // indentation, and the indicators of block entries
		}
		break
	}
	return 0, false
}

// reservedStart returns the column of a reserved indicator ('@' or '`')
// starting a token on line n.
func reservedStart(src *yamlSource, n int) (int, rune, bool) {
	l, ok := src.line(n)
	if !ok {
		return 0, 0, false
	}
	for i := 0; i < len(l); i++ {
		if (l[i] == '@' || l[i] == '`') && (i == 0 || strings.ContainsRune(" \t[{,:-", rune(l[i-1]))) {
			return i + 1, rune(l[i]), true
		}
	}
	return 0, 0, false
}

// firstNonUTF8 returns the line, column (1-based, in bytes) and value of
// the first byte of data that is not part of valid UTF-8.
func firstNonUTF8(data []byte) (line, col int, b byte, ok bool) {
	line, start := 1, 0
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			return line, i - start + 1, data[i], true
		}
		if r == '\n' {
			line, start = line+1, i+1
		}
		i += size
	}
	return 0, 0, 0, false
}

// firstControl returns where the first character YAML does not allow is:
// a C0 control other than tab, LF and CR, DEL, a C1 control other than
// NEL (U+0085), a surrogate or U+FFFE/U+FFFF (YAML 1.2, 5.1 Character Set).
func firstControl(data []byte) (line, col int, r rune, ok bool) {
	line, start := 1, 0
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		switch {
		case r == '\n':
			line, start = line+1, i+1
		case r == '\t' || r == '\r':
		case r < 0x20 || r == 0x7F || (r >= 0x80 && r <= 0x9F && r != 0x85) || r == 0xFFFE || r == 0xFFFF:
			return line, i - start + 1, r, true
		}
		i += size
	}
	return 0, 0, 0, false
}
