"""Checks synthesized CloudFormation templates the way AWS would.

Usage: python check_template.py TEMPLATE.json [TEMPLATE.json ...]

For every template:
  1. cfn-lint (its Python API, same rules as the CLI) must report no errors
     (warnings are reported but allowed; informational findings are dropped);
  2. aws-sam-translator (the code behind the AWS::Serverless-2016-10-31 transform)
     must translate it without errors.

Prints one JSON object per template on stdout:
  {"template": path, "lint_errors": [...], "lint_warnings": [...],
   "sam_errors": [...], "translated_resources": {logical_id: type, ...}}
and exits 1 if any template has lint errors or SAM errors.

The translator needs AWS only to look up managed policy ARNs, which Chalice templates
do not use; a loader that answers from a fixed table stands in for IAM (no network,
no credentials).
"""
import json
import os
import sys

# The translator builds ARNs for the current partition, which it derives from the region.
os.environ.setdefault('AWS_DEFAULT_REGION', 'us-east-1')

from cfnlint.api import lint_all
from samtranslator.model.exceptions import InvalidDocumentException
from samtranslator.parser.parser import Parser
from samtranslator.translator.transform import transform


class FixedManagedPolicyLoader:
    """Stands in for IAM ListPolicies: the AWS managed policies SAM may reference."""

    def load(self):
        return {
            'AWSLambdaBasicExecutionRole':
                'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
            'AWSXrayWriteOnlyAccess': 'arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess',
            'AWSXRayDaemonWriteAccess': 'arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess',
        }


PSEUDO_PARAMETERS = {
    'AWS::Region': 'us-east-1',
    'AWS::AccountId': '123456789012',
    'AWS::Partition': 'aws',
    'AWS::StackName': 'chalice-lsp-check',
    'AWS::StackId': 'arn:aws:cloudformation:us-east-1:123456789012:stack/chalice-lsp-check/1',
    'AWS::URLSuffix': 'amazonaws.com',
    'AWS::NotificationARNs': [],
}


def check(path):
    with open(path) as f:
        text = f.read()
    template = json.loads(text)
    result = {'template': path, 'lint_errors': [], 'lint_warnings': [],
              'sam_errors': [], 'translated_resources': {}}
    for match in lint_all(text):
        entry = '%s %s (%s:%s)' % (match.rule.id, match.message,
                                   match.linenumber, match.columnnumber)
        if match.rule.id.startswith('E'):
            result['lint_errors'].append(entry)
        elif match.rule.id.startswith('W'):
            result['lint_warnings'].append(entry)
    try:
        params = dict(PSEUDO_PARAMETERS)
        for name, spec in (template.get('Parameters') or {}).items():
            if 'Default' in spec:
                params[name] = spec['Default']
        out = transform(template, params, FixedManagedPolicyLoader())
        result['translated_resources'] = {
            k: v.get('Type') for k, v in sorted(out.get('Resources', {}).items())}
        if 'Transform' in out:
            result['sam_errors'].append('Transform still present after translation')
    except InvalidDocumentException as e:
        result['sam_errors'].extend(str(c) for c in e.causes)
    except Exception as e:  # pragma: no cover - any crash is a failed check
        result['sam_errors'].append('%s: %s' % (type(e).__name__, e))
    return result


def main(paths):
    ok = True
    for p in paths:
        r = check(p)
        print(json.dumps(r, sort_keys=True))
        if r['lint_errors'] or r['sam_errors']:
            ok = False
    return 0 if ok else 1


if __name__ == '__main__':
    if len(sys.argv) < 2:
        sys.stderr.write(__doc__)
        sys.exit(2)
    sys.exit(main(sys.argv[1:]))
