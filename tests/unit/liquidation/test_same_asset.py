"""Liquidation where the collateral seized is the asset repaid (WETH debt against WETH collateral).

The pool books the repayment into the reserve's debt and the seizure out of the same reserve's supply in one
call: the liquidator's balance moves by the net (received − repaid), the reserve's cash by repaid − paid out.
"""

from __future__ import annotations

import pytest

from tests.unit.liquidation.helpers import expect, pool_liquidation_event
from tests.unit.liquidation.market import MAX_UINT256, WAD


def liquidate_same_asset(market, liquidator, borrower, requested=MAX_UINT256):
    weth = market["WETH"]
    before = int(weth.token.balanceOf(liquidator))
    pool_before = int(weth.token.balanceOf(market.pool))
    receipt = market.engine.liquidate(borrower, weth.address, weth.address, requested, sender=liquidator)
    return (
        int(weth.token.balanceOf(liquidator)) - before,
        int(weth.token.balanceOf(market.pool)) - pool_before,
        receipt,
    )


def test_liquidate__same_asset_half__exact_amounts_and_books(market, same_asset_position, borrower, funded_liquidator):
    same_asset_position(borrower)
    market.set_price("WBTC", "45000")
    hf = market.health_factor(borrower)
    assert 95 * WAD // 100 < hf < WAD  # close factor 50%
    expected = expect(market, borrower, "WETH", "WETH")
    assert not expected.exhausted and expected.repay == market.debt_of(borrower, "WETH") // 2
    debt_before, supply_before = market.debt_of(borrower, "WETH"), market.supplied_of(borrower, "WETH")
    reserves_before = int(market.pool.getReserveData(market["WETH"].address).protocolReserves)

    liquidator_delta, pool_delta, receipt = liquidate_same_asset(market, funded_liquidator, borrower)

    # One token, both legs: the liquidator nets the bonus (minus the protocol's share) and nothing else.
    assert liquidator_delta == expected.to_liquidator - expected.repay > 0
    assert pool_delta == expected.repay - expected.to_liquidator
    event = pool_liquidation_event(market, receipt)
    assert (event.debtAsset, event.collateralAsset) == (market["WETH"].address, market["WETH"].address)
    assert (event.repayAmount, event.seizeAmount, event.protocolFeeAmount) == (expected.repay, expected.seize, expected.fee)
    assert market.debt_of(borrower, "WETH") == debt_before - expected.repay
    assert market.supplied_of(borrower, "WETH") == supply_before - expected.seize
    reserves_after = int(market.pool.getReserveData(market["WETH"].address).protocolReserves)
    assert reserves_after - reserves_before == pytest.approx(expected.fee, abs=1)
    assert market.health_factor(borrower) > hf


def test_liquidate__same_asset_collateral_exhausted__capped_and_no_bad_debt(
    market, open_position, borrower, funded_liquidator
):
    """2 WETH next to 1 WBTC for 15 WETH of debt; WBTC at $40,000 gives hf ≈ 0.77 (full liquidation): the
    seizure is capped at the 2 WETH held, the repayment scaled to their price, and the WBTC left means no
    bad-debt write-off."""
    market.supply(borrower, "WBTC", market["WBTC"].units("1"))
    open_position(borrower, "WETH", "2", "WETH", "15")
    market.set_price("WBTC", "40000")
    assert market.health_factor(borrower) < 95 * WAD // 100
    expected = expect(market, borrower, "WETH", "WETH")
    assert expected.exhausted and expected.seize == market.supplied_of(borrower, "WETH")
    assert expected.repay < expected.max_repay

    liquidator_delta, pool_delta, receipt = liquidate_same_asset(market, funded_liquidator, borrower)

    assert liquidator_delta == expected.to_liquidator - expected.repay
    assert pool_delta == expected.repay - expected.to_liquidator
    assert market.supplied_of(borrower, "WETH") == 0
    assert market.debt_of(borrower, "WETH") == expected.max_repay - expected.repay
    assert not receipt.decode_logs(market.engine.BadDebtCleared)


def test_preview__same_asset__equals_execution(market, same_asset_position, borrower, funded_liquidator):
    same_asset_position(borrower)
    market.set_price("WBTC", "45000")
    weth = market["WETH"].address
    requested = market["WETH"].units("3")
    preview = market.engine.previewLiquidation(borrower, weth, weth, requested)

    liquidator_delta, _, receipt = liquidate_same_asset(market, funded_liquidator, borrower, requested)

    event = pool_liquidation_event(market, receipt)
    assert preview.repayAmount == requested == event.repayAmount
    assert (preview.seizeAmount, preview.protocolFeeAmount) == (event.seizeAmount, event.protocolFeeAmount)
    assert liquidator_delta == preview.seizeAmount - preview.protocolFeeAmount - preview.repayAmount
