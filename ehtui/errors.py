"""Errors the command line turns into messages and exit statuses (no tracebacks)."""

from __future__ import annotations

from collections.abc import Iterable


class InputError(Exception):
    """Bad input: one message per problem, each naming its field or JSON path.

    The command line prints every message and exits with status 2; nothing
    has been written.
    """

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = list(problems) or ["invalid input"]
        super().__init__("\n".join(self.problems))
