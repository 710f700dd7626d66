"""The store's newest schema revision (the last Alembic migration).

``open_store`` skips Alembic altogether when the store is already there
(reading one row is far cheaper than loading Alembic); :func:`ehtui.sql.open_plain`
reads a plain file without SQLAlchemy only when it is at this revision.
"""

HEAD_REVISION = "0002"
