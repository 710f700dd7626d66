"""Deterministic synthetic data for a whole service (small or borough size)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from ehtui.calendar import iso_week
from ehtui.demo.decisions import add_decisions, add_duty_calls
from ehtui.demo.episodes import PROFILES, Episodes
from ehtui.demo.people import Refs, Row, family, practitioner
from ehtui.demo.showcase import Showcase
from ehtui.progress import Progress

OPEN_TYPES = ("eha", "step_down_eha", "universal_plus", "joint_work", "out_of_court", "rhi")
OPEN_WEIGHTS = (50, 8, 15, 12, 9, 6)
# Days since allocation for open work, by type: (low, high) ranges with weights.
AGE_BANDS = {
    "eha": (((1, 12), 15), ((12, 60), 25), ((60, 200), 35), ((200, 400), 25)),
    "step_down_eha": (((2, 30), 30), ((30, 150), 50), ((150, 230), 20)),
    "universal_plus": (((1, 30), 45), ((30, 60), 40), ((60, 95), 15)),
    "joint_work": (((1, 40), 50), ((40, 120), 50)),
    "out_of_court": (((1, 14), 40), ((14, 110), 60)),
    "rhi": (((0, 2), 60), ((2, 6), 40)),
}
CLOSED_DAYS = {
    "eha": (150, 400),
    "step_down_eha": (120, 220),
    "universal_plus": (28, 84),
    "joint_work": (30, 120),
    "out_of_court": (40, 100),
    "rhi": (3, 14),
}


@dataclass(frozen=True)
class Size:
    hubs: tuple[str, ...]
    frontline_per_hub: int
    families: int
    closed: int
    years: int
    unallocated_per_hub: int
    second_episode: float  # chance a family held by a worker has another piece of work open
    third_episode: float
    showcase_all: bool  # every hand-placed case (else the core set)
    contact_density: float = 1.0  # below 1: contacts closer than the phased guide's gaps


SIZES = {
    "small": Size(("West",), 5, 60, 25, 1, 3, 0.0, 0.0, False),
    "borough": Size(("West", "East/Central", "South"), 16, 1200, 6000, 5, 20, 0.9, 0.6, True, 0.7),
}


@dataclass
class Generated:
    practitioners: list[Row]
    families: list[Row]
    members: list[Row]
    episodes: Episodes
    rota: list[Row]
    me: str


def generate_rows(
    size_name: str,
    seed: int,
    anchor: date,
    *,
    clock: datetime | None = None,
    progress: bool = False,
) -> Generated:
    """Every row of the demo, in generation order. ``clock`` (the machine's time, when the
    anchor is today) stops anything being recorded later than it."""
    size = SIZES[size_name]
    rng = random.Random(seed)
    refs = Refs()
    gen = Episodes(rng, refs, anchor, clock=clock, density=size.contact_density)
    people: list[Row] = []
    frontline: dict[str, list[Row]] = {}
    for hub in size.hubs:
        tm = practitioner(rng, refs, hub, "team_manager", None, grade=None)
        people.append(tm)
        ap1 = practitioner(rng, refs, hub, "advanced_practitioner", tm["ref"])
        people.append(ap1)
        aps = [ap1]
        if size_name == "borough":
            ap2 = practitioner(rng, refs, hub, "advanced_practitioner", tm["ref"])
            people.append(ap2)
            aps.append(ap2)
        staff = []
        for i in range(size.frontline_per_hub):
            role = "social_worker" if i % 6 == 5 or i == 2 else "practitioner"
            if hub in ("West", "South") and i == size.frontline_per_hub - 1:
                role = "supporting_families_lead"
            manager = (
                aps[0]["ref"]
                if i < 2
                else (aps[-1]["ref"] if i == 2 and len(aps) > 1 else tm["ref"])
            )
            if len(aps) == 1 and i >= 1:
                manager = tm["ref"]  # the small hub's AP supervises only one: AP-SUPERVISES-2
            fte = 0.5 if i == 3 else 0.8 if i == 4 else 0.6 if i == 8 else 1.0
            grade = None if i == 6 else rng.choice(("H", "I"))
            staff.append(practitioner(rng, refs, hub, role, manager, fte=fte, grade=grade))
        people.extend(staff)
        frontline[hub] = staff
        if hub == "West" and size_name == "borough":
            people.append(practitioner(rng, refs, hub, "eha_coordinator", tm["ref"]))
            people.append(practitioner(rng, refs, hub, "duty_officer", tm["ref"], grade=None))
        if hub == "South" and size_name == "borough":
            people.append(practitioner(rng, refs, hub, "duty_officer", tm["ref"], grade=None))
        for ap in aps:
            ap["_target"] = 11 if ap is aps[0] and size_name == "borough" else 6
    gen.managers = {p["ref"]: p["manager"] for p in people}
    me = frontline["West"][0]
    for staff in frontline.values():
        for i, p in enumerate(staff):
            if p["role"] == "supporting_families_lead":
                p["_target"] = 5 if p["hub"] == "West" else 3  # over the cap of 4, and within
            elif p["fte"] == 0.5:
                p["_target"] = 8
            elif p["fte"] == 0.6:
                p["_target"] = 7  # part-time, within 15 x 0.6
            elif i == 1:
                p["_target"] = 17  # over the cap of 15
            elif p is me:
                p["_target"] = 13
            else:
                p["_target"] = rng.randint(10, 14) if size_name == "borough" else rng.randint(9, 12)
    families: list[Row] = []
    members: list[Row] = []
    pool: list[tuple[Row, list[Row]]] = []

    def new_family(hub: str) -> tuple[Row, list[Row]]:
        fam, mem = family(rng, refs, hub, anchor, incomplete=rng.random() < 0.1)
        families.append(fam)
        members.extend(mem)
        pool.append((fam, mem))
        return fam, mem

    def children_for(kind: str, mem: list[Row]) -> list[Row]:
        kids = [m for m in mem if m["relationship"] == "child"]
        if kind in ("out_of_court", "rhi"):
            teens = [k for k in kids if (anchor - k["dob"]).days > 10 * 365]
            return [(teens or kids)[-1]]
        return kids

    def open_episode(
        fam: Row, mem: list[Row], lead: Row, kind: str, days: int, profile: str | None = None
    ) -> Row:
        allocated = datetime.combine(anchor - timedelta(days=days), time(rng.randint(9, 15), 30))
        return gen.episode(
            fam,
            children_for(kind, mem),
            kind,
            lead["ref"],
            lead["hub"],
            allocated,
            None,
            profile or rng.choice(PROFILES),
        )

    with Progress("Making the demo", len(people) + size.closed, enabled=progress) as bar:
        for p in people:
            bar.advance()
            target = p.pop("_target", 0)
            for n in range(target):
                fam, mem = new_family(p["hub"])
                if p["role"] == "supporting_families_lead":
                    kind = "eha"
                else:
                    kind = rng.choices(OPEN_TYPES, weights=OPEN_WEIGHTS)[0]
                bands = AGE_BANDS[kind]
                (low, high) = rng.choices([b for b, _ in bands], weights=[w for _, w in bands])[0]
                days = rng.randint(low, high)
                profile = None
                if p is me and n == 0:  # a new allocation, contacted on time
                    kind, days, profile = "eha", 2, "good"
                elif p is me and n == 1:  # work stopping short: clocks overdue
                    kind, days, profile = "eha", 16, "behind"
                open_episode(fam, mem, p, kind, days, profile)
                if rng.random() < size.second_episode and kind != "rhi" and p is not me:
                    # Another open piece of work for the same family (counted once); "me"
                    # keeps one piece of work a family, so the tray reads as one caseload.
                    for _ in range(2 if rng.random() < size.third_episode else 1):
                        extra = rng.choice(("out_of_court", "joint_work", "universal_plus", "rhi"))
                        bands = AGE_BANDS[extra]
                        weights = [w for _, w in bands]
                        (low, high) = rng.choices([b for b, _ in bands], weights=weights)[0]
                        open_episode(fam, mem, p, extra, rng.randint(low, high))
        for hub in size.hubs:
            for _ in range(size.unallocated_per_hub):
                fam, mem = new_family(hub)
                kind = rng.choice(("eha", "eha", "universal_plus", "joint_work"))
                gen.episode(fam, children_for(kind, mem), kind, None, hub, None, None, "good")
        while len(families) < size.families:
            new_family(rng.choice(size.hubs))
        # Closed history: spread over every family and the years.
        all_staff = [p for staff in frontline.values() for p in staff]
        by_hub = {hub: [p for p in all_staff if p["hub"] == hub] for hub in size.hubs}
        for _ in range(size.closed):
            bar.advance()
            fam, mem = rng.choice(pool)
            hub = _hub(fam, size.hubs)
            lead = rng.choice(by_hub[hub])
            kind = rng.choices(OPEN_TYPES, weights=OPEN_WEIGHTS)[0]
            low, high = CLOSED_DAYS[kind]
            length = rng.randint(low, high)
            latest = anchor - timedelta(days=length + 7)
            earliest = anchor - timedelta(days=365 * size.years)
            if latest <= earliest:
                continue
            start = earliest + timedelta(days=rng.randint(0, (latest - earliest).days))
            allocated = datetime.combine(start, time(rng.randint(9, 15), 0))
            closed = start + timedelta(days=length)
            gen.episode(
                fam,
                children_for(kind, mem),
                kind,
                lead["ref"],
                hub,
                allocated,
                closed,
                rng.choice(PROFILES),
            )
    # One worker per hub keeps a caseload under the advice threshold (an on-time case).
    keep_low = frozenset(staff[2]["ref"] for staff in frontline.values())
    west = [p for p in frontline["West"] if p["ref"] not in keep_low]
    busy = _osr_busy_week(gen, rng, anchor, west, pool)
    rota = _rota(rng, anchor, size.hubs, frontline, people)
    add_decisions(gen, rng)
    add_duty_calls(gen, rng)
    by_family: dict[str, list[Row]] = {}
    for m in members:
        by_family.setdefault(m["family"], []).append(m)
    show = Showcase(
        gen,
        rng,
        anchor,
        people,
        me["ref"],
        keep_low,
        new_family=new_family,
        members=by_family,
        member_rows=members,
        full=size.showcase_all,
    )
    for hub in size.hubs:
        show.place(hub)
    _osr_within_quota(gen.rows.episodes, busy)
    return Generated(people, families, members, gen, rota, me["ref"])


def _hub(fam: Row, hubs: tuple[str, ...]) -> str:
    address = fam.get("address") or ""
    from ehtui.demo.names import POSTCODES

    for hub in hubs:
        if any(f", {d} " in address for d in POSTCODES[hub]):
            return hub
    return hubs[0]


def _osr_busy_week(
    gen: Episodes,
    rng: random.Random,
    anchor: date,
    staff: list[Row],
    pool: list[tuple[Row, list[Row]]],
) -> set[str]:
    """Four OSR cases accepted by West in one week: OSR-3-PER-WEEK over its limit.
    Returns their refs."""
    refs = set()
    monday = anchor - timedelta(days=anchor.weekday() + 21)
    west = [(f, m) for f, m in pool if _hub(f, ("West",)) == "West"][:4]
    for i, (fam, mem) in enumerate(west):
        lead = staff[i % len(staff)]
        allocated = datetime.combine(monday + timedelta(days=i), time(11, 0))
        kids = [m for m in mem if m["relationship"] == "child"]
        closed = monday + timedelta(days=i + 12) if i % 2 else None
        ep = gen.episode(fam, kids, "joint_work", lead["ref"], "West", allocated, closed, "good")
        ep["source"] = "osr"
        ep["osr_request_form"] = allocated.date() + timedelta(days=2)
        if closed is not None:
            ep["closure_reason"] = "plan_completed"
        refs.add(ep["ref"])
    return refs


def _osr_within_quota(episodes: list[Row], busy: set[str]) -> None:
    """A hub accepts at most 3 OSR cases a week (OSR §2.4): random joint work beyond
    that came through the MASH instead, and the busy week holds only its own four."""
    weeks: dict[tuple[str, str], int] = {}
    for ep in episodes:
        if ep["ref"] in busy:
            key = (ep["hub"], iso_week(ep["allocated"].date()))
            weeks[key] = weeks.get(key, 0) + 1
    full = set(weeks)
    for ep in episodes:
        if ep["source"] != "osr" or ep["ref"] in busy or ep["allocated"] is None:
            continue
        key = (ep["hub"], iso_week(ep["allocated"].date()))
        if key in full or weeks.get(key, 0) >= 3:
            ep["source"] = "mash"
            ep["osr_request_form"] = None
        else:
            weeks[key] = weeks.get(key, 0) + 1


def _rota(
    rng: random.Random,
    anchor: date,
    hubs: tuple[str, ...],
    frontline: dict[str, list[Row]],
    people: list[Row],
) -> list[Row]:
    """One lead responder per hub per ISO week: past year and 8 weeks ahead."""
    rows = []
    start = anchor - timedelta(weeks=52)
    for week in range(61):
        day = start + timedelta(weeks=week)
        for hub in hubs:
            graded = [p for p in frontline[hub] if p["grade"] in ("H", "I")]
            responder = rng.choice(graded)
            if hub == hubs[0] and week == 55:
                # A manager standing in for a week: not H or I grade (OSR-RESPONDER-GRADE).
                responder = next(p for p in people if p["hub"] == hub and p["grade"] is None)
            rows.append({"hub": hub, "week": iso_week(day), "practitioner": responder["ref"]})
    return rows
