"""initial registry schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-23 06:12:38.400325
"""

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sources',
    sa.Column('id', sa.Text(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('publisher', sa.Text(), nullable=True),
    sa.Column('url', sa.Text(), nullable=True),
    sa.Column('published', sa.Text(), nullable=True),
    sa.Column('confidence', sa.Text(), nullable=False),
    sa.Column('content_hash', sa.Text(), nullable=True),
    sa.Column('kind', sa.Text(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sources'))
    )
    op.create_table('citations',
    sa.Column('record_table', sa.Text(), nullable=False),
    sa.Column('record_id', sa.Text(), nullable=False),
    sa.Column('source_id', sa.Text(), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_citations_source_id_sources')),
    sa.PrimaryKeyConstraint('record_table', 'record_id', 'source_id', name=op.f('pk_citations'))
    )
    with op.batch_alter_table('citations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_citations_source_id'), ['source_id'], unique=False)

    op.create_table('companies',
    sa.Column('id', sa.Text(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('aliases', sa.Text(), nullable=True),
    sa.Column('country', sa.Text(), nullable=True),
    sa.Column('parent_id', sa.Text(), nullable=True),
    sa.Column('ownership_notes', sa.Text(), nullable=True),
    sa.Column('source_id', sa.Text(), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=True),
    sa.Column('confidence', sa.Text(), nullable=False),
    sa.Column('known_from', sa.Text(), nullable=False),
    sa.Column('recorded_at', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['parent_id'], ['companies.id'], name=op.f('fk_companies_parent_id_companies')),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_companies_source_id_sources')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_companies'))
    )
    with op.batch_alter_table('companies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_companies_parent_id'), ['parent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_companies_source_id'), ['source_id'], unique=False)

    op.create_table('figures',
    sa.Column('id', sa.Text(), nullable=False),
    sa.Column('country', sa.Text(), nullable=False),
    sa.Column('metric', sa.Text(), nullable=False),
    sa.Column('stage', sa.Text(), nullable=True),
    sa.Column('material', sa.Text(), nullable=True),
    sa.Column('value', sa.Float(), nullable=True),
    sa.Column('low', sa.Float(), nullable=True),
    sa.Column('high', sa.Float(), nullable=True),
    sa.Column('comparator', sa.Text(), nullable=True),
    sa.Column('unit', sa.Text(), nullable=False),
    sa.Column('year', sa.Text(), nullable=False),
    sa.Column('vintage', sa.Text(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('source_id', sa.Text(), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=True),
    sa.Column('confidence', sa.Text(), nullable=False),
    sa.Column('known_from', sa.Text(), nullable=False),
    sa.Column('recorded_at', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_figures_source_id_sources')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_figures'))
    )
    with op.batch_alter_table('figures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_figures_source_id'), ['source_id'], unique=False)

    op.create_table('parameters',
    sa.Column('id', sa.Text(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('category', sa.Text(), nullable=False),
    sa.Column('subject', sa.Text(), nullable=True),
    sa.Column('value', sa.Float(), nullable=True),
    sa.Column('low', sa.Float(), nullable=True),
    sa.Column('high', sa.Float(), nullable=True),
    sa.Column('unit', sa.Text(), nullable=False),
    sa.Column('year', sa.Text(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('source_id', sa.Text(), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=True),
    sa.Column('confidence', sa.Text(), nullable=False),
    sa.Column('known_from', sa.Text(), nullable=False),
    sa.Column('recorded_at', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_parameters_source_id_sources')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_parameters'))
    )
    with op.batch_alter_table('parameters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_parameters_source_id'), ['source_id'], unique=False)

    op.create_table('facilities',
    sa.Column('id', sa.Text(), nullable=False),
    sa.Column('site_id', sa.Text(), nullable=True),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('company_id', sa.Text(), nullable=False),
    sa.Column('country', sa.Text(), nullable=True),
    sa.Column('region', sa.Text(), nullable=True),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.Column('stage', sa.Text(), nullable=False),
    sa.Column('products', sa.Text(), nullable=True),
    sa.Column('owner_country', sa.Text(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('source_id', sa.Text(), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=True),
    sa.Column('confidence', sa.Text(), nullable=False),
    sa.Column('known_from', sa.Text(), nullable=False),
    sa.Column('recorded_at', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_facilities_company_id_companies')),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_facilities_source_id_sources')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_facilities'))
    )
    with op.batch_alter_table('facilities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_facilities_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_facilities_source_id'), ['source_id'], unique=False)

    op.create_table('capacities',
    sa.Column('id', sa.Text(), nullable=False),
    sa.Column('facility_id', sa.Text(), nullable=False),
    sa.Column('status', sa.Text(), nullable=False),
    sa.Column('capacity_t_per_yr', sa.Float(), nullable=True),
    sa.Column('material', sa.Text(), nullable=True),
    sa.Column('ndpr_oxide_t_per_yr', sa.Float(), nullable=True),
    sa.Column('dytb_oxide_t_per_yr', sa.Float(), nullable=True),
    sa.Column('capacity_type', sa.Text(), nullable=True),
    sa.Column('qualifier', sa.Text(), nullable=True),
    sa.Column('scope', sa.Text(), nullable=False),
    sa.Column('phase', sa.Text(), nullable=True),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('first_year', sa.Integer(), nullable=True),
    sa.Column('unit_as_published', sa.Text(), nullable=True),
    sa.Column('ramp_notes', sa.Text(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('source_id', sa.Text(), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=True),
    sa.Column('confidence', sa.Text(), nullable=False),
    sa.Column('known_from', sa.Text(), nullable=False),
    sa.Column('recorded_at', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['facility_id'], ['facilities.id'], name=op.f('fk_capacities_facility_id_facilities')),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_capacities_source_id_sources')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_capacities'))
    )
    with op.batch_alter_table('capacities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_capacities_facility_id'), ['facility_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_capacities_source_id'), ['source_id'], unique=False)

    op.create_table('events',
    sa.Column('id', sa.Text(), nullable=False),
    sa.Column('date', sa.Text(), nullable=False),
    sa.Column('kind', sa.Text(), nullable=False),
    sa.Column('type', sa.Text(), nullable=False),
    sa.Column('actor', sa.Text(), nullable=False),
    sa.Column('actor_country', sa.Text(), nullable=True),
    sa.Column('target', sa.Text(), nullable=True),
    sa.Column('target_country', sa.Text(), nullable=True),
    sa.Column('company_id', sa.Text(), nullable=True),
    sa.Column('facility_id', sa.Text(), nullable=True),
    sa.Column('elements', sa.Text(), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('magnitude', sa.Float(), nullable=True),
    sa.Column('unit', sa.Text(), nullable=True),
    sa.Column('effective_date', sa.Text(), nullable=True),
    sa.Column('end_date', sa.Text(), nullable=True),
    sa.Column('status', sa.Text(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('source_id', sa.Text(), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=True),
    sa.Column('confidence', sa.Text(), nullable=False),
    sa.Column('known_from', sa.Text(), nullable=False),
    sa.Column('recorded_at', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_events_company_id_companies')),
    sa.ForeignKeyConstraint(['facility_id'], ['facilities.id'], name=op.f('fk_events_facility_id_facilities')),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_events_source_id_sources')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_events'))
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_events_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_facility_id'), ['facility_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_source_id'), ['source_id'], unique=False)

    op.create_table('effects',
    sa.Column('id', sa.Text(), nullable=False),
    sa.Column('event_id', sa.Text(), nullable=False),
    sa.Column('metric', sa.Text(), nullable=False),
    sa.Column('period', sa.Text(), nullable=False),
    sa.Column('destination', sa.Text(), nullable=True),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('unit', sa.Text(), nullable=False),
    sa.Column('source_id', sa.Text(), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=True),
    sa.Column('confidence', sa.Text(), nullable=False),
    sa.Column('known_from', sa.Text(), nullable=False),
    sa.Column('recorded_at', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_effects_event_id_events')),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_effects_source_id_sources')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_effects'))
    )
    with op.batch_alter_table('effects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_effects_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_effects_source_id'), ['source_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('effects', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_effects_source_id'))
        batch_op.drop_index(batch_op.f('ix_effects_event_id'))

    op.drop_table('effects')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_events_source_id'))
        batch_op.drop_index(batch_op.f('ix_events_facility_id'))
        batch_op.drop_index(batch_op.f('ix_events_company_id'))

    op.drop_table('events')
    with op.batch_alter_table('capacities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_capacities_source_id'))
        batch_op.drop_index(batch_op.f('ix_capacities_facility_id'))

    op.drop_table('capacities')
    with op.batch_alter_table('facilities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_facilities_source_id'))
        batch_op.drop_index(batch_op.f('ix_facilities_company_id'))

    op.drop_table('facilities')
    with op.batch_alter_table('parameters', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_parameters_source_id'))

    op.drop_table('parameters')
    with op.batch_alter_table('figures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_figures_source_id'))

    op.drop_table('figures')
    with op.batch_alter_table('companies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_companies_source_id'))
        batch_op.drop_index(batch_op.f('ix_companies_parent_id'))

    op.drop_table('companies')
    with op.batch_alter_table('citations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_citations_source_id'))

    op.drop_table('citations')
    op.drop_table('sources')
