"""setCollateral: enabling needs a supply and an ltv; disabling must leave the health factor ≥ 1."""

import ape

from tests.unit.pool.model import WAD


def test_set_collateral__disable_then_enable__flips_the_bit_and_emits(pool_env, pool, weth, supplier):
    pool_env.deposit(supplier, weth, 10**18)
    receipt = pool.setCollateral(weth, False, sender=supplier)
    assert receipt.events.filter(pool.CollateralSet) == [pool.CollateralSet(weth, supplier, False)]
    assert pool.getUserConfig(supplier) == 0
    receipt = pool.setCollateral(weth, True, sender=supplier)
    assert receipt.events.filter(pool.CollateralSet) == [pool.CollateralSet(weth, supplier, True)]
    assert pool.getUserConfig(supplier) == 1 << 4


def test_set_collateral__unchanged__is_a_silent_no_op(pool_env, pool, weth, supplier):
    pool_env.deposit(supplier, weth, 10**18)
    receipt = pool.setCollateral(weth, True, sender=supplier)
    assert not receipt.events.filter(pool.CollateralSet)


def test_set_collateral__enable_without_supply__reverts(pool, weth, outsider):
    with ape.reverts(pool.LendingPoolNoSupply, asset=weth.address, user=outsider.address):
        pool.setCollateral(weth, True, sender=outsider)


def test_set_collateral__enable_zero_ltv_asset__reverts(pool_env, pool, usdc, governance, supplier):
    pool_env.deposit(supplier, usdc, 10**6)
    pool.setCollateral(usdc, False, sender=supplier)
    pool.setReserveConfig(usdc, (0, 0, 0, 1_000, 0, 0, True), sender=governance)
    with ape.reverts(pool.LendingPoolNotCollateral, asset=usdc.address):
        pool.setCollateral(usdc, True, sender=supplier)


def test_set_collateral__disable_that_breaks_health__reverts(pool_env, pool, usdc, weth, supplier, borrower):
    pool_env.deposit(supplier, usdc, 100_000 * 10**6)
    pool_env.open_position(borrower, weth, 10 * 10**18, usdc, 10_000 * 10**6)
    with ape.reverts(pool.LendingPoolHealthFactorTooLow, user=borrower.address, healthFactor=0):
        pool.setCollateral(weth, False, sender=borrower)


def test_set_collateral__disable_a_spare_collateral__allowed(pool_env, pool, usdc, weth, wbtc, supplier, borrower):
    pool_env.deposit(supplier, usdc, 100_000 * 10**6)
    pool_env.open_position(borrower, weth, 10 * 10**18, usdc, 10_000 * 10**6)
    pool_env.deposit(borrower, wbtc, 10**8)
    pool.setCollateral(wbtc, False, sender=borrower)
    assert pool.getAccountData(borrower).healthFactor >= WAD
    assert pool.getUserReserve(wbtc, borrower)[2] is False


def test_set_collateral__unlisted__reverts(project, pool, governance, supplier):
    token = governance.deploy(project.MockERC20, "X", "X", 18)
    with ape.reverts(pool.LendingPoolReserveNotListed, asset=token.address):
        pool.setCollateral(token, True, sender=supplier)


def test_set_collateral__module_paused__reverts(pool_env, pool, weth, guardian, supplier):
    pool_env.deposit(supplier, weth, 10**18)
    pool.pauseModule(sender=guardian)
    with ape.reverts(pool.StrataModulePaused):
        pool.setCollateral(weth, False, sender=supplier)
