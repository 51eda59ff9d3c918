"""End to end: PriceOracle 1.0.0 → 2.0.0 through governance while positions are open, the fallback put to use by
a second proposal, then a rollback to 1.0.0 (the fallback's storage stays, unused)."""

from __future__ import annotations

import ape
import pytest

from strata import governance as gov
from strata.chain import implementation_of
from strata.upgrades.invariants import capture
from tests.upgrades.pipeline.conftest import make_pipeline

WAD = 10**18
HOUR = 3600
DAY = 86_400
MODULE = "PriceOracle"


@pytest.fixture(scope="module")
def module_pipeline(project, chain, accounts, strata, deployer, tmp_path_factory, build_info_store):
    return make_pipeline(project, chain, accounts, strata.record, deployer, tmp_path_factory.mktemp("oracle") / "local.json", build_info_store)


@pytest.fixture(scope="module")
def upgraded(module_pipeline, positions, oracle_v2, voter):
    before = capture(module_pipeline.invariant_context())
    steps = oracle_v2.enact(module_pipeline, voter, [voter], fast_forward=True)
    return steps, before


@pytest.fixture(scope="module")
def fallback(project, deployer):
    return deployer.deploy(project.MockAggregatorV3, 8, 2_990 * 10**8)


@pytest.fixture(scope="module", autouse=True)
def module_state(upgraded, fallback):
    """Module-scoped state first, before any test's own transactions (ape snapshots scope by scope)."""

def set_fallback_by_proposal(protocol, voter, asset, feed, heartbeat):
    oracle = ape.project.PriceOracleV2.at(protocol.oracle.address)
    action = gov.encode_call(oracle, "setFallbackFeed", asset, feed, heartbeat)
    gov.run_lifecycle(protocol.governor, voter, [action], f"WETH fallback feed {feed.address}", voters=[voter])


def test_upgrade__open_positions__verified_and_every_invariant_identical(upgraded, module_pipeline, oracle_v2, chain, protocol):
    steps, before = upgraded
    report = steps.verification
    assert report.ok, report.problems
    assert report.invariants.elapsed == 0
    assert {c.path for c in report.invariants.changes} == {f"proxy.{MODULE}.implementation", f"proxy.{MODULE}.version"}
    assert len(before.select("price.*")) == 3 and len(before.select("position.*")) >= 12
    assert oracle_v2.verify(module_pipeline) == []
    after = capture(module_pipeline.invariant_context())
    for path, value in before.select("proxy.*").items():
        if not path.startswith(f"proxy.{MODULE}."):
            assert after[path] == value, path
    assert after.select("params.*") == before.select("params.*")
    entry = module_pipeline.record.require(MODULE)
    assert [h.version for h in entry.history] == ["1.0.0", "2.0.0"]
    assert implementation_of(chain.provider, protocol.oracle.address) == entry.implementation


def test_fallback__set_by_governance_after_upgrade__prices_a_stale_primary(upgraded, protocol, voter, fallback, deployer, chain):
    weth = protocol.assets["WETH"]
    set_fallback_by_proposal(protocol, voter, weth, fallback, 2 * HOUR)
    fallback.setAnswer(2_990 * 10**8, sender=deployer)
    protocol.feeds["WETH"].setUpdatedAt(chain.pending_timestamp - DAY - HOUR, sender=deployer)
    assert protocol.oracle.getAssetPrice(weth) == 2_990 * WAD


def test_rollback__to_v1__fallback_unused_and_history_kept(
    project, chain, accounts, upgraded, module_pipeline, protocol, voter, fallback, deployer, tmp_path, build_info_store
):
    weth = protocol.assets["WETH"]
    set_fallback_by_proposal(protocol, voter, weth, fallback, 2 * HOUR)
    pipe = make_pipeline(project, chain, accounts, module_pipeline.record, deployer, tmp_path / "local.json", build_info_store)

    outcome = pipe.rollback(MODULE, voter, [voter], fast_forward=True)

    assert outcome.verification.ok, outcome.verification.problems
    assert protocol.oracle.version() == "1.0.0"
    assert [(h.contract, h.version) for h in pipe.record.require(MODULE).history] == [
        ("PriceOracle", "1.0.0"), ("PriceOracleV2", "2.0.0"), ("PriceOracle", "1.0.0")
    ]
    protocol.feeds["WETH"].setUpdatedAt(chain.pending_timestamp - DAY - HOUR, sender=deployer)
    fallback.setAnswer(2_990 * 10**8, sender=deployer)
    with ape.reverts(protocol.oracle.PriceOracleStalePrice):
        protocol.oracle.getAssetPrice(weth)  # version 1 knows no fallback
