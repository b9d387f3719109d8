"""pytest-lsp harness for the conformance suite: a client whose every received
message is checked against lsprotocol's types (strictly) and against what the
client declared (declared.py)."""

from __future__ import annotations

import asyncio
import collections
import os
import pathlib
import shutil
import traceback
from typing import Any

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient
from pytest_lsp.client import register_lsp_features
from pytest_lsp.protocol import LanguageClientProtocol
from lsprotocol.converters import get_converter

import declared
from strict import lost_members, strict_converter

ROOT = pathlib.Path(__file__).resolve().parents[3]
SERVER = os.environ.get("CHALICE_LSP_BIN", str(ROOT / "bin" / "chalice-lsp"))
PLAIN = get_converter()


class StrictProtocol(LanguageClientProtocol):
    """Validates every message from the server before pygls handles it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sent_methods: dict[Any, str] = {}
        self.violations: list[str] = []
        self.received: list[dict] = []
        self.progress_tokens: set[Any] = set()
        # Set when the server sends a method (request or notification), to await it.
        self.arrived: dict[str, asyncio.Event] = collections.defaultdict(asyncio.Event)

    def send_request(self, method, params=None, callback=None, msg_id=None):
        fut = super().send_request(method, params, callback, msg_id)
        # pygls picks the id; find it by the future it stored.
        for mid, f in self._request_futures.items():
            if f is fut:
                self.sent_methods[mid] = method
                tok = getattr(params, "work_done_token", None)
                if tok is not None:
                    self.progress_tokens.add(tok)
        return fut

    def structure_message(self, data: dict[str, Any]):
        try:
            self._validate(data)
        except Exception:  # a bug in the checks must fail the test, not hang it
            self.violations.append("validator crashed:\n" + traceback.format_exc())
        return super().structure_message(data)

    def _roundtrip(self, payload: Any, typ: Any, where: str):
        try:
            obj = self._converter.structure(payload, typ)
        except Exception as e:  # noqa: BLE001 - any decode failure is a violation
            self.violations.append(f"{where}: does not decode as {typ}: {e}")
            return
        back = self._converter.unstructure(obj)
        for lost in lost_members(payload, back):
            self.violations.append(f"{where}: {lost}")

    def _validate(self, data: dict[str, Any]):
        if "jsonrpc" not in data:
            return
        self.received.append(data)
        caps = PLAIN.unstructure(self._server.capabilities) if self._server.capabilities else {}
        if "method" in data:
            method = data["method"]
            self.arrived[method].set()
            mtype = self.get_message_type(method)
            if mtype is None:
                self.violations.append(f"server sent unknown method {method}")
                return
            params = data.get("params")
            ptype = {f.name: f.type for f in mtype.__attrs_attrs__}.get("params")
            if params is not None and ptype is not None:
                self._roundtrip(params, ptype, f"{method} params")
            if "id" in data:
                self.violations += declared.server_request(caps, method, params or {})
                if method == "window/workDoneProgress/create":
                    self.progress_tokens.add(params["token"])
            elif method == "textDocument/publishDiagnostics":
                self.violations += declared.publish_diagnostics(caps, params)
            elif method == "$/progress":
                if params["token"] not in self.progress_tokens:
                    self.violations.append(f"$/progress with token {params['token']!r} that was neither given nor created")
            return
        method = self.sent_methods.pop(data.get("id"), None)
        if "error" in data or method is None:
            return
        rtype = self.get_result_type(method)
        if rtype is not None:
            res_t = {f.name: f.type for f in rtype.__attrs_attrs__}.get("result")
            if res_t is not None:
                self._roundtrip(data.get("result"), res_t, f"{method} result")
        if method in declared.RESULTS:
            self.violations += declared.RESULTS[method](caps, data.get("result"))
        if method == "initialize":
            enc = (data.get("result") or {}).get("capabilities", {}).get("positionEncoding")
            offered = declared.get(caps, "general", "positionEncodings") or ["utf-16"]
            if enc is not None and enc not in offered and enc != "utf-16":
                self.violations.append(f"initialize: positionEncoding {enc} not offered {offered}")


def make_client() -> LanguageClient:
    client = LanguageClient(protocol_cls=StrictProtocol, converter_factory=strict_converter)
    register_lsp_features(client)

    @client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register_capability(params):  # pytest-lsp has no default handler
        return None

    @client.feature(types.CLIENT_UNREGISTER_CAPABILITY)
    def unregister_capability(params):
        return None

    return client


@pytest.fixture(scope="session")
def workspace(tmp_path_factory) -> pathlib.Path:
    """A private copy of the example workspace (the server never writes it, but a
    copy keeps the repository clean whatever happens)."""
    dst = tmp_path_factory.mktemp("ws") / "example"
    shutil.copytree(ROOT / "testdata" / "example", dst, ignore=shutil.ignore_patterns("cdk.out", "chalice.out", ".chalice/deployments"))
    return dst


@pytest.fixture(scope="session", autouse=True)
def isolated_cache(tmp_path_factory):
    """Packaging results are cached per session, shared by the profiles (the first
    packages for real, the others hit the cache), never in the user's cache."""
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    os.environ.setdefault("CHALICE_LSP_VENV", str(ROOT / ".venv"))
