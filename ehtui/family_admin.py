"""Editing a family and its members (§6.2, §24.2): the checks and the audited saves.

Every demographic field the DEMOGRAPHICS rule looks for can be put right here:
ethnicity, religion, language, interpreter need, date of birth, school, phone,
the father's details recorded; and the family's address, phone, email, agencies
and its last Children's Social Care closure (which routes a step-up, §12.5-12.6).
Saves are updates checked against the version the person saw; a new member is an
insert; nothing is deleted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine, select

from ehtui.calendar import format_day
from ehtui.errors import InputError
from ehtui.forms import parse_day, problem_lines
from ehtui.models import Family, Member
from ehtui.refs import new_ref
from ehtui.unit_of_work import fetch, write
from ehtui.vocab import CscTeam, Post18Route, Relationship

FAMILY_FIELDS = ("name", "address", "phone", "email", "agencies", "csc_team", "csc_closed")
MEMBER_TEXT = ("first_name", "last_name", "gender", "ethnicity", "religion", "language", "school")
MEMBER_FIELDS = (
    *MEMBER_TEXT,
    "relationship",
    "dob",
    "interpreter",
    "father_recorded",
    "phone",
    "post18_route",
)
YES_NO = {"yes": True, "no": False, "unknown": None}


@dataclass(frozen=True)
class Stored:
    """A record as the form opens it: its typed values and its version."""

    ref: str
    version: int
    values: dict[str, Any]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    return str(value)


def _yes_no(value: bool | None) -> str:
    return {True: "yes", False: "no"}.get(value, "unknown")  # type: ignore[arg-type]


def stored_family(engine: Engine, family: str) -> Stored | None:
    t = Family.__table__  # type: ignore[attr-defined]
    with engine.connect() as conn:
        row = conn.execute(select(t).where(t.c.ref == family, t.c.deleted_at.is_(None))).first()
    if row is None:
        return None
    values = {
        "name": row.name,
        "address": _text(row.address),
        "phone": _text(row.phone),
        "email": _text(row.email),
        "agencies": ", ".join(row.agencies or ()),
        "csc_team": row.last_csc_closure_team or "none",
        "csc_closed": _text(row.last_csc_closure_date),
    }
    return Stored(row.ref, row.version, values)


def stored_members(engine: Engine, family: str) -> list[Stored]:
    t = Member.__table__  # type: ignore[attr-defined]
    with engine.connect() as conn:
        rows = conn.execute(
            select(t)
            .where(t.c.family == family, t.c.deleted_at.is_(None))
            .order_by(t.c.relationship != "child", t.c.dob, t.c.first_name)
        ).all()
    out = []
    for row in rows:
        values = {name: _text(getattr(row, name)) for name in MEMBER_TEXT}
        values.update(
            relationship=row.relationship,
            dob=_text(row.dob),
            interpreter=_yes_no(row.interpreter_needed),
            father_recorded=_yes_no(row.father_recorded),
            phone=_text(row.phone),
            post18_route=row.post18_route,
        )
        out.append(Stored(row.ref, row.version, values))
    return out


def _day(values: dict[str, Any], name: str, today: date, problems: dict[str, str]) -> date | None:
    text = str(values.get(name) or "").strip()
    if not text:
        return None
    try:
        day = parse_day(text, today)
    except ValueError as exc:
        problems[name] = str(exc)
        return None
    if day > today:
        problems[name] = f"{format_day(day)} is in the future."
        return None
    return day


def check_family(values: dict[str, Any], now: datetime) -> dict[str, str]:
    problems: dict[str, str] = {}
    if not str(values.get("name") or "").strip():
        problems["name"] = "Give the family's surname."
    email = str(values.get("email") or "").strip()
    if email and ("@" not in email or " " in email):
        problems["email"] = "An email address looks like name@example.org."
    team = values.get("csc_team") or "none"
    if team != "none" and team not in CscTeam.values():
        problems["csc_team"] = "Choose d DATs, i I&P or n none."
    closed = _day(values, "csc_closed", now.date(), problems)
    if team != "none" and closed is None and "csc_closed" not in problems:
        problems["csc_closed"] = "Give the date Children's Social Care closed the family."
    return problems


def save_family(
    engine: Engine, *, user: str, family: str, values: dict[str, Any], now: datetime, version: int
) -> None:
    problems = check_family(values, now)
    if problems:
        raise InputError(problem_lines(problems))
    team = values.get("csc_team") or "none"
    with write(engine, user) as s:
        row = fetch(s, Family, family, version=version)
        row.name = str(values["name"]).strip()
        row.address = str(values.get("address") or "").strip() or None
        row.phone = str(values.get("phone") or "").strip() or None
        row.email = str(values.get("email") or "").strip() or None
        row.agencies = [
            a.strip() for a in str(values.get("agencies") or "").split(",") if a.strip()
        ]
        row.last_csc_closure_team = None if team == "none" else str(team)
        row.last_csc_closure_date = (
            _day(values, "csc_closed", now.date(), {}) if row.last_csc_closure_team else None
        )


def check_member(values: dict[str, Any], now: datetime) -> dict[str, str]:
    problems: dict[str, str] = {}
    for name, words in (("first_name", "first name"), ("last_name", "surname")):
        if not str(values.get(name) or "").strip():
            problems[name] = f"Give the {words}."
    if values.get("relationship") not in Relationship.values():
        problems["relationship"] = "Choose who they are in the family (c child, m mother, ...)."
    _day(values, "dob", now.date(), problems)
    for name in ("interpreter", "father_recorded"):
        if (values.get(name) or "unknown") not in YES_NO:
            problems[name] = "Choose y yes, n no or u not known."
    route = values.get("post18_route") or None
    if route is not None and route not in Post18Route.values():
        problems["post18_route"] = "Choose one of the post-18 routes, or none."
    return problems


def save_member(
    engine: Engine,
    *,
    user: str,
    family: str,
    member: str | None,
    values: dict[str, Any],
    now: datetime,
    version: int | None = None,
) -> str:
    """Update ``member`` (checked against ``version``) or add a new member to ``family``;
    the member's ref."""
    problems = check_member(values, now)
    if problems:
        raise InputError(problem_lines(problems))
    fields: dict[str, Any] = {
        name: (str(values.get(name) or "").strip() or None) for name in MEMBER_TEXT
    }
    fields.update(
        first_name=str(values["first_name"]).strip(),
        last_name=str(values["last_name"]).strip(),
        relationship=str(values["relationship"]),
        dob=_day(values, "dob", now.date(), {}),
        interpreter_needed=YES_NO[values.get("interpreter") or "unknown"],
        father_recorded=YES_NO[values.get("father_recorded") or "unknown"],
        phone=str(values.get("phone") or "").strip() or None,
        post18_route=values.get("post18_route") or None,
    )
    with write(engine, user) as s:
        if member is None:
            member = new_ref("member")
            s.add(Member(ref=member, family=family, **fields))
        else:
            row = fetch(s, Member, member, version=version)
            for name, value in fields.items():
                setattr(row, name, value)
    return member
