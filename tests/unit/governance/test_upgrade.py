"""The Governor's proxy moves only through a proposal executed by the Governor itself."""

import pytest
from ape.exceptions import VirtualMachineError
from eth_utils import to_checksum_address

from strata import governance as gov

IMPLEMENTATION_SLOT = int("360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc", 16)
STATE = {name: index for index, name in enumerate(gov.PROPOSAL_STATES)}


def _implementation(chain, proxy) -> str:
    return to_checksum_address(bytes(chain.provider.get_storage(proxy.address, IMPLEMENTATION_SLOT))[-20:])


def _pass(governor, proposal, proposer, whale, submit, mine_past, to_eta) -> int:
    pid = submit(proposal, proposer)
    mine_past(governor.proposalSnapshot(pid))
    governor.castVote(pid, gov.SUPPORT["for"], sender=whale)
    mine_past(governor.proposalDeadline(pid))
    governor.queue(*proposal.governor_args(), sender=proposer)
    to_eta(governor.proposalEta(pid))
    return pid


def test_upgrade__through_a_proposal__moves_the_implementation_and_keeps_state(
    project, chain, deployer, governor, governor_impl, proposer, whale, submit, mine_past, to_eta, params
):
    new_impl = deployer.deploy(project.StrataGovernor)
    # An earlier proposal, still on record after the upgrade.
    earlier = gov.Proposal.from_actions([gov.encode_call(governor, "setProposalThreshold", 2 * 10**24)], "Threshold")
    earlier_id = _pass(governor, earlier, proposer, whale, submit, mine_past, to_eta)
    governor.execute(*earlier.governor_args(), sender=proposer)

    upgrade = gov.Proposal.from_actions([gov.encode_call(governor, "upgradeToAndCall", new_impl, b"")], "Upgrade")
    _pass(governor, upgrade, proposer, whale, submit, mine_past, to_eta)
    assert _implementation(chain, governor) == governor_impl.address
    receipt = governor.execute(*upgrade.governor_args(), sender=proposer)

    assert _implementation(chain, governor) == new_impl.address
    upgraded = [log.implementation for log in receipt.decode_logs() if log.event_name == "Upgraded"]
    assert upgraded == [new_impl.address]
    assert governor.state(earlier_id) == STATE["Executed"]
    assert governor.proposalThreshold() == 2 * 10**24
    assert governor.votingPeriod() == params.voting_period
    assert governor.name() == "StrataGovernor"


def test_upgrade__to_a_non_uups_contract_through_a_proposal__reverts_at_execution(
    chain, governor, governor_impl, token, proposer, whale, submit, mine_past, to_eta, strict_reverts
):
    upgrade = gov.Proposal.from_actions([gov.encode_call(governor, "upgradeToAndCall", token, b"")], "Brick it")
    _pass(governor, upgrade, proposer, whale, submit, mine_past, to_eta)
    # ape merges the proxy's ABI with the implementation's: the error is there twice, so look it up by signature.
    invalid = governor.get_error_by_signature("ERC1967InvalidImplementation(address implementation)")
    with strict_reverts(invalid, implementation=token.address):
        governor.execute(*upgrade.governor_args(), sender=proposer)
    assert _implementation(chain, governor) == governor_impl.address


def test_upgrade__by_an_account__reverts(project, governor, attacker, deployer, strict_reverts):
    new_impl = attacker.deploy(project.StrataGovernor)
    for caller in (attacker, deployer):
        with strict_reverts(governor.GovernorOnlyExecutor, account=caller.address):
            governor.upgradeToAndCall(new_impl, b"", sender=caller)


def test_upgrade__by_the_timelock_outside_a_proposal__reverts(
    project, accounts, chain, deployer, governor, timelock, governor_impl
):
    # Even the executor cannot upgrade on its own: the call must be whitelisted by Governor.execute.
    new_impl = deployer.deploy(project.StrataGovernor)
    chain.set_balance(timelock.address, 10**18)
    as_timelock = accounts[timelock.address]
    # DoubleEndedQueue.popFront on the empty whitelist: Panic(0x31). Anvil's message names the code; on Hardhat
    # (strata/compat.py turns the impersonated send's RPC error into ape's) it is Hardhat's text for that panic.
    with pytest.raises(VirtualMachineError, match=r"0x31|\.pop\(\) was called on an empty array"):
        governor.upgradeToAndCall(new_impl, b"", sender=as_timelock)
    assert _implementation(chain, governor) == governor_impl.address


def test_upgrade__called_on_the_implementation__reverts(project, governor_impl, attacker, strict_reverts):
    new_impl = attacker.deploy(project.StrataGovernor)
    with strict_reverts(governor_impl.UUPSUnauthorizedCallContext):
        governor_impl.upgradeToAndCall(new_impl, b"", sender=attacker)
