"""Runs Chalice's own packaging (chalice.api.package_app, what chalice.cdk.Chalice
calls) on several projects in one process, for schema/rules' agreement test.

stdin:  [{"dir": "<project>", "stage": "dev", "user": {...} | null, "out": "<dir>"}, ...]
stdout: [{"error": "<ExceptionType>: <message>"} | {"template": {...}}, ...]
"""
import json
import os
import sys

from chalice.api import package_app


def main():
    # Chalice prints progress ("Creating deployment package.") to stdout.
    out, sys.stdout = sys.stdout, sys.stderr
    cases = json.load(sys.stdin)
    results = []
    for case in cases:
        # Every project has its own app.py: forget the previous one.
        sys.modules.pop('app', None)
        sys.path[:] = [p for p in sys.path if not p.startswith(case['root'])]
        try:
            package_app(case['dir'], case['out'], case['stage'],
                        chalice_config=case['user'])
            with open(os.path.join(case['out'], 'sam.json')) as f:
                results.append({'template': json.load(f)})
        except BaseException as e:  # NotImplementedError, SystemExit, ...
            results.append({'error': '%s: %s' % (type(e).__name__, e)})
    out.write(json.dumps(results))


if __name__ == '__main__':
    main()
