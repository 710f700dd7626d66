"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-22 11:35:45.399578
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("user", sa.String(), nullable=True),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("table", sa.String(), nullable=False),
        sa.Column("record", sa.String(), nullable=True),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("reason", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("audit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_record"), ["record"], unique=False)

    op.create_table(
        "family",
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("deleted_reason", sa.String(), nullable=True),
        sa.Column("ref", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("address", sa.String(), nullable=True),
        sa.Column("phone", sa.String(), nullable=True),
        sa.Column("email", sa.String(), nullable=True),
        sa.Column("agencies", sa.JSON(), nullable=False),
        sa.Column("last_csc_closure_team", sa.String(), nullable=True),
        sa.Column("last_csc_closure_date", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("ref"),
    )
    with op.batch_alter_table("family", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_family_seq"), ["seq"], unique=False)

    op.create_table(
        "form_draft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("form", sa.String(), nullable=False),
        sa.Column("target", sa.String(), nullable=False),
        sa.Column("user", sa.String(), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("form", "target", "user"),
    )
    op.create_table(
        "meta",
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("value", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "practitioner",
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("deleted_reason", sa.String(), nullable=True),
        sa.Column("ref", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("grade", sa.String(), nullable=True),
        sa.Column("hub", sa.String(), nullable=False),
        sa.Column("fte", sa.Float(), nullable=False),
        sa.Column("manager", sa.String(), nullable=True),
        sa.Column("phone", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(
            ["manager"],
            ["practitioner.ref"],
        ),
        sa.PrimaryKeyConstraint("ref"),
    )
    with op.batch_alter_table("practitioner", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_practitioner_seq"), ["seq"], unique=False)

    op.create_table(
        "episode",
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("deleted_reason", sa.String(), nullable=True),
        sa.Column("ref", sa.String(), nullable=False),
        sa.Column("family", sa.String(), nullable=False),
        sa.Column("type", sa.String(), nullable=False),
        sa.Column("disposal", sa.String(), nullable=True),
        sa.Column("hub", sa.String(), nullable=False),
        sa.Column("lead", sa.String(), nullable=True),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("referral_received", sa.Date(), nullable=False),
        sa.Column("allocated", sa.DateTime(), nullable=True),
        sa.Column("engagement_confirmed", sa.Date(), nullable=True),
        sa.Column("eha_completed", sa.Date(), nullable=True),
        sa.Column("assessment_completed", sa.String(), nullable=True),
        sa.Column("stepdown_consultation", sa.Date(), nullable=True),
        sa.Column("stepdown_meeting", sa.Date(), nullable=True),
        sa.Column("extension_approved_until", sa.Date(), nullable=True),
        sa.Column("sessions_planned", sa.Integer(), nullable=True),
        sa.Column("sessions_delivered", sa.Integer(), nullable=True),
        sa.Column("doc_case_summary", sa.Boolean(), nullable=False),
        sa.Column("doc_chronology", sa.Boolean(), nullable=False),
        sa.Column("doc_genogram", sa.Boolean(), nullable=False),
        sa.Column("qa_completed", sa.String(), nullable=True),
        sa.Column("closed", sa.Date(), nullable=True),
        sa.Column("closure_reason", sa.String(), nullable=True),
        sa.Column("agreed_contacts_per_4_weeks", sa.Integer(), nullable=True),
        sa.Column("osr_request_form", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["family"],
            ["family.ref"],
        ),
        sa.ForeignKeyConstraint(
            ["lead"],
            ["practitioner.ref"],
        ),
        sa.PrimaryKeyConstraint("ref"),
    )
    with op.batch_alter_table("episode", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_episode_family"), ["family"], unique=False)
        batch_op.create_index(batch_op.f("ix_episode_hub"), ["hub"], unique=False)
        batch_op.create_index(batch_op.f("ix_episode_lead"), ["lead"], unique=False)
        batch_op.create_index("ix_episode_open_lead", ["closed", "lead"], unique=False)
        batch_op.create_index(batch_op.f("ix_episode_seq"), ["seq"], unique=False)
        batch_op.create_index(batch_op.f("ix_episode_type"), ["type"], unique=False)

    op.create_table(
        "member",
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("deleted_reason", sa.String(), nullable=True),
        sa.Column("ref", sa.String(), nullable=False),
        sa.Column("family", sa.String(), nullable=False),
        sa.Column("relationship", sa.String(), nullable=False),
        sa.Column("first_name", sa.String(), nullable=False),
        sa.Column("last_name", sa.String(), nullable=False),
        sa.Column("dob", sa.Date(), nullable=True),
        sa.Column("gender", sa.String(), nullable=True),
        sa.Column("ethnicity", sa.String(), nullable=True),
        sa.Column("religion", sa.String(), nullable=True),
        sa.Column("language", sa.String(), nullable=True),
        sa.Column("interpreter_needed", sa.Boolean(), nullable=True),
        sa.Column("school", sa.String(), nullable=True),
        sa.Column("father_recorded", sa.Boolean(), nullable=True),
        sa.Column("post18_route", sa.String(), nullable=True),
        sa.Column("phone", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(
            ["family"],
            ["family.ref"],
        ),
        sa.PrimaryKeyConstraint("ref"),
    )
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_member_family"), ["family"], unique=False)
        batch_op.create_index(batch_op.f("ix_member_seq"), ["seq"], unique=False)

    op.create_table(
        "osr_rota",
        sa.Column("hub", sa.String(), nullable=False),
        sa.Column("week", sa.String(), nullable=False),
        sa.Column("practitioner", sa.String(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["practitioner"],
            ["practitioner.ref"],
        ),
        sa.PrimaryKeyConstraint("hub", "week"),
    )
    with op.batch_alter_table("osr_rota", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_osr_rota_practitioner"), ["practitioner"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_osr_rota_seq"), ["seq"], unique=False)

    op.create_table(
        "appointment",
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("deleted_reason", sa.String(), nullable=True),
        sa.Column("ref", sa.String(), nullable=False),
        sa.Column("episode", sa.String(), nullable=True),
        sa.Column("practitioner", sa.String(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("note", sa.String(), nullable=True),
        sa.Column("outcome", sa.String(), nullable=True),
        sa.Column("contact", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(
            ["episode"],
            ["episode.ref"],
        ),
        sa.ForeignKeyConstraint(
            ["practitioner"],
            ["practitioner.ref"],
        ),
        sa.PrimaryKeyConstraint("ref"),
    )
    with op.batch_alter_table("appointment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_appointment_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_appointment_episode"), ["episode"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_appointment_practitioner"), ["practitioner"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_appointment_seq"), ["seq"], unique=False)

    op.create_table(
        "contact",
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("deleted_reason", sa.String(), nullable=True),
        sa.Column("ref", sa.String(), nullable=False),
        sa.Column("episode", sa.String(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=True),
        sa.Column("method", sa.String(), nullable=False),
        sa.Column("outcome", sa.String(), nullable=False),
        sa.Column("children_seen", sa.JSON(), nullable=False),
        sa.Column("children_seen_alone", sa.JSON(), nullable=False),
        sa.Column("note", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["episode"],
            ["episode.ref"],
        ),
        sa.PrimaryKeyConstraint("ref"),
    )
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contact_episode"), ["episode"], unique=False)
        batch_op.create_index(batch_op.f("ix_contact_seq"), ["seq"], unique=False)

    op.create_table(
        "episode_child",
        sa.Column("episode", sa.String(), nullable=False),
        sa.Column("child", sa.String(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["child"],
            ["member.ref"],
        ),
        sa.ForeignKeyConstraint(
            ["episode"],
            ["episode.ref"],
        ),
        sa.PrimaryKeyConstraint("episode", "child"),
    )
    with op.batch_alter_table("episode_child", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_episode_child_child"), ["child"], unique=False)

    op.create_table(
        "oversight",
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("deleted_reason", sa.String(), nullable=True),
        sa.Column("ref", sa.String(), nullable=False),
        sa.Column("episode", sa.String(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("by", sa.String(), nullable=True),
        sa.Column("decision", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["by"],
            ["practitioner.ref"],
        ),
        sa.ForeignKeyConstraint(
            ["episode"],
            ["episode.ref"],
        ),
        sa.PrimaryKeyConstraint("ref"),
    )
    with op.batch_alter_table("oversight", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_oversight_episode"), ["episode"], unique=False)
        batch_op.create_index(batch_op.f("ix_oversight_seq"), ["seq"], unique=False)

    op.create_table(
        "taf_meeting",
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("deleted_reason", sa.String(), nullable=True),
        sa.Column("ref", sa.String(), nullable=False),
        sa.Column("episode", sa.String(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("agencies", sa.JSON(), nullable=False),
        sa.Column("radar_completed", sa.Boolean(), nullable=False),
        sa.Column("plan_ratified_complete", sa.Boolean(), nullable=False),
        sa.Column("note", sa.String(), nullable=True),
        sa.Column("decision", sa.String(), nullable=True),
        sa.Column("agreed_contacts_per_4_weeks", sa.Integer(), nullable=True),
        sa.Column("actions", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["episode"],
            ["episode.ref"],
        ),
        sa.PrimaryKeyConstraint("ref"),
    )
    with op.batch_alter_table("taf_meeting", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_taf_meeting_episode"), ["episode"], unique=False)
        batch_op.create_index(batch_op.f("ix_taf_meeting_seq"), ["seq"], unique=False)

    op.create_table(
        "voice_of_child",
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("deleted_reason", sa.String(), nullable=True),
        sa.Column("ref", sa.String(), nullable=False),
        sa.Column("episode", sa.String(), nullable=False),
        sa.Column("child", sa.String(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("method", sa.String(), nullable=False),
        sa.Column("words", sa.String(), nullable=False),
        sa.Column("analysis", sa.String(), nullable=True),
        sa.Column("prompts", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["child"],
            ["member.ref"],
        ),
        sa.ForeignKeyConstraint(
            ["episode"],
            ["episode.ref"],
        ),
        sa.PrimaryKeyConstraint("ref"),
    )
    with op.batch_alter_table("voice_of_child", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_voice_of_child_child"), ["child"], unique=False)
        batch_op.create_index(batch_op.f("ix_voice_of_child_episode"), ["episode"], unique=False)
        batch_op.create_index(batch_op.f("ix_voice_of_child_seq"), ["seq"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("voice_of_child", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_voice_of_child_seq"))
        batch_op.drop_index(batch_op.f("ix_voice_of_child_episode"))
        batch_op.drop_index(batch_op.f("ix_voice_of_child_child"))

    op.drop_table("voice_of_child")
    with op.batch_alter_table("taf_meeting", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_taf_meeting_seq"))
        batch_op.drop_index(batch_op.f("ix_taf_meeting_episode"))

    op.drop_table("taf_meeting")
    with op.batch_alter_table("oversight", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_oversight_seq"))
        batch_op.drop_index(batch_op.f("ix_oversight_episode"))

    op.drop_table("oversight")
    with op.batch_alter_table("episode_child", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_episode_child_child"))

    op.drop_table("episode_child")
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contact_seq"))
        batch_op.drop_index(batch_op.f("ix_contact_episode"))

    op.drop_table("contact")
    with op.batch_alter_table("appointment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_appointment_seq"))
        batch_op.drop_index(batch_op.f("ix_appointment_practitioner"))
        batch_op.drop_index(batch_op.f("ix_appointment_episode"))
        batch_op.drop_index(batch_op.f("ix_appointment_at"))

    op.drop_table("appointment")
    with op.batch_alter_table("osr_rota", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_osr_rota_seq"))
        batch_op.drop_index(batch_op.f("ix_osr_rota_practitioner"))

    op.drop_table("osr_rota")
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_member_seq"))
        batch_op.drop_index(batch_op.f("ix_member_family"))

    op.drop_table("member")
    with op.batch_alter_table("episode", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_episode_type"))
        batch_op.drop_index(batch_op.f("ix_episode_seq"))
        batch_op.drop_index("ix_episode_open_lead")
        batch_op.drop_index(batch_op.f("ix_episode_lead"))
        batch_op.drop_index(batch_op.f("ix_episode_hub"))
        batch_op.drop_index(batch_op.f("ix_episode_family"))

    op.drop_table("episode")
    with op.batch_alter_table("practitioner", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_practitioner_seq"))

    op.drop_table("practitioner")
    op.drop_table("meta")
    op.drop_table("form_draft")
    with op.batch_alter_table("family", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_family_seq"))

    op.drop_table("family")
    with op.batch_alter_table("audit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_record"))
        batch_op.drop_index(batch_op.f("ix_audit_at"))

    op.drop_table("audit")
