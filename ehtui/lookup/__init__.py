"""Duty lookup: find anyone in the store as you type, and their family's card.

- :class:`LookupIndex` (``LookupIndex.build(engine, as_of)``, ``index.search(query,
  limit=20)``) → :class:`Hit` (best first, each with ``why`` it matched);
- :func:`family_card` → :class:`Card` (read-only: members, open and recent
  episodes with their Lead Professional, the last contact, open findings, where
  a step-up would go); :func:`open_card` builds it and logs the access.
"""

from ehtui.lookup.index import Hit, LookupIndex

__all__ = ["Hit", "LookupIndex"]
