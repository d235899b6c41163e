// Columns of YAML syntax errors. go.yaml.in/yaml (v2 and v3) report a line
// and never a column, and for a parser error the line is that of the block
// the problem is in (its context), not of the problem: the column, and
// there the line, are found in the source.

package schema

import (
	"bytes"
	"errors"
	"io"
	"strings"

	"go.yaml.in/yaml/v3"
)

// yamlColumn returns the line and column (1-based, in bytes) of the
// character at fault for the YAML error msg reported at line, or a column
// of 0 when it cannot tell.
func yamlColumn(src *yamlSource, line int, msg string) (int, int) {
	l, ok := src.line(line)
	if !ok {
		return line, 0
	}
	switch msg {
	case "mapping values are not allowed in this context":
		// The ':' the scanner stopped at: after a key and its value on
		// one line ("a: b: c"), the second; a line holding one (a key
		// under a plain value) its only one.
		cs := mappingColons(l)
		switch {
		case len(cs) >= 2:
			return line, cs[1]
		case len(cs) == 1:
			return line, cs[0]
		}
	case "could not find expected ':'":
		// A key without its ':': where the key starts.
		return line, tokenStart(l)
	case "found unexpected end of stream":
		// A quoted value never closed: its opening quote.
		if c := openQuote(l); c > 0 {
			return line, c
		}
	case "found unknown escape character":
		for n := line; n <= src.count(); n++ {
			if s, ok := src.line(n); ok {
				if c := badEscape(s); c > 0 {
					return n, c
				}
			}
		}
	case "did not find expected ',' or ']'", "did not find expected ',' or '}'":
		// A flow collection never closed: its opening bracket.
		if n, c := openBracket(src, line); c > 0 {
			return n, c
		}
	case "did not find expected node content":
		// In a flow collection never closed ("spec: ["): its bracket.
		if n, c := openBracket(src, line); c > 0 {
			return n, c
		}
		if n := firstFailingLine(src, line, msg); n > 0 {
			s, _ := src.line(n)
			return n, tokenStart(s)
		}
	case "did not find expected key", "did not find expected '-' indicator":
		// The line is the block's: the problem is the first token below
		// it that the parser, reading up to that line, stops at.
		if n := firstFailingLine(src, line, msg); n > 0 {
			s, _ := src.line(n)
			return n, tokenStart(s)
		}
	}
	return line, 0
}

// mappingColons returns the columns of the ':' mapping indicators of line
// l (a ':' followed by a space, a tab or the end of the line), outside
// quoted values and comments.
func mappingColons(l string) []int {
	var out []int
	scanLine(l, atTokenStart, func(i int) {
		if l[i] == ':' && (i+1 == len(l) || l[i+1] == ' ' || l[i+1] == '\t') {
			out = append(out, i+1)
		}
	})
	return out
}

// scanLine calls visit with the index of every character of line l that
// is outside quoted values and comments; quoteAt reports whether a quote
// at an index opens a quoted value. It returns the column of the quote
// opening a value the line does not close, or 0.
func scanLine(l string, quoteAt func(l string, i int) bool, visit func(i int)) (open int) {
	var quote byte
	for i := 0; i < len(l); i++ {
		c := l[i]
		switch {
		case quote == '"' && c == '\\':
			i++
		case quote != 0:
			if c == quote {
				if quote == '\'' && i+1 < len(l) && l[i+1] == '\'' {
					i++ // '' in a single-quoted value
				} else {
					quote = 0
				}
			}
		case (c == '"' || c == '\'') && quoteAt(l, i):
			quote, open = c, i+1
		case c == '#' && (i == 0 || l[i-1] == ' ' || l[i-1] == '\t'):
			return 0
		default:
			visit(i)
		}
	}
	if quote == 0 {
		return 0
	}
	return open
}

// atTokenStart reports whether l[i] starts a token: at the start of the
// line or after a space or an indicator.
func atTokenStart(l string, i int) bool {
	return i == 0 || strings.IndexByte(" \t[{,:-?", l[i-1]) >= 0
}

// tokenStart returns the column of the first token of line l, past its
// indentation.
func tokenStart(l string) int {
	return len(l) - len(strings.TrimLeft(l, " \t")) + 1
}

// openQuote returns the column of the quote opening a value that line l
// does not close, or 0.
func openQuote(l string) int {
	return scanLine(l, atTokenStart, func(int) {})
}

// yamlEscapes are the characters that may follow '\' in a double-quoted
// YAML value (YAML 1.2, 5.7 Escaped Characters).
const yamlEscapes = "0abt\tnvfre \"/\\N_LPxuU"

// badEscape returns the column of the first '\' in line l, inside a
// double-quoted value, that starts no YAML escape, or 0.
func badEscape(l string) int {
	in := false
	for i := 0; i < len(l); i++ {
		switch c := l[i]; {
		case in && c == '\\':
			if i+1 < len(l) && strings.IndexByte(yamlEscapes, l[i+1]) < 0 {
				return i + 1
			}
			i++
		case c == '"':
			in = !in
		}
	}
	return 0
}

// openBracket returns the line and column of the innermost '[' or '{'
// that lines 1 to line of data open and do not close, or 0, 0.
func openBracket(src *yamlSource, line int) (int, int) {
	type pos struct{ line, col int }
	var open []pos
	// In a flow collection a quote opens a value anywhere, and so does a
	// bracket.
	starts := func(l string, i int) bool { return len(open) > 0 || atTokenStart(l, i) }
	for n := 1; n <= line; n++ {
		l, ok := src.line(n)
		if !ok {
			break
		}
		scanLine(l, starts, func(i int) {
			switch c := l[i]; {
			case (c == '[' || c == '{') && starts(l, i):
				open = append(open, pos{n, i + 1})
			case (c == ']' || c == '}') && len(open) > 0:
				open = open[:len(open)-1]
			}
		})
	}
	if len(open) == 0 {
		return 0, 0
	}
	return open[len(open)-1].line, open[len(open)-1].col
}

// maxReparse is how many lines below the reported one firstFailingLine
// tries, and reparseBudget how many bytes it parses in all (16 MiB: a
// few tens of milliseconds; a 1 MiB input gets its first lines' tries).
const (
	maxReparse    = 64
	reparseBudget = 16 << 20
)

// firstFailingLine returns the first line n (from line on, at most
// maxReparse lines below) such that data up to and including line n fails
// to parse with msg, or 0: the line of the token the parser stopped at.
func firstFailingLine(src *yamlSource, line int, msg string) int {
	data := src.data
	lines := bytes.SplitAfter(data, []byte("\n"))
	end := 0
	for i := 0; i < line-1 && i < len(lines); i++ {
		end += len(lines[i])
	}
	budget := reparseBudget
	for n := line; n <= len(lines) && n < line+maxReparse; n++ {
		end += len(lines[n-1])
		if budget -= end; budget < 0 {
			return 0
		}
		if parseFails(data[:end], msg) {
			return n
		}
	}
	return 0
}

// parseFails reports whether the YAML stream data fails to parse with an
// error whose text ends in msg.
func parseFails(data []byte, msg string) bool {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			return false
		}
		if err != nil {
			return strings.HasSuffix(err.Error(), msg)
		}
	}
}
