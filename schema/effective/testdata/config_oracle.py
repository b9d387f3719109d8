"""Oracle for schema/effective's differential test: evaluates Chalice's own
chalice.config.Config on generated configs.

stdin:  [{"config": "<config.json text>", "user": "<json text>" | null,
          "mode": "user" | "merge" | "replace",
          "stages": [...], "functions": [...], "keys": [...]}, ...]
        mode says how the overlay is applied: as Chalice's user params
        (chalice.cdk.Chalice), deep-merged into stages.<stage> (chalice-lsp's
        construct) or written as stages.<stage> (cdk-chalice).
stdout: per case, per (stage, function): {key: {"value": v, "from": [levels]}} or
        {key: {"error": "..."}}. "from" lists the levels (SF, U, S, TF, T, D) whose dict
        holds the very object Config returned (identity, not equality), so the Go side
        can check which level a value came from; for merged dicts "from" maps each key.
"""
import json
import sys

from chalice.config import Config

DEFAULTS = {
    'project_dir': '/nonexistent/project',
    'api_gateway_stage': 'api',
    'api_gateway_endpoint_type': 'EDGE',
    'autogen_policy': True,
}
PROPERTIES = {'version': 'config_file_version', 'xray': 'xray_enabled'}
MERGED = ('environment_variables', 'tags')


def sub(d, key):
    # Mirrors dict.get(key, {}) without crashing on non-dicts.
    if isinstance(d, dict):
        return d.get(key, {})
    return None


def level_dicts(cfg, user, defaults, stage, fn):
    st = sub(sub(cfg, 'stages'), stage)
    return [
        ('SF', sub(sub(st, 'lambda_functions'), fn)),
        ('U', user),
        ('S', st),
        ('TF', sub(sub(cfg, 'lambda_functions'), fn)),
        ('T', cfg),
        ('D', defaults),
    ]


def origins(dicts, key, value):
    return [lvl for lvl, d in dicts
            if isinstance(d, dict) and key in d and d[key] is value]


def merged_origins(dicts, key, value):
    out = {}
    for name, v in value.items():
        out[name] = [lvl for lvl, d in dicts
                     if isinstance(d, dict) and isinstance(d.get(key), dict)
                     and name in d[key] and d[key][name] is v]
    return out


def deep_merge(base, over):
    # chalice-lsp's construct (schema/effective/stageconfig.go deepMerge): maps merge key by key,
    # recursively; anything else replaces.
    out = dict(base) if isinstance(base, dict) else {}
    for k, v in over.items():
        out[k] = deep_merge(out.get(k), v) if isinstance(v, dict) else v
    return out


def apply_overlay(cfg, user, mode, stage):
    """Returns (config_from_disk, user_provided_params) for an overlay mode."""
    if mode == 'user' or not isinstance(user, dict):
        return cfg, (user if isinstance(user, dict) else {})
    cfg = dict(cfg)
    stages = dict(cfg['stages']) if isinstance(cfg.get('stages'), dict) else {}
    if mode == 'merge':  # chalice-lsp construct / packager
        cur = stages.get(stage)
        stages[stage] = deep_merge(cur if isinstance(cur, dict) else None, user)
    else:  # 'replace': cdk-chalice writes stages[stage] = stage_config
        stages[stage] = user
    cfg['stages'] = stages
    return cfg, {}


def main():
    cases = json.load(sys.stdin)
    results = []
    for case in cases:
        disk = json.loads(case['config'])
        raw_user = json.loads(case['user']) if case['user'] is not None else None
        per_case = []
        for stage in case['stages']:
            cfg, user = apply_overlay(disk, raw_user, case['mode'], stage)
            for fn in case['functions']:
                defaults = dict(DEFAULTS)
                config = Config(chalice_stage=stage, function_name=fn,
                                user_provided_params=user,
                                config_from_disk=cfg,
                                default_params=defaults)
                dicts = level_dicts(cfg, user, defaults, stage, fn)
                values = {}
                for key in case['keys']:
                    try:
                        v = getattr(config, PROPERTIES.get(key, key))
                    except Exception as e:  # Chalice itself would crash here
                        values[key] = {'error': '%s: %s' % (type(e).__name__, e)}
                        continue
                    if key in MERGED:
                        frm = merged_origins(dicts, key, v)
                    else:
                        frm = origins(dicts, key, v)
                    values[key] = {'value': v, 'from': frm}
                per_case.append({'stage': stage, 'function': fn,
                                 'values': values})
        results.append(per_case)
    sys.stdout.write(json.dumps(results))


if __name__ == '__main__':
    main()
