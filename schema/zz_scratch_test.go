package schema

import "testing"

func TestScratch(t *testing.T) {
	for _, d := range diagnostics(t, edit(t, "spec:\n", "spec:\n  terraform:\n    backend:\n      type: azurerm\n      config: {storage_account_name: st, n: null, nested: {a: null}, list: [x, null]}\n")) {
		t.Log(d)
	}
}
