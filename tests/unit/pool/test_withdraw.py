"""withdraw: shares burnt rounded up, everything with max, liquidity and solvency limits."""

import ape

from tests.unit.pool.model import MAX_UINT, WAD, to_assets_down, to_shares_up
from tests.unit.pool.pool_env import WITHDRAW


def test_withdraw__partial__burns_shares_rounded_up(pool_env, pool, usdc, weth, supplier, borrower):
    pool_env.deposit(supplier, usdc, 1_000_000 * 10**6)
    pool_env.open_position(borrower, weth, 1_000 * 10**18, usdc, 700_000 * 10**6)
    pool_env.mine(100 * 86_400)
    pool_env.next_block()
    shares_before = pool.getReserveData(usdc).totalSupplyShares

    receipt = pool.withdraw(usdc, 123_456_789, supplier, sender=supplier)

    data = pool.getReserveData(usdc)
    burnt = shares_before - data.totalSupplyShares
    assert burnt == to_shares_up(123_456_789, data.liquidityIndex)
    assert receipt.events.filter(pool.Withdrawn)[0].shares == burnt
    assert usdc.balanceOf(supplier) == 123_456_789


def test_withdraw__max__pays_all_rounded_down_and_clears_collateral(pool_env, pool, weth, supplier):
    pool_env.deposit(supplier, weth, 5 * 10**18)

    receipt = pool.withdraw(weth, MAX_UINT, supplier, sender=supplier)

    assert weth.balanceOf(supplier) == 5 * 10**18
    assert pool.getUserConfig(supplier) == 0
    assert receipt.events.filter(pool.CollateralSet) == [pool.CollateralSet(weth, supplier, False)]


def test_withdraw__to_other_recipient__sends_there(pool_env, pool, usdc, supplier, outsider):
    pool_env.deposit(supplier, usdc, 100)
    pool.withdraw(usdc, 60, outsider, sender=supplier)
    assert usdc.balanceOf(outsider) == 60
    assert pool.getUserReserve(usdc, supplier)[0] == 40


def test_withdraw__more_than_supplied__reverts_with_balance(pool_env, pool, usdc, supplier):
    pool_env.deposit(supplier, usdc, 100)
    with ape.reverts(pool.LendingPoolInsufficientSupply, asset=usdc.address, user=supplier.address, requested=101,
                     supplied=100):
        pool.withdraw(usdc, 101, supplier, sender=supplier)


def test_withdraw__max_without_supply__reverts(pool, usdc, outsider):
    with ape.reverts(pool.LendingPoolInsufficientSupply):
        pool.withdraw(usdc, MAX_UINT, outsider, sender=outsider)


def test_withdraw__borrowed_out_liquidity__reverts_insufficient_liquidity(pool_env, pool, usdc, weth, supplier,
                                                                        borrower):
    pool_env.deposit(supplier, usdc, 1_000 * 10**6)
    pool_env.open_position(borrower, weth, 10 * 10**18, usdc, 900 * 10**6)
    with ape.reverts(pool.LendingPoolInsufficientLiquidity, asset=usdc.address, requested=200 * 10**6,
                     available=100 * 10**6):
        pool.withdraw(usdc, 200 * 10**6, supplier, sender=supplier)


def test_withdraw__collateral_that_would_leave_hf_below_one__reverts_with_hf(pool_env, pool, usdc, weth, supplier,
                                                                            borrower):
    pool_env.deposit(supplier, usdc, 100_000 * 10**6)
    # 10 WETH = $30,000; threshold 85% = $25,500; borrow $20,000 → HF 1.275
    pool_env.open_position(borrower, weth, 10 * 10**18, usdc, 20_000 * 10**6)
    # Withdrawing 3 WETH leaves $21,000 × 0.85 = $17,850 < $20,000 debt.
    with ape.reverts(pool.LendingPoolHealthFactorTooLow, user=borrower.address):
        pool.withdraw(weth, 3 * 10**18, borrower, sender=borrower)
    # 2 WETH leaves $24,000 × 0.85 = $20,400 ≥ debt (+ a little interest): allowed.
    pool.withdraw(weth, 2 * 10**18, borrower, sender=borrower)
    assert pool.getAccountData(borrower).healthFactor >= WAD


def test_withdraw__non_collateral_supply_with_debt__needs_no_health_check(pool_env, pool, usdc, weth, wbtc, supplier,
                                                                         borrower):
    pool_env.deposit(supplier, usdc, 100_000 * 10**6)
    pool_env.open_position(borrower, weth, 10 * 10**18, usdc, 20_000 * 10**6)
    pool_env.deposit(borrower, wbtc, 10**8)
    pool.setCollateral(wbtc, False, sender=borrower)
    pool_env.set_price(weth, 2_400)  # HF now exactly at its limit region; WBTC is not collateral anyway
    pool.withdraw(wbtc, MAX_UINT, borrower, sender=borrower)
    assert wbtc.balanceOf(borrower) == 10**8


def test_withdraw__paused__reverts_while_supply_works(pool_env, pool, usdc, guardian, supplier):
    pool_env.deposit(supplier, usdc, 100)
    pool.pauseAction(usdc, WITHDRAW, sender=guardian)
    with ape.reverts(pool.LendingPoolActionPaused, asset=usdc.address, action=WITHDRAW):
        pool.withdraw(usdc, 1, supplier, sender=supplier)
    pool_env.deposit(supplier, usdc, 100)


def test_withdraw__zero_amount_or_recipient__reverts(pool_env, pool, usdc, supplier):
    pool_env.deposit(supplier, usdc, 100)
    with ape.reverts(pool.LendingPoolZeroAmount):
        pool.withdraw(usdc, 0, supplier, sender=supplier)
    with ape.reverts(pool.StrataZeroAddress):
        pool.withdraw(usdc, 1, "0x0000000000000000000000000000000000000000", sender=supplier)


def test_withdraw__supplier_earns_interest(pool_env, pool, usdc, weth, supplier, borrower):
    pool_env.deposit(supplier, usdc, 1_000_000 * 10**6)
    pool_env.open_position(borrower, weth, 1_000 * 10**18, usdc, 800_000 * 10**6)
    pool_env.mine(365 * 86_400)
    pool_env.fund(borrower, usdc, 200_000 * 10**6)
    pool.repay(usdc, MAX_UINT, borrower, sender=borrower)

    receipt = pool.withdraw(usdc, MAX_UINT, supplier, sender=supplier)

    data = pool.getReserveData(usdc)
    paid = receipt.events.filter(pool.Withdrawn)[0].amount
    assert paid > 1_000_000 * 10**6  # interest earned
    assert data.totalSupplyShares == 0
    # What is left is exactly the protocol's share (+ rounding): reserves = cash, nothing owed to anyone.
    assert data.cash == data.protocolReserves > 0
    assert to_assets_down(0, data.liquidityIndex) == 0
