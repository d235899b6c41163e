package terraform

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/wigen-dev/wigen/schema"
)

// Schema conformance: every block and argument wigen renders exists in the
// schema of the provider version the module targets, in the right form
// (block or attribute), is not read-only, and every required argument and
// block is there. CI has no provider binaries, so it cannot run
// `terraform validate`; this is the check it can run. The schemas are
// `terraform providers schema -json` output (testdata/README.md).

// Provider schemas in testdata, by provider and version.
var schemaFiles = map[string]map[string]string{
	"azurerm": {
		"4.81.0": "subset-azurerm4.81.0.json",
		"5.2.0":  "subset-azurerm5.2.0.json",
	},
	"helm": {
		"2.17.0": "subset-helm2.17.0.json",
		"3.1.2":  "subset-helm3.1.2-kubernetes3.2.1.json",
	},
	"kubernetes": {
		"3.2.1": "subset-helm3.1.2-kubernetes3.2.1.json",
	},
}

// Hand-written schemas for what the subsets lack, merged into every
// version of their provider (testdata/README.md names the sources).
var handwritten = []string{
	"handwritten-azurerm-data-azurerm_user_assigned_identity.json",
	"handwritten-builtin-terraform_remote_state.json",
}

const builtinAddr = "terraform.io/builtin/terraform"

func providerAddr(name string) string { return "registry.terraform.io/hashicorp/" + name }

type tfSchemaFile struct {
	ProviderSchemas map[string]*tfProvider `json:"provider_schemas"`
}

type tfProvider struct {
	Provider          *tfEntry            `json:"provider"`
	ResourceSchemas   map[string]*tfEntry `json:"resource_schemas"`
	DataSourceSchemas map[string]*tfEntry `json:"data_source_schemas"`
}

type tfEntry struct {
	Block *tfBlock `json:"block"`
}

type tfBlock struct {
	Attributes map[string]*tfAttribute `json:"attributes"`
	BlockTypes map[string]*tfBlockType `json:"block_types"`
	Deprecated bool                    `json:"deprecated"`
}

type tfAttribute struct {
	NestedType *tfNestedType `json:"nested_type"`
	Required   bool          `json:"required"`
	Optional   bool          `json:"optional"`
	Computed   bool          `json:"computed"`
	Deprecated bool          `json:"deprecated"`
}

type tfNestedType struct {
	Attributes  map[string]*tfAttribute `json:"attributes"`
	NestingMode string                  `json:"nesting_mode"`
}

type tfBlockType struct {
	NestingMode string   `json:"nesting_mode"`
	Block       *tfBlock `json:"block"`
	MinItems    int      `json:"min_items"`
	MaxItems    int      `json:"max_items"`
}

func readSchemaFile(t *testing.T, name string) *tfSchemaFile {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	var f tfSchemaFile
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return &f
}

// providerSchema returns the schema of provider name at version v, with
// the hand-written data sources of that provider merged in.
func providerSchema(t *testing.T, name, v string) *tfProvider {
	t.Helper()
	file, ok := schemaFiles[name][v]
	if !ok {
		t.Fatalf("no schema for %s %s in testdata", name, v)
	}
	p := readSchemaFile(t, file).ProviderSchemas[providerAddr(name)]
	if p == nil {
		t.Fatalf("%s has no %s", file, providerAddr(name))
	}
	for _, hw := range handwritten {
		extra := readSchemaFile(t, hw).ProviderSchemas[providerAddr(name)]
		if extra == nil {
			continue
		}
		if p.DataSourceSchemas == nil {
			p.DataSourceSchemas = map[string]*tfEntry{}
		}
		for k, v := range extra.DataSourceSchemas {
			if _, dup := p.DataSourceSchemas[k]; dup {
				t.Fatalf("%s: data source %s is already in %s; drop the hand-written one", hw, k, file)
			}
			p.DataSourceSchemas[k] = v
		}
	}
	return p
}

func builtinSchema(t *testing.T) *tfProvider {
	t.Helper()
	for _, hw := range handwritten {
		if p := readSchemaFile(t, hw).ProviderSchemas[builtinAddr]; p != nil {
			return p
		}
	}
	t.Fatal("no schema for the builtin terraform provider")
	return nil
}

// target is the provider versions a module is checked against.
type target struct {
	azurerm, helm, kubernetes string
	// parentID: the module targets azurerm below 4.65.0 (parent_id and
	// resource_group_name, deprecated from 4.60/4.65, are expected).
	parentID bool
}

func (tg target) String() string {
	return fmt.Sprintf("azurerm %s, helm %s, kubernetes %s", tg.azurerm, tg.helm, tg.kubernetes)
}

// targets chooses, for the constraints of s, every schema version in
// testdata that the constraint admits.
//
//   - azurerm: 4.81.0 and/or 5.2.0 as admitted. A parent_id module
//     (constraint below 4.65.0) is checked against 4.81.0: no schema below
//     4.65 is in testdata, and 4.81.0 still has parent_id and
//     resource_group_name (deprecated, removed only in 5.0.0), with the same
//     required arguments.
//   - helm: 2.17.0 or 3.1.2, whichever the constraint admits.
//   - kubernetes: 3.2.1, the only schema in testdata; it stands in for 2.x
//     too: kubernetes_namespace_v1 (metadata.name) and the provider's
//     config_path and config_context are the same in 2.x.
func targets(t *testing.T, s *schema.Spec) []target {
	t.Helper()
	admitted := func(name, constraint string) []string {
		c, err := version.NewConstraint(constraint)
		if err != nil {
			t.Fatalf("%s constraint %q: %v", name, constraint, err)
		}
		var out []string
		for v := range schemaFiles[name] {
			if c.Check(version.Must(version.NewVersion(v))) {
				out = append(out, v)
			}
		}
		sort.Strings(out)
		return out
	}
	p := s.Spec.Terraform.Providers
	az := admitted("azurerm", p.Azurerm)
	parentID := !s.Spec.Terraform.Syntax.UserAssignedIdentityID
	if parentID {
		az = []string{"4.81.0"}
	}
	helm := admitted("helm", p.Helm)
	if len(az) == 0 || len(helm) == 0 {
		t.Fatalf("no schema in testdata for azurerm %q or helm %q; add one", p.Azurerm, p.Helm)
	}
	var out []target
	for _, a := range az {
		for _, h := range helm {
			out = append(out, target{azurerm: a, helm: h, kubernetes: "3.2.1", parentID: parentID})
		}
	}
	return out
}

// conformance collects what does not fit the schemas.
type conformance struct {
	t         *testing.T
	providers map[string]*tfProvider // by local name: azurerm, helm, kubernetes, terraform
	problems  []string
	deprecate []string // deprecated arguments, blocks and resources used
	// declared holds the module's resources and data sources, as
	// "<type>.<label>" and "data.<type>.<label>".
	declared map[string]bool
	// uses holds, by provider, the first block that needs it installed: a
	// provider configuration, a resource or data source, or a removed
	// block (Terraform starts the provider of an object it forgets, to
	// read the object's state); required the constraint of each provider
	// required_providers names.
	uses, required map[string]string
	// azureOnly: the module holds the Azure side only (terraform.release:
	// false): no kubernetes or helm configuration, resource or data source.
	azureOnly bool
	// constraints, when set, are the provider constraints the module must
	// pin (spec.terraform.providers).
	constraints map[string]string
}

// use records that where needs provider p.
func (c *conformance) use(p, where string) {
	if c.uses == nil {
		c.uses = map[string]string{}
	}
	if _, ok := c.uses[p]; !ok && p != "terraform" {
		c.uses[p] = where
	}
}

// builtinFunctions are Terraform built-in functions (Terraform language
// documentation, "Built-in Functions", all there since Terraform 0.12):
// the ones wigen's modules may call. An expression calling anything else
// would fail terraform validate.
var builtinFunctions = map[string]bool{
	"file": true, "sha256": true, "join": true, "lower": true, "upper": true, "format": true,
	"jsonencode": true, "base64encode": true, "trimspace": true, "replace": true, "concat": true, "merge": true,
}

// checkExpr checks every reference and function call in expr: a
// reference names path.module or a resource or data source the module
// declares, and an attribute or block its schema has (the first step after
// the label); a function is a Terraform built-in.
func (c *conformance) checkExpr(where string, expr hclsyntax.Expression) {
	hclsyntax.VisitAll(expr, func(n hclsyntax.Node) hcl.Diagnostics {
		switch e := n.(type) {
		case *hclsyntax.FunctionCallExpr:
			if !builtinFunctions[e.Name] {
				c.problem("%s: calls %s(), which is not a Terraform built-in function", where, e.Name)
			}
		case *hclsyntax.ScopeTraversalExpr:
			c.checkReference(where, e.Traversal)
		}
		return nil
	})
}

func (c *conformance) checkReference(where string, tr hcl.Traversal) {
	names := make([]string, 0, len(tr))
	for _, step := range tr {
		switch s := step.(type) {
		case hcl.TraverseRoot:
			names = append(names, s.Name)
		case hcl.TraverseAttr:
			names = append(names, s.Name)
		default:
			names = append(names, "[]")
		}
	}
	ref := strings.Join(names, ".")
	kind, rest := "resource", names
	if names[0] == "path" {
		if ref != "path.module" {
			c.problem("%s: refers to %s; only path.module is used", where, ref)
		}
		return
	}
	if names[0] == "data" {
		kind, rest = "data", names[1:]
	}
	if len(rest) < 2 {
		c.problem("%s: %s is not <type>.<name>[.<attribute>]", where, ref)
		return
	}
	typ, label := rest[0], rest[1]
	key := typ + "." + label
	if kind == "data" {
		key = "data." + key
	}
	if !c.declared[key] {
		c.problem("%s: refers to %s, which this module does not declare", where, key)
		return
	}
	if len(rest) == 2 {
		return // the whole resource (depends_on)
	}
	attr := rest[2]
	p := c.providers[providerOf(typ)]
	if p == nil {
		return // reported with the block
	}
	schemas := p.ResourceSchemas
	if kind == "data" {
		schemas = p.DataSourceSchemas
	}
	e := schemas[typ]
	if e == nil {
		return // reported with the block
	}
	_, isAttr := e.Block.Attributes[attr]
	_, isBlock := e.Block.BlockTypes[attr]
	if !isAttr && !isBlock {
		c.problem("%s: refers to %s.%s, which %s %s does not have", where, key, attr, kind, typ)
	}
}

func (c *conformance) problem(format string, args ...any) {
	c.problems = append(c.problems, fmt.Sprintf(format, args...))
}

func newConformance(t *testing.T, tg target) *conformance {
	return &conformance{t: t, providers: map[string]*tfProvider{
		"azurerm":    providerSchema(t, "azurerm", tg.azurerm),
		"helm":       providerSchema(t, "helm", tg.helm),
		"kubernetes": providerSchema(t, "kubernetes", tg.kubernetes),
		"terraform":  builtinSchema(t),
	}}
}

// newAzureOnlyConformance checks a module against azurerm alone (and the
// builtin terraform provider): what `terraform init` installs for a module
// without the release (terraform.release: false). A kubernetes or helm
// configuration, resource or data source is then a problem, and so is a
// required_providers entry for either, except for forgotten: the
// providers of the objects adopt's removed blocks make the state forget
// (schema.Environment.ForgottenProviders), which init installs (the state
// names them) and which the module must therefore pin.
func newAzureOnlyConformance(t *testing.T, tg target, forgotten ...string) *conformance {
	c := &conformance{t: t, azureOnly: true, providers: map[string]*tfProvider{
		"azurerm":   providerSchema(t, "azurerm", tg.azurerm),
		"terraform": builtinSchema(t),
	}}
	for _, p := range forgotten {
		c.providers[p] = providerSchema(t, p, map[string]string{"helm": tg.helm, "kubernetes": tg.kubernetes}[p])
	}
	return c
}

// providerOf is the provider of a resource type: the part before the first '_'.
func providerOf(typ string) string {
	p, _, _ := strings.Cut(typ, "_")
	return p
}

var (
	resourceMeta = map[string]bool{"depends_on": true, "count": true, "for_each": true, "provider": true}
	outputArgs   = map[string]bool{"value": true, "description": true, "sensitive": true, "depends_on": true, "ephemeral": true}
)

func (c *conformance) checkModule(m *tfModule) {
	// The addresses the module declares: resources, and data sources
	// with their data. prefix.
	c.declared = map[string]bool{}
	c.uses, c.required = map[string]string{}, map[string]string{}
	for _, b := range m.allBlocks() {
		switch {
		case b.Type == "resource" && len(b.Labels) == 2:
			c.declared[b.Labels[0]+"."+b.Labels[1]] = true
		case b.Type == "data" && len(b.Labels) == 2:
			c.declared["data."+b.Labels[0]+"."+b.Labels[1]] = true
		}
	}
	declared := c.declared
	// Provider configurations: one default per provider, aliases by name
	// (the alias meta-argument, Terraform "Provider Configuration").
	configs := map[string]bool{}
	for _, b := range m.blocks("provider") {
		name := b.Labels[0]
		if a, ok := b.Body.Attributes["alias"]; ok {
			v := exprLiteral(c.t, a.Expr)
			if v.Type() != cty.String || !hclsyntax.ValidIdentifier(v.AsString()) {
				c.problem("provider %s: alias must be an identifier", name)
				continue
			}
			name += "." + v.AsString()
		}
		if configs[name] {
			c.problem("provider %s: configured twice", name)
		}
		configs[name] = true
	}
	for _, b := range m.allBlocks() {
		where := b.Type + " " + strings.Join(b.Labels, ".")
		switch b.Type {
		case "moved", "removed", "import":
			c.checkAdoptBlock(b, declared)
		case "terraform":
			c.checkTerraformBlock(b.Body)
		case "provider":
			p := c.providers[b.Labels[0]]
			if p == nil || p.Provider == nil {
				c.problem("%s: unknown provider", where)
				continue
			}
			c.use(b.Labels[0], where)
			if c.azureOnly && b.Labels[0] != "azurerm" {
				c.problem("%s: a module without the release configures no %s provider (it holds no cluster credentials)", where, b.Labels[0])
			}
			body := b.Body
			if _, ok := body.Attributes["alias"]; ok {
				body = withoutAttribute(body, "alias")
			}
			c.checkBody(where, body, p.Provider.Block, false)
		case "resource", "data":
			p := c.providers[providerOf(b.Labels[0])]
			if p == nil {
				c.problem("%s: unknown provider", where)
				continue
			}
			c.use(providerOf(b.Labels[0]), where)
			if c.azureOnly && providerOf(b.Labels[0]) != "azurerm" && providerOf(b.Labels[0]) != "terraform" {
				c.problem("%s: a module without the release has no %s resources", where, providerOf(b.Labels[0]))
			}
			if a, ok := b.Body.Attributes["provider"]; ok {
				tr, diags := hcl.AbsTraversalForExpr(a.Expr)
				if name := traversalString(tr); diags.HasErrors() || len(tr) != 2 || !configs[name] || tr.RootName() != providerOf(b.Labels[0]) {
					c.problem("%s: provider %s is not a configuration of this module's %s provider", where, name, providerOf(b.Labels[0]))
				}
			}
			schemas := p.ResourceSchemas
			if b.Type == "data" {
				schemas = p.DataSourceSchemas
			}
			e := schemas[b.Labels[0]]
			if e == nil {
				c.problem("%s: no such %s type in this provider version", where, b.Type)
				continue
			}
			if e.Block.Deprecated {
				c.deprecate = append(c.deprecate, where)
			}
			c.checkBody(where, b.Body, e.Block, true)
		case "output":
			for name := range b.Body.Attributes {
				if !outputArgs[name] {
					c.problem("%s: output has no argument %q", where, name)
				}
			}
			if a, ok := b.Body.Attributes["value"]; !ok {
				c.problem("%s: value is required", where)
			} else {
				c.checkExpr(where+".value", a.Expr)
			}
			if len(b.Body.Blocks) > 0 {
				c.problem("%s: unexpected nested block", where)
			}
		default:
			c.problem("%s: unexpected top-level block", where)
		}
	}
	// terraform init installs every provider the configuration or the
	// state needs; one required_providers does not name is installed at
	// its newest version, whatever the state was written with. And a
	// provider pinned that nothing needs is one init installs for nothing.
	for _, p := range slices.Sorted(maps.Keys(c.uses)) {
		if _, ok := c.required[p]; !ok {
			c.problem("%s needs the %s provider, which required_providers does not name: terraform init would install it unpinned", c.uses[p], p)
		}
	}
	for _, p := range slices.Sorted(maps.Keys(c.required)) {
		if _, ok := c.uses[p]; !ok {
			c.problem("required_providers.%s: pinned, but nothing in the module needs the %s provider", p, p)
		}
		if want, ok := c.constraints[p]; ok && c.required[p] != want {
			c.problem("required_providers.%s: version %q, want spec.terraform.providers.%s %q", p, c.required[p], p, want)
		}
	}
}

// checkAdoptBlock checks a moved, removed or import block against the
// Terraform language (not a provider schema; developer.hashicorp.com,
// Terraform language: moved 1.1, import 1.5, removed 1.7), and its
// addresses against the module:
//   - moved { from, to }: two resource addresses of one type; to is
//     declared, from is not (Terraform refuses a moved block whose from
//     still exists);
//   - removed { from; lifecycle { destroy = false } }: from is a resource
//     address the module does not declare;
//   - import { to; id }: to is declared, id a string literal.
func (c *conformance) checkAdoptBlock(b *hclsyntax.Block, declared map[string]bool) {
	where := b.Type
	if len(b.Labels) != 0 {
		c.problem("%s: takes no labels", where)
	}
	allowed := map[string][]string{"moved": {"from", "to"}, "removed": {"from"}, "import": {"to", "id"}}[b.Type]
	for name := range b.Body.Attributes {
		if !slices.Contains(allowed, name) {
			c.problem("%s: unexpected argument %q", where, name)
		}
	}
	for _, name := range allowed {
		if _, ok := b.Body.Attributes[name]; !ok {
			c.problem("%s: %s is required", where, name)
		}
	}
	addr := func(name string) string {
		a, ok := b.Body.Attributes[name]
		if !ok {
			return ""
		}
		tr, diags := hcl.AbsTraversalForExpr(a.Expr)
		if diags.HasErrors() {
			c.problem("%s.%s: not a resource address", where, name)
			return ""
		}
		s := traversalString(tr)
		if strings.HasPrefix(s, "data.") || strings.Contains(s, "[") || strings.Count(strings.TrimPrefix(s, "module."), ".") < 1 {
			c.problem("%s.%s: %s is not a resource address", where, name, s)
		}
		return s
	}
	typeOf := func(a string) string {
		parts := strings.Split(a, ".")
		if len(parts) < 2 {
			return ""
		}
		return parts[len(parts)-2]
	}
	switch b.Type {
	case "moved":
		from, to := addr("from"), addr("to")
		if from != "" && to != "" && typeOf(from) != typeOf(to) {
			c.problem("moved: from %s and to %s are of different types (Move Resource State Not Supported)", from, to)
		}
		if declared[from] {
			c.problem("moved: from %s is still declared", from)
		}
		if to != "" && !declared[to] {
			c.problem("moved: to %s is not declared", to)
		}
	case "removed":
		from := addr("from")
		if declared[from] {
			c.problem("removed: from %s is still declared", from)
		}
		if from != "" {
			c.use(providerOf(typeOf(from)), "removed "+from)
		}
		var destroy *hclsyntax.Block
		for _, nb := range b.Body.Blocks {
			if nb.Type == "lifecycle" && destroy == nil {
				destroy = nb
			} else {
				c.problem("removed: unexpected block %q", nb.Type)
			}
		}
		if destroy == nil {
			c.problem("removed: lifecycle { destroy = false } is missing")
		} else if v, ok := literal(c.t, destroy.Body, "destroy"); !ok || !v.RawEquals(cty.False) || len(destroy.Body.Attributes) != 1 {
			c.problem("removed: lifecycle must hold exactly destroy = false")
		}
	case "import":
		if to := addr("to"); to != "" && !declared[to] {
			c.problem("import: to %s is not declared", to)
		}
		if v, ok := literal(c.t, b.Body, "id"); ok && (v.Type() != cty.String || v.AsString() == "") {
			c.problem("import: id is not a non-empty string")
		}
	}
	if b.Type != "removed" && len(b.Body.Blocks) > 0 {
		c.problem("%s: unexpected nested block", where)
	}
}

// checkTerraformBlock: required_version, required_providers with
// source and version for each provider; the backend is the user's.
func (c *conformance) checkTerraformBlock(body *hclsyntax.Body) {
	for name := range body.Attributes {
		if name != "required_version" {
			c.problem("terraform: unexpected argument %q", name)
		}
	}
	for _, b := range body.Blocks {
		switch b.Type {
		case "backend":
			if len(b.Labels) != 1 {
				c.problem("terraform.backend: want one label, the backend type")
			}
		case "required_providers":
			for name, a := range b.Body.Attributes {
				if _, ok := c.providers[name]; !ok || name == "terraform" {
					c.problem("required_providers: unknown provider %q", name)
					continue
				}
				items := objectItems(c.t, a.Expr)
				if len(items) != 2 || items["source"] == nil || items["version"] == nil {
					c.problem("required_providers.%s: want source and version", name)
					continue
				}
				if src := exprLiteral(c.t, items["source"]).AsString(); src != "hashicorp/"+name {
					c.problem("required_providers.%s: source %q", name, src)
				}
				c.required[name] = exprLiteral(c.t, items["version"]).AsString()
			}
		default:
			c.problem("terraform: unexpected block %q", b.Type)
		}
	}
}

func (c *conformance) checkBody(where string, body *hclsyntax.Body, blk *tfBlock, meta bool) {
	for name, a := range body.Attributes {
		if meta && resourceMeta[name] {
			if name == "depends_on" {
				c.checkExpr(where+"."+name, a.Expr)
			}
			continue
		}
		sa, ok := blk.Attributes[name]
		if !ok {
			if _, isBlock := blk.BlockTypes[name]; isBlock {
				c.problem("%s.%s: is a block in this version (%s { ... }), written as an attribute", where, name, name)
			} else {
				c.problem("%s.%s: no such argument", where, name)
			}
			continue
		}
		c.checkAttribute(where+"."+name, a.Expr, sa)
	}
	counts := map[string]int{}
	for _, b := range body.Blocks {
		if meta && b.Type == "lifecycle" {
			continue
		}
		bt, ok := blk.BlockTypes[b.Type]
		if !ok {
			if _, isAttr := blk.Attributes[b.Type]; isAttr {
				c.problem("%s.%s: is an attribute in this version (%s = ...), written as a block", where, b.Type, b.Type)
			} else {
				c.problem("%s.%s: no such block", where, b.Type)
			}
			continue
		}
		counts[b.Type]++
		if bt.Block.Deprecated {
			c.deprecate = append(c.deprecate, where+"."+b.Type)
		}
		c.checkBody(where+"."+b.Type, b.Body, bt.Block, false)
	}
	for name, bt := range blk.BlockTypes {
		n := counts[name]
		max := bt.MaxItems
		if bt.NestingMode == "single" || bt.NestingMode == "group" {
			max = 1
		}
		if n < bt.MinItems {
			c.problem("%s: needs at least %d %s block(s), has %d", where, bt.MinItems, name, n)
		}
		if max > 0 && n > max {
			c.problem("%s: allows at most %d %s block(s), has %d", where, max, name, n)
		}
	}
	for name, sa := range blk.Attributes {
		if _, ok := body.Attributes[name]; sa.Required && !ok {
			c.problem("%s.%s: required argument missing", where, name)
		}
	}
}

func (c *conformance) checkAttribute(where string, expr hclsyntax.Expression, sa *tfAttribute) {
	if sa.NestedType == nil {
		c.checkExpr(where, expr) // nested objects check their own attributes
	}
	if sa.Computed && !sa.Optional && !sa.Required {
		c.problem("%s: read-only attribute, cannot be set", where)
	}
	if sa.Deprecated {
		c.deprecate = append(c.deprecate, where)
	}
	nt := sa.NestedType
	if nt == nil {
		return
	}
	switch nt.NestingMode {
	case "single":
		c.checkObject(where, expr, nt)
	case "list", "set":
		tup, ok := expr.(*hclsyntax.TupleConsExpr)
		if !ok {
			c.problem("%s: want a list of objects [{ ... }]", where)
			return
		}
		for i, e := range tup.Exprs {
			c.checkObject(fmt.Sprintf("%s[%d]", where, i), e, nt)
		}
	}
}

func (c *conformance) checkObject(where string, expr hclsyntax.Expression, nt *tfNestedType) {
	obj, ok := expr.(*hclsyntax.ObjectConsExpr)
	if !ok {
		c.problem("%s: want an object { ... }", where)
		return
	}
	seen := map[string]bool{}
	for _, it := range obj.Items {
		name := hcl.ExprAsKeyword(it.KeyExpr)
		sa, ok := nt.Attributes[name]
		if !ok {
			c.problem("%s.%s: no such attribute", where, name)
			continue
		}
		seen[name] = true
		c.checkAttribute(where+"."+name, it.ValueExpr, sa)
	}
	for name, sa := range nt.Attributes {
		if sa.Required && !seen[name] {
			c.problem("%s.%s: required attribute missing", where, name)
		}
	}
}

// withoutAttribute is body without attribute name (a copy; body is kept).
func withoutAttribute(body *hclsyntax.Body, name string) *hclsyntax.Body {
	out := *body
	out.Attributes = hclsyntax.Attributes{}
	for k, a := range body.Attributes {
		if k != name {
			out.Attributes[k] = a
		}
	}
	return &out
}

// expectedDeprecations are the deprecated arguments a parent_id module
// uses on purpose: below azurerm 4.65.0 they are the only way to name the
// identity (4.81.0, the stand-in schema, marks them deprecated).
var expectedDeprecations = []string{
	"resource azurerm_federated_identity_credential.%s.parent_id",
	"resource azurerm_federated_identity_credential.%s.resource_group_name",
}

// checkConformance checks every module of s against every target version:
// a module without the release against azurerm alone.
func checkConformance(t *testing.T, s *schema.Spec) {
	t.Helper()
	mods := parseModules(t, mustRender(t, s))
	for _, tg := range targets(t, s) {
		for _, e := range s.Spec.Environments {
			m := mods[e.Name]
			if !e.HasTarget(schema.TargetTerraform) {
				if m != nil {
					t.Errorf("%s renders no terraform, but has a module", e.Name)
				}
				continue
			}
			c := newConformance(t, tg)
			if !e.TerraformRelease() {
				c = newAzureOnlyConformance(t, tg, e.ForgottenProviders()...)
			}
			p := s.Spec.Terraform.Providers
			c.constraints = map[string]string{"azurerm": p.Azurerm, "kubernetes": p.Kubernetes, "helm": p.Helm}
			c.checkModule(m)
			sort.Strings(c.problems)
			for _, p := range c.problems {
				t.Errorf("%s (%s): %s", e.Name, tg, p)
			}
			allowed := map[string]bool{}
			if tg.parentID {
				for _, l := range m.resourceLabels("resource", "azurerm_federated_identity_credential") {
					for _, d := range expectedDeprecations {
						allowed[fmt.Sprintf(d, l)] = true
					}
				}
			}
			for _, d := range c.deprecate {
				if !allowed[d] {
					t.Errorf("%s (%s): %s is deprecated in this version", e.Name, tg, d)
				}
			}
		}
	}
}

func TestSchemaConformance(t *testing.T) {
	for name := range goldenInputs(t) {
		t.Run(name, func(t *testing.T) { checkConformance(t, goldenSpec(t, name)) })
	}
}

// TestSchemaConformanceFindsErrors feeds the checker modules that are wrong
// for their target, so it is known to fail when it should.
func TestSchemaConformanceFindsErrors(t *testing.T) {
	tutorial := goldenSpec(t, "open-webui-aks")
	current := goldenSpec(t, "current-providers")
	for _, tc := range []struct {
		name string
		spec *schema.Spec
		tg   target
		want []string
	}{
		{
			// helm 2.x syntax checked against helm 3.1.2.
			name: "set blocks on helm 3",
			spec: tutorial,
			tg:   target{azurerm: "4.81.0", helm: "3.1.2", kubernetes: "3.2.1"},
			want: []string{"provider helm.kubernetes: is an attribute", "resource helm_release.this.set: is an attribute"},
		},
		{
			// helm 3.x syntax checked against helm 2.17.0.
			name: "set list on helm 2",
			spec: current,
			tg:   target{azurerm: "4.81.0", helm: "2.17.0", kubernetes: "3.2.1"},
			want: []string{"provider helm.kubernetes: is a block", "resource helm_release.this.set: is a block"},
		},
		{
			// parent_id checked against azurerm 5.2.0, where it is gone.
			name: "parent_id on azurerm 5",
			spec: tutorial,
			tg:   target{azurerm: "5.2.0", helm: "2.17.0", kubernetes: "3.2.1"},
			want: []string{
				"resource azurerm_federated_identity_credential.aks_example.parent_id: no such argument",
				"resource azurerm_federated_identity_credential.aks_example.resource_group_name: no such argument",
				"resource azurerm_federated_identity_credential.aks_example.user_assigned_identity_id: required argument missing",
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newConformance(t, tc.tg)
			for _, m := range parseModules(t, mustRender(t, tc.spec)) {
				c.checkModule(m)
			}
			got := strings.Join(c.problems, "\n")
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("problems do not mention %q; got:\n%s", w, got)
				}
			}
		})
	}
}

// TestConformanceChecksReferences: the checker finds a reference to an
// attribute the identity does not have, to an undeclared resource, and a
// function Terraform does not have, in the helm_release's set entries.
func TestConformanceChecksReferences(t *testing.T) {
	s := goldenSpec(t, "current-providers")
	for _, tc := range []struct{ old, repl, want string }{
		{"lower(azurerm_user_assigned_identity.this.client_id)", "lower(azurerm_user_assigned_identity.this.clientid)", "refers to azurerm_user_assigned_identity.this.clientid, which resource azurerm_user_assigned_identity does not have"},
		{"lower(azurerm_user_assigned_identity.this.client_id)", "lower(azurerm_user_assigned_identity.other.client_id)", "refers to azurerm_user_assigned_identity.other, which this module does not declare"},
		{"sha256(join(", "sha3(join(", "calls sha3(), which is not a Terraform built-in function"},
	} {
		t.Run(tc.want, func(t *testing.T) {
			m := parseModules(t, mustRender(t, s))["prod"]
			renameInRelease(t, m, tc.old, tc.repl)
			c := newConformance(t, targets(t, s)[0])
			c.checkModule(m)
			if got := strings.Join(c.problems, "\n"); !strings.Contains(got, tc.want) {
				t.Errorf("problems do not mention %q; got:\n%s", tc.want, got)
			}
		})
	}
}
