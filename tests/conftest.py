"""Session fixtures: the whole protocol deployed once through ``strata`` (the same plan as ``ape run deploy``).

Each test runs in ape's chain snapshot of the session state and is reverted afterwards.
Actors are named by role; no test body indexes ``accounts`` directly.
"""

from __future__ import annotations

import pytest

from strata.compat import patch_ape_hardhat_error_decoding
from tests.utils.protocol import TestProtocol, deploy_for_tests


patch_ape_hardhat_error_decoding()


@pytest.fixture(scope="session")
def deployer(accounts):
    return accounts[0]


@pytest.fixture(scope="session")
def guardian(accounts):
    return accounts[1]


@pytest.fixture(scope="session")
def supplier(accounts):
    return accounts[2]


@pytest.fixture(scope="session")
def borrower(accounts):
    return accounts[3]


@pytest.fixture(scope="session")
def liquidator(accounts):
    return accounts[4]


@pytest.fixture(scope="session")
def attacker(accounts):
    return accounts[5]


@pytest.fixture(scope="session")
def outsider(accounts):
    return accounts[6]


@pytest.fixture(scope="session", autouse=True)
def strata(project, chain, deployer, guardian) -> TestProtocol:
    """The protocol, deployed before the first test so that snapshots never rebase."""
    return deploy_for_tests(project, chain, deployer, guardian)


@pytest.fixture(scope="session")
def registry(strata):
    return strata.registry
