package rules

import "github.com/chalice-lsp/chalice-lsp/internal/safefile"

// Diagnostic codes produced by this package. They are stable: editors, tests and
// users' suppression lists may depend on them. Codes marked "schema overlap" are
// emitted only with Options.IncludeSchemaChecks, because schema.Validate reports the
// same problem on the same range (wrong-type, out-of-range, unknown-key).
const (
	// CodeIAMRoleARNMissing: manage_iam_role resolves to false for a function but
	// iam_role_arn is missing or empty (package emits Role: null; deploy refuses).
	CodeIAMRoleARNMissing = "iam-role-arn-missing"
	// CodeVPCConfigIncomplete: subnet_ids without security_group_ids or the reverse
	// (ChaliceBuildError "Invalid VPC params" in package, deploy and CDK).
	CodeVPCConfigIncomplete = "vpc-config-incomplete"
	// CodePrivateEndpointNoPolicy: a PRIVATE endpoint with neither
	// api_gateway_endpoint_vpce nor api_gateway_policy_file.
	CodePrivateEndpointNoPolicy = "private-endpoint-no-policy"
	// CodePrivateEndpointConflict: a PRIVATE endpoint with both
	// api_gateway_endpoint_vpce and api_gateway_policy_file.
	CodePrivateEndpointConflict = "private-endpoint-conflict"
	// CodeVPCEWithoutPrivate: api_gateway_endpoint_vpce on an endpoint type other
	// than PRIVATE.
	CodeVPCEWithoutPrivate = "vpce-without-private"
	// CodeIAMPolicyFileMissing: autogen_policy resolves to false and the policy
	// file Chalice reads (iam_policy_file, default policy-<stage>.json) is not in
	// .chalice/.
	CodeIAMPolicyFileMissing = "iam-policy-file-missing"
	// CodeAPIPolicyFileMissing: api_gateway_policy_file is not in .chalice/.
	CodeAPIPolicyFileMissing = "api-policy-file-missing"
	// CodePolicyFileInvalidJSON: a policy file Chalice reads (IAM or API Gateway
	// resource policy) exists but is not valid JSON.
	CodePolicyFileInvalidJSON = "policy-file-invalid-json"
	// CodeEmptyCertificateARN: a custom domain's certificate_arn is "" (often
	// filled in later by a --merge-template or a deploy script). Information.
	CodeEmptyCertificateARN = "empty-certificate-arn"
	// CodeAppNotNamedApp: app.py binds its Chalice object to another name than
	// app; Chalice only loads app.app (cli/factory.py load_chalice_app).
	CodeAppNotNamedApp = "app-not-named-app"
	// CodeUnknownFunction: a lambda_functions key that matches no handler in app.py
	// (did-you-mean candidates in Suggestions).
	CodeUnknownFunction = "unknown-function"
	// CodeRouteFunctionName: a lambda_functions key that is a route view's Python
	// function name; routes are configured as api_handler.
	CodeRouteFunctionName = "route-function-name"
	// CodeIgnoredFunctionSetting: environment_variables or tags under the top-level
	// lambda_functions.<fn>, which Chalice silently drops.
	CodeIgnoredFunctionSetting = "ignored-function-setting"
	// CodeLogRetentionAPIHandler: log_retention_in_days reaches api_handler, whose
	// log group references a logical ID that does not exist (aws/chalice#2079).
	CodeLogRetentionAPIHandler = "log-retention-api-handler"
	// CodeDuplicateLogicalID: handler names that collapse to the same
	// CloudFormation logical ID (foo_bar and foo__bar); reported in app.py.
	CodeDuplicateLogicalID = "duplicate-logical-id"
	// CodeEmptyLogicalID: a handler name with no letters or digits ("___"), whose
	// logical ID is empty; reported in app.py.
	CodeEmptyLogicalID = "empty-logical-id"
	// CodeS3EventUnsupported: an @app.on_s3_event handler, which `chalice package`
	// (and so every CDK construct) cannot package; reported in app.py.
	CodeS3EventUnsupported = "s3-event-unsupported"
	// CodeFileSkipped: a file the check needs (a policy file, a blueprint module)
	// is not a regular file or is too big, so it was not read (internal/safefile).
	CodeFileSkipped = safefile.Code

	// CodeEnvValueNotString (schema overlap): an environment variable value that
	// is not a string.
	CodeEnvValueNotString = "env-value-not-string"
	// CodeTagValueNotString (schema overlap): a tag value that is not a string.
	CodeTagValueNotString = "tag-value-not-string"
	// CodeUnsupportedVersion (schema overlap): version above 2.0 or not a number.
	CodeUnsupportedVersion = "unsupported-version"
	// CodeIgnoredDomainKey (schema overlap): url_prefixes or security_policy in a
	// custom domain (the docs' example; Chalice reads url_prefix and tls_version).
	CodeIgnoredDomainKey = "ignored-domain-key"
)

// Codes describes every code in one line, for README and `chalice-lsp check --help`.
var Codes = map[string]string{
	CodeIAMRoleARNMissing:       "manage_iam_role is false for a function but iam_role_arn is missing or empty",
	CodeVPCConfigIncomplete:     "subnet_ids without security_group_ids, or the reverse (Chalice fails to build)",
	CodePrivateEndpointNoPolicy: "PRIVATE endpoint without api_gateway_endpoint_vpce or api_gateway_policy_file",
	CodePrivateEndpointConflict: "PRIVATE endpoint with both api_gateway_endpoint_vpce and api_gateway_policy_file",
	CodeVPCEWithoutPrivate:      "api_gateway_endpoint_vpce with an endpoint type other than PRIVATE",
	CodeIAMPolicyFileMissing:    "autogen_policy is false and the IAM policy file (default .chalice/policy-<stage>.json) does not exist",
	CodeAPIPolicyFileMissing:    "api_gateway_policy_file does not exist in .chalice/",
	CodePolicyFileInvalidJSON:   "a policy file Chalice reads exists but is not valid JSON",
	CodeUnknownFunction:         "lambda_functions key that matches no handler in app.py (with did-you-mean)",
	CodeRouteFunctionName:       "lambda_functions key that is a route view's function name; use api_handler",
	CodeIgnoredFunctionSetting:  "environment_variables/tags under top-level lambda_functions.<fn>, silently dropped by Chalice",
	CodeLogRetentionAPIHandler:  "log_retention_in_days reaches api_handler: broken log group in chalice package output (aws/chalice#2079; chalice-lsp's packager fixes it up)",
	CodeDuplicateLogicalID:      "handler names that collapse to the same CloudFormation logical ID (in app.py)",
	CodeEmptyLogicalID:          "handler name without letters or digits: empty logical ID (in app.py)",
	CodeS3EventUnsupported:      "@app.on_s3_event handler: chalice package / CDK cannot package it (in app.py)",
	CodeEnvValueNotString:       "environment variable value that is not a string (only with IncludeSchemaChecks)",
	CodeTagValueNotString:       "tag value that is not a string (only with IncludeSchemaChecks)",
	CodeUnsupportedVersion:      "version above 2.0 or not a number (only with IncludeSchemaChecks)",
	CodeIgnoredDomainKey:        "url_prefixes/security_policy in a custom domain, never read (only with IncludeSchemaChecks)",
}
