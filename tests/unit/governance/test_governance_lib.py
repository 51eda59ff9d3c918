"""strata.governance: the lifecycle through the library, and its one-line errors."""

import pytest

from strata import governance as gov
from strata.governance import GovernanceError


@pytest.fixture
def rotation(registry, new_guardian):
    return [gov.encode_call(registry, "setGuardian", new_guardian)]


def _raises(fn, *args, **kwargs) -> str:
    with pytest.raises(GovernanceError) as info:
        fn(*args, **kwargs)
    message = str(info.value)
    assert "\n" not in message, "GovernanceError messages are one line"
    return message


# --- building proposals -------------------------------------------------------------------------------------


def test_encode_call__known_function__matches_the_contract_encoding(registry, new_guardian):
    action = gov.encode_call(registry, "setGuardian", new_guardian)
    assert action.target == registry.address
    assert action.calldata == bytes(registry.setGuardian.encode_input(new_guardian))
    assert action.value == 0
    assert action.label == f"ModuleRegistry.setGuardian({new_guardian.address})"


def test_encode_call__name_shadowed_by_ape__still_encodes(token, attacker):
    # `ContractInstance.delegate` is ape's EIP-7702 attribute, not the token's function.
    action = gov.encode_call(token, "delegate", attacker)
    assert action.calldata[:4] == bytes.fromhex("5c19a95c")  # delegate(address)


def test_encode_call__unknown_function__raises(registry):
    assert _raises(gov.encode_call, registry, "setGuardain", "0x" + "11" * 20) == (
        "ModuleRegistry has no function 'setGuardain'"
    )


def test_encode_call__bad_arguments__raises(registry):
    assert "cannot encode ModuleRegistry.setGuardian" in _raises(gov.encode_call, registry, "setGuardian", 1, 2)


def test_proposal__ids__match_the_governor_and_the_timelock(governor, timelock, rotation):
    proposal = gov.Proposal.from_actions(rotation, "Rotate")
    assert proposal.proposal_id == governor.hashProposal(*proposal.governor_args())
    op_id = timelock.hashOperationBatch(
        proposal.targets, proposal.values, proposal.calldatas, b"\0" * 32, proposal.timelock_salt(governor.address)
    )
    assert proposal.timelock_operation_id(governor.address) == bytes(op_id)


def test_proposal__empty__raises():
    assert _raises(gov.Proposal.from_actions, [], "nothing") == "a proposal needs at least one action"


@pytest.mark.parametrize(
    ("support", "expected"), [("for", 1), ("AGAINST", 0), (" abstain ", 2), ("yes", 1), ("no", 0), (2, 2), ("1", 1)]
)
def test_parse_support__accepted_spellings__map_to_vote_types(support, expected):
    assert gov.parse_support(support) == expected


@pytest.mark.parametrize("support", ["maybe", 3, -1, True])
def test_parse_support__anything_else__raises(support):
    assert "invalid vote" in _raises(gov.parse_support, support)


def test_params_for_network__presets():
    assert gov.params_for_network("local") is gov.DEVCHAIN_PARAMS
    assert gov.params_for_network("mainnet-fork") is gov.DEVCHAIN_PARAMS
    assert gov.params_for_network("mainnet") is gov.MAINNET_PARAMS
    assert gov.MAINNET_PARAMS.timelock_delay == 2 * 24 * 3600


# --- the lifecycle ------------------------------------------------------------------------------------------


def test_run_lifecycle__fast_forward__executes_the_proposal(
    governor, registry, proposer, whale, new_guardian, rotation
):
    result = gov.run_lifecycle(governor, proposer, rotation, "Rotate the guardian", voters=[whale])
    assert result.states == ("Pending", "Active", "Succeeded", "Queued", "Executed")
    assert registry.guardian() == new_guardian.address
    assert result.proposal_id == result.proposal.proposal_id
    assert gov.state_name(governor, result.proposal_id) == "Executed"


def test_run_lifecycle__mixed_votes__passes_on_for_majority(governor, registry, proposer, whale, minnow, rotation):
    voters = [(whale, "for"), (minnow, "against"), (proposer, "abstain")]
    result = gov.run_lifecycle(governor, proposer, rotation, "Rotate, contested", voters=voters)
    line = gov.timeline(governor, result.proposal_id)
    assert (line.for_votes, line.against_votes, line.abstain_votes) == (10**25, 10**24, 2 * 10**24)
    assert line.state == "Executed"


def test_steps__propose_vote_queue_execute__each_return_what_they_did(
    governor, timelock, registry, proposer, whale, new_guardian, rotation, stakes
):
    pid = gov.propose(governor, proposer, rotation, "Rotate, step by step")
    line = gov.timeline(governor, pid)
    assert (line.state, line.proposer, line.quorum) == ("Pending", proposer.address, None)
    assert line.deadline == line.snapshot + governor.votingPeriod()

    gov.advance_to_block(line.snapshot, fast_forward=True)
    assert gov.vote(governor, whale, pid, "for", reason="ship it") == stakes.whale
    gov.advance_to_block(line.deadline, fast_forward=True)
    assert gov.state_name(governor, pid) == "Succeeded"

    eta = gov.queue(governor, proposer, pid)  # by id: actions rebuilt from the ProposalCreated event
    assert eta == governor.proposalEta(pid)
    assert gov.timeline(governor, pid).eta == eta
    gov.advance_to_timestamp(eta, fast_forward=True)
    receipt = gov.execute(governor, whale, pid)

    assert receipt.txn_hash
    assert registry.guardian() == new_guardian.address
    final = gov.timeline(governor, pid)
    assert (final.state, final.for_votes, final.quorum_reached, final.vote_succeeded) == (
        "Executed", stakes.whale, True, True,
    )
    assert any(text.startswith("eta") for text in final.lines())


def test_load_proposal__by_id__rebuilds_actions_and_description(governor, proposer, rotation):
    pid = gov.propose(governor, proposer, rotation, "Rotate, rebuilt")
    loaded = gov.load_proposal(governor, pid)
    assert loaded.description == "Rotate, rebuilt"
    assert [(a.target, a.calldata, a.value) for a in loaded.actions] == [
        (a.target, a.calldata, a.value) for a in rotation
    ]
    assert loaded.proposal_id == pid


def test_cancel__guardian_on_queued__cancels_on_the_timelock(governor, guardian, queued_proposal):
    proposal, _ = queued_proposal
    assert gov.cancel(governor, guardian, proposal.proposal_id) == "timelock"
    assert gov.state_name(governor, proposal.proposal_id) == "Canceled"


def test_cancel__proposer_on_pending__cancels_on_the_governor(governor, proposer, rotation):
    pid = gov.propose(governor, proposer, rotation, "Rotate, then think again")
    assert gov.cancel(governor, proposer, pid) == "governor"
    assert gov.state_name(governor, pid) == "Canceled"


# --- errors -------------------------------------------------------------------------------------------------


def test_propose__below_threshold__raises_readable(governor, attacker, rotation, chain):
    head = chain.blocks.head.number
    message = _raises(gov.propose, governor, attacker, rotation, "Rotate")
    assert message == (
        f"{attacker.address} has 0 votes at the previous block, below the proposal threshold 1,000,000 "
        "(delegate to it before proposing)"
    )
    assert chain.blocks.head.number == head  # simulated, never sent: no gas, no block


def test_propose__twice__raises_already_exists(governor, proposer, rotation):
    gov.propose(governor, proposer, rotation, "Rotate")
    assert "already exists (Pending)" in _raises(gov.propose, governor, proposer, rotation, "Rotate")


def test_vote__while_pending__raises_with_the_opening_block(governor, proposer, whale, rotation):
    pid = gov.propose(governor, proposer, rotation, "Rotate")
    snapshot = governor.proposalSnapshot(pid)
    message = _raises(gov.vote, governor, whale, pid, "for")
    assert f"is Pending, not Active: voting opens after block {snapshot}" in message


def test_vote__without_voting_power__raises(governor, proposer, attacker, rotation):
    pid = gov.propose(governor, proposer, rotation, "Rotate")
    gov.advance_to_block(governor.proposalSnapshot(pid), fast_forward=True)
    message = _raises(gov.vote, governor, attacker, pid, "for")
    assert message.startswith(f"{attacker.address} had no voting power at the snapshot")
    assert gov.vote(governor, attacker, pid, "for", allow_zero_weight=True) == 0


def test_vote__twice__raises(governor, proposer, whale, rotation):
    pid = gov.propose(governor, proposer, rotation, "Rotate")
    gov.advance_to_block(governor.proposalSnapshot(pid), fast_forward=True)
    gov.vote(governor, whale, pid, "for")
    assert _raises(gov.vote, governor, whale, pid, "against") == (
        f"{whale.address} has already voted on proposal {gov.short_id(pid)}"
    )


def test_queue__quorum_not_reached__says_so(governor, proposer, rotation):
    pid = gov.propose(governor, proposer, rotation, "Rotate")
    gov.advance_to_block(governor.proposalSnapshot(pid), fast_forward=True)
    gov.vote(governor, proposer, pid, "for")
    gov.advance_to_block(governor.proposalDeadline(pid), fast_forward=True)
    message = _raises(gov.queue, governor, proposer, pid)
    assert "is Defeated, not Succeeded: quorum not reached (for+abstain 2,000,000 < quorum 4,000,000)" in message


def test_queue__outvoted__says_so(governor, token, deployer, proposer, whale, attacker, rotation):
    # Quorum counts for + abstain only: 10 M for reaches it, 12 M against still defeats the proposal.
    token.transfer(attacker, 12 * 10**24, sender=deployer)
    token.invoke_transaction("delegate", attacker, sender=attacker)
    pid = gov.propose(governor, proposer, rotation, "Rotate")
    gov.advance_to_block(governor.proposalSnapshot(pid), fast_forward=True)
    gov.vote(governor, whale, pid, "for")
    gov.vote(governor, attacker, pid, "against")
    gov.advance_to_block(governor.proposalDeadline(pid), fast_forward=True)
    message = _raises(gov.queue, governor, proposer, pid)
    assert message.endswith("is Defeated, not Succeeded: not enough support (for 10,000,000 <= against 12,000,000)")


def test_queue__outvoted_and_below_quorum__gives_both_reasons(governor, proposer, whale, rotation):
    pid = gov.propose(governor, proposer, rotation, "Rotate")
    gov.advance_to_block(governor.proposalSnapshot(pid), fast_forward=True)
    gov.vote(governor, proposer, pid, "for")
    gov.vote(governor, whale, pid, "against")  # against votes do not count toward quorum
    gov.advance_to_block(governor.proposalDeadline(pid), fast_forward=True)
    message = _raises(gov.queue, governor, proposer, pid)
    assert message.endswith(
        "quorum not reached (for+abstain 2,000,000 < quorum 4,000,000) "
        "and not enough support (for 2,000,000 <= against 10,000,000)"
    )


def test_queue__while_active__says_when_voting_ends(governor, proposer, whale, rotation):
    pid = gov.propose(governor, proposer, rotation, "Rotate")
    gov.advance_to_block(governor.proposalSnapshot(pid), fast_forward=True)
    message = _raises(gov.queue, governor, proposer, pid)
    assert f"is Active, not Succeeded: voting ends at block {governor.proposalDeadline(pid)}" in message


def test_run_lifecycle__no_voters__stops_at_queue_with_the_reason(governor, proposer, rotation):
    message = _raises(gov.run_lifecycle, governor, proposer, rotation, "Rotate alone", voters=[])
    assert "quorum not reached (for+abstain 0 < quorum 4,000,000)" in message


def test_execute__before_timelock_delay__says_when(governor, proposer, queued_proposal):
    proposal, eta = queued_proposal
    message = _raises(gov.execute, governor, proposer, proposal)
    assert "is Waiting, not Ready: the timelock delay ends at" in message
    assert gov.format_time(eta) in message


def test_execute__twice__says_already_executed(governor, proposer, queued_proposal):
    proposal, eta = queued_proposal
    gov.advance_to_timestamp(eta, fast_forward=True)
    gov.execute(governor, proposer, proposal)
    message = _raises(gov.execute, governor, proposer, proposal)
    assert "is Executed, not Succeeded or Queued: already executed" in message


def test_execute__succeeded_but_not_queued__says_never_queued(governor, proposer, whale, rotation):
    pid = gov.propose(governor, proposer, rotation, "Rotate")
    gov.advance_to_block(governor.proposalSnapshot(pid), fast_forward=True)
    gov.vote(governor, whale, pid, "for")
    gov.advance_to_block(governor.proposalDeadline(pid), fast_forward=True)
    assert "is Unset, not Ready (never queued, or cancelled)" in _raises(gov.execute, governor, proposer, pid)


def test_cancel__non_canceller_on_queued__raises(governor, attacker, queued_proposal, timelock):
    proposal, _ = queued_proposal
    assert _raises(gov.cancel, governor, attacker, proposal) == (
        f"cannot cancel: {attacker.address} lacks CANCELLER_ROLE on the timelock {timelock.address}"
    )


def test_cancel__executed__raises(governor, guardian, proposer, queued_proposal):
    proposal, eta = queued_proposal
    gov.advance_to_timestamp(eta, fast_forward=True)
    gov.execute(governor, proposer, proposal)
    assert "cannot cancel: proposal" in _raises(gov.cancel, governor, guardian, proposal)


def test_state_name__unknown_proposal__raises(governor):
    assert _raises(gov.state_name, governor, 12345) == f"no proposal 12345 on governor {governor.address}"


def test_advance_to_block__without_fast_forward__times_out(chain):
    message = _raises(gov.advance_to_block, chain.blocks.head.number + 5, fast_forward=False, timeout=0)
    assert message.startswith("still waiting for block")


def test_describe_revert__ape_custom_error__is_readable(governor, proposer, rotation):
    import ape

    proposal = gov.Proposal.from_actions(rotation, "Rotate")
    gov.propose(governor, proposer, proposal)
    with ape.reverts() as info:
        governor.queue(*proposal.governor_args(), sender=proposer)  # still Pending
    message = gov.describe_revert(info.value, governor)
    assert message.startswith(f"proposal {gov.short_id(proposal.proposal_id)} is Pending, not Succeeded")


def test_decode_revert__raw_data__names_the_error_with_checksummed_inputs(governor, attacker):
    selector = bytes.fromhex("47096e47")  # GovernorOnlyExecutor(address)
    data = selector + bytes(12) + bytes.fromhex(attacker.address[2:])
    name, inputs = gov.decode_revert(None, governor, data=data)
    assert (name, inputs) == ("GovernorOnlyExecutor", {"account": attacker.address})
    assert "must come from an executed proposal" in gov.describe_revert(None, governor, data=data)


def test_setup__via_library_roles__grant_nothing_more_than_intended(timelock, governor, guardian, deployer):
    # The library's own wiring (used by the session fixture) is the deployer's contract: check its output.
    assert gov.check_timelock_roles(timelock, governor, guardian) == []
    assert not timelock.hasRole(gov.TIMELOCK_ROLES["DEFAULT_ADMIN_ROLE"], deployer)
