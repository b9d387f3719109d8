"""The harness itself must be able to fail: wrong primitives, unknown members and the
CodeAction-with-command shape (issue #11's toolchain notes on lsprotocol 2025.0.0)."""

import typing

import pytest
from lsprotocol import types

from strict import lost_members, strict_converter

C = strict_converter()


@pytest.mark.parametrize("payload", [{"line": "1", "character": 0}, {"line": True, "character": 0}, {"line": 1.5, "character": 0}])
def test_wrong_primitives_are_rejected(payload):
    with pytest.raises(Exception):
        C.structure(payload, types.Position)


def test_enums_still_decode():
    d = C.structure({"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 1}},
                     "message": "m", "severity": 1}, types.Diagnostic)
    assert d.severity is types.DiagnosticSeverity.Error


def test_code_action_with_command_object_is_a_code_action():
    t = typing.Optional[typing.Sequence[typing.Union[types.Command, types.CodeAction]]]
    sent = [{"title": "t", "kind": "source", "command": {"title": "x", "command": "c"}}, {"title": "c", "command": "c"}]
    got = C.structure(sent, t)
    assert isinstance(got[0], types.CodeAction) and isinstance(got[1], types.Command)
    assert not lost_members(sent, C.unstructure(got))


def test_unknown_members_are_reported():
    sent = {"label": "x", "labelDetail": {"detail": "typo"}}
    back = C.unstructure(C.structure(sent, types.CompletionItem))
    assert lost_members(sent, back) == ["/labelDetail: not in the LSP type (dropped by the decoder)"]
