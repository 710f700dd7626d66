"""Refs for records made in ehtui (imported records keep their source system's refs)."""

from __future__ import annotations

import uuid

PREFIXES = {
    "practitioner": "EHP-",
    "family": "EHF-",
    "member": "EHM-",
    "episode": "EHE-",
    "contact": "EHK-",
    "voice_of_child": "EHV-",
    "taf_meeting": "EHT-",
    "oversight": "EHS-",
    "appointment": "EHA-",
}


def new_ref(kind: str) -> str:
    """A new ref unique across stores and devices: 'EHK-3F9A1C2B7D'."""
    return f"{PREFIXES[kind]}{uuid.uuid4().hex[:10].upper()}"
