"""End to end: LiquidationEngine 1.0.0 → 2.0.0 through governance while positions are open, then back to 1.0.0.

The upgrade is the shipped one (scripts/upgrades/20261125_liquidation_v2.py), run by the pipeline once per module;
each test starts from the upgraded state (ape's module isolation).
"""

from __future__ import annotations

import pytest

from strata.chain import implementation_of
from strata.upgrades.invariants import capture
from strata.upgrades.rehearsal import pin_next_timestamp
from tests.upgrades.pipeline.conftest import make_pipeline

WAD = 10**18
MAX = 2**256 - 1
MODULE = "LiquidationEngine"


def v2_bonus(health_factor: int, cap: int, start: int, floor: int) -> int:
    """The Dutch-auction bonus of LiquidationEngineV2 (down), written independently of the contract."""
    if start >= cap or health_factor <= floor:
        return cap
    if health_factor >= WAD:
        return start
    return start + (cap - start) * (WAD - health_factor) // (WAD - floor)


@pytest.fixture(scope="module")
def module_pipeline(project, chain, accounts, strata, deployer, tmp_path_factory, build_info_store):
    record_file = tmp_path_factory.mktemp("liq") / "local.json"
    return make_pipeline(project, chain, accounts, strata.record, deployer, record_file, build_info_store)


@pytest.fixture(scope="module")
def upgraded(module_pipeline, positions, liquidation_v2, voter):
    """The shipped upgrade, executed through the Governor with positions open; returns (outcome, state before)."""
    before = capture(module_pipeline.invariant_context())
    prepared = liquidation_v2.prepare(module_pipeline)
    steps = liquidation_v2.enact(module_pipeline, voter, [voter], prepared=prepared, fast_forward=True)
    return prepared, steps, before


@pytest.fixture(scope="module", autouse=True)
def module_state(upgraded, liquidator, borrower):
    """Module-scoped state first, before any test's own transactions (ape snapshots scope by scope)."""

def make_unhealthy(protocol, reporter, weth_price_usd: int) -> None:
    protocol.feeds["WETH"].setAnswer(weth_price_usd * 10**8, sender=reporter)
    for symbol in ("USDC", "WBTC"):
        feed = protocol.feeds[symbol]
        feed.setAnswer(feed.latestRoundData()[1], sender=reporter)


def test_upgrade__open_positions__every_invariant_identical(module_pipeline, upgraded, protocol, chain):
    prepared, steps, before = upgraded
    report = steps.verification
    assert report is not None and report.ok, report.problems
    # The execution block carries its parent's timestamp: positions, balances and indices compared exactly.
    assert report.invariants.elapsed == 0
    assert report.invariants.within_interest == 0
    changed = {c.path for c in report.invariants.changes}
    assert changed == {f"proxy.{MODULE}.implementation", f"proxy.{MODULE}.version"}
    positions = [p for p in before.values if p.startswith("position.")]
    assert len(positions) >= 4 * 3  # four accounts, three reserves
    assert prepared.rehearsal.ok and prepared.safety.ok
    # The reference is the deployed 1.0.0's kept build-info, not today's source.
    assert any("reference: the deployed LiquidationEngine 1.0.0, kept in" in note for note in prepared.safety.notes)
    assert implementation_of(chain.provider, protocol.liquidation.address) == prepared.implementation


def test_upgrade__other_modules__implementations_and_versions_untouched(module_pipeline, upgraded):
    _, _, before = upgraded
    after = capture(module_pipeline.invariant_context())
    for path, value in before.select("proxy.*").items():
        if not path.startswith(f"proxy.{MODULE}."):
            assert after[path] == value, path
    assert after[f"proxy.{MODULE}.version"] == "2.0.0"
    for path in ("registry.*", "timelock.*", "params.*", "balance.*"):
        assert after.select(path) == before.select(path), path


def test_upgrade__record__current_implementation_and_history(module_pipeline, upgraded, build_info_store, liquidation_v2):
    prepared, steps, _ = upgraded
    entry = module_pipeline.record.require(MODULE)
    assert (entry.contract, entry.version, entry.implementation) == ("LiquidationEngineV2", "2.0.0", prepared.implementation)
    assert [h.version for h in entry.history] == ["1.0.0", "2.0.0"]
    assert entry.history[-1].proposal_id == steps.proposal_id
    assert module_pipeline.record.require(f"{MODULE}Implementation@2.0.0").address == prepared.implementation
    assert module_pipeline.pending(MODULE) is None
    # Saved atomically to the file, and the build-info kept as the reference of the next upgrade.
    from strata.records import load_record

    saved = load_record(module_pipeline.record_file).require(MODULE)
    assert [h.version for h in saved.history] == ["1.0.0", "2.0.0"]
    assert "2.0.0" in build_info_store.versions("LiquidationEngineV2")
    # Each history entry names its kept build-info: the deployer's 1.0.0 (the repo's), the pipeline's 2.0.0.
    assert saved.history[0].build_info == "build-info/LiquidationEngine-1.0.0.json"
    assert saved.history[-1].build_info == str(build_info_store.path_for("LiquidationEngineV2", "2.0.0"))
    assert liquidation_v2.verify(module_pipeline) == []


def test_liquidate__after_upgrade__follows_the_v2_auction_bonus(chain, upgraded, protocol, liquidation_v2, borrower, liquidator, deployer):
    engine = protocol.liquidation
    usdc, weth = protocol.assets["USDC"], protocol.assets["WETH"]
    make_unhealthy(protocol, deployer, 2_300)
    health = int(protocol.pool.getAccountData(borrower).healthFactor)
    cap = int(protocol.pool.getLiquidationParams(weth)[1])
    assert liquidation_v2.FLOOR_HEALTH_FACTOR < health < WAD

    preview = engine.previewLiquidation(borrower, usdc, weth, MAX)
    expected = v2_bonus(health, cap, liquidation_v2.START_BONUS, liquidation_v2.FLOOR_HEALTH_FACTOR)
    assert int(preview.liquidationBonus) == expected < cap

    usdc.mint(liquidator, 2 * int(preview.repayAmount), sender=liquidator)
    usdc.approve(protocol.pool, MAX, sender=liquidator)
    preview = engine.previewLiquidation(borrower, usdc, weth, MAX)
    pin_next_timestamp(chain, chain.blocks.head.timestamp)  # the preview's timestamp: no interest in between
    receipt = engine.liquidate(borrower, usdc, weth, MAX, sender=liquidator)
    [event] = receipt.decode_logs(protocol.pool.LiquidationExecuted)
    assert int(event.seizeAmount) == int(preview.seizeAmount)


def test_rollback__to_v1__liquidation_follows_v1_and_history_is_kept(
    project, chain, accounts, module_pipeline, upgraded, protocol, voter, deployer, borrower, liquidator, tmp_path, build_info_store
):
    prepared, _, before = upgraded
    pipe = make_pipeline(project, chain, accounts, module_pipeline.record, deployer, tmp_path / "local.json", build_info_store)
    v1 = pipe.record.require(MODULE).history[0]

    outcome = pipe.rollback(MODULE, voter, [voter], fast_forward=True)

    assert outcome.verification.ok, outcome.verification.problems
    assert implementation_of(chain.provider, protocol.liquidation.address) == v1.address
    assert protocol.liquidation.version() == "1.0.0"
    # Undoing an append-only upgrade waives exactly the newer version's functions and trailing fields.
    assert {p.kind for p in outcome.prepared.safety.waived} == {"function-removed", "storage-delete"}
    # 2.0.0's build-info was kept when it was deployed: the rollback is checked against it, towards the kept 1.0.0.
    notes = outcome.prepared.safety.notes
    assert any("reference: the deployed LiquidationEngineV2 2.0.0, kept in" in note for note in notes), notes
    assert not any("no kept build-info" in note for note in notes), notes
    entry = pipe.record.require(MODULE)
    assert [(h.contract, h.version) for h in entry.history] == [
        ("LiquidationEngine", "1.0.0"), ("LiquidationEngineV2", "2.0.0"), ("LiquidationEngine", "1.0.0")
    ]
    assert entry.history[-1].address == v1.address and entry.history[-1].proposal_id == outcome.proposal_id
    assert (entry.contract, entry.version, entry.implementation) == ("LiquidationEngine", "1.0.0", v1.address)

    usdc, weth = protocol.assets["USDC"], protocol.assets["WETH"]
    make_unhealthy(protocol, deployer, 2_300)
    cap = int(protocol.pool.getLiquidationParams(weth)[1])
    preview = project.LiquidationEngine.at(protocol.liquidation.address).previewLiquidation(borrower, usdc, weth, MAX)
    assert int(preview.liquidationBonus) == cap  # version 1: the reserve's bonus, whatever the health factor
