"""Alembic's environment for the store: migrations run on the connection the store passes in.

Run by :meth:`paymatch.shell.store.Store.migrate` (``paymatch store migrate``), never
by the ``alembic`` command line, so there is no ``alembic.ini``.
"""

from __future__ import annotations

from alembic import context

from paymatch.shell.store.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata)
with context.begin_transaction():
    context.run_migrations()
