"""Revision 0006 on a database with providers: results stored before it came from connection
tests, so they get ``last_test_source = 'test'``; untested rows stay without a source."""

from __future__ import annotations

import uuid

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

from binscribe.db.engine import alembic_config, upgrade_database


def _migrate(engine: Engine, target: str, *, down: bool) -> None:
    with engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, target)


def test_stored_results_become_test_results(engine: Engine, db_url: str) -> None:
    before = ScriptDirectory.from_config(alembic_config()).get_revision("0006_provider_health")
    assert isinstance(before.down_revision, str)
    _migrate(engine, before.down_revision, down=True)
    try:
        ids = {name: uuid.uuid4() for name in ("tested", "untested")}
        as_sql = {k: (v.hex if engine.dialect.name == "sqlite" else str(v)) for k, v in ids.items()}
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO user_llm_providers (id, name, provider_type, last_test_status, "
                    "last_tested_at) VALUES (:t, 'tested', 'openai', 'failure', CURRENT_TIMESTAMP),"
                    " (:u, 'untested', 'openai', NULL, NULL)"
                ),
                {"t": as_sql["tested"], "u": as_sql["untested"]},
            )
    finally:
        upgrade_database(db_url)
    with engine.connect() as connection:
        rows = dict(
            connection.execute(
                text("SELECT name, last_test_source FROM user_llm_providers ORDER BY name")
            ).all()
        )
    assert rows == {"tested": "test", "untested": None}
