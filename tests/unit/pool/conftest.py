"""Fixtures of the pool's unit tests: see ``pool_env``."""

from tests.unit.pool.pool_env import *  # noqa: F401,F403
