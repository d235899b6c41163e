package terraform

import (
	"testing"

	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"
)

// TestStrMatchesTokensForValue: str gives the tokens hclwrite.TokensForValue
// gives a cty string (type, bytes, spacing), on the fast path and off it:
// quotes, escapes, template introducers, control and non-ASCII characters,
// text that NFC changes.
func TestStrMatchesTokensForValue(t *testing.T) {
	for _, s := range []string{"", "a", "open-webui", "Cognitive Services OpenAI User", "https://aoai.openai.azure.com", "/subscriptions/x/resourceGroups/y",
		"~> 4.30", ">= 1.7.0", "a b", " ", "!#&'()*+,-./:;<=>?@[]^_`{|}~", `"`, `\`, "$", "${x}", "$x", "%{x}", "%", "50%", "\n", "\t", "\x00", "\x7f", "é", "e\u0301", "中", "\U0001F600"} {
		want := hclwrite.TokensForValue(cty.StringVal(s))
		got := str(s)
		if len(got) != len(want) {
			t.Errorf("str(%q): %d tokens, TokensForValue %d", s, len(got), len(want))
			continue
		}
		for i := range got {
			if got[i].Type != want[i].Type || string(got[i].Bytes) != string(want[i].Bytes) || got[i].SpacesBefore != want[i].SpacesBefore {
				t.Errorf("str(%q) token %d: %+v, TokensForValue %+v", s, i, *got[i], *want[i])
			}
		}
		if a, b := string(got.Bytes()), string(want.Bytes()); a != b {
			t.Errorf("str(%q) writes %q, TokensForValue %q", s, a, b)
		}
	}
}
