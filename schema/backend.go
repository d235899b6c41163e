// Terraform backends: the backend types of Terraform 1.x, no credential
// in backend or remote-state config (wigen's output is committed), and a
// state of its own for every environment when several share a backend
// (Terraform documentation, "Backend Configuration").

package schema

import (
	"slices"
	"sort"
	"strings"
)

// onePerEnvironment checks that a backend shared by several environments
// still gives each its own state: wigen sets key (azurerm, s3) or prefix
// (gcs) per environment, and the local backend keeps the state in each
// module's folder unless a path is given. Any other backend, or one of
// those arguments written in the input, would put every environment in
// one state, and applying one would plan against the others' resources.
func (v *validator) onePerEnvironment(b *Backend) {
	p := "spec.terraform.backend"
	probe := Environment{Name: "<environment>"}
	if arg, val := BackendStateArgument(&Spec{Metadata: Metadata{Name: "<metadata.name>"}}, &probe, b.Type); arg != "" {
		if _, ok := b.Config[arg]; ok {
			v.errorf(p+".config."+arg, "would put every environment in the same state; leave it out and wigen writes %s = %s for each", arg, Quote(val))
		}
		return
	}
	switch b.Type {
	case "local":
		if _, ok := b.Config["path"]; ok {
			v.errorf(p+".config.path", "would put every environment in the same state file; leave it out and each module keeps its terraform.tfstate in its own folder")
		}
	case "":
	default:
		v.errorf(p+".type", "%s cannot give each of several environments its own state through wigen (it sets key for azurerm and s3, prefix for gcs); use one of those, or one wigen.yaml per environment", Quote(b.Type))
	}
}

// terraformBackends are the backend types of Terraform 1.x (Terraform
// documentation, "Backend Configuration").
var terraformBackends = []string{"azurerm", "consul", "cos", "gcs", "http", "kubernetes", "local", "oss", "pg", "remote", "s3"}

func (v *validator) backendType(t, p string) {
	if t == "" || slices.Contains(terraformBackends, t) {
		return
	}
	if s := suggest(t, terraformBackends); s != "" {
		v.errorf(p, "%s is not a Terraform backend; did you mean %s?", Quote(t), Quote(s))
		return
	}
	v.errorf(p, "%s is not a Terraform backend: %s", Quote(t), strings.Join(terraformBackends, ", "))
}

// backendSecrets are backend arguments that hold credentials. Written into
// wigen's output they would be committed; Terraform reads each of them
// from the environment too (ARM_ACCESS_KEY, AWS_SECRET_ACCESS_KEY, ...) or
// from `terraform init -backend-config`.
var backendSecrets = []string{"access_key", "sas_token", "client_secret", "client_certificate_password", "client_certificate", "secret_key", "token", "password", "credentials", "oidc_token", "msi_endpoint_token", "conn_str"}

func (v *validator) noSecrets(m map[string]any, p, file string) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if slices.Contains(backendSecrets, k) {
			v.errorf(joinKey(p, k), "is a credential, and wigen's %s is committed; give it to Terraform through the backend's environment variable or terraform init -backend-config instead", file)
		}
	}
}
