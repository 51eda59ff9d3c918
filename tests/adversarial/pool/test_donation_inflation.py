"""First-depositor / donation ("inflation") attacks on an empty reserve gain the attacker nothing.

Defence: the pool keeps its own books (cash) and never reads balanceOf, so a donation moves no index and no
share price; the only thing that moves the liquidity index is interest, bounded by the rate; and every
conversion rounds in the pool's favour. No virtual shares or minimum deposit are needed (and none are used).
"""

from __future__ import annotations

from tests.unit.pool.model import MAX_UINT, RAY

CONFIG = (8_000, 8_500, 500, 1_000, 0, 0, True)


def _fresh_reserve(project, pool_env, governance, decimals=18):
    token = governance.deploy(project.MockERC20, "Fresh", "NEW", decimals)
    pool_env.list_token(token, CONFIG, 1)
    return token


def test_donation__before_first_victim__changes_nothing_and_is_lost(project, pool_env, pool, governance, attacker,
                                                                    supplier):
    token = _fresh_reserve(project, pool_env, governance)
    pool_env.deposit(attacker, token, 1)
    donation = 10**24
    token.mint(attacker, donation, sender=attacker)
    before = pool.getReserveData(token)

    token.transfer(pool, donation, sender=attacker)

    assert pool.getReserveData(token) == before  # books, index, rate: untouched
    victim_deposit = 10**18
    pool_env.deposit(supplier, token, victim_deposit)
    assert pool.getUserReserve(token, supplier)[0] == victim_deposit  # victim gets full value: 1 share per wei
    pool.withdraw(token, MAX_UINT, attacker, sender=attacker)
    pool.withdraw(token, MAX_UINT, supplier, sender=supplier)
    assert token.balanceOf(supplier) == victim_deposit
    assert token.balanceOf(attacker) == 1  # the donation stays stranded in the pool
    assert token.balanceOf(pool) == donation


def test_donation__cannot_settle_or_inflate_via_interest_on_dust(project, pool_env, pool, governance, attacker,
                                                                 supplier, weth):
    token = _fresh_reserve(project, pool_env, governance)
    # The attacker owns the whole (dust) reserve and borrows all of it to push the index with interest.
    pool_env.deposit(attacker, token, 2)
    pool_env.deposit(attacker, weth, 10**18)
    pool.borrow(token, 2, attacker, sender=attacker)
    pool_env.mine(365 * 86_400)
    pool_env.fund(attacker, token, 10)
    pool.repay(token, MAX_UINT, attacker, sender=attacker)
    index = pool.getReserveData(token).liquidityIndex
    assert index < 3 * RAY  # interest on 2 wei cannot blow the index up

    victim_deposit = 10**18 + 7
    pool_env.deposit(supplier, token, victim_deposit)
    owed = pool.getUserReserve(token, supplier)[0]
    assert victim_deposit - owed <= index // RAY + 1  # the victim loses at most one share's worth (a few wei)
    pool.withdraw(token, MAX_UINT, attacker, sender=attacker)
    assert token.balanceOf(attacker) <= 10 + 2  # what it funded itself: no gain from the victim
    pool.withdraw(token, MAX_UINT, supplier, sender=supplier)
    assert token.balanceOf(supplier) == owed


def test_donation__to_a_live_reserve__does_not_move_rates_or_shares(pool_env, pool, usdc, weth, attacker, supplier,
                                                                   borrower):
    pool_env.deposit(supplier, usdc, 1_000_000 * 10**6)
    pool_env.open_position(borrower, weth, 1_000 * 10**18, usdc, 500_000 * 10**6)
    before = pool.getReserveData(usdc)
    usdc.mint(attacker, 10**15, sender=attacker)
    usdc.transfer(pool, 10**15, sender=attacker)
    after = pool.getReserveData(usdc)
    # (The indices in the view keep accruing with time; what a donation could move is the books.)
    fields = ("cash", "totalSupplyShares", "totalDebtShares", "borrowRate", "lastUpdate", "availableLiquidity")
    assert [getattr(after, f) for f in fields] == [getattr(before, f) for f in fields]


def test_zero_share_deposit__is_refused_not_swallowed(pool_env, pool, usdc, weth, attacker, supplier, borrower):
    """A deposit below one share's price would be a silent donation; the pool refuses it instead."""
    pool_env.deposit(supplier, usdc, 1_000 * 10**6)
    pool_env.open_position(borrower, weth, 10 * 10**18, usdc, 900 * 10**6)
    pool_env.mine(5 * 365 * 86_400)
    pool.withdraw(usdc, 1, supplier, sender=supplier)
    pool_env.fund(attacker, usdc, 1)
    try:
        pool.supply(usdc, 1, attacker, sender=attacker)
        raise AssertionError("expected LendingPoolZeroShares")
    except Exception as err:
        assert "ZeroShares" in type(err).__name__
    assert usdc.balanceOf(attacker) == 1
