"""The guardian can cancel a queued operation on the timelock, and nothing else."""

from strata import governance as gov

ROLES = gov.TIMELOCK_ROLES
STATE = {name: index for index, name in enumerate(gov.PROPOSAL_STATES)}
ZERO32 = b"\0" * 32


def test_cancel__guardian_on_queued_operation__kills_the_proposal(
    governor, timelock, registry, guardian, proposer, queued_proposal, to_eta, strict_reverts
):
    proposal, eta = queued_proposal
    op_id = proposal.timelock_operation_id(governor.address)
    assert timelock.isOperationPending(op_id)

    receipt = timelock.cancel(op_id, sender=guardian)

    assert [bytes(e.id) for e in timelock.Cancelled.from_receipt(receipt)] == [op_id]
    assert not timelock.isOperation(op_id)
    assert governor.state(proposal.proposal_id) == STATE["Canceled"]
    to_eta(eta)
    with strict_reverts(
        governor.GovernorUnexpectedProposalState, proposalId=proposal.proposal_id, current=STATE["Canceled"]
    ):
        governor.execute(*proposal.governor_args(), sender=proposer)
    assert registry.guardian() == guardian.address  # the rotation never happened


def test_cancel__guardian_on_executed_operation__reverts(
    governor, timelock, guardian, proposer, queued_proposal, to_eta, strict_reverts
):
    proposal, eta = queued_proposal
    to_eta(eta)
    governor.execute(*proposal.governor_args(), sender=proposer)
    op_id = proposal.timelock_operation_id(governor.address)
    with strict_reverts(timelock.TimelockUnexpectedOperationState, operationId=op_id):
        timelock.cancel(op_id, sender=guardian)


def test_cancel__non_canceller_on_queued_operation__reverts(
    governor, timelock, attacker, queued_proposal, strict_reverts
):
    proposal, _ = queued_proposal
    with strict_reverts(
        timelock.AccessControlUnauthorizedAccount, account=attacker.address, neededRole=ROLES["CANCELLER_ROLE"]
    ):
        timelock.cancel(proposal.timelock_operation_id(governor.address), sender=attacker)


def test_guardian__schedule_on_timelock__reverts(timelock, registry, guardian, strict_reverts):
    data = registry.setGuardian.encode_input(guardian)
    with strict_reverts(
        timelock.AccessControlUnauthorizedAccount, account=guardian.address, neededRole=ROLES["PROPOSER_ROLE"]
    ):
        timelock.schedule(registry, 0, data, ZERO32, ZERO32, timelock.getMinDelay(), sender=guardian)


def test_guardian__execute_ready_operation_on_timelock__reverts(
    governor, timelock, guardian, queued_proposal, to_eta, strict_reverts
):
    proposal, eta = queued_proposal
    to_eta(eta)
    assert timelock.isOperationReady(proposal.timelock_operation_id(governor.address))
    with strict_reverts(
        timelock.AccessControlUnauthorizedAccount, account=guardian.address, neededRole=ROLES["EXECUTOR_ROLE"]
    ):
        timelock.executeBatch(
            proposal.targets,
            proposal.values,
            proposal.calldatas,
            ZERO32,
            proposal.timelock_salt(governor.address),
            sender=guardian,
        )


def test_guardian__propose__reverts(governor, guardian, set_guardian_proposal, strict_reverts):
    proposal = set_guardian_proposal()
    with strict_reverts(governor.GovernorInsufficientProposerVotes, proposer=guardian.address, votes=0):
        governor.propose(proposal.targets, proposal.values, proposal.calldatas, proposal.description, sender=guardian)


def test_guardian__cancel_pending_proposal_on_governor__reverts(
    governor, guardian, proposer, submit, set_guardian_proposal, strict_reverts
):
    proposal = set_guardian_proposal()
    pid = submit(proposal, proposer)
    with strict_reverts(governor.GovernorUnableToCancel, proposalId=pid, account=guardian.address):
        governor.cancel(*proposal.governor_args(), sender=guardian)


def test_guardian__upgrade_governor__reverts(project, governor, guardian, strict_reverts):
    new_impl = guardian.deploy(project.StrataGovernor)
    with strict_reverts(governor.GovernorOnlyExecutor, account=guardian.address):
        governor.upgradeToAndCall(new_impl, b"", sender=guardian)


def test_guardian__grant_itself_a_timelock_role__reverts(timelock, guardian, strict_reverts):
    with strict_reverts(
        timelock.AccessControlUnauthorizedAccount, account=guardian.address, neededRole=ROLES["DEFAULT_ADMIN_ROLE"]
    ):
        timelock.grantRole(ROLES["PROPOSER_ROLE"], guardian, sender=guardian)


def test_guardian__change_timelock_delay__reverts(timelock, guardian, strict_reverts):
    with strict_reverts(timelock.TimelockUnauthorizedCaller, caller=guardian.address):
        timelock.updateDelay(0, sender=guardian)


def test_guardian__change_registry__reverts(registry, guardian, strict_reverts):
    with strict_reverts(registry.RegistryUnauthorized, caller=guardian.address):
        registry.setGuardian(guardian, sender=guardian)
    with strict_reverts(registry.RegistryUnauthorized, caller=guardian.address):
        registry.transferGovernance(guardian, sender=guardian)
