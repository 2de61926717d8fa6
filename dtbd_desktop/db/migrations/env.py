"""Alembic environment: always run on a connection handed over by dtbd_desktop.db.engine.

The caller opens one transaction around the whole upgrade, so a failing migration rolls back whole.
"""

from alembic import context

from dtbd_desktop.db.models import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reached by running the alembic CLI by hand
    raise SystemExit("Run migrations through dtbd_desktop.db.engine.open_database()")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    transaction_per_migration=False,
)
context.run_migrations()
