"""config.json's structural requests under third-party client profiles (issue #13):
document symbols, folding ranges, selection ranges, formatting (whole document, a range,
and the refusal of a document with a syntax error) and document links, played against
the real server with every profile of test_conformance and every position encoding.
Every message is checked by conftest.StrictProtocol (strict lsprotocol decoding, nothing
the client did not declare, e.g. a formatting registration only for clients that register
formatting dynamically); the answers are checked against what each client asked for
(hierarchical symbols or SymbolInformation[], line-only folds or character folds)."""

from __future__ import annotations

import asyncio
import json
import pathlib

import pytest
from lsprotocol import types

from conftest import PLAIN, SERVER, make_client
from test_conformance import PROFILES, apply, index, position

# Tabs, a blank line and astral characters (two UTF-16 units, four UTF-8 bytes) before
# the spans the checks look at.
CONFIG = """{
\t"version": "2.0",
\t"app_name": "🐍structure",

\t"stages": {
\t\t"dev": {"environment_variables": {"𝄞": "é🐍"},
\t\t\t"autogen_policy": false, "iam_policy_file": "policy-structure.json"},
\t\t"prod": {
\t\t\t"lambda_memory_size": 512
\t\t}
\t}
}
"""
BROKEN = CONFIG.replace('"2.0",', '"2.0",,')


async def structure_session(caps: types.ClientCapabilities, ws: pathlib.Path) -> list[str]:
    client = make_client()
    await client.start_io(SERVER, "serve")
    try:
        res = await client.initialize_session(types.InitializeParams(
            capabilities=caps, process_id=None, root_uri=ws.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=ws.as_uri(), name="example")],
            initialization_options={"workspaceTrusted": False}))
        enc = res.capabilities.position_encoding or "utf-16"
        assert res.capabilities.document_symbol_provider and res.capabilities.folding_range_provider
        assert res.capabilities.selection_range_provider and res.capabilities.document_link_provider
        td = PLAIN.unstructure(caps).get("textDocument", {})
        dynamic = td.get("formatting", {}).get("dynamicRegistration") and td.get("rangeFormatting", {}).get("dynamicRegistration")
        assert bool(res.capabilities.document_formatting_provider) == (not dynamic), res.capabilities.document_formatting_provider

        cfg = ws / "runtime" / ".chalice" / "config.json"
        (cfg.parent / "policy-structure.json").write_text('{"Version": "2012-10-17", "Statement": []}')
        uri = cfg.as_uri()
        doc = types.TextDocumentIdentifier(uri=uri)
        client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
            uri=uri, language_id="json", version=1, text=CONFIG)))

        def text_of(r: types.Range, text: str = CONFIG) -> str:
            return text[index(text, r.start, enc):index(text, r.end, enc)]

        # Document symbols: nested for clients that say so, flat with containers otherwise.
        syms = await client.text_document_document_symbol_async(types.DocumentSymbolParams(text_document=doc))
        if td.get("documentSymbol", {}).get("hierarchicalDocumentSymbolSupport"):
            stages = next(s for s in syms if s.name == "stages")
            dev = next(s for s in stages.children if s.name == "dev")
            assert dev.detail == "stage" and dev.kind == types.SymbolKind.Object, dev
            env = next(s for s in dev.children if s.name == "environment_variables")
            key = env.children[0]
            assert key.name == "𝄞" and text_of(key.selection_range) == '"𝄞"' and text_of(key.range) == '"𝄞": "é🐍"', key
        else:
            key = next(s for s in syms if s.name == "𝄞")
            assert isinstance(key, types.SymbolInformation) and key.container_name == "stages.dev.environment_variables", key
            assert text_of(key.location.range) == '"𝄞": "é🐍"', key

        # Folding ranges: the closing bracket stays visible with line folding.
        folds = await client.text_document_folding_range_async(types.FoldingRangeParams(text_document=doc))
        line_only = td.get("foldingRange", {}).get("lineFoldingOnly")
        got = sorted((f.start_line, f.end_line) for f in folds)
        if line_only:
            assert got == [(0, 10), (4, 9), (7, 8)], got
            assert all(f.start_character is None and f.end_character is None for f in folds), folds
        else:
            assert got == [(0, 11), (4, 10), (5, 6), (7, 9)], got

        # Selection ranges from inside the astral value up to the document.
        sel = await client.text_document_selection_range_async(types.SelectionRangeParams(
            text_document=doc, positions=[position(CONFIG, "é🐍", enc, 1)]))
        chain, r = [], sel[0]
        while r is not None:
            chain.append(text_of(r.range))
            r = r.parent
        assert chain[:3] == ["é🐍", '"é🐍"', '"𝄞": "é🐍"'] and chain[-1] == CONFIG, chain

        # Document links: the policy file that exists.
        links = await client.text_document_document_link_async(types.DocumentLinkParams(text_document=doc))
        assert [text_of(l.range) for l in links] == ["policy-structure.json"], links
        assert links[0].target == (cfg.parent / "policy-structure.json").as_uri(), links[0].target

        # Formatting: VS Code's JSON formatter with keepLines (2 spaces); idempotent.
        opts = types.FormattingOptions(tab_size=2, insert_spaces=True)
        edits = await client.text_document_formatting_async(types.DocumentFormattingParams(text_document=doc, options=opts))
        formatted = apply(CONFIG, edits, enc)
        assert json.loads(formatted) == json.loads(CONFIG) and "\t" not in formatted, formatted
        assert formatted.split("\n")[3] == "" and '    "dev": { "environment_variables": { "𝄞": "é🐍" },' in formatted, formatted
        r = types.Range(start=types.Position(line=5, character=0), end=position(CONFIG, '"prod"', enc))
        redits = await client.text_document_range_formatting_async(types.DocumentRangeFormattingParams(text_document=doc, range=r, options=opts))
        assert redits and all(index(CONFIG, e.range.start, enc) >= index(CONFIG, r.start, enc)
                              and index(CONFIG, e.range.end, enc) <= index(CONFIG, r.end, enc) for e in redits), redits
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=formatted)]))
        again = await client.text_document_formatting_async(types.DocumentFormattingParams(text_document=doc, options=opts))
        assert not again, again

        # A syntax error: no edits, and a message saying where.
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=3),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=BROKEN)]))
        refused = await client.text_document_formatting_async(types.DocumentFormattingParams(text_document=doc, options=opts))
        assert not refused, refused
        await asyncio.wait_for(client.protocol.arrived["window/showMessage"].wait(), 30)
        assert any("syntax error at line 2" in m.message for m in client.messages), client.messages
    finally:
        await client.shutdown_session()
    return client.protocol.violations


@pytest.mark.parametrize("profile", list(PROFILES))
async def test_structure_profile(profile: str, workspace: pathlib.Path):
    violations = await structure_session(PROFILES[profile], workspace)
    assert not violations, "\n".join(violations)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "utf-32"])
async def test_structure_position_encoding(encoding: str, workspace: pathlib.Path):
    caps = PLAIN.structure({"general": {"positionEncodings": [encoding]},
                            "textDocument": {"documentSymbol": {"hierarchicalDocumentSymbolSupport": True},
                                             "foldingRange": {"lineFoldingOnly": True}}}, types.ClientCapabilities)
    violations = await structure_session(caps, workspace)
    assert not violations, "\n".join(violations)
