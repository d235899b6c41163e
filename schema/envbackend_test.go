package schema

import (
	"strings"
	"testing"
)

// backendEnvs is validDoc with a second environment, staging, before prod.
func backendEnvs(t *testing.T, specTF, stagingTF, prodTF string) string {
	t.Helper()
	staging := "    - name: staging\n      subscriptionId: 11111111-1111-1111-1111-111111111111\n      location: westeurope\n      resourceGroup: rg-app-staging\n      namespace: open-webui\n      serviceAccount: open-webui\n      identity:\n        name: id-app-staging\n" + stagingTF +
		"      cluster:\n        name: aks-staging\n        resourceGroup: rg-aks\n        issuer:\n          fromCluster: true\n"
	return edit(t, "spec:\n", "spec:\n"+specTF, "  environments:\n", "  environments:\n"+staging, "      identity:\n        name: id-app\n", "      identity:\n        name: id-app\n"+prodTF)
}

const prodBackend = "      terraform:\n        backend:\n          type: azurerm\n          config:\n            resource_group_name: rg-tfstate-prod\n            storage_account_name: sttfstateprod\n            container_name: tfstate\n"

// An environment's terraform.backend replaces spec.terraform.backend for
// its module only.
func TestEnvironmentBackend(t *testing.T) {
	spec := "  terraform:\n    backend: {type: azurerm, config: {resource_group_name: rg-tfstate, storage_account_name: sttfstate, container_name: tfstate}}\n"
	s := mustLoad(t, backendEnvs(t, spec, "", prodBackend))
	staging, prod := &s.Spec.Environments[0], &s.Spec.Environments[1]
	if b := s.BackendFor(staging); b != s.Spec.Terraform.Backend || s.BackendField(staging) != "spec.terraform.backend" {
		t.Errorf("staging: backend %+v at %s, want spec.terraform.backend's", b, s.BackendField(staging))
	}
	if b := s.BackendFor(prod); b == nil || b.Config["storage_account_name"] != "sttfstateprod" || s.BackendField(prod) != "spec.environments[1].terraform.backend" {
		t.Errorf("prod: backend %+v at %s, want its own", b, s.BackendField(prod))
	}
}

// An environment's backend is validated as spec.terraform.backend is,
// at its own line, and two modules never share one state.
func TestEnvironmentBackendRefused(t *testing.T) {
	for _, tt := range []struct {
		name, doc, want string
	}{
		{"secret", backendEnvs(t, "", "", strings.Replace(prodBackend, "container_name: tfstate\n", "container_name: tfstate\n            access_key: s3cr3t\n", 1)),
			"wigen.yaml:42:25: spec.environments[1].terraform.backend.config.access_key: carries a secret, and wigen's versions.tf is committed: leave it out; the azurerm backend reads it from the ARM_ACCESS_KEY environment variable, or terraform init -backend-config=FILE with a file you do not commit"},
		{"unknown type", backendEnvs(t, "", "", strings.Replace(prodBackend, "type: azurerm", "type: azure", 1)),
			"wigen.yaml:37:17: spec.environments[1].terraform.backend.type: \"azure\" is not a Terraform backend; did you mean \"azurerm\"?"},
		{"same state as another environment", backendEnvs(t, "", strings.Replace(prodBackend, "container_name: tfstate\n", "container_name: tfstate\n            key: shared.tfstate\n", 1), strings.Replace(prodBackend, "container_name: tfstate\n", "container_name: tfstate\n            key: shared.tfstate\n", 1)),
			"spec.environments[1].terraform.backend: puts the Terraform state of environment \"prod\" in the same state as environment \"staging\" (same backend type and config); leave config.key out (wigen writes one per environment) or give it another value"},
		{"an environment's key is another's default", backendEnvs(t, "  terraform:\n    backend: {type: azurerm, config: {resource_group_name: rg-tfstate-prod, storage_account_name: sttfstateprod, container_name: tfstate}}\n", "",
			strings.Replace(prodBackend, "container_name: tfstate\n", "container_name: tfstate\n            key: open-webui-staging.tfstate\n", 1)),
			"spec.environments[1].terraform.backend: puts the Terraform state of environment \"prod\" in the same state as environment \"staging\""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := strings.Join(diagnostics(t, tt.doc), "\n")
			if !strings.Contains(got, tt.want) {
				t.Errorf("diagnostics:\n%s\nwant a line with:\n%s\n\n%s", got, tt.want, tt.doc)
			}
		})
	}
}

// A backend wigen cannot give one state per environment (http) is fine in
// spec.terraform.backend when every other environment has its own: only
// one module takes it.
func TestEnvironmentBackendLeavesSpecBackendToOne(t *testing.T) {
	doc := backendEnvs(t, "  terraform:\n    backend: {type: http, config: {address: \"https://state.example.com/staging\"}}\n", "", prodBackend)
	if got := diagnostics(t, doc); len(got) != 0 {
		t.Errorf("diagnostics: %q", got)
	}
	doc = backendEnvs(t, "  terraform:\n    backend: {type: http, config: {address: \"https://state.example.com/staging\"}}\n", "", "")
	if got := strings.Join(diagnostics(t, doc), "\n"); !strings.Contains(got, "spec.terraform.backend.type: \"http\" cannot give each of several environments its own state") {
		t.Errorf("two environments on one http backend: %s", got)
	}
}
