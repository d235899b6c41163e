package schema

import (
	"fmt"
	"strings"
	"sync"

	version "github.com/hashicorp/go-version"
)

// constraint is a parsed Terraform version constraint that can answer on
// which side of a version break it admits versions.
type constraint struct {
	cs version.Constraints
	// candidates are versions at every edge the constraint can have; the set
	// it admits is an interval (less != holes) whose ends are among them.
	candidates []*version.Version
}

var mentionedRE = lazyRE(`\d+(?:\.\d+){0,2}`)

// parseConstraint parses Terraform constraint syntax ("~> 4.65",
// ">= 3.1.1, < 4.0.0") with hashicorp/go-version.
func parseConstraint(s string) (*constraint, error) {
	if strings.TrimSpace(s) == "" {
		return nil, fmt.Errorf("is empty")
	}
	cs, err := version.NewConstraint(s)
	if err != nil {
		return nil, err
	}
	c := &constraint{cs: cs}
	c.addEdges("0.0.0")
	for _, m := range mentionedRE.FindAllString(s, -1) {
		c.addEdges(m)
	}
	return c, nil
}

// addEdges adds v, its successors (next patch, minor, major) and its
// predecessor to the candidates.
func (c *constraint) addEdges(v string) {
	ver, err := version.NewVersion(v)
	if err != nil {
		return
	}
	seg := ver.Segments()
	for len(seg) < 3 {
		seg = append(seg, 0)
	}
	a, b, p := seg[0], seg[1], seg[2]
	add := func(x, y, z int) {
		if x >= 0 && y >= 0 && z >= 0 {
			c.candidates = append(c.candidates, version.Must(version.NewVersion(fmt.Sprintf("%d.%d.%d", x, y, z))))
		}
	}
	add(a, b, p)
	add(a, b, p+1)
	add(a, b+1, 0)
	add(a+1, 0, 0)
	switch {
	case p > 0:
		add(a, b, p-1)
	case b > 0:
		add(a, b-1, 1<<20)
	case a > 0:
		add(a-1, 1<<20, 1<<20)
	}
}

// admits reports whether some admitted version v satisfies keep(v).
func (c *constraint) admits(keep func(*version.Version) bool) bool {
	for _, v := range c.candidates {
		if keep(v) && c.cs.Check(v) {
			return true
		}
	}
	return false
}

// none reports whether the constraint admits no version at all.
func (c *constraint) none() bool {
	return !c.admits(func(*version.Version) bool { return true })
}

// admitsBelow reports whether some admitted version is lower than b.
func (c *constraint) admitsBelow(b string) bool {
	bv := version.Must(version.NewVersion(b))
	c.addEdges(b)
	return c.admits(func(v *version.Version) bool { return v.LessThan(bv) })
}

// admitsFrom reports whether some admitted version is b or higher.
func (c *constraint) admitsFrom(b string) bool {
	bv := version.Must(version.NewVersion(b))
	c.addEdges(b)
	return c.admits(func(v *version.Version) bool { return !v.LessThan(bv) })
}

// spans reports whether the constraint admits versions on both sides of b.
func (c *constraint) spans(b string) bool { return c.admitsBelow(b) && c.admitsFrom(b) }

// Version breaks wigen must choose a side of (facts.md "Terraform providers").
const (
	// azurerm 4.65.0 renamed parent_id of azurerm_federated_identity_credential
	// to user_assigned_identity_id (parent_id removed in 5.0.0).
	azurermUserAssignedIdentityID = "4.65.0"
	// helm provider 3.0.0 turned set {} and kubernetes {} blocks into attributes.
	helmV3 = "3.0.0"
	// helm provider 3.0.x (and 3.1.0) fail chart upgrades with "inconsistent
	// result after apply"; fixed in 3.1.1.
	helmUpgradeFix = "3.1.1"
)

// The oldest provider versions wigen writes for. A constraint must admit
// one of them or newer (Terraform installs the newest version a
// constraint admits).
const (
	// azurerm_federated_identity_credential is an azurerm 3.x resource.
	azurermMin = "3.0.0"
	// terraformMin is the oldest Terraform wigen's modules run on: plugin
	// protocol 6, with nested attributes, is read from Terraform 1.0
	// (Terraform plugin protocol documentation, "Protocol Version 6").
	terraformMin = "1.0.0"
	// kubernetes_namespace_v1 and the _v1 resources came with the 2.x line.
	kubernetesMin = "2.0.0"
	// helm provider 2.0 is the first with the kubernetes block wigen writes.
	helmMin = "2.0.0"
)

// imageTagRE is an Open WebUI image tag with a version: v0.6.33, 0.6.33-cuda.
var imageTagRE = lazyRE(`^v?(\d+\.\d+\.\d+)(?:[-+][0-9A-Za-z.-]+)?$`)

// appVersion returns the version core of an Open WebUI image tag.
func appVersion(tag string) (*version.Version, bool) {
	m := imageTagRE.FindStringSubmatch(tag)
	if m == nil {
		return nil, false
	}
	v, err := version.NewVersion(m[1])
	return v, err == nil
}

// semverRE is an exact chart version (Helm charts use SemVer 2).
var semverRE = lazyRE(`^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$`)

func versionAtLeast(v *version.Version, min string) bool {
	return !v.LessThan(version.Must(version.NewVersion(min)))
}

// versionStringAtLeast reports whether the version v is min or later, as
// hashicorp/go-version reads and compares them; ok is false when v does
// not parse. The answers are remembered (atLeastMemo).
func versionStringAtLeast(v, min string) (atLeast, ok bool) {
	key := [2]string{v, min}
	atLeastMu.Lock()
	r, hit := atLeastMemo[key]
	atLeastMu.Unlock()
	if hit {
		return r[0], r[1]
	}
	if pv, err := version.NewVersion(v); err == nil {
		atLeast, ok = versionAtLeast(pv, min), true
	}
	atLeastMu.Lock()
	if len(atLeastMemo) < maxAtLeastMemo {
		atLeastMemo[key] = [2]bool{atLeast, ok}
	}
	atLeastMu.Unlock()
	return atLeast, ok
}

// atLeastMemo holds versionStringAtLeast's answers: a render asks about
// the spec's one chart version for every environment and file (tens of
// thousands of times for 1000 environments), and parsing the two versions
// with go-version cost 3% of such a render. At most maxAtLeastMemo
// entries, so a process that loads many inputs (a fuzzer) stays bounded.
var (
	atLeastMu   sync.Mutex
	atLeastMemo = map[[2]string][2]bool{}
)

const maxAtLeastMemo = 256
