// Service accounts (WI001..WI006): the subjects of the environment's
// federated identity credentials, each service account present in its
// namespace with the identity's client ID annotation.

package lint

import (
	"fmt"
	"sort"
	"strings"

	"github.com/wigen-dev/wigen/schema"
)

// subject is one namespace and service account that federated identity
// credentials of the environment name.
type subject struct {
	namespace, serviceAccount string
	// primary: the environment's own namespace and service account, always
	// expected in the input.
	primary bool
	// credentials are the names of the credentials with this subject.
	credentials []string
}

func (s *subject) String() string { return schema.Subject(s.namespace, s.serviceAccount) }

// subjectsOf lists the environment's subjects: its own first, then those of
// additional federations, without repeats.
func subjectsOf(e *schema.Environment) []*subject {
	out := []*subject{{namespace: e.Namespace, serviceAccount: e.ServiceAccount, primary: true}}
	for _, fc := range e.FederatedCredentials() {
		var s *subject
		for _, x := range out {
			if x.namespace == fc.Namespace && x.serviceAccount == fc.ServiceAccount {
				s = x
			}
		}
		if s == nil {
			s = &subject{namespace: fc.Namespace, serviceAccount: fc.ServiceAccount}
			out = append(out, s)
		}
		s.credentials = append(s.credentials, fc.Name)
	}
	return out
}

// subjectFor returns the subject of a pod running as sa in ns, or nil.
func (c *checker) subjectFor(ns, sa string) *subject {
	for _, s := range c.subjects {
		if s.namespace == ns && s.serviceAccount == sa {
			return s
		}
	}
	return nil
}

func (c *checker) subjectList() string {
	var ss []string
	for _, s := range c.subjects {
		ss = append(ss, s.String())
	}
	return strings.Join(ss, ", ")
}

// checkServiceAccountValues checks the Workload ID annotations any
// ServiceAccount carries (WI003, WI005, WI042).
func (c *checker) checkServiceAccountValues(o *object) {
	a := o.meta.Annotations
	if v, ok := a[schema.AnnotationClientID]; ok && v != "" && !schema.IsGUID(v) {
		c.add(o.finding(IDClientIDNotGUID,
			fmt.Sprintf("annotation %s is %s, not a GUID", schema.AnnotationClientID, schema.Quote(v)),
			"set it to the client ID of the user-assigned managed identity (`terraform output -raw client_id`)"))
	}
	if v, ok := a[schema.AnnotationTenantID]; ok && !schema.IsGUID(v) {
		c.add(o.finding(IDTenantIDNotGUID,
			fmt.Sprintf("annotation %s is %s, not a GUID", schema.AnnotationTenantID, schema.Quote(v)),
			"set it to the Microsoft Entra tenant ID, or remove it to use the webhook's tenant"))
	}
	c.checkTokenExpiration(o, "metadata.annotations", a)
}

// checkSubjects checks, for every subject, that its ServiceAccount is in the
// input and annotated with the identity's client ID.
func (c *checker) checkSubjects() {
	present := map[string]bool{}
	for _, o := range c.objects {
		if o.namespace != "" {
			present[o.namespace] = true
		}
		if o.gvk.Kind == "Namespace" && o.gvk.Group == "" {
			present[o.name] = true
		}
	}
	for _, s := range c.subjects {
		var found, elsewhere []*object
		for _, o := range c.objects {
			if o.gvk.Kind != "ServiceAccount" || o.gvk.Group != "" || o.name != s.serviceAccount {
				continue
			}
			switch {
			case o.namespace == s.namespace:
				found = append(found, o)
			case c.subjectFor(o.namespace, o.name) == nil:
				// Not another subject's own ServiceAccount: misplaced.
				elsewhere = append(elsewhere, o)
			}
		}
		if len(found) == 0 {
			if s.primary || present[s.namespace] {
				c.serviceAccountMissing(s, elsewhere)
			}
			continue
		}
		for _, o := range found {
			if o.meta != nil {
				c.checkSubjectServiceAccount(o, s)
			}
		}
	}
}

// serviceAccountMissing reports (WI001) that subject s's ServiceAccount is
// not in its namespace. Like every finding, it names the object on the
// line it points at, and it points only at an object the problem is
// about: the first ServiceAccount of that name in another namespace (the
// object to move), else the first workload running as it in the
// namespace. With neither in the input, no object is to blame: the
// finding is about the input as a whole (File names every input, Line is
// 0) and names the missing ServiceAccount itself as its object.
func (c *checker) serviceAccountMissing(s *subject, elsewhere []*object) {
	if len(elsewhere) > 0 {
		at := elsewhere[0]
		msg := fmt.Sprintf("ServiceAccount %s is in namespace %s, not in namespace %s of the federated identity credential's subject %s", s.serviceAccount, at.namespace, s.namespace, s)
		var others []string
		for _, o := range elsewhere[1:] {
			if o.namespace != at.namespace && !contains(others, o.namespace) {
				others = append(others, o.namespace)
			}
		}
		if len(others) > 0 {
			sort.Strings(others)
			msg += fmt.Sprintf(" (it is also in namespace %s)", strings.Join(others, ", "))
		}
		c.add(at.finding(IDServiceAccountMissing, msg,
			fmt.Sprintf("render it into namespace %s (`helm template --namespace %s`, or namespace: in the overlay)", s.namespace, s.namespace)))
		return
	}
	fix := fmt.Sprintf("render it with the chart (serviceAccount.enable: true, serviceAccount.name: %s), or pass its manifest to wigen lint too", s.serviceAccount)
	for _, o := range c.objects {
		if pt := podTemplateOf(o.obj); pt != nil && o.namespace == s.namespace && pt.serviceAccount() == s.serviceAccount {
			c.add(o.finding(IDServiceAccountMissing,
				fmt.Sprintf("pods run as ServiceAccount %s, which is not in the input in namespace %s (the federated identity credential's subject is %s)", s.serviceAccount, s.namespace, s),
				fix))
			return
		}
	}
	c.add(Finding{
		File: c.inputs, Severity: ruleByID[IDServiceAccountMissing].Severity, ID: IDServiceAccountMissing,
		Kind: "ServiceAccount", Namespace: s.namespace, Name: s.serviceAccount,
		Message: fmt.Sprintf("ServiceAccount %s is not in the input in namespace %s, and neither is a workload running as it, but the federated identity credential's subject is %s", s.serviceAccount, s.namespace, s),
		Fix:     fix,
	})
}

// checkSubjectServiceAccount checks the ServiceAccount of a subject
// (WI002, WI004, WI006, WI050).
func (c *checker) checkSubjectServiceAccount(o *object, s *subject) {
	a := o.meta.Annotations
	want := ""
	if c.env.Identity != nil {
		want = c.env.Identity.ClientID
	}
	v, ok := a[schema.AnnotationClientID]
	switch {
	case !ok || v == "":
		state := "lacks the annotation " + schema.AnnotationClientID
		if ok {
			state = "has an empty " + schema.AnnotationClientID
		}
		fix := "annotate it with the identity's client ID (Helm: serviceAccount.annotations; `terraform output -raw client_id`)"
		if want != "" {
			fix = fmt.Sprintf("annotate it: %s: %s (Helm: serviceAccount.annotations)", schema.AnnotationClientID, want)
		}
		c.add(o.finding(IDClientIDMissing,
			fmt.Sprintf("ServiceAccount of subject %s %s: the webhook injects no AZURE_CLIENT_ID", s, state),
			fix))
	case want != "" && schema.IsGUID(v) && !strings.EqualFold(v, want):
		c.add(o.finding(IDClientIDMismatch,
			fmt.Sprintf("annotation %s is %s, but identity.clientId of environment %s is %s", schema.AnnotationClientID, v, c.env.Name, want),
			fmt.Sprintf("set it to %s, or correct identity.clientId in %s", want, c.spec)))
	}
	if t, ok := a[schema.AnnotationTenantID]; ok && c.env.TenantID != "" && schema.IsGUID(t) && !strings.EqualFold(t, c.env.TenantID) {
		c.add(o.finding(IDTenantIDMismatch,
			fmt.Sprintf("annotation %s is %s, but tenantId of environment %s is %s", schema.AnnotationTenantID, t, c.env.Name, c.env.TenantID),
			fmt.Sprintf("set it to %s, or correct tenantId in %s", c.env.TenantID, c.spec)))
	}
	if o.namespace == kubeSystem {
		c.add(o.finding(IDKubeSystem,
			"a federated ServiceAccount in kube-system: the AKS admissions enforcer skips the namespace, so its pods get no Workload ID token",
			"use a namespace of the app's own"))
	}
}
