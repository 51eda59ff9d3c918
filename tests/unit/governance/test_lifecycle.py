"""Proposal lifecycle with plain contract calls: what passes, and each way it must fail."""

from strata import governance as gov

FOR, AGAINST, ABSTAIN = gov.SUPPORT["for"], gov.SUPPORT["against"], gov.SUPPORT["abstain"]
STATE = {name: index for index, name in enumerate(gov.PROPOSAL_STATES)}
OPERATION = {name: index for index, name in enumerate(gov.OPERATION_STATES)}


def _bits(*indices: int) -> bytes:
    """OpenZeppelin's state bitmap (`_encodeStateBitmap`) of the given enum indices."""
    return sum(1 << i for i in indices).to_bytes(32, "big")


def test_full_lifecycle__guardian_rotation__changes_registry_and_timelock_roles(
    governor, timelock, registry, proposer, whale, guardian, new_guardian, submit, mine_past, to_eta, chain
):
    actions = gov.guardian_rotation_actions(registry, timelock, guardian, new_guardian)
    proposal = gov.Proposal.from_actions(actions, "Rotate the guardian everywhere")
    pid = submit(proposal, proposer)
    assert pid == governor.hashProposal(*proposal.governor_args())
    assert governor.state(pid) == STATE["Pending"]

    mine_past(governor.proposalSnapshot(pid))
    governor.castVote(pid, FOR, sender=whale)
    assert governor.state(pid) == STATE["Active"]

    mine_past(governor.proposalDeadline(pid))
    assert governor.state(pid) == STATE["Succeeded"]
    governor.queue(*proposal.governor_args(), sender=proposer)
    assert governor.state(pid) == STATE["Queued"]
    eta = governor.proposalEta(pid)
    assert eta == chain.blocks.head.timestamp + timelock.getMinDelay()
    assert timelock.isOperationPending(proposal.timelock_operation_id(governor.address))

    to_eta(eta)
    receipt = governor.execute(*proposal.governor_args(), sender=proposer)

    assert governor.state(pid) == STATE["Executed"]
    assert registry.guardian() == new_guardian.address
    canceller = gov.TIMELOCK_ROLES["CANCELLER_ROLE"]
    assert timelock.hasRole(canceller, new_guardian) and not timelock.hasRole(canceller, guardian)
    assert gov.check_timelock_roles(timelock, governor, new_guardian) == []
    events = registry.GuardianSet.from_receipt(receipt)
    assert [(e.previous, e.current) for e in events] == [(guardian.address, new_guardian.address)]


def test_governor_settings__changed_by_proposal__take_effect(
    governor, proposer, whale, submit, mine_past, to_eta
):
    proposal = gov.Proposal.from_actions([gov.encode_call(governor, "setVotingPeriod", 100)], "Longer votes")
    pid = submit(proposal, proposer)
    mine_past(governor.proposalSnapshot(pid))
    governor.castVote(pid, FOR, sender=whale)
    mine_past(governor.proposalDeadline(pid))
    governor.queue(*proposal.governor_args(), sender=proposer)
    to_eta(governor.proposalEta(pid))
    governor.execute(*proposal.governor_args(), sender=proposer)
    assert governor.votingPeriod() == 100


def test_governor_settings__set_directly__reverts(governor, attacker, strict_reverts):
    with strict_reverts(governor.GovernorOnlyExecutor, account=attacker.address):
        governor.setVotingPeriod(1, sender=attacker)
    with strict_reverts(governor.GovernorOnlyExecutor, account=attacker.address):
        governor.updateQuorumNumerator(0, sender=attacker)
    with strict_reverts(governor.GovernorOnlyExecutor, account=attacker.address):
        governor.updateTimelock(attacker, sender=attacker)


def test_registry__set_guardian_directly_by_former_governance__reverts(registry, deployer, attacker, strict_reverts):
    with strict_reverts(registry.RegistryUnauthorized, caller=deployer.address):
        registry.setGuardian(attacker, sender=deployer)


def test_propose__below_threshold__reverts(governor, attacker, set_guardian_proposal, strict_reverts, params):
    proposal = set_guardian_proposal()
    with strict_reverts(
        governor.GovernorInsufficientProposerVotes,
        proposer=attacker.address,
        votes=0,
        threshold=params.proposal_threshold,
    ):
        governor.propose(proposal.targets, proposal.values, proposal.calldatas, proposal.description, sender=attacker)


def test_propose__same_proposal_twice__reverts(governor, proposer, submit, set_guardian_proposal, strict_reverts):
    proposal = set_guardian_proposal()
    pid = submit(proposal, proposer)
    with strict_reverts(governor.GovernorUnexpectedProposalState, proposalId=pid, current=STATE["Pending"]):
        submit(proposal, proposer)


def test_vote__before_snapshot__reverts(governor, proposer, whale, submit, set_guardian_proposal, strict_reverts):
    pid = submit(set_guardian_proposal(), proposer)
    with strict_reverts(governor.GovernorUnexpectedProposalState, proposalId=pid, current=STATE["Pending"]):
        governor.castVote(pid, FOR, sender=whale)


def test_vote__twice__reverts(governor, proposer, whale, submit, mine_past, set_guardian_proposal, strict_reverts):
    pid = submit(set_guardian_proposal(), proposer)
    mine_past(governor.proposalSnapshot(pid))
    governor.castVote(pid, FOR, sender=whale)
    with strict_reverts(governor.GovernorAlreadyCastVote, voter=whale.address):
        governor.castVote(pid, AGAINST, sender=whale)


def test_vote__after_deadline__reverts(
    governor, proposer, whale, submit, mine_past, set_guardian_proposal, strict_reverts
):
    pid = submit(set_guardian_proposal(), proposer)
    mine_past(governor.proposalDeadline(pid))
    with strict_reverts(governor.GovernorUnexpectedProposalState, proposalId=pid, current=STATE["Defeated"]):
        governor.castVote(pid, FOR, sender=whale)


def test_queue__quorum_not_reached__reverts_defeated(
    governor, proposer, minnow, submit, mine_past, set_guardian_proposal, strict_reverts, stakes
):
    proposal = set_guardian_proposal()
    pid = submit(proposal, proposer)
    mine_past(governor.proposalSnapshot(pid))
    governor.castVote(pid, FOR, sender=proposer)  # 2 % for, nobody against
    governor.castVote(pid, ABSTAIN, sender=minnow)  # abstentions count toward quorum: 3 % < 4 %
    mine_past(governor.proposalDeadline(pid))

    against, for_votes, abstain = governor.proposalVotes(pid)
    assert (against, for_votes, abstain) == (0, stakes.proposer, stakes.minnow)
    assert for_votes + abstain < governor.quorum(governor.proposalSnapshot(pid))
    assert governor.state(pid) == STATE["Defeated"]
    with strict_reverts(
        governor.GovernorUnexpectedProposalState,
        proposalId=pid,
        current=STATE["Defeated"],
        expectedStates=_bits(STATE["Succeeded"]),
    ):
        governor.queue(*proposal.governor_args(), sender=proposer)


def test_queue__more_against_than_for__reverts_defeated(
    governor, token, deployer, proposer, whale, attacker, submit, mine_past, set_guardian_proposal, strict_reverts
):
    token.transfer(attacker, 12 * 10**24, sender=deployer)
    token.invoke_transaction("delegate", attacker, sender=attacker)
    proposal = set_guardian_proposal()
    pid = submit(proposal, proposer)
    mine_past(governor.proposalSnapshot(pid))
    governor.castVote(pid, FOR, sender=whale)  # 10 %: quorum (for + abstain) reached
    governor.castVote(pid, AGAINST, sender=attacker)  # 12 %: but against wins
    mine_past(governor.proposalDeadline(pid))

    _, for_votes, abstain = governor.proposalVotes(pid)
    assert for_votes + abstain >= governor.quorum(governor.proposalSnapshot(pid))
    assert governor.state(pid) == STATE["Defeated"]
    with strict_reverts(governor.GovernorUnexpectedProposalState, proposalId=pid, current=STATE["Defeated"]):
        governor.queue(*proposal.governor_args(), sender=proposer)


def test_quorum__against_votes__do_not_count_toward_it(
    governor, proposer, whale, submit, mine_past, set_guardian_proposal
):
    pid = submit(set_guardian_proposal(), proposer)
    mine_past(governor.proposalSnapshot(pid))
    governor.castVote(pid, AGAINST, sender=whale)  # 10 % against, nothing for
    mine_past(governor.proposalDeadline(pid))
    line = gov.timeline(governor, pid)
    assert line.against_votes > line.quorum
    assert line.quorum_reached is False
    assert governor.state(pid) == STATE["Defeated"]


def test_queue__tie__is_defeated(
    governor, token, proposer, whale, minnow, deployer, submit, mine_past, set_guardian_proposal, stakes
):
    # Two equal camps of 10 % each: a tie does not pass (for must exceed against).
    token.transfer(minnow, stakes.whale - stakes.minnow, sender=deployer)
    proposal = set_guardian_proposal()
    pid = submit(proposal, proposer)
    mine_past(governor.proposalSnapshot(pid))
    governor.castVote(pid, FOR, sender=whale)
    governor.castVote(pid, AGAINST, sender=minnow)
    mine_past(governor.proposalDeadline(pid))
    against, for_votes, _ = governor.proposalVotes(pid)
    assert against == for_votes
    assert governor.state(pid) == STATE["Defeated"]


def test_execute__before_timelock_delay__reverts(governor, timelock, proposer, queued_proposal, strict_reverts, to_eta):
    proposal, eta = queued_proposal
    op_id = proposal.timelock_operation_id(governor.address)
    with strict_reverts(
        timelock.TimelockUnexpectedOperationState, operationId=op_id, expectedStates=_bits(OPERATION["Ready"])
    ):
        governor.execute(*proposal.governor_args(), sender=proposer)
    to_eta(eta - 2)  # one second short
    with strict_reverts(timelock.TimelockUnexpectedOperationState, operationId=op_id):
        governor.execute(*proposal.governor_args(), sender=proposer)


def test_execute__without_queue__reverts(
    governor, timelock, proposer, whale, submit, mine_past, set_guardian_proposal, strict_reverts
):
    proposal = set_guardian_proposal()
    pid = submit(proposal, proposer)
    mine_past(governor.proposalSnapshot(pid))
    governor.castVote(pid, FOR, sender=whale)
    mine_past(governor.proposalDeadline(pid))
    # Succeeded but never scheduled: the timelock knows no such operation.
    op_id = proposal.timelock_operation_id(governor.address)
    with strict_reverts(timelock.TimelockUnexpectedOperationState, operationId=op_id):
        governor.execute(*proposal.governor_args(), sender=proposer)


def test_execute__twice__reverts(governor, proposer, registry, new_guardian, queued_proposal, strict_reverts, to_eta):
    proposal, eta = queued_proposal
    to_eta(eta)
    governor.execute(*proposal.governor_args(), sender=proposer)
    assert registry.guardian() == new_guardian.address
    with strict_reverts(
        governor.GovernorUnexpectedProposalState,
        proposalId=proposal.proposal_id,
        current=STATE["Executed"],
        expectedStates=_bits(STATE["Succeeded"], STATE["Queued"]),
    ):
        governor.execute(*proposal.governor_args(), sender=proposer)


def test_execute__operation_directly_on_timelock_by_proposer_role_holder__reverts(
    timelock, governor, attacker, queued_proposal, strict_reverts, to_eta
):
    proposal, eta = queued_proposal
    to_eta(eta)
    with strict_reverts(
        timelock.AccessControlUnauthorizedAccount,
        account=attacker.address,
        neededRole=gov.TIMELOCK_ROLES["EXECUTOR_ROLE"],
    ):
        timelock.executeBatch(
            proposal.targets, proposal.values, proposal.calldatas, b"\0" * 32,
            proposal.timelock_salt(governor.address), sender=attacker,
        )


def test_cancel__by_proposer_while_pending__cancels(governor, proposer, submit, set_guardian_proposal):
    proposal = set_guardian_proposal()
    pid = submit(proposal, proposer)
    governor.cancel(*proposal.governor_args(), sender=proposer)
    assert governor.state(pid) == STATE["Canceled"]


def test_cancel__by_someone_else__reverts(governor, proposer, attacker, submit, set_guardian_proposal, strict_reverts):
    proposal = set_guardian_proposal()
    pid = submit(proposal, proposer)
    with strict_reverts(governor.GovernorUnableToCancel, proposalId=pid, account=attacker.address):
        governor.cancel(*proposal.governor_args(), sender=attacker)
