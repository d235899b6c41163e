package schema

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestLabel(t *testing.T) {
	for in, want := range map[string]string{
		"aks-green":                      "aks_green",
		"AKS_Blue":                       "aks_blue",
		"1aks":                           "_1aks",
		"Cognitive Services OpenAI User": "cognitive_services_openai_user",
		"Reader (custom) v2.0":           "reader_custom_v2_0",
		"--":                             "_",
	} {
		if got := TerraformLabel(in); got != want {
			t.Errorf("TerraformLabel(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"Cognitive Services OpenAI User":       "cognitive_services_openai_user",
		"2A2B9908-6ea1-4ae2-8e65-a410df84e7d1": "role_2a2b9908",
		"/subscriptions/11111111-1111-1111-1111-111111111111/providers/Microsoft.Authorization/roleDefinitions/5e0bd9bd-7b93-4f28-af87-19fc36ad61bd": "role_5e0bd9bd",
		"/providers/Microsoft.Authorization/roleDefinitions/5e0bd9bd-7b93-4f28-af87-19fc36ad61bd":                                                    "role_5e0bd9bd",
	} {
		if got := roleLabel(in); got != want {
			t.Errorf("roleLabel(%q) = %q, want %q", in, got, want)
		}
	}
	if diff := cmp.Diff([]string{"a", "b", "a_2", "a_2_2", "a_3"}, UniqueLabels([]string{"a", "b", "a", "a_2", "a"})); diff != "" {
		t.Errorf("UniqueLabels (-want +got):\n%s", diff)
	}
}
