package terraform

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"

	"github.com/wigen-dev/wigen/schema"
)

// ChecksumSetName is the helm_release set name of the pod-template
// annotation checksum/workload-identity: podAnnotations.checksum/workload-identity.
// '/' means nothing to Helm's --set parser (helm pkg/strvals: a key segment
// ends at '.', '=', ',' or '['), so only the '.' between the segments
// separates; SetName escapes whatever would. The set type is "string":
// "literal" would not split the name at all and set a top-level key named
// after the whole name (facts.md "Terraform providers").
var ChecksumSetName = SetName("podAnnotations", schema.AnnotationChecksum)

// ChecksumFunctions are the Terraform built-in functions checksumExpr
// calls (Terraform language, built-in functions, all there since Terraform
// 0.12), as go-cty functions, for evaluating a rendered module's checksum
// outside Terraform (the tests, the real-chart harness): sha256 as
// Terraform's (hashicorp/terraform internal/lang/funcs/crypto.go,
// Sha256Func: the lowercase hexadecimal SHA-256 of the string's UTF-8
// bytes); join and lower are go-cty's stdlib functions, which Terraform
// uses for them.
func ChecksumFunctions() map[string]function.Function {
	return map[string]function.Function{"sha256": sha256Func, "join": stdlib.JoinFunc, "lower": stdlib.LowerFunc}
}

var sha256Func = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "str", Type: cty.String}},
	Type:   function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		sum := sha256.Sum256([]byte(args[0].AsString()))
		return cty.StringVal(hex.EncodeToString(sum[:])), nil
	},
})

// checksumExpr is the Terraform expression of schema.WorkloadIdentityChecksum
// for the client ID read from the identity (clientID, a traversal to its
// client_id) and the environment's tenantId:
//
//	sha256(join("\n", [lower(<identity>.client_id), "<tenant ID in lowercase>"]))
//
// It hashes the same text schema.WorkloadIdentityChecksum does, so the
// Terraform module and the static outputs (Helm values, Kustomize overlay)
// give the same value for the same client ID and tenant ID. The tenant is
// the tenantId of wigen.yaml, not the identity's tenant_id: it is what the
// tenant-id annotation carries, and what the static outputs can know.
func checksumExpr(clientID hcl.Traversal, tenantID string) hclwrite.Tokens {
	return hclwrite.TokensForFunctionCall("sha256",
		hclwrite.TokensForFunctionCall("join", str("\n"), tuple([]hclwrite.Tokens{
			hclwrite.TokensForFunctionCall("lower", hclwrite.TokensForTraversal(clientID)),
			str(strings.ToLower(tenantID)),
		})))
}
