"""Every command has help and appears in the README (sqlite-utils' test_docs)."""

from __future__ import annotations

import argparse

import pytest

from newsdesk.cli import build_parser, main

from .conftest import ROOT


def commands() -> list[str]:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return sorted(action.choices)


@pytest.mark.parametrize("command", commands())
def test_command_has_help_and_is_documented(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    assert "usage: newsdesk " + command in capsys.readouterr().out
    assert f"newsdesk {command}" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_no_command_prints_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "usage: newsdesk" in capsys.readouterr().err
