"""Synthetic practitioners and families (deterministic from one ``random.Random``)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from ehtui.demo.names import (
    AGENCIES,
    CULTURES,
    POSTCODES,
    PRACTITIONER_FIRST,
    PRACTITIONER_LAST,
    SCHOOLS,
    STREET_KINDS,
    STREETS,
    Culture,
)

Row = dict[str, Any]


@dataclass
class Refs:
    """Readable, unique refs per kind: P001, F00001, M000001, E000001, K0000001 ..."""

    counts: dict[str, int] = field(default_factory=dict)

    def next(self, prefix: str, width: int) -> str:
        n = self.counts.get(prefix, 0) + 1
        self.counts[prefix] = n
        return f"{prefix}{n:0{width}d}"


def phone(rng: random.Random) -> str:
    return f"07700 900{rng.randint(0, 999):03d}"


def practitioner(
    rng: random.Random, refs: Refs, hub: str, role: str, manager: str | None, **extra: Any
) -> Row:
    first = rng.choice(PRACTITIONER_FIRST)
    last = rng.choice(PRACTITIONER_LAST)
    grade = extra.pop("grade", rng.choice(("H", "I")) if role not in ("team_manager",) else None)
    return {
        "ref": refs.next("P", 3),
        "name": f"{first} {last}",
        "role": role,
        "grade": grade,
        "hub": hub,
        "fte": extra.pop("fte", 1.0),
        "manager": manager,
        "phone": f"020 8359 {rng.randint(1000, 9999)}",
        **extra,
    }


def _culture(rng: random.Random) -> Culture:
    return rng.choices(CULTURES, weights=[c.weight for c in CULTURES])[0]


def _school(rng: random.Random, age: int) -> str | None:
    if age < 2:
        return None
    if age < 4:
        return f"{rng.choice(SCHOOLS['nursery'])} Nursery"
    if age < 11:
        return f"{rng.choice(SCHOOLS['primary'])} Primary School"
    if age < 16:
        return f"{rng.choice(SCHOOLS['secondary'])} School"
    return rng.choice((f"{rng.choice(SCHOOLS['secondary'])} School Sixth Form", "Barnet College"))


def family(
    rng: random.Random, refs: Refs, hub: str, anchor: date, *, incomplete: bool = False
) -> tuple[Row, list[Row]]:
    """A family row and its members (mother, maybe father or carer, 1-4 children)."""
    culture = _culture(rng)
    surname = rng.choice(culture.surnames)
    ref = refs.next("F", 5)
    district = rng.choice(POSTCODES[hub])
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    postcode = f"{district} {rng.randint(1, 9)}{rng.choice(letters)}{rng.choice(letters)}"
    address = f"{rng.randint(1, 180)} {rng.choice(STREETS)} {rng.choice(STREET_KINDS)}, {postcode}"
    agencies = rng.sample(AGENCIES, k=rng.choice((1, 1, 2, 2, 2, 3, 3, 4)))
    fam: Row = {
        "ref": ref,
        "name": surname,
        "address": None if incomplete and rng.random() < 0.3 else address,
        "phone": None if incomplete and rng.random() < 0.5 else phone(rng),
        "email": (
            f"{surname.lower().replace(chr(39), '')}{rng.randint(1, 99)}@example.org"
            if rng.random() < 0.4
            else None
        ),
        "agencies": [] if incomplete and rng.random() < 0.3 else agencies,
        "last_csc_closure_team": None,
        "last_csc_closure_date": None,
    }
    if rng.random() < 0.08:
        fam["last_csc_closure_team"] = rng.choice(("dats", "i_and_p"))
        fam["last_csc_closure_date"] = anchor - timedelta(days=rng.randint(10, 150))
    interpreter = culture.language not in ("English",) and rng.random() < 0.35
    members: list[Row] = []

    def member(relationship: str, first: str, age: int, **extra: Any) -> Row:
        dob = anchor - timedelta(days=age * 365 + rng.randint(0, 364))
        row: Row = {
            "ref": refs.next("M", 6),
            "family": ref,
            "relationship": relationship,
            "first_name": first,
            "last_name": surname,
            "dob": dob,
            "gender": extra.pop("gender"),
            "ethnicity": culture.ethnicity,
            "religion": rng.choice(culture.religions),
            "language": culture.language,
            "interpreter_needed": interpreter,
            "school": None,
            "father_recorded": None,
            "post18_route": None,
            "phone": None,
        }
        row.update(extra)
        return row

    mother_age = rng.randint(22, 48)
    members.append(
        member("mother", rng.choice(culture.girls), mother_age, gender="female", phone=phone(rng))
    )
    if rng.random() < 0.55:
        members.append(
            member(
                "father",
                rng.choice(culture.boys),
                mother_age + rng.randint(0, 8),
                gender="male",
                phone=phone(rng) if rng.random() < 0.6 else None,
            )
        )
    elif rng.random() < 0.15:
        members.append(member("carer", rng.choice(culture.girls), mother_age + 20, gender="female"))
    n_children = rng.choices((1, 2, 3, 4), weights=(35, 35, 20, 10))[0]
    used: set[str] = set()
    for _ in range(n_children):
        gender = rng.choice(("female", "male"))
        pool = culture.girls if gender == "female" else culture.boys
        first = rng.choice([n for n in pool if n not in used] or list(pool))
        used.add(first)
        age = rng.randint(0, min(17, mother_age - 17))
        child = member("child", first, age, gender=gender)
        child["school"] = _school(rng, age)
        child["father_recorded"] = rng.random() < 0.85
        if incomplete:
            for key in ("ethnicity", "religion", "school"):
                if rng.random() < 0.35:
                    child[key] = None
            if rng.random() < 0.3:
                child["interpreter_needed"] = None
        members.append(child)
    if rng.random() < 0.03:
        first = rng.choice(culture.boys)
        young = member("child", first, 18, gender="male")
        young["post18_route"] = rng.choice(("early_help", "disability", "yjs_or_reach"))
        young["school"] = "Barnet College"
        young["father_recorded"] = True
        members.append(young)
    return fam, members
