// Quoting user values in messages: one function, so that a value holding a
// newline, a NUL or a bidirectional control (U+202E RIGHT-TO-LEFT OVERRIDE)
// can neither break the one-line "FILE:LINE:COL: path: message" format
// nor make a message read differently from what it says.

package schema

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Quote returns s as every wigen message shows a value taken from the
// user's input: in double quotes, with Go's escapes (strconv.Quote) for
// '"', '\\', every control character (newline, tab, NUL, DEL, C1 controls)
// and every other rune that does not print by itself: format characters
// such as the bidirectional marks and overrides (U+200E, U+200F,
// U+202A..U+202E, U+2066..U+2069), the zero-width space and joiners, line
// and paragraph separators (U+2028, U+2029), non-breaking and other
// non-ASCII spaces; bytes that are not UTF-8 show as \xNN. Letters, marks,
// digits, punctuation and symbols of every script print as they are.
//
// Messages use it for every value the user wrote (and for file names
// that need it: see Name), never fmt's %q directly, so that there is one
// rule to read and to test.
func Quote(s string) string { return strconv.Quote(s) }

// quoteList returns the values, each quoted by Quote, separated by ", ".
func quoteList(values []string) string {
	q := make([]string, len(values))
	for i, s := range values {
		q[i] = Quote(s)
	}
	return strings.Join(q, ", ")
}

// EscapeText returns text that wigen does not write itself, such as a
// parser's error message, for embedding in a message unquoted: every rune
// Quote would escape, except '"' and '\\', is escaped the same way, so the
// message stays on one line and reads as written.
func EscapeText(s string) string {
	if printable(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1, !strconv.IsPrint(r):
			q := Quote(s[i : i+size])
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// Name returns a file name or path for a message: as it is when every
// rune in it prints (paths are shown as the user typed them, so that
// editors and terminals can follow FILE:LINE), else quoted by Quote.
func Name(s string) string {
	if printable(s) {
		return s
	}
	return Quote(s)
}

// firstUnprintable returns the first rune of s that Quote escapes (other
// than '"' and '\\'); an invalid byte is returned as utf8.RuneError.
func firstUnprintable(s string) (rune, bool) {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || !strconv.IsPrint(r) {
			return r, true
		}
		i += size
	}
	return 0, false
}

// describeRune names a rune firstUnprintable found, for a message: its
// escape, and what it is when that is not obvious.
func describeRune(r rune) string {
	q := Quote(string(r))
	switch {
	case r == utf8.RuneError:
		return "a byte that is not UTF-8"
	case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
		return "the control character " + q
	case unicode.Is(unicode.Bidi_Control, r):
		return "the bidirectional control " + q
	case unicode.Is(unicode.Zs, r) || r == 0x2028 || r == 0x2029:
		return "the invisible space " + q
	}
	return "the invisible character " + q
}

// printable reports whether Quote would escape nothing in s but '"' and '\\'.
func printable(s string) bool {
	_, found := firstUnprintable(s)
	return !found
}
