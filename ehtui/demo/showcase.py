"""Cases placed on purpose around the anchor, in every hub, after the random bulk.

The bulk of the demo is random at the protocol's rhythms; on its own it leaves
some clocks with nothing to say on a given day (no Universal Plus past its
six weeks, say). These cases are placed relative to the anchor ("today") so
that every rule of PROTOCOL_RULES.md has both a finding and a case on time,
and so the work tray shows each kind of trouble: a first contact due
tomorrow, a home visit overdue, a Universal Plus to step up, a Return Home
Interview past 72 hours, and so on. ``full`` (the borough) places every case;
the small demo places the core set, to stay near sixty families.

They are made after everything else, so the random bulk (and the tests and
snapshots that rely on it) is the same with or without them.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from ehtui.calendar import add_working_days, is_working_day
from ehtui.demo.episodes import DECISIONS, VOICE_WORDS, Episodes
from ehtui.demo.names import CULTURES
from ehtui.demo.people import Row

EHA_TYPES = ("eha", "step_down_eha")
FRONTLINE = ("practitioner", "social_worker")
VOICE_METHODS = ("direct_work", "three_houses", "conversation", "observation", "via_parent")
PANEL = "Hub Panel: agreed for an Early Help Assessment; allocated to the Lead Professional."
DUTY = "Duty manager: no contact yet; try the school and send an appointment letter."
TEAM = "Team meeting: sessions going well; family asking for more support."
EXTENSION = "Extension agreed in supervision: the family needs more sessions."
QA = "Closure summary quality-assured and signed off."
TAF_DECISION = "TAF decision: plan agreed; actions and the next review date set."
CONSULT = "Virtual consultation with the CSC consultant social worker: remain at Early Help."
RHI_QA = "Return Home Interview quality-assured; shared with the missing-person coordinator."


@dataclass
class Showcase:
    gen: Episodes
    rng: random.Random
    anchor: date
    people: list[Row]
    me: str
    keep_low: frozenset[str]  # practitioners kept under the caseload advice (on-time cases)
    new_family: Callable[[str], tuple[Row, list[Row]]]
    members: dict[str, list[Row]]  # family ref → its members
    member_rows: list[Row]  # every member row to write
    full: bool
    load: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    used: set[str] = field(default_factory=set)  # families given a teen case already

    def __post_init__(self) -> None:
        for ep in self.gen.rows.episodes:
            if ep["closed"] is None and ep["lead"]:
                self.load[ep["lead"]].add(ep["family"])
        day = self.anchor
        while not is_working_day(day):
            day -= timedelta(days=1)
        self.day0 = day  # the last working day on or before the anchor

    # ------------------------------------------------------------------ helpers
    def family(self, hub: str) -> tuple[Row, list[Row]]:
        fam, mem = self.new_family(hub)
        self.members[fam["ref"]] = mem
        return fam, mem

    def wd(self, n: int) -> date:
        return add_working_days(self.day0, n)

    def lead_for(self, hub: str, kind: str) -> str:
        """The hub's first Advanced Practitioner until they hold 11 families (over their
        cap of 10), then the frontline worker with the fewest families per FTE."""
        staff = [
            p
            for p in self.people
            if p["hub"] == hub and p["ref"] != self.me and p["ref"] not in self.keep_low
        ]
        ap = next((p for p in staff if p["role"] == "advanced_practitioner"), None)
        if ap is not None and len(self.load[ap["ref"]]) < 11:
            return str(ap["ref"])
        others = [
            p
            for p in staff
            if p["role"] in FRONTLINE
            or (
                p["role"] == "supporting_families_lead"
                and kind not in EHA_TYPES
                and len(self.load[p["ref"]]) < 6
            )
        ]
        best = min(others, key=lambda p: (len(self.load[p["ref"]]) / p["fte"], p["ref"]))
        return str(best["ref"])

    def open(
        self,
        hub: str,
        fam: Row,
        kids: list[Row],
        kind: str,
        allocated: datetime,
        *,
        lead: str | None = None,
        closed: date | None = None,
        source: str | None = None,
        disposal: str | None = None,
    ) -> Row:
        lead = lead or self.lead_for(hub, kind)
        ep = self.gen.episode(fam, kids, kind, lead, hub, allocated, closed, "good", activity=False)
        if source is not None:
            ep["source"] = source
        ep["disposal"] = disposal if kind == "out_of_court" else None
        if closed is None:
            self.load[lead].add(fam["ref"])
        return ep

    def teen_family(self, hub: str) -> tuple[Row, Row, str]:
        """An existing family in ``hub`` held by someone other than me, with a child of
        10-17 and no youth work open yet: (family, that child, its lead)."""
        found = []
        busy = {
            e["family"]
            for e in self.gen.rows.episodes
            if e["closed"] is None and e["type"] in ("out_of_court", "rhi")
        }
        for ep in self.gen.rows.episodes:
            if ep["closed"] is not None or ep["lead"] in (None, self.me) or ep["hub"] != hub:
                continue
            if ep["family"] in busy or ep["family"] in self.used:
                continue
            teens = [
                m
                for m in self.members[ep["family"]]
                if m["relationship"] == "child"
                and m["dob"] is not None
                and 10 <= (self.anchor - m["dob"]).days // 365 <= 17
            ]
            if teens:
                found.append((ep["family"], teens[0], ep["lead"]))
        if not found:  # a very small store: a new family, held by the hub's next worker
            fam, mem = self.family(hub)
            eldest = min(_children(mem), key=lambda m: m["dob"])
            return fam, eldest, self.lead_for(hub, "out_of_court")
        family_ref, teen, lead = self.rng.choice(found)
        self.used.add(family_ref)
        return {"ref": family_ref}, teen, str(lead)

    def add_member(
        self, fam: Row, mem: list[Row], relationship: str, *, age_days: int, **extra: object
    ) -> Row:
        """Another member of a new family, sharing its language and background."""
        row = dict(mem[0])
        row.update(
            ref=self.gen.refs.next("M", 6),
            relationship=relationship,
            first_name=_other_name(mem, extra.get("gender", "male")),
            dob=self.anchor - timedelta(days=age_days),
            gender="male",
            school=None,
            father_recorded=None,
            post18_route=None,
            phone=None,
        )
        row.update(extra)
        mem.append(row)
        self.member_rows.append(row)
        return row

    def at(self, day: date, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(day, time(hour, minute))

    def eha_body(
        self,
        ep: Row,
        kids: list[str],
        allocated: datetime,
        end: datetime,
        completed: date | None,
        tafs: list[date],
    ) -> None:
        """An EHA kept on time: first contact, home visit, the phased rhythm, voice of the
        child every 3-4 weeks, monthly supervision, the EHA and its TAF meetings."""
        gen, rng = self.gen, self.rng
        day = allocated.date()
        first, visit = add_working_days(day, 1), add_working_days(day, 4)
        gen.contact(ep, gen.moment(first), "telephone", "completed", "good")
        gen.contact(ep, gen.moment(visit), "home_visit", "completed", "good", kids)
        ep["engagement_confirmed"] = first if first <= self.anchor else None
        gen.rhythm(ep, kids, self.at(visit, 10), end, "good")
        for child in kids:
            at = allocated + timedelta(days=rng.randint(8, 14))
            while at <= end:
                gen.voice(ep, child, at, rng.choice(VOICE_METHODS), rng.choice(VOICE_WORDS))
                at += timedelta(days=rng.randint(21, 27))
        at = allocated + timedelta(days=rng.randint(12, 20))
        while at <= end:
            gen.oversight(ep, at, "supervision", rng.choice(DECISIONS))
            at += timedelta(days=rng.randint(24, 29))
        ep["eha_completed"] = completed
        ep["doc_case_summary"] = ep["doc_chronology"] = ep["doc_genogram"] = True
        agencies = ["School", "Health Visitor", "GP"][: rng.randint(2, 3)]
        for i, taf_day in enumerate(tafs):
            gen.taf(ep, gen.moment(taf_day, 10, 15), "initial" if i == 0 else "review", agencies)

    def reviews_from(self, first: date, end: date) -> list[date]:
        days, day = [], first
        while day <= end:
            days.append(day)
            day = add_working_days(day + timedelta(weeks=11), 2)
        return days

    # ------------------------------------------------------------------ cases
    def place(self, hub: str) -> None:
        self.new_ehas(hub)
        self.step_downs(hub)
        self.universal_plus(hub)
        self.joint_work(hub)
        self.youth(hub)
        self.history(hub)

    def new_ehas(self, hub: str) -> None:
        gen = self.gen
        # Allocated on the last working day: the first contact is due soon.
        fam, mem = self.family(hub)
        kids = _children(mem)
        al = self.at(self.wd(-1), 10)
        ep = self.open(hub, fam, kids, "eha", al, source="mash")
        gen.oversight(ep, al - timedelta(hours=1), "panel_decision", PANEL)
        gen.contact(ep, al + timedelta(hours=3), "telephone", "no_answer")
        # Four working days and only attempts: the first contact is overdue.
        fam, mem = self.family(hub)
        kids = _children(mem)
        al = self.at(self.wd(-4), 11)
        self.add_member(fam, mem, "other", age_days=68 * 365, gender="female")  # grandmother
        ep = self.open(hub, fam, kids, "eha", al, source="self_referral")
        gen.contact(ep, self.at(self.wd(-3), 10, 15), "telephone", "no_answer")
        gen.contact(ep, self.at(self.wd(-2), 14), "home_visit", "cancelled")
        gen.contact(ep, self.at(self.wd(-1), 9, 45), "telephone", "no_answer")
        gen.oversight(ep, self.at(self.wd(-1), 12), "duty_consultation", DUTY)
        # Ten working days: spoken to through the duty line, but no home visit yet.
        fam, mem = self.family(hub)
        kids = _children(mem)
        al = self.at(self.wd(-10), 14)
        self.add_member(fam, mem, "sibling_adult", age_days=21 * 365 + 40)
        ep = self.open(hub, fam, kids, "eha", al, source="mash")
        gen.contact(ep, self.at(self.wd(-9), 10, 30), "duty", "completed")
        gen.contact(ep, self.at(self.wd(-7), 15), "telephone", "completed")
        gen.contact(ep, self.at(self.wd(-5), 11), "home_visit", "no_answer")
        gen.contact(ep, self.at(self.wd(-2), 10), "office_visit", "did_not_attend")
        ep["engagement_confirmed"] = self.wd(-9)
        fam["phone"] = None  # gaps in the record: no family phone, a religion not asked
        kids[0]["religion"] = None
        # EHA completed eight working days ago, no TAF yet: the initial TAF is due
        # soon; the family's consent to Early Help is not on the file.
        fam, mem = self.family(hub)
        kids = _children(mem)
        completed = self.wd(-8)
        al = self.at(completed - timedelta(days=30), 9, 30)
        ep = self.open(hub, fam, kids, "eha", al, source="mash")
        self.eha_body(ep, [k["ref"] for k in kids], al, gen.now, completed, [])
        ep["engagement_confirmed"] = None  # the consent form has not come back
        if not self.full:
            return
        # Six working days, phoned but not visited: the home visit is due soon.
        fam, mem = self.family(hub)
        kids = _children(mem)
        al = self.at(self.wd(-6), 10)
        ep = self.open(hub, fam, kids, "eha", al, source="reach")
        gen.contact(ep, self.at(self.wd(-5), 11), "telephone", "completed")
        gen.contact(ep, self.at(self.wd(-2), 16), "virtual", "completed")
        ep["engagement_confirmed"] = self.wd(-5)
        # EHA completed fourteen working days ago, the TAF not yet held: overdue.
        fam, mem = self.family(hub)
        kids = _children(mem)
        completed = self.wd(-14)
        al = self.at(completed - timedelta(days=33), 11)
        ep = self.open(hub, fam, kids, "eha", al, source="self_referral")
        self.eha_body(ep, [k["ref"] for k in kids], al, gen.now, completed, [])

    def step_downs(self, hub: str) -> None:
        # Five and a half months, no extension: the six-month limit is due soon.
        # Stepped down by the Youth Justice Service; the eldest is 18 and still open to it.
        fam, mem = self.family(hub)
        self.add_member(
            fam,
            mem,
            "child",
            age_days=18 * 365 + 120,
            school="Barnet College",
            father_recorded=True,
            post18_route="yjs_or_reach",
        )
        kids = _children(mem)  # the young person included
        self.step_down(hub, fam, kids, relativedelta(months=5, days=12), "yjs", None)
        if not self.full:
            return
        # Seven months, no extension: overdue.
        fam, mem = self.family(hub)
        self.step_down(hub, fam, _children(mem), relativedelta(months=7), "step_down_csc", None)
        # Over six months with the line manager's extension: on time.
        fam, mem = self.family(hub)
        self.step_down(hub, fam, _children(mem), relativedelta(months=6, days=20), "reach", 8)

    def step_down(
        self,
        hub: str,
        fam: Row,
        kids: list[Row],
        ago: relativedelta,
        source: str,
        extension_months: int | None,
    ) -> None:
        al = self.at(self.anchor - ago, 10)
        ep = self.open(hub, fam, kids, "step_down_eha", al, source=source)
        ep["stepdown_consultation"] = ep["referral_received"]
        ep["stepdown_meeting"] = add_working_days(ep["referral_received"], 6)
        if extension_months:
            ep["extension_approved_until"] = al.date() + relativedelta(months=extension_months)
        completed = al.date() + timedelta(days=33)
        tafs = self.reviews_from(add_working_days(completed, 7), self.anchor)
        self.eha_body(ep, [k["ref"] for k in kids], al, self.gen.now, completed, tafs)

    def universal_plus(self, hub: str) -> None:
        gen = self.gen
        # Seven weeks, no extension, seven sessions: past six weeks and over six sessions.
        fam, mem = self.family(hub)
        kids = _children(mem)
        al = self.at(self.anchor - timedelta(weeks=7, days=2), 10)
        ep = self.open(hub, fam, kids, "universal_plus", al)
        gen.sessions(ep, [k["ref"] for k in kids], al + timedelta(days=2), 7, every=5)
        gen.oversight(ep, al + timedelta(weeks=4), "team_meeting", TEAM)
        # Eleven weeks, extended to twelve: step up to an EHA now.
        fam, mem = self.family(hub)
        kids = _children(mem)
        al = self.at(self.anchor - timedelta(weeks=11), 11)
        ep = self.open(hub, fam, kids, "universal_plus", al)
        ep["extension_approved_until"] = al.date() + timedelta(weeks=12)
        gen.sessions(ep, [k["ref"] for k in kids], al + timedelta(days=3), 8)
        gen.oversight(ep, al + timedelta(weeks=5, days=3), "supervision", EXTENSION)
        # Thirteen weeks, extended to ten: past the twelve weeks.
        fam, mem = self.family(hub)
        kids = _children(mem)
        al = self.at(self.anchor - timedelta(weeks=13, days=3), 14)
        ep = self.open(hub, fam, kids, "universal_plus", al)
        ep["extension_approved_until"] = al.date() + timedelta(weeks=10)
        gen.sessions(ep, [k["ref"] for k in kids], al + timedelta(days=2), 9)
        gen.oversight(ep, al + timedelta(weeks=5), "supervision", EXTENSION)
        # Five weeks, extended to ten at the last supervision: on track.
        fam, mem = self.family(hub)
        kids = _children(mem)
        al = self.at(self.anchor - timedelta(weeks=5), 10)
        ep = self.open(hub, fam, kids, "universal_plus", al)
        ep["extension_approved_until"] = al.date() + timedelta(weeks=10)
        gen.sessions(ep, [k["ref"] for k in kids], al + timedelta(days=3), 4)
        gen.oversight(ep, al + timedelta(weeks=4), "supervision", EXTENSION)
        # Stepped up: nine weeks of Universal Plus closed a fortnight ago, EHA opened.
        fam, mem = self.family(hub)
        kids = _children(mem)
        lead = self.lead_for(hub, "eha")
        al = self.at(self.anchor - timedelta(weeks=9), 10)
        closed = self.anchor - timedelta(days=14)
        up = self.open(hub, fam, kids, "universal_plus", al, lead=lead, closed=closed)
        up["closure_reason"] = "stepped_up_eha"
        gen.sessions(up, [k["ref"] for k in kids], al + timedelta(days=2), 5)
        step_up = self.at(closed, 10)
        ep = self.open(hub, fam, kids, "eha", step_up, lead=lead, source="universal_plus_form")
        gen.oversight(ep, step_up - timedelta(hours=1), "panel_decision", PANEL)
        self.eha_body(ep, [k["ref"] for k in kids], step_up, gen.now, None, [])

    def joint_work(self, hub: str) -> None:
        gen = self.gen
        # Nine weeks, seven sessions and no extension: over the six.
        fam, mem = self.family(hub)
        kids = _children(mem)
        al = self.at(self.anchor - timedelta(weeks=9), 13)
        ep = self.open(hub, fam, kids, "joint_work", al, source="osr")
        ep["osr_request_form"] = al.date() + timedelta(days=1)
        gen.sessions(ep, [k["ref"] for k in kids], al + timedelta(days=4), 7)
        if not self.full:
            return
        # An OSR case extended in supervision: nine sessions, within the twelve.
        fam, mem = self.family(hub)
        kids = _children(mem)
        al = self.at(self.anchor - timedelta(weeks=12, days=1), 11)
        ep = self.open(hub, fam, kids, "joint_work", al, source="osr")
        ep["osr_request_form"] = al.date() + timedelta(days=2)
        ep["extension_approved_until"] = al.date() + timedelta(weeks=16)
        gen.sessions(ep, [k["ref"] for k in kids], al + timedelta(days=3), 9, every=8)
        gen.oversight(ep, al + timedelta(weeks=6), "virtual_consultation", EXTENSION)

    def youth(self, hub: str) -> None:
        """Out-of-court work and Return Home Interviews for teenagers of families open
        already (the same Lead Professional; the family counts once)."""
        gen = self.gen
        # Triage allocated 17 days ago, not assessed: the assessment is overdue.
        fam, teen, lead = self.teen_family(hub)
        al = self.at(self.anchor - timedelta(days=17), 10)
        ep = self.open(hub, fam, [teen], "out_of_court", al, lead=lead, disposal="triage")
        gen.contact(ep, al + timedelta(days=3, hours=5), "home_visit", "completed", "good", [])
        gen.contact(ep, al + timedelta(days=9, hours=2), "telephone", "completed")
        # Youth caution assessed nearly four months ago and still open: over three months.
        fam, teen, lead = self.teen_family(hub)
        al = self.at(self.anchor - relativedelta(months=3, days=25), 11)
        ep = self.open(hub, fam, [teen], "out_of_court", al, lead=lead, disposal="youth_caution")
        ep["assessment_completed"] = (al.date() + timedelta(days=6)).isoformat()
        gen.rhythm(ep, [teen["ref"]], al, gen.now, "good")
        # Youth conditional caution, attending every session: no breach.
        fam, teen, lead = self.teen_family(hub)
        al = self.at(self.anchor - timedelta(weeks=6), 15)
        ep = self.open(
            hub, fam, [teen], "out_of_court", al, lead=lead, disposal="youth_conditional_caution"
        )
        ep["assessment_completed"] = (al.date() + timedelta(days=5)).isoformat()
        gen.sessions(ep, [teen["ref"]], al + timedelta(days=1), 6)
        ep["sessions_planned"] = ep["sessions_delivered"] = None
        # Youth conditional caution, two sessions missed: consider a breach statement.
        fam, teen, lead = self.teen_family(hub)
        al = self.at(self.anchor - timedelta(weeks=8), 11)
        ep = self.open(
            hub, fam, [teen], "out_of_court", al, lead=lead, disposal="youth_conditional_caution"
        )
        ep["assessment_completed"] = (al.date() + timedelta(days=4)).isoformat()
        for week in range(7):
            outcome = "did_not_attend" if week in (3, 5) else "completed"
            at = al + timedelta(days=7 * week + 2)
            gen.contact(ep, at, "office_visit", outcome, "good", [teen["ref"]])
        # Missing episode four days ago, one attempt: the RHI is overdue.
        fam, teen, lead = self.teen_family(hub)
        al = self.at(self.anchor - timedelta(days=4), 16)
        ep = self.open(hub, fam, [teen], "rhi", al, lead=lead, source="police")
        gen.contact(ep, al + timedelta(hours=18), "telephone", "no_answer")
        # Turning Point: the police deliver it, so no three-month clock.
        fam, teen, lead = self.teen_family(hub)
        al = self.at(self.anchor - relativedelta(months=4), 10)
        ep = self.open(hub, fam, [teen], "out_of_court", al, lead=lead, disposal="turning_point")
        ep["assessment_completed"] = (al.date() + timedelta(days=5)).isoformat()
        gen.contact(ep, al + timedelta(days=2), "home_visit", "completed", "good", [teen["ref"]])
        if not self.full:
            return
        # Community resolution allocated 12 days ago: the assessment is due soon.
        fam, teen, lead = self.teen_family(hub)
        al = self.at(self.anchor - timedelta(days=12), 10)
        ep = self.open(
            hub, fam, [teen], "out_of_court", al, lead=lead, disposal="community_resolution"
        )
        gen.contact(ep, al + timedelta(days=2, hours=4), "school_visit", "completed", "good", [])
        # RHI: three attempts within 72 hours, interview after them (late), QA same day.
        fam, teen, lead = self.teen_family(hub)
        al = self.at(self.anchor - timedelta(days=20), 15)
        ep = self.open(hub, fam, [teen], "rhi", al, lead=lead, source="police")
        for hours in (5, 20, 44):
            gen.contact(ep, al + timedelta(hours=hours), "telephone", "no_answer")
        interview = al + timedelta(hours=90)
        gen.contact(ep, interview, "home_visit", "completed", "good", [teen["ref"]])
        ep["assessment_completed"] = interview.isoformat(timespec="seconds")
        qa = interview + timedelta(hours=3)
        ep["qa_completed"] = qa.isoformat(timespec="seconds")
        gen.oversight(ep, qa, "qa_sign_off", RHI_QA)

    def history(self, hub: str) -> None:
        """An EHA closed three weeks ago after its second TAF review, the Lead
        Professional role passed to the school."""
        fam, _, _ = self.teen_family(hub)
        kids = _children(self.members[fam["ref"]])
        staff = [p["ref"] for p in self.people if p["hub"] == hub and p["role"] in FRONTLINE]
        lead = self.rng.choice([p for p in staff if p != self.me])
        al = self.at(self.anchor - relativedelta(months=10), 10)
        closed = self.anchor - timedelta(days=25)
        ep = self.open(hub, fam, kids, "eha", al, lead=lead, closed=closed, source="mash")
        ep["closure_reason"] = "transferred_to_community_lp"
        completed = al.date() + timedelta(days=31)
        tafs = self.reviews_from(add_working_days(completed, 8), closed - timedelta(days=10))
        self.eha_body(ep, [k["ref"] for k in kids], al, self.at(closed, 17), completed, tafs)
        self.gen.oversight(ep, self.at(closed, 16), "qa_sign_off", QA)
        # Universal Plus closed two months ago with no closure reason recorded.
        fam, _, lead = self.teen_family(hub)
        kids = _children(self.members[fam["ref"]])
        al = self.at(self.anchor - timedelta(weeks=15), 14)
        closed = self.anchor - timedelta(weeks=9)
        ep = self.open(hub, fam, kids, "universal_plus", al, lead=lead, closed=closed)
        ep["closure_reason"] = None
        self.gen.sessions(ep, [k["ref"] for k in kids], al + timedelta(days=3), 4)


def _children(members: list[Row]) -> list[Row]:
    return [m for m in members if m["relationship"] == "child"]


def _other_name(members: list[Row], gender: object) -> str:
    """A first name from the family's own background not used in it yet."""
    surname = members[0]["last_name"]
    culture = next((c for c in CULTURES if surname in c.surnames), CULTURES[0])
    pool = culture.boys if gender == "male" else culture.girls
    taken = {m["first_name"] for m in members}
    return next((name for name in pool if name not in taken), pool[0])
