// The Azure OpenAI accounts of an environment, one Open WebUI connection
// each: accountId is a Microsoft.CognitiveServices account resource ID,
// endpoint the account's https endpoint without /openai (Open WebUI adds
// it), apiVersion and deployment names (Azure connections cannot list
// models), and an optional prefixId. Across the accounts of an environment:
// each account and each endpoint once, and every model ID the app offers
// once. Sources: facts.md "Open WebUI application" and "Names";
// open-webui/open-webui backend/open_webui/routers/openai.py (read at
// v0.6.x and main): get_all_models_responses names a model of a connection
// with prefix_id "<prefix_id>.<model id>", get_all_models keys the models
// of all connections by that ID (app.state.OPENAI_MODELS, so of two equal
// IDs only the later connection's model is reachable), and
// generate_chat_completion removes every "<prefix_id>." from the model ID
// (str.replace) before calling the deployment.

package schema

import (
	"fmt"
	"net/url"
	"strings"
	"time"
)

// accountPath is the field path of account i of the azureOpenAI field at
// p: p itself when it was written as one mapping, else p[i].
func (v *validator) accountPath(p string, i int) string {
	if v.d.single[p] {
		return p
	}
	return fmt.Sprintf("%s[%d]", p, i)
}

// validateAccounts checks the accounts of one environment, at p (its
// azureOpenAI field): each account, then the rules across them.
func (v *validator) validateAccounts(accounts AzureOpenAIAccounts, p string) {
	if len(accounts) == 0 {
		v.errorf(p, "lists no Azure OpenAI account; give at least one (accountId, endpoint, deployments)")
		return
	}
	type first struct {
		index int
		path  string
	}
	ids, endpoints, models, names := map[string]first{}, map[string]first{}, map[string]first{}, map[string]first{}
	for i := range accounts {
		a := &accounts[i]
		ap := v.accountPath(p, i)
		_, _, written := v.where(ap) // named in messages as the user wrote it
		v.validateAzureOpenAI(a, ap)
		if a.AccountID != "" {
			k := strings.ToLower(a.AccountID)
			if f, dup := ids[k]; dup {
				v.errorf(ap+".accountId", "is also the accountId of %s; each account is one connection: list its deployments once, under one entry", f.path)
			} else {
				ids[k] = first{i, written}
			}
		}
		// Two accounts of one name (in two resource groups): their role
		// assignments share a label and are told apart by position
		// (RoleLabels, "_2"), so swapping the two entries moves each
		// assignment to the other's address, and an assignment cannot be
		// updated: Terraform destroys and creates both (401s in between).
		if acct := accountName(a.AccountID); acct != "" {
			n := TerraformLabel(acct)
			if f, dup := names[n]; dup && !strings.EqualFold(accounts[f.index].AccountID, a.AccountID) {
				v.warnf(ap+".accountId", "the account name %s is also that of %s (in another resource group or subscription): their role assignments are told apart by their order in this list, so keep it; swapping the two entries makes Terraform destroy and create both assignments, and calls get 401 in between", Quote(acct), f.path)
			} else if !dup {
				names[n] = first{i, written}
			}
		}
		if k := endpointKey(a.Endpoint); k != "" {
			if f, dup := endpoints[k]; dup {
				v.errorf(ap+".endpoint", "%s is also the endpoint of %s; each endpoint is one connection: list its deployments once, under one entry", Quote(a.Endpoint), f.path)
			} else {
				endpoints[k] = first{i, written}
			}
		}
		for j, dep := range a.Deployments {
			id := ModelID(a.PrefixID, dep)
			f, dup := models[id]
			if !dup {
				models[id] = first{i, written}
				continue
			}
			if f.index == i {
				continue // listed twice in one account: reported by validateAzureOpenAI
			}
			fix := "give one of the two accounts a prefixId (Open WebUI then offers it as " + Quote("<prefixId>."+dep) + ")"
			if a.PrefixID != "" {
				fix = "give the two accounts different prefixIds"
			}
			v.errorf(fmt.Sprintf("%s.deployments[%d]", ap, j), "Open WebUI would offer %s as model %s, as it does %s's: the app keys models by ID, so only one of the two would be reachable; %s", Quote(dep), Quote(id), f.path, fix)
		}
	}
}

// ModelID is the ID Open WebUI gives deployment dep of a connection with
// prefix ID prefix: "<prefix>.<dep>", or dep without a prefix
// (routers/openai.py, get_all_models_responses).
func ModelID(prefix, dep string) string {
	if prefix == "" {
		return dep
	}
	return prefix + "." + dep
}

// endpointKey compares endpoints: scheme and host without case, the path
// without a trailing '/'; "" for an endpoint that does not parse.
func endpointKey(endpoint string) string {
	u, err := url.Parse(endpoint)
	if err != nil || u.Host == "" {
		return ""
	}
	return strings.ToLower(u.Scheme+"://"+u.Host) + strings.TrimSuffix(u.Path, "/")
}

func (v *validator) validateAzureOpenAI(a *AzureOpenAI, p string) {
	if a.AccountID == "" {
		v.errorf(p+".accountId", "is required: the resource ID of the Azure OpenAI account")
	} else if msg := checkResourceID(a.AccountID); msg != "" {
		v.errorf(p+".accountId", "%s; put the account's resource ID here: az cognitiveservices account show -n <name> -g <resource group> --query id -o tsv", msg)
	} else if !cognitiveAccountRE.MatchString(a.AccountID) {
		v.errorf(p+".accountId", "%s is not an Azure OpenAI account: expected /subscriptions/<guid>/resourceGroups/<group>/providers/Microsoft.CognitiveServices/accounts/<name>", Quote(a.AccountID))
	} else if name := a.AccountID[strings.LastIndex(a.AccountID, "/")+1:]; !accountNameRE.MatchString(name) {
		v.errorf(p+".accountId", "names account %s, which is not an Azure OpenAI account name: 2 to 64 letters, digits, '-', '_' and '.', starting with a letter or digit", Quote(name))
	}
	if a.Endpoint == "" {
		v.errorf(p+".endpoint", "is required: the account endpoint, e.g. https://<name>.openai.azure.com")
	} else if ph := placeholder(a.Endpoint); ph != "" {
		v.errorf(p+".endpoint", "%s looks like a placeholder (%s); put the account endpoint here, e.g. https://my-account.openai.azure.com", Quote(a.Endpoint), ph)
	} else if u, err := url.Parse(a.Endpoint); err != nil || u.Scheme != "https" || u.Host == "" {
		v.errorf(p+".endpoint", "%s is not an https URL, e.g. https://my-account.openai.azure.com", Quote(a.Endpoint))
	} else if u.User != nil {
		// Whatever is before '@' (an API key say) would be committed with
		// wigen's output; the app authenticates with Workload ID.
		v.errorf(p+".endpoint", "%s has user information before the host, which would be committed with wigen's output; write the account endpoint alone, e.g. https://my-account.openai.azure.com (the app authenticates with Workload ID)", Quote(a.Endpoint))
	} else if msg := hostProblem(u); msg != "" {
		v.errorf(p+".endpoint", "%s is not an account endpoint: %s; write one URL, e.g. https://my-account.openai.azure.com", Quote(a.Endpoint), msg)
	} else if hasQueryOrFragment(a.Endpoint) {
		v.errorf(p+".endpoint", "%s has a query or fragment; write the account endpoint alone (the API version goes in apiVersion)", Quote(a.Endpoint))
	} else if strings.Contains(a.Endpoint, ";") {
		// OPENAI_API_BASE_URLS separates connections with ';'.
		v.errorf(p+".endpoint", "%s contains ';', which separates the connections in OPENAI_API_BASE_URLS", Quote(a.Endpoint))
	} else if strings.HasSuffix(strings.TrimSuffix(u.Path, "/"), "/openai") {
		v.errorf(p+".endpoint", "%s ends in /openai; Open WebUI adds that itself: write %s", Quote(a.Endpoint), Quote(strings.TrimSuffix(strings.TrimSuffix(a.Endpoint, "/"), "/openai")))
	} else if i := strings.Index(u.Path, "/openai/"); i >= 0 {
		v.errorf(p+".endpoint", "%s is a URL inside the API; write the account endpoint without /openai/..., e.g. %s", Quote(a.Endpoint), Quote(u.Scheme+"://"+u.Host+u.Path[:i]))
	} else if acct := accountName(a.AccountID); acct != "" {
		// Standard endpoints name their account's subdomain, which is
		// the account name unless the account was given a custom
		// subdomain; a custom domain, private endpoint or gateway names
		// none and is left alone.
		host := strings.ToLower(u.Hostname())
		for _, suffix := range []string{".openai.azure.com", ".cognitiveservices.azure.com"} {
			if name, ok := strings.CutSuffix(host, suffix); ok && !strings.Contains(name, ".") && name != strings.ToLower(acct) {
				v.warnf(p+".endpoint", "names account %s, but accountId names %s: the role is assigned on one account while the app calls the other (unless %s is the custom subdomain of %s)", Quote(name), Quote(acct), Quote(name), Quote(acct))
			}
		}
	}
	if !isAPIVersion(a.APIVersion) {
		v.errorf(p+".apiVersion", "%s is not an Azure OpenAI API version: YYYY-MM-DD or YYYY-MM-DD-preview, e.g. 2024-10-21", Quote(a.APIVersion))
	}
	if a.PrefixID != "" && !prefixIDRE.MatchString(a.PrefixID) {
		v.errorf(p+".prefixId", "%s is not a prefix ID wigen writes: 1 to 64 letters, digits, '_' and '-', starting with a letter or digit (Open WebUI joins it to each deployment name with '.')", Quote(a.PrefixID))
	}
	if len(a.Deployments) == 0 {
		v.errorf(p+".deployments", "lists no deployment; Azure OpenAI connections cannot list models, so name at least one deployment")
	}
	// Deployments are child resources of the account
	// (Microsoft.CognitiveServices/accounts/deployments), and Azure
	// resource names ignore case (Azure Resource Manager, "Naming rules
	// and restrictions for Azure resources": names are case-insensitive
	// unless the valid characters column says otherwise), so gpt-4o and
	// GPT-4o are one deployment.
	seen := map[string]string{}
	for i, dep := range a.Deployments {
		dp := fmt.Sprintf("%s.deployments[%d]", p, i)
		first, dup := seen[strings.ToLower(dep)]
		switch {
		case !deploymentRE.MatchString(dep):
			v.errorf(dp, "%s is not an Azure OpenAI deployment name: 1 to 64 letters, digits, '.', '_' and '-'", Quote(dep))
		case dup && first == dep:
			v.errorf(dp, "%s is listed twice", Quote(dep))
		case dup:
			v.errorf(dp, "%s is listed twice: as %s too, and Azure deployment names ignore case, so both name one deployment", Quote(dep), Quote(first))
		case a.PrefixID != "" && strings.Contains(dep, a.PrefixID+"."):
			// generate_chat_completion strips every "<prefix>." from the
			// model ID, inside the deployment name too.
			v.errorf(dp, "%s contains %s: Open WebUI removes every %s from the model ID %s before the call, so it would call deployment %s; choose another prefixId", Quote(dep), Quote(a.PrefixID+"."), Quote(a.PrefixID+"."), Quote(ModelID(a.PrefixID, dep)), Quote(strings.ReplaceAll(ModelID(a.PrefixID, dep), a.PrefixID+".", "")))
		}
		if !dup {
			seen[strings.ToLower(dep)] = dep
		}
	}
}

// isAPIVersion reports whether s is an Azure OpenAI API version: a real
// date YYYY-MM-DD, optionally followed by -preview (Azure OpenAI
// "API version lifecycle": versions are named by their release date,
// 2024-10-21 or 2025-04-01-preview). A date that does not exist
// (2024-13-45) names no version.
func isAPIVersion(s string) bool {
	date := strings.TrimSuffix(s, "-preview")
	if len(date) != len("2006-01-02") {
		return false
	}
	_, err := time.Parse("2006-01-02", date)
	return err == nil
}

// accountName is the last segment of an Azure OpenAI account's resource ID.
func accountName(id string) string {
	if !cognitiveAccountRE.MatchString(id) || checkResourceID(id) != "" {
		return ""
	}
	return id[strings.LastIndex(id, "/")+1:]
}

var (
	deploymentRE = lazyRE(`^[A-Za-z0-9._-]{1,64}$`)
	// accountNameRE: Azure OpenAI (Cognitive Services) account names, 2 to
	// 64 characters (Azure Resource Manager, "Naming rules and restrictions
	// for Azure resources", Microsoft.CognitiveServices accounts), starting
	// with a letter or digit and holding letters, digits, '.', '_' and '-'
	// (terraform-provider-azurerm, internal/services/cognitive/validate,
	// CognitiveServicesAccountName).
	accountNameRE      = lazyRE(`^[A-Za-z0-9][A-Za-z0-9_.-]{1,63}$`)
	cognitiveAccountRE = lazyRE(`(?i)^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft\.CognitiveServices/accounts/[^/]+$`)
	// prefixIDRE is what wigen accepts as a prefixId. Open WebUI takes any
	// text (the connection form's "Prefix ID" field), but it writes the
	// prefix before the deployment name with a '.' and removes every
	// "<prefix>." from a model ID before the call: a prefix without '.',
	// space or ';' keeps the model IDs unambiguous.
	prefixIDRE = lazyRE(`^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$`)
)
