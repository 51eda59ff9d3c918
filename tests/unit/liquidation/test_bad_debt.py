"""Bad debt: a liquidation that leaves a borrower with debt and no collateral has the pool write the debt off,
first against the debt reserve's protocol reserves, then by lowering its liquidity index (socialised)."""

from __future__ import annotations

import pytest

from tests.unit.liquidation.helpers import liquidate_and_measure
from tests.unit.liquidation.market import MAX_UINT256, RAY, WAD

YEAR = 365 * 24 * 3600


def reserve(market, symbol):
    return market.pool.getReserveData(market[symbol].address)


def same_timestamp_as_latest_block(chain) -> None:
    """The next transaction is mined at the latest block's timestamp: the reserve state read by a view before it
    already includes all the interest the transaction will accrue, so before/after differences are exact."""
    chain.pending_timestamp = chain.blocks.head.timestamp


def crash_into_bad_debt(market, borrower, open_position, wbtc_amount: str, usdc_debt: str) -> None:
    """WBTC collateral, USDC debt, then WBTC at a third of its price: collateral worth less than the debt."""
    open_position(borrower, "WBTC", wbtc_amount, "USDC", usdc_debt)
    market.set_price("WBTC", "20000")


def test_bad_debt__no_protocol_reserves__socialised_through_index(
    market, engine, pool, open_position, borrower, supplier, funded_liquidator
):
    crash_into_bad_debt(market, borrower, open_position, "1", "40000")
    before = reserve(market, "USDC")
    supplier_before = market.supplied_of(supplier, "USDC")
    assert before.protocolReserves == 0

    moved = liquidate_and_measure(market, funded_liquidator, borrower, "USDC", "WBTC")

    written = moved.receipt.decode_logs(pool.BadDebtWrittenOff)
    assert len(written) == 1
    event = written[0]
    left = 40_000 * 10**6 - moved.debt_spent
    assert event.borrower == borrower.address and event.asset == market["USDC"].address
    assert event.amount == left
    assert (event.coveredByReserves, event.socialised) == (0, left)

    after = reserve(market, "USDC")
    assert after.liquidityIndex < before.liquidityIndex
    assert before.totalSupplied - after.totalSupplied == pytest.approx(left, abs=2)
    assert supplier_before - market.supplied_of(supplier, "USDC") == pytest.approx(left, abs=2)
    assert market.debt_of(borrower, "USDC") == 0
    assert market.supplied_of(borrower, "WBTC") == 0

    cleared = moved.receipt.decode_logs(engine.BadDebtCleared)
    assert len(cleared) == 1
    assert cleared[0].borrower == borrower.address and cleared[0].liquidator == funded_liquidator.address
    assert cleared[0].debtValue == pytest.approx(left * market.price("USDC") // 10**6, abs=1)


@pytest.fixture
def usdc_protocol_reserves(market, pool, governance, second_borrower, open_position) -> int:
    """A year of interest on a 5M USDC borrow with a 10% reserve factor: protocol reserves of ~$40k."""
    pool.setRateModel(market["USDC"].address, market.interest_rate_model, sender=governance)
    open_position(second_borrower, "WETH", "4000", "USDC", "5000000")
    market.chain_time_travel(YEAR)
    return int(reserve(market, "USDC").protocolReserves)


def test_bad_debt__smaller_than_protocol_reserves__covered_without_touching_suppliers(
    chain, market, engine, pool, open_position, borrower, funded_liquidator, usdc_protocol_reserves
):
    assert usdc_protocol_reserves > 30_000 * 10**6
    crash_into_bad_debt(market, borrower, open_position, "1", "40000")  # ~$21.8k of bad debt
    before = reserve(market, "USDC")
    same_timestamp_as_latest_block(chain)

    moved = liquidate_and_measure(market, funded_liquidator, borrower, "USDC", "WBTC")

    event = moved.receipt.decode_logs(pool.BadDebtWrittenOff)[0]
    assert event.amount > 0
    assert (event.coveredByReserves, event.socialised) == (event.amount, 0)
    after = reserve(market, "USDC")
    assert after.liquidityIndex == before.liquidityIndex
    # The reserves paid the loss (the repayment itself leaves them unchanged, ±1 wei of rounding).
    assert before.protocolReserves - after.protocolReserves == pytest.approx(event.amount, abs=2)
    assert market.debt_of(borrower, "USDC") == 0


def test_bad_debt__larger_than_protocol_reserves__reserves_first_then_socialised(
    chain, market, engine, pool, open_position, borrower, funded_liquidator, usdc_protocol_reserves
):
    crash_into_bad_debt(market, borrower, open_position, "10", "400000")  # ~$218k of bad debt
    before = reserve(market, "USDC")
    same_timestamp_as_latest_block(chain)

    moved = liquidate_and_measure(market, funded_liquidator, borrower, "USDC", "WBTC")

    event = moved.receipt.decode_logs(pool.BadDebtWrittenOff)[0]
    assert event.coveredByReserves == pytest.approx(before.protocolReserves, abs=2)
    assert event.socialised == event.amount - event.coveredByReserves > 0
    after = reserve(market, "USDC")
    assert after.protocolReserves <= 2
    assert after.liquidityIndex < before.liquidityIndex
    assert after.liquidityIndex >= RAY // 2  # a loss, not a wipe-out


def test_bad_debt__several_debt_reserves__each_written_off(
    market, engine, pool, open_position, borrower, funded_liquidator
):
    open_position(borrower, "WBTC", "1", "USDC", "20000")
    market.borrow(borrower, "WETH", market["WETH"].units("5"))  # $15k
    market.set_price("WBTC", "15000")

    moved = liquidate_and_measure(market, funded_liquidator, borrower, "USDC", "WBTC")

    assets = {e.asset for e in moved.receipt.decode_logs(pool.BadDebtWrittenOff)}
    assert assets == {market["USDC"].address, market["WETH"].address}
    data = pool.getAccountData(borrower)
    assert (data.debtValue, data.collateralValue) == (0, 0)


def test_bad_debt__collateral_left_in_another_reserve__not_written_off(
    market, engine, pool, open_position, borrower, funded_liquidator, wbtc
):
    open_position(borrower, "WETH", "40", "USDC", "60000")
    market.supply(borrower, "WBTC", wbtc.units("0.1"))
    market.set_price("WETH", "1700")

    moved = liquidate_and_measure(market, funded_liquidator, borrower, "USDC", "WBTC")

    assert market.supplied_of(borrower, "WBTC") == 0
    assert not moved.receipt.decode_logs(pool.BadDebtWrittenOff)
    assert not moved.receipt.decode_logs(engine.BadDebtCleared)
    assert market.debt_of(borrower, "USDC") > 0


def test_bad_debt__preview__flags_exhausted_collateral(market, engine, open_position, borrower):
    crash_into_bad_debt(market, borrower, open_position, "1", "40000")
    preview = engine.previewLiquidation(borrower, market["USDC"].address, market["WBTC"].address, MAX_UINT256)
    assert preview.collateralExhausted
    assert preview.seizeAmount == market.supplied_of(borrower, "WBTC")
    assert preview.healthFactor < WAD // 2
