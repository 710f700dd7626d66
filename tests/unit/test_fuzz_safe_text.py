"""safe_text: user text can never drive the terminal."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ehtui.safe_text import safe_text


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("Okafor", "Okafor"),
        ("Nuñez-O'Brien 🙂", "Nuñez-O'Brien 🙂"),
        ("\x1b[2J", "\\x1b[2J"),
        ("\x1b]0;title\x07", "\\x1b]0;title\\x07"),
        ("\x9b31m", "\\x9b31m"),  # the one-byte CSI
        ("a\x00b", "a\\x00b"),
        ("line one\nline two\ttab", "line one line two tab"),
        ("\u202eevil", "\\u202eevil"),
        ("x\x7fy", "x\\x7fy"),
        ("\ud800", "\\ud800"),
    ],
)
def test_examples(raw: str, shown: str) -> None:
    assert safe_text(raw) == shown


def test_multiline_keeps_newlines_and_tabs_only() -> None:
    assert safe_text("a\r\nb\tc\x1b[1m", multiline=True) == "a\nb\tc\\x1b[1m"


def test_limit_and_non_text() -> None:
    assert safe_text("abcdef", limit=4) == "abc…"
    assert safe_text(None) == "None" and safe_text(12) == "12"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec=None)), st.booleans())
def test_nothing_unsafe_survives(raw: str, multiline: bool) -> None:
    shown = safe_text(raw, multiline=multiline)
    allowed = {"\n", "\t"} if multiline else set()
    for char in shown:
        if char in allowed:
            continue
        assert unicodedata.category(char) not in ("Cc", "Cs"), repr(char)
        assert char not in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2028\u2029"
    assert safe_text(shown, multiline=multiline) == shown  # already safe: unchanged


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.characters(categories=["L", "N", "P", "Zs", "S", "M"])))
def test_ordinary_text_is_shown_as_it_is(raw: str) -> None:
    raw = raw.replace("\u2028", "").replace("\u2029", "")
    for c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\ufff9\ufffa\ufffb":
        raw = raw.replace(c, "")
    assert safe_text(raw) == raw
