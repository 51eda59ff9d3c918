"""Session fixtures: the whole protocol deployed once through ``strata`` (the same plan as ``ape run deploy``),
handed to its Timelock exactly as in production.

Each test runs in ape's chain snapshot of the session state and is reverted afterwards. Actors are named by
role; no test body indexes ``accounts`` directly. Unit tests that need governance powers act as the Timelock
(``timelock_signer``, an impersonated account); governance tests go through real proposals.
"""

from __future__ import annotations

import pytest

from strata.compat import patch_ape_hardhat
from tests.utils.actors import actor
from tests.utils.protocol import TestProtocol, deploy_for_tests

patch_ape_hardhat()


@pytest.fixture(scope="session", autouse=True)
def quiet_revert_traces():
    """ape-foundry prints a call trace for every custom-error revert, and rendering it re-derives every test
    account per call frame (2–6 s a revert). Reverts and their decoded errors are untouched; only the printout
    is skipped. ``receipt.show_trace()`` is still there when debugging."""
    from ape_ethereum.trace import Trace

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Trace, "show", lambda self, *args, **kwargs: None)
        yield


@pytest.fixture(scope="session")
def deployer(accounts):
    return actor(accounts, "deployer")


@pytest.fixture(scope="session")
def guardian(accounts):
    return actor(accounts, "guardian")


@pytest.fixture(scope="session")
def supplier(accounts):
    return actor(accounts, "supplier")


@pytest.fixture(scope="session")
def borrower(accounts):
    return actor(accounts, "borrower")


@pytest.fixture(scope="session")
def liquidator(accounts):
    return actor(accounts, "liquidator")


@pytest.fixture(scope="session")
def attacker(accounts):
    return actor(accounts, "attacker")


@pytest.fixture(scope="session")
def outsider(accounts):
    return actor(accounts, "outsider")


@pytest.fixture(scope="session")
def voter(accounts):
    return actor(accounts, "voter")


@pytest.fixture(scope="session", autouse=True)
def strata(project, chain, accounts) -> TestProtocol:
    """The protocol, deployed before the first test so that snapshots never rebase.

    Takes its actors from ``accounts`` directly: folder conftests may override the role fixtures. Folder
    conftests keep their chain-touching fixtures module-scoped: a session fixture first built after the first
    snapshot makes ape "rebase" its snapshots, which was seen to revert the chain under this deployment.
    """
    return deploy_for_tests(
        project, chain, actor(accounts, "deployer"), actor(accounts, "guardian"), actor(accounts, "voter")
    )


@pytest.fixture(scope="session")
def protocol(strata):
    return strata.protocol


@pytest.fixture(scope="module")
def timelock_signer(accounts, strata):
    """The Timelock as a signer (impersonated): for unit tests of governance-only functions.

    Module-scoped on purpose: its funding is chain state, and a session fixture first built inside some
    module's snapshot would lose that balance when the snapshot is reverted."""
    signer = accounts[strata.protocol.timelock.address]
    signer.balance = 10**21
    return signer
