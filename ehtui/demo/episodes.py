"""Synthetic episodes and what happens in them, at the protocol's rhythms.

Each episode gets a *profile*: ``good`` (clocks met on time), ``late`` (met,
but late) or ``behind`` (work stopping short, so clocks run overdue). Nothing
recorded lies after the anchor ("today"); planned dates may.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from ehtui.calendar import add_working_days
from ehtui.demo.people import Refs, Row
from ehtui.demo.plans import plan_at, radar_feedback

PROFILES = ("good", "good", "good", "good", "late", "late", "behind")
METHODS = ("home_visit", "telephone", "office_visit", "school_visit", "virtual", "partner_agency")
METHOD_WEIGHTS = (35, 25, 10, 10, 10, 10)
REASONS = (
    "plan_completed",
    "plan_completed",
    "plan_completed",
    "plan_completed",
    "disengaged",
    "moved_away",
    "step_up_csc",
    "transferred_to_community_lp",
    "stepped_down_universal",
    "no_further_action",
)
DISPOSALS = (
    "triage",
    "youth_caution",
    "youth_conditional_caution",
    "community_resolution",
    "turning_point",
)


@dataclass
class Rows:
    """Every table's rows, in generation order."""

    episodes: list[Row] = field(default_factory=list)
    links: list[Row] = field(default_factory=list)
    contacts: list[Row] = field(default_factory=list)
    voices: list[Row] = field(default_factory=list)
    tafs: list[Row] = field(default_factory=list)
    oversights: list[Row] = field(default_factory=list)


@dataclass
class Episodes:
    rng: random.Random
    refs: Refs
    anchor: date
    rows: Rows = field(default_factory=Rows)
    managers: dict[str, str | None] = field(default_factory=dict)  # lead → line manager
    clock: datetime | None = None  # the machine's time, given only when the anchor is today
    density: float = 1.0  # below 1: contacts closer together than the phased guide's gaps
    plan_agreed: dict[str, datetime] = field(default_factory=dict)  # episode → initial TAF

    @property
    def now(self) -> datetime:
        """The last moment anything may be recorded: 17:00 on the anchor day, or the
        clock's time when that is earlier (nothing recorded lies in the future)."""
        end_of_work = datetime.combine(self.anchor, time(17, 0))
        if self.clock is None:
            return end_of_work
        return min(end_of_work, self.clock.replace(second=0, microsecond=0))

    def moment(self, day: date, start: int = 9, end: int = 17) -> datetime:
        return datetime.combine(
            day, time(self.rng.randint(start, end - 1), self.rng.choice((0, 15, 30, 45)))
        )

    def _recorded(self, at: datetime, profile: str) -> datetime | None:
        rng = self.rng
        if at > self.now - timedelta(days=3) and rng.random() < 0.4:
            return None
        hours = (
            rng.randint(50, 90) if profile != "good" and rng.random() < 0.12 else rng.randint(1, 30)
        )
        recorded = at + timedelta(hours=hours)
        return recorded if recorded <= self.now else None

    def contact(
        self,
        ep: Row,
        at: datetime,
        method: str,
        outcome: str = "completed",
        profile: str = "good",
        children: list[str] | None = None,
    ) -> None:
        if at > self.now:
            return
        seen = (
            children if outcome == "completed" and method in ("home_visit", "school_visit") else []
        )
        self.rows.contacts.append(
            {
                "ref": self.refs.next("K", 7),
                "episode": ep["ref"],
                "at": at,
                "recorded_at": self._recorded(at, profile),
                "method": method,
                "outcome": outcome,
                "children_seen": seen or [],
                "children_seen_alone": [],
                "note": _note(method, outcome),
            }
        )

    def _outcome(self, dna_rate: float = 0.05) -> str:
        r = self.rng.random()
        if r < dna_rate:
            return "did_not_attend"
        if r < dna_rate + 0.07:
            return "no_answer"
        if r < dna_rate + 0.10:
            return "cancelled"
        return "completed"

    # ------------------------------------------------------------------ episodes
    def episode(
        self,
        family: Row,
        children: list[Row],
        kind: str,
        lead: str | None,
        hub: str,
        allocated: datetime | None,
        closed: date | None,
        profile: str,
        *,
        activity: bool = True,
    ) -> Row:
        """An episode row; with ``activity``, also what happened in it up to closure or now."""
        rng = self.rng
        if allocated is not None and allocated > self.now:
            allocated = self.now - timedelta(minutes=30)
        referral = (allocated.date() if allocated else self.anchor) - timedelta(
            days=rng.randint(0, 4)
        )
        source = {
            "eha": rng.choice(("mash", "mash", "mash", "self_referral", "reach")),
            "step_down_eha": rng.choice(("step_down_csc", "step_down_csc", "yjs", "reach")),
            "universal_plus": "universal_plus_form",
            "joint_work": rng.choice(("osr", "mash", "step_down_csc")),
            "out_of_court": "police",
            "rhi": "police",
        }[kind]
        ep: Row = {
            "ref": self.refs.next("E", 6),
            "family": family["ref"],
            "type": kind,
            "disposal": rng.choice(DISPOSALS) if kind == "out_of_court" else None,
            "hub": hub,
            "lead": lead,
            "source": source,
            "referral_received": referral,
            "allocated": allocated,
            "engagement_confirmed": None,
            "eha_completed": None,
            "assessment_completed": None,
            "stepdown_consultation": None,
            "stepdown_meeting": None,
            "extension_approved_until": None,
            "sessions_planned": None,
            "sessions_delivered": None,
            "doc_case_summary": False,
            "doc_chronology": False,
            "doc_genogram": False,
            "qa_completed": None,
            "closed": closed,
            "closure_reason": None,
            "agreed_contacts_per_4_weeks": None,
            "osr_request_form": None,
        }
        if closed is not None:
            ep["closure_reason"] = None if rng.random() < 0.01 else rng.choice(REASONS)
        kids = [c["ref"] for c in children]
        for i, child in enumerate(kids):
            self.rows.links.append({"episode": ep["ref"], "child": child, "position": i})
        self.rows.episodes.append(ep)
        if allocated is not None and activity:
            end = datetime.combine(closed, time(17, 0)) if closed else self.now
            {
                "eha": self._eha,
                "step_down_eha": self._eha,
                "universal_plus": self._up,
                "joint_work": self._joint,
                "out_of_court": self._ooc,
                "rhi": self._rhi,
            }[kind](ep, kids, allocated, min(end, self.now), profile)
        return ep

    def _rhythm(
        self,
        ep: Row,
        kids: list[str],
        start: datetime,
        end: datetime,
        profile: str,
        dna_rate: float = 0.05,
        stop_at: float = 1.0,
    ) -> None:
        """Contacts at the phased guide's rhythm (§9.2) from ``start`` to ``end``."""
        rng = self.rng
        span = end - start
        stop = start + span * stop_at
        at = start
        while True:
            days = (at - start).days
            gap = 3 if days < 30 else 4 if days < 60 else 6 if days < 90 else 8
            at = at + timedelta(days=max(1, int(gap * self.density * rng.uniform(0.7, 1.3))))
            if at.weekday() >= 5:
                at += timedelta(days=7 - at.weekday())
            if at > stop:
                return
            method = rng.choices(METHODS, weights=METHOD_WEIGHTS)[0]
            self.contact(ep, at, method, self._outcome(dna_rate), profile, kids)

    rhythm = _rhythm

    def _interval(
        self, first: datetime, end: datetime, every: tuple[int, int], stop_at: float = 1.0
    ) -> list[datetime]:
        stop = first + (end - first) * stop_at
        out, at = [], first
        while at <= stop and at <= self.now:
            out.append(at)
            at = at + timedelta(days=self.rng.randint(*every))
        return out

    def _eha(self, ep: Row, kids: list[str], al: datetime, end: datetime, profile: str) -> None:
        rng = self.rng
        day = al.date()
        behind = profile == "behind"
        late = profile == "late"
        first = add_working_days(day, rng.randint(3, 5) if late else 1)
        visit = add_working_days(day, rng.randint(8, 12) if late else rng.randint(3, 6))
        if not behind or rng.random() < 0.4:
            self.contact(ep, self.moment(first), "telephone", "completed", profile)
            self.contact(ep, self.moment(visit), "home_visit", "completed", profile, kids)
            ep["engagement_confirmed"] = first + timedelta(days=rng.randint(0, 4))
            if ep["engagement_confirmed"] > self.anchor or rng.random() < 0.05:
                ep["engagement_confirmed"] = None
        self._rhythm(
            ep,
            kids,
            datetime.combine(visit, time(10)),
            end,
            profile,
            stop_at=0.7 if behind else 1.0,
        )
        if ep["type"] == "step_down_eha":
            ep["stepdown_consultation"] = ep["referral_received"]
            if not behind:
                meeting = add_working_days(
                    ep["referral_received"], rng.randint(12, 15) if late else rng.randint(4, 9)
                )
                ep["stepdown_meeting"] = meeting if meeting <= self.anchor else None
            if rng.random() < 0.2:
                ep["extension_approved_until"] = day + timedelta(days=rng.randint(210, 270))
        completed = day + timedelta(days=rng.randint(45, 60) if late else rng.randint(24, 40))
        completed_day = None if behind or completed > end.date() else completed
        ep["eha_completed"] = completed_day
        if rng.random() < 0.3:
            ep["agreed_contacts_per_4_weeks"] = rng.randint(2, 6)
        docs = not behind and rng.random() < 0.85
        ep["doc_case_summary"] = docs or rng.random() < 0.5
        ep["doc_chronology"] = docs or rng.random() < 0.5
        ep["doc_genogram"] = docs
        for child in kids:
            start = al + timedelta(days=rng.randint(6, 20))
            every = (30, 36) if late else (20, 27)
            for at in self._interval(start, end, every, 0.6 if behind else 1.0):
                self.rows.voices.append(
                    {
                        "ref": self.refs.next("V", 6),
                        "episode": ep["ref"],
                        "child": child,
                        "at": at,
                        "method": rng.choice(
                            (
                                "direct_work",
                                "three_houses",
                                "conversation",
                                "observation",
                                "questionnaire",
                                "via_parent",
                                "via_professional",
                            )
                        ),
                        "words": rng.choice(VOICE_WORDS),
                        "analysis": None,
                        "prompts": {},
                    }
                )
        sup_every = (33, 38) if late else (22, 29)
        for at in self._interval(
            al + timedelta(days=rng.randint(10, 26)), end, sup_every, 0.6 if behind else 1.0
        ):
            kind = rng.choices(
                ("supervision", "group_supervision", "desk_discussion"), weights=(80, 12, 8)
            )[0]
            self._oversight(ep, at, kind)
        if completed_day is not None:
            taf_day = add_working_days(
                completed_day, rng.randint(12, 16) if late else rng.randint(4, 9)
            )
            meetings = self._interval(
                self.moment(taf_day), end, (88, 95) if late else (70, 82), 0.7 if behind else 1.0
            )
            for i, at in enumerate(meetings):
                # The draws in the order they have always been made (same seed, same demo).
                agencies = ["School", "Health Visitor"][: rng.randint(1, 2)]
                radar = i == 0 or rng.random() < 0.9
                self.rows.tafs.append(
                    {
                        "ref": self.refs.next("T", 6),
                        "episode": ep["ref"],
                        "at": at,
                        "kind": "initial" if i == 0 else "review",
                        "agencies": agencies,
                        "radar_completed": radar,
                        "plan_ratified_complete": False,
                        "note": "Plan reviewed with the family.",
                        "decision": None,
                        "agreed_contacts_per_4_weeks": None,
                        **self._plan(ep, at, radar),
                    }
                )
            if ep["closed"] is not None and ep["closure_reason"] == "plan_completed":
                if self.rows.tafs and self.rows.tafs[-1]["episode"] == ep["ref"]:
                    self.rows.tafs[-1]["plan_ratified_complete"] = True
                else:
                    ep["closure_reason"] = "no_further_action"
        elif ep["closure_reason"] == "plan_completed":
            ep["closure_reason"] = "disengaged"

    def oversight(self, ep: Row, at: datetime, kind: str, decision: str) -> None:
        """A management-oversight record by the lead's line manager (if at or before now)."""
        if at > self.now:
            return
        self.rows.oversights.append(
            {
                "ref": self.refs.next("S", 6),
                "episode": ep["ref"],
                "at": at,
                "kind": kind,
                "by": self.managers.get(ep["lead"] or ""),
                "decision": decision,
            }
        )

    def voice(self, ep: Row, child: str, at: datetime, method: str, words: str) -> None:
        if at > self.now:
            return
        self.rows.voices.append(
            {
                "ref": self.refs.next("V", 6),
                "episode": ep["ref"],
                "child": child,
                "at": at,
                "method": method,
                "words": words,
                "analysis": None,
                "prompts": {},
            }
        )

    def taf(
        self, ep: Row, at: datetime, kind: str, agencies: list[str], *, radar: bool = True
    ) -> None:
        if at > self.now:
            return
        self.rows.tafs.append(
            {
                "ref": self.refs.next("T", 6),
                "episode": ep["ref"],
                "at": at,
                "kind": kind,
                "agencies": agencies,
                "radar_completed": radar,
                "plan_ratified_complete": False,
                "note": "Plan agreed with the family." if kind == "initial" else "Plan reviewed.",
                "decision": None,
                "agreed_contacts_per_4_weeks": None,
                **self._plan(ep, at, radar),
            }
        )

    def _plan(self, ep: Row, at: datetime, radar: bool) -> Row:
        """A meeting's plan (the episode's first meeting agrees it) and RADAR feedback."""
        first = self.plan_agreed.setdefault(ep["ref"], at)
        seq = int(ep["ref"][1:])
        return {
            "actions": plan_at(first, at, seq),
            "radar_feedback": radar_feedback(seq) if radar else None,
        }

    def sessions(self, ep: Row, kids: list[str], first: datetime, n: int, every: int = 7) -> None:
        """``n`` completed sessions, ``every`` days apart from ``first``; records the count."""
        methods = ("home_visit", "office_visit", "school_visit", "virtual")
        at, delivered = first, 0
        while delivered < n and at <= self.now:
            self.contact(ep, at, methods[delivered % len(methods)], "completed", "good", kids)
            delivered += 1
            at += timedelta(days=every)
        ep["sessions_planned"] = 6
        ep["sessions_delivered"] = delivered

    def _oversight(self, ep: Row, at: datetime, kind: str) -> None:
        self.rows.oversights.append(
            {
                "ref": self.refs.next("S", 6),
                "episode": ep["ref"],
                "at": at,
                "kind": kind,
                "by": self.managers.get(ep["lead"] or ""),
                "decision": self.rng.choice(DECISIONS),
            }
        )

    def _up(self, ep: Row, kids: list[str], al: datetime, end: datetime, profile: str) -> None:
        rng = self.rng
        if rng.random() < 0.3:
            ep["extension_approved_until"] = al.date() + timedelta(weeks=rng.randint(8, 12))
        self._sessions(ep, kids, al, end, profile)

    def _joint(self, ep: Row, kids: list[str], al: datetime, end: datetime, profile: str) -> None:
        rng = self.rng
        if ep["source"] == "osr" and rng.random() < 0.85:
            request = al.date() + timedelta(days=rng.randint(1, 5))
            ep["osr_request_form"] = request if request <= self.anchor else None
        if rng.random() < 0.2:
            ep["extension_approved_until"] = al.date() + timedelta(weeks=rng.randint(10, 16))
        self._sessions(ep, kids, al, end, profile)

    def _sessions(
        self, ep: Row, kids: list[str], al: datetime, end: datetime, profile: str
    ) -> None:
        rng = self.rng
        at = al + timedelta(days=rng.randint(1, 4))
        delivered = 0
        limit = rng.choice((4, 5, 6, 6, 7, 8)) if profile != "good" else rng.randint(3, 6)
        while at <= end and delivered < limit:
            outcome = self._outcome()
            method = rng.choice(("home_visit", "office_visit", "school_visit", "virtual"))
            self.contact(ep, at, method, outcome, profile, kids)
            if outcome == "completed" and at <= self.now:
                delivered += 1
            at += timedelta(days=rng.randint(6, 9))
        ep["sessions_planned"] = 6
        ep["sessions_delivered"] = delivered

    def _ooc(self, ep: Row, kids: list[str], al: datetime, end: datetime, profile: str) -> None:
        rng = self.rng
        days = rng.randint(16, 24) if profile == "late" else rng.randint(3, 12)
        assessed = al.date() + timedelta(days=days)
        if profile != "behind" and assessed <= end.date():
            ep["assessment_completed"] = assessed.isoformat()
        dna = 0.3 if ep["disposal"] == "youth_conditional_caution" else 0.05
        self._rhythm(ep, kids, al, end, profile, dna_rate=dna)

    def _rhi(self, ep: Row, kids: list[str], al: datetime, end: datetime, profile: str) -> None:
        rng = self.rng
        hours = rng.randint(80, 120) if profile == "late" else rng.randint(18, 60)
        interview = al + timedelta(hours=hours)
        attempts = rng.randint(1, 2) if profile != "good" else rng.randint(0, 3)
        for i in range(attempts):
            self.contact(ep, al + timedelta(hours=6 + 14 * i), "telephone", "no_answer", profile)
        if profile == "behind" or interview > self.now:
            return
        self.contact(ep, interview, "home_visit", "completed", profile, kids)
        ep["assessment_completed"] = interview.isoformat(timespec="seconds")
        qa = interview + timedelta(
            hours=rng.randint(30, 50) if rng.random() < 0.15 else rng.randint(2, 20)
        )
        if qa <= self.now:
            ep["qa_completed"] = qa.isoformat(timespec="seconds")


def _note(method: str, outcome: str) -> str:
    if outcome != "completed":
        return {
            "no_answer": "Called; no answer. Will try again tomorrow.",
            "did_not_attend": "Family did not attend the appointment; letter sent.",
            "cancelled": "Appointment cancelled by the family; rebooked.",
        }[outcome]
    return {
        "home_visit": "Home visit: saw mother and the children; home warm. Discussed routines.",
        "telephone": "Phone call with mother about the plan and school attendance.",
        "office_visit": "Met mother at the hub; reviewed the plan together.",
        "school_visit": "Visited school; met the child with the pastoral lead.",
        "virtual": "Teams call with mother; agreed next steps.",
        "partner_agency": "Spoke with the school's DSL about attendance.",
        "duty": "Duty contact: advice given.",
    }[method]


VOICE_WORDS = (
    "I like it when we go to the park on Saturdays.",
    "I worry when mum and dad shout.",
    "School is better now, I have a new friend.",
    "I want my own room.",
    "I feel safe at home but I miss my dad.",
    "I don't like mornings, everyone is rushing.",
    "My teacher helps me when I'm sad.",
)
DECISIONS = (
    "Continue with the plan; book the next home visit.",
    "Progressing well; review at the next TAF.",
    "Escalate school attendance concerns to the TAF.",
    "Consider step-down to universal services at review.",
    "Agreed to increase contact to weekly for a month.",
)

__all__ = ["DECISIONS", "PROFILES", "VOICE_WORDS", "Episodes", "Rows"]
