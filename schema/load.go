package schema

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"

	"go.yaml.in/yaml/v3"
)

// DefaultFile is the input file wigen looks for in the current folder.
const DefaultFile = "wigen.yaml"

// Load reads, decodes, completes and validates the wigen.yaml at path.
//
// On success it returns the complete Spec (warnings in Spec.Warnings) and a
// nil error. When the input is invalid the error is a Diagnostics holding
// every error and warning, sorted by position, each formatted
// "FILE:LINE:COL: field.path: message" with FILE the base name of path. Any
// other error (the file cannot be read) is returned as is.
func Load(path string) (*Spec, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%s: no such file; `wigen init` writes a starter wigen.yaml, or name the input with -f", path)
		}
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxInputBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return LoadBytes(filepath.Base(path), data)
}

// LoadBytes is Load on bytes already read; name is the file name used in
// diagnostics and in the "Code generated" line of rendered files.
func LoadBytes(name string, data []byte) (*Spec, error) {
	d := newDecoder(name)
	root := d.parseYAML(data)
	if root == nil {
		return nil, d.diags.sortAndDedupe()
	}
	if root.Kind != yaml.MappingNode {
		d.errorAt(root, "", "the document must be a mapping with apiVersion, kind, metadata and spec, not %s", describe(root))
		return nil, d.diags.sortAndDedupe()
	}
	s := &Spec{Source: name}
	d.index(root, "", 0)
	d.decode(root, reflect.ValueOf(s).Elem(), "", "", 0)
	if d.stopped {
		return nil, capped(d.diags.sortAndDedupe())
	}
	complete(s)
	v := &validator{d: d, s: s}
	v.validate()
	blank := map[string]bool{}
	for p := range d.blank {
		blank[p] = true
	}
	all := suppressFollowOns(d.diags, d.suggested, blank).sortAndDedupe()
	if all.HasErrors() {
		return nil, capped(all)
	}
	s.Warnings = all
	return s, nil
}

// MaxDiagnostics is the most diagnostics Load reports; a broken file
// would otherwise bury the first mistakes under thousands of repeats.
const MaxDiagnostics = 100

func capped(ds Diagnostics) Diagnostics {
	if len(ds) <= MaxDiagnostics {
		return ds
	}
	rest := len(ds) - MaxDiagnostics
	last := ds[MaxDiagnostics-1]
	out := append(ds[:MaxDiagnostics:MaxDiagnostics], Diagnostic{File: last.File, Line: last.Line, Column: last.Column, Message: fmt.Sprintf("%d more diagnostics not shown; fix these first", rest)})
	return out
}

// suppressFollowOns drops validation findings on a field whose value could
// not be decoded at all (a wrong kind is reported once, not also as
// missing), and "is required" for a field an unknown key was a typo of.
func suppressFollowOns(ds Diagnostics, suggested, blank map[string]bool) Diagnostics {
	decodeErr := map[string]bool{}
	for _, d := range ds {
		if isDecodeError(d.Message) {
			decodeErr[d.Path] = true
			// An issuer whose field could not be decoded is not also
			// "set exactly one of ... (found 0)".
			decodeErr[parentPath(d.Path)+"#issuer"] = true
		}
	}
	out := ds[:0]
	for _, d := range ds {
		if decodeErr[d.Path] && !isDecodeError(d.Message) {
			continue
		}
		if decodeErr[d.Path+"#issuer"] && strings.HasPrefix(d.Message, "set exactly one of") {
			continue
		}
		if suggested[d.Path] && strings.HasPrefix(d.Message, "is required") {
			continue
		}
		// "is empty" says it all for a blank field; the checks on its value
		// would repeat it.
		if blank[d.Path] && !strings.HasPrefix(d.Message, "is empty") && !isDecodeError(d.Message) {
			continue
		}
		out = append(out, d)
	}
	return out
}

// isDecodeError reports whether msg says a value has the wrong type.
func isDecodeError(msg string) bool {
	return strings.HasPrefix(msg, "must be a ") || strings.HasPrefix(msg, "must be true or false") || strings.HasPrefix(msg, "is required and may not be empty")
}

// complete fills in every documented default, so renderers see complete values.
func complete(s *Spec) {
	sp := &s.Spec
	if sp.Output == "" {
		sp.Output = DefaultOutput
	}
	if sp.Targets == nil {
		sp.Targets = append([]string(nil), AllTargets...)
	}
	if sp.Chart.Repository == "" {
		sp.Chart.Repository = DefaultChartRepository
	}
	if sp.Chart.Name == "" {
		sp.Chart.Name = DefaultChartName
	}
	tf := &sp.Terraform
	if tf.RequiredVersion == "" {
		tf.RequiredVersion = DefaultRequiredVersion
	}
	if tf.Providers.Azurerm == "" {
		tf.Providers.Azurerm = DefaultAzurermVersion
	}
	if tf.Providers.Kubernetes == "" {
		tf.Providers.Kubernetes = DefaultKubernetesVersion
	}
	if tf.Providers.Helm == "" {
		tf.Providers.Helm = DefaultHelmVersion
	}
	for i := range sp.Environments {
		e := &sp.Environments[i]
		if e.CreateNamespace == nil {
			t := true
			e.CreateNamespace = &t
		}
		if e.Identity != nil && e.Identity.ResourceGroup == "" {
			e.Identity.ResourceGroup = e.ResourceGroup
		}
		if c := e.Cluster; c != nil {
			if c.Kubeconfig == nil {
				c.Kubeconfig = &Kubeconfig{}
			}
			if c.Kubeconfig.Path == "" {
				c.Kubeconfig.Path = DefaultKubeconfigPath
			}
			if c.Kubeconfig.Context == "" {
				c.Kubeconfig.Context = c.Name
			}
			completeIssuer(&c.Issuer)
		}
		for j := range e.AdditionalFederations {
			f := &e.AdditionalFederations[j]
			if f.Namespace == "" {
				f.Namespace = e.Namespace
			}
			if f.ServiceAccount == "" {
				f.ServiceAccount = e.ServiceAccount
			}
			completeIssuer(&f.Issuer)
		}
		for j := range e.AzureOpenAI {
			if e.AzureOpenAI[j].APIVersion == "" {
				e.AzureOpenAI[j].APIVersion = DefaultAPIVersion
			}
		}
		if e.Roles == nil {
			e.Roles = []Role{{Role: RoleOpenAIUser}}
		}
		e.Roles = expandRoles(e.Roles, e.AzureOpenAI)
	}
	if sp.OpenWebUI.ModelAccess == "" {
		sp.OpenWebUI.ModelAccess = ModelAccessAdmins
	}
	if sp.OpenWebUI.PersistentConfig == nil {
		t := true
		sp.OpenWebUI.PersistentConfig = &t
	}
}

// expandRoles gives each role its Index in roles and turns a role without
// scope into one assignment per account, on the account's accountId, in
// account order (with no account, it keeps its empty scope, reported by
// validation).
func expandRoles(roles []Role, accounts AzureOpenAIAccounts) []Role {
	out := make([]Role, 0, len(roles))
	for i, r := range roles {
		r.Index = i
		if r.Scope != "" || len(accounts) == 0 {
			out = append(out, r)
			continue
		}
		for _, a := range accounts {
			r.Scope = a.AccountID
			out = append(out, r)
		}
	}
	return out
}

func completeIssuer(is *Issuer) {
	if is.RemoteState != nil && is.RemoteState.Output == "" {
		is.RemoteState.Output = DefaultRemoteStateOutput
	}
}
