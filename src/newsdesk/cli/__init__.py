"""The ``newsdesk`` command: parses options, calls one library function, formats the result.

Each module listed in ``COMMAND_MODULES`` adds its sub-commands with ``register(subparsers)``;
a sub-command sets ``func`` to a callable taking the parsed namespace and returning an exit code.
Library errors become one line on stderr and exit 1 (bad data) or 2 (bad usage).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from ..errors import NewsdeskError

COMMAND_MODULES = ("brief", "desk")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsdesk",
        description="Cited, verbatim briefs of news stories from many outlets.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        module = importlib.import_module(f"{__name__}.{name}")
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
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
