package docs

import (
	"strings"
	"testing"

	"github.com/wigen-dev/wigen/schema"
)

// rolesSpec is adoptReadmeSpec without adopt, with the client ID (so the
// role check is rendered) and spec.roles set to ROLES.
var rolesSpec = strings.NewReplacer(
	"CHART\n", "",
	"ADOPT", "",
	"  environments:\n", "  roles: ROLES\n  environments:\n",
	"        name: id-app\n", "        name: id-app\n        clientId: 33333333-3333-3333-3333-333333333333\n",
).Replace(adoptReadmeSpec)

// The environment README's role check expects what is assigned on the
// account, not Cognitive Services OpenAI User whatever the input says;
// with only roles that do not allow inference, it says so (and validate
// warns).
func TestReadmeRoleExpectations(t *testing.T) {
	const acct = "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/aoai"
	for _, tc := range []struct {
		name, roles string
		want        string // the Expect line of the role check
		warns       string // a part of a validation warning, or ""
	}{
		{"default", "[{role: Cognitive Services OpenAI User}]",
			"Expect role `Cognitive Services OpenAI User`.", ""},
		{"only a custom role", "[{role: 0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0}]",
			"Expect the role with definition ID `0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0` (listed under its name).", ""},
		{"only Reader", "[{role: Reader}]",
			"Expect role `Reader`; no such role allows inference, so calls get 401 until a data-plane role such as `Cognitive Services OpenAI User` is assigned (wigen validate warns about this).",
			`its identity "id-app" holds only "Reader" on this Azure OpenAI account`},
		{"a role on the resource group", "[{role: Cognitive Services User, scope: /subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-ai}]",
			"Expect role `Cognitive Services User`.", ""},
		{"roles elsewhere only", "[{role: Cognitive Services OpenAI User, scope: /subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-other}]",
			"Expect no role on the account", `no role of its identity "id-app" is on this Azure OpenAI account`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := schema.LoadBytes("wigen.yaml", []byte(strings.Replace(rolesSpec, "ROLES", tc.roles, 1)))
			if err != nil {
				t.Fatal(err)
			}
			warned := ""
			for _, w := range s.Warnings {
				warned += w.String() + "\n"
			}
			if tc.warns == "" && warned != "" || !strings.Contains(warned, tc.warns) {
				t.Errorf("warnings %q, want %q", warned, tc.warns)
			}
			files, err := Render(s)
			if err != nil {
				t.Fatal(err)
			}
			var readme string
			for _, f := range files {
				if f.Path == EnvironmentReadme("prod") {
					readme = string(f.Data)
				}
			}
			i := strings.Index(readme, "az role assignment list --assignee")
			if i < 0 {
				t.Fatalf("no role check in the README:\n%s", readme)
			}
			check := readme[i:]
			if !strings.Contains(check, "--scope "+acct) {
				t.Errorf("role check does not name the account:\n%s", check[:200])
			}
			if !strings.Contains(check, tc.want) {
				t.Errorf("role check:\n%s\nwant %q", check[:min(len(check), 600)], tc.want)
			}
			if strings.Contains(tc.roles, "scope: /subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-ai}") != strings.Contains(check[:300], "--include-inherited") {
				t.Errorf("--include-inherited: want it exactly for a role above the account:\n%s", check[:300])
			}
		})
	}
}
