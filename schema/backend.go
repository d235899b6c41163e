// Terraform backends: the backend types of Terraform 1.x, no secret in
// backend or remote-state config (wigen's output is committed; the
// secrets of each backend are read from its configuration schema in
// Terraform's source), and a state of its own for every environment when
// several share a backend (Terraform documentation, "Backend
// Configuration").

package schema

import (
	"encoding/json"
	"fmt"
	"net/url"
	"path"
	"slices"
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

// validateBackend checks a backend at field path p
// (spec.terraform.backend, or an environment's terraform.backend): a
// Terraform backend type, HCL argument names, no secret in its config.
func (v *validator) validateBackend(b *Backend, p string) {
	v.backendType(b.Type, p+".type")
	v.validateHCLKeys(b.Config, p+".config", true)
	v.noSecrets(b.Type, b.Config, p+".config", "versions.tf")
	v.unknownBackendArguments(b.Type, b.Config, p+".config")
	if b.Type == "local" {
		v.localStatePaths(b.Config, p+".config")
	}
}

// localStatePaths checks the local backend's path and workspace_dir, which
// Terraform resolves from the module's folder: an absolute path differs
// from machine to machine and lies outside the repository, and one that
// climbs out of the folder ("..") can land on another module's state (the
// default terraform.tfstate beside it), where two modules would plan
// against each other's resources.
func (v *validator) localStatePaths(cfg map[string]any, p string) {
	for _, k := range []string{"path", "workspace_dir"} {
		s, ok := cfg[k].(string)
		if !ok {
			continue
		}
		slash := strings.ReplaceAll(s, "\\", "/")
		switch {
		case path.IsAbs(slash) || len(slash) > 1 && slash[1] == ':':
			v.errorf(p+"."+k, "%s is an absolute path: it differs from machine to machine and lies outside the repository; give a path inside the module's folder, or leave it out (terraform.tfstate in the module's folder)", Quote(s))
		case path.Clean(slash) == ".." || strings.HasPrefix(path.Clean(slash), "../"):
			v.errorf(p+"."+k, "%s leaves the module's folder, where it can name another module's state; give a path inside the module's folder, or leave it out (terraform.tfstate in the module's folder)", Quote(s))
		}
	}
}

// sharingSpecBackend counts the environments whose module takes
// spec.terraform.backend: those setting no terraform.backend of their own
// (nor inheriting one from spec.defaults).
func (v *validator) sharingSpecBackend() int {
	n := 0
	for i := range v.s.Spec.Environments {
		if e := &v.s.Spec.Environments[i]; e.Terraform == nil || e.Terraform.Backend == nil {
			n++
		}
	}
	return n
}

// validateEnvironmentBackends checks each environment's own
// terraform.backend as spec.terraform.backend is checked, then that no two
// modules rendering Terraform end up in the same state: two backends of
// one type with the same config, once wigen's per-environment key (or
// prefix) is filled in where it is left out. The local backend without a
// path keeps each state in its module's folder.
func (v *validator) validateEnvironmentBackends() {
	s := v.s
	seen := map[string]int{}
	for i := range s.Spec.Environments {
		e := &s.Spec.Environments[i]
		p := fmt.Sprintf("spec.environments[%d].terraform.backend", i)
		own := e.Terraform != nil && e.Terraform.Backend != nil
		if own {
			v.validateBackend(e.Terraform.Backend, p)
		}
		b := s.BackendFor(e)
		if b == nil || !e.HasTarget(TargetTerraform) || e.Name == "" {
			continue
		}
		key, arg := backendStateKey(s, e, b)
		if key == "" {
			continue
		}
		if j, dup := seen[key]; dup && (own || s.Spec.Environments[j].Terraform.Backend != nil) {
			where := p
			if !own {
				where = fmt.Sprintf("spec.environments[%d].terraform.backend", j)
			}
			how := "give it a state of its own"
			if arg != "" {
				how = fmt.Sprintf("leave config.%s out (wigen writes one per environment) or give it another value", arg)
			}
			v.errorf(where, "puts the Terraform state of environment %s in the same state as environment %s (same backend type and config); %s", Quote(e.Name), Quote(s.Spec.Environments[j].Name), how)
			continue
		}
		seen[key] = i
	}
}

// backendStateKey identifies the state e's module keeps with backend b:
// its type and config, with the argument naming each environment's state
// (BackendStateArgument, returned as arg) filled in when left out; "" for
// the local backend without a path, a state in the module's own folder.
func backendStateKey(s *Spec, e *Environment, b *Backend) (key, arg string) {
	cfg := s.BackendConfig(e)
	arg, _ = BackendStateArgument(s, e, b.Type)
	if _, ok := cfg["path"]; b.Type == "local" && !ok {
		return "", ""
	}
	data, err := json.Marshal(cfg)
	if err != nil {
		return "", ""
	}
	return b.Type + " " + string(data), arg
}

// terraformBackends are the backend types of Terraform 1.x: those
// internal/backend/init/init.go registers in hashicorp/terraform v1.15.9
// (oci from 1.12), but inmem (for tests) and cloud (the cloud block).
var terraformBackends = []string{"azurerm", "consul", "cos", "gcs", "http", "kubernetes", "local", "oci", "oss", "pg", "remote", "s3"}

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

// backendSchemaSource is where backendSecrets was read: the configuration
// schema of each backend in Terraform's own source, at this release.
const backendSchemaSource = "hashicorp/terraform v1.15.9"

// backendSecret is an argument of a backend's configuration that carries
// a secret, a token, a key, a password or a certificate. wigen's output is
// committed, so such an argument is refused in spec.terraform.backend.config
// (versions.tf) and in an issuer's remoteState.config (main.tf).
type backendSecret struct {
	// Arg is the argument's name; "block.arg" for one inside a nested
	// block (s3's assume_role_with_web_identity).
	Arg string
	// Instead is where the backend reads the value from when the argument
	// is left out: an environment variable, or an argument naming a file.
	Instead string
	// Holds, when set, refuses only the values it reports true for: an
	// argument that carries a secret only in some forms (a URL with a
	// password, a key given as its contents rather than a file's path).
	Holds func(v any) bool
}

// backendSchema is the source file of one backend type's configuration
// schema, and the secrets it declares.
type backendSchema struct {
	// File is the schema's file in hashicorp/terraform at backendSchemaSource.
	File    string
	Secrets []backendSecret
}

// backendSecrets lists, for every backend type wigen accepts
// (terraformBackends), each attribute of the backend's configuration schema
// that carries a secret, token, key, password or certificate, read from
// the file named, with the environment variable or file argument the
// backend takes instead (its EnvVars/SDKLikeDefaults, DefaultFunc or
// GetAttrEnvDefault in the same file, or the SDK it configures).
// Attributes that only name a key (s3 kms_key_id, gcs kms_encryption_key,
// oci sse_customer_key_sha256), or a file holding one (*_path,
// *_file_path, consul key_file), are not secrets and stay allowed.
// Every backend type must have an entry, even an empty one
// (TestBackendSecretsCoverEveryBackend).
var backendSecrets = map[string]backendSchema{
	"azurerm": {File: "internal/backend/remote-state/azure/backend.go", Secrets: []backendSecret{
		{Arg: "access_key", Instead: "the ARM_ACCESS_KEY environment variable"},
		{Arg: "client_certificate", Instead: "client_certificate_path (the file), or the ARM_CLIENT_CERTIFICATE environment variable"},
		{Arg: "client_certificate_password", Instead: "the ARM_CLIENT_CERTIFICATE_PASSWORD environment variable"},
		{Arg: "client_secret", Instead: "client_secret_file_path (the file), or the ARM_CLIENT_SECRET environment variable"},
		{Arg: "oidc_request_token", Instead: "the ARM_OIDC_REQUEST_TOKEN environment variable (GitHub Actions and Azure Pipelines set ACTIONS_ID_TOKEN_REQUEST_TOKEN and SYSTEM_ACCESSTOKEN, which it reads too)"},
		{Arg: "oidc_token", Instead: "oidc_token_file_path (the file), or the ARM_OIDC_TOKEN environment variable"},
		{Arg: "sas_token", Instead: "the ARM_SAS_TOKEN environment variable"},
	}},
	"consul": {File: "internal/backend/remote-state/consul/backend.go", Secrets: []backendSecret{
		{Arg: "access_token", Instead: "the CONSUL_HTTP_TOKEN environment variable"},
		{Arg: "http_auth", Instead: "the CONSUL_HTTP_AUTH environment variable (username:password)"},
	}},
	"cos": {File: "internal/backend/remote-state/cos/backend.go", Secrets: []backendSecret{
		{Arg: "secret_id", Instead: "the TENCENTCLOUD_SECRET_ID environment variable"},
		{Arg: "secret_key", Instead: "the TENCENTCLOUD_SECRET_KEY environment variable"},
		{Arg: "security_token", Instead: "the TENCENTCLOUD_SECURITY_TOKEN environment variable"},
	}},
	"gcs": {File: "internal/backend/remote-state/gcs/backend.go", Secrets: []backendSecret{
		{Arg: "access_token", Instead: "the GOOGLE_OAUTH_ACCESS_TOKEN environment variable"},
		{Arg: "credentials", Instead: "the path of the key file here, or the GOOGLE_BACKEND_CREDENTIALS (or GOOGLE_CREDENTIALS) environment variable", Holds: holdsJSON},
		{Arg: "encryption_key", Instead: "the GOOGLE_ENCRYPTION_KEY environment variable"},
	}},
	"http": {File: "internal/backend/remote-state/http/backend.go", Secrets: []backendSecret{
		{Arg: "address", Instead: "the TF_HTTP_USERNAME and TF_HTTP_PASSWORD environment variables, with the address written without them", Holds: holdsURLPassword},
		{Arg: "client_ca_certificate_pem", Instead: "the TF_HTTP_CLIENT_CA_CERTIFICATE_PEM environment variable"},
		{Arg: "client_certificate_pem", Instead: "the TF_HTTP_CLIENT_CERTIFICATE_PEM environment variable"},
		{Arg: "client_private_key_pem", Instead: "the TF_HTTP_CLIENT_PRIVATE_KEY_PEM environment variable"},
		{Arg: "lock_address", Instead: "the TF_HTTP_USERNAME and TF_HTTP_PASSWORD environment variables, with the address written without them", Holds: holdsURLPassword},
		{Arg: "password", Instead: "the TF_HTTP_PASSWORD environment variable"},
		{Arg: "unlock_address", Instead: "the TF_HTTP_USERNAME and TF_HTTP_PASSWORD environment variables, with the address written without them", Holds: holdsURLPassword},
	}},
	"kubernetes": {File: "internal/backend/remote-state/kubernetes/backend.go", Secrets: []backendSecret{
		{Arg: "client_certificate", Instead: "a kubeconfig (config_path), or the KUBE_CLIENT_CERT_DATA environment variable"},
		{Arg: "client_key", Instead: "a kubeconfig (config_path), or the KUBE_CLIENT_KEY_DATA environment variable"},
		{Arg: "cluster_ca_certificate", Instead: "a kubeconfig (config_path), or the KUBE_CLUSTER_CA_CERT_DATA environment variable"},
		{Arg: "password", Instead: "a kubeconfig (config_path), or the KUBE_PASSWORD environment variable"},
		{Arg: "token", Instead: "a kubeconfig (config_path), or the KUBE_TOKEN environment variable"},
	}},
	"local": {File: "internal/backend/local/backend.go"}, // path and workspace_dir only
	"oci": {File: "internal/backend/remote-state/oci/backend.go", Secrets: []backendSecret{
		{Arg: "private_key", Instead: "private_key_path (the file), or the OCI_private_key environment variable"},
		{Arg: "private_key_password", Instead: "the OCI_private_key_password environment variable"},
		{Arg: "sse_customer_key", Instead: "the OCI_sse_customer_key environment variable"},
	}},
	"oss": {File: "internal/backend/remote-state/oss/backend.go", Secrets: []backendSecret{
		{Arg: "access_key", Instead: "the ALICLOUD_ACCESS_KEY environment variable"},
		{Arg: "secret_key", Instead: "the ALICLOUD_SECRET_KEY environment variable"},
		{Arg: "security_token", Instead: "the ALICLOUD_SECURITY_TOKEN environment variable"},
	}},
	"pg": {File: "internal/backend/remote-state/pg/backend.go", Secrets: []backendSecret{
		{Arg: "conn_str", Instead: "the PG_CONN_STR environment variable, or the connection string without its password and the password in PGPASSWORD or ~/.pgpass (libpq)", Holds: holdsConnPassword},
	}},
	"remote": {File: "internal/backend/remote/backend.go", Secrets: []backendSecret{
		{Arg: "token", Instead: "the credentials terraform login stores, or the TF_TOKEN_<hostname> environment variable"},
	}},
	"s3": {File: "internal/backend/remote-state/s3/backend.go", Secrets: []backendSecret{
		{Arg: "access_key", Instead: "the AWS_ACCESS_KEY_ID environment variable, or a profile (shared credentials file)"},
		{Arg: "assume_role_with_web_identity.web_identity_token", Instead: "web_identity_token_file (the file), or the AWS_WEB_IDENTITY_TOKEN_FILE environment variable"},
		{Arg: "secret_key", Instead: "the AWS_SECRET_ACCESS_KEY environment variable, or a profile (shared credentials file)"},
		{Arg: "sse_customer_key", Instead: "the AWS_SSE_CUSTOMER_KEY environment variable"},
		{Arg: "token", Instead: "the AWS_SESSION_TOKEN environment variable, or a profile (shared credentials file)"},
	}},
}

// holdsJSON reports whether a gcs credentials value is the key itself (a
// JSON document) rather than the path of its file.
func holdsJSON(v any) bool {
	s, ok := v.(string)
	return !ok || strings.HasPrefix(strings.TrimSpace(s), "{")
}

// holdsURLPassword reports whether a URL carries a password
// (https://user:password@host/...).
func holdsURLPassword(v any) bool {
	s, ok := v.(string)
	if !ok {
		return false
	}
	u, err := url.Parse(s)
	if err != nil {
		return strings.Contains(s, "@")
	}
	_, has := u.User.Password()
	return has
}

// holdsConnPassword reports whether a Postgres connection string carries a
// password: in the URL (postgres://user:password@host/db), or as a
// password= keyword or query parameter (libpq connection strings).
func holdsConnPassword(v any) bool {
	s, ok := v.(string)
	if !ok {
		return false
	}
	if holdsURLPassword(s) {
		return true
	}
	return connPasswordRE.MatchString(s)
}

var connPasswordRE = lazyRE(`(?i)(^|[\s?&])password\s*=`)

// noSecrets refuses the arguments of m (a backend's config of backend
// type typ, at field path p, rendered into file) that backendSecrets
// lists for that type.
func (v *validator) noSecrets(typ string, m map[string]any, p, file string) {
	for _, sec := range backendSecrets[typ].Secrets {
		path := strings.Split(sec.Arg, ".")
		val, ok := lookupPath(m, path)
		if !ok || (sec.Holds != nil && !sec.Holds(val)) {
			continue
		}
		fp := p
		cur := m
		for _, k := range path {
			for written := range cur {
				if strings.EqualFold(written, k) {
					k = written
					break
				}
			}
			fp = joinKey(fp, k)
			cur, _ = cur[k].(map[string]any)
		}
		also := ""
		if file == "versions.tf" {
			also = ", or terraform init -backend-config=FILE with a file you do not commit"
		}
		v.errorf(fp, "carries a secret, and wigen's %s is committed: leave it out; the %s backend reads it from %s%s", file, typ, sec.Instead, also)
	}
}

// lookupPath returns the value at path in nested maps (a nested block is a
// mapping; a list of blocks, each of its mappings).
//
// Names are compared without case: Terraform refuses Access_Key as an
// unsupported argument, but only after the secret in it is committed.
func lookupPath(m map[string]any, path []string) (any, bool) {
	var val any
	ok := false
	for k, v := range m {
		if strings.EqualFold(k, path[0]) {
			val, ok = v, true
			break
		}
	}
	if !ok || len(path) == 1 {
		return val, ok
	}
	switch t := val.(type) {
	case map[string]any:
		return lookupPath(t, path[1:])
	case []any:
		for _, item := range t {
			if im, isMap := item.(map[string]any); isMap {
				if x, found := lookupPath(im, path[1:]); found {
					return x, true
				}
			}
		}
	}
	return nil, false
}
