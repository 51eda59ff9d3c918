"""The invariant snapshot reads every section, and its diff reports exactly what changed."""

from __future__ import annotations

from strata.upgrades.invariants import InvariantSnapshot, capture, diff, implementation_paths

WAD = 10**18


def test_capture__deployed_protocol__reads_every_section(pipeline, positions, protocol, voter, guardian):
    snapshot = capture(pipeline.invariant_context())
    for name in ("ModuleRegistry", "LendingPool", "PriceOracle", "LiquidationEngine", "FlashLoanModule", "StrataGovernor"):
        assert snapshot[f"proxy.{name}.version"] == "1.0.0"
        assert snapshot[f"proxy.{name}.implementation"] == pipeline.record.require(name).implementation
    assert snapshot["registry.governance"] == protocol.timelock.address
    assert snapshot["registry.guardian"] == guardian.address
    assert snapshot["registry.module.LENDING_POOL"] == protocol.pool.address
    assert snapshot["timelock.PROPOSER_ROLE"] == [protocol.governor.address]
    assert sorted(snapshot["timelock.CANCELLER_ROLE"]) == sorted([protocol.governor.address, guardian.address])
    assert snapshot["params.LiquidationEngine.closeFactor"] == WAD // 2
    assert snapshot["price.WETH"] == 3_000 * WAD
    borrower = positions["borrower"].address
    assert snapshot[f"position.{borrower}.USDC.borrowed"] > 0
    assert WAD < snapshot[f"account.{borrower}.healthFactor"] < 2 * WAD
    assert snapshot["balance.USDC.LendingPool"] == protocol.assets["USDC"].balanceOf(protocol.pool)
    assert snapshot["reserve.USDC.liquidityIndex"] >= 10**27


def test_diff__a_user_action__reported_as_violations_only_where_it_acted(pipeline, positions, protocol, supplier, chain):
    ctx = pipeline.invariant_context()
    before = capture(ctx)
    usdc = protocol.assets["USDC"]
    chain.provider.set_timestamp(before.timestamp)  # same timestamp: no interest, only the withdrawal moves
    protocol.pool.withdraw(usdc, 1_000 * 10**6, supplier, sender=supplier)
    result = diff(before, capture(ctx))
    changed = {c.path for c in result.changes}
    assert f"position.{supplier.address}.USDC.supplied" in changed
    assert "balance.USDC.LendingPool" in changed and "reserve.USDC.cash" in changed
    assert not any(p.startswith(("proxy.", "registry.", "timelock.", "price.")) for p in changed)
    assert not result.ok and result.elapsed == 0


def test_diff__allowed_paths__not_violations():
    before = InvariantSnapshot(1, 100, {"proxy.A.implementation": "0x1", "proxy.A.version": "1.0.0", "proxy.B.version": "1.0.0"})
    after = InvariantSnapshot(2, 100, {"proxy.A.implementation": "0x2", "proxy.A.version": "2.0.0", "proxy.B.version": "1.1.0"})
    result = diff(before, after, implementation_paths("A"))
    assert [c.path for c in result.violations] == ["proxy.B.version"]
    assert len(result.changes) == 3 and result.compared == 3


def test_diff__added_and_removed_paths__reported():
    result = diff(InvariantSnapshot(1, 100, {"a": 1}), InvariantSnapshot(2, 100, {"b": 1}))
    assert {(c.path, c.kind) for c in result.changes} == {("a", "removed"), ("b", "added")}


def test_diff__time_sensitive_values_across_time__tolerated_within_max_rate_only():
    rate = 317_097_919_837  # 1000% a year, per second, in WAD
    before = InvariantSnapshot(1, 1_000, {"position.0xA.USDC.borrowed": 10**12, "reserve.USDC.cash": 10**12})
    grown = InvariantSnapshot(2, 1_012, {"position.0xA.USDC.borrowed": 10**12 + 7_000, "reserve.USDC.cash": 10**12})
    assert diff(before, grown, max_rate_per_second=rate).ok
    assert diff(before, grown, max_rate_per_second=rate).within_interest == 1
    jumped = InvariantSnapshot(2, 1_012, {"position.0xA.USDC.borrowed": 10**12 + 10**9, "reserve.USDC.cash": 10**12})
    assert [c.path for c in diff(before, jumped, max_rate_per_second=rate).violations] == ["position.0xA.USDC.borrowed"]
    cash_moved = InvariantSnapshot(2, 1_012, {"position.0xA.USDC.borrowed": 10**12, "reserve.USDC.cash": 10**12 + 1})
    assert not diff(before, cash_moved, max_rate_per_second=rate).ok  # cash does not accrue: exact
    same_time = InvariantSnapshot(2, 1_000, {"position.0xA.USDC.borrowed": 10**12 + 1, "reserve.USDC.cash": 10**12})
    assert not diff(before, same_time, max_rate_per_second=rate).ok  # no time passed: exact
