"""supply: shares against the liquidity index, collateral on first supply, caps, pauses, token checks."""

import ape
import pytest

from tests.unit.pool.model import RAY, to_shares_down
from tests.unit.pool.pool_env import SUPPLY, module_id


def test_supply__fresh_reserve__mints_shares_one_to_one_and_books_cash(pool_env, pool, usdc, supplier):
    amount = pool_env.units(usdc, 1_000)
    pool_env.fund(supplier, usdc, amount)

    receipt = pool.supply(usdc, amount, supplier, sender=supplier)

    data = pool.getReserveData(usdc)
    assert data.totalSupplyShares == amount  # index = RAY
    assert data.totalSupplied == amount
    assert data.cash == amount
    assert data.liquidityIndex == RAY
    assert pool.getUserReserve(usdc, supplier) == (amount, 0, True)
    assert usdc.balanceOf(pool) == amount
    assert receipt.events.filter(pool.Supplied)[0].shares == amount


def test_supply__first_supply__enables_collateral_and_emits(pool_env, pool, weth, supplier):
    amount = pool_env.units(weth, 1)
    pool_env.fund(supplier, weth, amount)

    receipt = pool.supply(weth, amount, supplier, sender=supplier)

    assert receipt.events.filter(pool.CollateralSet) == [pool.CollateralSet(weth, supplier, True)]
    assert pool.getUserConfig(supplier) == 1 << (2 * 2)  # WETH is reserve 2, collateral bit


def test_supply__repeat_supply__keeps_collateral_choice(pool_env, pool, weth, supplier):
    pool_env.deposit(supplier, weth, 10**18)
    pool.setCollateral(weth, False, sender=supplier)

    receipt = pool_env.deposit(supplier, weth, 10**18)

    assert not receipt.events.filter(pool.CollateralSet)
    assert pool.getUserReserve(weth, supplier)[2] is False


def test_supply__reserve_with_zero_ltv__does_not_enable_collateral(pool_env, pool, usdc, governance, supplier):
    pool.setReserveConfig(usdc, (0, 0, 0, 1_000, 0, 0, True), sender=governance)
    pool_env.deposit(supplier, usdc, 10**6)
    assert pool.getUserReserve(usdc, supplier)[2] is False
    assert pool.getUserConfig(supplier) == 0


def test_supply__on_behalf_of__credits_the_beneficiary(pool_env, pool, usdc, supplier, outsider):
    amount = 5 * 10**6
    pool_env.fund(supplier, usdc, amount)

    receipt = pool.supply(usdc, amount, outsider, sender=supplier)

    assert pool.getUserReserve(usdc, outsider)[0] == amount
    assert pool.getUserReserve(usdc, supplier)[0] == 0
    assert receipt.events.filter(pool.Supplied)[0].caller == supplier
    assert receipt.events.filter(pool.Supplied)[0].onBehalfOf == outsider


def test_supply__after_interest__mints_fewer_shares_rounded_down(pool_env, pool, usdc, weth, supplier, borrower):
    pool_env.deposit(supplier, usdc, 1_000_000 * 10**6)
    pool_env.open_position(borrower, weth, 1_000 * 10**18, usdc, 500_000 * 10**6)
    pool_env.mine(365 * 86_400)
    pool_env.next_block()
    amount = 333_333_333
    pool_env.fund(supplier, usdc, amount)

    receipt = pool.supply(usdc, amount, supplier, sender=supplier)

    index = pool.getReserveData(usdc).liquidityIndex
    assert index > RAY
    assert receipt.events.filter(pool.Supplied)[0].shares == to_shares_down(amount, index)


def test_supply__zero_amount__reverts(pool, usdc, supplier):
    with ape.reverts(pool.LendingPoolZeroAmount):
        pool.supply(usdc, 0, supplier, sender=supplier)


def test_supply__zero_beneficiary__reverts(pool_env, pool, usdc, supplier):
    pool_env.fund(supplier, usdc, 10)
    with ape.reverts(pool.StrataZeroAddress):
        pool.supply(usdc, 10, "0x0000000000000000000000000000000000000000", sender=supplier)


def test_supply__unlisted_asset__reverts(project, pool, governance, supplier):
    token = governance.deploy(project.MockERC20, "X", "X", 18)
    with ape.reverts(pool.LendingPoolReserveNotListed, asset=token.address):
        pool.supply(token, 10, supplier, sender=supplier)


def test_supply__paused_action__reverts(pool_env, pool, usdc, guardian, supplier):
    pool.pauseAction(usdc, SUPPLY, sender=guardian)
    pool_env.fund(supplier, usdc, 10)
    with ape.reverts(pool.LendingPoolActionPaused, asset=usdc.address, action=SUPPLY):
        pool.supply(usdc, 10, supplier, sender=supplier)


def test_supply__module_paused__reverts(pool_env, pool, usdc, guardian, supplier):
    pool.pauseModule(sender=guardian)
    pool_env.fund(supplier, usdc, 10)
    with ape.reverts(pool.StrataModulePaused):
        pool.supply(usdc, 10, supplier, sender=supplier)


def test_supply__above_cap__reverts_with_cap(pool_env, pool, usdc, governance, supplier):
    pool.setReserveConfig(usdc, (7_500, 8_000, 500, 1_000, 1_000, 0, True), sender=governance)
    pool_env.deposit(supplier, usdc, 1_000 * 10**6)  # exactly at the cap
    pool_env.fund(supplier, usdc, 1)
    with ape.reverts(pool.LendingPoolSupplyCapExceeded, asset=usdc.address, cap=1_000):
        pool.supply(usdc, 1, supplier, sender=supplier)


def test_supply__cap_counts_accrued_interest(pool_env, pool, usdc, weth, governance, supplier, borrower):
    pool_env.deposit(supplier, usdc, 1_000 * 10**6)
    pool_env.open_position(borrower, weth, 10**18, usdc, 900 * 10**6)
    pool.setReserveConfig(usdc, (7_500, 8_000, 500, 1_000, 1_000, 0, True), sender=governance)
    pool_env.mine(30 * 86_400)  # suppliers now own more than 1,000 USDC
    assert pool.getReserveData(usdc).totalSupplied > 1_000 * 10**6
    pool_env.fund(supplier, usdc, 10**6)
    with ape.reverts(pool.LendingPoolSupplyCapExceeded):
        pool.supply(usdc, 10**6, supplier, sender=supplier)


def test_supply__dust_below_one_share__reverts_zero_shares(pool_env, pool, usdc, weth, supplier, borrower):
    pool_env.deposit(supplier, usdc, 1_000 * 10**6)
    pool_env.open_position(borrower, weth, 10**18, usdc, 900 * 10**6)
    pool_env.mine(3 * 365 * 86_400)
    pool.withdraw(usdc, 1, supplier, sender=supplier)  # accrue: the index is now well above RAY
    assert pool.getReserveData(usdc).liquidityIndex > RAY
    pool_env.fund(supplier, usdc, 1)
    with ape.reverts(pool.LendingPoolZeroShares, asset=usdc.address, amount=1):
        pool.supply(usdc, 1, supplier, sender=supplier)


def test_supply__no_return_token__works(project, pool_env, pool, governance, supplier):
    token = governance.deploy(project.NoReturnERC20Mock, "Tether", "USDT", 6)
    pool_env.list_token(token, (7_500, 8_000, 500, 1_000, 0, 0, True), 1)
    token.mint(supplier, 1_000, sender=supplier)
    token.approve(pool, 1_000, sender=supplier)

    pool.supply(token, 1_000, supplier, sender=supplier)
    pool.withdraw(token, 400, supplier, sender=supplier)

    assert token.balanceOf(supplier) == 400
    assert pool.getUserReserve(token, supplier)[0] == 600


def test_supply__fee_on_transfer_token__reverts(project, pool_env, pool, governance, supplier):
    token = governance.deploy(project.FeeOnTransferERC20Mock, "Fee", "FEE", 18, 100)  # 1% fee
    pool_env.list_token(token, (7_500, 8_000, 500, 1_000, 0, 0, True), 1)
    pool_env.fund(supplier, token, 10**18)
    with ape.reverts(pool.LendingPoolFeeOnTransferNotSupported, asset=token.address, expected=10**18,
                     received=10**18 * 99 // 100):
        pool.supply(token, 10**18, supplier, sender=supplier)


@pytest.mark.parametrize("symbol", ["USDC", "WBTC", "WETH"])
def test_supply__then_withdraw_all_at_once__returns_exactly_the_deposit(pool_env, pool, supplier, symbol):
    token = pool_env.tokens[symbol]
    amount = pool_env.units(token, 123.456)
    pool_env.deposit(supplier, token, amount)
    pool.withdraw(token, 2**256 - 1, supplier, sender=supplier)
    assert token.balanceOf(supplier) == amount
    assert pool.getUserReserve(token, supplier) == (0, 0, False)


def test_supply__registry_not_involved__module_cache_used(pool_env, pool, governance):
    # The pool caches the oracle: a registry change is only seen after syncModules.
    old = pool.cachedModules()
    new_oracle = governance.deploy(pool_env.project.PoolTestOracleMock)
    pool_env.registry.setModule(module_id("PRICE_ORACLE"), new_oracle, sender=governance)
    assert pool.cachedModules() == old
    pool.syncModules(sender=governance)
    assert pool.cachedModules()[0] == new_oracle.address
