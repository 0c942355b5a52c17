"""Errors a user can fix: the command prints their message and exits non-zero, without a traceback.

They are plain exceptions, so the library (``faithbench.evaluate``, a plugin, a notebook) raises and
catches them without click; the command line turns one into a single ``Error: <message>`` line and
its ``exit_code`` (see ``faithbench.cli.groups``).
"""

from __future__ import annotations


class UserError(Exception):
    """Bad flag, bad task file, unreachable server, broken plugin: one clear message."""

    exit_code: int = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ModelError(UserError):
    """The model could not be loaded or stopped answering; what was computed so far is kept."""

    exit_code = 3


class MalformedResponse(Exception):
    """A model's reply that no answer can be read from (an API reply without ``choices``):
    retried, then reported as malformed, never taken for an empty answer."""
