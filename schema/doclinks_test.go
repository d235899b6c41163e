package schema

import (
	"fmt"
	"os"
	"path"
	"regexp"
	"strings"
	"testing"
)

// userDocs are the markdown files of user documentation: the README and the
// reference it links to (the same list TestExamplesValidate
// reads).
var userDocs = []string{
	"README.md",
	"schema/README.md",
	"cmd/wigen/internal/disk/README.md",
	"cmd/wigen/internal/lint/README.md",
	"golden/README.md",
}

// TestDocLinksResolve checks every relative link of the user docs: the file
// it names exists in the repository, and its #fragment, when it has one,
// is the anchor of a heading of that file (GitHub's rule: lower case,
// punctuation but '-' and '_' dropped, spaces to '-').
func TestDocLinksResolve(t *testing.T) {
	link := regexp.MustCompile(`\]\(([^)\s]+)\)`)
	for _, doc := range userDocs {
		text, err := os.ReadFile("../" + doc)
		if err != nil {
			t.Errorf("%s: %v", doc, err)
			continue
		}
		for _, m := range link.FindAllSubmatch(text, -1) {
			target := string(m[1])
			if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			file, frag, _ := strings.Cut(target, "#")
			name := doc
			if file != "" {
				name = path.Join(path.Dir(doc), file)
			}
			data, err := os.ReadFile("../" + name)
			if err != nil {
				if fi, serr := os.Stat("../" + name); serr == nil && fi.IsDir() && frag == "" {
					continue
				}
				t.Errorf("%s: link %q: %s does not exist", doc, target, name)
				continue
			}
			if frag != "" && !anchors(data)[frag] {
				t.Errorf("%s: link %q: %s has no heading with anchor #%s", doc, target, name, frag)
			}
		}
	}
}

// anchors returns the heading anchors GitHub gives a markdown file.
func anchors(md []byte) map[string]bool {
	out := map[string]bool{}
	inCode := false
	for line := range strings.SplitSeq(string(md), "\n") {
		if strings.HasPrefix(line, "```") {
			inCode = !inCode
		}
		if inCode || !strings.HasPrefix(line, "#") {
			continue
		}
		h := strings.TrimSpace(strings.TrimLeft(line, "#"))
		var b strings.Builder
		for _, r := range strings.ToLower(h) {
			switch {
			case r == ' ':
				b.WriteRune('-')
			case r == '-' || r == '_' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 127:
				b.WriteRune(r)
			}
		}
		base := b.String()
		a := base
		for n := 1; out[a]; n++ {
			a = fmt.Sprintf("%s-%d", base, n)
		}
		out[a] = true
	}
	return out
}
