"""Flash-loan adversarial suite: the same protocol as the unit suite (see ``tests/unit/flashloan/flash_env.py``)."""

from tests.unit.flashloan.flash_env import *  # noqa: F401,F403  (fixtures)
