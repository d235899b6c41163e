package docs

import (
	"strings"

	"github.com/wigen-dev/wigen/generate/helm"
	"github.com/wigen-dev/wigen/schema"
)

// contextNote says which kubeconfig context the README's kubectl and helm
// commands name, and the az aks get-credentials command that writes it;
// "" when wigen does not know the cluster.
func contextNote(e *schema.Environment) string {
	c := e.Cluster
	if helm.KubeContext(e) == "" {
		return ""
	}
	get := "az aks get-credentials " + strings.Join(nonEmpty(flag("name", c.Name), flag("resource-group", c.ResourceGroup), flag("subscription", e.ClusterSubscriptionID())), " ")
	note := "The `kubectl` and `helm` commands name the kubeconfig context " + code(c.Name) + ", the name "
	if c.ResourceGroup == "" {
		return note + "`az aks get-credentials --name " + c.Name + "` gives the cluster's context (with the cluster's `--resource-group`); with `--admin` it is " + code(c.Name+"-admin") + ", and a context of another name must be renamed or the flag changed."
	}
	return note + code(get) + " writes; with `--admin` it is " + code(c.Name+"-admin") + ", and a context of another name must be renamed or the flag changed."
}
