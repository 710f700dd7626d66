"""Routing and calendars the UI shows (PROTOCOL_RULES.md §9).

- Step-up to Children's Social Care (§12.5-12.6): closed by a DATs team within
  the last 6 weeks → back to that DATs team; closed by I&P within the last 3
  months → back to I&P; otherwise the MASH decides.
- Early Help Hub Panel: weekly, Tuesday mornings (§5.4).
- Allocations/Transfer Meeting: Wednesday mornings; agenda cut-off midday
  the day before (§12.8).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from ehtui.calendar import format_day, next_weekday

TUESDAY, WEDNESDAY = 1, 2
MORNING_ENDS = time(12, 0)
CUT_OFF = time(12, 0)


@dataclass(frozen=True, slots=True)
class Route:
    destination: str  # "DATs", "I&P" or "MASH"
    reason: str


def step_up_route(team: str | None, closed: date | None, on: date) -> Route:
    """Where a step-up to Children's Social Care goes, given the family's last CSC closure."""
    if team == "dats" and closed is not None and closed >= on - timedelta(weeks=6):
        return Route("DATs", f"closed by DATs {format_day(closed)}, within 6 weeks: back to DATs")
    if team == "i_and_p" and closed is not None and closed >= on - relativedelta(months=3):
        return Route("I&P", f"closed by I&P {format_day(closed)}, within 3 months: back to I&P")
    return Route("MASH", "no recent Children's Social Care closure: the MASH decides")


def next_panel(now: datetime) -> date:
    """The next Hub Panel (Tuesday morning): today if it is Tuesday before noon."""
    today = now.date()
    if today.weekday() == TUESDAY and now.time() < MORNING_ENDS:
        return today
    return next_weekday(today, TUESDAY)


@dataclass(frozen=True, slots=True)
class TransferMeeting:
    meeting: date
    cut_off: datetime

    def describe(self) -> str:
        return (
            f"Transfer meeting {format_day(self.meeting)}; "
            f"agenda closes {format_day(self.cut_off.date())} {self.cut_off:%H:%M}"
        )


def next_transfer_meeting(now: datetime) -> TransferMeeting:
    """The next Allocations/Transfer meeting whose agenda is still open at ``now``."""
    meeting = next_weekday(now.date(), WEDNESDAY, include_today=True)
    while True:
        cut_off = datetime.combine(meeting - timedelta(days=1), CUT_OFF)
        if now < cut_off:
            return TransferMeeting(meeting, cut_off)
        meeting += timedelta(weeks=1)
