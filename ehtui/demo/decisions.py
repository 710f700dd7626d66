"""What managers and the duty desk add to the random bulk of the demo.

Management oversight beyond supervision (§26.1): Hub Panel decisions at
allocation, TAF decisions, QA sign-off at closure and of Return Home
Interviews, duty manager consultations after missed contacts, and the odd
virtual consultation or team-meeting discussion. And the Duty Officer's calls
to families waiting in a hub tray for allocation (contact method ``duty``).
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import datetime, time, timedelta

from ehtui.demo.episodes import Episodes
from ehtui.demo.showcase import (
    CONSULT,
    DUTY,
    EHA_TYPES,
    PANEL,
    QA,
    RHI_QA,
    TAF_DECISION,
    TEAM,
)


def add_decisions(gen: Episodes, rng: random.Random) -> None:
    """Oversight records beyond supervision, for episodes of the random bulk."""
    attempts: dict[str, list[datetime]] = defaultdict(list)
    for c in gen.rows.contacts:
        if c["outcome"] in ("no_answer", "did_not_attend"):
            attempts[c["episode"]].append(c["at"])
    tafs: dict[str, list[datetime]] = defaultdict(list)
    for t in gen.rows.tafs:
        tafs[t["episode"]].append(t["at"])
    for ep in list(gen.rows.episodes):
        al = ep["allocated"]
        if al is None:
            continue
        kind = ep["type"]
        end = datetime.combine(ep["closed"], time(17)) if ep["closed"] else gen.now
        if kind in EHA_TYPES and rng.random() < 0.5:
            panel = al - timedelta(hours=1)
            if panel.date() >= ep["referral_received"]:
                gen.oversight(ep, panel, "panel_decision", PANEL)
        for at in tafs.get(ep["ref"], ()):
            if rng.random() < 0.3:
                gen.oversight(ep, at + timedelta(hours=1), "taf_decision", TAF_DECISION)
        missed = attempts.get(ep["ref"], [])
        if len(missed) >= 2 and rng.random() < 0.3:
            gen.oversight(ep, missed[1] + timedelta(hours=2), "duty_consultation", DUTY)
        if kind in EHA_TYPES and rng.random() < 0.1:
            span = max(int((end - al).total_seconds() // 86400), 1)
            at = al + timedelta(days=rng.randint(0, span))
            which = rng.choice(("virtual_consultation", "team_meeting"))
            gen.oversight(ep, min(at, end), which, CONSULT if which != "team_meeting" else TEAM)
        if ep["closed"] is not None and kind in EHA_TYPES and rng.random() < 0.7:
            gen.oversight(ep, end - timedelta(hours=1), "qa_sign_off", QA)
        if kind == "rhi" and ep["qa_completed"]:
            gen.oversight(ep, datetime.fromisoformat(ep["qa_completed"]), "qa_sign_off", RHI_QA)


def add_duty_calls(gen: Episodes, rng: random.Random) -> None:
    """Most families waiting for allocation hear from the Duty Officer a day or two
    after the referral (a completed contact with method ``duty``)."""
    for ep in list(gen.rows.episodes):
        if ep["allocated"] is not None or rng.random() < 0.3:
            continue
        day = ep["referral_received"] + timedelta(days=rng.randint(1, 2))
        at = datetime.combine(day, time(rng.randint(9, 16), rng.choice((0, 30))))
        gen.contact(ep, at, "duty", "completed", "good", [])
