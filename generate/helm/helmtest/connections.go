// Package helmtest holds checks shared by the tests of every path that
// renders Open WebUI's environment (the Terraform module's values, the
// standalone Helm values, the Kustomize overlay, a chart rendered with
// them): the Azure OpenAI connections read back the way the app reads them.
package helmtest

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/wigen-dev/wigen/generate/helm"
	"github.com/wigen-dev/wigen/schema"
)

// Connection is one connection as Open WebUI reads it from its
// environment: index i of OPENAI_API_BASE_URLS and OPENAI_API_KEYS (each
// split at ';') and OPENAI_API_CONFIGS["i"].
type Connection struct {
	URL, Key string
	Config   Config
}

// Config is one entry of OPENAI_API_CONFIGS; Set lists the JSON keys given.
type Config struct {
	Enable     bool     `json:"enable"`
	Azure      bool     `json:"azure"`
	APIVersion string   `json:"api_version"`
	AuthType   string   `json:"auth_type"`
	ModelIDs   []string `json:"model_ids"`
	PrefixID   string   `json:"prefix_id"`
	Set        []string `json:"-"`
}

// Connections reads the connections from env (name to value) as Open
// WebUI's config.py and routers/openai.py do: the URLs and keys split at
// ';' (an empty OPENAI_API_KEYS reads as one empty key), the configs a JSON
// object keyed by the connection's index. It refuses what would not line
// up: a count of keys other than the count of URLs (for more than one
// URL), a config key that is not the index of a URL, a URL without config.
func Connections(env map[string]string) ([]Connection, error) {
	rawURLs, ok := env[helm.EnvBaseURLs]
	if !ok {
		return nil, fmt.Errorf("%s is not set", helm.EnvBaseURLs)
	}
	urls := strings.Split(rawURLs, ";")
	keys := strings.Split(env[helm.EnvKeys], ";")
	if _, ok := env[helm.EnvKeys]; !ok {
		return nil, fmt.Errorf("%s is not set", helm.EnvKeys)
	}
	if len(keys) != len(urls) && !(len(keys) == 1 && keys[0] == "" && len(urls) == 1) {
		return nil, fmt.Errorf("%s has %d entries, %s %d: the indices do not line up", helm.EnvKeys, len(keys), helm.EnvBaseURLs, len(urls))
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal([]byte(env[helm.EnvConfigs]), &raw); err != nil {
		return nil, fmt.Errorf("%s is not a JSON object: %v", helm.EnvConfigs, err)
	}
	var extra []string
	for k := range raw {
		if i, err := strconv.Atoi(k); err != nil || i < 0 || i >= len(urls) || strconv.Itoa(i) != k {
			extra = append(extra, k)
		}
	}
	if len(extra) > 0 {
		sort.Strings(extra)
		return nil, fmt.Errorf("%s has keys %q that are not the index of a URL (0..%d)", helm.EnvConfigs, extra, len(urls)-1)
	}
	out := make([]Connection, len(urls))
	for i, u := range urls {
		out[i] = Connection{URL: u, Key: keys[i]}
		r, ok := raw[strconv.Itoa(i)]
		if !ok {
			return nil, fmt.Errorf("%s has no config %q for URL %s", helm.EnvConfigs, strconv.Itoa(i), u)
		}
		if err := json.Unmarshal(r, &out[i].Config); err != nil {
			return nil, fmt.Errorf("%s[%q]: %v", helm.EnvConfigs, strconv.Itoa(i), err)
		}
		var fields map[string]any
		_ = json.Unmarshal(r, &fields)
		for k := range fields {
			out[i].Config.Set = append(out[i].Config.Set, k)
		}
		sort.Strings(out[i].Config.Set)
	}
	return out, nil
}

// CheckConnections reads the connections from env and returns every way
// they differ from accounts (nothing when connection i is account i, an
// enabled Azure connection with Microsoft Entra ID, an empty key, the
// account's endpoint, API version, deployments as model IDs and prefix ID).
func CheckConnections(env map[string]string, accounts []schema.AzureOpenAI) []string {
	cs, err := Connections(env)
	if err != nil {
		return []string{err.Error()}
	}
	if len(cs) != len(accounts) {
		return []string{fmt.Sprintf("%d connections, want one per account (%d)", len(cs), len(accounts))}
	}
	var problems []string
	for i, c := range cs {
		a := accounts[i]
		bad := func(format string, args ...any) {
			problems = append(problems, fmt.Sprintf("connection %d: ", i)+fmt.Sprintf(format, args...))
		}
		if want := strings.TrimSuffix(a.Endpoint, "/"); c.URL != want {
			bad("URL %q, want %q", c.URL, want)
		}
		if c.Key != "" {
			bad("key %q, want none", c.Key)
		}
		cfg := c.Config
		if !cfg.Enable || !cfg.Azure || cfg.AuthType != "microsoft_entra_id" {
			bad("enable %v, azure %v, auth_type %q: want an enabled Azure connection with microsoft_entra_id", cfg.Enable, cfg.Azure, cfg.AuthType)
		}
		if cfg.APIVersion != a.APIVersion {
			bad("api_version %q, want %q", cfg.APIVersion, a.APIVersion)
		}
		if !reflect.DeepEqual(cfg.ModelIDs, a.Deployments) {
			bad("model_ids %q, want %q", cfg.ModelIDs, a.Deployments)
		}
		if cfg.PrefixID != a.PrefixID {
			bad("prefix_id %q, want %q", cfg.PrefixID, a.PrefixID)
		}
		want := []string{"api_version", "auth_type", "azure", "enable", "model_ids"}
		if a.PrefixID != "" {
			want = append(want, "prefix_id")
			sort.Strings(want)
		}
		if !reflect.DeepEqual(cfg.Set, want) {
			bad("config keys %q, want %q", cfg.Set, want)
		}
	}
	return problems
}

// EnvMap turns an env list (extraEnvVars as the values hold it, or a
// container's env read as JSON) into name to value; a name set twice is
// an error, as it is ambiguous which value the container gets.
func EnvMap(list []any) (map[string]string, error) {
	out := map[string]string{}
	for _, item := range list {
		m, ok := item.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("env entry %v is not a mapping", item)
		}
		name, _ := m["name"].(string)
		if _, dup := out[name]; dup {
			return nil, fmt.Errorf("env %s is set twice", name)
		}
		v, _ := m["value"].(string)
		out[name] = v
	}
	return out, nil
}
