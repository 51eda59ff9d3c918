"""flashLoanLend / flashLoanSettle: only the cached FLASH_LOAN_MODULE; lent funds are locked, rates unmoved."""

import ape

from tests.unit.pool.pool_env import FLASH, WITHDRAW, module_id, reverts_named


def _seed(pool_env, supplier, borrower):
    pool_env.deposit(supplier, pool_env.usdc, 1_000_000 * 10**6)
    pool_env.open_position(borrower, pool_env.weth, 1_000 * 10**18, pool_env.usdc, 500_000 * 10**6)
    pool_env.usdc.mint(pool_env.flash, 10_000 * 10**6, sender=supplier)  # the stand-in pays the fees


def test_flash_loan__repaid_with_fee__credits_fee_to_reserves(pool_env, pool, usdc, supplier, borrower):
    _seed(pool_env, supplier, borrower)
    pool_env.next_block()
    pool_env.chain.mine()
    t = pool_env.next_block()
    snapshot = pool_env.chain.snapshot()
    pool_env.chain.mine()
    reference = pool.getReserveData(usdc)  # the reserve at t without the loan
    pool_env.chain.restore(snapshot)
    pool_env.chain.pending_timestamp = t

    receipt = pool_env.flash_loan(usdc, 400_000 * 10**6, 360 * 10**6, sender=supplier)

    after = pool.getReserveData(usdc)
    assert after.cash == reference.cash + 360 * 10**6
    assert after.protocolReserves == reference.protocolReserves + 360 * 10**6
    assert after.totalSupplied == reference.totalSupplied  # suppliers: unchanged by the fee
    assert after.availableLiquidity == after.cash  # nothing left outstanding after the transaction
    assert receipt.events.filter(pool.FlashLoanLent)[0].amount == 400_000 * 10**6
    assert receipt.events.filter(pool.FlashLoanSettled) == [pool.FlashLoanSettled(usdc, 400_000 * 10**6, 360 * 10**6)]


def test_flash_loan__rates_keep_counting_lent_funds(pool_env, pool, usdc, supplier, borrower):
    _seed(pool_env, supplier, borrower)
    # With a zero fee the books do not change at all: the rate is the one of the state without the loan, read
    # at the loan's own block time (the stored rate is the one of the last accrual; the loan accrues again).
    before = pool_env.read_at_next_block(lambda: pool.getReserveData(usdc))
    rate_before = pool_env.rate_model.getBorrowRate(before.cash, before.totalBorrowed)
    pool_env.flash_loan(usdc, 500_000 * 10**6, 0, sender=supplier)
    data = pool.getReserveData(usdc)
    assert data.borrowRate == pool_env.rate_model.getBorrowRate(data.cash, data.totalBorrowed)
    assert abs(data.borrowRate - rate_before) <= 1


def test_flash_loan__lent_amount__cannot_be_withdrawn_meanwhile(pool_env, pool, usdc, supplier, borrower):
    _seed(pool_env, supplier, borrower)
    # The stand-in is itself a supplier of 100 USDC; with the whole liquidity out, it cannot withdraw.
    pool_env.flash.execute(usdc, usdc.approve.encode_input(pool, 2**256 - 1), sender=supplier)
    pool_env.flash.execute(pool, pool.supply.encode_input(usdc, 100 * 10**6, pool_env.flash), sender=supplier)
    available = pool.availableLiquidity(usdc)
    during = [(pool, pool.withdraw.encode_input(usdc, 1, pool_env.flash))]
    with reverts_named(pool, "LendingPoolInsufficientLiquidity", asset=usdc.address, requested=1, available=0):
        pool_env.flash_loan(usdc, available, 0, sender=supplier, during=during)


def test_flash_loan__lent_amount__cannot_be_borrowed_meanwhile(pool_env, pool, usdc, weth, supplier, borrower):
    _seed(pool_env, supplier, borrower)
    available = pool.availableLiquidity(usdc)
    during = [(pool, pool.borrow.encode_input(usdc, 1, borrower))]  # (the stand-in has no allowance either)
    with reverts_named(pool, "LendingPoolInsufficientBorrowAllowance"):
        pool_env.flash_loan(usdc, available, 0, sender=supplier, during=during)
    # Two loans of the same reserve in one transaction cannot exceed what is available.
    during = [(pool, pool.flashLoanLend.encode_input(usdc, pool_env.flash, 1))]
    with reverts_named(pool, "LendingPoolFlashLoanTooLarge", asset=usdc.address, requested=1, available=0):
        pool_env.flash_loan(usdc, available, 0, sender=supplier, during=during)


def test_flash_loan__not_repaid__reverts(pool_env, pool, usdc, supplier, borrower):
    _seed(pool_env, supplier, borrower)
    with reverts_named(pool, "LendingPoolFlashLoanNotRepaid", asset=usdc.address, expected=1_000 * 10**6 + 9 * 10**5,
                       received=1_000 * 10**6):
        pool_env.flash_loan(usdc, 1_000 * 10**6, 9 * 10**5, sender=supplier, repay=1_000 * 10**6)


def test_flash_loan__more_than_available__reverts(pool_env, pool, usdc, supplier, borrower):
    _seed(pool_env, supplier, borrower)
    available = pool.availableLiquidity(usdc)
    with reverts_named(pool, "LendingPoolFlashLoanTooLarge", asset=usdc.address, requested=available + 1,
                       available=available):
        pool_env.flash_loan(usdc, available + 1, 0, sender=supplier)


def test_flash_loan__paused__reverts_and_view_says_so(pool_env, pool, usdc, guardian, supplier, borrower):
    _seed(pool_env, supplier, borrower)
    assert pool.isFlashLoanAllowed(usdc)
    pool.pauseAction(usdc, FLASH, sender=guardian)
    assert not pool.isFlashLoanAllowed(usdc)
    with reverts_named(pool, "LendingPoolActionPaused", asset=usdc.address, action=FLASH):
        pool_env.flash_loan(usdc, 10**6, 0, sender=supplier)
    pool.unpauseAction(usdc, FLASH, sender=pool_env.governance)
    pool.pauseModule(sender=guardian)
    assert not pool.isFlashLoanAllowed(usdc)


def test_flash_loan__settle_without_loan__reverts(pool_env, pool, usdc, supplier, borrower):
    _seed(pool_env, supplier, borrower)
    data = pool.flashLoanSettle.encode_input(usdc, 1, 0)
    with reverts_named(pool, "LendingPoolFlashLoanNotOutstanding", asset=usdc.address, amount=1, outstanding=0):
        pool_env.flash.execute(pool, data, sender=supplier)


def test_flash_hooks__not_the_module__revert(pool, usdc, attacker):
    with ape.reverts(pool.StrataUnauthorizedModule, caller=attacker.address,
                     expectedModule=module_id("FLASH_LOAN_MODULE")):
        pool.flashLoanLend(usdc, attacker, 1, sender=attacker)
    with ape.reverts(pool.StrataUnauthorizedModule, caller=attacker.address,
                     expectedModule=module_id("FLASH_LOAN_MODULE")):
        pool.flashLoanSettle(usdc, 0, 0, sender=attacker)


def test_flash_hooks__liquidation_engine__is_not_the_flash_module(pool_env, pool, usdc, attacker):
    with reverts_named(pool, "StrataUnauthorizedModule"):
        pool_env.engine.execute(pool, pool.flashLoanLend.encode_input(usdc, attacker, 1), sender=attacker)


def test_flash_hooks__module_replaced_in_registry__old_one_refused_after_sync(project, pool_env, pool, usdc,
                                                                            governance, supplier, borrower):
    _seed(pool_env, supplier, borrower)
    replacement = governance.deploy(project.PoolHookCallerMock)
    pool_env.registry.setModule(module_id("FLASH_LOAN_MODULE"), replacement, sender=governance)
    receipt = pool.syncModules(sender=supplier)  # permissionless
    event = receipt.events.filter(pool.ModulesSynced)[0]
    assert (event.previousFlashLoanModule, event.flashLoanModule) == (pool_env.flash.address, replacement.address)
    with reverts_named(pool, "StrataUnauthorizedModule"):
        pool_env.flash_loan(usdc, 10**6, 0, sender=supplier)


def test_flash_loan__withdraw_paused__does_not_block_flash(pool_env, pool, usdc, guardian, supplier, borrower):
    _seed(pool_env, supplier, borrower)
    pool.pauseAction(usdc, WITHDRAW, sender=guardian)
    pool_env.flash_loan(usdc, 10**6, 10, sender=supplier)
