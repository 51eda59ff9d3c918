"""FlashLiquidator (contracts/periphery/): the keeper's flash-funded liquidation executor.

Who may start it, which callbacks it accepts, where the loan's repayment comes from, and where the profit goes,
to the wei: the market has zero interest rates, so the engine's preview is what the transaction executes.
"""

from __future__ import annotations

import ape
import pytest
from eth_abi import encode

from tests.unit.liquidation.conftest import FLASH_FEE_BPS
from tests.unit.liquidation.helpers import assert_call_reverts, expect
from tests.unit.liquidation.market import MAX_UINT256
from tests.unit.liquidation.model import ceil_div

ZERO_ADDRESS = "0x" + "00" * 20


def flash_fee(amount: int) -> int:
    return ceil_div(amount * FLASH_FEE_BPS, 10_000)


def callback_data(borrower, collateral) -> bytes:
    return encode(["address", "address"], [borrower.address, collateral.address])


def balances(token, *holders) -> list[int]:
    return [int(token.balanceOf(h)) for h in holders]


def protocol_reserves(market, symbol) -> int:
    return int(market.pool.getReserveData(market[symbol].address).protocolReserves)


@pytest.fixture
def cross_asset_position(unhealthy_position, borrower):
    """WBTC collateral, USDC debt, hf 0.97: the seized asset cannot repay the loan."""
    unhealthy_position(borrower, "WBTC", "2", "USDC", "60000", "0.97")
    return borrower


# -- construction and wiring --------------------------------------------------------------------------------


def test_constructor__wiring__owner_lender_engine(flash_liquidator, flash_module, engine, keeper_account):
    assert flash_liquidator.owner() == keeper_account.address
    assert flash_liquidator.lender() == flash_module.address
    assert flash_liquidator.engine() == engine.address


def test_constructor__zero_lender__reverts(project, engine, keeper_account, flash_liquidator):
    with ape.reverts(flash_liquidator.FlashLiquidatorZeroAddress):
        keeper_account.deploy(project.FlashLiquidator, ZERO_ADDRESS, engine, keeper_account)


# -- access --------------------------------------------------------------------------------------------------


def test_liquidate__outsider__reverts(market, flash_liquidator, same_asset_position, borrower, attacker, weth):
    same_asset_position(borrower)
    market.set_price("WBTC", "45000")
    with ape.reverts(flash_liquidator.OwnableUnauthorizedAccount, account=attacker.address):
        flash_liquidator.liquidate(borrower, weth.address, weth.address, weth.units("1"), sender=attacker)


def test_on_flash_loan__called_directly__reverts_untrusted_lender(flash_liquidator, borrower, attacker, weth):
    """A forged callback that claims the executor started the loan: refused for its caller."""
    with ape.reverts(flash_liquidator.FlashLiquidatorUntrustedLender, caller=attacker.address):
        flash_liquidator.onFlashLoan(
            flash_liquidator.address, weth.address, weth.units("1"), 0, callback_data(borrower, weth), sender=attacker
        )


def test_on_flash_loan__loan_started_by_outsider__reverts_untrusted_initiator(
    market, flash_module, flash_liquidator, same_asset_position, borrower, attacker, weth, keeper_account
):
    """Anyone can name the executor as receiver of a real loan from the real lender: the callback refuses it,
    so a stranger can neither make the executor pay fees nor run a liquidation with its inventory."""
    same_asset_position(borrower)
    market.set_price("WBTC", "45000")
    weth.token.mint(flash_liquidator, weth.units("10"), sender=keeper_account)  # inventory a stranger would spend
    assert_call_reverts(
        flash_module.flashLoan,
        flash_liquidator.address,
        weth.address,
        weth.units("1"),
        callback_data(borrower, weth),
        error=flash_liquidator.FlashLiquidatorUntrustedInitiator,
        sender=attacker,
        initiator=attacker.address,
    )


def test_sweep__outsider__reverts(flash_liquidator, attacker, keeper_account, usdc):
    usdc.token.mint(flash_liquidator, usdc.units("100"), sender=keeper_account)
    with ape.reverts(flash_liquidator.OwnableUnauthorizedAccount, account=attacker.address):
        flash_liquidator.sweep(usdc.address, attacker, usdc.units("100"), sender=attacker)


def test_sweep__owner__sends_inventory(flash_liquidator, keeper_account, outsider, usdc):
    usdc.token.mint(flash_liquidator, usdc.units("100"), sender=keeper_account)
    receipt = flash_liquidator.sweep(usdc.address, outsider, usdc.units("40"), sender=keeper_account)
    assert balances(usdc.token, flash_liquidator, outsider) == [usdc.units("60"), usdc.units("40")]
    [event] = receipt.decode_logs(flash_liquidator.Swept)
    assert (event.token, event.to, event.amount) == (usdc.address, outsider.address, usdc.units("40"))


# -- same asset: the seizure repays the loan ---------------------------------------------------------------


def test_liquidate__same_asset__seizure_repays_loan_and_profit_goes_to_owner(
    market, flash_module, flash_liquidator, same_asset_position, borrower, keeper_account, weth
):
    same_asset_position(borrower)
    market.set_price("WBTC", "45000")
    expected = expect(market, borrower, "WETH", "WETH")
    fee = flash_fee(expected.repay)
    owner_before, executor_before = balances(weth.token, keeper_account, flash_liquidator)
    reserves_before = protocol_reserves(market, "WETH")
    assert executor_before == 0 and int(weth.token.allowance(keeper_account, flash_liquidator)) == 0

    receipt = flash_liquidator.liquidate(borrower, weth.address, weth.address, expected.repay, sender=keeper_account)

    profit = expected.to_liquidator - expected.repay - fee
    assert profit > 0
    assert balances(weth.token, keeper_account, flash_liquidator) == [owner_before + profit, 0]
    [event] = receipt.decode_logs(flash_liquidator.FlashLiquidationExecuted)
    assert (event.borrower, event.debtAsset, event.collateralAsset) == (borrower.address, weth.address, weth.address)
    assert (event.repayAmount, event.collateralReceived, event.flashFee, event.pulledFromOwner) == (
        expected.repay,
        expected.to_liquidator,
        fee,
        0,
    )
    [loan] = receipt.decode_logs(flash_module.FlashLoanExecuted)
    assert (loan.receiver, loan.initiator, loan.amount, loan.fee) == (
        flash_liquidator.address,
        flash_liquidator.address,
        expected.repay,
        fee,
    )
    # The flash fee and the liquidation's protocol fee both end in the WETH reserve's protocol reserves.
    assert protocol_reserves(market, "WETH") - reserves_before == pytest.approx(fee + expected.fee, abs=1)
    assert int(weth.token.allowance(flash_liquidator, market.pool)) == 0
    assert int(weth.token.allowance(flash_liquidator, flash_module)) == 0


def test_liquidate__request_above_close_factor__unused_loan_returned_no_allowance_left(
    market, flash_module, flash_liquidator, same_asset_position, borrower, keeper_account, weth
):
    """Borrowing twice what the engine lets it repay costs the fee on the whole loan, and leaves no approval."""
    same_asset_position(borrower)
    market.set_price("WBTC", "45000")
    expected = expect(market, borrower, "WETH", "WETH")
    loan = 2 * expected.repay
    owner_before = int(weth.token.balanceOf(keeper_account))

    flash_liquidator.liquidate(borrower, weth.address, weth.address, loan, sender=keeper_account)

    assert int(weth.token.balanceOf(keeper_account)) - owner_before == expected.to_liquidator - expected.repay - flash_fee(loan)
    assert int(weth.token.balanceOf(flash_liquidator)) == 0
    assert int(weth.token.allowance(flash_liquidator, market.pool)) == 0


def test_liquidate__same_asset_with_inventory__inventory_untouched(
    market, flash_liquidator, same_asset_position, borrower, keeper_account, weth
):
    """Inventory of the collateral asset left in the executor is not paid out with the profit."""
    same_asset_position(borrower)
    market.set_price("WBTC", "45000")
    inventory = weth.units("5")
    weth.token.mint(flash_liquidator, inventory, sender=keeper_account)
    expected = expect(market, borrower, "WETH", "WETH")
    owner_before = int(weth.token.balanceOf(keeper_account))

    flash_liquidator.liquidate(borrower, weth.address, weth.address, expected.repay, sender=keeper_account)

    profit = expected.to_liquidator - expected.repay - flash_fee(expected.repay)
    assert balances(weth.token, keeper_account, flash_liquidator) == [owner_before + profit, inventory]


# -- other asset: inventory repays the loan ----------------------------------------------------------------


def test_liquidate__cross_asset_prefunded__inventory_repays_and_collateral_goes_to_owner(
    market, flash_liquidator, cross_asset_position, keeper_account, usdc, wbtc
):
    expected = expect(market, cross_asset_position, "USDC", "WBTC")
    fee = flash_fee(expected.repay)
    inventory = usdc.units("100000")
    usdc.token.mint(flash_liquidator, inventory, sender=keeper_account)
    owner_usdc, owner_wbtc = int(usdc.token.balanceOf(keeper_account)), int(wbtc.token.balanceOf(keeper_account))

    receipt = flash_liquidator.liquidate(
        cross_asset_position, usdc.address, wbtc.address, expected.repay, sender=keeper_account
    )

    assert int(usdc.token.balanceOf(flash_liquidator)) == inventory - expected.repay - fee
    assert int(usdc.token.balanceOf(keeper_account)) == owner_usdc
    assert int(wbtc.token.balanceOf(keeper_account)) == owner_wbtc + expected.to_liquidator
    assert int(wbtc.token.balanceOf(flash_liquidator)) == 0
    [event] = receipt.decode_logs(flash_liquidator.FlashLiquidationExecuted)
    assert (event.flashFee, event.pulledFromOwner) == (fee, 0)


def test_liquidate__cross_asset_partly_prefunded__pulls_exact_shortfall_from_owner(
    market, flash_liquidator, cross_asset_position, keeper_account, usdc, wbtc
):
    expected = expect(market, cross_asset_position, "USDC", "WBTC")
    fee = flash_fee(expected.repay)
    inventory = usdc.units("1000")
    usdc.token.mint(flash_liquidator, inventory, sender=keeper_account)
    usdc.token.mint(keeper_account, usdc.units("100000"), sender=keeper_account)
    usdc.token.approve(flash_liquidator, MAX_UINT256, sender=keeper_account)
    owner_usdc, owner_wbtc = int(usdc.token.balanceOf(keeper_account)), int(wbtc.token.balanceOf(keeper_account))

    receipt = flash_liquidator.liquidate(
        cross_asset_position, usdc.address, wbtc.address, expected.repay, sender=keeper_account
    )

    shortfall = expected.repay + fee - inventory
    assert int(usdc.token.balanceOf(flash_liquidator)) == 0
    assert int(usdc.token.balanceOf(keeper_account)) == owner_usdc - shortfall
    assert int(wbtc.token.balanceOf(keeper_account)) == owner_wbtc + expected.to_liquidator
    [event] = receipt.decode_logs(flash_liquidator.FlashLiquidationExecuted)
    assert event.pulledFromOwner == shortfall


def test_liquidate__cannot_repay__reverts_with_custom_error(
    market, flash_liquidator, cross_asset_position, keeper_account, usdc, wbtc
):
    """No inventory and an allowance one wei short: the whole liquidation reverts with the amounts."""
    expected = expect(market, cross_asset_position, "USDC", "WBTC")
    owed = expected.repay + flash_fee(expected.repay)
    usdc.token.mint(keeper_account, owed, sender=keeper_account)
    usdc.token.approve(flash_liquidator, owed - 1, sender=keeper_account)

    assert_call_reverts(
        flash_liquidator.liquidate,
        cross_asset_position.address,
        usdc.address,
        wbtc.address,
        expected.repay,
        error=flash_liquidator.FlashLiquidatorCannotRepay,
        sender=keeper_account,
        token=usdc.address,
        owed=owed,
        available=owed - 1,
    )
    debt_before = market.debt_of(cross_asset_position, "USDC")
    with ape.reverts():
        flash_liquidator.liquidate(
            cross_asset_position, usdc.address, wbtc.address, expected.repay, sender=keeper_account
        )
    assert market.debt_of(cross_asset_position, "USDC") == debt_before
    assert int(usdc.token.balanceOf(keeper_account)) == owed
