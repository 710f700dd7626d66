"""TAF meeting: the family's RADAR feedback as free text

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("taf_meeting", schema=None) as batch_op:
        batch_op.add_column(sa.Column("radar_feedback", sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("taf_meeting", schema=None) as batch_op:
        batch_op.drop_column("radar_feedback")
