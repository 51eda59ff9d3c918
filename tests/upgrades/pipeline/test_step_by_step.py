"""Step-by-step mode (a real network): each step is a separate command that reads the pending proposal from the
record file; here each step opens a fresh pipeline over the saved file, as a new process would."""

from __future__ import annotations

import pytest

from strata import governance as gov
from strata.records import load_record
from strata.upgrades.pipeline import UpgradeError, UpgradePipeline, upgrade_proposals

MODULE = "PriceOracle"


def reopen(project, chain, accounts, pipeline) -> UpgradePipeline:
    """What `ape run upgrade PriceOracle --continue` starts from: the record as saved, nothing in memory."""
    record = load_record(pipeline.record_file)
    return UpgradePipeline(project, chain, accounts, record, pipeline.record_file, pipeline.sender, store=pipeline.store)


def test_advance__each_step_when_due__executes_verifies_and_records(project, chain, accounts, pipeline, proposed, voter, protocol, oracle_v2):
    prepared, pid = proposed
    governor = protocol.governor

    step = reopen(project, chain, accounts, pipeline).advance(MODULE, voter, voters=[voter])
    assert step.state == "Pending" and "voting opens after block" in step.waiting_for and not step.done

    chain.mine(int(governor.proposalSnapshot(pid)) - chain.blocks.head.number)
    step = reopen(project, chain, accounts, pipeline).advance(MODULE, voter, voters=[voter])
    assert step.state == "Active" and step.done == [f"{voter.address} voted for"] and "voting ends" in step.waiting_for
    assert reopen(project, chain, accounts, pipeline).advance(MODULE, voter, voters=[voter]).done == []  # no double vote

    chain.mine(int(governor.proposalDeadline(pid)) - chain.blocks.head.number)
    step = reopen(project, chain, accounts, pipeline).advance(MODULE, voter)
    assert step.state == "Queued" and step.done[0].startswith("queued") and "Timelock delay" in step.waiting_for

    chain.mine(timestamp=int(governor.proposalEta(pid)))
    final = reopen(project, chain, accounts, pipeline)
    step = final.advance(MODULE, voter)
    assert step.finished and step.verification.ok and step.state == "Executed"
    saved = load_record(pipeline.record_file)
    assert saved.require(MODULE).version == "2.0.0" and saved.require(MODULE).history[-1].proposal_id == pid
    assert "pending_upgrades" not in saved.parameters
    assert oracle_v2.verify(final) == []


def test_advance__executed_by_someone_else__verifies_and_records(project, chain, accounts, pipeline, proposed, voter, outsider, protocol):
    prepared, pid = proposed
    proposal = reopen(project, chain, accounts, pipeline).pending(MODULE).proposal(prepared.proxy)
    # The same steps by hand, as any token holder may take them, without the pipeline.
    governor = protocol.governor
    gov.advance_to_block(int(governor.proposalSnapshot(pid)), fast_forward=True)
    gov.vote(governor, voter, pid, "for")
    gov.advance_to_block(int(governor.proposalDeadline(pid)), fast_forward=True)
    eta = gov.queue(governor, outsider, proposal)
    gov.advance_to_timestamp(eta, fast_forward=True)
    gov.execute(governor, outsider, proposal)

    step = reopen(project, chain, accounts, pipeline).advance(MODULE, voter)

    assert step.finished and step.verification.ok
    assert step.done[0].startswith("found executed in block")
    assert load_record(pipeline.record_file).require(MODULE).version == "2.0.0"


def test_advance__defeated__drops_the_pending_entry(project, chain, accounts, pipeline, proposed, voter, protocol):
    _, pid = proposed
    pipe = reopen(project, chain, accounts, pipeline)
    with pytest.raises(UpgradeError, match="Defeated"):
        pipe.advance(MODULE, voter, voters=[voter], support="against", fast_forward=True)
    saved = load_record(pipeline.record_file)
    assert "pending_upgrades" not in saved.parameters and saved.require(MODULE).version == "1.0.0"


def test_prepare__while_an_upgrade_is_pending__refused(pipeline, proposed, oracle_v2):
    with pytest.raises(UpgradeError, match="already has a pending upgrade"):
        oracle_v2.prepare(pipeline)


def test_advance__nothing_pending__one_line_error(pipeline, voter):
    with pytest.raises(UpgradeError, match="no pending upgrade of LiquidationEngine"):
        pipeline.advance("LiquidationEngine", voter)


def test_upgrade_proposals__pending_upgrade__listed_with_state(pipeline, proposed, protocol, chain):
    prepared, pid = proposed
    [found] = upgrade_proposals(protocol.governor, pipeline.record)
    assert (found.proposal_id, found.module, found.implementation, found.state) == (pid, MODULE, prepared.implementation, "Pending")
    assert found.contract == "PriceOracleV2 2.0.0"
    assert found.title == f"Upgrade {MODULE} to PriceOracleV2 2.0.0"
    chain.mine(2)
    assert [p.state for p in upgrade_proposals(protocol.governor, pipeline.record, states=("Active",))] == ["Active"]
    assert upgrade_proposals(protocol.governor, pipeline.record, states=("Executed",)) == []
