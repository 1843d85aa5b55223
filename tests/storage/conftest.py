"""The PostgreSQL cluster and a db target over both backends, for storage tests."""

from tests.postgres_fixture import postgres_cluster, postgres_url  # noqa: F401
from tests.reliability.targets import db_target  # noqa: F401
