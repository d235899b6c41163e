// OIDC issuers: exactly one source (fromCluster, url, remoteState); a
// literal issuer is https, canonical (lowercase scheme and host, no user
// information, query, fragment or empty segment), at most 600 characters,
// and an AKS issuer keeps its trailing '/' (azure-workload-identity
// troubleshooting, #1700: AADSTS70021 without it). wigen never rewrites an
// issuer.

package schema

import (
	"net/url"
	"strings"
)

// AKS issuer hosts. AKS issuer URLs end with '/'; without it token
// exchange fails with AADSTS70021 (azure-workload-identity troubleshooting,
// #1700). Other issuers have no trailing slash, so wigen never adds or
// removes one: it refuses an AKS issuer without it. The regional hosts are
// <region>.oic.prod-aks.azure.com in the public cloud (facts.md
// "Federated identity credentials") and, with the same path, the
// sovereign clouds' <region>.oic.prod-aks.azure.us (Azure Government,
// e.g. usgovvirginia) and <region>.oic.prod-aks.azure.cn (Azure operated
// by 21Vianet, e.g. chinanorth2), as clusters there report them (issuer
// URLs in public Bicep and Terraform outputs; not in facts.md). The older
// public host oidc.prod-aks.azure.com has one GUID in its path.
var (
	aksIssuerHostRE = lazyRE(`(?i)^([a-z0-9-]+\.oic\.prod-aks\.azure\.(com|us|cn)|oidc\.prod-aks\.azure\.com)$`)
)

// aksLegacyIssuerHost is the public AKS issuer host of clusters created
// before regional issuers, whose issuers have one GUID in their path.
const aksLegacyIssuerHost = "oidc.prod-aks.azure.com"

// aksIssuerShape returns "" when path is what an AKS issuer on host has:
// /<tenant GUID>/<GUID>/ on a regional host, /<GUID>/ on
// oidc.prod-aks.azure.com (facts.md "Federated identity credentials"),
// the trailing '/' left to the caller; else the shape it should have.
func aksIssuerShape(host, path string) string {
	want, shape := 2, "https://"+host+"/<tenant GUID>/<GUID>/"
	if host == aksLegacyIssuerHost {
		want, shape = 1, "https://"+host+"/<GUID>/"
	}
	segs := strings.Split(strings.TrimSuffix(strings.TrimPrefix(path, "/"), "/"), "/")
	ok := len(segs) == want
	for _, seg := range segs {
		ok = ok && guidRE.MatchString(seg)
	}
	if ok {
		return ""
	}
	return shape
}

func (v *validator) validateIssuer(is *Issuer, p string) {
	set := 0
	if is.FromCluster {
		set++
	}
	if is.URL != "" {
		set++
	}
	if is.RemoteState != nil {
		set++
	}
	if set != 1 {
		v.errorf(p, "set exactly one of fromCluster: true, url, remoteState (found %d)", set)
	}
	if is.URL != "" {
		v.issuerURL(is.URL, p+".url")
	}
	if rs := is.RemoteState; rs != nil {
		v.backendType(rs.Backend, p+".remoteState.backend")
		v.validateHCLKeys(rs.Config, p+".remoteState.config", false)
		v.noSecrets(rs.Backend, rs.Config, p+".remoteState.config", "main.tf")
		v.unknownBackendArguments(rs.Backend, rs.Config, p+".remoteState.config")
		if rs.Output != "" && !hclIdentRE.MatchString(rs.Output) {
			v.errorf(p+".remoteState.output", "%s is not a Terraform output name", Quote(rs.Output))
		}
	}
}

// issuerURL checks a literal issuer: https, no whitespace, no query or
// fragment, at most 600 characters (federated identity credential limits),
// and the trailing '/' of AKS issuers.
func (v *validator) issuerURL(s, p string) {
	if ph := placeholder(s); ph != "" {
		v.errorf(p, "%s looks like a placeholder (%s); put the cluster's issuer here: az aks show -n <cluster> -g <resource group> --query oidcIssuerProfile.issuerUrl -o tsv", Quote(s), ph)
		return
	}
	if strings.TrimSpace(s) != s || strings.ContainsAny(s, " \t\r\n") {
		v.errorf(p, "%s contains whitespace; the issuer is matched exactly", Quote(s))
		return
	}
	if len(s) > 600 {
		v.errorf(p, "is %d characters; an issuer may have at most 600", len(s))
		return
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		v.errorf(p, "%s is not an https URL; an OIDC issuer is https://host/path", Quote(s))
		return
	}
	if hasQueryOrFragment(s) {
		v.errorf(p, "%s has a query or fragment; an OIDC issuer has neither", Quote(s))
		return
	}
	// The issuer is compared character for character with the iss claim of
	// the tokens, which issuers write in canonical form: a lowercase scheme
	// and host, no user information, no empty path segment.
	host := u.Hostname()
	lowerHost := strings.ToLower(host)
	aks := aksIssuerHostRE.MatchString(strings.TrimSuffix(lowerHost, "."))
	shape := "" // what an AKS issuer on this host looks like, when s is not one
	if aks {
		shape = aksIssuerShape(lowerHost, u.Path)
	}
	switch {
	case u.User != nil:
		v.errorf(p, "%s has user information before the host; an OIDC issuer has none", Quote(s))
	case !strings.HasPrefix(s, "https://"):
		v.errorf(p, "%s: write the scheme in lowercase, https://, as it is in the tokens' iss claim (the issuer is matched exactly)", Quote(s))
	case host != lowerHost:
		v.errorf(p, "%s: write the host in lowercase, %s, as it is in the tokens' iss claim (the issuer is matched exactly)", Quote(s), lowerHost)
	case strings.HasSuffix(host, "."):
		v.errorf(p, "%s: the host ends with '.', which the tokens' iss claim does not have (the issuer is matched exactly)", Quote(s))
	case aks && u.Port() != "":
		v.errorf(p, "%s: AKS issuers have no port (the issuer is matched exactly)", Quote(s))
	case strings.Contains(u.EscapedPath(), "//"):
		v.errorf(p, "%s has an empty path segment (//); the issuer is matched exactly", Quote(s))
	case shape != "":
		v.errorf(p, "%s is not an AKS issuer: on this host an issuer is %s, as az aks show -n <cluster> -g <resource group> --query oidcIssuerProfile.issuerUrl -o tsv prints it", Quote(s), shape)
	case aks && strings.Contains(u.Path, "/"+nilGUID+"/") || aks && strings.HasSuffix(u.Path, "/"+nilGUID):
		v.errorf(p, "%s names the nil GUID, a placeholder: an AKS issuer holds the tenant's GUID and the cluster's own; az aks show -n <cluster> -g <resource group> --query oidcIssuerProfile.issuerUrl -o tsv prints it", Quote(s))
	case aks && !strings.HasSuffix(s, "/"):
		v.errorf(p, "%s is an AKS issuer without its trailing '/'; AKS issuers end with '/' and the token exchange fails with AADSTS70021 without it: write %s", Quote(s), Quote(s+"/"))
	}
}
