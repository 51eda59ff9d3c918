"""Hostile tokens: fee on transfer is refused, no-return tokens work, an ERC-777-style hook cannot re-enter."""

from __future__ import annotations

import ape
import pytest

from tests.unit.pool.model import MAX_UINT

CONFIG = (7_500, 8_000, 500, 1_000, 0, 0, True)


@pytest.mark.parametrize("decimals", [6, 18])
def test_fee_on_transfer__supply__refused(project, pool_env, pool, governance, attacker, decimals):
    token = governance.deploy(project.FeeOnTransferERC20Mock, "Fee", "FEE", decimals, 50)
    pool_env.list_token(token, CONFIG, 1)
    amount = 1_000 * 10**decimals
    pool_env.fund(attacker, token, amount)
    with ape.reverts(pool.LendingPoolFeeOnTransferNotSupported, asset=token.address, expected=amount,
                     received=amount - amount * 50 // 10_000):
        pool.supply(token, amount, attacker, sender=attacker)
    assert pool.getReserveData(token).cash == 0


def test_fee_switched_on__liquidation_repayment__refused(project, pool_env, pool, governance, weth, supplier,
                                                          borrower, liquidator):
    from tests.unit.pool.pool_env import reverts_named

    token = governance.deploy(project.FeeSwitchERC20Mock)
    pool_env.list_token(token, CONFIG, 1)
    pool_env.deposit(supplier, token, 10**24)
    pool_env.open_position(borrower, weth, 10 * 10**18, token, 24_000 * 10**18)
    pool_env.set_price(weth, 2_700)
    pool_env.fund(liquidator, token, 10**24)
    token.setFeeBps(100, sender=governance)
    repay = 1_000 * 10**18
    seize = repay * 10_500 // (10_000 * 2_700)
    call = (liquidator.address, borrower.address, token.address, weth.address, repay, seize, 0)
    with reverts_named(pool, "LendingPoolFeeOnTransferNotSupported", asset=token.address, expected=repay,
                       received=repay * 99 // 100):
        pool_env.liquidate(call, sender=liquidator)


def test_no_return_token__full_cycle_works(project, pool_env, pool, governance, weth, supplier, borrower):
    token = governance.deploy(project.NoReturnERC20Mock, "Tether", "USDT", 6)
    pool_env.list_token(token, CONFIG, 1)
    for account in (supplier, borrower):
        token.mint(account, 10**12, sender=account)
        token.approve(pool, MAX_UINT, sender=account)
    pool.supply(token, 10**12, supplier, sender=supplier)
    pool_env.deposit(borrower, weth, 10 * 10**18)
    pool.borrow(token, 10**10, borrower, sender=borrower)
    pool_env.mine(86_400)
    pool.repay(token, MAX_UINT, borrower, sender=borrower)
    pool.withdraw(token, MAX_UINT, supplier, sender=supplier)
    assert token.balanceOf(supplier) > 10**12  # principal + interest
    assert pool.getUserReserve(token, borrower)[1] == 0


@pytest.fixture
def reentrant(project, pool_env, governance, supplier, attacker, weth):
    token = governance.deploy(project.ReentrantTokenMock)
    pool_env.list_token(token, CONFIG, 1)
    pool_env.deposit(supplier, token, 10**24)
    pool_env.deposit(attacker, token, 10**21)
    pool_env.deposit(attacker, weth, 10 * 10**18)
    pool_env.fund(attacker, token, 10**21)
    return token


@pytest.mark.parametrize(
    "operation, reentry",
    [
        ("supply", "withdraw"),
        ("withdraw", "withdraw"),
        ("borrow", "borrow"),
        ("repay", "borrow"),
        ("withdraw", "setCollateral"),
        ("supply", "liquidate"),
    ],
)
def test_reentrancy__token_hook_calling_back__is_blocked(pool_env, pool, reentrant, attacker, operation, reentry):
    token = reentrant
    if operation == "repay":
        pool.borrow(token, 10**18, attacker, sender=attacker)
    if reentry == "withdraw":
        data = pool.withdraw.encode_input(token, 10**18, attacker)
    elif reentry == "borrow":
        data = pool.borrow.encode_input(token, 10**18, attacker)
    elif reentry == "setCollateral":
        data = pool.setCollateral.encode_input(token, False)
    else:
        data = pool.executeLiquidation.encode_input(attacker, attacker, token, token, 2**256 - 1)
    token.setReentry(pool, data, sender=attacker)
    from tests.unit.pool.pool_env import reverts_named

    # The guard is the first check of every entry point, hooks included.
    with reverts_named(pool, "ReentrancyGuardReentrantCall"):
        if operation == "supply":
            pool.supply(token, 10**18, attacker, sender=attacker)
        elif operation == "withdraw":
            pool.withdraw(token, 10**18, attacker, sender=attacker)
        elif operation == "borrow":
            pool.borrow(token, 10**18, attacker, sender=attacker)
        else:
            pool.repay(token, 10**17, attacker, sender=attacker)


def test_reentrancy__hook_disarmed__same_operations_succeed(pool_env, pool, reentrant, attacker):
    wallet = reentrant.balanceOf(attacker)
    supplied = pool.getUserReserve(reentrant, attacker)[0]
    pool.withdraw(reentrant, 10**18, attacker, sender=attacker)
    assert reentrant.balanceOf(attacker) == wallet + 10**18
    pool.borrow(reentrant, 10**18, attacker, sender=attacker)
    assert reentrant.balanceOf(attacker) == wallet + 2 * 10**18
    assert pool.getUserReserve(reentrant, attacker)[1] >= 10**18
    pool.repay(reentrant, MAX_UINT, attacker, sender=attacker)
    assert pool.getUserReserve(reentrant, attacker)[1] == 0
    assert reentrant.balanceOf(attacker) <= wallet + 10**18  # the debt, interest included, paid back
    assert pool.getUserReserve(reentrant, attacker)[0] >= supplied - 10**18
