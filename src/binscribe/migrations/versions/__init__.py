"""Alembic revisions, one file each, named ``NNNN_<what>.py`` with revision id ``NNNN_<what>``."""
