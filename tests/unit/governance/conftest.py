"""Fixtures of the governance unit tests: token, timelock, governor proxy and a registry governed by the timelock.

This folder deploys its own governance stack, in the order the deployer follows (docs/governance.md, "Deploy
sequence"), with stakes chosen for each scenario: a proposer above the threshold but below quorum, a whale above
quorum, a minnow, and a flash lender holding more than quorum.
"""

from __future__ import annotations

from contextlib import contextmanager

from dataclasses import dataclass

import ape
import pytest
from ape.exceptions import CustomError

from strata import governance as gov

WHOLE = 10**18
PROPOSER_VOTES = 2_000_000 * WHOLE  # 2 % of supply: above the 1 % threshold, below the 4 % quorum
WHALE_VOTES = 10_000_000 * WHOLE  # 10 %: reaches quorum alone
MINNOW_VOTES = 1_000_000 * WHOLE  # 1 %
LENDER_LIQUIDITY = 20_000_000 * WHOLE  # more than quorum, available to flash-borrow
TIMELOCK_DELAY = 2 * 24 * 3600  # mainnet-like: the tests travel in time anyway
PARAMS = gov.GovernanceParams(
    voting_delay=1,
    voting_period=50,
    proposal_threshold=1_000_000 * WHOLE,
    quorum_numerator=4,
    timelock_delay=TIMELOCK_DELAY,
)


@dataclass(frozen=True)
class Stakes:
    """Named token amounts of the scenario (voting power after self-delegation)."""

    proposer: int = PROPOSER_VOTES
    whale: int = WHALE_VOTES
    minnow: int = MINNOW_VOTES
    lender: int = LENDER_LIQUIDITY


@pytest.fixture(scope="module")
def params() -> gov.GovernanceParams:
    return PARAMS


@pytest.fixture(scope="module")
def stakes() -> Stakes:
    return Stakes()


# --- role-named accounts ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def deployer(accounts):
    return accounts[0]


@pytest.fixture(scope="module")
def guardian(accounts):
    return accounts[1]


@pytest.fixture(scope="module")
def proposer(accounts):
    return accounts[2]


@pytest.fixture(scope="module")
def whale(accounts):
    return accounts[3]


@pytest.fixture(scope="module")
def minnow(accounts):
    return accounts[4]


@pytest.fixture(scope="module")
def attacker(accounts):
    return accounts[5]


@pytest.fixture(scope="module")
def new_guardian(accounts):
    return accounts[6]


# --- the governance stack -----------------------------------------------------------------------------------


@pytest.fixture(scope="module", autouse=True)
def strata():
    """Overrides the suite's whole-protocol deployment (tests/conftest.py) for this folder only.

    These unit tests deploy the governance stack alone (below), with the stakes, delays and registry each
    scenario needs; they neither need nor wait for the lending pool and its modules.
    """
    return None



@pytest.fixture(scope="module")
def token(project, deployer):
    return deployer.deploy(project.StrataToken, deployer)


@pytest.fixture(scope="module")
def timelock(project, deployer):
    # No proposer/executor yet (the Governor does not exist); the deployer is a temporary admin.
    return deployer.deploy(project.StrataTimelock, PARAMS.timelock_delay, [], [], deployer)


@pytest.fixture(scope="module")
def governor_impl(project, deployer):
    return deployer.deploy(project.StrataGovernor)


@pytest.fixture(scope="module")
def governor(project, deployer, token, timelock, governor_impl):
    data = governor_impl.initialize.encode_input(token, timelock, *PARAMS.initialize_args())
    proxy = deployer.deploy(project.ModuleProxy, governor_impl, data)
    return project.StrataGovernor.at(proxy.address)


@pytest.fixture(scope="module")
def registry(project, deployer, guardian):
    impl = deployer.deploy(project.ModuleRegistry)
    data = impl.initialize.encode_input(deployer, guardian)
    proxy = deployer.deploy(project.ModuleProxy, impl, data)
    return project.ModuleRegistry.at(proxy.address)


@pytest.fixture(scope="module")
def lender(project, deployer, token):
    return deployer.deploy(project.TokenFlashLenderMock, token)


@pytest.fixture(scope="module", autouse=True)
def wired(deployer, guardian, proposer, whale, minnow, token, timelock, governor, registry, lender):
    """Ends deployment the way the deployer must: roles wired, admin renounced, registry handed over."""
    gov.setup_timelock_roles(timelock, governor, guardian, deployer)
    for module_id, module in (("GOVERNOR", governor), ("TIMELOCK", timelock), ("GOVERNANCE_TOKEN", token)):
        registry.setModule(module_id.encode().ljust(32, b"\0"), module, sender=deployer)
    registry.transferGovernance(timelock, sender=deployer)
    # Distribution: voting power only counts once delegated, so each holder self-delegates.
    for holder, amount in ((proposer, PROPOSER_VOTES), (whale, WHALE_VOTES), (minnow, MINNOW_VOTES)):
        token.transfer(holder, amount, sender=deployer)
        # `token.delegate` is shadowed by ape's EIP-7702 `delegate` attribute of addresses.
        token.invoke_transaction("delegate", holder, sender=holder)
    token.transfer(lender, LENDER_LIQUIDITY, sender=deployer)
    return True


# --- helpers ------------------------------------------------------------------------------------------------


@pytest.fixture
def set_guardian_proposal(registry, new_guardian):
    """A one-action proposal: the registry's guardian becomes `new_guardian`."""

    def make(description: str = "Rotate the guardian") -> gov.Proposal:
        return gov.Proposal.from_actions([gov.encode_call(registry, "setGuardian", new_guardian)], description)

    return make


@pytest.fixture(scope="module")
def strict_reverts():
    """`ape.reverts(Error, **inputs)` that also fails when ape could not decode the revert as that error.

    Plain `ape.reverts(contract.Error)` passes on ANY revert that ape did not decode as a custom error (its
    custom-error check only runs on decoded errors), which would make a cross-contract assertion vacuous.
    Reverted view calls are not decoded by ape: those are decoded here from the raw revert data.
    """

    @contextmanager
    def reverts_with(error_cls, **inputs):
        # ape's own class-identity check is skipped on purpose: the same error decoded through a proxy or a
        # different contract instance is a different Python class with the same name (ape merges ABIs).
        with ape.reverts() as info:
            yield info
        expected = error_cls.__name__
        if isinstance(info.value, CustomError):
            name, decoded = info.value.name, dict(info.value.inputs)
        else:
            name, decoded = gov.decode_revert(info.value)
        assert name == expected, f"expected {expected}, got {name or info.value!r}"
        for key, value in inputs.items():
            assert key in decoded, f"{expected} has no input {key!r}: {decoded}"
            actual = decoded[key]
            if isinstance(value, str) and isinstance(actual, str):
                value, actual = value.lower(), actual.lower()
            assert actual == value, f"{expected}.{key}: expected {value!r}, got {actual!r}"

    return reverts_with


@pytest.fixture(scope="module")
def mine_past():
    """Mines until the head is past `block` (e.g. a proposal's snapshot or deadline).

    One block more than a transaction needs (`advance_to_block(block)` suffices for that): views read at the
    head then agree with what the next transaction sees.
    """

    def mine(block: int) -> None:
        gov.advance_to_block(int(block) + 1, fast_forward=True)

    return mine


@pytest.fixture(scope="module")
def to_eta():
    """Sets the next block's timestamp to at least `eta`."""

    def travel(eta: int) -> None:
        gov.advance_to_timestamp(int(eta), fast_forward=True)

    return travel


@pytest.fixture
def submit(governor):
    """Submits a proposal with plain contract calls; returns its id."""

    def propose(proposal: gov.Proposal, sender) -> int:
        governor.propose(proposal.targets, proposal.values, proposal.calldatas, proposal.description, sender=sender)
        return proposal.proposal_id

    return propose


@pytest.fixture
def queued_proposal(governor, proposer, whale, submit, mine_past, set_guardian_proposal):
    """A proposal that passed and sits in the timelock; returns (proposal, eta)."""
    proposal = set_guardian_proposal("Rotate the guardian (queued)")
    pid = submit(proposal, proposer)
    mine_past(governor.proposalSnapshot(pid))
    governor.castVote(pid, gov.SUPPORT["for"], sender=whale)
    mine_past(governor.proposalDeadline(pid))
    governor.queue(*proposal.governor_args(), sender=proposer)
    return proposal, governor.proposalEta(pid)
