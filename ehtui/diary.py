"""The diary (issue "Intake and case administration", part 4): appointments that lie ahead.

A practitioner plans appointments on their episodes (a home visit, an office or
school visit, a call, a TAF, supervision). The diary lists them day by day with the
fixed meetings of the week (the Hub Panel on Tuesday mornings, the Transfer meeting
on Wednesday mornings with its Tuesday-noon agenda cut-off, §5.4, §12.8). A kept
appointment becomes a recorded contact in one step (the contact log opens with its
method and time; saving marks it kept); a missed one is recorded as a contact that
did not happen ("did not attend") and marked so, in one transaction.

:func:`week_ahead` is the work tray's compact view of the same diary: today's
appointments and those of the six days after, with the fixed meetings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Engine, select

from ehtui.errors import InputError
from ehtui.forms import parse_moment, problem_lines
from ehtui.models import Appointment, Contact, Episode, Family, Practitioner
from ehtui.refs import new_ref
from ehtui.rules.routing import next_panel, next_transfer_meeting
from ehtui.unit_of_work import fetch, write
from ehtui.vocab import AppointmentKind, ContactMethod, Outcome

# The kinds that are contacts with the family, and the contact method each records.
CONTACT_METHOD: dict[str, ContactMethod] = {
    AppointmentKind.HOME_VISIT: ContactMethod.HOME_VISIT,
    AppointmentKind.OFFICE_VISIT: ContactMethod.OFFICE_VISIT,
    AppointmentKind.SCHOOL_VISIT: ContactMethod.SCHOOL_VISIT,
    AppointmentKind.TELEPHONE: ContactMethod.TELEPHONE,
    AppointmentKind.VIRTUAL: ContactMethod.VIRTUAL,
}
KIND_KEYS: dict[str, AppointmentKind] = {
    "h": AppointmentKind.HOME_VISIT,
    "o": AppointmentKind.OFFICE_VISIT,
    "s": AppointmentKind.SCHOOL_VISIT,
    "t": AppointmentKind.TELEPHONE,
    "v": AppointmentKind.VIRTUAL,
    "m": AppointmentKind.TAF,
    "u": AppointmentKind.SUPERVISION,
}


@dataclass(frozen=True)
class DiaryLine:
    """One thing in the diary: an appointment (``ref``) or a fixed meeting (``ref`` None)."""

    at: datetime
    what: str
    family: str
    episode: str | None
    ref: str | None
    kind: str | None
    outcome: str | None
    version: int | None = None

    @property
    def planned(self) -> bool:
        return self.ref is not None and self.outcome is None


def diary(
    engine: Engine, practitioner: str, start: date, days: int, now: datetime
) -> list[DiaryLine]:
    """``practitioner``'s appointments from ``start`` for ``days`` days (kept, missed and
    cancelled ones included, marked), with the fixed meetings in that span, by time."""
    ap = Appointment.__table__  # type: ignore[attr-defined]
    ep = Episode.__table__  # type: ignore[attr-defined]
    fam = Family.__table__  # type: ignore[attr-defined]
    begin = datetime.combine(start, time.min)
    end = begin + timedelta(days=days)
    with engine.connect() as conn:
        rows = conn.execute(
            select(ap, fam.c.name.label("family_name"))
            .join(ep, ep.c.ref == ap.c.episode, isouter=True)
            .join(fam, fam.c.ref == ep.c.family, isouter=True)
            .where(
                ap.c.practitioner == practitioner,
                ap.c.deleted_at.is_(None),
                ap.c.at >= begin,
                ap.c.at < end,
            )
            .order_by(ap.c.at, ap.c.ref)
        ).all()
    lines = [
        DiaryLine(
            r.at,
            AppointmentKind(r.kind).label if r.kind in AppointmentKind.values() else r.kind,
            r.family_name or "",
            r.episode,
            r.ref,
            r.kind,
            r.outcome,
            r.version,
        )
        for r in rows
    ]
    moment = max(begin, now)
    while True:
        panel = next_panel(moment)
        if panel >= end.date():
            break
        lines.append(
            DiaryLine(datetime.combine(panel, time(9, 30)), "Hub Panel", "", None, None, None, None)
        )
        moment = datetime.combine(panel + timedelta(days=1), time.min)
    moment = max(begin, now)
    while True:
        transfer = next_transfer_meeting(moment)
        if transfer.meeting >= end.date():
            break
        lines.append(
            DiaryLine(
                transfer.cut_off, "Transfer meeting agenda closes", "", None, None, None, None
            )
        )
        lines.append(
            DiaryLine(
                datetime.combine(transfer.meeting, time(9, 30)),
                "Allocations/Transfer meeting",
                "",
                None,
                None,
                None,
                None,
            )
        )
        moment = transfer.cut_off + timedelta(minutes=1)
    return sorted(lines, key=lambda line: (line.at, line.what))


@dataclass(frozen=True)
class Planned:
    """An appointment still to come on one episode (the case view's diary line)."""

    at: datetime
    what: str
    who: str  # the practitioner it is with


def planned_for(engine: Engine, episode: str, now: datetime) -> tuple[Planned, ...]:
    """``episode``'s appointments still planned from the start of today, soonest first (one
    overdue since this morning is still shown: it wants recording as kept or missed)."""
    ap = Appointment.__table__  # type: ignore[attr-defined]
    pr = Practitioner.__table__  # type: ignore[attr-defined]
    begin = datetime.combine(now.date(), time.min)
    with engine.connect() as conn:
        rows = conn.execute(
            select(ap.c.at, ap.c.kind, pr.c.name)
            .join(pr, pr.c.ref == ap.c.practitioner, isouter=True)
            .where(
                ap.c.episode == episode,
                ap.c.deleted_at.is_(None),
                ap.c.outcome.is_(None),
                ap.c.at >= begin,
            )
            .order_by(ap.c.at, ap.c.ref)
        ).all()
    return tuple(
        Planned(
            r.at,
            AppointmentKind(r.kind).label if r.kind in AppointmentKind.values() else r.kind,
            r.name or "",
        )
        for r in rows
    )


@dataclass(frozen=True)
class WeekAhead:
    """The work tray's panel: today's lines and the next six days' (cancelled left out)."""

    day: date
    today: tuple[DiaryLine, ...]
    week: tuple[DiaryLine, ...]


def week_ahead(engine: Engine, practitioner: str, now: datetime) -> WeekAhead:
    """``practitioner``'s appointments today (kept and missed ones too, marked) and over
    the six days after (a rolling week, so a Friday still shows the Tuesday cut-off),
    with the Hub Panel, the Transfer meeting and its Tuesday-noon cut-off; cancelled
    appointments are left out. One query, as :func:`diary`."""
    today = now.date()
    lines = [
        line for line in diary(engine, practitioner, today, 7, now) if line.outcome != "cancelled"
    ]
    return WeekAhead(
        today,
        tuple(line for line in lines if line.at.date() == today),
        tuple(line for line in lines if line.at.date() > today),
    )


def check_appointment(
    values: dict[str, Any], referral: date | None, now: datetime
) -> dict[str, str]:
    problems: dict[str, str] = {}
    if not values.get("episode"):
        problems["episode"] = "Choose the episode the appointment is for."
    if values.get("kind") not in AppointmentKind.values():
        problems["kind"] = "Choose the kind (h home visit, t telephone, m TAF, ...)."
    try:
        at = parse_moment(str(values.get("at") or ""), now)
    except ValueError as exc:
        problems["at"] = str(exc)
    else:
        if at < now - timedelta(days=1):
            problems["at"] = "An appointment lies ahead: record what happened as a contact."
        elif referral is not None and at.date() < referral:
            problems["at"] = "That is before the episode's referral."
    return problems


def plan_appointment(engine: Engine, *, user: str, values: dict[str, Any], now: datetime) -> str:
    """Write one planned appointment for ``user`` (audited); its ref."""
    ep = Episode.__table__  # type: ignore[attr-defined]
    with engine.connect() as conn:
        referral = conn.execute(
            select(ep.c.referral_received).where(ep.c.ref == str(values.get("episode") or ""))
        ).scalar()
    problems = check_appointment(values, referral, now)
    if not problems and referral is None:
        problems["episode"] = f"There is no episode {values.get('episode')}."
    if problems:
        raise InputError(problem_lines(problems))
    ref = new_ref("appointment")
    with write(engine, user) as s:
        s.add(
            Appointment(
                ref=ref,
                episode=str(values["episode"]),
                practitioner=user,
                at=parse_moment(str(values["at"]), now),
                kind=str(values["kind"]),
                note=str(values.get("note") or "").strip() or None,
            )
        )
    return ref


def cancel_appointment(engine: Engine, *, user: str, appointment: str, version: int) -> None:
    with write(engine, user) as s:
        row = fetch(s, Appointment, appointment, version=version)
        if row.outcome is not None:
            raise InputError([f"appointment: already marked {row.outcome.replace('_', ' ')}"])
        row.outcome = "cancelled"


def missed_appointment(
    engine: Engine, *, user: str, appointment: str, version: int, now: datetime
) -> str | None:
    """The family did not attend: for a contact-kind appointment, a contact with outcome
    "did not attend" at the appointment's time (finalised now); the appointment marked
    so; one transaction. The contact's ref (None for a TAF or supervision)."""
    with write(engine, user) as s:
        row = fetch(s, Appointment, appointment, version=version)
        if row.outcome is not None:
            raise InputError([f"appointment: already marked {row.outcome.replace('_', ' ')}"])
        if row.at > now:
            raise InputError(["appointment: it has not happened yet"])
        row.outcome = "did_not_attend"
        method = CONTACT_METHOD.get(row.kind)
        if method is None or row.episode is None:
            return None
        ref = new_ref("contact")
        s.add(
            Contact(
                ref=ref,
                episode=row.episode,
                at=row.at,
                recorded_at=now.replace(microsecond=0),
                method=str(method),
                outcome=str(Outcome.DID_NOT_ATTEND),
                children_seen=[],
                children_seen_alone=[],
                note=f"Did not attend the planned {AppointmentKind(row.kind).label.lower()}."
                + (f" {row.note}" if row.note else ""),
            )
        )
        row.contact = ref
        return ref


def mark_kept(s: Any, appointment: str, contact: str) -> None:
    """(Inside the contact's transaction.) The appointment happened: it is this contact."""
    row = fetch(s, Appointment, appointment)
    if row.outcome is not None:
        raise InputError([f"appointment: already marked {row.outcome.replace('_', ' ')}"])
    row.outcome = "kept"
    row.contact = contact
