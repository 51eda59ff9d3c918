"""borrow: debt shares rounded up, borrowing power (LTV), caps, pauses, oracle guards, credit delegation."""

import ape
import pytest

from tests.unit.pool.model import MAX_UINT, to_shares_up
from tests.unit.pool.pool_env import BORROW


def _market(pool_env, supplier, borrower, collateral_weth=10):
    pool_env.deposit(supplier, pool_env.usdc, 1_000_000 * 10**6)
    pool_env.deposit(supplier, pool_env.weth, 1_000 * 10**18)
    pool_env.deposit(borrower, pool_env.weth, collateral_weth * 10**18)


def test_borrow__within_power__sends_tokens_and_books_debt(pool_env, pool, usdc, weth, supplier, borrower):
    _market(pool_env, supplier, borrower)

    receipt = pool.borrow(usdc, 10_000 * 10**6, borrower, sender=borrower)

    assert usdc.balanceOf(borrower) == 10_000 * 10**6
    assert pool.getUserReserve(usdc, borrower) == (0, 10_000 * 10**6, False)
    assert pool.getUserConfig(borrower) == (1 << 4) | (2 << 0)  # WETH collateral (id 2), USDC borrowed (id 0)
    event = receipt.events.filter(pool.Borrowed)[0]
    assert (event.asset, event.caller, event.onBehalfOf, event.amount) == (usdc, borrower, borrower, 10_000 * 10**6)
    data = pool.getReserveData(usdc)
    assert data.cash == 990_000 * 10**6
    assert data.totalBorrowed == 10_000 * 10**6


def test_borrow__after_interest__mints_debt_shares_rounded_up(pool_env, pool, usdc, supplier, borrower):
    _market(pool_env, supplier, borrower, 100)
    pool.borrow(usdc, 100_000 * 10**6, borrower, sender=borrower)
    pool_env.mine(200 * 86_400)
    pool_env.next_block()

    receipt = pool.borrow(usdc, 777_777, borrower, sender=borrower)

    index = pool.getReserveData(usdc).borrowIndex
    assert receipt.events.filter(pool.Borrowed)[0].shares == to_shares_up(777_777, index)


def test_borrow__exactly_at_borrowing_power__succeeds(pool_env, pool, usdc, supplier, borrower):
    _market(pool_env, supplier, borrower)
    # 10 WETH × $3,000 × 80% = $24,000 of borrowing power.
    pool.borrow(usdc, 24_000 * 10**6, borrower, sender=borrower)
    data = pool.getAccountData(borrower)
    assert data.debtValue == data.borrowingPower == 24_000 * 10**18


def test_borrow__beyond_borrowing_power__reverts_with_values(pool_env, pool, usdc, supplier, borrower):
    _market(pool_env, supplier, borrower)
    with ape.reverts(pool.LendingPoolInsufficientCollateral, user=borrower.address, borrowingPower=24_000 * 10**18,
                     debtValue=24_000 * 10**18 + 10**12):
        pool.borrow(usdc, 24_000 * 10**6 + 1, borrower, sender=borrower)


def test_borrow__without_collateral__reverts(pool_env, pool, usdc, supplier, outsider):
    _market(pool_env, supplier, supplier)
    with ape.reverts(pool.LendingPoolInsufficientCollateral, user=outsider.address, borrowingPower=0):
        pool.borrow(usdc, 1, outsider, sender=outsider)


def test_borrow__collateral_disabled__does_not_count(pool_env, pool, usdc, weth, supplier, borrower):
    _market(pool_env, supplier, borrower)
    pool.setCollateral(weth, False, sender=borrower)
    with ape.reverts(pool.LendingPoolInsufficientCollateral):
        pool.borrow(usdc, 1, borrower, sender=borrower)


def test_borrow__several_collaterals_and_debts__sums_them(pool_env, pool, usdc, weth, wbtc, supplier, borrower):
    _market(pool_env, supplier, borrower)
    pool_env.deposit(supplier, wbtc, 100 * 10**8)
    pool_env.deposit(borrower, wbtc, 10**8)  # $60,000 × 70% = $42,000 more power
    pool.borrow(usdc, 30_000 * 10**6, borrower, sender=borrower)
    pool.borrow(weth, 10 * 10**18, borrower, sender=borrower)  # $30,000: total $60,000 < $66,000
    data = pool.getAccountData(borrower)
    assert data.borrowingPower == 66_000 * 10**18
    assert 60_000 * 10**18 <= data.debtValue < 60_001 * 10**18  # + a block of interest on the first borrow
    with ape.reverts(pool.LendingPoolInsufficientCollateral):
        # + $6,000.0006 → above the $66,000 power even when no second of interest has passed (same-second blocks)
        pool.borrow(wbtc, 10**7 + 1, borrower, sender=borrower)


def test_borrow__more_than_liquidity__reverts(pool_env, pool, usdc, weth, supplier, borrower):
    pool_env.deposit(supplier, usdc, 1_000 * 10**6)
    pool_env.deposit(borrower, weth, 10 * 10**18)
    with ape.reverts(pool.LendingPoolInsufficientLiquidity, asset=usdc.address, requested=1_001 * 10**6,
                     available=1_000 * 10**6):
        pool.borrow(usdc, 1_001 * 10**6, borrower, sender=borrower)


def test_borrow__disabled_by_config__reverts(pool_env, pool, usdc, governance, supplier, borrower):
    _market(pool_env, supplier, borrower)
    pool.setReserveConfig(usdc, (7_500, 8_000, 500, 1_000, 0, 0, False), sender=governance)
    with ape.reverts(pool.LendingPoolBorrowingDisabled, asset=usdc.address):
        pool.borrow(usdc, 1, borrower, sender=borrower)


def test_borrow__above_cap__reverts_with_cap(pool_env, pool, usdc, governance, supplier, borrower):
    _market(pool_env, supplier, borrower)
    pool.setReserveConfig(usdc, (7_500, 8_000, 500, 1_000, 0, 1_000, True), sender=governance)
    pool.borrow(usdc, 1_000 * 10**6, borrower, sender=borrower)
    with ape.reverts(pool.LendingPoolBorrowCapExceeded, asset=usdc.address, cap=1_000):
        pool.borrow(usdc, 1, borrower, sender=borrower)


def test_borrow__paused__reverts_but_repay_still_works(pool_env, pool, usdc, guardian, supplier, borrower):
    _market(pool_env, supplier, borrower)
    pool.borrow(usdc, 1_000 * 10**6, borrower, sender=borrower)
    pool.pauseAction(usdc, BORROW, sender=guardian)
    with ape.reverts(pool.LendingPoolActionPaused, asset=usdc.address, action=BORROW):
        pool.borrow(usdc, 1, borrower, sender=borrower)
    pool_env.fund(borrower, usdc, 10**6)
    pool.repay(usdc, MAX_UINT, borrower, sender=borrower)
    assert pool.getUserReserve(usdc, borrower)[1] == 0


def test_borrow__stale_collateral_price__reverts_with_oracle_error(pool_env, pool, usdc, weth, supplier, borrower):
    _market(pool_env, supplier, borrower)
    pool_env.oracle.setStale(weth, True, sender=supplier)
    with ape.reverts(pool_env.oracle.PoolTestOracleMockStalePrice):
        pool.borrow(usdc, 1, borrower, sender=borrower)


def test_borrow__zero_price__reverts_invalid_price(pool_env, pool, usdc, supplier, borrower):
    _market(pool_env, supplier, borrower)
    pool_env.set_price(usdc, 0)
    with ape.reverts(pool.LendingPoolInvalidPrice, asset=usdc.address):
        pool.borrow(usdc, 1, borrower, sender=borrower)


def test_borrow__oracle_not_cached__reverts(pool_env, pool, usdc, governance, supplier, borrower):
    _market(pool_env, supplier, borrower)
    pool_env.registry.removeModule(b"PRICE_ORACLE".ljust(32, b"\0"), sender=governance)
    pool.syncModules(sender=governance)
    with ape.reverts(pool.LendingPoolOracleNotSet):
        pool.borrow(usdc, 1, borrower, sender=borrower)


@pytest.mark.parametrize("wrong_oracle", ["no such function", "answers nothing"])
def test_borrow__oracle_address_is_not_an_oracle__reverts_and_moves_nothing(project, pool_env, pool, usdc, governance,
                                                                          supplier, borrower, wrong_oracle):
    _market(pool_env, supplier, borrower)
    # A token has no getAssetPrice (the call reverts); the silent contract returns no data (the pool refuses it).
    impostor = pool_env.weth if wrong_oracle == "no such function" else governance.deploy(project.SilentFallbackMock)
    pool_env.registry.setModule(b"PRICE_ORACLE".ljust(32, b"\0"), impostor, sender=governance)
    pool.syncModules(sender=governance)
    balance, cash = usdc.balanceOf(borrower), pool.getReserveData(usdc).cash
    with ape.reverts():
        pool.borrow(usdc, 1, borrower, sender=borrower)
    assert (usdc.balanceOf(borrower), pool.getReserveData(usdc).cash) == (balance, cash)
    assert pool.getUserConfig(borrower) == 1 << 4  # still no debt flag (WETH collateral only)


def test_borrow__rate_model_answers_nothing__reverts_and_moves_nothing(project, pool_env, pool, usdc, governance,
                                                                     supplier, borrower):
    _market(pool_env, supplier, borrower)
    silent = governance.deploy(project.SilentFallbackMock)
    # Pointing the reserve at it already needs a rate from it: governance cannot install a model that answers nothing.
    with ape.reverts():
        pool.setRateModel(usdc, silent, sender=governance)
    assert pool.getReserveData(usdc).rateModel != silent.address


def test_borrow__on_behalf_without_allowance__reverts(pool_env, pool, usdc, supplier, borrower, attacker):
    _market(pool_env, supplier, borrower)
    with ape.reverts(pool.LendingPoolInsufficientBorrowAllowance, delegator=borrower.address,
                     delegatee=attacker.address, asset=usdc.address, allowance=0, amount=1):
        pool.borrow(usdc, 1, borrower, sender=attacker)


def test_borrow__on_behalf_with_allowance__debt_to_delegator_tokens_to_delegatee(pool_env, pool, usdc, supplier,
                                                                                borrower, delegatee):
    _market(pool_env, supplier, borrower)
    receipt = pool.approveDelegation(delegatee, usdc, 500 * 10**6, sender=borrower)
    assert receipt.events.filter(pool.BorrowAllowanceSet) == [
        pool.BorrowAllowanceSet(borrower, delegatee, usdc, 0, 500 * 10**6)
    ]

    pool.borrow(usdc, 200 * 10**6, borrower, sender=delegatee)

    assert usdc.balanceOf(delegatee) == 200 * 10**6
    assert pool.getUserReserve(usdc, borrower)[1] == 200 * 10**6
    assert pool.getUserReserve(usdc, delegatee)[1] == 0
    assert pool.borrowAllowance(borrower, delegatee, usdc) == 300 * 10**6
    with ape.reverts(pool.LendingPoolInsufficientBorrowAllowance):
        pool.borrow(usdc, 300 * 10**6 + 1, borrower, sender=delegatee)


def test_borrow__delegated_borrow__still_checks_delegator_solvency(pool_env, pool, usdc, supplier, borrower,
                                                                  delegatee):
    _market(pool_env, supplier, borrower)
    pool.approveDelegation(delegatee, usdc, MAX_UINT, sender=borrower)
    with ape.reverts(pool.LendingPoolInsufficientCollateral, user=borrower.address):
        pool.borrow(usdc, 25_000 * 10**6, borrower, sender=delegatee)
    pool.borrow(usdc, 1_000 * 10**6, borrower, sender=delegatee)
    assert pool.borrowAllowance(borrower, delegatee, usdc) == MAX_UINT  # unlimited is never decreased


def test_borrow__zero_amount__reverts(pool, usdc, borrower):
    with ape.reverts(pool.LendingPoolZeroAmount):
        pool.borrow(usdc, 0, borrower, sender=borrower)
