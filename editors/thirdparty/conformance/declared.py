"""Checks that a server->client message only uses what the client declared.

Each check takes the client's capabilities (as plain JSON) and the raw message
payload and returns a list of violations. pytest-lsp's own spec checks run too (as
errors, see pytest.ini); these cover what they do not.
"""

from __future__ import annotations

import re
from typing import Any

MARKDOWN = re.compile(r"\*\*|```|`[^`]+`|^#+ |\[[^\]]+\]\([^)]+\)", re.M)


def get(d: Any, *path: str) -> Any:
    for p in path:
        if not isinstance(d, dict):
            return None
        d = d.get(p)
    return d


def _markup(kind_list: Any, content: Any, where: str) -> list[str]:
    out = []
    if isinstance(content, dict):
        kind = content.get("kind")
        allowed = kind_list or ["plaintext"]
        if kind not in allowed:
            out.append(f"{where}: {kind} content, the client declared {allowed}")
        if kind == "plaintext" and MARKDOWN.search(content.get("value", "")):
            out.append(f"{where}: plaintext that is markdown source: {content['value'][:80]!r}")
    elif isinstance(content, str):
        if MARKDOWN.search(content):
            out.append(f"{where}: plain string that is markdown source: {content[:80]!r}")
    else:
        out.append(f"{where}: MarkedString form (deprecated) {content!r}")
    return out


def completion(caps: dict, result: Any) -> list[str]:
    out: list[str] = []
    if result is None:
        return out
    items = result.get("items", []) if isinstance(result, dict) else result
    ci = get(caps, "textDocument", "completion", "completionItem") or {}
    defaults_ok = get(caps, "textDocument", "completion", "completionList", "itemDefaults") or []
    if isinstance(result, dict):
        for k in (result.get("itemDefaults") or {}):
            if k not in defaults_ok:
                out.append(f"completion itemDefaults.{k}: not in the client's completionList.itemDefaults {defaults_ok}")
    kinds = get(caps, "textDocument", "completion", "completionItemKind", "valueSet") or list(range(1, 19))
    for it in items:
        lab = it.get("label")
        if "documentation" in it:
            fmts = ci.get("documentationFormat")
            doc = it["documentation"]
            if isinstance(doc, dict) and not fmts:
                out.append(f"completion {lab}: MarkupContent documentation, no documentationFormat declared")
            else:
                out += _markup(fmts, doc, f"completion {lab} documentation")
        for field, flag in (("labelDetails", "labelDetailsSupport"), ("tags", "tagSupport"),
                            ("deprecated", "deprecatedSupport"), ("preselect", "preselectSupport"),
                            ("commitCharacters", "commitCharactersSupport"), ("insertTextMode", "insertTextModeSupport")):
            if field in it and not ci.get(flag):
                out.append(f"completion {lab}: {field} without {flag}")
        if it.get("insertTextFormat") == 2 and not ci.get("snippetSupport"):
            out.append(f"completion {lab}: snippet without snippetSupport")
        te = it.get("textEdit")
        if isinstance(te, dict) and "insert" in te and not ci.get("insertReplaceSupport"):
            out.append(f"completion {lab}: InsertReplaceEdit without insertReplaceSupport")
        if "textEditText" in it and "editRange" not in defaults_ok:
            out.append(f"completion {lab}: textEditText without itemDefaults.editRange")
        if "kind" in it and it["kind"] not in kinds:
            out.append(f"completion {lab}: kind {it['kind']} not in the client's valueSet")
    return out


def hover(caps: dict, result: Any) -> list[str]:
    if result is None:
        return []
    return _markup(get(caps, "textDocument", "hover", "contentFormat"), result.get("contents"), "hover")


def code_action(caps: dict, result: Any) -> list[str]:
    out: list[str] = []
    ca = get(caps, "textDocument", "codeAction") or {}
    literal = "codeActionLiteralSupport" in ca
    kinds = get(ca, "codeActionLiteralSupport", "codeActionKind", "valueSet") or []
    for a in result or []:
        is_command = isinstance(a.get("command"), str)
        if not literal and not is_command:
            out.append(f"code action {a.get('title')!r}: a CodeAction literal, the client has no codeActionLiteralSupport")
        if is_command:
            continue
        for field, flag in (("isPreferred", "isPreferredSupport"), ("disabled", "disabledSupport"), ("data", "dataSupport")):
            if field in a and not ca.get(flag):
                out.append(f"code action {a.get('title')!r}: {field} without {flag}")
        k = a.get("kind")
        if k and kinds and not any(k == v or k.startswith(v + ".") for v in kinds):
            out.append(f"code action {a.get('title')!r}: kind {k} outside the client's valueSet {kinds}")
    return out


def definition(caps: dict, result: Any) -> list[str]:
    if isinstance(result, list) and result and "targetUri" in result[0] and not get(caps, "textDocument", "definition", "linkSupport"):
        return ["definition: LocationLink without linkSupport"]
    return []


def _diagnostics(dcaps: dict, ds: list, where: str) -> list[str]:
    out = []
    for d in ds:
        for field, flag in (("data", "dataSupport"), ("tags", "tagSupport"), ("codeDescription", "codeDescriptionSupport"),
                            ("relatedInformation", "relatedInformation")):
            if field in d and not dcaps.get(flag):
                out.append(f"{where} {d.get('code')}: {field} without {flag}")
    return out


def publish_diagnostics(caps: dict, params: Any) -> list[str]:
    pd = get(caps, "textDocument", "publishDiagnostics") or {}
    out = _diagnostics(pd, params.get("diagnostics", []), "publishDiagnostics")
    if "version" in params and not pd.get("versionSupport"):
        out.append("publishDiagnostics: version without versionSupport")
    return out


def pull_diagnostics(caps: dict, result: Any) -> list[str]:
    dc = get(caps, "textDocument", "diagnostic") or {}
    return _diagnostics(dc, (result or {}).get("items", []), "textDocument/diagnostic")


SERVER_REQUESTS = {
    "window/workDoneProgress/create": ("window", "workDoneProgress"),
    "window/showDocument": ("window", "showDocument", "support"),
    "workspace/configuration": ("workspace", "configuration"),
    "workspace/diagnostic/refresh": ("workspace", "diagnostics", "refreshSupport"),
    "workspace/applyEdit": ("workspace", "applyEdit"),
    "workspace/workspaceFolders": ("workspace", "workspaceFolders"),
    "workspace/semanticTokens/refresh": ("workspace", "semanticTokens", "refreshSupport"),
    "workspace/codeLens/refresh": ("workspace", "codeLens", "refreshSupport"),
    "workspace/inlayHint/refresh": ("workspace", "inlayHint", "refreshSupport"),
}


def server_request(caps: dict, method: str, params: Any) -> list[str]:
    out = []
    if method in SERVER_REQUESTS and not get(caps, *SERVER_REQUESTS[method]):
        out.append(f"{method}: the client did not declare {'.'.join(SERVER_REQUESTS[method])}")
    if method == "client/registerCapability":
        for r in params.get("registrations", []):
            m = r.get("method", "")
            if m == "workspace/didChangeWatchedFiles":
                path = ("workspace", "didChangeWatchedFiles", "dynamicRegistration")
            elif m == "workspace/didChangeConfiguration":
                path = ("workspace", "didChangeConfiguration", "dynamicRegistration")
            elif m.startswith("textDocument/"):
                path = ("textDocument", m.split("/", 1)[1], "dynamicRegistration")
            else:
                path = ("workspace", m.split("/", 1)[-1], "dynamicRegistration")
            if not get(caps, *path):
                out.append(f"client/registerCapability {m}: the client did not declare {'.'.join(path)}")
    return out


RESULTS = {
    "textDocument/completion": completion,
    "textDocument/hover": hover,
    "textDocument/codeAction": code_action,
    "textDocument/definition": definition,
    "textDocument/diagnostic": pull_diagnostics,
}
