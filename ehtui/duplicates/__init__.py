"""Duplicate people: find likely pairs, merge one into the other, undo a merge.

- :mod:`ehtui.duplicates.find`: the likely pairs (:func:`find_duplicates`);
- :mod:`ehtui.duplicates.people`: merging two records of one person (:func:`merge_members`);
- :mod:`ehtui.duplicates.families`: merging two families (:func:`merge_families`), the
  step before two records of one person in different families can be merged;
- :mod:`ehtui.duplicates.undo`: undoing either kind of merge (:func:`undo_merge`).
"""

from __future__ import annotations

from ehtui.duplicates.families import (
    CSC_CLOSURE,
    FAMILY_FIELD_WORDS,
    FAMILY_FILLABLE,
    FAMILY_MERGED_REASON,
    FamilyMergeResult,
    FamilyOutline,
    family_outlines,
    merge_families,
)
from ehtui.duplicates.find import (
    MIN_SCORE,
    MISSING_DOB_WEIGHT,
    OTHER_SURNAME_WEIGHT,
    SWAPPED_WEIGHT,
    Pair,
    Person,
    compare,
    find_duplicates,
    live_people,
    token_score,
)
from ehtui.duplicates.people import FIELD_WORDS, FILLABLE, MERGED_REASON, MergeResult, merge_members
from ehtui.duplicates.undo import UndoResult, last_merges, undo_merge

__all__ = [
    "CSC_CLOSURE",
    "FAMILY_FIELD_WORDS",
    "FAMILY_FILLABLE",
    "FAMILY_MERGED_REASON",
    "FIELD_WORDS",
    "FILLABLE",
    "MERGED_REASON",
    "MIN_SCORE",
    "MISSING_DOB_WEIGHT",
    "OTHER_SURNAME_WEIGHT",
    "SWAPPED_WEIGHT",
    "FamilyMergeResult",
    "FamilyOutline",
    "MergeResult",
    "Pair",
    "Person",
    "UndoResult",
    "compare",
    "family_outlines",
    "find_duplicates",
    "last_merges",
    "live_people",
    "merge_families",
    "merge_members",
    "token_score",
    "undo_merge",
]
