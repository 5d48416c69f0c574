"""release, partners and aftercare

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    # Reviewed by hand: naive UTC DateTime columns (see core.models.UTCDateTime);
    # the partial unique index keeps one open referral per person and
    # organisation; the composite indexes serve the caseworker scope and the
    # caseload (referrals by organisation, contacts and follow-ups by person).
    op.create_table('consents',
    sa.Column('participant_id', sa.String(length=36), nullable=False),
    sa.Column('organisation_id', sa.String(length=36), nullable=False),
    sa.Column('purpose', sa.String(length=32), nullable=False),
    sa.Column('given_on', sa.Date(), nullable=False),
    sa.Column('method', sa.String(length=32), nullable=False),
    sa.Column('expires_on', sa.Date(), nullable=True),
    sa.Column('withdrawn_on', sa.Date(), nullable=True),
    sa.Column('recorded_by_id', sa.String(length=36), nullable=False),
    sa.Column('wording_locale', sa.String(length=10), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_consents_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_consents_participant_id_participants')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_consents_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consents'))
    )
    with op.batch_alter_table('consents', schema=None) as batch_op:
        batch_op.create_index('ix_consents_organisation_participant', ['organisation_id', 'participant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consents_participant_id'), ['participant_id'], unique=False)

    op.create_table('contacts',
    sa.Column('participant_id', sa.String(length=36), nullable=False),
    sa.Column('organisation_id', sa.String(length=36), nullable=False),
    sa.Column('caseworker_id', sa.String(length=36), nullable=False),
    sa.Column('occurred_at', sa.DateTime(), nullable=False),
    sa.Column('mode', sa.String(length=16), nullable=False),
    sa.Column('location', sa.String(length=200), nullable=True),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('needs', sa.JSON(), nullable=False),
    sa.Column('edited_by_id', sa.String(length=36), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['caseworker_id'], ['users.id'], name=op.f('fk_contacts_caseworker_id_users')),
    sa.ForeignKeyConstraint(['edited_by_id'], ['users.id'], name=op.f('fk_contacts_edited_by_id_users')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_contacts_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_contacts_participant_id_participants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contacts'))
    )
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contacts_caseworker_id'), ['caseworker_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contacts_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index('ix_contacts_participant_occurred', ['participant_id', 'occurred_at', 'id', 'mode'], unique=False)

    op.create_table('outcomes',
    sa.Column('participant_id', sa.String(length=36), nullable=False),
    sa.Column('organisation_id', sa.String(length=36), nullable=True),
    sa.Column('recorded_by_id', sa.String(length=36), nullable=False),
    sa.Column('observed_on', sa.Date(), nullable=False),
    sa.Column('employment', sa.String(length=32), nullable=False),
    sa.Column('uses_trained_skill', sa.Boolean(), nullable=True),
    sa.Column('housing', sa.String(length=16), nullable=False),
    sa.Column('returned_to_custody', sa.Boolean(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_outcomes_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_outcomes_participant_id_participants')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_outcomes_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outcomes'))
    )
    with op.batch_alter_table('outcomes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outcomes_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index('ix_outcomes_participant_observed', ['participant_id', 'observed_on'], unique=False)

    op.create_table('referrals',
    sa.Column('participant_id', sa.String(length=36), nullable=False),
    sa.Column('organisation_id', sa.String(length=36), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('referred_by_id', sa.String(length=36), nullable=False),
    sa.Column('assigned_caseworker_id', sa.String(length=36), nullable=True),
    sa.Column('responded_at', sa.DateTime(), nullable=True),
    sa.Column('responded_by_id', sa.String(length=36), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('closed_by_id', sa.String(length=36), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['assigned_caseworker_id'], ['users.id'], name=op.f('fk_referrals_assigned_caseworker_id_users')),
    sa.ForeignKeyConstraint(['closed_by_id'], ['users.id'], name=op.f('fk_referrals_closed_by_id_users')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_referrals_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_referrals_participant_id_participants')),
    sa.ForeignKeyConstraint(['referred_by_id'], ['users.id'], name=op.f('fk_referrals_referred_by_id_users')),
    sa.ForeignKeyConstraint(['responded_by_id'], ['users.id'], name=op.f('fk_referrals_responded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_referrals'))
    )
    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_referrals_assigned_caseworker_id'), ['assigned_caseworker_id'], unique=False)
        batch_op.create_index('ix_referrals_organisation_status', ['organisation_id', 'status', 'participant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_referrals_participant_id'), ['participant_id'], unique=False)
        batch_op.create_index('uq_referrals_open', ['participant_id', 'organisation_id'], unique=True, sqlite_where=sa.text("status IN ('pending', 'accepted')"), postgresql_where=sa.text("status IN ('pending', 'accepted')"))

    op.create_table('release_episodes',
    sa.Column('participant_id', sa.String(length=36), nullable=False),
    sa.Column('released_on', sa.Date(), nullable=False),
    sa.Column('returned_on', sa.Date(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_release_episodes_participant_id_participants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_release_episodes'))
    )
    with op.batch_alter_table('release_episodes', schema=None) as batch_op:
        batch_op.create_index('ix_release_episodes_participant_released', ['participant_id', 'released_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_release_episodes_released_on'), ['released_on'], unique=False)

    op.create_table('release_plan_items',
    sa.Column('participant_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('owner_organisation_id', sa.String(length=36), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('completed_on', sa.Date(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['owner_organisation_id'], ['organisations.id'], name=op.f('fk_release_plan_items_owner_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_release_plan_items_participant_id_participants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_release_plan_items')),
    sa.UniqueConstraint('participant_id', 'kind', name=op.f('uq_release_plan_items_participant_id'))
    )
    with op.batch_alter_table('release_plan_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_release_plan_items_due_date'), ['due_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_release_plan_items_owner_organisation_id'), ['owner_organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_release_plan_items_participant_id'), ['participant_id'], unique=False)

    op.create_table('status_changes',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('participant_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('occurred_on', sa.Date(), nullable=False),
    sa.Column('from_facility_id', sa.String(length=36), nullable=True),
    sa.Column('to_facility_id', sa.String(length=36), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('recorded_by_id', sa.String(length=36), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['from_facility_id'], ['facilities.id'], name=op.f('fk_status_changes_from_facility_id_facilities')),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_status_changes_participant_id_participants')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_status_changes_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['to_facility_id'], ['facilities.id'], name=op.f('fk_status_changes_to_facility_id_facilities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_status_changes'))
    )
    with op.batch_alter_table('status_changes', schema=None) as batch_op:
        batch_op.create_index('ix_status_changes_participant_on', ['participant_id', 'occurred_on'], unique=False)

    op.create_table('contact_versions',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('contact_id', sa.String(length=36), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('occurred_at', sa.DateTime(), nullable=False),
    sa.Column('mode', sa.String(length=16), nullable=False),
    sa.Column('location', sa.String(length=200), nullable=True),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('needs', sa.JSON(), nullable=False),
    sa.Column('written_by_id', sa.String(length=36), nullable=False),
    sa.Column('written_at', sa.DateTime(), nullable=False),
    sa.Column('replaced_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_contact_versions_contact_id_contacts')),
    sa.ForeignKeyConstraint(['written_by_id'], ['users.id'], name=op.f('fk_contact_versions_written_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contact_versions')),
    sa.UniqueConstraint('contact_id', 'version', name=op.f('uq_contact_versions_contact_id'))
    )
    with op.batch_alter_table('contact_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contact_versions_contact_id'), ['contact_id'], unique=False)

    op.create_table('follow_ups',
    sa.Column('episode_id', sa.String(length=36), nullable=False),
    sa.Column('participant_id', sa.String(length=36), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('offset_days', sa.Integer(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('window_days', sa.Integer(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['episode_id'], ['release_episodes.id'], name=op.f('fk_follow_ups_episode_id_release_episodes')),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_follow_ups_participant_id_participants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_follow_ups')),
    sa.UniqueConstraint('episode_id', 'sequence', name=op.f('uq_follow_ups_episode_id'))
    )
    with op.batch_alter_table('follow_ups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_follow_ups_due_on'), ['due_on'], unique=False)
        batch_op.create_index('ix_follow_ups_participant_due', ['participant_id', 'due_on'], unique=False)

    # ### end Alembic commands ###


def downgrade():
    # ### commands auto generated by Alembic - please adjust! ###
    with op.batch_alter_table('follow_ups', schema=None) as batch_op:
        batch_op.drop_index('ix_follow_ups_participant_due')
        batch_op.drop_index(batch_op.f('ix_follow_ups_due_on'))

    op.drop_table('follow_ups')
    with op.batch_alter_table('contact_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contact_versions_contact_id'))

    op.drop_table('contact_versions')
    with op.batch_alter_table('status_changes', schema=None) as batch_op:
        batch_op.drop_index('ix_status_changes_participant_on')

    op.drop_table('status_changes')
    with op.batch_alter_table('release_plan_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_release_plan_items_participant_id'))
        batch_op.drop_index(batch_op.f('ix_release_plan_items_owner_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_release_plan_items_due_date'))

    op.drop_table('release_plan_items')
    with op.batch_alter_table('release_episodes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_release_episodes_released_on'))
        batch_op.drop_index('ix_release_episodes_participant_released')

    op.drop_table('release_episodes')
    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.drop_index('uq_referrals_open', sqlite_where=sa.text("status IN ('pending', 'accepted')"), postgresql_where=sa.text("status IN ('pending', 'accepted')"))
        batch_op.drop_index(batch_op.f('ix_referrals_participant_id'))
        batch_op.drop_index('ix_referrals_organisation_status')
        batch_op.drop_index(batch_op.f('ix_referrals_assigned_caseworker_id'))

    op.drop_table('referrals')
    with op.batch_alter_table('outcomes', schema=None) as batch_op:
        batch_op.drop_index('ix_outcomes_participant_observed')
        batch_op.drop_index(batch_op.f('ix_outcomes_organisation_id'))

    op.drop_table('outcomes')
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.drop_index('ix_contacts_participant_occurred')
        batch_op.drop_index(batch_op.f('ix_contacts_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_contacts_caseworker_id'))

    op.drop_table('contacts')
    with op.batch_alter_table('consents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consents_participant_id'))
        batch_op.drop_index('ix_consents_organisation_participant')

    op.drop_table('consents')
    # ### end Alembic commands ###
