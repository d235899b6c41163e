// The Azure OpenAI account of an environment: accountId is a
// Microsoft.CognitiveServices account resource ID, endpoint is the
// account's https endpoint without /openai (Open WebUI adds it), apiVersion
// and deployment names (Azure connections cannot list models). Sources:
// facts.md "Open WebUI application" and "Names".

package schema

import (
	"fmt"
	"net/url"
	"strings"
)

func (v *validator) validateAzureOpenAI(a *AzureOpenAI, p string) {
	if a.AccountID == "" {
		v.errorf(p+".accountId", "is required: the resource ID of the Azure OpenAI account")
	} else if msg := v.checkResourceID(a.AccountID); msg != "" {
		v.errorf(p+".accountId", "%s; put the account's resource ID here: az cognitiveservices account show -n <name> -g <resource group> --query id -o tsv", msg)
	} else if !cognitiveAccountRE.MatchString(a.AccountID) {
		v.errorf(p+".accountId", "%s is not an Azure OpenAI account: expected /subscriptions/<guid>/resourceGroups/<group>/providers/Microsoft.CognitiveServices/accounts/<name>", Quote(a.AccountID))
	}
	if a.Endpoint == "" {
		v.errorf(p+".endpoint", "is required: the account endpoint, e.g. https://<name>.openai.azure.com")
	} else if ph := placeholder(a.Endpoint); ph != "" {
		v.errorf(p+".endpoint", "%s looks like a placeholder (%s); put the account endpoint here, e.g. https://my-account.openai.azure.com", Quote(a.Endpoint), ph)
	} else if u, err := url.Parse(a.Endpoint); err != nil || u.Scheme != "https" || u.Host == "" {
		v.errorf(p+".endpoint", "%s is not an https URL, e.g. https://my-account.openai.azure.com", Quote(a.Endpoint))
	} else if u.RawQuery != "" || u.Fragment != "" {
		v.errorf(p+".endpoint", "%s has a query or fragment; write the account endpoint alone (the API version goes in apiVersion)", Quote(a.Endpoint))
	} else if strings.HasSuffix(strings.TrimSuffix(u.Path, "/"), "/openai") {
		v.errorf(p+".endpoint", "%s ends in /openai; Open WebUI adds that itself: write %s", Quote(a.Endpoint), Quote(strings.TrimSuffix(strings.TrimSuffix(a.Endpoint, "/"), "/openai")))
	} else if i := strings.Index(u.Path, "/openai/"); i >= 0 {
		v.errorf(p+".endpoint", "%s is a URL inside the API; write the account endpoint without /openai/..., e.g. %s", Quote(a.Endpoint), Quote(u.Scheme+"://"+u.Host+u.Path[:i]))
	} else if acct := accountName(a.AccountID); acct != "" {
		// Standard endpoints name their account; a custom domain, private
		// endpoint or gateway does not, and is left alone.
		host := strings.ToLower(u.Hostname())
		for _, suffix := range []string{".openai.azure.com", ".cognitiveservices.azure.com"} {
			if name, ok := strings.CutSuffix(host, suffix); ok && !strings.Contains(name, ".") && name != strings.ToLower(acct) {
				v.warnf(p+".endpoint", "names account %s, but accountId names %s: the role is assigned on one account while the app calls the other", Quote(name), Quote(acct))
			}
		}
	}
	if !apiVersionRE.MatchString(a.APIVersion) {
		v.errorf(p+".apiVersion", "%s is not an Azure OpenAI API version: YYYY-MM-DD or YYYY-MM-DD-preview, e.g. 2024-10-21", Quote(a.APIVersion))
	}
	if len(a.Deployments) == 0 {
		v.errorf(p+".deployments", "lists no deployment; Azure OpenAI connections cannot list models, so name at least one deployment")
	}
	seen := map[string]bool{}
	for i, dep := range a.Deployments {
		dp := fmt.Sprintf("%s.deployments[%d]", p, i)
		switch {
		case !deploymentRE.MatchString(dep):
			v.errorf(dp, "%s is not an Azure OpenAI deployment name: 1 to 64 letters, digits, '.', '_' and '-'", Quote(dep))
		case seen[dep]:
			v.errorf(dp, "%s is listed twice", Quote(dep))
		}
		seen[dep] = true
	}
}

// accountName is the last segment of an Azure OpenAI account's resource ID.
func accountName(id string) string {
	if !cognitiveAccountRE.MatchString(id) || checkResourceID(id) != "" {
		return ""
	}
	return id[strings.LastIndex(id, "/")+1:]
}

var (
	apiVersionRE       = lazyRE(`^\d{4}-\d{2}-\d{2}(-preview)?$`)
	deploymentRE       = lazyRE(`^[A-Za-z0-9._-]{1,64}$`)
	cognitiveAccountRE = lazyRE(`(?i)^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft\.CognitiveServices/accounts/[^/]+$`)
)
