// Package lint implements `wigen lint`: it checks rendered Kubernetes
// manifests (the output of `helm template`, `kustomize build`, or a folder of
// manifests) against what wigen.yaml says for one environment, offline, before
// anything reaches a cluster. It is the Troubleshooting list of the Open WebUI
// Workload ID tutorial ("check the pod label, the service account annotation,
// the service account name") as a command, plus the Azure Workload ID webhook
// rules of facts.md.
//
// # Command
//
//	wigen lint [-f wigen.yaml] [--env NAME] [--format text|json] [FILE|DIR|- ...]
//
// -f names the spec (default wigen.yaml), loaded with schema.Load: an
// invalid spec prints its diagnostics and exits 2; an empty -f, or a
// folder, is refused in the words of the other commands
// (cmd/wigen/internal/cli/inputarg). Messages, fixes and suggested
// commands name the spec as -f does (quoted for the shell in commands). --env names the
// environment; it may be left out when the spec has exactly one (a spec
// with several refuses to guess, since each has its own namespace and client
// ID). Arguments are files, folders (every *.json, *.yaml and *.yml file in
// them and in the folders below them, sorted, as `kubectl apply -R` reads a
// folder; a folder holding a kustomization or a Helm chart is refused) or
// "-" for standard input, which is also read when there is no
// argument. Findings print on stdout, one per line, sorted by file, line
// and ID:
//
//	FILE:LINE: SEVERITY ID kind/namespace/name: message; fix
//
// FILE is the path as given, or "<stdin>"; kind/namespace/name is the object
// that starts at LINE. A finding about the input as a whole has no LINE
// (0 in JSON): FILE names every input, joined by ", ", and the object is
// the one missing from them (see WI001 below). --format json prints a JSON array of objects with the
// fields file, line, severity, id, kind, namespace, name, message and fix
// ([] when clean). Either way one summary line goes to stderr ("wigen:
// lint: 3 objects, no findings"), so stdout is empty on a clean text run.
// Errors about the input go to stderr, each line with the one "wigen: "
// prefix of every wigen command; the diagnostics of an invalid wigen.yaml
// print as `wigen validate` prints them. Exit status: 0 no error (warnings
// allowed), 1 at least one error, 2 bad usage, invalid spec, unreadable or
// malformed input.
//
// Sources are not manifests: a folder holding a kustomization, a
// kustomization file (or a document of group kustomize.config.k8s.io, or
// one without apiVersion and kind holding kustomization fields), a file its
// folder's kustomization applies as a patch or lists as a resource (the
// overlay's namespace.yaml: kustomize sets the namespace and applies the
// patches to it, so alone it would only give false findings), and a workload whose pod
// template has no container (a strategic-merge patch) are refused (exit 2)
// with the `kustomize build --enable-helm` command to lint instead. A
// document without apiVersion and kind is most often a Helm values file: the
// message gives the `helm template` command of the spec's chart, version and
// namespace with that file. GitOps objects are not manifests either
// (gitops.go): an Argo CD Application, a Flux HelmRelease, HelmRepository
// or OCIRepository, in a file, on standard input or among other objects,
// and a folder (or its kustomization file) whose kustomization lists one
// (wigen's flux/<env>/) are refused with the command that renders what they
// install: yq taking the values the Application or HelmRelease holds inline
// into a file, then `helm template` of the spec's chart with them, for the
// environment whose argocd/<env> or flux/<env> folder holds the file.
//
// # Decoding
//
// An input is read as kubectl reads one (k8s.io/apimachinery/pkg/util/yaml,
// reader.go): a JSON stream when it starts with '{' (`kubectl get -o json`,
// or one object per line as `jq -c '.items[]'` prints them), else
// multi-document YAML split at lines starting with "---" (YAMLReader: only
// spaces or a comment may follow the separator). A document that is a JSON
// array or YAML list is read object by object (kubectl refuses one), and a
// v1 List item by item, each at its own line. Each YAML document is
// converted YAML → JSON with
// sigs.k8s.io/yaml (YAML 1.1: unquoted true, yes, on, y become booleans, as
// with kubectl), then decoded like the API server does, by
// k8s.io/apimachinery's JSON serializer in strict mode over a scheme holding
// core/v1, apps/v1 and batch/v1. A value of the wrong type (a label typed as
// a boolean) makes the API server refuse the object: that is a finding on the
// object (WI023 or WI060), not a crash. The boolean or number labels,
// annotations and selector labels are then read as the strings meant
// (true as "true") and the object decoded again, so every other check still
// runs on it: a boolean label does not hide a preset AZURE_CLIENT_ID. Unknown and duplicate fields are
// warnings (WI061): the API server drops them with a warning unless field
// validation is Strict. Kinds outside the scheme (Ingress, custom resources)
// are decoded as metadata only, so their labels and annotations are still
// checked for misspelled Workload ID keys.
//
// Malformed YAML, a document without apiVersion or kind, and input holding no
// object at all are bad input (exit 2), never a clean pass.
//
// # Namespaces
//
// An object without metadata.namespace is taken to be in the environment's
// namespace: `kustomize build` of a wigen overlay sets it on every object, and
// `helm install --namespace` or Terraform's helm_release puts namespace-less
// objects there, while `helm template` run without --namespace may leave it
// out. An object with metadata.namespace is where it says. The service account
// of the environment's own federated identity credential is always expected;
// that of an additional federation only when the input holds an object in the
// federation's namespace (a second cluster's manifests are linted with the
// manifests of that cluster).
//
// # Findings
//
// Each finding has a stable ID and a fixed severity. Errors make the exit
// code 1; warnings alone leave it 0.
//
// WI001 points only at an object the problem is about: the ServiceAccount
// of the subject's name in another namespace when there is one (the object
// to move), else the first workload in the subject's namespace running as
// it. With neither in the input, nothing there is to blame (a Namespace or
// a ConfigMap is not where the fix goes), so the finding is about the input
// as a whole: no line, every input named, and the missing ServiceAccount
// (kind ServiceAccount, the subject's namespace and name) as its object. WI025 tells a wrong namespace from a wrong service account:
// when a credential names the pod's service account in another namespace,
// the message and fix are about the namespace.
//
//	| ID    | severity | finding |
//	|-------|----------|---------|
//	| WI001 | error    | the ServiceAccount named in a federated identity credential's subject is not in the input in the expected namespace |
//	| WI002 | error    | that ServiceAccount lacks the azure.workload.identity/client-id annotation, or it is empty |
//	| WI003 | error    | a ServiceAccount's azure.workload.identity/client-id is not a GUID |
//	| WI004 | error    | azure.workload.identity/client-id differs from identity.clientId in wigen.yaml |
//	| WI005 | error    | a ServiceAccount's azure.workload.identity/tenant-id is not a GUID |
//	| WI006 | error    | azure.workload.identity/tenant-id differs from tenantId in wigen.yaml |
//	| WI010 | error    | a misspelled azure.workload.identity/* label or annotation key (client_id, clientId, Use, ...), anywhere |
//	| WI011 | warning  | a Workload ID key where the webhook does not read it (the use label on a ServiceAccount, a Service or a workload's own metadata; client-id on a pod; a label given as an annotation) |
//	| WI020 | error    | a pod template running as a federated ServiceAccount lacks the label azure.workload.identity/use |
//	| WI021 | error    | the label azure.workload.identity/use has a value other than the string "true" |
//	| WI022 | error    | the label is on the workload's own metadata, not on its pod template |
//	| WI023 | error    | an azure.workload.identity/* label or annotation is a YAML boolean or number: the API server refuses the object |
//	| WI024 | error    | the label azure.workload.identity/use is in a workload's selector (selectors are immutable: upgrades fail) |
//	| WI025 | error    | a labelled pod template runs as a ServiceAccount no federated identity credential names |
//	| WI026 | error    | a labelled pod template runs as the namespace's "default" ServiceAccount (it names none, or names "default") |
//	| WI027 | warning  | a Deployment, StatefulSet or DaemonSet running as a federated ServiceAccount has no checksum/workload-identity pod-template annotation (a new client ID would not roll its pods) |
//	| WI028 | warning  | checksum/workload-identity is not the checksum of the client ID and tenant ID of its ServiceAccount (or of identity.clientId and tenantId) |
//	| WI030 | error    | a container presets AZURE_CLIENT_ID, AZURE_TENANT_ID or AZURE_FEDERATED_TOKEN_FILE (the webhook keeps a preset variable) |
//	| WI031 | warning  | an OpenAI API key (OPENAI_API_KEY, OPENAI_API_KEYS non-empty or from a Secret) in the environment of a Workload ID pod; the fix names the chart values that put it there for the spec's chart version |
//	| WI032 | warning  | a container's env names an in-cluster service (<service>.<namespace>.svc...) of another namespace than the pod's: the chart was rendered with another namespace than its objects got |
//	| WI040 | error    | azure.workload.identity/inject-proxy-sidecar set to a value meant as "off" (the webhook only checks presence) |
//	| WI041 | error    | azure.workload.identity/inject-proxy-sidecar on a hostNetwork pod (the webhook refuses the pod) |
//	| WI042 | error    | azure.workload.identity/service-account-token-expiration not an integer in 3600..86400 (the webhook refuses the pod) |
//	| WI043 | error    | azure.workload.identity/skip-containers names a container the pod does not have |
//	| WI044 | error    | azure.workload.identity/proxy-sidecar-port not a port number |
//	| WI050 | error    | a federated ServiceAccount or a Workload ID pod in kube-system, which the AKS admissions enforcer skips |
//	| WI060 | error    | the object does not decode into its Kubernetes type (the API server refuses it) |
//	| WI061 | warning  | unknown or duplicate fields (the API server drops them, or refuses them under strict field validation) |
//
// A "Workload ID pod" is a pod template that carries the label with the value
// "true" or runs as a ServiceAccount a federated identity credential names.
// Workloads are Deployment, StatefulSet, DaemonSet, ReplicaSet (apps/v1), Job
// and CronJob (batch/v1) and bare Pods (v1).
//
// Sources: facts.md "Azure Workload ID webhook" (Azure/azure-workload-identity
// v1.6.0, pkg/webhook: label and annotation keys, pods mutated at creation
// only (#109), token expiration bounds,
// skip-containers split on ';', env variables kept when preset, proxy sidecar
// refused on hostNetwork) and the AKS known issues (kube-system skipped).
package lint
