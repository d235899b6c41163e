// URLs the user writes (the chart repository, an Azure OpenAI endpoint,
// an Argo CD destination server): the host is a DNS name or an IP
// address and the port a number from 1 to 65535. net/url accepts more in
// a host, such as ',' and '!' (the sub-delims of RFC 3986 section 3.2.2,
// reg-name), and any run of digits as a port, so "https://a.example.com,https://b.example.com"
// and "https://a.example.com:99999" parse; no client can connect to
// either. Sources: RFC 3986 sections 3.2.2 and 3.2.3, RFC 1123 section
// 2.1 (host names: letters, digits and '-'), RFC 6335 (ports 0 to 65535,
// 0 reserved).

package schema

import (
	"net/netip"
	"net/url"
	"strconv"
	"strings"
)

// hostProblem returns "" when u's host is a DNS name (letters, digits,
// '-' and '_' in dot-separated labels of at most 63 characters, at most
// 253 in all) or an IP address and its port, if any, is 1 to 65535; else
// what is wrong, for a message.
func hostProblem(u *url.URL) string {
	host := u.Hostname()
	switch {
	case isIP(host):
	case strings.HasPrefix(u.Host, "["):
		return "host " + Quote(host) + " is not an IPv6 address"
	case len(host) > 253 || !dnsHostRE.MatchString(host):
		return "host " + Quote(host) + " is not a host name (letters, digits, '-' and '_' in labels separated by '.')"
	}
	if port := u.Port(); port != "" {
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return "port " + Quote(port) + " is not a port number (1 to 65535)"
		}
	} else if strings.HasSuffix(u.Host, ":") {
		return "the host ends with ':' but gives no port"
	}
	return ""
}

// dnsHostRE is a DNS host name, optionally ending in '.' (RFC 1123 host
// names, with '_', which some DNS names hold).
var dnsHostRE = lazyRE(`^[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\.?$`)

// isIP reports whether host is an IPv4 or IPv6 address (an IPv6 zone
// such as %eth0 is not one a URL to Azure or a cluster carries).
func isIP(host string) bool {
	a, err := netip.ParseAddr(host)
	return err == nil && a.Zone() == ""
}

// hasQueryOrFragment reports whether the URL raw has a query or a
// fragment, an empty one included ("https://host/?"): net/url leaves
// RawQuery and Fragment empty for those, and the '?' or '#' still ends up
// in what wigen writes.
func hasQueryOrFragment(raw string) bool { return strings.ContainsAny(raw, "?#") }
