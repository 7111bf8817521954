"""The errors newsdesk raises, one root for all of them.

    NewsdeskError                 anything newsdesk refuses to do; the CLI exits 1
    ├── UsageError                a bad option or path given by the user; the CLI exits 2
    └── DataError(ValueError)     input that cannot be used; the CLI exits 1
        ├── ReadError             one source could not be read (with where and why)
        └── NoArticlesError       nothing usable was found in what was given

The CLI prints ``str(error)`` as one line and never a traceback.
"""

from __future__ import annotations


class NewsdeskError(Exception):
    """Root of every error newsdesk raises on purpose."""

    exit_code = 1


class UsageError(NewsdeskError):
    """The command was asked for something it cannot do (bad option, missing path)."""

    exit_code = 2


class DataError(NewsdeskError, ValueError):
    """The input exists but cannot be used."""


class ReadError(DataError):
    """One source could not be read; ``source`` names it and the message says why."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason

    def __reduce__(self) -> tuple[type[ReadError], tuple[str, str]]:
        # pickled with both arguments, so errors cross process pools (the eval harness)
        return (type(self), (self.source, self.reason))


class NoArticlesError(DataError):
    """Nothing usable was found in what was given."""
