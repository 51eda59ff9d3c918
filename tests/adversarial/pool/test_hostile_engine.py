"""A hostile (or buggy) liquidation engine: the pool referees every quote on its own valuation, so an engine cannot
over-seize, overcharge the liquidator, take a fee out of nothing or liquidate a healthy account.

The engine is ScriptedLiquidationEngineMock: registered as LIQUIDATION_ENGINE, it quotes whatever the test scripts and
lies about the health factor and prices in its answer."""

from __future__ import annotations

import pytest

from tests.unit.pool.model import MAX_UINT, WAD
from tests.unit.pool.pool_env import reverts_named

WETH_PRICE = 2_700


@pytest.fixture
def underwater(pool_env, pool, usdc, weth, supplier, borrower, liquidator):
    """borrower: 10 WETH collateral, 24,000 USDC debt; WETH at $2,700 → health factor 0.956."""
    pool_env.deposit(supplier, usdc, 1_000_000 * 10**6)
    pool_env.open_position(borrower, weth, 10 * 10**18, usdc, 24_000 * 10**6)
    pool_env.set_price(weth, WETH_PRICE)
    pool_env.fund(liquidator, usdc, 100_000 * 10**6)
    assert pool.getAccountData(borrower).healthFactor < WAD


def _fair_seize(repay_usdc: int, bonus_bps: int = 500, weth_price: int = WETH_PRICE) -> int:
    """The most WETH (18 decimals) a USDC repayment buys at the reserve's 5% bonus, rounded down."""
    return repay_usdc * 10**12 * (10_000 + bonus_bps) // (10_000 * weth_price)


def _reason(text: str) -> bytes:
    return text.encode().ljust(32, b"\0")


def _hostile(pool_env, borrower, liquidator, usdc, weth, repay, seize, fee=0, requested=MAX_UINT):
    return pool_env.liquidate(
        (liquidator.address, borrower.address, usdc.address, weth.address, repay, seize, fee),
        sender=liquidator,
        requested=requested,
    )


def _balances(pool, usdc, weth, borrower, liquidator):
    return (
        usdc.balanceOf(liquidator), weth.balanceOf(liquidator),
        pool.getUserReserve(usdc, borrower)[1], pool.getUserReserve(weth, borrower)[0],
    )


def _assert_untouched(before, after):
    """Nothing repaid or seized. The liquidator's tokens and the (interest-free) WETH collateral are exact; the
    USDC debt may only have grown by the interest of the seconds between the two reads (CI saw the latest block
    move on between them, +17 wei on 24,000 USDC)."""
    assert after[0:2] == before[0:2] and after[3] == before[3]
    assert before[2] <= after[2] <= before[2] + before[2] // 10**6


@pytest.mark.parametrize("extra_wei", [1, 10**15, 10**18])
def test_hostile_engine__seize_above_bonus__refused(pool_env, pool, usdc, weth, borrower, liquidator, underwater,
                                                     extra_wei):
    repay = 5_000 * 10**6
    with reverts_named(pool, "LendingPoolInvalidLiquidation", reason=_reason("BONUS_EXCEEDED")):
        _hostile(pool_env, borrower, liquidator, usdc, weth, repay, _fair_seize(repay) + extra_wei)


def test_hostile_engine__seize_at_the_bonus_cap__accepted_exactly(pool_env, pool, usdc, weth, borrower, liquidator,
                                                                   underwater):
    """The bound is exact: the fair seizure (rounded down) passes, one wei more does not (previous test)."""
    repay = 5_000 * 10**6
    receipt = _hostile(pool_env, borrower, liquidator, usdc, weth, repay, _fair_seize(repay))
    assert receipt.events.filter(pool.LiquidationExecuted)[0].seizeAmount == _fair_seize(repay)


def test_hostile_engine__all_collateral_for_little_debt__refused(pool_env, pool, usdc, weth, borrower, liquidator,
                                                                  underwater):
    before = _balances(pool, usdc, weth, borrower, liquidator)
    with reverts_named(pool, "LendingPoolInvalidLiquidation", reason=_reason("BONUS_EXCEEDED")):
        _hostile(pool_env, borrower, liquidator, usdc, weth, 1, 10 * 10**18)
    _assert_untouched(before, _balances(pool, usdc, weth, borrower, liquidator))


def test_hostile_engine__seize_above_collateral__refused(pool_env, pool, usdc, weth, borrower, liquidator,
                                                          underwater):
    pool_env.set_price(weth, 2_000)  # 10 WETH = $20,000 < debt: 11 WETH fits the bonus on $24,000, not the supply
    with reverts_named(pool, "LendingPoolInvalidLiquidation", reason=_reason("OVER_SEIZE")):
        _hostile(pool_env, borrower, liquidator, usdc, weth, 24_000 * 10**6, 11 * 10**18)


def test_hostile_engine__repay_above_liquidator_request__refused(pool_env, pool, usdc, weth, borrower, liquidator,
                                                                  underwater):
    """The liquidator approved the pool for everything; it asked to repay at most 1,000 USDC. An engine quoting
    more cannot make the pool pull it."""
    before = _balances(pool, usdc, weth, borrower, liquidator)
    repay = 20_000 * 10**6
    with reverts_named(pool, "LendingPoolInvalidLiquidation", reason=_reason("ABOVE_REQUEST")):
        _hostile(pool_env, borrower, liquidator, usdc, weth, repay, _fair_seize(repay), requested=1_000 * 10**6)
    _assert_untouched(before, _balances(pool, usdc, weth, borrower, liquidator))


def test_hostile_engine__repay_above_debt__refused(pool_env, pool, usdc, weth, borrower, liquidator, underwater):
    repay = 30_000 * 10**6
    with reverts_named(pool, "LendingPoolInvalidLiquidation", reason=_reason("OVER_REPAY")):
        _hostile(pool_env, borrower, liquidator, usdc, weth, repay, 10**18)


def test_hostile_engine__fee_above_seizure__refused(pool_env, pool, usdc, weth, borrower, liquidator, underwater):
    repay = 1_000 * 10**6
    seize = _fair_seize(repay)
    with reverts_named(pool, "LendingPoolInvalidLiquidation", reason=_reason("FEE_ABOVE_SEIZE")):
        _hostile(pool_env, borrower, liquidator, usdc, weth, repay, seize, fee=seize + 1)


def test_hostile_engine__healthy_account__refused(pool_env, pool, usdc, weth, borrower, liquidator, underwater):
    """The engine's word on health is not asked: the pool computes it (here ≥ 1 again)."""
    pool_env.set_price(weth, 3_000)
    assert pool.getAccountData(borrower).healthFactor >= WAD
    repay = 1_000 * 10**6
    with reverts_named(pool, "LendingPoolInvalidLiquidation", reason=_reason("HEALTHY")):
        _hostile(pool_env, borrower, liquidator, usdc, weth, repay, _fair_seize(repay, weth_price=3_000))


def test_hostile_engine__zero_seizure__refused(pool_env, pool, usdc, weth, borrower, liquidator, underwater):
    """A repayment for nothing (the liquidator would pay the borrower's debt and receive no collateral)."""
    with reverts_named(pool, "LendingPoolInvalidLiquidation", reason=_reason("ZERO_AMOUNT")):
        _hostile(pool_env, borrower, liquidator, usdc, weth, 1_000 * 10**6, 0)
