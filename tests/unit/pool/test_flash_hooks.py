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
    # Settled without accrual: indices, rate and the accrual clock are the ones of the reserve without the loan.
    assert (after.liquidityIndex, after.borrowIndex) == (reference.liquidityIndex, reference.borrowIndex)
    assert (after.borrowRate, after.lastUpdate) == (reference.borrowRate, reference.lastUpdate)
    # The pool logs nothing of its own (the flash-loan module's FlashLoanExecuted describes the loan).
    assert [log for log in receipt.logs if log["address"] == pool.address] == []


def test_flash_loan__next_operation__accrues_as_if_no_loan_and_keeps_the_fee(pool_env, pool, usdc, supplier,
                                                                             borrower):
    _seed(pool_env, supplier, borrower)
    pool_env.fund(supplier, usdc, 1_000 * 10**6)
    fee = 360 * 10**6
    start = pool_env.chain.snapshot()
    t_loan = pool_env.chain.blocks.head.timestamp + 12
    t_next = t_loan + 3_600

    # One transaction per pinned timestamp, so both histories accrue over exactly the same seconds.
    pool_env.chain.pending_timestamp = t_next
    pool.supply(usdc, 1_000 * 10**6, supplier, sender=supplier)
    without = pool.getReserveData(usdc)
    pool_env.chain.restore(start)

    pool_env.chain.pending_timestamp = t_loan
    pool_env.flash_loan(usdc, 400_000 * 10**6, fee, sender=supplier)
    pool_env.chain.pending_timestamp = t_next
    pool.supply(usdc, 1_000 * 10**6, supplier, sender=supplier)
    with_loan = pool.getReserveData(usdc)

    # The loan distorted no index: the interest of the whole period accrued at the same stored rate.
    assert (with_loan.liquidityIndex, with_loan.borrowIndex) == (without.liquidityIndex, without.borrowIndex)
    assert (with_loan.totalSupplied, with_loan.totalBorrowed) == (without.totalSupplied, without.totalBorrowed)
    # The fee is protocol reserves, and the next operation refreshed the rate from the books that include it.
    assert with_loan.cash == without.cash + fee
    assert with_loan.protocolReserves == without.protocolReserves + fee
    assert with_loan.borrowRate == pool_env.rate_model.getBorrowRate(with_loan.cash, with_loan.totalBorrowed)
    assert with_loan.lastUpdate == without.lastUpdate == t_next


def test_flash_loan__rates_keep_counting_lent_funds(pool_env, pool, usdc, supplier, borrower):
    _seed(pool_env, supplier, borrower)
    before = pool.getReserveData(usdc)
    # With a zero fee the books do not change at all: the stored rate and the accrual clock are left as they were.
    receipt = pool_env.flash_loan(usdc, 500_000 * 10**6, 0, sender=supplier)
    data = pool.getReserveData(usdc)
    assert (data.borrowRate, data.lastUpdate, data.cash) == (before.borrowRate, before.lastUpdate, before.cash)
    assert data.availableLiquidity == data.cash  # and the lent amount is back
    assert [log for log in receipt.logs if log["address"] == pool.address] == []


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
    cash = pool.getReserveData(usdc).cash
    pool_env.flash_loan(usdc, 10**6, 10, sender=supplier)
    assert pool.getReserveData(usdc).cash == cash + 10  # lent, repaid, fee kept
    assert pool.isActionPaused(usdc, WITHDRAW)
