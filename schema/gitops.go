// The argocd and flux settings of an environment: the Argo CD Application's
// namespace, project and destination (exactly one of server and name:
// Argo CD refuses both, "can't have both name and server",
// util/argo/argo.go GetDestinationServer at v3.5.1), and the Flux objects'
// namespace and interval (a Go duration, the pattern of the HelmRelease
// CRD's spec.interval, helm-controller v1.6.3). Sources:
// ../shared/reference/crds/README.md.

package schema

import (
	"net/url"
	"strings"
	"time"
)

// fluxIntervalRE is the pattern of spec.interval in the Flux HelmRelease,
// HelmRepository and OCIRepository CRDs.
var fluxIntervalRE = lazyRE(`^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$`)

func (v *validator) validateGitOps(e *Environment, p string) {
	v.validateGitOpsName(e, p)
	if a := e.ArgoCD; a != nil {
		ap := p + ".argocd"
		if v.written(ap + ".namespace") {
			if msg := dns1123Label(a.Namespace, 63); msg != "" {
				v.errorf(ap+".namespace", "%s is not a namespace: %s", Quote(a.Namespace), msg)
			}
		}
		if v.written(ap+".project") && (len(a.Project) > 253 || !dns1123SubdomainRE.MatchString(a.Project)) {
			v.errorf(ap+".project", "%s is not an Argo CD project name: a DNS-1123 subdomain (lowercase letters, digits, '-' and '.'), as AppProject objects are named", Quote(a.Project))
		}
		if d := a.Destination; d != nil {
			dp := ap + ".destination"
			switch {
			case d.Server != "" && d.Name != "":
				v.errorf(dp, "set one of server and name: Argo CD refuses an Application whose destination has both")
			case d.Server != "" && v.written(dp+".server"):
				u, err := url.Parse(d.Server)
				if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || strings.ContainsAny(d.Server, " \t\r\n") {
					v.errorf(dp+".server", "%s is not a cluster API server URL as Argo CD registers it, e.g. %s", Quote(d.Server), DefaultArgoCDServer)
				} else if u.User != nil {
					// Argo CD matches the server against its cluster
					// secrets' server URLs; credentials go in the cluster
					// secret, never in the Application, which is committed.
					v.errorf(dp+".server", "%s has user information before the host, which would be committed with the Application; write the server URL as Argo CD registers the cluster (argocd cluster list), credentials stay in its cluster secret", Quote(d.Server))
				} else if msg := hostProblem(u); msg != "" {
					v.errorf(dp+".server", "%s is not a cluster API server URL: %s", Quote(d.Server), msg)
				} else if hasQueryOrFragment(d.Server) {
					v.errorf(dp+".server", "%s has a query or fragment; Argo CD matches the server exactly against the URLs its clusters are registered with (argocd cluster list), which have none", Quote(d.Server))
				} else if strings.HasSuffix(u.Path, "/") {
					v.warnf(dp+".server", "%s ends with '/'; Argo CD matches the server exactly against the URLs its clusters are registered with (argocd cluster list), which seldom do: write it as that list shows it", Quote(d.Server))
				}
			case d.Name != "" && strings.TrimSpace(d.Name) != d.Name:
				v.errorf(dp+".name", "%s has surrounding whitespace; Argo CD matches the cluster name exactly", Quote(d.Name))
			}
		}
	}
	if f := e.Flux; f != nil {
		fp := p + ".flux"
		if v.written(fp + ".namespace") {
			if msg := dns1123Label(f.Namespace, 63); msg != "" {
				v.errorf(fp+".namespace", "%s is not a namespace: %s", Quote(f.Namespace), msg)
			}
		}
		if v.written(fp + ".interval") {
			// The CRD's pattern admits what Go's time.ParseDuration, which
			// helm-controller parses it with (metav1.Duration), refuses: a
			// duration past about 2562047h overflows.
			if _, err := time.ParseDuration(f.Interval); !fluxIntervalRE.MatchString(f.Interval) || err != nil {
				v.errorf(fp+".interval", "%s is not a Flux interval: a Go duration in ms, s, m or h, such as 10m or 1h30m, of at most 2562047h", Quote(f.Interval))
			}
		}
	}
}

// validateGitOpsName checks the name wigen gives the environment's
// HelmRelease and Application, <metadata.name>-<environment> (flux.Name,
// argocd.Name). helm-controller labels every object of the release with
// helm.toolkit.fluxcd.io/name: <HelmRelease name> (fluxcd/helm-controller
// #238, its origin-labels post-renderer), and a label value holds at most
// 63 characters (Kubernetes validation IsValidLabelValue), so a longer
// HelmRelease name fails every apply. Argo CD's label tracking writes the
// Application name to app.kubernetes.io/instance the same way; annotation
// tracking, the default from Argo CD 3.0, does not, hence only a warning.
func (v *validator) validateGitOpsName(e *Environment, p string) {
	name := v.s.GitOpsName(e)
	if len(name) <= 63 {
		return
	}
	if e.HasTarget(TargetFlux) {
		v.errorf(p+".name", "the HelmRelease would be named %s, %d characters: helm-controller writes it to the label helm.toolkit.fluxcd.io/name of every object, and a label value holds at most 63; shorten metadata.name or the environment name", Quote(name), len(name))
	}
	if e.HasTarget(TargetArgoCD) {
		v.warnf(p+".name", "the Application would be named %s, %d characters: with Argo CD's label tracking (app.kubernetes.io/instance, the default before 3.0) a label value holds at most 63 and the sync fails; annotation tracking is not limited", Quote(name), len(name))
	}
}
