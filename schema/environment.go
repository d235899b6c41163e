// One environment's own fields: subscription and tenant, resource group,
// namespace, service account, identity, location, cluster and kubeconfig,
// additional federations and the federated identity credential names and
// subjects they derive (Microsoft Entra, federated identity credential
// considerations). Rules across environments are in identities.go.

package schema

import (
	"fmt"
	"strings"

	"github.com/wigen-dev/wigen/generate/output"
)

func (v *validator) validateEnvironment(e *Environment, p string) {
	if e.Name != "" {
		if msg := dns1123Label(e.Name, 63); msg != "" {
			v.errorf(p+".name", "%s is not a valid environment name (it names output folders): %s", Quote(e.Name), msg)
		} else if msg := WindowsName(e.Name); msg != "" {
			v.errorf(p+".name", "%s names output folders, and %s", Quote(e.Name), msg)
		}
	}
	required := func(val, field, what string) bool {
		if val == "" {
			v.errorf(p+"."+field, "is required: %s; set it here or in spec.defaults", what)
			return false
		}
		return true
	}
	if required(e.SubscriptionID, "subscriptionId", "the Azure subscription GUID of the identity") {
		v.guid(e.SubscriptionID, p+".subscriptionId", "subscription ID")
	}
	if e.TenantID != "" {
		v.guid(e.TenantID, p+".tenantId", "tenant ID")
	}
	if required(e.ResourceGroup, "resourceGroup", "the resource group of the identity") {
		v.resourceGroup(e.ResourceGroup, p+".resourceGroup")
	}
	if required(e.Namespace, "namespace", "the Kubernetes namespace of the app") {
		v.namespace(e.Namespace, p+".namespace")
		v.appNamespace(e, p+".namespace")
	}
	if required(e.ServiceAccount, "serviceAccount", "the service account the pods run as") {
		v.serviceAccount(e.ServiceAccount, p+".serviceAccount")
		v.appServiceAccount(e.ServiceAccount, p+".serviceAccount")
	}
	if e.Identity == nil {
		required("", "identity", "the user-assigned managed identity (name, and existing: true for one made elsewhere)")
	} else {
		v.validateIdentity(e, p+".identity")
	}
	if e.Location == "" && (e.Identity == nil || !e.Identity.Existing) {
		required("", "location", "the Azure region of the identity wigen creates, e.g. westeurope")
	} else if e.Location != "" && !locationRE.MatchString(e.Location) {
		v.errorf(p+".location", "%s is not an Azure region name, e.g. westeurope", Quote(e.Location))
	}
	if e.Cluster == nil {
		required("", "cluster", "the AKS cluster (name and issuer)")
	} else {
		v.validateCluster(e, p+".cluster")
	}
	for i, f := range e.AdditionalFederations {
		fp := fmt.Sprintf("%s.additionalFederations[%d]", p, i)
		if f.Name != "" && !clusterNameRE.MatchString(f.Name) {
			v.errorf(fp+".name", "%s is not a valid federation name: letters, digits, '_' and '-', starting with a letter or digit, at most 63 characters", Quote(f.Name))
		}
		v.validateIssuer(&f.Issuer, fp+".issuer")
		if v.written(fp + ".namespace") {
			v.namespace(f.Namespace, fp+".namespace")
		}
		if v.written(fp + ".serviceAccount") {
			v.serviceAccount(f.ServiceAccount, fp+".serviceAccount")
			if f.ServiceAccount == defaultServiceAccount {
				v.warnf(fp+".serviceAccount", "%s is the service account of every pod in namespace %s that names none: all of them get the identity; federate a service account of the workload's own", Quote(f.ServiceAccount), Quote(f.Namespace))
			}
		}
	}
	for i, fc := range e.FederatedCredentials() {
		fp := credentialNamePath(p, i, fc.Named)
		if fc.Named {
			// A name given keeps an existing credential as it is.
			if !credentialNameRE.MatchString(fc.Name) {
				v.errorf(fp, "%s is not a valid federated identity credential name: 3 to 120 characters, letters, digits, '_' and '-', starting with a letter or digit", Quote(fc.Name))
			}
		}
		if e.Cluster == nil || e.Cluster.Name == "" || e.Namespace == "" || e.ServiceAccount == "" {
			break // reported on their own
		}
		if !fc.Named && !credentialNameRE.MatchString(fc.Name) {
			v.errorf(fp, "derives federated identity credential name %s, which is not valid: 3 to 120 characters, letters, digits, '_' and '-', starting with a letter or digit", Quote(fc.Name))
		}
		if len(fc.Subject) > 600 {
			v.errorf(fp, "derives subject %s, longer than the 600 characters a federated identity credential allows", Quote(fc.Subject))
		}
	}
	if e.AzureOpenAI == nil {
		required("", "azureOpenAI", "the Azure OpenAI account (accountId, endpoint, deployments), or a list of them")
	} else {
		v.validateAccounts(e.AzureOpenAI, p+".azureOpenAI")
	}
	v.validateRoles(e, p)
	if e.Chart != nil {
		v.validateChartValues(e.Chart.Values, p+".chart.values")
	}
}

// credentialNamePath is the field that names credential i of the
// environment at p (FederatedCredentials order): the name given
// (cluster.federatedCredentialName, additionalFederations[].credentialName),
// else the name it is derived from (cluster.name, additionalFederations[].name).
func credentialNamePath(p string, i int, named bool) string {
	switch {
	case i == 0 && named:
		return p + ".cluster.federatedCredentialName"
	case i == 0:
		return p + ".cluster.name"
	case named:
		return fmt.Sprintf("%s.additionalFederations[%d].credentialName", p, i-1)
	}
	return fmt.Sprintf("%s.additionalFederations[%d].name", p, i-1)
}

var (
	locationRE    = lazyRE(`^[A-Za-z][A-Za-z0-9 ]{1,63}$`)
	kubeContextRE = lazyRE(`^\S(.*\S)?$`)
)

func (v *validator) validateIdentity(e *Environment, p string) {
	id := e.Identity
	if id.Name == "" {
		v.errorf(p+".name", "is required: the name of the user-assigned managed identity")
	} else if !identityNameRE.MatchString(id.Name) {
		v.errorf(p+".name", "%s is not a valid user-assigned managed identity name: 3 to 128 characters, letters, digits, '_' and '-', starting with a letter or digit", Quote(id.Name))
	}
	if v.written(p+".resourceGroup") && id.ResourceGroup != "" {
		v.resourceGroup(id.ResourceGroup, p+".resourceGroup")
	}
	if id.ClientID != "" {
		v.guid(id.ClientID, p+".clientId", "client ID")
		// A client ID is the identity's own GUID, never the tenant's or
		// the subscription's (Microsoft Entra: each identity's service
		// principal has its own application (client) ID); one of those
		// pasted here gives the pods no token.
		for _, other := range []struct{ id, field string }{{e.TenantID, "tenantId"}, {e.SubscriptionID, "subscriptionId"}} {
			if other.id != "" && strings.EqualFold(id.ClientID, other.id) {
				v.errorf(p+".clientId", "is the environment's %s; the client ID is the identity's own: `terraform output -raw client_id` in this environment's module, or az identity show --name %s --resource-group %s --query clientId -o tsv, prints it", other.field, output.ShellQuote(id.Name), output.ShellQuote(e.IdentityResourceGroup()))
				break
			}
		}
	}
}

func (v *validator) validateCluster(e *Environment, p string) {
	c := e.Cluster
	if c.Name == "" {
		v.errorf(p+".name", "is required: the name of the AKS cluster")
	} else if !clusterNameRE.MatchString(c.Name) {
		v.errorf(p+".name", "%s is not a valid AKS cluster name: 1 to 63 characters, letters, digits, '_' and '-', starting and ending with a letter or digit", Quote(c.Name))
	}
	if c.ResourceGroup != "" {
		v.resourceGroup(c.ResourceGroup, p+".resourceGroup")
	}
	if v.written(p+".subscriptionId") && c.SubscriptionID != "" {
		v.guid(c.SubscriptionID, p+".subscriptionId", "subscription ID of the cluster")
	}
	v.validateIssuer(&c.Issuer, p+".issuer")
	if c.ResourceGroup == "" && usesFromCluster(e) {
		v.errorf(p+".resourceGroup", "is required with issuer.fromCluster: wigen reads the cluster's issuer with data \"azurerm_kubernetes_cluster\", which needs the cluster's resource group")
	}
	// Checked where written: the defaults (~/.kube/config, the cluster's
	// name) are right by construction, or reported on their own.
	if k := c.Kubeconfig; k != nil {
		if v.written(p+".kubeconfig.path") && !kubeContextRE.MatchString(k.Path) {
			v.errorf(p+".kubeconfig.path", "%s is not a file path", Quote(k.Path))
		}
		if v.written(p+".kubeconfig.context") && !kubeContextRE.MatchString(k.Context) {
			v.errorf(p+".kubeconfig.context", "%s is not a kubeconfig context name", Quote(k.Context))
		}
	}
}

// usesFromCluster reports whether any issuer of e, its cluster's or an
// additional federation's, is read from e's cluster.
func usesFromCluster(e *Environment) bool {
	if e.Cluster != nil && e.Cluster.Issuer.FromCluster {
		return true
	}
	for _, f := range e.AdditionalFederations {
		if f.Issuer.FromCluster {
			return true
		}
	}
	return false
}
