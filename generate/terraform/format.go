package terraform

import (
	"bytes"

	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
)

// fileBytes returns the source of f, formatted: the bytes
// (*hclwrite.File).Bytes returns, from the same tokens and the same
// formatting rules (formatTokens), without hclwrite's cost of counting
// the columns of a token: hclwrite counts grapheme clusters with a new
// bufio.Scanner, and its 4 KiB buffer, for every token before an '=' it
// aligns (hcl internal/unicodeutil.GraphemeCount), which was four tenths
// of all the memory a render allocated.
//
// Why wigen formats at all rather than leave it to hclwrite: with
// hclwrite's formatter, `wigen render --no-cache --check` missed its
// target (at most 0.3 times `terraform fmt -check -recursive` on the same
// tree; issue 13), and hcl is not replaced in go.mod (that breaks
// `go install ...@latest`). hclwrite-columns-report.md is the text of the
// upstream report, with the fix that makes this file unnecessary; until
// then TestFormatTokensMatchesHclwrite and FuzzFormatTokens compare it
// with hclwrite on every golden module and on arbitrary source.
func fileBytes(f *hclwrite.File) []byte {
	toks := f.BuildTokens(nil)
	formatTokens(toks)
	size := 0
	for _, t := range toks {
		size += t.SpacesBefore + len(t.Bytes)
	}
	var b bytes.Buffer
	b.Grow(size)
	toks.WriteTo(&b) //nolint:errcheck // a bytes.Buffer does not fail
	return b.Bytes()
}

// formatTokens sets the spaces before each of toks, in place, as
// hclwrite's formatter does (the unexported format of hcl/v2 hclwrite,
// format.go, which (*hclwrite.File).Bytes, hclwrite.Format and terraform
// fmt apply): the same three passes over the same lines and cells, with
// the same rules. What it computes depends only on the tokens' types and
// bytes: every token's SpacesBefore is set (but that of the end-of-file
// token), whatever it was. TestFormatTokensMatchesHclwrite and
// FuzzFormatTokens compare it with hclwrite on every golden module and on
// arbitrary source.
func formatTokens(toks hclwrite.Tokens) {
	lines := formatLines(toks)
	formatIndents(lines)
	formatSpacing(lines)
	alignCells(lines)
}

// fmtLine is one line of tokens split into up to three cells, as hclwrite
// splits it: lead (everything, or what comes before the others), assign
// (from an attribute's '=' to the end of its value, when the value ends
// on this line) and comment (a single-line comment after other tokens).
type fmtLine struct {
	lead, assign, comment hclwrite.Tokens
}

func formatLines(toks hclwrite.Tokens) []fmtLine {
	if len(toks) == 0 {
		return nil
	}
	n := 1
	for _, t := range toks {
		if endsLine(t) {
			n++
		}
	}
	lines := make([]fmtLine, n)
	li, start := 0, 0
	for i, t := range toks {
		if t.Type == hclsyntax.TokenEOF {
			// The end-of-file token is part of no line (hclwrite then
			// takes what follows it into the line, below, as it does).
			lines[li].lead = toks[start:i]
			break
		}
		if endsLine(t) {
			lines[li].lead = toks[start : i+1]
			start = i + 1
			li++
		}
	}
	if start < len(toks) {
		lines[li].lead = toks[start:]
		if last := lines[li].lead[len(lines[li].lead)-1]; last.Type == hclsyntax.TokenEOF {
			lines[li].lead = lines[li].lead[:len(lines[li].lead)-1]
		}
	}
	for i := range lines {
		l := &lines[i]
		if len(l.lead) == 0 {
			continue
		}
		if len(l.lead) > 1 && l.lead[len(l.lead)-1].Type == hclsyntax.TokenComment {
			l.comment = l.lead[len(l.lead)-1:]
			l.lead = l.lead[:len(l.lead)-1]
		}
		for j, t := range l.lead {
			if j == 0 || t.Type != hclsyntax.TokenEqual {
				continue
			}
			// An assignment cell only when the value closes every
			// bracket it opens on this line.
			net := 0
			for _, u := range l.lead[j:] {
				net += bracketChange(u)
			}
			if net == 0 {
				l.assign = l.lead[j:]
				l.lead = l.lead[:j]
			}
			break
		}
	}
	return lines
}

// endsLine reports a newline, or a single-line comment (which holds its
// newline).
func endsLine(t *hclwrite.Token) bool {
	switch t.Type {
	case hclsyntax.TokenNewline:
		return true
	case hclsyntax.TokenComment:
		return len(t.Bytes) > 0 && t.Bytes[len(t.Bytes)-1] == '\n'
	}
	return false
}

func bracketChange(t *hclwrite.Token) int {
	switch t.Type {
	case hclsyntax.TokenOBrace, hclsyntax.TokenOBrack, hclsyntax.TokenOParen, hclsyntax.TokenTemplateControl, hclsyntax.TokenTemplateInterp:
		return 1
	case hclsyntax.TokenCBrace, hclsyntax.TokenCBrack, hclsyntax.TokenCParen, hclsyntax.TokenTemplateSeqEnd:
		return -1
	}
	return 0
}

// formatIndents indents each line by two spaces per open bracket level:
// a line opening more brackets than it closes pushes one level (holding
// how many it opened), a line closing more pops the levels those close.
func formatIndents(lines []fmtLine) {
	levels := make([]int, 0, 10)
	for i := range lines {
		l := &lines[i]
		if len(l.lead) == 0 {
			continue
		}
		if l.lead[0].Type == hclsyntax.TokenNewline {
			l.lead[0].SpacesBefore = 0
			continue
		}
		net := 0
		for _, t := range l.lead {
			net += bracketChange(t)
			if t.Type == hclsyntax.TokenOHeredoc {
				break
			}
		}
		for _, t := range l.assign {
			net += bracketChange(t)
		}
		switch {
		case net > 0:
			l.lead[0].SpacesBefore = 2 * len(levels)
			levels = append(levels, net)
		case net < 0:
			for closed := -net; closed > 0 && len(levels) > 0; {
				top := &levels[len(levels)-1]
				switch {
				case closed > *top:
					closed -= *top
					levels = levels[:len(levels)-1]
				case closed < *top:
					*top -= closed
					closed = 0
				default:
					levels = levels[:len(levels)-1]
					closed = 0
				}
			}
			l.lead[0].SpacesBefore = 2 * len(levels)
		default:
			l.lead[0].SpacesBefore = 2 * len(levels)
		}
	}
}

// noToken stands for the missing token before the first of a cell.
var noToken = &hclwrite.Token{Type: hclsyntax.TokenNil, Bytes: []byte{}}

// formatSpacing sets the spaces between the tokens of each cell (spaceAfter);
// the '=' that starts an assign cell gets one.
func formatSpacing(lines []fmtLine) {
	for _, l := range lines {
		spaceCell(l.lead)
		if len(l.assign) > 0 {
			l.assign[0].SpacesBefore = 1
			spaceCell(l.assign)
		}
	}
}

func spaceCell(cell hclwrite.Tokens) {
	for i := 0; i+1 < len(cell); i++ {
		before := noToken
		if i > 0 {
			before = cell[i-1]
		}
		if spaceAfter(cell[i], before, cell[i+1]) {
			cell[i+1].SpacesBefore = 1
		} else {
			cell[i+1].SpacesBefore = 0
		}
	}
}

// alignCells aligns the '=' of consecutive lines with an assign cell one
// space after the longest lead, then the comments of consecutive lines
// with a comment cell one space after the longest lead and assign.
func alignCells(lines []fmtLine) {
	align(lines, func(l *fmtLine) hclwrite.Tokens { return l.assign }, func(l *fmtLine) int { return columns(l.lead) })
	align(lines, func(l *fmtLine) hclwrite.Tokens { return l.comment }, func(l *fmtLine) int { return columns(l.lead) + columns(l.assign) })
}

// align sets the spaces before the cell of each run of consecutive lines
// that have it to one more than the widest of the run minus the line's
// own width.
func align(lines []fmtLine, cell func(*fmtLine) hclwrite.Tokens, width func(*fmtLine) int) {
	start, widest := -1, 0
	closeRun := func(end int) {
		for i := start; i < end; i++ {
			cell(&lines[i])[0].SpacesBefore = widest - width(&lines[i]) + 1
		}
		start, widest = -1, 0
	}
	for i := range lines {
		if cell(&lines[i]) == nil {
			if start != -1 {
				closeRun(i)
			}
			continue
		}
		if start == -1 {
			start = i
		}
		widest = max(widest, width(&lines[i]))
	}
	if start != -1 {
		closeRun(len(lines))
	}
}

// columns is hclwrite.Tokens.Columns: the spaces before each token (one
// column each) plus its grapheme clusters. Every byte of ASCII text is a
// cluster of its own, but CR LF, which is one (Unicode Standard Annex
// #29, rule GB3); anything else is counted by hclwrite itself.
func columns(toks hclwrite.Tokens) int {
	n := 0
	for _, t := range toks {
		n += t.SpacesBefore
		ascii := true
		for _, c := range t.Bytes {
			if c >= 0x80 || c == '\r' {
				ascii = false
				break
			}
		}
		if ascii {
			n += len(t.Bytes)
		} else {
			n += hclwrite.Tokens{{Type: t.Type, Bytes: t.Bytes}}.Columns()
		}
	}
	return n
}

// spaceAfter reports whether one space goes between subject and after
// (before is the token before subject, noToken at the start of a cell):
// hclwrite's rules (format.go, spaceAfterToken), in its order.
func spaceAfter(subject, before, after *hclwrite.Token) bool {
	switch {
	case after.Type == hclsyntax.TokenNewline || after.Type == hclsyntax.TokenNil:
		return false
	case subject.Type == hclsyntax.TokenIdent && after.Type == hclsyntax.TokenOParen:
		// a function call: name(
		return false
	case subject.Type == hclsyntax.TokenIdent && after.Type == hclsyntax.TokenDoubleColon,
		subject.Type == hclsyntax.TokenDoubleColon && after.Type == hclsyntax.TokenIdent:
		// a namespaced function name: provider::name::fn
		return false
	case subject.Type == hclsyntax.TokenDot || after.Type == hclsyntax.TokenDot:
		return false
	case after.Type == hclsyntax.TokenComma || after.Type == hclsyntax.TokenEllipsis:
		return false
	case subject.Type == hclsyntax.TokenComma:
		return true
	case subject.Type == hclsyntax.TokenQuotedLit || subject.Type == hclsyntax.TokenStringLit ||
		subject.Type == hclsyntax.TokenOQuote || subject.Type == hclsyntax.TokenOHeredoc ||
		after.Type == hclsyntax.TokenQuotedLit || after.Type == hclsyntax.TokenStringLit ||
		after.Type == hclsyntax.TokenCQuote || after.Type == hclsyntax.TokenCHeredoc:
		// inside a template
		return false
	case subject.Type == hclsyntax.TokenIdent && string(subject.Bytes) == "in" && before.Type == hclsyntax.TokenIdent:
		// the keyword of a for expression: [for x in [a]: x]
		return true
	case after.Type == hclsyntax.TokenOBrack && (subject.Type == hclsyntax.TokenIdent || subject.Type == hclsyntax.TokenNumberLit || bracketChange(subject) < 0):
		// an index: a[0], f(x)[0]
		return false
	case subject.Type == hclsyntax.TokenBang:
		return false
	case subject.Type == hclsyntax.TokenMinus:
		// A negation (no space) unless the token before can end an
		// operand (a subtraction).
		switch before.Type {
		case hclsyntax.TokenNil,
			hclsyntax.TokenOParen, hclsyntax.TokenOBrace, hclsyntax.TokenOBrack, hclsyntax.TokenEqual, hclsyntax.TokenColon, hclsyntax.TokenComma, hclsyntax.TokenQuestion,
			hclsyntax.TokenPlus, hclsyntax.TokenStar, hclsyntax.TokenSlash, hclsyntax.TokenPercent, hclsyntax.TokenMinus,
			hclsyntax.TokenEqualOp, hclsyntax.TokenNotEqual, hclsyntax.TokenGreaterThan, hclsyntax.TokenGreaterThanEq, hclsyntax.TokenLessThan, hclsyntax.TokenLessThanEq,
			hclsyntax.TokenAnd, hclsyntax.TokenOr, hclsyntax.TokenBang:
			return false
		}
		return true
	case subject.Type == hclsyntax.TokenOBrace || after.Type == hclsyntax.TokenCBrace:
		// Braces have a space inside ({ a = b }), but {} has none.
		return !(subject.Type == hclsyntax.TokenOBrace && after.Type == hclsyntax.TokenCBrace)
	case (subject.Type == hclsyntax.TokenTemplateInterp || subject.Type == hclsyntax.TokenTemplateControl) && after.Type == hclsyntax.TokenOBrace:
		return true
	case subject.Type == hclsyntax.TokenCBrace && after.Type == hclsyntax.TokenTemplateSeqEnd:
		return true
	case subject.Type == hclsyntax.TokenTemplateSeqEnd && (after.Type == hclsyntax.TokenTemplateInterp || after.Type == hclsyntax.TokenTemplateControl):
		return false
	case bracketChange(subject) > 0:
		return false
	case bracketChange(after) < 0:
		return false
	}
	return true
}
