"""Voting power is read at the proposal's snapshot: bought or flash-lent tokens arrive too late (Beanstalk)."""

from strata import governance as gov

FOR, AGAINST = gov.SUPPORT["for"], gov.SUPPORT["against"]


def test_vote__tokens_bought_after_snapshot__count_for_nothing(
    governor, token, proposer, whale, attacker, submit, mine_past, set_guardian_proposal, stakes
):
    pid = submit(set_guardian_proposal(), proposer)
    mine_past(governor.proposalSnapshot(pid))
    # The attacker buys the whale's whole stake after the snapshot and delegates it to itself.
    token.transfer(attacker, stakes.whale, sender=whale)
    token.invoke_transaction("delegate", attacker, sender=attacker)
    assert token.getVotes(attacker) == stakes.whale  # live voting power: the whole stake

    receipt = governor.castVote(pid, FOR, sender=attacker)

    assert [log.weight for log in governor.VoteCast.from_receipt(receipt)] == [0]
    assert governor.proposalVotes(pid) == (0, 0, 0)
    # The seller still votes with what it held at the snapshot: votes cannot be sold mid-vote.
    governor.castVote(pid, AGAINST, sender=whale)
    assert governor.proposalVotes(pid) == (stakes.whale, 0, 0)


def test_vote__tokens_bought_before_snapshot__count(
    governor, token, proposer, whale, attacker, submit, mine_past, set_guardian_proposal, stakes, chain
):
    # Control for the test above: the same purchase a few blocks earlier (in the snapshot block) does count.
    token.invoke_transaction("delegate", attacker, sender=attacker)
    pid = submit(set_guardian_proposal(), proposer)
    receipt = token.transfer(attacker, stakes.whale, sender=whale)
    assert receipt.block_number == governor.proposalSnapshot(pid)
    mine_past(governor.proposalSnapshot(pid))

    governor.castVote(pid, FOR, sender=attacker)

    assert governor.proposalVotes(pid) == (0, stakes.whale, 0)


def test_vote__flash_lent_tokens__count_for_nothing(
    project, governor, token, lender, proposer, attacker, submit, mine_past, set_guardian_proposal, stakes
):
    voter = attacker.deploy(project.FlashLoanVoterMock, lender, governor, token)
    pid = submit(set_guardian_proposal(), proposer)
    mine_past(governor.proposalSnapshot(pid))
    quorum = governor.quorum(governor.proposalSnapshot(pid))
    assert stakes.lender > quorum  # the loan alone would pass the proposal if it counted

    voter.attackVote(pid, FOR, stakes.lender, sender=attacker)

    assert voter.votesDuringLoan() == stakes.lender  # the loan was real and delegated
    assert voter.countedWeight() == 0  # ...and the Governor counted nothing
    assert governor.hasVoted(pid, voter)
    assert governor.proposalVotes(pid) == (0, 0, 0)
    assert token.balanceOf(lender) == stakes.lender  # repaid within the transaction


def test_propose__with_flash_lent_tokens__reverts(
    project, governor, token, lender, attacker, strict_reverts, stakes, params
):
    voter = attacker.deploy(project.FlashLoanVoterMock, lender, governor, token)
    assert stakes.lender > params.proposal_threshold
    # The threshold is checked at the previous block, before the loan existed.
    with strict_reverts(
        governor.GovernorInsufficientProposerVotes,
        proposer=voter.address,
        votes=0,
        threshold=params.proposal_threshold,
    ):
        voter.attackPropose(stakes.lender, sender=attacker)


def test_flash_lender__loan_above_liquidity__reverts(
    project, governor, token, lender, attacker, stakes, strict_reverts
):
    # The lender lends what it holds, no more: the attacks above borrowed real, pre-existing tokens.
    voter = attacker.deploy(project.FlashLoanVoterMock, lender, governor, token)
    assert lender.maxFlashLoan(token) == stakes.lender
    assert lender.flashFee(token, stakes.lender) == 0
    with strict_reverts(token.ERC20InsufficientBalance, sender=lender.address, needed=stakes.lender + 1):
        voter.attackPropose(stakes.lender + 1, sender=attacker)
