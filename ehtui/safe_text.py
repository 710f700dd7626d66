"""User text made safe to show on a terminal.

Names and notes come from people and from other systems' exports. A name such
as ``"\\x1b[2J"`` printed as it is would clear the screen; an OSC sequence could
retitle the window or plant a hyperlink; a bidi override could make one name
read as another. :func:`safe_text` shows every such character as a visible
escape (``\\x1b``, ``\\u202e``) instead of obeying it, so the person sees exactly
what is stored and the terminal is never driven by data.
"""

from __future__ import annotations

import re

# C0 controls, DEL, C1 controls; bidi embeddings, overrides and isolates; the
# line and paragraph separators (they break a table row like a newline).
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ufff9-\ufffb]"
)
_UNSAFE_SINGLE_LINE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ufff9-\ufffb]"
)
_SURROGATE = re.compile("[\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if char == "\t":
        return " "
    if char in "\n\r":
        return " "
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def safe_text(value: object, *, multiline: bool = False, limit: int | None = None) -> str:
    """``value`` as text that cannot alter the terminal.

    Control characters, escape sequences (their ESC byte), bidi controls and
    unpaired surrogates are shown as visible escapes. Single-line text (the
    default, for table cells and titles) shows tabs and line breaks as spaces;
    ``multiline=True`` keeps ``\\n`` and ``\\t`` (notes). ``limit`` shortens the
    result to at most that many characters, ending in an ellipsis.
    """
    text = value if isinstance(value, str) else str(value)
    if multiline:
        text = text.replace("\r\n", "\n")
    pattern = _UNSAFE if multiline else _UNSAFE_SINGLE_LINE
    text = pattern.sub(_escape, text)
    text = _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    if limit is not None and len(text) > limit:
        text = text[: max(limit - 1, 0)] + "…"
    return text
