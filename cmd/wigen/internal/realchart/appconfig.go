package realchart

import (
	"testing"

	"github.com/wigen-dev/wigen/generate/helm"
	"github.com/wigen-dev/wigen/generate/helm/helmtest"
	"github.com/wigen-dev/wigen/schema"
)

// CheckAppConfig reports (t.Errorf) where the workload of environment e in
// st does not carry what issue 15 renders, as the chart rendered it:
//   - the pod template's checksum/workload-identity is the checksum of the
//     client ID and tenant ID the ServiceAccount carries
//     (schema.WorkloadIdentityChecksum), so a new client ID rolls the pods;
//     and it is not on the workload's own metadata, where it rolls nothing;
//   - from Open WebUI 0.10.2, connection i of OPENAI_API_BASE_URLS,
//     OPENAI_API_KEYS and OPENAI_API_CONFIGS in the app container is
//     account i of e (helmtest.CheckConnections); below it, none of the
//     three is set;
//   - BYPASS_MODEL_ACCESS_CONTROL=True exactly with openWebUI.modelAccess
//     everyone, ENABLE_PERSISTENT_CONFIG=False exactly with
//     openWebUI.persistentConfig false.
func CheckAppConfig(t testing.TB, s *schema.Spec, e *schema.Environment, st Stream) {
	t.Helper()
	sh := ShapeOf(t, e, st)
	want := schema.WorkloadIdentityChecksum(sh.Annotations[schema.AnnotationClientID], sh.Annotations[schema.AnnotationTenantID])
	if sh.Checksum != want {
		t.Errorf("%s: pod template annotation %s = %q, want %q (client ID %s, tenant ID %q)", st.Name(), schema.AnnotationChecksum, sh.Checksum, want,
			sh.Annotations[schema.AnnotationClientID], sh.Annotations[schema.AnnotationTenantID])
	}
	if sh.Annotations[schema.AnnotationTenantID] != e.TenantID {
		t.Errorf("%s: tenant-id annotation %q, want %q", st.Name(), sh.Annotations[schema.AnnotationTenantID], e.TenantID)
	}
	if sh.WorkloadChecksum != "" {
		t.Errorf("%s: %s is on the workload's own metadata too", st.Name(), schema.AnnotationChecksum)
	}
	env, ok := sh.EnvValues[s.Spec.Chart.Name]
	if !ok {
		t.Fatalf("%s: no container %s", st.Name(), s.Spec.Chart.Name)
	}
	if s.Spec.Chart.App.ConnectionFromEnv {
		for _, p := range helmtest.CheckConnections(env, e.AzureOpenAI) {
			t.Errorf("%s: %s", st.Name(), p)
		}
	} else {
		for _, k := range []string{helm.EnvBaseURLs, helm.EnvKeys, helm.EnvConfigs} {
			if _, ok := env[k]; ok {
				t.Errorf("%s: %s is set, but Open WebUI %s does not read it", st.Name(), k, s.Spec.Chart.App.Version)
			}
		}
	}
	o := s.Spec.OpenWebUI
	if v, ok := env[helm.EnvBypassModelAccess]; ok != o.EveryoneSeesModels() || ok && v != "True" {
		t.Errorf("%s: %s = %q (set: %v) with openWebUI.modelAccess %s", st.Name(), helm.EnvBypassModelAccess, v, ok, o.ModelAccess)
	}
	if v, ok := env[helm.EnvPersistentConfig]; ok == o.ConfigPersists() || ok && v != "False" {
		t.Errorf("%s: %s = %q (set: %v) with openWebUI.persistentConfig %v", st.Name(), helm.EnvPersistentConfig, v, ok, o.ConfigPersists())
	}
}
