"""workshops and certification

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    # Reviewed by hand: naive UTC DateTime columns (see core.models.UTCDateTime);
    # the partial unique index keeps one active enrolment per person and cohort.
    op.create_table('trades',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trades')),
    sa.UniqueConstraint('name', name=op.f('uq_trades_name'))
    )
    op.create_table('qualifications',
    sa.Column('trade_id', sa.String(length=36), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('level', sa.String(length=32), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['trade_id'], ['trades.id'], name=op.f('fk_qualifications_trade_id_trades')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_qualifications'))
    )
    with op.batch_alter_table('qualifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_qualifications_trade_id'), ['trade_id'], unique=False)

    op.create_table('skills',
    sa.Column('trade_id', sa.String(length=36), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['trade_id'], ['trades.id'], name=op.f('fk_skills_trade_id_trades')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_skills')),
    sa.UniqueConstraint('trade_id', 'code', name=op.f('uq_skills_trade_id'))
    )
    with op.batch_alter_table('skills', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_skills_trade_id'), ['trade_id'], unique=False)

    op.create_table('certificates',
    sa.Column('participant_id', sa.String(length=36), nullable=False),
    sa.Column('qualification_id', sa.String(length=36), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('issued_by_id', sa.String(length=36), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('revoked_reason', sa.Text(), nullable=True),
    sa.Column('revoked_on', sa.Date(), nullable=True),
    sa.Column('revoked_by_id', sa.String(length=36), nullable=True),
    sa.Column('holder_name', sa.String(length=620), nullable=False),
    sa.Column('issuer_facility_id', sa.String(length=36), nullable=False),
    sa.Column('assessment_ids', sa.JSON(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['issued_by_id'], ['users.id'], name=op.f('fk_certificates_issued_by_id_users')),
    sa.ForeignKeyConstraint(['issuer_facility_id'], ['facilities.id'], name=op.f('fk_certificates_issuer_facility_id_facilities')),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_certificates_participant_id_participants')),
    sa.ForeignKeyConstraint(['qualification_id'], ['qualifications.id'], name=op.f('fk_certificates_qualification_id_qualifications')),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['users.id'], name=op.f('fk_certificates_revoked_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificates')),
    sa.UniqueConstraint('code', name=op.f('uq_certificates_code'))
    )
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certificates_participant_id'), ['participant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificates_qualification_id'), ['qualification_id'], unique=False)

    op.create_table('cohorts',
    sa.Column('trade_id', sa.String(length=36), nullable=False),
    sa.Column('facility_id', sa.String(length=36), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('qualification_id', sa.String(length=36), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['facility_id'], ['facilities.id'], name=op.f('fk_cohorts_facility_id_facilities')),
    sa.ForeignKeyConstraint(['qualification_id'], ['qualifications.id'], name=op.f('fk_cohorts_qualification_id_qualifications')),
    sa.ForeignKeyConstraint(['trade_id'], ['trades.id'], name=op.f('fk_cohorts_trade_id_trades')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cohorts'))
    )
    with op.batch_alter_table('cohorts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cohorts_facility_id'), ['facility_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cohorts_trade_id'), ['trade_id'], unique=False)

    op.create_table('qualification_skills',
    sa.Column('qualification_id', sa.String(length=36), nullable=False),
    sa.Column('skill_id', sa.String(length=36), nullable=False),
    sa.ForeignKeyConstraint(['qualification_id'], ['qualifications.id'], name=op.f('fk_qualification_skills_qualification_id_qualifications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['skill_id'], ['skills.id'], name=op.f('fk_qualification_skills_skill_id_skills')),
    sa.PrimaryKeyConstraint('qualification_id', 'skill_id', name=op.f('pk_qualification_skills'))
    )
    op.create_table('assessments',
    sa.Column('participant_id', sa.String(length=36), nullable=False),
    sa.Column('skill_id', sa.String(length=36), nullable=False),
    sa.Column('cohort_id', sa.String(length=36), nullable=False),
    sa.Column('result', sa.String(length=32), nullable=False),
    sa.Column('assessed_on', sa.Date(), nullable=False),
    sa.Column('assessor_id', sa.String(length=36), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['assessor_id'], ['users.id'], name=op.f('fk_assessments_assessor_id_users')),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_assessments_cohort_id_cohorts')),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_assessments_participant_id_participants')),
    sa.ForeignKeyConstraint(['skill_id'], ['skills.id'], name=op.f('fk_assessments_skill_id_skills')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessments'))
    )
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessments_assessor_id'), ['assessor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assessments_cohort_id'), ['cohort_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assessments_participant_id'), ['participant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assessments_skill_id'), ['skill_id'], unique=False)

    op.create_table('cohort_instructors',
    sa.Column('cohort_id', sa.String(length=36), nullable=False),
    sa.Column('user_id', sa.String(length=36), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_cohort_instructors_cohort_id_cohorts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_cohort_instructors_user_id_users')),
    sa.PrimaryKeyConstraint('cohort_id', 'user_id', name=op.f('pk_cohort_instructors'))
    )
    with op.batch_alter_table('cohort_instructors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cohort_instructors_user_id'), ['user_id'], unique=False)

    op.create_table('enrolments',
    sa.Column('cohort_id', sa.String(length=36), nullable=False),
    sa.Column('participant_id', sa.String(length=36), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('status_reason', sa.String(length=32), nullable=True),
    sa.Column('waitlisted_at', sa.DateTime(), nullable=True),
    sa.Column('enrolled_on', sa.Date(), nullable=True),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_enrolments_cohort_id_cohorts')),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_enrolments_participant_id_participants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enrolments'))
    )
    with op.batch_alter_table('enrolments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enrolments_cohort_id'), ['cohort_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_enrolments_participant_id'), ['participant_id'], unique=False)
        batch_op.create_index('uq_enrolments_active', ['cohort_id', 'participant_id'], unique=True, sqlite_where=sa.text("status IN ('waitlisted', 'enrolled')"), postgresql_where=sa.text("status IN ('waitlisted', 'enrolled')"))

    op.create_table('workshop_sessions',
    sa.Column('cohort_id', sa.String(length=36), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('topic', sa.String(length=200), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_workshop_sessions_cohort_id_cohorts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workshop_sessions'))
    )
    with op.batch_alter_table('workshop_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_workshop_sessions_cohort_id'), ['cohort_id'], unique=False)

    op.create_table('attendance',
    sa.Column('session_id', sa.String(length=36), nullable=False),
    sa.Column('participant_id', sa.String(length=36), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.Column('recorded_by_id', sa.String(length=36), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_attendance_participant_id_participants')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_attendance_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['session_id'], ['workshop_sessions.id'], name=op.f('fk_attendance_session_id_workshop_sessions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendance')),
    sa.UniqueConstraint('session_id', 'participant_id', name=op.f('uq_attendance_session_id'))
    )
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attendance_participant_id'), ['participant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attendance_session_id'), ['session_id'], unique=False)

    op.create_table('attendance_history',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('attendance_id', sa.String(length=36), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.Column('recorded_by_id', sa.String(length=36), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('replaced_at', sa.DateTime(), nullable=False),
    sa.Column('replaced_by_id', sa.String(length=36), nullable=False),
    sa.ForeignKeyConstraint(['attendance_id'], ['attendance.id'], name=op.f('fk_attendance_history_attendance_id_attendance')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_attendance_history_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['replaced_by_id'], ['users.id'], name=op.f('fk_attendance_history_replaced_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendance_history'))
    )
    with op.batch_alter_table('attendance_history', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attendance_history_attendance_id'), ['attendance_id'], unique=False)



def downgrade():
    with op.batch_alter_table('attendance_history', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attendance_history_attendance_id'))

    op.drop_table('attendance_history')
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attendance_session_id'))
        batch_op.drop_index(batch_op.f('ix_attendance_participant_id'))

    op.drop_table('attendance')
    with op.batch_alter_table('workshop_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_workshop_sessions_cohort_id'))

    op.drop_table('workshop_sessions')
    with op.batch_alter_table('enrolments', schema=None) as batch_op:
        batch_op.drop_index('uq_enrolments_active', sqlite_where=sa.text("status IN ('waitlisted', 'enrolled')"), postgresql_where=sa.text("status IN ('waitlisted', 'enrolled')"))
        batch_op.drop_index(batch_op.f('ix_enrolments_participant_id'))
        batch_op.drop_index(batch_op.f('ix_enrolments_cohort_id'))

    op.drop_table('enrolments')
    with op.batch_alter_table('cohort_instructors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cohort_instructors_user_id'))

    op.drop_table('cohort_instructors')
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessments_skill_id'))
        batch_op.drop_index(batch_op.f('ix_assessments_participant_id'))
        batch_op.drop_index(batch_op.f('ix_assessments_cohort_id'))
        batch_op.drop_index(batch_op.f('ix_assessments_assessor_id'))

    op.drop_table('assessments')
    op.drop_table('qualification_skills')
    with op.batch_alter_table('cohorts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cohorts_trade_id'))
        batch_op.drop_index(batch_op.f('ix_cohorts_facility_id'))

    op.drop_table('cohorts')
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_certificates_qualification_id'))
        batch_op.drop_index(batch_op.f('ix_certificates_participant_id'))

    op.drop_table('certificates')
    with op.batch_alter_table('skills', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_skills_trade_id'))

    op.drop_table('skills')
    with op.batch_alter_table('qualifications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_qualifications_trade_id'))

    op.drop_table('qualifications')
    op.drop_table('trades')
