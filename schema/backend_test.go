package schema

import (
	"slices"
	"strings"
	"testing"
)

// Every backend type wigen accepts has an entry in backendSecrets, read
// from its schema file in Terraform's source: a type added to
// terraformBackends without one fails here.
func TestBackendSecretsCoverEveryBackend(t *testing.T) {
	for _, typ := range terraformBackends {
		b, ok := backendSecrets[typ]
		if !ok {
			t.Errorf("backend type %q has no entry in backendSecrets: read internal/backend/remote-state/%s/backend.go at %s and list every attribute carrying a secret, token, key, password or certificate", typ, typ, backendSchemaSource)
			continue
		}
		if !strings.HasPrefix(b.File, "internal/backend/") || !strings.HasSuffix(b.File, "/backend.go") {
			t.Errorf("%s: File %q is not a backend schema file of hashicorp/terraform", typ, b.File)
		}
		for _, sec := range b.Secrets {
			if sec.Arg == "" || sec.Instead == "" {
				t.Errorf("%s: secret %+v lacks its argument or what the backend reads instead", typ, sec)
			}
		}
	}
	for typ := range backendSecrets {
		if !slices.Contains(terraformBackends, typ) {
			t.Errorf("backendSecrets has %q, which is not in terraformBackends", typ)
		}
	}
}

// The secrets the issue found landing verbatim in versions.tf or main.tf,
// and more from the same schemas, are refused in backend.config and in
// remoteState.config alike, each saying what the backend reads instead.
func TestBackendSecrets(t *testing.T) {
	for _, tt := range []struct {
		typ, config, want string // want: a part of the message; "" for accepted
	}{
		{"azurerm", "{oidc_request_token: t}", "ARM_OIDC_REQUEST_TOKEN"},
		{"azurerm", "{oidc_token: t}", "oidc_token_file_path (the file), or the ARM_OIDC_TOKEN environment variable"},
		{"azurerm", "{oidc_token_file_path: /run/token}", ""},
		{"azurerm", "{client_secret: s}", "ARM_CLIENT_SECRET"},
		{"azurerm", "{client_certificate: MIIx}", "ARM_CLIENT_CERTIFICATE"},
		{"azurerm", "{client_certificate_path: c.pfx}", ""},
		{"azurerm", "{sas_token: s}", "ARM_SAS_TOKEN"},
		{"azurerm", "{Access_Key: s}", "ARM_ACCESS_KEY"},
		{"s3", "{assume_role_with_web_identity: [{web_identity_token: t}]}", "AWS_WEB_IDENTITY_TOKEN_FILE"},
		{"gcs", "{access_token: t}", "GOOGLE_OAUTH_ACCESS_TOKEN"},
		{"gcs", "{encryption_key: k}", "GOOGLE_ENCRYPTION_KEY"},
		{"gcs", "{kms_encryption_key: projects/p/locations/l/keyRings/r/cryptoKeys/k}", ""},
		{"gcs", `{credentials: "{\"type\": \"service_account\"}"}`, "GOOGLE_BACKEND_CREDENTIALS"},
		{"gcs", "{credentials: /secure/sa.json}", ""},
		{"consul", "{access_token: t}", "CONSUL_HTTP_TOKEN"},
		{"consul", "{http_auth: \"u:p\"}", "CONSUL_HTTP_AUTH"},
		{"consul", "{key_file: client.key}", ""},
		{"kubernetes", "{client_key: k}", "KUBE_CLIENT_KEY_DATA"},
		{"kubernetes", "{token: t}", "KUBE_TOKEN"},
		{"kubernetes", "{cluster_ca_certificate: c}", "KUBE_CLUSTER_CA_CERT_DATA"},
		{"http", "{client_private_key_pem: k}", "TF_HTTP_CLIENT_PRIVATE_KEY_PEM"},
		{"http", "{password: p}", "TF_HTTP_PASSWORD"},
		{"http", "{address: \"https://u:p@state.example.com/x\"}", "TF_HTTP_USERNAME and TF_HTTP_PASSWORD"},
		{"http", "{address: \"https://state.example.com/x\"}", ""},
		{"oss", "{security_token: t}", "ALICLOUD_SECURITY_TOKEN"},
		{"oss", "{secret_key: k}", "ALICLOUD_SECRET_KEY"},
		{"cos", "{security_token: t}", "TENCENTCLOUD_SECURITY_TOKEN"},
		{"cos", "{secret_key: k}", "TENCENTCLOUD_SECRET_KEY"},
		{"s3", "{secret_key: k}", "AWS_SECRET_ACCESS_KEY"},
		{"s3", "{token: t}", "AWS_SESSION_TOKEN"},
		{"s3", "{sse_customer_key: k}", "AWS_SSE_CUSTOMER_KEY"},
		{"s3", "{assume_role_with_web_identity: {role_arn: r, web_identity_token: t}}", "AWS_WEB_IDENTITY_TOKEN_FILE"},
		{"s3", "{kms_key_id: arn:aws:kms:x}", ""},
		{"oci", "{private_key: k}", "private_key_path"},
		{"pg", "{conn_str: \"postgres://u:secret@db/x\"}", "PGPASSWORD"},
		{"pg", "{conn_str: \"host=db user=u password=secret\"}", "PGPASSWORD"},
		{"pg", "{conn_str: \"postgres://u@db/x?sslmode=require\"}", ""},
		{"remote", "{organization: o, token: t}", "TF_TOKEN_<hostname>"},
	} {
		// In the backend (one environment, so no state-per-environment rule).
		backend := edit(t, "spec:\n", "spec:\n  terraform:\n    backend: {type: "+tt.typ+", config: "+tt.config+"}\n")
		// And as an issuer's remote state.
		remote := edit(t, "fromCluster: true\n", "remoteState: {backend: "+tt.typ+", config: "+tt.config+"}\n")
		for where, doc := range map[string]string{"versions.tf": backend, "main.tf": remote} {
			var got []string
			for _, d := range diagnostics(t, doc) {
				if strings.Contains(d, "carries a secret") {
					got = append(got, d)
				}
			}
			switch {
			case tt.want == "" && len(got) > 0:
				t.Errorf("%s %s (%s): refused: %v", tt.typ, tt.config, where, got)
			case tt.want != "" && (len(got) != 1 || !strings.Contains(got[0], tt.want) || !strings.Contains(got[0], "wigen's "+where+" is committed")):
				t.Errorf("%s %s (%s): got %q, want one secret refused, saying %q", tt.typ, tt.config, where, got, tt.want)
			}
		}
	}
}

// The secret rules hold for what issues 11 and 14 added around them: an
// Azure-only module (terraform.release: false, whose versions.tf still
// holds the backend), an additional federation's issuer read from remote
// state, an issuer given in spec.defaults, and an environment whose
// cluster lies in another subscription (its remote state is read the same
// way).
func TestBackendSecretsNewFields(t *testing.T) {
	for _, tt := range []struct{ name, doc, path string }{
		{"Azure-only module", edit(t, "spec:\n", "spec:\n  targets: [terraform, helm]\n  terraform:\n    release: false\n    backend: {type: gcs, config: {bucket: b, access_token: t}}\n"),
			"spec.terraform.backend.config.access_token"},
		{"additional federation's remote state", edit(t, "      cluster:\n", "      additionalFederations:\n        - name: blue\n          namespace: jobs\n          issuer:\n            remoteState: {backend: azurerm, config: {oidc_request_token: t}, output: oidc_issuer_url}\n      cluster:\n"),
			"spec.environments[0].additionalFederations[0].issuer.remoteState.config.oidc_request_token"},
		{"issuer in spec.defaults", edit(t, "        issuer:\n          fromCluster: true\n", "", "  environments:\n", "  defaults:\n    cluster:\n      issuer:\n        remoteState: {backend: kubernetes, config: {token: t}, output: issuer}\n  environments:\n"),
			"spec.defaults.cluster.issuer.remoteState.config.token"},
		{"cluster in another subscription", edit(t, "          fromCluster: true\n", "          remoteState: {backend: http, config: {password: p}, output: issuer}\n", "        resourceGroup: rg-aks\n", "        resourceGroup: rg-aks\n        subscriptionId: 99999999-9999-9999-9999-999999999999\n"),
			"spec.environments[0].cluster.issuer.remoteState.config.password"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, d := range diagnostics(t, tt.doc) {
				if strings.Contains(d, "carries a secret") {
					got = append(got, d)
				}
			}
			if len(got) != 1 || !strings.Contains(got[0], tt.path+":") {
				t.Errorf("secrets refused: %q, want one at %s", got, tt.path)
			}
		})
	}
}
