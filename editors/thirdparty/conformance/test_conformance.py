"""Conformance of chalice-lsp under third-party client profiles (issue #11).

Every profile plays the same scripted session against the real server on the
example workspace: config.json with mistakes, key completion (with astral
characters before the cursor), hover, definition, quick fix, the Python and Go CDK
stacks (logical-ID completion, hover, definition, construct code actions), both
commands with packaging progress, then shutdown. Every message the server sends is
checked by conftest.StrictProtocol; the test fails on any violation.
"""

from __future__ import annotations

import asyncio
import json
import pathlib
from typing import Any

import pytest
from lsprotocol import types
from pytest_lsp import client_capabilities

from conftest import PLAIN, SERVER, make_client

# Astral characters (two UTF-16 units, four UTF-8 bytes) before the targets.
CONFIG = """{
  "version": "2.0",
  "app_name": "chalice-example",
  "tags": {"owner": "🐍𝄞"}, "lamda_timeout": 30,
  "stages": {
    "dev": {
      "api_gateway_stage": "api",
      "lambda_functions": {
        "api_handler": {"lambda_memory_size": 256}
      }
    }
  }
}
"""
# Key completion: an auto-closed "lam" with another member on the next line.
CONFIG_TYPING = CONFIG.replace('"lamda_timeout": 30,', '"lam"')

RICH = {
    "general": {"positionEncodings": ["utf-16"]},
    "window": {"workDoneProgress": True, "showDocument": {"support": True}},
    "workspace": {
        "configuration": True, "workspaceFolders": True, "applyEdit": True,
        "didChangeWatchedFiles": {"dynamicRegistration": True},
        "diagnostics": {"refreshSupport": True},
    },
    "textDocument": {
        "synchronization": {"didSave": True},
        "completion": {
            "completionItem": {"snippetSupport": True, "labelDetailsSupport": True,
                               "documentationFormat": ["markdown", "plaintext"], "insertReplaceSupport": True},
            "completionList": {"itemDefaults": ["editRange"]},
        },
        "hover": {"contentFormat": ["markdown", "plaintext"]},
        "definition": {"linkSupport": True},
        "codeAction": {"codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["quickfix", "source"]}},
                       "isPreferredSupport": True, "dataSupport": True},
        "publishDiagnostics": {"dataSupport": True, "versionSupport": True, "codeDescriptionSupport": True},
    },
}

PROFILES = {
    "rich": PLAIN.structure(RICH, types.ClientCapabilities),
    "minimal": types.ClientCapabilities(),
    "neovim-0.7": client_capabilities("neovim@v0.7.0"),
    "neovim-0.9": client_capabilities("neovim@v0.9.1"),
    "neovim-0.11": client_capabilities("neovim@v0.11.0"),
    "emacs-eglot": client_capabilities("emacs@v29.1"),
    "vscode": client_capabilities("visual-studio-code@v1.65.2"),
}


def units(s: str, enc: str) -> int:
    if enc == "utf-8":
        return len(s.encode("utf-8"))
    if enc == "utf-32":
        return len(s)
    return len(s.encode("utf-16-le")) // 2


def position(text: str, needle: str, enc: str, after: int = 0) -> types.Position:
    """The position of needle (plus `after` characters) in text, in enc units."""
    i = text.index(needle) + after
    line = text.count("\n", 0, i)
    start = text.rfind("\n", 0, i) + 1
    return types.Position(line=line, character=units(text[start:i], enc))


def index(text: str, pos: types.Position, enc: str) -> int:
    lines = text.split("\n")
    off = sum(len(l) + 1 for l in lines[: pos.line])
    line, n, i = lines[pos.line], 0, 0
    while n < pos.character and i < len(line):
        n += units(line[i], enc)
        i += 1
    assert n == pos.character, f"position {pos} splits a character in {enc}"
    return off + i


def apply(text: str, edits: list[types.TextEdit], enc: str) -> str:
    spans = sorted(((index(text, e.range.start, enc), index(text, e.range.end, enc), e.new_text) for e in edits), reverse=True)
    for a, b, t in spans:
        text = text[:a] + t + text[b:]
    return text


class Session:
    def __init__(self, client, ws: pathlib.Path, caps: types.ClientCapabilities):
        self.client, self.ws, self.caps = client, ws, caps
        self.enc = "utf-16"
        self.lenses = False
        self.pull = caps.text_document is not None and caps.text_document.diagnostic is not None

    async def diagnostics(self, uri: str, want) -> list[types.Diagnostic]:
        if self.pull:
            rep = await self.client.text_document_diagnostic_async(
                types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri)))
            return list(rep.items)
        async def wait():
            while not want(self.client.diagnostics.get(uri, [])):
                await self.client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
            return list(self.client.diagnostics[uri])
        return await asyncio.wait_for(wait(), 60)


def has_code(ds, code):
    return [d for d in ds if d.code == code]


async def play(caps: types.ClientCapabilities, ws: pathlib.Path) -> list[str]:
    """The scripted session; returns the violations StrictProtocol found."""
    client = make_client()
    await client.start_io(SERVER, "serve")
    s = Session(client, ws, caps)
    try:
        res = await client.initialize_session(types.InitializeParams(
            capabilities=caps, process_id=None,
            root_uri=ws.as_uri(), workspace_folders=[types.WorkspaceFolder(uri=ws.as_uri(), name="example")],
            initialization_options={"workspaceTrusted": False}))
        s.enc = res.capabilities.position_encoding or "utf-16"
        # Code lenses only for clients that declared them (issue #13).
        declared_lens = caps.text_document is not None and caps.text_document.code_lens is not None
        s.lenses = res.capabilities.code_lens_provider is not None
        assert s.lenses == declared_lens, f"codeLensProvider advertised={s.lenses}, client declared codeLens={declared_lens}"
        await session_config(s)
        await session_cdk(s, ws / "python-infrastructure" / "stacks" / "chaliceapp.py", "python",
                          "self.chalice.get_role('DefaultRole')", "'DefaultRole'", "self.chalice = Chalice(")
        await session_cdk(s, ws / "infrastructure" / "stacks" / "chaliceapp.go", "go",
                          'chalice.GetRole(jsii.String("DefaultRole"))', '"DefaultRole"', "chalice := construct.NewChalice(")
        await session_commands(s)
        # Custom requests with "params": null (D3).
        await client.protocol.send_request_async("chalice-lsp/stats", None)
    finally:
        await client.shutdown_session()
    return client.protocol.violations


async def session_config(s: Session):
    c, enc = s.client, s.enc
    cfg = s.ws / "runtime" / ".chalice" / "config.json"
    uri = cfg.as_uri()
    c.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=uri, language_id="json", version=1, text=CONFIG)))
    ds = await s.diagnostics(uri, lambda ds: has_code(ds, "unknown-key"))
    unknown = has_code(ds, "unknown-key")
    assert unknown, f"no unknown-key diagnostic: {ds}"
    want = position(CONFIG, '"lamda_timeout"', enc)
    assert unknown[0].range.start == want, f"unknown-key at {unknown[0].range.start}, want {want} ({enc})"

    # Quick fix, from the diagnostic as this client holds it.
    acts = await c.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), range=unknown[0].range,
        context=types.CodeActionContext(diagnostics=unknown)))
    ca = s.caps.text_document.code_action if s.caps.text_document else None
    if ca is not None and ca.code_action_literal_support is not None:
        fixes = [a for a in acts or [] if isinstance(a, types.CodeAction) and a.edit]
        assert fixes and fixes[0].title == 'Change to "lambda_timeout"', f"quick fix: {acts}"
        fixed = apply(CONFIG, fixes[0].edit.changes[uri], enc)
        assert '"lambda_timeout": 30' in fixed and json.loads(fixed)
    else:
        assert all(isinstance(a, types.Command) for a in acts or []), acts

    # Hover on a key.
    h = await c.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=position(CONFIG, '"api_gateway_stage"', enc, 2)))
    assert h is not None and "api_gateway_stage" in h.contents.value

    # Definition: a lambda_functions entry -> its handler in app.py.
    d = await c.text_document_definition_async(types.DefinitionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=position(CONFIG, '"api_handler"', enc, 2)))
    assert d and str(d[0].uri).endswith("runtime/app.py"), d

    # Key completion with an auto-closed quote, astral characters before it and a
    # member after it (D1, D5): only absent keys, valid JSON after accepting.
    c.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=CONFIG_TYPING)]))
    res = await c.text_document_completion_async(types.CompletionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=position(CONFIG_TYPING, '"lam"', enc, 4)))
    items = res.items if isinstance(res, types.CompletionList) else res
    labels = [i.label for i in items]
    for present in ("version", "app_name", "tags", "stages"):
        assert present not in labels, f"{present} is already in the object: {labels}"
    item = next(i for i in items if i.label == "lambda_timeout")
    assert (item.filter_text or item.label).startswith("lam"), "the typed word must match the filter text"
    te = item.text_edit
    if te is None and isinstance(res, types.CompletionList) and res.item_defaults and res.item_defaults.edit_range:
        te = types.TextEdit(range=res.item_defaults.edit_range, new_text=item.text_edit_text or item.label)
    edits = [types.TextEdit(range=te.range if isinstance(te, types.TextEdit) else te.replace, new_text=te.new_text)]
    edits += list(item.additional_text_edits or [])
    accepted = apply(CONFIG_TYPING, edits, enc)
    if item.insert_text_format == types.InsertTextFormat.Snippet:
        import re
        accepted = re.sub(r"\$\{\d+:([^}]*)\}", r"\1", re.sub(r"\$\d+", "", accepted))
    cfgv = json.loads(accepted)
    assert "lambda_timeout" in cfgv and "stages" in cfgv, accepted


async def session_cdk(s: Session, path: pathlib.Path, lang: str, call: str, idlit: str, construct_line: str):
    c, enc = s.client, s.enc
    src = path.read_text()
    uri = path.as_uri()
    c.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=uri, language_id=lang, version=1, text=src)))
    doc = types.TextDocumentIdentifier(uri=uri)
    at_id = position(src, call, enc, call.index(idlit) + 1)
    res = await c.text_document_completion_async(types.CompletionParams(text_document=doc, position=at_id))
    items = res.items if isinstance(res, types.CompletionList) else res
    assert "DefaultRole" in [i.label for i in items], [i.label for i in items]
    h = await c.text_document_hover_async(types.HoverParams(text_document=doc, position=at_id))
    assert h is not None and "AWS::IAM::Role" in h.contents.value, h
    # Nothing packaged yet (untrusted workspace): definition still goes somewhere (D7).
    d = await c.text_document_definition_async(types.DefinitionParams(text_document=doc, position=at_id))
    assert d, f"definition of DefaultRole in {lang} returned nothing"
    # Construct actions: cursor at the start of the line that creates the construct,
    # Helix's "= Chalice(" selection, and a whole-file source request (D2).
    line = position(src, construct_line, enc).line
    eq = position(src, construct_line, enc, construct_line.index("=") if "=" in construct_line else 0)
    whole = types.Range(start=types.Position(line=0, character=0), end=types.Position(line=src.count("\n"), character=0))
    use = position(src, call, enc)  # a line that uses the construct (its variable)
    for rng, only in (
        (types.Range(start=types.Position(line=line, character=0), end=types.Position(line=line, character=0)), None),
        (types.Range(start=types.Position(line=line, character=0), end=types.Position(line=line + 1, character=0)), None),
        (types.Range(start=use, end=use), None),
        (types.Range(start=eq, end=position(src, construct_line, enc, len(construct_line))), None),
        (whole, [types.CodeActionKind.Source]),
    ):
        acts = await c.text_document_code_action_async(types.CodeActionParams(
            text_document=doc, range=rng, context=types.CodeActionContext(diagnostics=[], only=only)))
        titles = [a.title for a in acts or []]
        assert any(t.startswith("Package & preview template") for t in titles), f"{lang} {rng} only={only}: {titles}"
    if s.lenses:
        lenses = await c.text_document_code_lens_async(types.CodeLensParams(text_document=doc))
        titles = [l.command.title for l in lenses or [] if l.command]
        assert any(" resources · predicted" in t for t in titles) and "Package & preview template" in titles \
            and "Preview effective config" in titles, f"{lang} code lenses: {titles}"
        at = [l.range.start.line for l in lenses]
        assert set(at) == {line}, f"{lang} code lenses on lines {at}, want the construct's line {line}"


async def session_commands(s: Session):
    c = s.client
    cfg_uri = (s.ws / "runtime" / ".chalice" / "config.json").as_uri()
    args = [{"uri": cfg_uri}]
    r = await c.workspace_execute_command_async(types.ExecuteCommandParams(
        command="chalice-lsp.previewEffectiveConfig", arguments=args))
    assert r and r["path"], r
    c.progress_reports.setdefault("pkg-1", [])  # a token the client gives is known to it
    # The workspace is untrusted: a client that runs packaging on the user's request
    # says so with "confirmed" (issue #14; without it the server asks first).
    r = await c.workspace_execute_command_async(types.ExecuteCommandParams(
        command="chalice-lsp.packagePreview", arguments=[{**args[0], "confirmed": True}], work_done_token="pkg-1"))
    assert r and r["path"].endswith("sam.json"), r
    kinds = [p.kind for p in c.progress_reports.get("pkg-1", [])]
    assert kinds and kinds[0] == "begin" and kinds[-1] == "end", f"packaging progress: {kinds}"


@pytest.mark.parametrize("profile", list(PROFILES))
async def test_profile(profile: str, workspace: pathlib.Path):
    violations = await play(PROFILES[profile], workspace)
    assert not violations, "\n".join(violations)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "utf-32"])
async def test_position_encoding(encoding: str, workspace: pathlib.Path):
    caps = PLAIN.structure({**RICH, "general": {"positionEncodings": [encoding]}}, types.ClientCapabilities)
    violations = await play(caps, workspace)
    assert not violations, "\n".join(violations)


async def raw_request(client, method: str, params: Any):
    """Sends params exactly as given (pygls would re-encode them through lsprotocol's
    types, which cannot express a malformed capability)."""
    from concurrent.futures import Future
    import uuid
    proto = client.protocol
    msg_id = str(uuid.uuid4())
    fut: Future = Future()
    proto._request_futures[msg_id] = fut
    proto._result_types[msg_id] = proto.get_result_type(method)
    proto.sent_methods[msg_id] = method
    proto._send_data({"jsonrpc": "2.0", "id": msg_id, "method": method, "params": params})
    return await asyncio.wrap_future(fut)


async def test_odd_capability_shapes_and_invalid_params(workspace: pathlib.Path):
    """D3: capability fields of unexpected shapes do not fail initialize; truly
    invalid params are -32602, not -32700."""
    client = make_client()
    await client.start_io(SERVER, "serve")
    try:
        client.capabilities = types.ClientCapabilities()
        caps = {"textDocument": {"callHierarchy": [], "typeHierarchy": [{"dynamicRegistration": False}],
                                 "hover": {"contentFormat": "markdown"}}}
        res = await raw_request(client, "initialize", {
            "processId": None, "rootUri": workspace.as_uri(), "capabilities": caps})
        assert res.capabilities.completion_provider is not None
        client.protocol.notify("initialized", {})
        from pygls.exceptions import JsonRpcException
        with pytest.raises(JsonRpcException) as e:
            await raw_request(client, "textDocument/hover", {
                "textDocument": {"uri": (workspace / "runtime" / "app.py").as_uri()}, "position": "start"})
        assert e.value.code == -32602, e.value
        stats = await raw_request(client, "chalice-lsp/stats", None)
        assert stats is not None
    finally:
        await client.shutdown_session()
    assert not client.protocol.violations, "\n".join(client.protocol.violations)


# Helix 25.07's client capabilities (helix-lsp/src/client.rs), with its spelling of the
# diagnostics refresh capability: workspace.diagnostic (not .diagnostics).
HELIX = {
    "general": {"positionEncodings": ["utf-8", "utf-32", "utf-16"]},
    "window": {"workDoneProgress": True, "showDocument": {"support": True}},
    "workspace": {
        "configuration": True, "applyEdit": True, "workspaceFolders": True,
        "didChangeConfiguration": {"dynamicRegistration": False},
        "executeCommand": {"dynamicRegistration": False},
        "inlayHint": {"refreshSupport": False},
        "diagnostic": {"refreshSupport": True},
    },
    "textDocument": {
        "completion": {"completionItem": {"snippetSupport": True, "insertReplaceSupport": True, "deprecatedSupport": True,
                                          "tagSupport": {"valueSet": [1]},
                                          "resolveSupport": {"properties": ["documentation", "detail", "additionalTextEdits"]}},
                       "completionItemKind": {}},
        "hover": {"contentFormat": ["markdown"]},
        "codeAction": {"codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["", "quickfix", "refactor", "source"]}},
                       "isPreferredSupport": True, "disabledSupport": True, "dataSupport": True},
        "publishDiagnostics": {"versionSupport": True, "tagSupport": {"valueSet": [1, 2]}},
        "diagnostic": {"dynamicRegistration": False, "relatedDocumentSupport": True},
    },
}


async def test_helix_gets_diagnostic_refresh_after_packaging(workspace: pathlib.Path):
    """D8: Helix spells the capability workspace.diagnostic.refreshSupport; the server
    accepts it, so a pull client learns that packaging changed the diagnostics."""
    client = make_client()
    await client.start_io(SERVER, "serve")
    try:
        # What Helix means, in the spec's spelling, for the declared-capability checks.
        meant = {**HELIX, "workspace": {**HELIX["workspace"], "diagnostics": {"refreshSupport": True}}}
        meant["workspace"].pop("diagnostic")
        client.capabilities = PLAIN.structure(meant, types.ClientCapabilities)
        await raw_request(client, "initialize", {
            "processId": None, "rootUri": workspace.as_uri(),
            "workspaceFolders": [{"uri": workspace.as_uri(), "name": "example"}], "capabilities": HELIX})
        client.protocol.notify("initialized", {})
        cfg = workspace / "runtime" / ".chalice" / "config.json"
        client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
            uri=cfg.as_uri(), language_id="json", version=1, text=cfg.read_text())))
        client.progress_reports.setdefault("helix-1", [])
        await client.workspace_execute_command_async(types.ExecuteCommandParams(
            command="chalice-lsp.packagePreview", arguments=[{"uri": cfg.as_uri(), "confirmed": True}], work_done_token="helix-1"))

        await asyncio.wait_for(client.protocol.arrived["workspace/diagnostic/refresh"].wait(), 60)
    finally:
        await client.shutdown_session()
    assert not client.protocol.violations, "\n".join(client.protocol.violations)
