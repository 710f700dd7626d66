"""PostgreSQL for tests: a fresh database per test on the server named by EHTUI_TEST_PG_URL.

Start a throw-away server with ``tools/pgserver.py`` (``.ci/run`` does). Without
the variable the PostgreSQL cases are skipped, except under ``CI=true``, where a
missing server is a failure: CI must prove both engines.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url

PG_URL_VAR = "EHTUI_TEST_PG_URL"
BACKENDS = ("sqlite", "postgresql")


def server_url() -> URL:
    """The test server's URL, or skip (fail under CI) when there is none."""
    raw = os.environ.get(PG_URL_VAR, "")
    if not raw:
        reason = f"{PG_URL_VAR} is not set (start a server with tools/pgserver.py)"
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(f"CI must run the PostgreSQL tests: {reason}", pytrace=False)
        pytest.skip(reason)
    return make_url(raw)


@contextmanager
def fresh_database(prefix: str = "t") -> Iterator[str]:
    """CREATE a uniquely named database, yield its URL, DROP it afterwards."""
    server = server_url()
    name = f"ehtui_{prefix}_{uuid.uuid4().hex[:16]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT", poolclass=None)
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield server.set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()
