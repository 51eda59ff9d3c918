"""repay: partial repayments burn shares rounded down, max repays exactly the debt, repay is never paused."""

import ape

from tests.unit.pool.model import MAX_UINT, to_assets_up, to_shares_down
from tests.unit.pool.pool_env import BORROW, LIQUIDATE, SUPPLY, WITHDRAW


def _borrowed(pool_env, supplier, borrower, amount=10_000 * 10**6):
    pool_env.deposit(supplier, pool_env.usdc, 1_000_000 * 10**6)
    pool_env.open_position(borrower, pool_env.weth, 100 * 10**18, pool_env.usdc, amount)
    pool_env.fund(borrower, pool_env.usdc, 1_000_000 * 10**6)


def test_repay__partial__burns_shares_rounded_down(pool_env, pool, usdc, supplier, borrower):
    _borrowed(pool_env, supplier, borrower)
    pool_env.mine(90 * 86_400)
    pool_env.next_block()

    receipt = pool.repay(usdc, 3_333_333_333, borrower, sender=borrower)

    data = pool.getReserveData(usdc)
    event = receipt.events.filter(pool.Repaid)[0]
    assert event.shares == to_shares_down(3_333_333_333, data.borrowIndex)
    assert event.amount == 3_333_333_333


def test_repay__max__repays_exactly_the_debt_and_clears_the_flag(pool_env, pool, usdc, supplier, borrower):
    _borrowed(pool_env, supplier, borrower)
    pool_env.mine(90 * 86_400)
    pool_env.next_block()
    balance = usdc.balanceOf(borrower)

    receipt = pool.repay(usdc, MAX_UINT, borrower, sender=borrower)

    data = pool.getReserveData(usdc)
    event = receipt.events.filter(pool.Repaid)[0]
    assert event.amount == balance - usdc.balanceOf(borrower) > 10_000 * 10**6
    assert event.amount == to_assets_up(event.shares, data.borrowIndex)
    assert pool.getUserReserve(usdc, borrower)[1] == 0
    assert pool.getUserConfig(borrower) & 0b10 == 0
    assert data.totalDebtShares == 0


def test_repay__more_than_debt__takes_only_the_debt(pool_env, pool, chain, usdc, supplier, borrower):
    _borrowed(pool_env, supplier, borrower, 1_000)
    balance = usdc.balanceOf(borrower)
    # The repayment is mined at the latest block's timestamp, so it owes exactly the debt read now (the lent 1,000
    # plus at most a rounded-up wei if a second passed between the borrow and the funding block).
    debt = pool.getUserReserve(usdc, borrower)[1]
    assert 1_000 <= debt <= 1_001
    chain.pending_timestamp = chain.blocks.head.timestamp
    pool.repay(usdc, 10**12, borrower, sender=borrower)
    assert balance - usdc.balanceOf(borrower) == debt
    assert pool.getUserReserve(usdc, borrower)[1] == 0


def test_repay__on_behalf_of_someone__reduces_their_debt(pool_env, pool, usdc, supplier, borrower, outsider):
    _borrowed(pool_env, supplier, borrower)
    pool_env.fund(outsider, usdc, 20_000 * 10**6)
    receipt = pool.repay(usdc, MAX_UINT, borrower, sender=outsider)
    assert pool.getUserReserve(usdc, borrower)[1] == 0
    assert receipt.events.filter(pool.Repaid)[0].caller == outsider


def test_repay__no_debt__reverts(pool_env, pool, usdc, outsider):
    with ape.reverts(pool.LendingPoolNoDebt, asset=usdc.address, user=outsider.address):
        pool.repay(usdc, 1, outsider, sender=outsider)


def test_repay__dust_below_one_share__reverts_zero_shares(pool_env, pool, usdc, supplier, borrower):
    _borrowed(pool_env, supplier, borrower)
    pool_env.mine(5 * 365 * 86_400)
    pool.repay(usdc, 10**6, borrower, sender=borrower)  # accrue: borrow index ≫ RAY
    with ape.reverts(pool.LendingPoolZeroShares, asset=usdc.address, amount=1):
        pool.repay(usdc, 1, borrower, sender=borrower)


def test_repay__every_per_reserve_pause__does_not_stop_repay(pool_env, pool, usdc, guardian, supplier, borrower):
    _borrowed(pool_env, supplier, borrower)
    for action in (SUPPLY, WITHDRAW, BORROW, LIQUIDATE):
        pool.pauseAction(usdc, action, sender=guardian)
    pool.repay(usdc, MAX_UINT, borrower, sender=borrower)
    assert pool.getUserReserve(usdc, borrower)[1] == 0


def test_repay__module_paused__reverts(pool_env, pool, usdc, guardian, supplier, borrower):
    _borrowed(pool_env, supplier, borrower)
    pool.pauseModule(sender=guardian)
    with ape.reverts(pool.StrataModulePaused):
        pool.repay(usdc, 1, borrower, sender=borrower)


def test_repay__fee_switched_on_after_borrow__reverts(project, pool_env, pool, governance, weth, supplier, borrower):
    token = governance.deploy(project.FeeSwitchERC20Mock)
    pool_env.list_token(token, (7_500, 8_000, 500, 1_000, 0, 0, True), 1)
    pool_env.deposit(supplier, token, 10**24)
    pool_env.open_position(borrower, weth, 100 * 10**18, token, 10**21)
    token.approve(pool, 2**256 - 1, sender=borrower)
    token.setFeeBps(10, sender=governance)
    with ape.reverts(pool.LendingPoolFeeOnTransferNotSupported, asset=token.address, expected=10**20,
                     received=10**20 - 10**17):
        pool.repay(token, 10**20, borrower, sender=borrower)


def test_repay__zero_amount__reverts(pool, usdc, borrower):
    with ape.reverts(pool.LendingPoolZeroAmount):
        pool.repay(usdc, 0, borrower, sender=borrower)
