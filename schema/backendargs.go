// The arguments each Terraform backend takes: an argument a backend does
// not have passes validation here and stops `terraform init` ("Unsupported
// argument", "Blocks of type ... are not expected here"), so it is
// refused at its line instead. The lists are the top-level attributes
// (and nested blocks: kubernetes exec, remote workspaces) of each
// backend's ConfigSchema in hashicorp/terraform v1.15.9, the version the
// secret arguments (backend.go, backendSecrets) are taken from; the file
// is named beside each. The cos, oss and oci backends declare theirs
// through constants or the legacy schema helper and are not listed: any
// argument passes for them, as before.

package schema

import (
	"slices"
)

// backendArguments maps a backend type to the arguments its configuration
// takes (sorted).
var backendArguments = map[string][]string{
	"azurerm": { // internal/backend/remote-state/azure/backend.go
		"access_key", "ado_pipeline_service_connection_id", "client_certificate",
		"client_certificate_password", "client_certificate_path", "client_id", "client_id_file_path",
		"client_secret", "client_secret_file_path", "container_name", "endpoint", "environment", "key",
		"lookup_blob_endpoint", "metadata_host", "msi_endpoint", "oidc_request_token",
		"oidc_request_url", "oidc_token", "oidc_token_file_path", "resource_group_name", "sas_token",
		"snapshot", "storage_account_name", "subscription_id", "tenant_id", "use_aks_workload_identity",
		"use_azuread_auth", "use_cli", "use_msi", "use_oidc",
	},
	"consul": { // internal/backend/remote-state/consul/backend.go
		"access_token", "address", "ca_file", "cert_file", "datacenter", "gzip", "http_auth", "key_file",
		"lock", "path", "scheme",
	},
	"gcs": { // internal/backend/remote-state/gcs/backend.go
		"access_token", "bucket", "credentials", "encryption_key", "impersonate_service_account",
		"impersonate_service_account_delegates", "kms_encryption_key", "prefix",
		"storage_custom_endpoint",
	},
	"http": { // internal/backend/remote-state/http/backend.go
		"address", "client_ca_certificate_pem", "client_certificate_pem", "client_private_key_pem",
		"lock_address", "lock_method", "password", "retry_max", "retry_wait_max", "retry_wait_min",
		"skip_cert_verification", "unlock_address", "unlock_method", "update_method", "username",
	},
	"kubernetes": { // internal/backend/remote-state/kubernetes/backend.go
		"client_certificate", "client_key", "cluster_ca_certificate", "config_context",
		"config_context_auth_info", "config_context_cluster", "config_path", "config_paths", "exec",
		"host", "in_cluster_config", "insecure", "labels", "load_config_file", "namespace", "password",
		"proxy_url", "secret_suffix", "token", "username",
	},
	"local": { // internal/backend/local/backend.go
		"path", "workspace_dir",
	},
	"pg": { // internal/backend/remote-state/pg/backend.go
		"conn_str", "schema_name", "skip_index_creation", "skip_schema_creation", "skip_table_creation",
	},
	"remote": { // internal/backend/remote/backend.go
		"hostname", "organization", "token", "workspaces",
	},
	"s3": { // internal/backend/remote-state/s3/backend.go
		"access_key", "acl", "allowed_account_ids", "assume_role", "assume_role_with_web_identity",
		"bucket", "custom_ca_bundle", "dynamodb_endpoint", "dynamodb_table",
		"ec2_metadata_service_endpoint", "ec2_metadata_service_endpoint_mode", "encrypt", "endpoint",
		"endpoints", "forbidden_account_ids", "force_path_style", "http_proxy", "https_proxy",
		"iam_endpoint", "insecure", "key", "kms_key_id", "max_retries", "no_proxy", "profile", "region",
		"retry_mode", "secret_key", "shared_config_files", "shared_credentials_file",
		"shared_credentials_files", "skip_credentials_validation", "skip_metadata_api_check",
		"skip_region_validation", "skip_requesting_account_id", "skip_s3_checksum", "sse_customer_key",
		"sts_endpoint", "sts_region", "token", "use_dualstack_endpoint", "use_fips_endpoint",
		"use_lockfile", "use_path_style", "workspace_key_prefix",
	},
}

// unknownBackendArguments refuses the arguments of cfg (at p) that backend
// typ does not take, with the closest one it does take.
func (v *validator) unknownBackendArguments(typ string, cfg map[string]any, p string) {
	args, ok := backendArguments[typ]
	if !ok {
		return
	}
	for _, k := range sortedKeys(cfg) {
		if _, found := slices.BinarySearch(args, k); found || !hclIdentRE.MatchString(k) {
			continue // taken, or refused as no argument name (validateHCLKeys)
		}
		hint := ""
		if s := suggest(k, args); s != "" {
			hint = "; did you mean " + Quote(s) + "?"
		}
		v.errorf(joinKey(p, k), "is not an argument of the %s backend (Terraform v1.15.9), so terraform init would refuse it%s", typ, hint)
	}
}
