"""Views: reserve data, account data, user reserves, module-facing views."""

from tests.unit.pool.model import RAY, WAD, to_assets_up


def test_get_reserve_data__is_consistent(pool_env, pool, usdc, weth, supplier, borrower):
    pool_env.deposit(supplier, usdc, 1_000_000 * 10**6)
    pool_env.open_position(borrower, weth, 1_000 * 10**18, usdc, 600_000 * 10**6)
    pool_env.mine(30 * 86_400)
    d = pool.getReserveData(usdc)
    assert d.protocolReserves == d.cash + d.totalBorrowed - d.totalSupplied
    assert d.utilization == d.totalBorrowed * WAD // (d.cash + d.totalBorrowed)
    assert d.supplyRate == d.borrowRate * d.utilization // WAD * 9_000 // 10_000
    assert d.totalBorrowed == to_assets_up(d.totalDebtShares, d.borrowIndex)
    assert d.availableLiquidity == d.cash == 400_000 * 10**6
    assert d.liquidityIndex > RAY and d.borrowIndex > RAY


def test_get_reserve_data__accrues_in_the_view(pool_env, pool, usdc, weth, supplier, borrower):
    pool_env.deposit(supplier, usdc, 1_000_000 * 10**6)
    pool_env.open_position(borrower, weth, 1_000 * 10**18, usdc, 600_000 * 10**6)
    before = pool.getReserveData(usdc)
    pool_env.mine(86_400)  # no transaction touches the pool
    after = pool.getReserveData(usdc)
    assert after.totalBorrowed > before.totalBorrowed
    assert after.totalSupplied > before.totalSupplied
    assert after.lastUpdate == before.lastUpdate  # nothing written


def test_get_reserve_data__unlisted__is_empty(project, pool, governance):
    token = governance.deploy(project.MockERC20, "X", "X", 18)
    assert pool.getReserveData(token).liquidityIndex == 0
    assert pool.getUserReserve(token, governance) == (0, 0, False)
    assert pool.availableLiquidity(token) == 0
    assert pool.isFlashLoanAllowed(token) is False


def test_get_account_data__values_one_position(pool_env, pool, usdc, weth, wbtc, supplier, borrower):
    pool_env.deposit(supplier, usdc, 1_000_000 * 10**6)
    pool_env.deposit(borrower, weth, 10 * 10**18)  # $30,000
    pool_env.deposit(borrower, wbtc, 10**8)  # $60,000
    pool.borrow(usdc, 30_000 * 10**6, borrower, sender=borrower)
    d = pool.getAccountData(borrower)
    assert d.collateralValue == 90_000 * WAD
    assert d.borrowingPower == (30_000 * 8_000 + 60_000 * 7_000) // 10_000 * WAD
    assert d.liquidationThresholdValue == (30_000 * 8_500 + 60_000 * 7_500) // 10_000 * WAD
    assert d.debtValue == 30_000 * WAD
    assert d.healthFactor == d.liquidationThresholdValue * WAD // d.debtValue


def test_get_account_data__no_position__max_health(pool, outsider):
    d = pool.getAccountData(outsider)
    assert (d.collateralValue, d.debtValue, d.healthFactor) == (0, 0, 2**256 - 1)


def test_module_views(pool_env, pool, usdc, wbtc, weth):
    assert pool.getReservesList() == [usdc.address, wbtc.address, weth.address]
    assert pool.getLiquidationParams(wbtc) == (int(0.75e18), int(0.1e18), 8)
    assert pool.isFlashLoanAllowed(usdc)
    assert pool.MAX_RESERVES() == 128
    assert pool.getUserConfig(pool_env.governance) == 0
