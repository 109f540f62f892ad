"""The content checksum of each market data version.

`content_sha256` is a checksum over a version's canonical cut rows (not its file's bytes):
an import whose rows equal the active version's is reported unchanged, whichever file
format brought them. Versions stored before this revision get theirs on first need.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("market_versions") as batch:
        batch.add_column(sa.Column("content_sha256", sa.CHAR(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("market_versions") as batch:
        batch.drop_column("content_sha256")
