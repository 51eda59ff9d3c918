"""Flash-loan unit suite: the whole protocol around a FlashLoanModule (see ``flash_env``)."""

from tests.unit.flashloan.flash_env import *  # noqa: F401,F403  (fixtures)
