"""The ehtui/1 interchange: one JSON document in (all or nothing), one out.

See INTERCHANGE.md. :func:`import_document` validates a whole document,
reporting every problem by its JSON path, and writes it in one transaction;
:func:`export_document` / :func:`export_to` give the store back as a document
that imports into an empty store and exports identically.
"""

from __future__ import annotations

from ehtui.interchange.exporter import dumps, export_document, export_to
from ehtui.interchange.fields import FORMAT
from ehtui.interchange.importer import ImportResult, import_document
from ehtui.interchange.parse import load_json, parse_document

__all__ = [
    "FORMAT",
    "ImportResult",
    "dumps",
    "export_document",
    "export_to",
    "import_document",
    "load_json",
    "parse_document",
]
