package docs

import (
	"strings"

	"github.com/wigen-dev/wigen/generate/helm"
	"github.com/wigen-dev/wigen/generate/output"
	"github.com/wigen-dev/wigen/schema"
)

// clientIDCommand prints the client ID of e's user-assigned managed
// identity, run from the output root: the client_id output of e's
// Terraform root module (generate/terraform, outputs) when e renders
// Terraform, else `az identity show --query clientId`.
func clientIDCommand(e *schema.Environment) string {
	if e.HasTarget(schema.TargetTerraform) {
		return "terraform -chdir=" + output.ShellQuote(helm.TerraformDir(e.Name)) + " output -raw client_id"
	}
	return "az identity show " + identityFlags(e, "name") + " --query clientId --output tsv"
}

// clientIDWord is the client ID of e's identity as one sh word, run from
// the output root: the literal identity.clientId when the input sets it,
// else the command substitution of clientIDCommand.
func clientIDWord(e *schema.Environment) string {
	if helm.HasClientID(e) {
		return output.ShellQuote(e.Identity.ClientID)
	}
	return `"$(` + clientIDCommand(e) + `)"`
}

// checksumCommand prints the checksum/workload-identity value of e's pod
// template followed by "  -": the SHA-256, in hex, of the lowercase client
// ID, a newline and the lowercase tenant ID, with no final newline, the
// very bytes schema.WorkloadIdentityChecksum hashes (printf '%s\n%s' writes
// them; sha256sum is GNU coreutils', `shasum -a 256` on macOS prints the
// same).
func checksumCommand(e *schema.Environment) string {
	client := output.ShellQuote(strings.ToLower(e.Identity.ClientID))
	if !helm.HasClientID(e) {
		client = `"$(` + clientIDCommand(e) + ` | tr '[:upper:]' '[:lower:]')"`
	}
	return `printf '%s\n%s' ` + client + " " + output.ShellQuote(strings.ToLower(e.TenantID)) + " | sha256sum"
}

// clientIDLater says, for an identity whose client ID the input does not
// set, when and how to read it: after `terraform apply` from e's module,
// else with the Azure CLI (once the identity exists).
func clientIDLater(e *schema.Environment) string {
	switch {
	case e.HasTarget(schema.TargetTerraform):
		return "after `terraform apply`: " + code(clientIDCommand(e))
	case e.Identity != nil && e.Identity.Existing:
		return code(clientIDCommand(e)) + " prints it"
	}
	return "once the identity exists: " + code(clientIDCommand(e))
}
