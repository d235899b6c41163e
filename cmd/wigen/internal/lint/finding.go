package lint

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/wigen-dev/wigen/schema"
)

// Severity of a finding: errors fail the run (exit 1), warnings do not.
type Severity string

const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
)

// Finding IDs; the table in the package documentation describes each.
const (
	IDServiceAccountMissing   = "WI001"
	IDClientIDMissing         = "WI002"
	IDClientIDNotGUID         = "WI003"
	IDClientIDMismatch        = "WI004"
	IDTenantIDNotGUID         = "WI005"
	IDTenantIDMismatch        = "WI006"
	IDKeyMisspelled           = "WI010"
	IDKeyMisplaced            = "WI011"
	IDLabelMissing            = "WI020"
	IDLabelValue              = "WI021"
	IDLabelOnWorkloadOnly     = "WI022"
	IDValueNotString          = "WI023"
	IDLabelInSelector         = "WI024"
	IDOtherServiceAccount     = "WI025"
	IDDefaultServiceAccount   = "WI026"
	IDChecksumMissing         = "WI027"
	IDChecksumStale           = "WI028"
	IDPresetEnv               = "WI030"
	IDOpenAIKey               = "WI031"
	IDOtherNamespaceService   = "WI032"
	IDProxySidecarOff         = "WI040"
	IDProxySidecarHostNetwork = "WI041"
	IDTokenExpiration         = "WI042"
	IDSkipContainersUnknown   = "WI043"
	IDProxySidecarPort        = "WI044"
	IDKubeSystem              = "WI050"
	IDDecode                  = "WI060"
	IDUnknownField            = "WI061"
)

// Rule is one kind of finding: its ID, fixed severity and a one-line summary.
type Rule struct {
	ID       string
	Severity Severity
	Summary  string
}

// Rules lists every finding wigen lint reports, by ID.
var Rules = []Rule{
	{IDServiceAccountMissing, SeverityError, "federated ServiceAccount not in the input in the expected namespace"},
	{IDClientIDMissing, SeverityError, "federated ServiceAccount lacks azure.workload.identity/client-id"},
	{IDClientIDNotGUID, SeverityError, "azure.workload.identity/client-id is not a GUID"},
	{IDClientIDMismatch, SeverityError, "azure.workload.identity/client-id differs from identity.clientId"},
	{IDTenantIDNotGUID, SeverityError, "azure.workload.identity/tenant-id is not a GUID"},
	{IDTenantIDMismatch, SeverityError, "azure.workload.identity/tenant-id differs from tenantId"},
	{IDKeyMisspelled, SeverityError, "misspelled azure.workload.identity/* key"},
	{IDKeyMisplaced, SeverityWarning, "Workload ID key where the webhook does not read it"},
	{IDLabelMissing, SeverityError, "pod template of a federated ServiceAccount lacks the use label"},
	{IDLabelValue, SeverityError, "use label is not the string \"true\""},
	{IDLabelOnWorkloadOnly, SeverityError, "use label on the workload's metadata, not its pod template"},
	{IDValueNotString, SeverityError, "Workload ID label or annotation typed as a boolean or number"},
	{IDLabelInSelector, SeverityError, "use label in a selector"},
	{IDOtherServiceAccount, SeverityError, "labelled pod template runs as a ServiceAccount without a federated credential"},
	{IDDefaultServiceAccount, SeverityError, "labelled pod template runs as the default ServiceAccount"},
	{IDChecksumMissing, SeverityWarning, "workload of a federated ServiceAccount lacks the checksum/workload-identity pod annotation"},
	{IDChecksumStale, SeverityWarning, "checksum/workload-identity does not match the ServiceAccount's client ID and tenant ID"},
	{IDPresetEnv, SeverityError, "container presets an environment variable the webhook injects"},
	{IDOpenAIKey, SeverityWarning, "OpenAI API key in a Workload ID pod's environment"},
	{IDOtherNamespaceService, SeverityWarning, "in-cluster service host of another namespace in a container's environment"},
	{IDProxySidecarOff, SeverityError, "inject-proxy-sidecar set to an \"off\" value"},
	{IDProxySidecarHostNetwork, SeverityError, "inject-proxy-sidecar on a hostNetwork pod"},
	{IDTokenExpiration, SeverityError, "service-account-token-expiration not an integer in 3600..86400"},
	{IDSkipContainersUnknown, SeverityError, "skip-containers names a missing container"},
	{IDProxySidecarPort, SeverityError, "proxy-sidecar-port is not a port number"},
	{IDKubeSystem, SeverityError, "Workload ID object in kube-system"},
	{IDDecode, SeverityError, "object does not decode into its Kubernetes type"},
	{IDUnknownField, SeverityWarning, "unknown or duplicate field"},
}

var ruleByID = func() map[string]Rule {
	m := make(map[string]Rule, len(Rules))
	for _, r := range Rules {
		m[r.ID] = r
	}
	return m
}()

// Finding is one problem found in the manifests. JSON field names are
// stable; Line is 1-based and points at the first line of the object's
// document (for a List item, the List's). A finding about the input as a
// whole (WI001 when nothing in the input is the object to blame) has Line
// 0, File naming every input ("a.yaml, b.yaml") and, as its object, the
// one that is missing.
type Finding struct {
	File      string   `json:"file"`
	Line      int      `json:"line"`
	Severity  Severity `json:"severity"`
	ID        string   `json:"id"`
	Kind      string   `json:"kind"`
	Namespace string   `json:"namespace"`
	Name      string   `json:"name"`
	// Message says what is wrong; Fix how to fix it.
	Message string `json:"message"`
	Fix     string `json:"fix"`
}

// Object is "kind/namespace/name", or "kind/name" for a cluster-scoped object.
func (f Finding) Object() string {
	if f.Namespace == "" {
		return f.Kind + "/" + f.Name
	}
	return f.Kind + "/" + f.Namespace + "/" + f.Name
}

// String formats f as FILE:LINE: SEVERITY ID kind/ns/name: message; fix,
// or without ":LINE" for a finding about the input as a whole (Line 0).
func (f Finding) String() string {
	msg := f.Message
	if f.Fix != "" {
		msg += "; " + f.Fix
	}
	at := schema.Name(f.File)
	if f.Line > 0 {
		at += ":" + strconv.Itoa(f.Line)
	}
	// Names and values from the manifests are escaped, so a finding is
	// always one line (schema.EscapeText).
	return fmt.Sprintf("%s: %s %s %s: %s", at, f.Severity, f.ID, schema.EscapeText(f.Object()), schema.EscapeText(msg))
}

// sortFindings orders findings by file, line, ID, object and message, and
// drops exact repeats.
func sortFindings(fs []Finding) []Finding {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.ID != b.ID {
			return a.ID < b.ID
		}
		if c := strings.Compare(a.Object(), b.Object()); c != 0 {
			return c < 0
		}
		return a.Message < b.Message
	})
	out := fs[:0]
	for i, f := range fs {
		if i > 0 && f == fs[i-1] {
			continue
		}
		out = append(out, f)
	}
	return out
}

// HasErrors reports whether any finding is an error.
func HasErrors(fs []Finding) bool {
	for _, f := range fs {
		if f.Severity == SeverityError {
			return true
		}
	}
	return false
}
