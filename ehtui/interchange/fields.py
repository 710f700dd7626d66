"""The ehtui/1 record layouts: every field of every record, its kind and its column.

A :class:`Kind` knows how to read a JSON value (raising :class:`Bad` with the
words for the problem), what a missing or null value means in the store, and
how to write a column value back to JSON. A :class:`RecordSpec` lists a
record's fields in the order the export writes them.

Fields marked ``extension`` are columns beyond ehtui/1 (a member's phone, a
contact's children seen alone, ...): accepted on import, exported only when
they hold something, so a plain ehtui/1 document round-trips unchanged.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from ehtui import vocab

FORMAT = "ehtui/1"


MAX_COUNT = 100_000  # sessions and contact frequencies are small numbers


class Bad(Exception):
    """A value that cannot be read; ``str(exc)`` is the problem after the path."""


def show(value: Any) -> str:
    """A JSON value as a message quotes it (shortened)."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?")
_ZONE = re.compile(r".*(?:Z|[+-]\d{2}(?::?\d{2})?)")
_WEEK = re.compile(r"(\d{4})-W(\d{2})")


def read_date(value: Any) -> date:
    if not isinstance(value, str):
        raise Bad(f"{show(value)} is not a date (YYYY-MM-DD)")
    if not _DATE.fullmatch(value):
        raise Bad(f"{show(value)} is not a date (YYYY-MM-DD)")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Bad(f"{show(value)} is not a date") from None


def read_datetime(value: Any) -> datetime:
    if not isinstance(value, str):
        raise Bad(f"{show(value)} is not a date-time (YYYY-MM-DDTHH:MM[:SS])")
    if not _DATETIME.fullmatch(value):
        if " " in value:
            why = "a space where the T goes; write YYYY-MM-DDTHH:MM[:SS]"
        elif _ZONE.fullmatch(value) and len(value) > 16:
            why = "date-times are local time and take no time zone"
        else:
            why = "write YYYY-MM-DDTHH:MM[:SS], local time"
        raise Bad(f"{show(value)} is not a date-time ({why})")
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise Bad(f"{show(value)} is not a date-time") from None


def read_date_or_datetime(value: Any) -> str:
    """Normalised: ``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM:SS``."""
    if isinstance(value, str) and "T" not in value and " " not in value:
        return read_date(value).isoformat()
    try:
        return read_datetime(value).strftime("%Y-%m-%dT%H:%M:%S")
    except Bad as exc:
        raise Bad(
            str(exc).replace("is not a date-time", "is not a date or a date-time", 1)
        ) from None


def moment_of(value: str) -> date | datetime:
    """A normalised date-or-date-time string as a date or a date-time."""
    return datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)


def read_week(value: Any) -> str:
    match = _WEEK.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise Bad(f"{show(value)} is not an ISO week (YYYY-Www)")
    try:
        date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError:
        raise Bad(f"{show(value)} is not a week of {match[1]}") from None
    return str(value)


def read_str(value: Any) -> str:
    if not isinstance(value, str):
        raise Bad(f"{show(value)} is not a string")
    if "\x00" in value:  # PostgreSQL text cannot hold it; refused on every engine
        raise Bad("contains a NUL character")
    return value


def read_ref(value: Any) -> str:
    if not isinstance(value, str) or not value.strip() or "\x00" in value:
        raise Bad(f"{show(value)} is not a ref (a non-empty string)")
    return value


def read_refs(value: Any) -> list[str]:
    if not isinstance(value, list):
        raise Bad(f"{show(value)} is not a list of refs")
    for item in value:
        if not isinstance(item, str) or not item.strip() or "\x00" in item:
            raise Bad(f"{show(item)} in the list is not a ref (a non-empty string)")
    return list(value)


def read_strings(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise Bad(f"{show(value)} is not a list of strings")
    return list(value)


def read_bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise Bad(f"{show(value)} is not true or false")
    return value


def read_count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise Bad(f"{show(value)} is not a whole number")
    if value < 0:
        raise Bad(f"{show(value)} is negative")
    if value > MAX_COUNT:
        raise Bad(f"{show(value)} is too large (at most {MAX_COUNT:,})")
    return value


def read_fte(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise Bad(f"{show(value)} is not a number")
    if not 0 < value <= 1:
        raise Bad(f"{show(value)} is not a full-time equivalent (more than 0, at most 1)")
    return float(value)


def read_prompts(value: Any) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise Bad(f"{show(value)} is not an object of strings")
    return dict(value)


def read_actions(value: Any) -> list[dict[str, Any]]:
    """A TAF plan's actions (what, who, by, status, progress): objects whose text
    holds no NUL, like every other text field."""
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise Bad(f"{show(value)} is not a list of objects")
    for item in value:
        if any(isinstance(v, str) and "\x00" in v for v in item.values()):
            raise Bad("an action contains a NUL character")
    return list(value)


def enum_reader(enum: type[vocab.Labelled]) -> Callable[[Any], str]:
    allowed = frozenset(enum.values())
    listing = ", ".join(enum.values())

    def read(value: Any) -> str:
        if not isinstance(value, str) or value not in allowed:
            raise Bad(f"{show(value)} is not one of {listing}")
        return str(value)

    return read


def _same(value: Any) -> Any:
    return value


# The dump functions take a column value as the driver gives it, or as text
# (the exporter reads date, date-time and JSON columns as text where the driver
# stores them so, which is much quicker than SQLAlchemy's conversions).


def _dump_date(value: date | str | None) -> str | None:
    if value is None:
        return None
    return value[:10] if isinstance(value, str) else value.isoformat()


def _dump_datetime(value: datetime | str | None) -> str | None:
    """Always with seconds, never with fractions: ``YYYY-MM-DDTHH:MM:SS``."""
    if value is None:
        return None
    if isinstance(value, str):
        if len(value) >= 19 and value[10] in " T":
            return f"{value[:10]}T{value[11:19]}"
        value = datetime.fromisoformat(value)
    return value.strftime("%Y-%m-%dT%H:%M:%S")


def _from_json(value: Any) -> Any:
    if isinstance(value, str):
        return json.loads(value)
    return value


def _dump_list(value: list[Any] | str | None) -> list[Any]:
    if value == "[]" or not value:
        return []
    return list(_from_json(value) or [])


def _dump_object(value: dict[str, Any] | str | None) -> dict[str, Any]:
    if value == "{}" or not value:
        return {}
    return dict(_from_json(value) or {})


def _dump_flag(value: bool | None) -> bool:
    return bool(value)


def _dump_text(value: str | None) -> str:
    return value or ""


@dataclass(frozen=True)
class Kind:
    """How one field is read from JSON, stored when null, and written back."""

    read: Callable[[Any], Any]
    empty: Callable[[], Any] = lambda: None
    dump: Callable[[Any], Any] = _same
    target: str | None = None  # a link: the kind of record it names ("practitioner", ...)
    moment: bool = False  # a date or date-time (so it may be checked against "now")


STR = Kind(read_str)
TEXT = Kind(read_str, empty=str, dump=_dump_text)  # a non-null column: null means ""
REF = Kind(read_ref)
DATE = Kind(read_date, dump=_dump_date, moment=True)
DATETIME = Kind(read_datetime, dump=_dump_datetime, moment=True)
DATE_OR_DATETIME = Kind(read_date_or_datetime, moment=True)
WEEK = Kind(read_week)
BOOL = Kind(read_bool)
FLAG = Kind(read_bool, empty=lambda: False, dump=_dump_flag)  # a non-null boolean column
COUNT = Kind(read_count)
FTE = Kind(read_fte)
STRINGS = Kind(read_strings, empty=list, dump=_dump_list)
PROMPTS = Kind(read_prompts, empty=dict, dump=_dump_object)
ACTIONS = Kind(read_actions, empty=list, dump=_dump_list)


def link(target: str) -> Kind:
    return Kind(read_ref, target=target)


def links(target: str) -> Kind:
    return Kind(read_refs, empty=list, dump=_dump_list, target=target)


def enum(of: type[vocab.Labelled]) -> Kind:
    return Kind(enum_reader(of))


@dataclass(frozen=True)
class Field:
    name: str
    kind: Kind
    required: bool = False
    column: str = ""
    # A recorded fact (event, milestone, date of birth) that may not lie after "now".
    past: bool = False
    # Beyond ehtui/1: optional on import, exported only when it holds something.
    extension: bool = False
    # Not one column: read and written by hand (episode children and documents,
    # family last_csc_closure). The kind is unused for these.
    special: bool = False

    def __post_init__(self) -> None:
        if not self.column:
            object.__setattr__(self, "column", self.name)


@dataclass(frozen=True)
class RecordSpec:
    kind: str  # "practitioner", "family", ... (the word messages use)
    table: str  # the store table name
    fields: tuple[Field, ...]
    nested: tuple[str, ...] = ()
    special_columns: tuple[str, ...] = ()  # the columns the special fields fill
    allowed: frozenset[str] = field(init=False)
    plain: tuple[Field, ...] = field(init=False)  # the one-column fields

    def __post_init__(self) -> None:
        names = {f.name for f in self.fields} | set(self.nested)
        object.__setattr__(self, "allowed", frozenset(names))
        object.__setattr__(self, "plain", tuple(f for f in self.fields if not f.special))

    @property
    def columns(self) -> tuple[str, ...]:
        """Every store column the document decides, in a fixed order."""
        return tuple(f.column for f in self.plain) + self.special_columns


R = True  # required

PRACTITIONER = RecordSpec(
    "practitioner",
    "practitioner",
    (
        Field("ref", REF, R),
        Field("name", STR, R),
        Field("role", enum(vocab.Role), R),
        Field("grade", enum(vocab.Grade)),
        Field("hub", enum(vocab.Hub), R),
        Field("fte", FTE, R),
        Field("manager", link("practitioner")),
        Field("phone", STR, extension=True),
    ),
)

ROTA = RecordSpec(
    "OSR rota entry",
    "osr_rota",
    (
        Field("hub", enum(vocab.Hub), R),
        Field("week", WEEK, R),
        Field("practitioner", link("practitioner"), R),
    ),
)

FAMILY = RecordSpec(
    "family",
    "family",
    (
        Field("ref", REF, R),
        Field("name", STR, R),
        Field("address", STR),
        Field("phone", STR),
        Field("email", STR),
        Field("agencies", STRINGS),
        Field("last_csc_closure", STR, special=True),
    ),
    nested=("members",),
    special_columns=("last_csc_closure_team", "last_csc_closure_date"),
)

CSC_CLOSURE_TEAM = enum(vocab.CscTeam)

MEMBER = RecordSpec(
    "member",
    "member",
    (
        Field("ref", REF, R),
        Field("relationship", enum(vocab.Relationship), R),
        Field("first_name", STR, R),
        Field("last_name", STR, R),
        Field("dob", DATE, past=True),
        Field("gender", STR),
        Field("ethnicity", STR),
        Field("religion", STR),
        Field("language", STR),
        Field("interpreter_needed", BOOL),
        Field("school", STR),
        Field("father_recorded", BOOL),
        Field("post18_route", enum(vocab.Post18Route)),
        Field("phone", STR, extension=True),
    ),
)

# An episode's ``documents`` object: key -> boolean column.
DOCUMENTS = {
    "case_summary": "doc_case_summary",
    "chronology": "doc_chronology",
    "genogram": "doc_genogram",
}

EPISODE = RecordSpec(
    "episode",
    "episode",
    (
        Field("ref", REF, R),
        Field("family", link("family"), R),
        Field("children", links("member"), special=True),  # episode_child links
        Field("type", enum(vocab.EpisodeType), R),
        Field("disposal", enum(vocab.Disposal)),
        Field("hub", enum(vocab.Hub), R),
        Field("lead", link("practitioner")),
        Field("source", enum(vocab.Source), R),
        Field("referral_received", DATE, R, past=True),
        Field("allocated", DATETIME, past=True),
        Field("engagement_confirmed", DATE, past=True),
        Field("eha_completed", DATE, past=True),
        Field("assessment_completed", DATE_OR_DATETIME, past=True),
        Field("stepdown_consultation", DATE, past=True),
        Field("stepdown_meeting", DATE, past=True),
        Field("extension_approved_until", DATE),  # planned: may lie ahead
        Field("sessions_planned", COUNT),
        Field("sessions_delivered", COUNT),
        Field("documents", STR, special=True),
        Field("qa_completed", DATE_OR_DATETIME, past=True),
        Field("closed", DATE, past=True),
        Field("closure_reason", enum(vocab.ClosureReason)),
        Field("agreed_contacts_per_4_weeks", COUNT),
        Field("osr_request_form", DATE, past=True),
    ),
    nested=("contacts", "voice_of_child", "taf_meetings", "oversight"),
    special_columns=tuple(DOCUMENTS.values()),
)

CONTACT = RecordSpec(
    "contact",
    "contact",
    (
        Field("ref", REF, R),
        Field("at", DATETIME, R, past=True),
        Field("recorded_at", DATETIME, past=True),
        Field("method", enum(vocab.ContactMethod), R),
        Field("outcome", enum(vocab.Outcome), R),
        Field("children_seen", links("member")),
        Field("note", TEXT),
        Field("children_seen_alone", links("member"), extension=True),
    ),
)

VOICE = RecordSpec(
    "voice-of-child record",
    "voice_of_child",
    (
        Field("ref", REF, R),
        Field("child", link("member"), R),
        Field("at", DATETIME, R, past=True),
        Field("method", enum(vocab.VoiceMethod), R),
        Field("words", TEXT),
        Field("analysis", STR, extension=True),
        Field("prompts", PROMPTS, extension=True),
    ),
)

TAF = RecordSpec(
    "TAF meeting",
    "taf_meeting",
    (
        Field("ref", REF, R),
        Field("at", DATETIME, R, past=True),
        Field("kind", enum(vocab.TafKind), R),
        Field("agencies", STRINGS),
        Field("radar_completed", FLAG),
        Field("plan_ratified_complete", FLAG),
        Field("note", STR),
        Field("decision", STR, extension=True),
        Field("agreed_contacts_per_4_weeks", COUNT, extension=True),
        Field("actions", ACTIONS, extension=True),
        Field("radar_feedback", STR, extension=True),
    ),
)

OVERSIGHT = RecordSpec(
    "oversight record",
    "oversight",
    (
        Field("ref", REF, R),
        Field("at", DATETIME, R, past=True),
        Field("kind", enum(vocab.OversightKind), R),
        Field("by", link("practitioner")),
        Field("decision", TEXT),
    ),
)

# Records nested in an episode, by their key in the episode object.
EPISODE_PARTS: dict[str, RecordSpec] = {
    "contacts": CONTACT,
    "voice_of_child": VOICE,
    "taf_meetings": TAF,
    "oversight": OVERSIGHT,
}

# Every record kind keyed by ref, in the order they are written to the store.
REF_SPECS: tuple[RecordSpec, ...] = (
    PRACTITIONER,
    FAMILY,
    MEMBER,
    EPISODE,
    CONTACT,
    VOICE,
    TAF,
    OVERSIGHT,
)

TOP_KEYS = ("format", "practitioners", "osr_rota", "families", "episodes")
