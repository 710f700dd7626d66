"""Recording: the core of every form that adds to or changes an episode.

Each module offers ``check_<what>(values, facts, now) -> dict[str, str]`` (problems
per field, in plain words; pure) and ``save_<what>(engine, *, user, ..., values,
now)`` which checks again, raises :class:`~ehtui.errors.InputError` with
``"field: words"`` lines and writes nothing when a check fails, and otherwise
writes through :func:`ehtui.unit_of_work.write` (one transaction, audited field
by field). :mod:`ehtui.recording.facts` loads what the checks need.
"""
