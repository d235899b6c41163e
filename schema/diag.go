package schema

import (
	"fmt"
	"sort"
	"strings"
)

// Severity of a Diagnostic.
type Severity int

const (
	// Error stops the run: nothing is rendered or written.
	Error Severity = iota
	// Warning is reported and rendering goes on.
	Warning
)

func (s Severity) String() string {
	if s == Warning {
		return "warning"
	}
	return "error"
}

// Diagnostic is one finding about the input, positioned at the line and
// column (1-based) of the YAML node it is about.
type Diagnostic struct {
	File     string
	Line     int    // 1-based; 0 when the finding has no position (e.g. the file is too large)
	Column   int    // 1-based
	Path     string // the field as the user wrote it, e.g. spec.environments[1].namespace
	Message  string
	Severity Severity
}

// String formats the diagnostic as FILE:LINE:COL: PATH: MESSAGE, with
// "warning: " before the path for warnings. It is always one line: the
// message quotes what the user wrote (Quote), and anything left that
// would not print is escaped (EscapeText, Name).
func (d Diagnostic) String() string {
	var b strings.Builder
	b.WriteString(Name(d.File))
	if d.Line > 0 {
		fmt.Fprintf(&b, ":%d", d.Line)
		if d.Column > 0 {
			fmt.Fprintf(&b, ":%d", d.Column)
		}
	}
	b.WriteString(": ")
	if d.Severity == Warning {
		b.WriteString("warning: ")
	}
	if d.Path != "" {
		b.WriteString(EscapeText(d.Path))
		b.WriteString(": ")
	}
	b.WriteString(EscapeText(d.Message))
	return b.String()
}

// Diagnostics is a list of findings. As an error it holds at least one
// Diagnostic of severity Error.
type Diagnostics []Diagnostic

// Error prints one diagnostic per line, sorted by position.
func (ds Diagnostics) Error() string {
	lines := make([]string, len(ds))
	for i, d := range ds {
		lines[i] = d.String()
	}
	return strings.Join(lines, "\n")
}

// HasErrors reports whether any diagnostic is an Error.
func (ds Diagnostics) HasErrors() bool {
	for _, d := range ds {
		if d.Severity == Error {
			return true
		}
	}
	return false
}

// Errors returns the diagnostics of severity Error.
func (ds Diagnostics) Errors() Diagnostics { return ds.filter(Error) }

// Warnings returns the diagnostics of severity Warning.
func (ds Diagnostics) Warnings() Diagnostics { return ds.filter(Warning) }

func (ds Diagnostics) filter(s Severity) Diagnostics {
	var out Diagnostics
	for _, d := range ds {
		if d.Severity == s {
			out = append(out, d)
		}
	}
	return out
}

// sortAndDedupe orders diagnostics by position, then path and message, and
// drops exact repeats (a value from spec.defaults is checked once per
// environment but reported once).
func (ds Diagnostics) sortAndDedupe() Diagnostics {
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i], ds[j]
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Column != b.Column {
			return a.Column < b.Column
		}
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		if a.Severity != b.Severity {
			return a.Severity < b.Severity
		}
		return a.Message < b.Message
	})
	out := ds[:0]
	for i, d := range ds {
		if i > 0 && d == ds[i-1] {
			continue
		}
		out = append(out, d)
	}
	return out
}
