package lint

import (
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wigen-dev/wigen/schema"
)

// testSpec has one environment whose own subject is
// system:serviceaccount:open-webui:open-webui, and an additional federation
// in namespace "legacy".
const testSpec = `apiVersion: wigen/v1alpha1
kind: WorkloadIdentity
metadata:
  name: open-webui
spec:
  targets: [helm]
  chart:
    version: 7.2.0
    imageTag: v0.6.33
  azureOpenAI:
    accountId: /subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/aoai
    endpoint: https://aoai.openai.azure.com
    deployments: [gpt-4o]
  environments:
    - name: prod
      tenantId: 22222222-2222-2222-2222-222222222222
      subscriptionId: 11111111-1111-1111-1111-111111111111
      location: westeurope
      resourceGroup: rg-openwebui
      namespace: open-webui
      serviceAccount: open-webui
      identity:
        name: id-open-webui
        clientId: 33333333-3333-3333-3333-333333333333
      cluster:
        name: aks
        issuer:
          url: https://westeurope.oic.prod-aks.azure.com/22222222-2222-2222-2222-222222222222/44444444-4444-4444-4444-444444444444/
      additionalFederations:
        - name: aks-legacy
          issuer:
            url: https://oidc.prod-aks.azure.com/55555555-5555-5555-5555-555555555555/
          namespace: legacy
`

func testEnv(t *testing.T) *schema.Environment {
	t.Helper()
	s, err := schema.LoadBytes("wigen.yaml", []byte(testSpec))
	if err != nil {
		t.Fatalf("test spec: %v", err)
	}
	return &s.Spec.Environments[0]
}

// A correct ServiceAccount, StatefulSet and Deployment, as the open-webui
// chart renders them with wigen's values.
const (
	goodSA = `apiVersion: v1
kind: ServiceAccount
metadata:
  name: open-webui
  annotations:
    azure.workload.identity/client-id: 33333333-3333-3333-3333-333333333333
    azure.workload.identity/tenant-id: 22222222-2222-2222-2222-222222222222
`
	goodSTS = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: open-webui
  labels:
    app.kubernetes.io/name: open-webui
spec:
  serviceName: open-webui
  selector:
    matchLabels:
      app.kubernetes.io/name: open-webui
  template:
    metadata:
      labels:
        app.kubernetes.io/name: open-webui
        azure.workload.identity/use: "true"
      annotations:
        checksum/workload-identity: bac45edcdba38de84f99569a5a347a7ca676895e31cf6bc1b147e82a98806406
    spec:
      serviceAccountName: open-webui
      automountServiceAccountToken: false
      containers:
        - name: open-webui
          image: ghcr.io/open-webui/open-webui:v0.6.33
          env:
            - name: AZURE_TOKEN_CREDENTIALS
              value: WorkloadIdentityCredential
`
	goodDeploy = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: open-webui
  namespace: open-webui
spec:
  replicas: 1
  selector:
    matchLabels:
      app.kubernetes.io/instance: open-webui
  template:
    metadata:
      labels:
        app.kubernetes.io/instance: open-webui
        azure.workload.identity/use: "true"
      annotations:
        checksum/workload-identity: bac45edcdba38de84f99569a5a347a7ca676895e31cf6bc1b147e82a98806406
    spec:
      serviceAccountName: open-webui
      containers:
        - name: open-webui
          image: ghcr.io/open-webui/open-webui:0.11.0
          env:
            - name: OPENAI_API_BASE_URLS
              value: https://aoai.openai.azure.com
            - name: OPENAI_API_KEYS
              value: ""
`
	// An unrelated workload of the chart: runs as the default service
	// account, no label. Nothing to report.
	redis = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: open-webui-redis
spec:
  selector:
    matchLabels: {app: redis}
  template:
    metadata:
      labels: {app: redis}
    spec:
      containers:
        - name: redis
          image: redis:7
`
)

// edit returns s with old replaced by new, failing the test when old is
// not in s (so a case cannot silently test the unedited manifest).
func edit(t *testing.T, s, old, new string) string {
	t.Helper()
	if !strings.Contains(s, old) {
		t.Fatalf("edit: %q not in manifest", old)
	}
	return strings.Replace(s, old, new, 1)
}

func docs(ds ...string) string { return strings.Join(ds, "---\n") }

// short renders findings as "ID kind/ns/name" for comparison.
func short(fs []Finding) []string {
	out := []string{}
	for _, f := range fs {
		out = append(out, f.ID+" "+f.Object())
	}
	return out
}

func lintString(t *testing.T, manifests string) []Finding {
	t.Helper()
	fs, err := Lint(testEnv(t), []Input{{Name: "in.yaml", Data: []byte(manifests)}})
	if err != nil {
		t.Fatalf("Lint: %v", err)
	}
	return fs
}

const (
	sts    = "StatefulSet/open-webui/open-webui"
	deploy = "Deployment/open-webui/open-webui"
	sa     = "ServiceAccount/open-webui/open-webui"
	label  = `        azure.workload.identity/use: "true"` + "\n"
	// podAnns starts the pod-template annotations of goodSTS, which hold
	// the checksum/workload-identity of the test spec's client ID and
	// tenant ID (checksumLine).
	podAnns      = label + "      annotations:\n"
	checksum     = "bac45edcdba38de84f99569a5a347a7ca676895e31cf6bc1b147e82a98806406"
	checksumLine = "        checksum/workload-identity: " + checksum + "\n"
)

type lintCase struct {
	name      string
	manifests func(t *testing.T) string
	want      []string // "ID kind/ns/name", sorted as Lint sorts
	// wantMsg, when set, must appear in a finding's text.
	wantMsg string
}

func lintCases() []lintCase {
	return []lintCase{
		{name: "clean StatefulSet", manifests: func(t *testing.T) string { return docs(goodSA, goodSTS, redis) }},
		{name: "clean Deployment", manifests: func(t *testing.T) string { return docs(goodSA, goodDeploy) }},
		{name: "clean CronJob and Pod", manifests: func(t *testing.T) string {
			return docs(goodSA, `apiVersion: batch/v1
kind: CronJob
metadata:
  name: reindex
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        metadata:
          labels:
            azure.workload.identity/use: "true"
        spec:
          serviceAccountName: open-webui
          restartPolicy: OnFailure
          containers:
            - name: job
              image: busybox
`, `apiVersion: v1
kind: Pod
metadata:
  name: debug
  labels:
    azure.workload.identity/use: "true"
  annotations:
    azure.workload.identity/skip-containers: init
    azure.workload.identity/service-account-token-expiration: "86400"
spec:
  serviceAccountName: open-webui
  initContainers:
    - name: init
      image: busybox
      env:
        - name: AZURE_CLIENT_ID
          value: preset-in-a-skipped-container
  containers:
    - name: main
      image: busybox
`)
		}},
		{name: "clean v1 List", manifests: func(t *testing.T) string {
			return "apiVersion: v1\nkind: List\nitems:\n" + indentItem(goodSA) + indentItem(goodSTS)
		}},
		{name: "additional federation without objects in its namespace", manifests: func(t *testing.T) string {
			return docs(goodSA, goodSTS) // nothing in namespace legacy: its service account is not expected
		}},

		// WI001
		// WI001 names the object on the line it points at: the workload
		// running as the missing ServiceAccount, the ServiceAccount in the
		// wrong namespace, or the first object of the subject's namespace.
		{name: "service account missing", manifests: func(t *testing.T) string { return docs(goodSTS) },
			want: []string{"WI001 " + sts}, wantMsg: "in.yaml:1: error WI001 StatefulSet/open-webui/open-webui: pods run as ServiceAccount open-webui, which is not in the input in namespace open-webui (the federated identity credential's subject is system:serviceaccount:open-webui:open-webui)"},
		{name: "service account in another namespace", manifests: func(t *testing.T) string {
			return docs(edit(t, goodSA, "  name: open-webui\n", "  name: open-webui\n  namespace: default\n"), goodSTS)
		}, want: []string{"WI001 ServiceAccount/default/open-webui"}, wantMsg: "in.yaml:1: error WI001 ServiceAccount/default/open-webui: ServiceAccount open-webui is in namespace default, not in namespace open-webui of the federated identity credential's subject system:serviceaccount:open-webui:open-webui"},
		{name: "service account in two other namespaces, after the workload", manifests: func(t *testing.T) string {
			return docs(goodSTS, edit(t, goodSA, "  name: open-webui\n", "  name: open-webui\n  namespace: default\n"), edit(t, goodSA, "  name: open-webui\n", "  name: open-webui\n  namespace: ai\n"))
		}, want: []string{"WI001 ServiceAccount/default/open-webui"}, wantMsg: "in.yaml:29: error WI001 ServiceAccount/default/open-webui: ServiceAccount open-webui is in namespace default, not in namespace open-webui of the federated identity credential's subject system:serviceaccount:open-webui:open-webui (it is also in namespace ai)"},
		{name: "additional federation's service account missing", manifests: func(t *testing.T) string {
			return docs(goodSA, goodSTS, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: legacy\n")
		}, want: []string{"WI001 ServiceAccount/legacy/open-webui"}, wantMsg: "in.yaml: error WI001 ServiceAccount/legacy/open-webui: ServiceAccount open-webui is not in the input in namespace legacy, and neither is a workload running as it, but the federated identity credential's subject is system:serviceaccount:legacy:open-webui"},
		// With no ServiceAccount of the subject's name and no workload
		// running as it, WI001 is pinned to no unrelated object (a
		// Namespace, a ConfigMap): it has no line and names the missing
		// ServiceAccount.
		{name: "service account missing, only unrelated objects", manifests: func(t *testing.T) string {
			return "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: open-webui\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n"
		}, want: []string{"WI001 " + sa}, wantMsg: "in.yaml: error WI001 ServiceAccount/open-webui/open-webui: ServiceAccount open-webui is not in the input in namespace open-webui, and neither is a workload running as it"},
		{name: "additional federation's service account present", manifests: func(t *testing.T) string {
			return docs(goodSA, goodSTS, edit(t, goodSA, "  name: open-webui\n", "  name: open-webui\n  namespace: legacy\n"))
		}},

		// WI002..WI006
		{name: "client-id missing", manifests: func(t *testing.T) string {
			return docs(edit(t, goodSA, "    azure.workload.identity/client-id: 33333333-3333-3333-3333-333333333333\n", ""), goodSTS)
		}, want: []string{"WI002 " + sa}, wantMsg: "azure.workload.identity/client-id: 33333333-3333-3333-3333-333333333333"},
		{name: "client-id empty", manifests: func(t *testing.T) string {
			return docs(edit(t, goodSA, "client-id: 33333333-3333-3333-3333-333333333333", `client-id: ""`), goodSTS)
		}, want: []string{"WI002 " + sa}, wantMsg: "has an empty"},
		{name: "client-id not a GUID", manifests: func(t *testing.T) string {
			return docs(edit(t, goodSA, "33333333-3333-3333-3333-333333333333", "id-open-webui"), goodSTS)
		}, want: []string{"WI003 " + sa}},
		{name: "client-id differs from identity.clientId", manifests: func(t *testing.T) string {
			return docs(edit(t, goodSA, "33333333-3333-3333-3333-333333333333", "66666666-6666-6666-6666-666666666666"), goodSTS)
		}, want: []string{"WI004 " + sa}},
		{name: "client-id differs only in case", manifests: func(t *testing.T) string {
			return docs(goodSA, goodSTS) // GUIDs compare case-insensitively; the spec's is lowercase digits anyway
		}},
		{name: "tenant-id not a GUID", manifests: func(t *testing.T) string {
			return docs(edit(t, goodSA, "22222222-2222-2222-2222-222222222222", "contoso.onmicrosoft.com"), goodSTS)
		}, want: []string{"WI005 " + sa}},
		{name: "tenant-id differs from tenantId", manifests: func(t *testing.T) string {
			return docs(edit(t, goodSA, "22222222-2222-2222-2222-222222222222", "77777777-7777-7777-7777-777777777777"), goodSTS)
		}, want: []string{"WI006 " + sa}},

		// WI010, WI011
		{name: "client_id misspelled", manifests: func(t *testing.T) string {
			return docs(edit(t, goodSA, "client-id:", "client_id:"), goodSTS)
		}, want: []string{"WI002 " + sa, "WI010 " + sa}},
		{name: "clientId on another kind", manifests: func(t *testing.T) string {
			return docs(goodSA, goodSTS, `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: open-webui
  annotations:
    azure.workload.identity/clientId: 33333333-3333-3333-3333-333333333333
spec:
  rules: []
`)
		}, want: []string{"WI010 Ingress/open-webui/open-webui"}, wantMsg: "rename it to azure.workload.identity/client-id"},
		{name: "prefix misspelled on the pod template", manifests: func(t *testing.T) string {
			return docs(goodSA, edit(t, goodSTS, "azure.workload.identity/use:", "azure.workload.identities/use:"))
		}, want: []string{"WI010 " + sts, "WI020 " + sts}, wantMsg: "rename it to azure.workload.identity/use"},
		{name: "use label on the ServiceAccount and a Service", manifests: func(t *testing.T) string {
			return docs(edit(t, goodSA, "  annotations:\n", "  labels:\n    azure.workload.identity/use: \"true\"\n  annotations:\n"), goodSTS, `apiVersion: v1
kind: Service
metadata:
  name: open-webui
  labels:
    azure.workload.identity/use: "true"
spec:
  selector:
    app.kubernetes.io/name: open-webui
  ports:
    - port: 80
`)
		}, want: []string{"WI011 " + sa, "WI011 Service/open-webui/open-webui"}},
		{name: "client-id on the pod template, use as an annotation", manifests: func(t *testing.T) string {
			return docs(goodSA, edit(t, goodSTS, "    metadata:\n      labels:\n        app.kubernetes.io/name: open-webui\n"+podAnns,
				"    metadata:\n      labels:\n        app.kubernetes.io/name: open-webui\n"+podAnns+
					"        azure.workload.identity/client-id: 33333333-3333-3333-3333-333333333333\n        azure.workload.identity/use: \"true\"\n"))
		}, want: []string{"WI011 " + sts, "WI011 " + sts}},

		// WI027, WI028
		{name: "checksum annotation missing on a StatefulSet", manifests: func(t *testing.T) string {
			return docs(goodSA, edit(t, goodSTS, podAnns+checksumLine, label))
		}, want: []string{"WI027 " + sts}, wantMsg: `add checksum/workload-identity: "` + checksum + `" to spec.template.metadata.annotations`},
		{name: "checksum annotation missing on a Deployment", manifests: func(t *testing.T) string {
			return docs(goodSA, edit(t, goodDeploy, "      annotations:\n"+checksumLine, ""))
		}, want: []string{"WI027 " + deploy}},
		{name: "checksum of another client ID", manifests: func(t *testing.T) string {
			return docs(goodSA, edit(t, goodSTS, checksum, schema.WorkloadIdentityChecksum("44444444-4444-4444-4444-444444444444", "22222222-2222-2222-2222-222222222222")))
		}, want: []string{"WI028 " + sts}, wantMsg: `is "` + checksum + `"`},
		{name: "checksum without the tenant", manifests: func(t *testing.T) string {
			return docs(goodSA, edit(t, goodSTS, checksum, schema.WorkloadIdentityChecksum("33333333-3333-3333-3333-333333333333", "")))
		}, want: []string{"WI028 " + sts}},

		// WI020..WI026
		{name: "label removed", manifests: func(t *testing.T) string { return docs(goodSA, edit(t, goodSTS, label, "")) },
			want: []string{"WI020 " + sts}},
		{name: "label missing on a CronJob's pod template", manifests: func(t *testing.T) string {
			return docs(goodSA, `apiVersion: batch/v1
kind: CronJob
metadata:
  name: reindex
  labels:
    azure.workload.identity/use: "true"
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          serviceAccountName: open-webui
          restartPolicy: OnFailure
          containers:
            - name: job
              image: busybox
`)
		}, want: []string{"WI022 CronJob/open-webui/reindex"}, wantMsg: "not on the pod template (spec.jobTemplate.spec.template.metadata.labels)"},
		{name: "label false", manifests: func(t *testing.T) string {
			return docs(goodSA, edit(t, goodDeploy, `use: "true"`, `use: "True"`))
		}, want: []string{"WI021 " + deploy}, wantMsg: `is "True"`},
		{name: "label only on the workload", manifests: func(t *testing.T) string {
			s := edit(t, goodSTS, label, "")
			return docs(goodSA, edit(t, s, "  labels:\n    app.kubernetes.io/name: open-webui\n", "  labels:\n    app.kubernetes.io/name: open-webui\n    azure.workload.identity/use: \"true\"\n"))
		}, want: []string{"WI022 " + sts}},
		{name: "label on the workload and the pod template", manifests: func(t *testing.T) string {
			return docs(goodSA, edit(t, goodSTS, "  labels:\n    app.kubernetes.io/name: open-webui\n", "  labels:\n    app.kubernetes.io/name: open-webui\n    azure.workload.identity/use: \"true\"\n"))
		}, want: []string{"WI011 " + sts}},
		{name: "label typed as a boolean", manifests: func(t *testing.T) string {
			return docs(goodSA, edit(t, goodSTS, `use: "true"`, `use: true`))
		}, want: []string{"WI023 " + sts}, wantMsg: "spec.template.metadata.labels is the boolean true"},
		{name: "label typed as YAML 1.1 on", manifests: func(t *testing.T) string {
			return docs(goodSA, edit(t, goodDeploy, `use: "true"`, `use: on`))
		}, want: []string{"WI023 " + deploy}},
		{name: "annotation typed as a boolean", manifests: func(t *testing.T) string {
			return docs(goodSA, edit(t, goodSTS, podAnns, podAnns+"        azure.workload.identity/inject-proxy-sidecar: false\n"))
		}, want: []string{"WI023 " + sts, "WI040 " + sts}}, // read as "false", which still injects the sidecar
		// The other checks still run on an object a boolean label makes
		// the API server refuse: the values are read as the strings meant.
		{name: "label typed as a boolean hides no other finding", manifests: func(t *testing.T) string {
			s := edit(t, goodSTS, `use: "true"`, `use: true`)
			return docs(goodSA, edit(t, s, "            - name: AZURE_TOKEN_CREDENTIALS\n", "            - name: AZURE_CLIENT_ID\n              value: 33333333-3333-3333-3333-333333333333\n            - name: OPENAI_API_KEY\n              value: sk-1\n            - name: AZURE_TOKEN_CREDENTIALS\n"))
		}, want: []string{"WI023 " + sts, "WI030 " + sts, "WI031 " + sts}},
		{name: "label typed as a number", manifests: func(t *testing.T) string {
			return docs(goodSA, edit(t, goodSTS, `use: "true"`, `use: 1`))
		}, want: []string{"WI021 " + sts, "WI023 " + sts}}, // quoted, "1" is still not "true"
		{name: "boolean label and another type error", manifests: func(t *testing.T) string {
			s := edit(t, goodDeploy, `use: "true"`, `use: true`)
			return docs(goodSA, edit(t, s, "replicas: 1", `replicas: "one"`))
		}, want: []string{"WI023 " + deploy, "WI060 " + deploy}, wantMsg: "does not decode as apps/v1 Deployment"},
		{name: "boolean label on a ServiceAccount with a misspelled key", manifests: func(t *testing.T) string {
			return docs(edit(t, goodSA, "  annotations:\n", "  labels:\n    azure.workload.identity/use: true\n  annotations:\n    azure.workload.identity/client_id: x\n"), goodSTS)
		}, want: []string{"WI010 " + sa, "WI011 " + sa, "WI023 " + sa}},
		{name: "label in the selector", manifests: func(t *testing.T) string {
			return docs(goodSA, edit(t, goodSTS, "    matchLabels:\n      app.kubernetes.io/name: open-webui\n", "    matchLabels:\n      app.kubernetes.io/name: open-webui\n      azure.workload.identity/use: \"true\"\n"))
		}, want: []string{"WI024 " + sts}},
		{name: "label in a selector expression", manifests: func(t *testing.T) string {
			return docs(goodSA, edit(t, goodDeploy, "    matchLabels:\n      app.kubernetes.io/instance: open-webui\n", "    matchExpressions:\n      - {key: azure.workload.identity/use, operator: In, values: [\"true\"]}\n"))
		}, want: []string{"WI024 " + deploy}},
		{name: "service account renamed in the pod spec", manifests: func(t *testing.T) string {
			return docs(goodSA, edit(t, goodSTS, "serviceAccountName: open-webui", "serviceAccountName: open-webui-sa"))
		}, want: []string{"WI025 " + sts}, wantMsg: "run as ServiceAccount open-webui-sa in namespace open-webui"},
		{name: "pod template in another namespace", manifests: func(t *testing.T) string {
			return docs(goodSA, edit(t, goodDeploy, "  namespace: open-webui\n", "  namespace: default\n"))
		}, want: []string{"WI025 Deployment/default/open-webui"},
			wantMsg: "run as ServiceAccount open-webui, but in namespace default, while the federated identity credentials name open-webui in namespace open-webui or legacy (subjects: system:serviceaccount:open-webui:open-webui, system:serviceaccount:legacy:open-webui): the token's subject system:serviceaccount:default:open-webui matches none, so token exchange fails with AADSTS70021; deploy the workload into namespace open-webui or legacy (`helm template --namespace open-webui`, or namespace: in the overlay), or federate system:serviceaccount:default:open-webui (additionalFederations with namespace: default)"},
		{name: "other service account: the fix is the service account", manifests: func(t *testing.T) string {
			return docs(goodSA, edit(t, goodDeploy, "serviceAccountName: open-webui", "serviceAccountName: chat"))
		}, want: []string{"WI025 " + deploy}, wantMsg: "; set spec.serviceAccountName to open-webui (Helm: serviceAccount.name), or federate this service account"},
		{name: "no service account", manifests: func(t *testing.T) string {
			return docs(goodSA, edit(t, goodSTS, "      serviceAccountName: open-webui\n", ""))
		}, want: []string{"WI026 " + sts}},
		{name: "explicit default service account", manifests: func(t *testing.T) string {
			return docs(goodSA, edit(t, goodSTS, "serviceAccountName: open-webui", "serviceAccountName: default"))
		}, want: []string{"WI026 " + sts}, wantMsg: `run as the namespace's ServiceAccount "default" in namespace open-webui`},
		{name: "serviceAccountName misspelled", manifests: func(t *testing.T) string {
			return docs(goodSA, edit(t, goodSTS, "serviceAccountName:", "serviceAcountName:"))
		}, want: []string{"WI026 " + sts, "WI061 " + sts}, wantMsg: `unknown field "spec.template.spec.serviceAcountName"`},
		{name: "label false on an unrelated pod", manifests: func(t *testing.T) string {
			return docs(goodSA, goodSTS, edit(t, redis, "labels: {app: redis}\n    spec:", "labels: {app: redis, azure.workload.identity/use: \"false\"}\n    spec:"))
		}},

		// WI030, WI031
		{name: "AZURE_CLIENT_ID preset", manifests: func(t *testing.T) string {
			return docs(goodSA, edit(t, goodSTS, "            - name: AZURE_TOKEN_CREDENTIALS\n", "            - name: AZURE_CLIENT_ID\n              value: 33333333-3333-3333-3333-333333333333\n            - name: AZURE_TOKEN_CREDENTIALS\n"))
		}, want: []string{"WI030 " + sts}},
		{name: "AZURE_FEDERATED_TOKEN_FILE preset in an init container", manifests: func(t *testing.T) string {
			return docs(goodSA, edit(t, goodSTS, "      containers:\n", "      initContainers:\n        - name: migrate\n          image: busybox\n          env:\n            - name: AZURE_FEDERATED_TOKEN_FILE\n              value: /var/run/secrets/azure/tokens/azure-identity-token\n      containers:\n"))
		}, want: []string{"WI030 " + sts}},
		{name: "AZURE_TENANT_ID preset on a pod running as the subject without label", manifests: func(t *testing.T) string {
			s := edit(t, goodSTS, label, "")
			return docs(goodSA, edit(t, s, "            - name: AZURE_TOKEN_CREDENTIALS\n", "            - name: AZURE_TENANT_ID\n              value: x\n            - name: AZURE_TOKEN_CREDENTIALS\n"))
		}, want: []string{"WI020 " + sts, "WI030 " + sts}},
		{name: "AZURE_CLIENT_ID on an unrelated workload", manifests: func(t *testing.T) string {
			return docs(goodSA, goodSTS, edit(t, redis, "          image: redis:7\n", "          image: redis:7\n          env:\n            - {name: AZURE_CLIENT_ID, value: other}\n            - {name: OPENAI_API_KEY, value: sk-other}\n"))
		}},
		{name: "OpenAI API key", manifests: func(t *testing.T) string {
			return docs(goodSA, edit(t, goodSTS, "            - name: AZURE_TOKEN_CREDENTIALS\n", "            - name: OPENAI_API_KEY\n              value: 0p3n-w3bu!\n            - name: AZURE_TOKEN_CREDENTIALS\n"))
		}, want: []string{"WI031 " + sts}},
		{name: "OpenAI API keys with one key", manifests: func(t *testing.T) string {
			return docs(goodSA, edit(t, goodDeploy, `value: ""`, `value: ";sk-123"`))
		}, want: []string{"WI031 " + deploy}},
		{name: "OpenAI API key from a Secret", manifests: func(t *testing.T) string {
			return docs(goodSA, edit(t, goodDeploy, "              value: \"\"\n", "              valueFrom:\n                secretKeyRef: {name: openai, key: keys}\n"))
		}, want: []string{"WI031 " + deploy}},
		{name: "OpenAI API keys all empty", manifests: func(t *testing.T) string {
			return docs(goodSA, edit(t, goodDeploy, `value: ""`, `value: " ; "`))
		}},

		// WI032
		{name: "Redis URL of another namespace", manifests: func(t *testing.T) string {
			return docs(goodSA, edit(t, goodSTS, "            - name: AZURE_TOKEN_CREDENTIALS\n", "            - name: REDIS_URL\n              value: redis://open-webui-redis.default.svc.cluster.local:6379/0\n            - name: AZURE_TOKEN_CREDENTIALS\n"))
		}, want: []string{"WI032 " + sts}, wantMsg: "names service open-webui-redis in namespace default, but the pod is in namespace open-webui"},
		{name: "service hosts of the pod's namespace, short names, and external hosts", manifests: func(t *testing.T) string {
			return docs(goodSA, edit(t, goodSTS, "            - name: AZURE_TOKEN_CREDENTIALS\n", "            - name: REDIS_URL\n              value: redis://:p@open-webui-redis.open-webui.svc.cluster.local:6379/0\n            - name: OLLAMA_BASE_URLS\n              value: http://ollama:11434;http://ollama.open-webui.svc:11434\n            - name: WEBUI_URL\n              value: https://chat.example.svc.example.com\n            - name: AZURE_TOKEN_CREDENTIALS\n"))
		}},
		{name: "one URL of a list in another namespace, on an unrelated workload", manifests: func(t *testing.T) string {
			return docs(goodSA, goodSTS, edit(t, redis, "          image: redis:7\n", "          image: redis:7\n          env:\n            - {name: OLLAMA_BASE_URLS, value: \"http://a.open-webui.svc:1;http://OLLAMA.Default.svc.cluster.local:11434\"}\n"))
		}, want: []string{"WI032 Deployment/open-webui/open-webui-redis"}, wantMsg: "names service ollama in namespace default"},

		// WI040..WI044
		{name: "inject-proxy-sidecar false", manifests: func(t *testing.T) string {
			return docs(goodSA, edit(t, goodSTS, podAnns, podAnns+"        azure.workload.identity/inject-proxy-sidecar: \"false\"\n"))
		}, want: []string{"WI040 " + sts}},
		{name: "inject-proxy-sidecar true is fine", manifests: func(t *testing.T) string {
			return docs(goodSA, edit(t, goodSTS, podAnns, podAnns+"        azure.workload.identity/inject-proxy-sidecar: \"true\"\n        azure.workload.identity/proxy-sidecar-port: \"8080\"\n"))
		}},
		{name: "inject-proxy-sidecar on hostNetwork", manifests: func(t *testing.T) string {
			s := edit(t, goodSTS, podAnns, podAnns+"        azure.workload.identity/inject-proxy-sidecar: \"true\"\n")
			return docs(goodSA, edit(t, s, "      automountServiceAccountToken: false\n", "      automountServiceAccountToken: false\n      hostNetwork: true\n"))
		}, want: []string{"WI041 " + sts}},
		{name: "token expiration too short", manifests: func(t *testing.T) string {
			return docs(goodSA, edit(t, goodSTS, podAnns, podAnns+"        azure.workload.identity/service-account-token-expiration: \"600\"\n"))
		}, want: []string{"WI042 " + sts}, wantMsg: "outside 3600..86400"},
		{name: "token expiration not an integer on the ServiceAccount", manifests: func(t *testing.T) string {
			return docs(edit(t, goodSA, "  annotations:\n", "  annotations:\n    azure.workload.identity/service-account-token-expiration: 1h\n"), goodSTS)
		}, want: []string{"WI042 " + sa}, wantMsg: "not an integer"},
		{name: "skip-containers names a missing container", manifests: func(t *testing.T) string {
			return docs(goodSA, edit(t, goodSTS, podAnns, podAnns+"        azure.workload.identity/skip-containers: \"open-webui; sidecar\"\n"))
		}, want: []string{"WI043 " + sts}, wantMsg: "names sidecar, which the pod does not have (containers: open-webui)"},
		{name: "proxy-sidecar-port not a port", manifests: func(t *testing.T) string {
			return docs(goodSA, edit(t, goodSTS, podAnns, podAnns+"        azure.workload.identity/inject-proxy-sidecar: \"true\"\n        azure.workload.identity/proxy-sidecar-port: http\n"))
		}, want: []string{"WI044 " + sts}},

		// WI050
		{name: "kube-system", manifests: func(t *testing.T) string {
			return docs(goodSA, goodDeploy, edit(t, edit(t, goodDeploy, "  namespace: open-webui\n", "  namespace: kube-system\n"), "name: open-webui\n  namespace", "name: agent\n  namespace"))
		}, want: []string{"WI025 Deployment/kube-system/agent", "WI050 Deployment/kube-system/agent"}},

		// WI060, WI061
		{name: "replicas typed as a string", manifests: func(t *testing.T) string {
			return docs(goodSA, edit(t, goodDeploy, "replicas: 1", `replicas: "one"`))
		}, want: []string{"WI060 " + deploy}, wantMsg: "does not decode as apps/v1 Deployment"},
		{name: "other label typed as a boolean on a ConfigMap", manifests: func(t *testing.T) string {
			return docs(goodSA, goodSTS, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  labels:\n    enabled: yes\n")
		}, want: []string{"WI060 ConfigMap/open-webui/cm"}},
		{name: "unknown field", manifests: func(t *testing.T) string {
			return docs(edit(t, goodSA, "  annotations:\n", "  anotations: {}\n  annotations:\n"), goodSTS)
		}, want: []string{"WI061 " + sa}},
		{name: "duplicate field", manifests: func(t *testing.T) string {
			return docs(goodSA, edit(t, goodSTS, "      serviceAccountName: open-webui\n", "      serviceAccountName: default\n      serviceAccountName: open-webui\n"))
		}, want: []string{"WI061 " + sts}, wantMsg: `duplicate field "serviceAccountName" (line 29)`},
	}
}

// indentItem turns a manifest into an item of a List's items.
func indentItem(m string) string {
	lines := strings.Split(strings.TrimSuffix(m, "\n"), "\n")
	for i, l := range lines {
		if i == 0 {
			lines[i] = "- " + l
		} else {
			lines[i] = "  " + l
		}
	}
	return strings.Join(lines, "\n") + "\n"
}

func TestLint(t *testing.T) {
	for _, tc := range lintCases() {
		t.Run(tc.name, func(t *testing.T) {
			got := lintString(t, tc.manifests(t))
			want := tc.want
			if want == nil {
				want = []string{}
			}
			if diff := cmp.Diff(want, short(got)); diff != "" {
				t.Errorf("findings (-want +got):\n%s\nall:\n%s", diff, texts(got))
			}
			if tc.wantMsg != "" && !strings.Contains(texts(got), tc.wantMsg) {
				t.Errorf("no finding says %q:\n%s", tc.wantMsg, texts(got))
			}
			for _, f := range got {
				if f.Severity != ruleByID[f.ID].Severity {
					t.Errorf("%s has severity %s, its rule %s", f.ID, f.Severity, ruleByID[f.ID].Severity)
				}
				if f.Message == "" || f.Fix == "" {
					t.Errorf("%s lacks a message or a fix: %+v", f.ID, f)
				}
			}
		})
	}
}

// TestOpenAIKeyFixByChart: WI031's fix names the chart values that put the
// key in the pod, for the chart version of the spec (LintSpec), or for
// every version (Lint).
func TestOpenAIKeyFixByChart(t *testing.T) {
	manifests := docs(goodSA, edit(t, goodSTS, "            - name: AZURE_TOKEN_CREDENTIALS\n", "            - name: OPENAI_API_KEY\n              value: 0p3n-w3bu!\n            - name: OPENAI_API_KEYS\n              value: sk-1\n            - name: AZURE_TOKEN_CREDENTIALS\n"))
	for _, tc := range []struct {
		chart string // "" for Lint without the spec
		want  []string
	}{
		{"", []string{
			`writes OPENAI_API_KEY from openaiApiKey (from chart 8.11.0, a dummy key by default: set it to ""), openaiApiKeyExistingSecret or extraEnvVars`,
		}},
		{"7.2.0", []string{
			`chart open-webui 7.2.0 writes OPENAI_API_KEY from chart.values extraEnvVars (its default list holds a dummy key: give a list without it)`,
			`chart open-webui 7.2.0 writes OPENAI_API_KEYS from chart.values extraEnvVars (remove it there)`,
		}},
		{"16.0.0", []string{
			`chart open-webui 16.0.0 writes OPENAI_API_KEY from chart.values openaiApiKey (a dummy key by default: set it to ""), openaiApiKeyExistingSecret (leave it out) or extraEnvVars (remove it there)`,
			`chart open-webui 16.0.0 writes OPENAI_API_KEYS from chart.values openaiApiKeys (leave it out), openaiApiKeysExistingSecret (leave it out) or extraEnvVars (remove it there)`,
		}},
	} {
		e := testEnv(t)
		var fs []Finding
		var err error
		if tc.chart == "" {
			fs, err = Lint(e, []Input{{Name: "in.yaml", Data: []byte(manifests)}})
		} else {
			s, lerr := schema.LoadBytes("wigen.yaml", []byte(strings.Replace(testSpec, "version: 7.2.0", "version: "+tc.chart, 1)))
			if lerr != nil {
				t.Fatal(lerr)
			}
			fs, err = LintSpec(s, &s.Spec.Environments[0], []Input{{Name: "in.yaml", Data: []byte(manifests)}})
		}
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]string{"WI031 " + sts, "WI031 " + sts}, short(fs)); diff != "" {
			t.Errorf("chart %q findings (-want +got):\n%s", tc.chart, diff)
		}
		for _, w := range tc.want {
			if !strings.Contains(texts(fs), w) {
				t.Errorf("chart %q: no fix says %q:\n%s", tc.chart, w, texts(fs))
			}
		}
	}
}

func texts(fs []Finding) string {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString(f.String() + "\n")
	}
	return b.String()
}

// Every rule has a table case that finds it.
func TestEveryRuleTested(t *testing.T) {
	found := map[string]bool{}
	for _, tc := range lintCases() {
		for _, w := range tc.want {
			found[strings.Fields(w)[0]] = true
		}
	}
	for _, r := range Rules {
		if !found[r.ID] {
			t.Errorf("no table case finds %s (%s)", r.ID, r.Summary)
		}
	}
}

// The tables in the package documentation and in README.md list every
// rule with its severity, and nothing else.
func TestRulesDocumented(t *testing.T) {
	for file, re := range map[string]*regexp.Regexp{
		"doc.go":    regexp.MustCompile(`(?m)^//\t\| (WI\d{3}) \| (\w+) +\|`),
		"README.md": regexp.MustCompile(`(?m)^\| (WI\d{3}) \| (\w+) \|`),
	} {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var doc, code []string
		for _, m := range re.FindAllStringSubmatch(string(src), -1) {
			doc = append(doc, m[1]+" "+m[2])
		}
		for _, r := range Rules {
			code = append(code, r.ID+" "+string(r.Severity))
		}
		sort.Strings(code)
		if diff := cmp.Diff(code, doc); diff != "" {
			t.Errorf("%s table vs Rules (-code +doc):\n%s", file, diff)
		}
	}
}

// Findings point at the line where the object starts in its file, past the
// separator and comments (helm template writes "# Source:" lines), and are
// sorted by file and line.
func TestPositions(t *testing.T) {
	e := testEnv(t)
	a := "---\n# Source: open-webui/templates/service-account.yaml\n" + edit(t, goodSA, "client-id:", "client_id:") // SA at line 3
	b := "# a comment\n\n" + goodSA + "---\n" + edit(t, goodSTS, label, "")                                         // SA at 3, StatefulSet at 11
	fs, err := Lint(e, []Input{{Name: "b.yaml", Data: []byte(b)}, {Name: "a.yaml", Data: []byte(a)}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range fs {
		got = append(got, f.String())
	}
	want := []string{
		`a.yaml:3: error WI002 ServiceAccount/open-webui/open-webui: ServiceAccount of subject system:serviceaccount:open-webui:open-webui lacks the annotation azure.workload.identity/client-id: the webhook injects no AZURE_CLIENT_ID; annotate it: azure.workload.identity/client-id: 33333333-3333-3333-3333-333333333333 (Helm: serviceAccount.annotations)`,
		`a.yaml:3: error WI010 ServiceAccount/open-webui/open-webui: annotation azure.workload.identity/client_id at metadata.annotations is not a key the Azure Workload ID webhook reads; it is ignored silently; rename it to azure.workload.identity/client-id`,
		`b.yaml:11: error WI020 StatefulSet/open-webui/open-webui: pods run as open-webui (subject system:serviceaccount:open-webui:open-webui) but the pod template (spec.template.metadata.labels) lacks the label azure.workload.identity/use: the webhook does not inject the token and Azure calls fail; add azure.workload.identity/use: "true" to the pod template (spec.template.metadata.labels) (Helm: podLabels)`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestInputErrors(t *testing.T) {
	e := testEnv(t)
	for _, tc := range []struct {
		name, in, want string
	}{
		{"malformed YAML", goodSA + "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [\n", "in.yaml:12: invalid YAML"},
		{"no kind", "apiVersion: v1\nmetadata:\n  name: x\n", "in.yaml:1: not a Kubernetes object"},
		{"a list, not an object", "- a\n- b\n", "in.yaml:1: not a Kubernetes object"},
		{"empty", "# nothing\n---\n", "in.yaml: no Kubernetes objects in the input"},
		{"content after the separator", goodSA + "--- {a: 1}\n", "in.yaml:8: invalid document separator"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Lint(e, []Input{{Name: "in.yaml", Data: []byte(tc.in)}})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestSuggestKey(t *testing.T) {
	for in, want := range map[string]string{
		"azure.workload.identity/client_id":        schema.AnnotationClientID,
		"azure.workload.identity/clientid":         schema.AnnotationClientID,
		"Azure.Workload.Identity/Use":              schema.LabelUse,
		"azure-workload-identity/tenant-id":        schema.AnnotationTenantID,
		"azure.workload.identity/skip-container":   schema.AnnotationSkipContainers,
		"azure.workload.identity/something-else-x": "",
	} {
		if got := suggestKey(in); got != want {
			t.Errorf("suggestKey(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]bool{
		"azure.workload.identity/use":   true,
		"azure-workload-identity/use":   true,
		"azure.workload.identities/use": true,
		"app.kubernetes.io/name":        false,
		"azure/use":                     false,
		"no-slash":                      false,
	} {
		if got := meantAsWorkloadID(in); got != want {
			t.Errorf("meantAsWorkloadID(%q) = %v, want %v", in, got, want)
		}
	}
}

// BenchmarkLint lints a ServiceAccount and 500 StatefulSets (about 12,500
// lines of YAML), the size of a large `helm template` output.
func BenchmarkLint(b *testing.B) {
	s, err := schema.LoadBytes("wigen.yaml", []byte(testSpec))
	if err != nil {
		b.Fatal(err)
	}
	e := &s.Spec.Environments[0]
	parts := []string{goodSA}
	for i := 0; i < 500; i++ {
		parts = append(parts, strings.Replace(goodSTS, "  name: open-webui\n", "  name: open-webui-"+strconv.Itoa(i)+"\n", 1))
	}
	in := []Input{{Name: "big.yaml", Data: []byte(docs(parts...))}}
	b.SetBytes(int64(len(in[0].Data)))
	b.ResetTimer()
	for b.Loop() {
		fs, err := Lint(e, in)
		if err != nil || len(fs) != 0 {
			b.Fatalf("%v %v", err, fs)
		}
	}
}

// TestChecksumFromServiceAccount: without identity.clientId in the spec,
// WI028 compares the checksum with the client ID and tenant ID the
// ServiceAccount in the input carries.
func TestChecksumFromServiceAccount(t *testing.T) {
	spec := strings.Replace(testSpec, "        clientId: 33333333-3333-3333-3333-333333333333\n", "", 1)
	s, err := schema.LoadBytes("wigen.yaml", []byte(spec))
	if err != nil {
		t.Fatal(err)
	}
	e := &s.Spec.Environments[0]
	if e.Identity.ClientID != "" {
		t.Fatal("the edit did not apply")
	}
	for name, tc := range map[string]struct {
		sa   string
		want []string
	}{
		"matches the ServiceAccount": {goodSA, []string{}},
		"another client ID":          {strings.Replace(goodSA, "33333333-3333-3333-3333-333333333333", "44444444-4444-4444-4444-444444444444", 1), []string{"WI028 " + sts}},
		"no tenant annotation":       {strings.Replace(goodSA, "    azure.workload.identity/tenant-id: 22222222-2222-2222-2222-222222222222\n", "", 1), []string{"WI028 " + sts}},
	} {
		t.Run(name, func(t *testing.T) {
			fs, err := Lint(e, []Input{{Name: "in.yaml", Data: []byte(docs(tc.sa, goodSTS))}})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, short(fs)); diff != "" {
				t.Errorf("findings (-want +got):\n%s\n%s", diff, texts(fs))
			}
		})
	}
}
