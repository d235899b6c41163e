// The chart repository: an https:// or oci:// URL (plain http lets anyone
// on the way swap the chart), with a lowercase scheme (the Flux source
// HelmRepository CRD's url pattern is ^(http|https|oci)://, source-controller v1.9.1,
// ../shared/reference/crds/, and wigen tells an OCI repository by its
// "oci://" prefix), a host name and a port 1..65535 (urls.go), no user
// information, query or fragment (wigen's output is committed: a token
// there would be too), and none of the characters a POSIX shell reads
// specially (the URL goes into the helm commands wigen writes into
// READMEs; POSIX.1-2017 Shell Command Language 2.2 Quoting names them).

package schema

import (
	"net/url"
	"strings"
)

// repositoryChars are the characters a chart repository URL may hold:
// RFC 3986's unreserved characters, the ':', '/', '@' and '%' of its
// syntax, and '+', '=' and ',', which no shell reads specially.
const repositoryChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/@%+=,"

func (v *validator) chartRepository(repo string) {
	const p = "spec.chart.repository"
	if i := strings.IndexFunc(repo, func(r rune) bool { return !strings.ContainsRune(repositoryChars, r) }); i >= 0 {
		var bad string
		for _, r := range repo[i:] {
			bad = string(r)
			break
		}
		what := Quote(bad)
		if r, ok := firstUnprintable(bad); ok {
			what = describeRune(r)
		} else if bad == " " {
			what = "a space"
		}
		switch {
		case bad == "?" || bad == "#":
			v.errorf(p, "%s has a query or fragment, which often carries a token and would be committed with wigen's output; write the repository URL alone and give credentials to Helm (helm repo add --username, or a registry login)", Quote(repo))
		default:
			v.errorf(p, "%s holds %s, which a chart repository URL does not need and a shell reads specially (wigen writes the URL into helm commands); allowed: letters, digits and - . _ ~ : / @ %% + = ,", Quote(repo), what)
		}
		return
	}
	u, err := url.Parse(repo)
	switch {
	case err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http" && u.Scheme != "oci"):
		v.errorf(p, "%s is not a chart repository URL; use https://... or oci://...", Quote(repo))
	case !strings.HasPrefix(repo, u.Scheme+"://"):
		v.errorf(p, "%s: write the scheme in lowercase, %s (Flux refuses another case, and wigen tells an OCI repository by oci://)", Quote(repo), Quote(u.Scheme+"://"+repo[len(u.Scheme+"://"):]))
	case u.Scheme == "http":
		// Plain http lets anyone on the way swap the chart: the
		// workload and its federated identity with it.
		v.errorf(p, "%s is plain http, which lets anyone on the way swap the chart (and the workload that gets the identity); use https://... or oci://...", Quote(repo))
	case u.User != nil:
		v.errorf(p, "%s holds credentials, and wigen's output is committed; give them to Helm (helm repo add --username, or a registry login) instead", Quote(repo))
	default:
		if msg := hostProblem(u); msg != "" {
			v.errorf(p, "%s is not a chart repository URL: %s", Quote(repo), msg)
		}
	}
}
