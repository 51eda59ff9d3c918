"""LiquidationEngine v1: who can be liquidated, how much, for how much collateral, and who may call what."""

from __future__ import annotations

from decimal import Decimal

import ape
import pytest

from tests.unit.liquidation.helpers import (
    assert_call_reverts,
    expect,
    liquidate_and_measure,
    pool_liquidation_event,
)
from tests.unit.liquidation.market import MAX_UINT256, WAD, Action
from tests.unit.liquidation.model import ceil_div

# (collateral, collateral whole tokens, debt, debt whole tokens): every pair of the 6/8/18-decimal assets,
# about $120k of collateral against $60k of debt.
PAIRS = [
    ("WBTC", "2", "USDC", "60000"),
    ("WETH", "40", "USDC", "60000"),
    ("USDC", "120000", "WBTC", "1"),
    ("WETH", "40", "WBTC", "1"),
    ("USDC", "120000", "WETH", "20"),
    ("WBTC", "2", "WETH", "20"),
]
PAIR_IDS = [f"{c}->{d}" for c, _, d, _ in PAIRS]


# -- who can be liquidated ---------------------------------------------------------------------------------


def test_liquidate__healthy_position__reverts(market, engine, open_position, borrower, funded_liquidator, usdc, wbtc):
    open_position(borrower, "WBTC", "2", "USDC", "60000")
    hf = market.health_factor(borrower)
    assert hf >= WAD
    with ape.reverts(engine.LiquidationEngineHealthyPosition, borrower=borrower.address, healthFactor=hf):
        engine.liquidate(borrower, usdc.address, wbtc.address, MAX_UINT256, sender=funded_liquidator)
    with ape.reverts(engine.LiquidationEngineHealthyPosition):
        engine.previewLiquidation(borrower, usdc.address, wbtc.address, MAX_UINT256)


def test_liquidate__health_factor_exactly_one__reverts(market, engine, open_position, borrower, funded_liquidator, usdc, wbtc):
    open_position(borrower, "WBTC", "1", "USDC", "42000")  # the most a 70% ltv allows
    market.set_price("WBTC", "56000")  # 56k × 0.75 threshold = 42k: health factor exactly 1
    assert market.health_factor(borrower) == WAD
    with ape.reverts(engine.LiquidationEngineHealthyPosition, healthFactor=WAD):
        engine.liquidate(borrower, usdc.address, wbtc.address, MAX_UINT256, sender=funded_liquidator)


def test_liquidate__account_without_debt__reverts(engine, outsider, funded_liquidator, usdc, wbtc):
    with ape.reverts(engine.LiquidationEngineHealthyPosition):
        engine.liquidate(outsider, usdc.address, wbtc.address, MAX_UINT256, sender=funded_liquidator)


def test_liquidate__zero_repay__reverts(engine, unhealthy_position, borrower, funded_liquidator, usdc, wbtc):
    unhealthy_position(borrower, "WBTC", "2", "USDC", "60000", "0.97")
    with ape.reverts(engine.LiquidationEngineZeroRepay):
        engine.liquidate(borrower, usdc.address, wbtc.address, 0, sender=funded_liquidator)


def test_liquidate__no_debt_in_that_asset__reverts(engine, unhealthy_position, borrower, funded_liquidator, weth, wbtc):
    unhealthy_position(borrower, "WBTC", "2", "USDC", "60000", "0.97")
    with ape.reverts(engine.LiquidationEngineNoDebt, borrower=borrower.address, debtAsset=weth.address):
        engine.liquidate(borrower, weth.address, wbtc.address, MAX_UINT256, sender=funded_liquidator)


def test_liquidate__no_collateral_in_that_asset__reverts(engine, unhealthy_position, borrower, funded_liquidator, usdc, weth):
    unhealthy_position(borrower, "WBTC", "2", "USDC", "60000", "0.97")
    with ape.reverts(engine.LiquidationEngineNoCollateral, borrower=borrower.address, collateralAsset=weth.address):
        engine.liquidate(borrower, usdc.address, weth.address, MAX_UINT256, sender=funded_liquidator)


def test_liquidate__supply_not_enabled_as_collateral__reverts(
    market, engine, pool, open_position, borrower, funded_liquidator, usdc, weth
):
    open_position(borrower, "WBTC", "2", "USDC", "60000")
    market.supply(borrower, "WETH", weth.units("0.01"))
    pool.setCollateral(weth.address, False, sender=borrower)  # while healthy: the pool allows it
    market.set_health_factor(borrower, "WBTC", "0.97")
    with ape.reverts(engine.LiquidationEngineNoCollateral):
        engine.liquidate(borrower, usdc.address, weth.address, MAX_UINT256, sender=funded_liquidator)


# -- close factor ----------------------------------------------------------------------------------------


def test_liquidate__health_factor_above_full_threshold__repays_half(
    market, engine, unhealthy_position, borrower, funded_liquidator
):
    hf = unhealthy_position(borrower, "WBTC", "2", "USDC", "60000", "0.97")
    assert engine.fullLiquidationHealthFactor() <= hf < WAD
    debt = market.debt_of(borrower, "USDC")
    preview = engine.previewLiquidation(borrower, market["USDC"].address, market["WBTC"].address, MAX_UINT256)
    assert preview.maxRepayAmount == ceil_div(debt, 2)

    moved = liquidate_and_measure(market, funded_liquidator, borrower, "USDC", "WBTC")

    assert moved.debt_spent == ceil_div(debt, 2)
    assert market.debt_of(borrower, "USDC") == pytest.approx(debt // 2, abs=1)


def test_liquidate__request_above_close_factor__capped_not_reverted(
    market, engine, unhealthy_position, borrower, funded_liquidator
):
    unhealthy_position(borrower, "WBTC", "2", "USDC", "60000", "0.97")
    debt = market.debt_of(borrower, "USDC")
    moved = liquidate_and_measure(market, funded_liquidator, borrower, "USDC", "WBTC", requested=debt)
    assert moved.debt_spent == ceil_div(debt, 2)


def test_liquidate__request_below_close_factor__repays_request(
    market, unhealthy_position, borrower, funded_liquidator, usdc
):
    unhealthy_position(borrower, "WBTC", "2", "USDC", "60000", "0.97")
    moved = liquidate_and_measure(market, funded_liquidator, borrower, "USDC", "WBTC", requested=usdc.units("1234.5"))
    assert moved.debt_spent == usdc.units("1234.5")


def test_liquidate__health_factor_below_full_threshold__repays_all(
    market, engine, unhealthy_position, borrower, funded_liquidator
):
    hf = unhealthy_position(borrower, "WBTC", "2", "USDC", "60000", "0.94")
    assert hf < engine.fullLiquidationHealthFactor()
    debt = market.debt_of(borrower, "USDC")

    moved = liquidate_and_measure(market, funded_liquidator, borrower, "USDC", "WBTC")

    assert moved.debt_spent == debt
    assert market.debt_of(borrower, "USDC") == 0
    assert market.health_factor(borrower) == 2**256 - 1


def test_liquidate__dust_debt__repays_all(market, engine, unhealthy_position, borrower, funded_liquidator):
    hf = unhealthy_position(borrower, "WETH", "0.04", "USDC", "50", "0.97")  # $50 of debt < $100 dust threshold
    assert hf >= engine.fullLiquidationHealthFactor()
    debt = market.debt_of(borrower, "USDC")

    moved = liquidate_and_measure(market, funded_liquidator, borrower, "USDC", "WETH")

    assert moved.debt_spent == debt
    assert market.debt_of(borrower, "USDC") == 0


def test_liquidate__dust_threshold_zero__half_even_for_tiny_debt(
    market, engine, governance, unhealthy_position, borrower, funded_liquidator
):
    engine.setDustDebtValue(0, sender=governance)
    unhealthy_position(borrower, "WETH", "0.04", "USDC", "50", "0.97")
    debt = market.debt_of(borrower, "USDC")
    moved = liquidate_and_measure(market, funded_liquidator, borrower, "USDC", "WETH")
    assert moved.debt_spent == ceil_div(debt, 2)


def test_liquidate__dust_in_one_asset_of_large_account__closes_that_asset(
    market, engine, open_position, borrower, funded_liquidator
):
    """The dust rule looks at the debt being repaid: a $50 USDC debt next to a $60k WBTC debt is closed in
    full, leaving no remainder too small to be worth liquidating."""
    open_position(borrower, "WETH", "40", "WBTC", "1")
    market.borrow(borrower, "USDC", market["USDC"].units("50"))
    market.set_health_factor(borrower, "WETH", "0.97")
    debt = market.debt_of(borrower, "USDC")
    moved = liquidate_and_measure(market, funded_liquidator, borrower, "USDC", "WETH")
    assert moved.debt_spent == debt


# -- seizure and protocol fee, exact to the wei ------------------------------------------------------------


@pytest.mark.parametrize("collateral, collateral_amount, debt, debt_amount", PAIRS, ids=PAIR_IDS)
def test_liquidate__decimal_pairs__seize_and_fee_exact(
    market, engine, unhealthy_position, borrower, funded_liquidator, collateral, collateral_amount, debt, debt_amount
):
    unhealthy_position(borrower, collateral, collateral_amount, debt, debt_amount, "0.97")
    expected = expect(market, borrower, debt, collateral)
    reserves_before = int(market.pool.getReserveData(market[collateral].address).protocolReserves)

    moved = liquidate_and_measure(market, funded_liquidator, borrower, debt, collateral)

    assert moved.debt_spent == expected.repay
    assert moved.collateral_received == expected.to_liquidator
    event = pool_liquidation_event(market, moved.receipt)
    assert (event.repayAmount, event.seizeAmount, event.protocolFeeAmount) == (
        expected.repay,
        expected.seize,
        expected.fee,
    )
    assert event.liquidator == funded_liquidator.address and event.borrower == borrower.address
    # The fee stays in the pool as the collateral reserve's protocol reserves (±1 wei of share rounding).
    reserves_after = int(market.pool.getReserveData(market[collateral].address).protocolReserves)
    assert reserves_after - reserves_before == pytest.approx(expected.fee, abs=1)


@pytest.mark.parametrize("collateral, collateral_amount, debt, debt_amount", PAIRS, ids=PAIR_IDS)
def test_liquidate__decimal_pairs__seized_value_within_bonus(
    market, engine, unhealthy_position, borrower, funded_liquidator, collateral, collateral_amount, debt, debt_amount
):
    """Economics, independent of the model's formula: seized value ≤ repaid value × (1 + bonus), short of it by
    less than one collateral base unit, and the protocol gets 10% of the bonus part."""
    unhealthy_position(borrower, collateral, collateral_amount, debt, debt_amount, "0.97")
    bonus = Decimal(int(market.pool.getLiquidationParams(market[collateral].address)[1])) / WAD
    debt_price = Decimal(market.price(debt)) / WAD / 10 ** market[debt].decimals
    collateral_price = Decimal(market.price(collateral)) / WAD / 10 ** market[collateral].decimals

    moved = liquidate_and_measure(market, funded_liquidator, borrower, debt, collateral)
    event = pool_liquidation_event(market, moved.receipt)

    repaid_value = Decimal(moved.debt_spent) * debt_price
    seized_value = Decimal(int(event.seizeAmount)) * collateral_price
    assert seized_value <= repaid_value * (1 + bonus)
    assert seized_value > repaid_value * (1 + bonus) - collateral_price
    bonus_part = Decimal(int(event.seizeAmount)) * bonus / (1 + bonus)
    assert abs(Decimal(int(event.protocolFeeAmount)) - bonus_part / 10) <= 1


def test_liquidate__protocol_fee_share_zero__liquidator_gets_all(
    market, engine, governance, unhealthy_position, borrower, funded_liquidator
):
    engine.setProtocolFeeShare(0, sender=governance)
    unhealthy_position(borrower, "WBTC", "2", "USDC", "60000", "0.97")
    expected = expect(market, borrower, "USDC", "WBTC")
    moved = liquidate_and_measure(market, funded_liquidator, borrower, "USDC", "WBTC")
    assert expected.fee == 0
    assert moved.collateral_received == expected.seize


# -- collateral cap ----------------------------------------------------------------------------------------


def test_liquidate__seize_above_collateral__capped_and_repay_scaled(
    market, engine, open_position, borrower, funded_liquidator, wbtc
):
    """A small WBTC collateral next to a large WETH one: liquidating against WBTC takes all of it, repays only
    its price, and leaves no bad debt (WETH remains)."""
    open_position(borrower, "WETH", "40", "USDC", "60000")
    market.supply(borrower, "WBTC", wbtc.units("0.1"))  # $6,000
    market.set_price("WETH", "1700")  # (0.8 × 68k + 0.75 × 6k) / 60k ≈ 0.98
    collateral = market.supplied_of(borrower, "WBTC")
    expected = expect(market, borrower, "USDC", "WBTC")
    assert expected.exhausted and expected.seize == collateral
    assert expected.repay < expected.max_repay

    moved = liquidate_and_measure(market, funded_liquidator, borrower, "USDC", "WBTC")

    assert moved.debt_spent == expected.repay
    assert moved.collateral_received == expected.to_liquidator
    assert market.supplied_of(borrower, "WBTC") == 0
    assert not moved.receipt.decode_logs(engine.BadDebtCleared)
    # Rounded up: the liquidator pays at least the fair price of what it takes.
    wbtc_price, usdc_price = market.price("WBTC"), market.price("USDC")
    seized_value = collateral * wbtc_price // 10**8
    assert moved.debt_spent * usdc_price * (WAD + int(engine.liquidationBonusAt(wbtc.address, 0))) >= (
        seized_value * 10**6 * WAD
    )


# -- self-liquidation --------------------------------------------------------------------------------------


def test_liquidate__self_liquidation__no_profit_beyond_bonus(
    market, engine, pool, unhealthy_position, borrower, usdc, wbtc
):
    """A borrower liquidating itself repays debt with its own funds and gets its own collateral back with the
    bonus: its wealth (wallet + pool position) only loses the protocol fee."""
    unhealthy_position(borrower, "WBTC", "2", "USDC", "60000", "0.97")
    usdc.token.approve(pool, MAX_UINT256, sender=borrower)
    wallet_usdc, wallet_wbtc = int(usdc.token.balanceOf(borrower)), int(wbtc.token.balanceOf(borrower))
    debt, supplied = market.debt_of(borrower, "USDC"), market.supplied_of(borrower, "WBTC")

    receipt = engine.liquidate(borrower, usdc.address, wbtc.address, MAX_UINT256, sender=borrower)
    event = pool_liquidation_event(market, receipt)

    usdc_wealth = (int(usdc.token.balanceOf(borrower)) - wallet_usdc) - (market.debt_of(borrower, "USDC") - debt)
    wbtc_wealth = (int(wbtc.token.balanceOf(borrower)) - wallet_wbtc) + (market.supplied_of(borrower, "WBTC") - supplied)
    assert event.repayAmount > 0 and event.protocolFeeAmount > 0
    assert usdc_wealth <= 1  # debt shares burn rounds down: at most 1 wei of debt left over
    assert wbtc_wealth <= -int(event.protocolFeeAmount) + 1


# -- pauses and permissions --------------------------------------------------------------------------------


def test_liquidate__borrow_paused__still_works(
    market, pool, guardian, unhealthy_position, borrower, funded_liquidator, usdc, wbtc
):
    unhealthy_position(borrower, "WBTC", "2", "USDC", "60000", "0.97")
    pool.pauseAction(usdc.address, Action.BORROW, sender=guardian)
    pool.pauseAction(wbtc.address, Action.BORROW, sender=guardian)
    moved = liquidate_and_measure(market, funded_liquidator, borrower, "USDC", "WBTC")
    assert moved.debt_spent > 0


@pytest.mark.parametrize("paused", ["USDC", "WBTC"], ids=["debt-reserve", "collateral-reserve"])
def test_liquidate__liquidate_paused__reverts(
    market, engine, pool, guardian, unhealthy_position, borrower, funded_liquidator, usdc, wbtc, paused
):
    unhealthy_position(borrower, "WBTC", "2", "USDC", "60000", "0.97")
    pool.pauseAction(market[paused].address, Action.LIQUIDATE, sender=guardian)
    assert_call_reverts(
        engine.liquidate,
        borrower, usdc.address, wbtc.address, MAX_UINT256,
        error=pool.LendingPoolActionPaused,
        sender=funded_liquidator,
        asset=market[paused].address,
        action=Action.LIQUIDATE,
    )


def test_liquidate__engine_paused__reverts_until_governance_unpauses(
    market, engine, guardian, governance, unhealthy_position, borrower, funded_liquidator, usdc, wbtc
):
    unhealthy_position(borrower, "WBTC", "2", "USDC", "60000", "0.97")
    engine.pauseModule(sender=guardian)
    with ape.reverts(engine.StrataModulePaused):
        engine.liquidate(borrower, usdc.address, wbtc.address, MAX_UINT256, sender=funded_liquidator)
    with ape.reverts(engine.StrataModulePaused):
        engine.previewLiquidation(borrower, usdc.address, wbtc.address, MAX_UINT256)
    with ape.reverts(engine.StrataUnauthorizedGovernance):
        engine.unpauseModule(sender=guardian)
    engine.unpauseModule(sender=governance)
    assert liquidate_and_measure(market, funded_liquidator, borrower, "USDC", "WBTC").debt_spent > 0


def test_liquidate__without_pool_approval__reverts(
    market, engine, unhealthy_position, borrower, liquidator, usdc, wbtc
):
    unhealthy_position(borrower, "WBTC", "2", "USDC", "60000", "0.97")
    usdc.token.mint(liquidator, usdc.units("100000"), sender=liquidator)  # funds, but no approval
    assert_call_reverts(
        engine.liquidate,
        borrower, usdc.address, wbtc.address, MAX_UINT256,
        error=usdc.token.ERC20InsufficientAllowance,
        sender=liquidator,
        spender=market.pool.address,
        allowance=0,
    )


def test_execute_liquidation__called_directly__reverts(pool, unhealthy_position, borrower, attacker, usdc, wbtc):
    """The pool's hooks only answer the registered engine: an attacker cannot seize collateral at any price."""
    unhealthy_position(borrower, "WBTC", "2", "USDC", "60000", "0.97")
    with ape.reverts(pool.StrataUnauthorizedModule):
        pool.executeLiquidation(attacker, borrower, usdc.address, wbtc.address, MAX_UINT256, sender=attacker)


def test_write_off_bad_debt__no_direct_entry_point(pool, engine, open_position, borrower, attacker, usdc, wbtc):
    """Bad debt is only written off inside the engine's liquidation (the pool judges it there); neither the pool
    nor the engine has an entry point of its own for it, and the engine's quote is a view."""
    open_position(borrower, "WBTC", "2", "USDC", "60000")
    assert not hasattr(pool, "writeOffBadDebt") and not hasattr(engine, "writeOffBadDebt")
    with ape.reverts(pool.StrataUnauthorizedModule):
        pool.executeLiquidation(attacker, borrower, usdc.address, wbtc.address, MAX_UINT256, sender=attacker)
    quote = next(m for m in engine.contract_type.view_methods if m.name == "quoteLiquidation")
    assert quote.stateMutability == "view"


def test_liquidate__engine_replaced_in_registry__old_engine_rejected_by_pool(
    market, project, engine, pool, market_registry, governance, unhealthy_position, borrower, funded_liquidator, usdc, wbtc
):
    """After governance points LIQUIDATION_ENGINE at a new engine and syncs the pool, the old one is refused by
    the pool itself."""
    from tests.unit.liquidation.market import deploy_engine, module_id

    unhealthy_position(borrower, "WBTC", "2", "USDC", "60000", "0.97")
    replacement = deploy_engine(project, governance, market_registry)
    market_registry.setModule(module_id("LIQUIDATION_ENGINE"), replacement, sender=governance)
    pool.syncModules(sender=governance)
    assert_call_reverts(
        engine.liquidate,
        borrower, usdc.address, wbtc.address, MAX_UINT256,
        error=pool.StrataUnauthorizedModule,
        sender=funded_liquidator,
        caller=engine.address,
    )
    receipt = replacement.liquidate(borrower, usdc.address, wbtc.address, MAX_UINT256, sender=funded_liquidator)
    assert pool_liquidation_event(market, receipt).repayAmount > 0


def test_liquidate__front_run_by_another_liquidator__recapped(
    market, engine, unhealthy_position, borrower, funded_liquidator, usdc, wbtc
):
    """Two liquidators target the same position; the second one's request is re-capped against the debt left
    by the first, never rejected for asking too much."""
    unhealthy_position(borrower, "WBTC", "2", "USDC", "60000", "0.97")
    debt = market.debt_of(borrower, "USDC")
    liquidate_and_measure(market, funded_liquidator, borrower, "USDC", "WBTC", requested=debt // 10)
    assert market.health_factor(borrower) < WAD
    left = market.debt_of(borrower, "USDC")

    second = liquidate_and_measure(market, funded_liquidator, borrower, "USDC", "WBTC")

    assert second.debt_spent == ceil_div(left, 2)


def test_liquidate__after_half_liquidation__position_healthy_again(
    market, engine, unhealthy_position, borrower, funded_liquidator, usdc, wbtc
):
    """With threshold × (1 + bonus) < 1 (the pool enforces it), closing half the debt restores health, so a
    second liquidator finds nothing to do."""
    unhealthy_position(borrower, "WBTC", "2", "USDC", "60000", "0.97")
    liquidate_and_measure(market, funded_liquidator, borrower, "USDC", "WBTC")
    assert market.health_factor(borrower) >= WAD
    with ape.reverts(engine.LiquidationEngineHealthyPosition):
        engine.liquidate(borrower, usdc.address, wbtc.address, MAX_UINT256, sender=funded_liquidator)
