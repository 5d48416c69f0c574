"""reports: indexes that let the indicators read a period's rows from the index alone

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    # Reviewed by hand. Each new index starts with the column of the index it
    # replaces, so every lookup the old one served is still served.
    # - follow_up_compliance_rate finds the follow-ups whose window
    #   (due_on + window_days) closed in the period: one range on due_on per
    #   window size, the distinct sizes read by skipping along the index.
    # - attendance_rate counts statuses per session, skills_assessed a
    #   cohort's assessments in a period, and the release figures read a
    #   period's episodes (person, return day) without visiting the tables.
    with op.batch_alter_table('follow_ups', schema=None) as batch_op:
        batch_op.create_index(
            'ix_follow_ups_window_due', ['window_days', 'due_on', 'participant_id'], unique=False
        )
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.drop_index('ix_attendance_session_id')
        batch_op.create_index('ix_attendance_session_status', ['session_id', 'status'], unique=False)
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.drop_index('ix_assessments_cohort_id')
        batch_op.create_index(
            'ix_assessments_cohort_assessed', ['cohort_id', 'assessed_on'], unique=False
        )
    with op.batch_alter_table('release_episodes', schema=None) as batch_op:
        batch_op.drop_index('ix_release_episodes_released_on')
        batch_op.create_index(
            'ix_release_episodes_released',
            ['released_on', 'participant_id', 'returned_on'],
            unique=False,
        )


def downgrade():
    with op.batch_alter_table('release_episodes', schema=None) as batch_op:
        batch_op.drop_index('ix_release_episodes_released')
        batch_op.create_index('ix_release_episodes_released_on', ['released_on'], unique=False)
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.drop_index('ix_assessments_cohort_assessed')
        batch_op.create_index('ix_assessments_cohort_id', ['cohort_id'], unique=False)
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.drop_index('ix_attendance_session_status')
        batch_op.create_index('ix_attendance_session_id', ['session_id'], unique=False)
    with op.batch_alter_table('follow_ups', schema=None) as batch_op:
        batch_op.drop_index('ix_follow_ups_window_due')
