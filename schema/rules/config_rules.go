package rules

import (
	"bytes"
	"fmt"
	"github.com/chalice-lsp/chalice-lsp/internal/safefile"
	"os"
	"path/filepath"

	"github.com/chalice-lsp/chalice-lsp/schema/diag"
	"github.com/chalice-lsp/chalice-lsp/schema/effective"
	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
)

// checkIAMRole: `if not config.manage_iam_role` Chalice uses iam_role_arn as is
// (appgraph._create_role_reference); only `chalice deploy` validates it.
func (c *checker) checkIAMRole(stage, fn string) {
	manage := c.resolve(stage, fn, "manage_iam_role")
	if manage.Truthy() {
		return
	}
	arn := c.resolve(stage, fn, "iam_role_arn")
	if arn.Truthy() {
		return
	}
	missing := "no iam_role_arn is set"
	if arn.Found {
		missing = "iam_role_arn is empty " + where(arn)
	}
	c.report(manage, CodeIAMRoleARNMissing, diag.Error,
		"manage_iam_role is false but "+missing+": chalice package writes Role: null, and the SAM transform then silently gives the function "+
			"a new role with only basic execution permissions instead of yours (chalice deploy stops with \"When 'manage_iam_role' is set to false, "+
			"you must provide an 'iam_role_arn' in config.json.\"); add iam_role_arn with the ARN of an existing role, or remove manage_iam_role",
		stage, fn)
}

// checkVPC mirrors appgraph._get_vpc_params: both lists truthy or both falsy.
func (c *checker) checkVPC(stage, fn string) {
	subnets := c.resolve(stage, fn, "subnet_ids")
	groups := c.resolve(stage, fn, "security_group_ids")
	if subnets.Truthy() == groups.Truthy() {
		return
	}
	set, other := subnets, groups
	if groups.Truthy() {
		set, other = groups, subnets
	}
	state := "not set"
	if other.Found {
		state = "empty " + where(other)
	}
	c.report(set, CodeVPCConfigIncomplete, diag.Error,
		fmt.Sprintf("%s is set but %s is %s: Chalice stops building with \"Invalid VPC params for function ...\" "+
			"(chalice package, chalice deploy and the CDK constructs); set both subnet_ids and security_group_ids, or neither",
			set.Key, other.Key, state),
		stage, fn)
}

// checkEndpoint mirrors validate.validate_resource_policy (run by chalice deploy
// only; chalice package emits whatever is configured).
func (c *checker) checkEndpoint(stage string) {
	et := c.resolve(stage, "", "api_gateway_endpoint_type")
	vpce := c.resolve(stage, "", "api_gateway_endpoint_vpce")
	pol := c.resolve(stage, "", "api_gateway_policy_file")
	if isOpaque(et) {
		return
	}
	typ, _ := et.Value.(string)
	if typ != "PRIVATE" {
		if vpce.Truthy() {
			c.report(vpce, CodeVPCEWithoutPrivate, diag.Error,
				fmt.Sprintf("api_gateway_endpoint_vpce only works with a PRIVATE endpoint, but api_gateway_endpoint_type is %s %s: chalice package "+
					"still puts the VPC endpoint IDs on the API (vpcEndpointIds), and chalice deploy stops with \"config.api_gateway_endpoint_vpce "+
					"should only be specified for PRIVATE api_gateway_endpoint_type\"; set api_gateway_endpoint_type to PRIVATE or remove api_gateway_endpoint_vpce",
					describeValue(et), where(et)),
				stage, "")
		}
		return
	}
	switch {
	case vpce.Truthy() && pol.Truthy():
		msg := "a PRIVATE endpoint takes exactly one of api_gateway_endpoint_vpce and api_gateway_policy_file, and both are set " +
			"(chalice deploy stops with \"Can only specify one of api_gateway_policy_file and api_gateway_endpoint_vpce\"); remove one"
		c.report(vpce, CodePrivateEndpointConflict, diag.Error, msg, stage, "")
		c.report(pol, CodePrivateEndpointConflict, diag.Error, msg, stage, "")
	case !vpce.Truthy() && !pol.Truthy():
		c.report(et, CodePrivateEndpointNoPolicy, diag.Error,
			"a PRIVATE endpoint needs api_gateway_endpoint_vpce (the VPC endpoint IDs allowed to call the API) or api_gateway_policy_file "+
				"(a resource policy in .chalice/); without either, chalice package emits a resource policy with \"aws:SourceVpce\": null, so nothing "+
				"can call the API, and chalice deploy stops with \"Private Endpoints require api_gateway_policy_file or api_gateway_endpoint_vpce specified\"",
			stage, "")
	}
}

// checkIAMPolicyFile: with autogen_policy false (and a managed role) the app graph
// reads .chalice/<iam_policy_file or policy-<stage>.json> at build time.
func (c *checker) checkIAMPolicyFile(stage, fn string) {
	if c.projectDir == "" {
		return
	}
	if !c.resolve(stage, fn, "manage_iam_role").Truthy() {
		return // a pre-created role: no policy file is read
	}
	auto := c.resolve(stage, fn, "autogen_policy")
	if auto.Truthy() {
		return
	}
	file := c.resolve(stage, fn, "iam_policy_file")
	name, ok := file.Value.(string)
	if !ok {
		return // wrong type or a CDK expression: the schema reports it
	}
	if file.Origin == effective.OriginBuildDefault {
		c.checkPolicyFile(auto, name, CodeIAMPolicyFileMissing, stage, fn, func() string {
			return fmt.Sprintf("autogen_policy is false, so Chalice reads the IAM policy for this function from .chalice/%s, which %%s; "+
				"create it (a JSON IAM policy document) or set iam_policy_file", name)
		})
		return
	}
	c.checkPolicyFile(file, name, CodeIAMPolicyFileMissing, stage, fn, func() string {
		return fmt.Sprintf("iam_policy_file %q %%s in .chalice/ (Chalice reads it because autogen_policy is false %s)", name, where(auto))
	})
}

// checkAPIPolicyFile: a truthy api_gateway_policy_file is read whatever the
// endpoint type (appgraph._create_rest_api_model).
func (c *checker) checkAPIPolicyFile(stage string) {
	if c.projectDir == "" {
		return
	}
	pol := c.resolve(stage, "", "api_gateway_policy_file")
	name, ok := pol.Value.(string)
	if !ok || name == "" {
		return
	}
	c.checkPolicyFile(pol, name, CodeAPIPolicyFileMissing, stage, "", func() string {
		return fmt.Sprintf("api_gateway_policy_file %q %%s in .chalice/", name)
	})
}

// checkPolicyFile reports a policy file that is missing or is not JSON. msg returns
// a format with one %s for "does not exist" / "is not valid JSON".
func (c *checker) checkPolicyFile(at effective.Value, name, code, stage, fn string, msg func() string) {
	path := PolicyFilePath(c.projectDir, name)
	state, seen := c.files[path]
	if !seen {
		state = readPolicyFile(path)
		if c.files == nil {
			c.files = map[string]fileState{}
		}
		c.files[path] = state
	}
	if state.missing {
		c.report(at, code, diag.Error,
			fmt.Sprintf(msg(), "does not exist")+fmt.Sprintf(": chalice package fails with \"Unable to load IAM policy file %s\"", path),
			stage, fn)
		return
	}
	if state.skipped != "" {
		c.report(at, CodeFileSkipped, diag.Warning, fmt.Sprintf(msg(), "was not checked")+" ("+state.skipped+")", stage, fn)
		return
	}
	if bad := state.problem; bad != "" {
		c.report(at, CodePolicyFileInvalidJSON, diag.Error,
			fmt.Sprintf(msg(), "is not valid JSON")+fmt.Sprintf(" (%s: %s); chalice package fails reading it", path, bad),
			stage, fn)
	}
}

// fileState is what a policy file check found (cached per Check: many functions
// and stages share one file).
type fileState struct {
	missing bool
	problem string // why json.loads would reject it, "" when fine
	skipped string // why it was not read (a FIFO, a device, too big), "" when read
}

func readPolicyFile(path string) fileState {
	st, err := os.Stat(path)
	if err != nil || st.IsDir() {
		return fileState{missing: true}
	}
	src, err := safefile.Read(path)
	if safefile.IsSkipped(err) {
		return fileState{skipped: err.Error()}
	}
	if err != nil {
		return fileState{} // unreadable for another reason: not ours to judge
	}
	return fileState{problem: policyJSONProblem(src)}
}

// policyJSONProblem returns why json.loads(bytes) would reject src, or "". Chalice
// reads policy files as bytes, so a UTF-8 byte order mark is fine; UTF-16 files
// (which json.loads also decodes) are not checked.
func policyJSONProblem(src []byte) string {
	src = bytes.TrimPrefix(src, []byte{0xEF, 0xBB, 0xBF})
	if bytes.IndexByte(src, 0) >= 0 {
		return ""
	}
	_, errs := jsonpos.Parse(src)
	if len(errs) > 0 {
		return errs[0].Msg
	}
	return ""
}

// pyJoin is os.path.join: an absolute part discards everything before it.
func pyJoin(parts ...string) string {
	out := ""
	for _, p := range parts {
		if filepath.IsAbs(p) || out == "" {
			out = p
			continue
		}
		out = filepath.Join(out, p)
	}
	return out
}

// checkLogRetention: a truthy log_retention_in_days for api_handler makes chalice
// package emit ApiHandlerLogGroup with ${ApiHandler}, which was renamed APIHandler
// (chalice.md 2.8, aws/chalice#2079).
func (c *checker) checkLogRetention(stage string) {
	v := c.resolve(stage, effective.APIHandler, "log_retention_in_days")
	if !v.Truthy() {
		return
	}
	c.report(v, CodeLogRetentionAPIHandler, diag.Warning,
		"log_retention_in_days applies to api_handler: chalice package emits ApiHandlerLogGroup whose LogGroupName refers to ${ApiHandler}, "+
			"a logical ID that does not exist (the function is APIHandler; aws/chalice#2079), so plain `chalice package`, chalice.cdk.Chalice "+
			"and cdk-chalice deployments fail. chalice-lsp's packager and Go construct rewrite it to ${APIHandler}, so with them it works",
		stage, effective.APIHandler)
}

// checkTopFunctionSettings: _chain_merge never reads top-level lambda_functions.<fn>.
func (c *checker) checkTopFunctionSettings() {
	lf := object(object(c.root).Get("lambda_functions"))
	for _, fm := range members(lf) {
		for i := range members(fm.Value) {
			m := &fm.Value.Members[i]
			if m.Key != "environment_variables" && m.Key != "tags" {
				continue
			}
			c.reportAt(false, m.KeyStart, m.KeyEnd, CodeIgnoredFunctionSetting, diag.Warning,
				fmt.Sprintf("Chalice ignores %s under the top-level lambda_functions.%s (it merges %s only from the top level, stages.<stage>, "+
					"stages.<stage>.lambda_functions.<function> and stage_config); move it to stages.<stage>.lambda_functions.%s",
					m.Key, fm.Key, m.Key, fm.Key),
				nil, "", "")
		}
	}
}

func object(n *jsonpos.Node) *jsonpos.Node {
	if n == nil || n.Kind != jsonpos.Object {
		return nil
	}
	return n
}

func members(n *jsonpos.Node) []jsonpos.Member {
	if n == nil || n.Kind != jsonpos.Object {
		return nil
	}
	return n.Members
}

// checkEmptyCertificate notes a custom domain whose certificate_arn is "":
// Chalice passes it through (CertificateArn "" / RegionalCertificateArn ""),
// so the template only deploys when something fills it in later, as
// `chalice package --merge-template` or a deploy script often does.
func (c *checker) checkEmptyCertificate(stage string) {
	for _, key := range []string{"api_gateway_custom_domain", "websocket_api_custom_domain"} {
		v := c.resolve(stage, "", key)
		if v.Node == nil || v.Node.Kind != jsonpos.Object || (!v.InOverlay && !v.Origin.InFile()) {
			continue
		}
		m := v.Node.Member("certificate_arn")
		if m == nil || m.Value == nil || m.Value.Kind != jsonpos.String || m.Value.Text != "" {
			continue
		}
		c.reportAt(v.InOverlay, m.Value.Start, m.Value.End, CodeEmptyCertificateARN, diag.Information,
			"certificate_arn is empty: chalice package writes an empty certificate ARN for "+key+", which CloudFormation rejects unless "+
				"something fills it in (a --merge-template or a deploy script); otherwise set the ACM certificate's ARN here", nil, stage, "")
	}
}
