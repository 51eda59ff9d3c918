"""Money paths on brownie: deploy, supply, borrow, repay, liquidate after a price drop, flash loan.

Each test checks the balances and positions that the operation must move: to the unit, or within the interest
of the few seconds between a view and the transaction's block.
"""

from __future__ import annotations

import brownie
from brownie import FlashBorrowerMock

from strata.brownie_backend import deploy
from strata.modules import FLASH_LOAN_MODULE, LENDING_POOL, LIQUIDATION_ENGINE, PRICE_ORACLE, module_id_bytes
from strata.records import load_record

WAD = 10**18
MAX_UINT256 = 2**256 - 1
USDC = 10**6
ETH = 10**18


def test_deploy__whole_protocol__recorded_wired_and_handed_to_timelock(deployment, protocol, pool):
    record = deployment.deployer.record
    assert record.completed
    assert record.network in ("brownie:anvil", "brownie:hardhat")
    assert record.chain_id == brownie.chain.id
    on_disk = load_record(deployment.record_file)  # written through strata.records, as ape's deploy does
    assert on_disk.completed and on_disk.contracts.keys() == record.contracts.keys()
    registry = protocol.registry  # strata's handle (ape calling convention over brownie)
    for spec, module in (
        (PRICE_ORACLE, protocol.oracle),
        (LENDING_POOL, protocol.pool),
        (LIQUIDATION_ENGINE, protocol.liquidation),
        (FLASH_LOAN_MODULE, protocol.flash),
    ):
        assert registry.moduleOf(module_id_bytes(spec.module_id)) == module.address
        assert record.require(spec.name).address == module.address
        assert len(brownie.web3.eth.get_code(record.require(spec.name).implementation)) > 0
    assert registry.governance() == protocol.timelock.address
    assert list(pool.getReservesList()) == [protocol.assets[s].address for s in ("USDC", "WETH", "WBTC")]


def test_deploy__rerun_on_the_same_chain__sends_nothing(deployment):
    again = deploy(deployment.record_file)
    assert again.deployer.steps_taken == 0
    assert again.protocol.pool.address == deployment.protocol.pool.address


def test_supply__usdc__tokens_in_pool_and_position_credited(pool, usdc, supplier, fund):
    amount = 250_000 * USDC
    fund(usdc, supplier, amount)
    pool_before = usdc.balanceOf(pool)
    reserve_before = pool.getReserveData(usdc)["totalSupplied"]

    pool.supply(usdc, amount, supplier, {"from": supplier})

    assert usdc.balanceOf(supplier) == 0
    assert usdc.balanceOf(pool) == pool_before + amount
    supplied, borrowed, as_collateral = pool.getUserReserve(usdc, supplier)
    assert supplied == amount
    assert borrowed == 0
    assert as_collateral
    assert pool.getReserveData(usdc)["totalSupplied"] == reserve_before + amount


def test_borrow_then_repay__usdc_against_weth__debt_opened_and_cleared(pool, usdc, weth, supplier, borrower, supply, fund):
    supply(usdc, supplier, 1_000_000 * USDC)
    supply(weth, borrower, 10 * ETH)  # 30,000 USD of collateral at 3,000
    borrow = 20_000 * USDC  # within the 80% LTV (24,000)

    pool.borrow(usdc, borrow, borrower, {"from": borrower})

    assert usdc.balanceOf(borrower) == borrow
    assert pool.getUserReserve(usdc, borrower)[1] >= borrow
    account = pool.getAccountData(borrower)
    assert account["debtValue"] >= 20_000 * WAD
    assert account["healthFactor"] > WAD

    # Six hours of interest (within the feeds' 24 h heartbeat), then repay everything: the debt is gone and the
    # pool got principal plus interest back.
    brownie.chain.sleep(6 * 3_600)
    brownie.chain.mine()
    owed = pool.getUserReserve(usdc, borrower)[1]
    assert owed > borrow
    fund(usdc, borrower, 1_000 * USDC)  # enough for the interest
    wallet_before = usdc.balanceOf(borrower)
    pool_before = usdc.balanceOf(pool)

    pool.repay(usdc, MAX_UINT256, borrower, {"from": borrower})

    paid = wallet_before - usdc.balanceOf(borrower)
    assert owed <= paid <= owed + owed // 10**6  # a few seconds of interest more than the view at the last block
    assert usdc.balanceOf(pool) == pool_before + paid
    assert pool.getUserReserve(usdc, borrower)[1] == 0
    assert pool.getAccountData(borrower)["debtValue"] == 0
    assert pool.getUserReserve(weth, borrower)[0] == 10 * ETH  # collateral untouched


def test_liquidate__after_weth_price_drop__debt_repaid_collateral_seized_with_bonus(
    pool, engine, usdc, weth, weth_feed, supplier, borrower, liquidator, supply, fund
):
    supply(usdc, supplier, 1_000_000 * USDC)
    supply(weth, borrower, 10 * ETH)
    pool.borrow(usdc, 23_000 * USDC, borrower, {"from": borrower})
    assert pool.getAccountData(borrower)["healthFactor"] > WAD

    weth_feed.setAnswer(2_700 * 10**8, {"from": liquidator})  # 27,000 x 82.5% = 22,275 < 23,000 of debt
    health = pool.getAccountData(borrower)["healthFactor"]
    assert health < WAD

    preview = engine.previewLiquidation(borrower, usdc, weth, MAX_UINT256)
    assert 0 < preview["repayAmount"] <= pool.getUserReserve(usdc, borrower)[1] // 2 + 1  # close factor 50%
    fund(usdc, liquidator, preview["repayAmount"] + 1 * USDC)  # the next block adds a few seconds of interest
    liquidator_usdc = usdc.balanceOf(liquidator)
    debt_before = pool.getUserReserve(usdc, borrower)[1]
    collateral_before = pool.getUserReserve(weth, borrower)[0]
    reserves_before = pool.getReserveData(weth)["protocolReserves"]

    tx = engine.liquidate(borrower, usdc, weth, MAX_UINT256, {"from": liquidator})

    executed = tx.events["LiquidationExecuted"]
    repay, seize, fee = executed["repayAmount"], executed["seizeAmount"], executed["protocolFeeAmount"]
    assert executed["liquidator"] == liquidator and executed["borrower"] == borrower
    # What was executed is what the preview said, up to the interest of the blocks in between.
    assert preview["repayAmount"] <= repay <= preview["repayAmount"] + preview["repayAmount"] // 10**5
    # Seized value = repaid value x (1 + 5% bonus) at the new WETH price, rounded down (in the protocol's favour).
    repaid_usd, seized_usd = repay * WAD // USDC, seize * 2_700
    assert repaid_usd * 105 // 100 - 2_700 <= seized_usd <= repaid_usd * 105 // 100
    assert 0 < fee < seize
    assert liquidator_usdc - usdc.balanceOf(liquidator) == repay
    assert weth.balanceOf(liquidator) == seize - fee
    # The debt fell by the repayment, less the interest of the seconds between the view and the transaction's block.
    assert abs(debt_before - pool.getUserReserve(usdc, borrower)[1] - repay) <= debt_before // 10**6
    assert pool.getUserReserve(weth, borrower)[0] in (collateral_before - seize, collateral_before - seize - 1)
    assert pool.getReserveData(weth)["protocolReserves"] == reserves_before + fee
    assert pool.getAccountData(borrower)["healthFactor"] > health


def test_flash_loan__usdc__borrowed_in_full_repaid_with_fee_to_reserves(pool, flash, usdc, supplier, liquidator, supply):
    supply(usdc, supplier, 1_000_000 * USDC)
    receiver = FlashBorrowerMock.deploy(flash, {"from": liquidator})
    amount = 500_000 * USDC
    fee = flash.flashFee(usdc, amount)
    assert fee == amount * 5 // 10_000  # the default 5 bps
    usdc.mint(receiver, fee, {"from": liquidator})
    pool_before = usdc.balanceOf(pool)
    reserves_before = pool.getReserveData(usdc)["protocolReserves"]

    receiver.flashBorrow(usdc, amount, b"", {"from": liquidator})

    assert receiver.lastAmount() == amount
    assert receiver.lastFee() == fee
    assert receiver.balanceDuringLoan() == amount + fee
    assert usdc.balanceOf(receiver) == 0
    assert usdc.balanceOf(pool) == pool_before + fee
    assert pool.getReserveData(usdc)["protocolReserves"] == reserves_before + fee
