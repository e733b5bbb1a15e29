"""Database layer: engine and sessions (:mod:`.engine`), ORM models (:mod:`.models`) and one
repository module per entity (:mod:`.providers`). Schema changes go through the Alembic
revisions in :mod:`binscribe.migrations`, applied with :func:`.engine.upgrade_database`.
"""
