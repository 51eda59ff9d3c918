"""Fixtures of the pool's adversarial tests: the same system as the unit tests (``tests/unit/pool/pool_env``)."""

from tests.unit.pool.pool_env import *  # noqa: F401,F403
