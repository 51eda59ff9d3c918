"""executeLiquidation: only the cached LIQUIDATION_ENGINE may call it, the pool values the account and referees the
engine's quote (here scripted by ScriptedLiquidationEngineMock), and writes off bad debt when the seizure took the
borrower's last collateral."""

import ape
import pytest

from tests.unit.pool.model import MAX_UINT, WAD
from tests.unit.pool.pool_env import LIQUIDATE, module_id, reverts_named


@pytest.fixture
def underwater(pool_env, pool, usdc, weth, supplier, borrower, liquidator):
    """borrower: 10 WETH collateral ($30,000), 24,000 USDC debt; WETH then falls to $2,700 → HF 0.956."""
    pool_env.deposit(supplier, usdc, 1_000_000 * 10**6)
    pool_env.open_position(borrower, weth, 10 * 10**18, usdc, 24_000 * 10**6)
    pool_env.set_price(weth, 2_700)
    pool_env.fund(liquidator, usdc, 100_000 * 10**6)
    assert pool.getAccountData(borrower).healthFactor < WAD


def _call(borrower, liquidator, usdc, weth, repay, seize, fee=0):
    return (liquidator.address, borrower.address, usdc.address, weth.address, repay, seize, fee)


def _max_seize(repay_usdc, bonus_bps=500, weth_price=2_700):
    # repay (6 dec) × $1 × (1 + bonus) / $2,700 in 18-decimal WETH, rounded down
    return repay_usdc * 10**12 * (10_000 + bonus_bps) // (10_000 * weth_price)


def test_execute_liquidation__valid__moves_debt_and_collateral(pool_env, pool, usdc, weth, borrower, liquidator,
                                                              underwater):
    repay = 10_000 * 10**6
    seize = _max_seize(repay)
    fee = seize // 100
    debt_before = pool.getUserReserve(usdc, borrower)[1]
    reserves_before = pool.getReserveData(weth).protocolReserves

    receipt = pool_env.liquidate(_call(borrower, liquidator, usdc, weth, repay, seize, fee), sender=liquidator)

    # (one more block of interest on the rest of the debt)
    assert debt_before - repay <= pool.getUserReserve(usdc, borrower)[1] <= debt_before - repay + 1_000
    assert weth.balanceOf(liquidator) == seize - fee
    assert pool.getUserReserve(weth, borrower)[0] == 10 * 10**18 - seize
    # The fee stays in the pool as protocol reserves (± the rounding of the burnt shares).
    assert pool.getReserveData(weth).protocolReserves - reserves_before in (fee, fee + 1)
    assert receipt.events.filter(pool.LiquidationExecuted)[0].seizeAmount == seize


def test_execute_liquidation__not_the_engine__reverts(pool, usdc, weth, borrower, liquidator, attacker, underwater):
    with ape.reverts(pool.StrataUnauthorizedModule, caller=attacker.address,
                     expectedModule=module_id("LIQUIDATION_ENGINE")):
        pool.executeLiquidation(liquidator, borrower, usdc, weth, MAX_UINT, sender=attacker)


def test_execute_liquidation__flash_module__is_not_the_engine(pool_env, pool, usdc, weth, borrower, liquidator,
                                                             underwater):
    data = pool.executeLiquidation.encode_input(liquidator, borrower, usdc, weth, MAX_UINT)
    with reverts_named(pool, "StrataUnauthorizedModule"):
        pool_env.flash.execute(pool, data, sender=liquidator)


def test_execute_liquidation__healthy_borrower__reverts(pool_env, pool, usdc, weth, borrower, liquidator, underwater):
    pool_env.set_price(weth, 3_000)
    with reverts_named(pool, "LendingPoolInvalidLiquidation", reason=b"HEALTHY".ljust(32, b"\0")):
        pool_env.liquidate(_call(borrower, liquidator, usdc, weth, 10**6, 10**15), sender=liquidator)


@pytest.mark.parametrize(
    "repay, seize_delta, fee, requested, reason",
    [
        (0, 0, 0, MAX_UINT, "ZERO_AMOUNT"),
        (0, 10**15, 0, MAX_UINT, "BONUS_EXCEEDED"),  # a repayment of nothing buys no collateral
        (10_000 * 10**6, 1, 0, MAX_UINT, "BONUS_EXCEEDED"),
        (10_000 * 10**6, 0, 10**30, MAX_UINT, "FEE_ABOVE_SEIZE"),
        (10**12, 0, 0, MAX_UINT, "OVER_REPAY"),
        # The liquidator allowed 9,999.999999 USDC: the engine cannot make it pay 10,000.
        (10_000 * 10**6, 0, 0, 10_000 * 10**6 - 1, "ABOVE_REQUEST"),
    ],
)
def test_execute_liquidation__bad_amounts__revert_with_reason(pool_env, pool, usdc, weth, borrower, liquidator,
                                                              underwater, repay, seize_delta, fee, requested, reason):
    seize = _max_seize(repay) + seize_delta
    with reverts_named(pool, "LendingPoolInvalidLiquidation", reason=reason.encode().ljust(32, b"\0")):
        pool_env.liquidate(_call(borrower, liquidator, usdc, weth, repay, seize, fee), sender=liquidator,
                           requested=requested)


def test_execute_liquidation__seize_above_collateral__reverts(pool_env, pool, usdc, weth, borrower, liquidator,
                                                             underwater):
    pool_env.set_price(weth, 2_000)  # 10 WETH = $20,000 < debt: seizing > 10 WETH would fit the bonus
    with reverts_named(pool, "LendingPoolInvalidLiquidation", reason=b"OVER_SEIZE".ljust(32, b"\0")):
        pool_env.liquidate(_call(borrower, liquidator, usdc, weth, 24_000 * 10**6, 11 * 10**18), sender=liquidator)


def test_execute_liquidation__asset_not_collateral__reverts(pool_env, pool, usdc, weth, wbtc, supplier, borrower,
                                                           liquidator, underwater):
    pool_env.set_price(weth, 3_000)
    pool_env.deposit(borrower, wbtc, 10**6)
    pool.setCollateral(wbtc, False, sender=borrower)
    pool_env.set_price(weth, 2_700)
    call = (liquidator.address, borrower.address, usdc.address, wbtc.address, 100 * 10**6, 10**5, 0)
    with reverts_named(pool, "LendingPoolInvalidLiquidation", reason=b"NOT_COLLATERAL".ljust(32, b"\0")):
        pool_env.liquidate(call, sender=liquidator)


def test_execute_liquidation__paused__reverts_while_borrow_pause_does_not_matter(pool_env, pool, usdc, weth, guardian,
                                                                                borrower, liquidator, underwater):
    pool.pauseAction(usdc, 2, sender=guardian)  # BORROW
    repay = 1_000 * 10**6
    pool_env.liquidate(_call(borrower, liquidator, usdc, weth, repay, _max_seize(repay)), sender=liquidator)
    pool.pauseAction(weth, LIQUIDATE, sender=guardian)
    with reverts_named(pool, "LendingPoolActionPaused", asset=weth.address, action=LIQUIDATE):
        pool_env.liquidate(_call(borrower, liquidator, usdc, weth, repay, _max_seize(repay)), sender=liquidator)


def test_execute_liquidation__whole_debt__clears_the_borrow_flag(pool_env, pool, usdc, weth, borrower, liquidator,
                                                                underwater):
    pool_env.next_block(0)  # mined at the head's time: the debt read now is the debt the liquidation sees
    debt = pool.getUserReserve(usdc, borrower)[1]
    pool_env.liquidate(_call(borrower, liquidator, usdc, weth, debt, _max_seize(debt)), sender=liquidator)
    assert pool.getUserReserve(usdc, borrower)[1] == 0
    assert pool.getUserConfig(borrower) & 0b11 == 0


# -- bad debt: written off in the liquidation that took the last collateral ---------------------------------


def test_write_off__collateral_left__nothing_written_off(pool_env, pool, usdc, weth, borrower, liquidator, underwater):
    repay = 10_000 * 10**6
    receipt = pool_env.liquidate(_call(borrower, liquidator, usdc, weth, repay, _max_seize(repay)), sender=liquidator)
    assert not receipt.events.filter(pool.BadDebtWrittenOff)
    assert receipt.events.filter(pool_env.engine.Executed)[0].badDebtValue == 0
    assert pool.getUserReserve(usdc, borrower)[1] > 0


def test_write_off__no_debt_left__nothing_written_off(pool_env, pool, usdc, weth, borrower, liquidator, underwater):
    """All the collateral and all the debt in one liquidation: nothing is left to write off."""
    pool_env.next_block(0)
    debt = pool.getUserReserve(usdc, borrower)[1]
    collateral = pool.getUserReserve(weth, borrower)[0]
    pool_env.set_price(weth, 2_520)  # 10 WETH × $2,520 = $25,200 = 24,000 × 1.05: all of it at the bonus
    pool_env.next_block(0)
    receipt = pool_env.liquidate(_call(borrower, liquidator, usdc, weth, debt, collateral), sender=liquidator)
    assert not receipt.events.filter(pool.BadDebtWrittenOff)
    assert pool.getUserReserve(usdc, borrower)[1] == 0 and pool.getUserReserve(weth, borrower)[0] == 0
    assert pool.getUserConfig(borrower) == 0


def test_write_off__not_the_engine__reverts(pool, usdc, weth, borrower, attacker, underwater):
    """The write-off has no entry point of its own: only the engine's liquidation reaches it."""
    assert not hasattr(pool, "writeOffBadDebt")
    with ape.reverts(pool.StrataUnauthorizedModule):
        pool.executeLiquidation(attacker, borrower, usdc, weth, MAX_UINT, sender=attacker)


def _exhaust_collateral(pool_env, pool, usdc, weth, borrower, liquidator, weth_price, supplier=None):
    """Prices WETH at `weth_price`, then seizes all 10 WETH for its fair price at the 5% bonus (rounded up), in a
    transaction mined at the latest block's timestamp (views before it see the same interest). Returns the receipt,
    the debt and the reserve data just before, the repayment, and `supplier`'s USDC supply just before."""
    pool_env.set_price(weth, weth_price)
    pool_env.next_block(0)
    collateral = pool.getUserReserve(weth, borrower)[0]
    price = pool_env.oracle.getAssetPrice(weth)
    repay = -(-(collateral * price * 10_000) // (10_500 * 10**12 * 10**18))
    debt = pool.getUserReserve(usdc, borrower)[1]
    before = pool.getReserveData(usdc)
    supplied = pool.getUserReserve(usdc, supplier)[0] if supplier is not None else None
    receipt = pool_env.liquidate(_call(borrower, liquidator, usdc, weth, repay, collateral), sender=liquidator)
    return receipt, debt, repay, before, supplied


def test_write_off__small_loss__taken_from_protocol_reserves(pool_env, pool, usdc, weth, borrower, liquidator,
                                                            supplier, underwater):
    pool_env.mine(365 * 86_400)  # a year of interest on 24,000 USDC: the reserves hold ~10% of it (~50 USDC)
    debt = pool.getUserReserve(usdc, borrower)[1]
    # Price WETH so that all the collateral (at the 5% bonus) repays all but ~20 USDC of the debt.
    receipt, debt, repay, before, supplied_before = _exhaust_collateral(
        pool_env, pool, usdc, weth, borrower, liquidator, (debt - 20 * 10**6) / 10**6 * 1.05 / 10, supplier
    )

    event = receipt.events.filter(pool.BadDebtWrittenOff)[0]
    remaining = event.amount
    assert debt - repay <= remaining <= debt - repay + 1  # the repayment burns shares rounded down
    assert 0 < remaining < before.protocolReserves
    assert (event.coveredByReserves, event.socialised) == (remaining, 0)
    after = pool.getReserveData(usdc)
    assert pool.getUserReserve(usdc, supplier)[0] >= supplied_before  # suppliers untouched
    assert after.liquidityIndex >= before.liquidityIndex
    assert before.protocolReserves - after.protocolReserves in (remaining - 1, remaining, remaining + 1)
    assert pool.getUserReserve(usdc, borrower)[1] == 0
    assert pool.getUserConfig(borrower) & 0b10 == 0


def test_write_off__large_loss__socialised_through_the_index(pool_env, pool, usdc, weth, borrower, liquidator,
                                                            supplier, underwater):
    receipt, debt, repay, before, supplied_before = _exhaust_collateral(
        pool_env, pool, usdc, weth, borrower, liquidator, 1_000, supplier
    )

    event = receipt.events.filter(pool.BadDebtWrittenOff)[0]
    remaining = event.amount
    assert debt - repay <= remaining <= debt - repay + 1
    assert event.coveredByReserves == pytest.approx(before.protocolReserves, abs=1)
    assert event.socialised == remaining - event.coveredByReserves > 0
    after = pool.getReserveData(usdc)
    assert after.liquidityIndex < before.liquidityIndex
    assert after.protocolReserves <= 1  # reserves went first; what is left is rounding
    loss = supplied_before - pool.getUserReserve(usdc, supplier)[0]
    assert abs(loss - event.socialised) <= 1 + remaining // 10**6  # the supplier's own interest in between
    # The reserve is still solvent: cash + debt covers what suppliers are owed.
    assert after.cash + after.totalBorrowed >= after.totalSupplied


def test_write_off__returns_usd_value(pool_env, pool, usdc, weth, borrower, liquidator, underwater):
    receipt, *_ = _exhaust_collateral(pool_env, pool, usdc, weth, borrower, liquidator, 1_000)
    remaining = receipt.events.filter(pool.BadDebtWrittenOff)[0].amount
    executed = receipt.events.filter(pool_env.engine.Executed)[0]
    assert executed.badDebtValue == remaining * 10**12  # $1 × 6 decimals, rounded up


def test_execute_liquidation__returns_pool_valuation_not_engine_word(pool_env, pool, usdc, weth, borrower, liquidator,
                                                                     underwater):
    """The scripted engine lies about the health factor and prices; the pool reports its own."""
    repay = 1_000 * 10**6
    hf = pool.getAccountData(borrower).healthFactor
    result = pool_env.engine.liquidateWithQuote.call(
        pool, liquidator, borrower, usdc, weth, MAX_UINT, repay, _max_seize(repay), 0, sender=liquidator
    )
    health_factor, *_, debt_price, collateral_price, exhausted = result[0]
    assert (debt_price, collateral_price) == (10**18, 2_700 * 10**18)
    assert health_factor == hf and not exhausted
