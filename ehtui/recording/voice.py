"""Recording the voice of the child: prompts fitted to the child, and its audited save.

The prompts (issue "Recording", §6.3, §10.1) come in three bands, chosen by the
child's age and changeable for a child whose ability fits another band:

- *under 5*: observation: play, attachment, presentation;
- *5 to 11*: the three houses (worries, good things, dreams) and the wizard and
  fairy;
- *12 and over*: a conversation: what's working, what worries you, what would
  make it better, who helps;

and, for every child, §6.3's lived experience, the family's cultural make-up and
any discrimination faced. The child's own words are kept apart from the
practitioner's analysis (``words`` and ``analysis``); the prompts' answers go in
``prompts`` keyed by the prompt (INTERCHANGE.md's extension field).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine

from ehtui.models import VoiceOfChild
from ehtui.recording.facts import EpisodeFacts, checked, event_moment
from ehtui.refs import new_ref
from ehtui.unit_of_work import write
from ehtui.vocab import VoiceMethod

if TYPE_CHECKING:
    from ehtui.store import VoiceLine

MAX_TEXT = 20_000  # characters in each text field


@dataclass(frozen=True)
class Prompt:
    key: str
    words: str


@dataclass(frozen=True)
class Band:
    key: str  # its one-key choice
    value: str
    label: str
    method: VoiceMethod  # the method the band's prompts belong to
    prompts: tuple[Prompt, ...]


BANDS: tuple[Band, ...] = (
    Band(
        "u",
        "under_5",
        "Under 5: observation",
        VoiceMethod.OBSERVATION,
        (
            Prompt("play", "Play: what did the child play, how, and with whom?"),
            Prompt("attachment", "Attachment: how does the child seek and take comfort?"),
            Prompt("presentation", "Presentation: how did the child look, sound and behave?"),
        ),
    ),
    Band(
        "f",
        "5_to_11",
        "5 to 11: three houses",
        VoiceMethod.THREE_HOUSES,
        (
            Prompt("house_of_worries", "House of worries: what worries you?"),
            Prompt("house_of_good_things", "House of good things: what is good in your life?"),
            Prompt("house_of_dreams", "House of dreams: what would you wish for?"),
            Prompt("wizard_and_fairy", "Wizard and fairy: what would you change with a wand?"),
        ),
    ),
    Band(
        "t",
        "12_plus",
        "12 and over: conversation",
        VoiceMethod.CONVERSATION,
        (
            Prompt("whats_working", "What's working well for you?"),
            Prompt("what_worries_you", "What worries you?"),
            Prompt("what_would_help", "What would make it better?"),
            Prompt("who_helps", "Who helps you?"),
        ),
    ),
)
# §6.3: for every child, whatever the band.
EVERY_CHILD: tuple[Prompt, ...] = (
    Prompt("lived_experience", "The lived experience of the child"),
    Prompt("culture", "The cultural make-up of the family"),
    Prompt(
        "discrimination",
        "Any discrimination the child may have faced, and how this can be addressed",
    ),
)
ALL_PROMPTS: tuple[Prompt, ...] = tuple(p for b in BANDS for p in b.prompts) + EVERY_CHILD

METHOD_KEYS: dict[str, VoiceMethod] = {
    "o": VoiceMethod.OBSERVATION,
    "h": VoiceMethod.THREE_HOUSES,
    "c": VoiceMethod.CONVERSATION,
    "d": VoiceMethod.DIRECT_WORK,
    "q": VoiceMethod.QUESTIONNAIRE,
    "p": VoiceMethod.VIA_PARENT,
    "r": VoiceMethod.VIA_PROFESSIONAL,
}


def band(value: str | None) -> Band | None:
    return next((b for b in BANDS if b.value == value), None)


def band_for_age(age: int | None) -> Band:
    """The band a child of ``age`` starts in (12 and over when the age is unknown:
    ask the young person)."""
    if age is not None and age < 5:
        return BANDS[0]
    if age is not None and age < 12:
        return BANDS[1]
    return BANDS[2]


def prompt_field(prompt: Prompt) -> str:
    """The form field holding one prompt's answer."""
    return f"p_{prompt.key}"


def answers(values: dict[str, Any]) -> dict[str, str]:
    """Every prompt answered, by prompt key: the chosen band's, every child's, and any
    answered before the band was changed (the form keeps those on show), so that
    changing the prompts for a child's ability loses nothing written."""
    found = {p.key: str(values.get(prompt_field(p)) or "").strip() for p in ALL_PROMPTS}
    return {key: text for key, text in found.items() if text}


def check_voice(values: dict[str, Any], facts: EpisodeFacts, now: datetime) -> dict[str, str]:
    """Problems per field (``child``, ``band``, ``method``, ``at``, ``words``,
    ``analysis``, ``p_...``), in plain words; empty when the record can be saved."""
    problems: dict[str, str] = {}
    if facts.child(str(values.get("child") or "")) is None:
        problems["child"] = "Choose the child whose voice this is (1, 2, ... )."
    if band(values.get("band")) is None:
        problems["band"] = "Choose the prompts: u under 5, f 5 to 11, t 12 and over."
    if values.get("method") not in VoiceMethod.values():
        problems["method"] = "Choose how the child was heard (o observation, h three houses, ...)."
    _at, problem = event_moment(str(values.get("at") or ""), facts, now, field="at")
    if problem:
        problems["at"] = problem
    for name in ("words", "analysis", *(prompt_field(p) for p in ALL_PROMPTS)):
        if len(str(values.get(name) or "")) > MAX_TEXT:
            problems[name] = f"Keep this under {MAX_TEXT:,} characters."
    if not str(values.get("words") or "").strip() and not answers(values):
        problems["words"] = (
            "Write what the child said, showed or did, in their own words where you can."
        )
    if facts.snap.closed is not None:
        problems[""] = "This episode is closed: the voice of the child cannot be added to it."
    return problems


def save_voice(
    engine: Engine, *, user: str, episode: str, values: dict[str, Any], now: datetime
) -> str:
    """Check and write one voice-of-the-child record (one audited transaction); its ref.

    ``values``: ``child`` (a member ref in the episode), ``band``, ``method``, ``at``
    (typed, e.g. "now"), ``words`` (the child's own), ``analysis`` (the
    practitioner's), and ``p_<prompt>`` answers. Raises :class:`InputError`
    (``"field: words"``), writing nothing, when a check fails.
    """
    _facts, at = checked(engine, episode, values, now, check_voice)
    analysis = str(values.get("analysis") or "").strip()
    ref = new_ref("voice_of_child")
    with write(engine, user) as s:
        s.add(
            VoiceOfChild(
                ref=ref,
                episode=episode,
                child=str(values["child"]),
                at=at,
                method=str(values["method"]),
                words=str(values.get("words") or "").strip(),
                analysis=analysis or None,
                prompts=answers(values),
            )
        )
    return ref


def voices_due(facts: EpisodeFacts, now: datetime, table: Any = None) -> list[VoiceLine]:
    """Each child of the episode: last heard, the VOC-4W clock's next due date and state
    (overdue, due soon, running; None when the clock does not run), most due first."""
    from ehtui.rules import DEFAULT_TABLE, evaluate_episode, upcoming
    from ehtui.store import voice_lines

    rules = table or DEFAULT_TABLE
    ep = facts.snap
    lines = voice_lines(ep, evaluate_episode(ep, now, rules), upcoming(ep, now, rules))
    rank = {"overdue": 0, "due_soon": 1, "running": 2}
    far = datetime.max

    def key(line: VoiceLine) -> tuple[int, datetime]:
        due = line.due
        moment = far if due is None else due if isinstance(due, datetime) else as_moment(due)
        return (rank.get(line.state or "", 3), moment)

    return sorted(lines, key=key)


def as_moment(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time())
