"""The ``newsdesk`` command: parses options, calls one library function, formats the result.

Each module listed in ``COMMAND_MODULES`` adds its sub-commands with ``register(subparsers)``;
a sub-command sets ``func`` to a callable taking the parsed namespace and returning an exit code.
Library errors become one line on stderr and exit 1 (bad data) or 2 (bad usage).
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence
from typing import NoReturn

from ..errors import NewsdeskError

COMMAND_MODULES = ("brief", "evaluate", "desk")


class _Parser(argparse.ArgumentParser):
    """Usage errors as one line, like every other error (argparse prints its usage block
    first); sub-command parsers are made of this class too."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="newsdesk",
        description="Cited, verbatim briefs of news stories from many outlets.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        module = importlib.import_module(f"{__name__}.{name}")
        module.register(subparsers)
    return parser


class _OneLine(logging.Formatter):
    """Library log records as the CLI's own lines: ``newsdesk: warning: ...``."""

    def format(self, record: logging.LogRecord) -> str:
        return f"newsdesk: {record.levelname.lower()}: {record.getMessage()}"


def _log_to_stderr() -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_OneLine())
    root = logging.getLogger("newsdesk")
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING)
    root.propagate = False


def positive_int(value: str) -> int:
    """An argparse type: a whole number of at least 1, with a message naming the bad value."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {number}")
    return number


def main(argv: Sequence[str] | None = None) -> int:
    _log_to_stderr()
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        code: int = args.func(args)
    except NewsdeskError as error:
        print(f"newsdesk: error: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("newsdesk: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    return code


if __name__ == "__main__":
    sys.exit(main())
