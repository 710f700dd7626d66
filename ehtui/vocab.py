"""The interchange vocabulary: every enumeration, once, with the protocol's wording.

Values are the ehtui/1 interchange strings (INTERCHANGE.md); ``label`` is the
protocol's wording for display. Nothing here imports a database or Textual.
"""

from __future__ import annotations

from enum import StrEnum


class Labelled(StrEnum):
    """A string enum whose members carry a display label."""

    label: str

    def __new__(cls, value: str, label: str = "") -> Labelled:
        obj = str.__new__(cls, value)
        obj._value_ = value
        obj.label = label or value.replace("_", " ").capitalize()
        return obj

    @classmethod
    def values(cls) -> tuple[str, ...]:
        return tuple(m.value for m in cls)


def label(enum: type[Labelled], value: str | None) -> str:
    """A value in the protocol's words (the value itself if unknown; "" for None)."""
    if value is None:
        return ""
    try:
        return enum(value).label
    except ValueError:
        return value


class Role(Labelled):
    PRACTITIONER = "practitioner", "EH practitioner"
    ADVANCED_PRACTITIONER = "advanced_practitioner", "Advanced Practitioner"
    TEAM_MANAGER = "team_manager", "Hub Team Manager"
    EHA_COORDINATOR = "eha_coordinator", "EHA Coordinator"
    DUTY_OFFICER = "duty_officer", "Duty Officer"
    SUPPORTING_FAMILIES_LEAD = "supporting_families_lead", "Supporting Families lead"
    SOCIAL_WORKER = "social_worker", "EH social worker"


class Grade(Labelled):
    H = "H", "H (parenting, 0-5 early years)"
    I = "I", "I (complex youth work)"  # noqa: E741 - the protocol's grade letter


class Hub(Labelled):
    WEST = "West", "West"
    EAST_CENTRAL = "East/Central", "East/Central"
    SOUTH = "South", "South"


class Relationship(Labelled):
    CHILD = "child", "Child"
    MOTHER = "mother", "Mother"
    FATHER = "father", "Father"
    CARER = "carer", "Carer"
    SIBLING_ADULT = "sibling_adult", "Adult sibling"
    OTHER = "other", "Other"


class EpisodeType(Labelled):
    EHA = "eha", "EHA"
    STEP_DOWN_EHA = "step_down_eha", "Step-down EHA"
    UNIVERSAL_PLUS = "universal_plus", "Universal Plus"
    JOINT_WORK = "joint_work", "Joint work (LCS 0-19)"
    OUT_OF_COURT = "out_of_court", "Out-of-court disposal"
    RHI = "rhi", "Return Home Interview"


EHA_TYPES = frozenset({EpisodeType.EHA, EpisodeType.STEP_DOWN_EHA})


class Disposal(Labelled):
    TRIAGE = "triage", "Triage"
    YOUTH_CAUTION = "youth_caution", "Youth Caution"
    YOUTH_CONDITIONAL_CAUTION = "youth_conditional_caution", "Youth Conditional Caution"
    COMMUNITY_RESOLUTION = "community_resolution", "Community Resolution"
    TURNING_POINT = "turning_point", "Turning Point"


class Source(Labelled):
    MASH = "mash", "MASH"
    STEP_DOWN_CSC = "step_down_csc", "Step-down from CSC"
    REACH = "reach", "REACH"
    YJS = "yjs", "YJS"
    UNIVERSAL_PLUS_FORM = "universal_plus_form", "Universal Plus e-form"
    SELF_REFERRAL = "self_referral", "Self-referral"
    OSR = "osr", "One Service Response"
    POLICE = "police", "Police"


class ContactMethod(Labelled):
    HOME_VISIT = "home_visit", "Home visit"
    OFFICE_VISIT = "office_visit", "Office visit"
    SCHOOL_VISIT = "school_visit", "School visit"
    DUTY = "duty", "Duty Officer"
    TELEPHONE = "telephone", "Telephone/MS Teams"
    VIRTUAL = "virtual", "Virtual contact"
    PARTNER_AGENCY = "partner_agency", "Contact with partner agencies"


class Outcome(Labelled):
    COMPLETED = "completed", "Completed"
    NO_ANSWER = "no_answer", "No answer"
    DID_NOT_ATTEND = "did_not_attend", "Did not attend"
    CANCELLED = "cancelled", "Cancelled"


class VoiceMethod(Labelled):
    DIRECT_WORK = "direct_work", "Direct work"
    OBSERVATION = "observation", "Observation"
    CONVERSATION = "conversation", "Conversation"
    THREE_HOUSES = "three_houses", "Three houses"
    QUESTIONNAIRE = "questionnaire", "Questionnaire"
    VIA_PARENT = "via_parent", "Via parent"
    VIA_PROFESSIONAL = "via_professional", "Via professional"


class TafKind(Labelled):
    INITIAL = "initial", "Initial TAF"
    REVIEW = "review", "TAF review"


class AppointmentKind(Labelled):
    """What a diary appointment is for (the issue "Intake and case administration")."""

    HOME_VISIT = "home_visit", "Home visit"
    OFFICE_VISIT = "office_visit", "Office visit"
    SCHOOL_VISIT = "school_visit", "School visit"
    TELEPHONE = "telephone", "Telephone/MS Teams"
    VIRTUAL = "virtual", "Virtual contact"
    TAF = "taf", "TAF meeting"
    SUPERVISION = "supervision", "Supervision"


class TafDecision(Labelled):
    """What a TAF meeting decides (the issue "Recording": continue, plan achieved and
    ratified, further need, step up, transfer the LP role, §6.4, §7.4)."""

    CONTINUE = "continue", "Continue the plan"
    PLAN_ACHIEVED = "plan_achieved", "Plan achieved (ratified)"
    FURTHER_NEED = "further_need", "Further need: revise the plan"
    STEP_UP = "step_up", "Step up"
    TRANSFER_LP = "transfer_lp", "Transfer LP to a community professional"


class OversightKind(Labelled):
    """The kinds of management oversight (§26.1), plus the Transfer/Allocation meeting's
    outcome (§12.10, PROTOCOL_REFERENCE.md) and a QA sign-off."""

    SUPERVISION = "supervision", "Supervision"
    GROUP_SUPERVISION = "group_supervision", "Systemic group supervision"
    TEAM_MEETING = "team_meeting", "Team meeting"
    VIRTUAL_CONSULTATION = "virtual_consultation", "Virtual consultation"
    PANEL_DECISION = "panel_decision", "Hub Panel decision"
    DESK_DISCUSSION = "desk_discussion", "Desk discussion"
    DUTY_CONSULTATION = "duty_consultation", "Duty manager consultation"
    TAF_DECISION = "taf_decision", "TAF decision"
    TRANSFER_OUTCOME = "transfer_outcome", "Transfer/Allocation outcome"
    QA_SIGN_OFF = "qa_sign_off", "QA sign-off"


SUPERVISION_KINDS = frozenset({OversightKind.SUPERVISION, OversightKind.GROUP_SUPERVISION})


class ClosureReason(Labelled):
    PLAN_COMPLETED = "plan_completed", "Plan completed"
    STEP_UP_CSC = "step_up_csc", "Stepped up to Children's Social Care"
    STEPPED_UP_EHA = "stepped_up_eha", "Stepped up to an EHA"
    DISENGAGED = "disengaged", "Family disengaged"
    MOVED_AWAY = "moved_away", "Moved away"
    TRANSFERRED_TO_COMMUNITY_LP = (
        "transferred_to_community_lp",
        "LP transferred to a community professional",
    )
    STEPPED_DOWN_UNIVERSAL = "stepped_down_universal", "Stepped down to universal services"
    NO_FURTHER_ACTION = "no_further_action", "No further action"


class CscTeam(Labelled):
    DATS = "dats", "DATs"
    I_AND_P = "i_and_p", "I&P"


class Post18Route(Labelled):
    LOOKED_AFTER = "looked_after", "Child looked after"
    POST_ADOPTION = "post_adoption", "Post adoption"
    STATUTORY = "statutory", "Open to statutory services"
    YJS_OR_REACH = "yjs_or_reach", "Open to YJS or REACH"
    EARLY_HELP = "early_help", "Currently working with Early Help"
    DISABILITY = "disability", "Child with a disability"
    CLOSED_WITHIN_3_MONTHS = (
        "closed_within_3_months",
        "Closed to Children's Services within the last 3 months",
    )
