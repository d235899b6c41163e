package docs

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/wigen-dev/wigen/generate/output"
	"github.com/wigen-dev/wigen/schema"
)

// azureCLI holds the Azure CLI commands that create an environment's
// Azure side (the user-assigned managed identity, its federated identity
// credentials and role assignments) when the terraform target is not
// rendered and nothing in the output creates them. Every command carries
// the environment's names and values; none holds a placeholder. Commands
// are in `sh` syntax, one flag group per line, lines but the last ending
// in " \".
type azureCLI struct {
	// What names what the commands create, as prose; "" when nothing is
	// left to create (another environment's module creates the
	// credentials, the identity exists, no role).
	What string
	// CreateIdentity is `az identity create`; "" for an existing identity.
	CreateIdentity string
	// IssuerNotes say how to set an issuer variable wigen cannot compute
	// a command for (a remote state of another cluster).
	IssuerNotes []string
	// Credentials sets the issuer variables (`az aks show ... --query
	// oidcIssuerProfile.issuerUrl`), then creates each federated identity
	// credential, in order; "" when another environment's Terraform module
	// creates them.
	Credentials string
	// Roles reads the identity's principal ID, then creates each role
	// assignment; "" with no role.
	Roles string
	// ClientID prints the identity's client ID.
	ClientID string
}

// command joins flag groups into one command, continued with " \" and
// indented by two spaces after the first line.
func command(groups ...string) string {
	var lines []string
	for _, g := range groups {
		if g != "" {
			lines = append(lines, g)
		}
	}
	for i := range lines {
		if i > 0 {
			lines[i] = "  " + lines[i]
		}
		if i < len(lines)-1 {
			lines[i] += " \\"
		}
	}
	return strings.Join(lines, "\n")
}

// flag is "--name value" with value quoted for sh, or "" when value is "".
func flag(name, value string) string {
	if value == "" {
		return ""
	}
	return "--" + name + " " + output.ShellQuote(value)
}

// aksIssuerCommand prints the OIDC issuer of an AKS cluster (Azure CLI
// `az aks show`, field oidcIssuerProfile.issuerUrl) in subscription, the
// cluster's (cluster.subscriptionId, by default the environment's): the
// Terraform module reads the cluster with the azurerm provider
// configuration of that subscription, and az would otherwise look in the
// signed-in account's default one.
func aksIssuerCommand(c *schema.Cluster, subscription string) string {
	return "az aks show " + strings.Join(nonEmpty(flag("name", c.Name), flag("resource-group", c.ResourceGroup), flag("subscription", subscription)), " ") +
		" --query oidcIssuerProfile.issuerUrl --output tsv"
}

// issuerCompareCommand compares url with the OIDC issuer cluster c
// reports, in subscription, and prints "same" or "different": exactly, as
// Microsoft Entra compares a federated identity credential's issuer. Without
// cluster.resourceGroup it looks the cluster up by name in the subscription
// (`az aks list`, a JMESPath filter; an AKS cluster name holds no quote).
func issuerCompareCommand(c *schema.Cluster, subscription, url string) string {
	show := aksIssuerCommand(c, subscription)
	if c.ResourceGroup == "" {
		show = "az aks list " + strings.Join(nonEmpty(flag("subscription", subscription)), " ") +
			` --query "[?name=='` + c.Name + `'].oidcIssuerProfile.issuerUrl" --output tsv`
	}
	return `test "$(` + show + `)" = ` + output.ShellQuote(url) + " && echo same || echo different"
}

// identityFlags name e's identity for `az identity` commands.
func identityFlags(e *schema.Environment, nameFlag string) string {
	return strings.Join(nonEmpty(flag(nameFlag, e.Identity.Name), flag("resource-group", e.IdentityResourceGroup()), flag("subscription", e.SubscriptionID)), " ")
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// azureCommands returns the Azure CLI commands that create e's identity
// (unless identity.existing), its federated identity credentials (when
// credentials is true: no other environment's Terraform module creates
// them) and its role assignments.
//
// Credentials are created one after another: Azure rejects concurrent
// writes of federated identity credentials under one identity with HTTP
// 409 (facts.md; terraform-provider-azurerm#19968), and a shell runs the
// lines of a block in order, each after the one before has returned. The
// audience is api://AzureADTokenExchange and the subject
// system:serviceaccount:<namespace>:<service account> (Microsoft Entra,
// federated identity credentials for Kubernetes). Role assignments name the
// identity's principal ID with --assignee-principal-type ServicePrincipal,
// which avoids the failure of an assignment made while a new identity's
// service principal replicates (Microsoft Learn, Azure RBAC: "Create a role
// assignment for a new service principal"), as the Terraform module's
// principal_type does.
func azureCommands(e *schema.Environment, credentials bool) *azureCLI {
	a := &azureCLI{}
	if !e.Identity.Existing {
		a.CreateIdentity = command("az identity create "+strings.Join(nonEmpty(flag("name", e.Identity.Name), flag("resource-group", e.IdentityResourceGroup())), " "),
			strings.Join(nonEmpty(flag("location", e.Location), flag("subscription", e.SubscriptionID)), " "))
	}

	var setup, creates []string
	clusterVar := ""
	fcs := e.FederatedCredentials()
	if !credentials {
		fcs = nil
	}
	for i, fc := range fcs {
		is := fc.Issuer
		var issuer string
		switch {
		case is.URL != "":
			issuer = output.ShellQuote(is.URL)
		case e.Cluster != nil && e.Cluster.ResourceGroup != "" && (is.FromCluster || (is.RemoteState != nil && fc.Federation == "")):
			// fromCluster reads the environment's own cluster; a remote
			// state of the environment's own cluster holds that cluster's
			// issuer too, which az aks show prints.
			if clusterVar == "" {
				clusterVar = "issuer"
				setup = append(setup, clusterVar+"=$("+aksIssuerCommand(e.Cluster, e.ClusterSubscriptionID())+")")
			}
			issuer = `"$` + clusterVar + `"`
		default:
			v := "issuer_" + strconv.Itoa(i+1)
			issuer = `"$` + v + `"`
			what := "the issuer of " + code(fc.Name)
			if is.RemoteState != nil {
				a.IssuerNotes = append(a.IssuerNotes, fmt.Sprintf("Set `%s` to %s first: output %s of the Terraform state (backend %s) it comes from, which `terraform output -raw %s` prints where that state is managed.",
					v, what, code(is.RemoteState.Output), code(is.RemoteState.Backend), is.RemoteState.Output))
			} else {
				a.IssuerNotes = append(a.IssuerNotes, fmt.Sprintf("Set `%s` to %s first.", v, what))
			}
		}
		creates = append(creates, command(
			"az identity federated-credential create "+flag("name", fc.Name),
			strings.Join(nonEmpty(flag("identity-name", e.Identity.Name), flag("resource-group", e.IdentityResourceGroup())), " "),
			flag("subscription", e.SubscriptionID),
			"--issuer "+issuer,
			flag("subject", fc.Subject),
			flag("audiences", schema.Audience)))
	}
	a.Credentials = strings.Join(append(setup, creates...), "\n")

	if len(e.Roles) > 0 {
		lines := []string{"principal_id=$(az identity show " + identityFlags(e, "name") + " --query principalId --output tsv)"}
		for _, r := range e.Roles {
			role := azRole(r, e.SubscriptionID)
			lines = append(lines, command(
				`az role assignment create --assignee-object-id "$principal_id" --assignee-principal-type ServicePrincipal`,
				flag("role", role),
				flag("scope", r.Scope)))
		}
		a.Roles = strings.Join(lines, "\n")
	}
	a.ClientID = "az identity show " + identityFlags(e, "name") + " --query clientId --output tsv"
	a.What = cliWhat(e, credentials)
	return a
}

// cliWhat names what azureCommands creates for e: the identity unless it
// exists, its federated identity credentials when credentials is true,
// its role assignments.
func cliWhat(e *schema.Environment, credentials bool) string {
	n := len(e.FederatedCredentials())
	var parts []string
	if !e.Identity.Existing {
		parts = append(parts, "the user-assigned managed identity")
	}
	if credentials {
		c := "federated identity credential" + plural(n, "", "s")
		if e.Identity.Existing {
			parts = append(parts, "the "+c)
		} else {
			parts = append(parts, "its "+c)
		}
	}
	if len(e.Roles) > 0 {
		parts = append(parts, "the role assignment"+plural(len(e.Roles), "", "s"))
	}
	if len(parts) == 0 {
		return ""
	}
	what := andList(parts)
	if e.Identity.Existing {
		what += " on the existing identity " + code(e.Identity.Name)
	}
	return what
}

// azRole is the --role of `az role assignment create` for r: the built-in
// role's name, a role definition ID under /subscriptions/ as given, and
// the GUID of any other role definition ID (az takes a name, a GUID, or an
// ID matching /subscriptions/.+/providers/Microsoft.Authorization/roleDefinitions/;
// azure-cli, role/custom.py _resolve_role_id).
func azRole(r schema.Role, subscriptionID string) string {
	id := r.RoleDefinitionID(subscriptionID)
	switch {
	case id == "":
		return r.Role
	case strings.HasPrefix(strings.ToLower(id), "/subscriptions/"):
		return id
	}
	return id[strings.LastIndex(id, "/")+1:]
}
