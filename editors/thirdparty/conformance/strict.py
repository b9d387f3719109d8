"""A strict lsprotocol model of what the server sends.

lsprotocol's converter accepts wrong primitive types (a number where a string is
declared), silently drops unknown members, and (2025.0.0) decodes a CodeAction that
carries a `command` object as a Command. Here primitives are checked exactly, every
member the server sent must survive a decode/encode round trip (so unknown or
mis-typed members show up), and `Command | CodeAction` is decided by the shape of
`command` (a string in Command, an object in CodeAction).
"""

from __future__ import annotations

import typing
from typing import Any

from lsprotocol import types
from pygls.protocol import default_converter


def _strict(t: type):
    def hook(value: Any, cl: Any) -> Any:
        if cl is not t:
            # An enum built on the primitive (IntEnum, str-based enums): the
            # constructor rejects values outside the enum.
            return cl(value)
        ok = type(value) is t or (t is float and type(value) is int)
        if not ok:
            raise TypeError(f"expected {t.__name__}, got {type(value).__name__} {value!r}")
        return value

    return hook


def _command_or_code_action(converter):
    def hook(value: Any, _type: Any) -> Any:
        if not isinstance(value, dict):
            raise TypeError(f"expected a Command or CodeAction object, got {value!r}")
        if isinstance(value.get("command"), str):
            return converter.structure(value, types.Command)
        return converter.structure(value, types.CodeAction)

    return hook


def strict_converter():
    """pygls' converter with strict primitives and the CodeAction fix."""
    c = default_converter()
    for t in (str, int, bool, float):
        c.register_structure_hook(t, _strict(t))
    hook = _command_or_code_action(c)
    for u in (
        typing.Union[types.Command, types.CodeAction],
        typing.Union[types.CodeAction, types.Command],
    ):
        c.register_structure_hook(u, hook)
    return c


def lost_members(sent: Any, roundtrip: Any, path: str = "") -> list[str]:
    """Members of `sent` that are missing or different after the round trip."""
    out: list[str] = []
    if isinstance(sent, dict):
        if not isinstance(roundtrip, dict):
            return [f"{path or '/'}: decoded as {type(roundtrip).__name__}"]
        for k, v in sent.items():
            if k not in roundtrip:
                out.append(f"{path}/{k}: not in the LSP type (dropped by the decoder)")
            else:
                out.extend(lost_members(v, roundtrip[k], f"{path}/{k}"))
    elif isinstance(sent, list):
        if not isinstance(roundtrip, list) or len(roundtrip) != len(sent):
            return [f"{path or '/'}: array changed in the round trip"]
        for i, (a, b) in enumerate(zip(sent, roundtrip)):
            out.extend(lost_members(a, b, f"{path}/{i}"))
    elif sent != roundtrip:
        out.append(f"{path or '/'}: {sent!r} became {roundtrip!r}")
    return out
