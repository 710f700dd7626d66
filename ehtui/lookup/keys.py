"""Normalised search keys: name tokens, phonetic codes, postcodes, phones, dates of birth.

Everything here is pure and cheap; :mod:`ehtui.lookup.index` computes the keys
of every person and family once, when the index is built, and the keys of the
query on each keystroke.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import lru_cache

import jellyfish

from ehtui.calendar import MONTHS

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_APOSTROPHES = re.compile(r"['’`]")
_NOT_DIGIT = re.compile(r"\D+")
# A UK postcode at the end of an address: outward code (N12, NW4, EC1A) and inward (0AA).
_POSTCODE_AT_END = re.compile(r"([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})\s*$", re.IGNORECASE)
# What a typed postcode (or the start of one) looks like: "n12", "N12 0", "n120aa".
_POSTCODE_QUERY = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]?(\s*\d[A-Z]{0,2})?$", re.IGNORECASE)
_PHONE_QUERY = re.compile(r"^\+?[\d\s().-]+$")


def fold(text: str) -> str:
    """Lower case without accents: "Zoë O'Brien" → "zoe o'brien"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


@lru_cache(maxsize=65536)  # names repeat: the index folds each spelling once
def name_tokens(text: str) -> tuple[str, ...]:
    """The words of a name, folded: "O'Brien-Smith" → ("obrien", "smith", "obriensmith").

    Apostrophes join (O'Brien is "obrien"); hyphenated names give each part and
    the whole, so "Smith" and "Smith-Jones" both find "Smith-Jones".
    """
    folded = _APOSTROPHES.sub("", fold(text))
    tokens: list[str] = []
    for word in folded.split():
        parts = [p for p in _NOT_ALNUM.split(word) if p]
        tokens.extend(parts)
        if len(parts) > 1:
            tokens.append("".join(parts))
    return tuple(dict.fromkeys(tokens))


def word_tokens(text: str) -> tuple[str, ...]:
    """Words of an address or a query, folded, punctuation dropped."""
    return tuple(t for t in _NOT_ALNUM.split(_APOSTROPHES.sub("", fold(text))) if t)


def phonetic(token: str) -> tuple[str, str]:
    """(metaphone, NYSIIS) of a name token; empty codes for very short tokens."""
    if len(token) < 2 or not token.isalpha():
        return ("", "")
    return (jellyfish.metaphone(token), jellyfish.nysiis(token))


def postcode_of(address: str | None) -> str | None:
    """The postcode at the end of an address, normalised ("N12 0AA"), or None."""
    if not address:
        return None
    match = _POSTCODE_AT_END.search(address)
    if match is None:
        return None
    return f"{match.group(1).upper()} {match.group(2).upper()}"


def looks_like_postcode(query: str) -> bool:
    return bool(_POSTCODE_QUERY.match(query.strip()))


def phone_digits(text: str | None) -> str:
    """A phone number as national digits: "+44 7700 900123" → "07700900123"."""
    if not text:
        return ""
    digits = _NOT_DIGIT.sub("", text)
    if digits.startswith("0044"):
        digits = "0" + digits[4:]
    elif digits.startswith("44") and len(digits) >= 11:
        digits = "0" + digits[2:]
    return digits


def looks_like_phone(query: str, *, min_digits: int = 5) -> bool:
    """Only phone characters and at least ``min_digits`` digits."""
    text = query.strip()
    return bool(_PHONE_QUERY.match(text)) and sum(ch.isdigit() for ch in text) >= min_digits


_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_NUMERIC = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_WORDS = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{2}|\d{4})$")
_WORDS_US = re.compile(r"^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{2}|\d{4})$")


def _year(text: str, today: date) -> int:
    """A four-digit year as is; two digits: this century unless that is after ``today``."""
    year = int(text)
    if len(text) == 4:
        return year
    century = today.year // 100 * 100
    return century + year if century + year <= today.year else century - 100 + year


def parse_dob(query: str, today: date) -> date | None:
    """A date of birth as typed, or None when the text is not one.

    Accepts ``2016-05-02``, ``02/05/2016`` and ``2/5/16`` (day first, as in
    England; ``.`` or ``-`` also separate), ``2 May 2016``, ``2nd May 16`` and
    ``May 2, 2016``. Impossible dates (31/02/2016) are not dates.
    """
    text = fold(query.strip())
    try:
        if m := _ISO.match(text):
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if m := _NUMERIC.match(text):
            return date(_year(m.group(3), today), int(m.group(2)), int(m.group(1)))
        if m := _WORDS.match(text):
            month = MONTHS.get(m.group(2))
            if month is None:
                return None
            return date(_year(m.group(3), today), month, int(m.group(1)))
        if m := _WORDS_US.match(text):
            month = MONTHS.get(m.group(1))
            if month is None:
                return None
            return date(_year(m.group(3), today), month, int(m.group(2)))
    except ValueError:
        return None
    return None
