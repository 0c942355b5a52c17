"""Errors a user can fix: the CLI prints their message and exits non-zero, without a traceback."""

from __future__ import annotations

import click


class UserError(click.ClickException):
    """Bad flag, bad task file, unreachable server, broken plugin: one clear message."""

    exit_code = 2


class ModelError(UserError):
    """The model could not be loaded or stopped answering; what was computed so far is kept."""

    exit_code = 3


class MalformedResponse(Exception):
    """A model's reply that no answer can be read from (an API reply without ``choices``):
    retried, then reported as malformed, never taken for an empty answer."""
