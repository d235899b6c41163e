package lint

import (
	"fmt"
	"sort"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/agext/levenshtein"
	"github.com/wigen-dev/wigen/schema"
)

// The keys the Azure Workload ID webhook reads are in schema
// (schema.LabelUse, schema.AnnotationClientID, ...; facts.md "Azure
// Workload ID webhook", read at v1.6.0), with the rules on their values.

// annotationUsePrefix starts pod annotations newer webhooks read
// (use-identity-binding, and use-<suffix> for a custom token endpoint
// configured on the webhook); wigen neither requires nor flags them.
const annotationUsePrefix = "azure.workload.identity/use-"

// place is where a label or annotation sits.
type place int

const (
	placeServiceAccount place = iota // a ServiceAccount's metadata
	placePod                         // a pod template's (or a Pod's) metadata
	placeOther                       // any other object's metadata, a workload's own included
)

func (p place) String() string {
	switch p {
	case placeServiceAccount:
		return "a ServiceAccount"
	case placePod:
		return "a pod template"
	}
	return "this object"
}

// keyRule says where the webhook reads a key: as a label or an annotation,
// and on which objects.
type keyRule struct {
	label  bool
	places []place
	where  string // for messages: where the key belongs
}

// knownKeys is every key the webhook reads, where it reads it
// (facts.md "Azure Workload ID webhook"; the webhook reads the ServiceAccount
// and the pod at pod creation, nothing else).
var knownKeys = map[string]keyRule{
	schema.LabelUse:                     {label: true, places: []place{placePod}, where: "a label on the pod template (spec.template.metadata.labels); since webhook v1.0.0 a label on the ServiceAccount or the workload does nothing"},
	schema.AnnotationClientID:           {places: []place{placeServiceAccount}, where: "an annotation on the ServiceAccount"},
	schema.AnnotationTenantID:           {places: []place{placeServiceAccount}, where: "an annotation on the ServiceAccount"},
	schema.AnnotationTokenExpiration:    {places: []place{placeServiceAccount, placePod}, where: "an annotation on the ServiceAccount or the pod template"},
	schema.AnnotationSkipContainers:     {places: []place{placePod}, where: "an annotation on the pod template"},
	schema.AnnotationInjectProxySidecar: {places: []place{placePod}, where: "an annotation on the pod template"},
	schema.AnnotationProxySidecarPort:   {places: []place{placePod}, where: "an annotation on the pod template"},
}

// knownKeyNames is knownKeys' keys, sorted (for stable suggestions).
var knownKeyNames = func() []string {
	var ks []string
	for k := range knownKeys {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}()

// wiPrefix is schema.AnnotationPrefix without its '/'.
var wiPrefix = strings.TrimSuffix(schema.AnnotationPrefix, "/")

// meantAsWorkloadID reports whether key looks meant as a Workload ID key:
// its prefix (the part before '/') is azure.workload.identity or within three
// edits of it, ignoring case ("Azure.Workload.Identity",
// "azure-workload-identity", "azure.workload.identities").
func meantAsWorkloadID(key string) bool {
	prefix, _, ok := strings.Cut(key, "/")
	if !ok {
		return false
	}
	return levenshtein.Distance(strings.ToLower(prefix), wiPrefix, nil) <= 3
}

// isKnownUseAnnotation reports whether key is one of the use-* pod
// annotations of newer webhooks (see annotationUsePrefix).
func isKnownUseAnnotation(key string) bool {
	return strings.HasPrefix(key, annotationUsePrefix) && len(key) > len(annotationUsePrefix)
}

// normalizeKey lowercases key and drops every character but letters and
// digits, so "client_id", "clientId" and "client-id" compare equal.
func normalizeKey(key string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(key) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// suggestKey returns the known key closest to a misspelled one, or "" when
// none is close. Names (the part after '/') are compared normalized: equal,
// or within a third of the known name's length in edits (at least one).
func suggestKey(key string) string {
	n := normalizeKey(keyName(key))
	best, bestDist := "", -1
	for _, k := range knownKeyNames {
		d := levenshtein.Distance(n, normalizeKey(keyName(k)), nil)
		if bestDist < 0 || d < bestDist {
			best, bestDist = k, d
		}
	}
	if bestDist <= max(1, len(normalizeKey(keyName(best)))/3) {
		return best
	}
	return ""
}

// keyName is the part of a key after its prefix's '/'.
func keyName(key string) string {
	_, name, _ := strings.Cut(key, "/")
	return name
}

// checkKeys reports misspelled (WI010) and misplaced (WI011) Workload ID
// keys among meta's labels and annotations. ownerOfPod: meta belongs to a
// workload with a pod template, where checkPod judges the use label.
func (c *checker) checkKeys(o *object, path string, meta *metav1.ObjectMeta, pl place, ownerOfPod bool) {
	for _, k := range sortedKeys(meta.Labels) {
		if !meantAsWorkloadID(k) {
			continue
		}
		rule, known := knownKeys[k]
		switch {
		case !known:
			c.misspelled(o, "label", k, path+".labels")
		case !rule.label:
			c.add(o.finding(IDKeyMisplaced,
				fmt.Sprintf("%s is given as a label at %s.labels; the webhook reads it as %s", k, path, rule.where),
				"move it to the annotations"))
		case !rule.at(pl):
			if k == schema.LabelUse && ownerOfPod {
				continue // checkPod reports it
			}
			c.add(o.finding(IDKeyMisplaced,
				fmt.Sprintf("label %s at %s.labels does nothing on %s; the webhook reads it as %s", k, path, pl, rule.where),
				"remove it here"))
		}
	}
	for _, k := range sortedKeys(meta.Annotations) {
		if !meantAsWorkloadID(k) {
			continue
		}
		rule, known := knownKeys[k]
		switch {
		case !known && isKnownUseAnnotation(k):
			if pl == placeOther {
				c.add(o.finding(IDKeyMisplaced,
					fmt.Sprintf("annotation %s at %s.annotations does nothing on %s; the webhook reads it on the pod", k, path, pl),
					"move it to the pod template's annotations"))
			}
		case !known:
			c.misspelled(o, "annotation", k, path+".annotations")
		case rule.label:
			c.add(o.finding(IDKeyMisplaced,
				fmt.Sprintf("%s is given as an annotation at %s.annotations; the webhook reads it as %s", k, path, rule.where),
				fmt.Sprintf("make it a label: %s: %s", k, schema.Quote(schema.LabelUseValue))))
		case !rule.at(pl):
			c.add(o.finding(IDKeyMisplaced,
				fmt.Sprintf("annotation %s at %s.annotations does nothing on %s; the webhook reads it as %s", k, path, pl, rule.where),
				"move it there"))
		}
	}
}

func (r keyRule) at(p place) bool {
	for _, x := range r.places {
		if x == p {
			return true
		}
	}
	return false
}

func (c *checker) misspelled(o *object, what, key, path string) {
	fix := "use one of the keys the webhook reads: " + strings.Join(knownKeyNames, ", ")
	if s := suggestKey(key); s != "" {
		fix = "rename it to " + s
	}
	c.add(o.finding(IDKeyMisspelled,
		fmt.Sprintf("%s %s at %s is not a key the Azure Workload ID webhook reads; it is ignored silently", what, key, path),
		fix))
}
