package construct

import (
	"fmt"
	"sort"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
)

// shadowWarningID identifies the warning below, so users can acknowledge it with
// Annotations.of(scope).acknowledgeWarning.
const shadowWarningID = "chalice-lsp:construct:stage-config-shadowed"

// warnShadowedSettings adds a warning for every StageConfig environment variable or
// tag that did not reach a function.
//
// StageConfig is merged into stages.<stage> of config.json, and Chalice merges
// environment_variables and tags in the order top level, stage, stages.<stage>.
// lambda_functions.<fn>: a value that config.json sets for one function at the stage
// level wins over StageConfig. chalice.cdk.Chalice passes stage_config as user
// parameters, which win over everything, so the same app would behave differently;
// the warning makes that visible instead of silent. Values StageConfig itself sets
// under lambda_functions.<fn> are the user's intent and are not reported.
func (c *Chalice) warnShadowedSettings(stageConfig map[string]any) {
	perFunction := map[string]map[string]any{} // logical ID -> that function's StageConfig block
	if fns, ok := stageConfig["lambda_functions"].(map[string]any); ok {
		for name, v := range fns {
			if block, ok := v.(map[string]any); ok {
				if id := c.LogicalIDFor(jsii.String(name)); id != nil {
					perFunction[*id] = block
				}
			}
		}
	}
	var msgs []string
	for _, r := range c.result.Template.Resources {
		if r.Type != typeFunction {
			continue
		}
		for _, section := range []struct{ key, prop string }{
			{"environment_variables", "Environment"},
			{"tags", "Tags"},
		} {
			want, ok := stageConfig[section.key].(map[string]any)
			if !ok {
				continue
			}
			own, _ := perFunction[r.LogicalID][section.key].(map[string]any)
			var got *jsonpos.Node
			if section.prop == "Environment" {
				got = r.Props.Get("Environment").Get("Variables")
			} else {
				got = r.Props.Get("Tags")
			}
			for _, k := range sortedKeys(want) {
				if _, mine := own[k]; mine {
					continue
				}
				v, isString := want[k].(string)
				if !isString {
					continue
				}
				if n := got.Get(k); n == nil || n.Kind != jsonpos.String || n.Text != v {
					have := "removed"
					if n != nil {
						have = fmt.Sprintf("set to %s", shortJSON(n))
					}
					msgs = append(msgs, fmt.Sprintf("%s.%s is %s in %s", section.key, k, have, r.LogicalID))
				}
			}
		}
	}
	if len(msgs) == 0 {
		return
	}
	awscdk.Annotations_Of(c.Construct).AddWarningV2(jsii.String(shadowWarningID), jsii.String(fmt.Sprintf(
		"StageConfig values do not reach every function: %s. .chalice/config.json sets them under stages.%s.lambda_functions, which Chalice applies after the stage level that StageConfig is merged into (chalice.cdk.Chalice would let StageConfig win). Set them in StageConfig under lambda_functions.<handler> instead, or remove them from config.json",
		strings.Join(msgs, "; "), c.stageName)))
}

func sortedKeys(m map[string]any) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func shortJSON(n *jsonpos.Node) string {
	if n.Kind == jsonpos.String {
		return fmt.Sprintf("%q", n.Text)
	}
	return "a non-string value"
}
