"""Alembic environment and revisions, shipped inside the package so an installed wheel can
upgrade its database: apply them with :func:`binscribe.db.engine.upgrade_database`
(``binscribe db upgrade``).

A new revision (file ``versions/<rev id>.py``)::

    uv run python -c "from alembic import command; from binscribe.db.engine import \
    alembic_config; command.revision(alembic_config(), 'jobs', rev_id='0002_jobs')"

then write its operations by hand (explicit constraint names via ``op.f``), keep
:mod:`binscribe.db.models` in step (a test compares them), and ``ruff format`` the file.
"""
