"""Rounding always favours the pool: over random amounts and decimals (6 / 8 / 18), a user never takes out more
than it put in, and a borrower never repays less than it took.

The reserves first get non-trivial indices (a year of interest, then the debt is repaid, which freezes them) so
every conversion really rounds.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.unit.pool.model import MAX_UINT, RAY

AMOUNTS = st.lists(st.integers(min_value=1, max_value=10**22), min_size=1, max_size=6)
FRACTIONS = st.lists(st.integers(min_value=1, max_value=999), min_size=0, max_size=6)
SETTINGS = settings(max_examples=20, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.fixture(scope="module")
def odd_indices(pool_env, supplier, borrower):
    """Every reserve gets a liquidity and a borrow index well away from RAY, then no debt is left."""
    for token in pool_env.tokens.values():
        pool_env.deposit(supplier, token, pool_env.units(token, 1_000_000))
    pool_env.deposit(borrower, pool_env.weth, 10**9 * 10**18)
    for token in pool_env.tokens.values():
        pool_env.pool.borrow(token, pool_env.units(token, 700_000), borrower, sender=borrower)
    pool_env.mine(2 * 365 * 86_400 + 12_345)
    for token in pool_env.tokens.values():
        pool_env.fund(borrower, token, pool_env.units(token, 1_000_000))
        pool_env.pool.repay(token, MAX_UINT, borrower, sender=borrower)
    for token in pool_env.tokens.values():
        data = pool_env.pool.getReserveData(token)
        assert data.liquidityIndex % RAY != 0 and data.borrowIndex % RAY != 0 and data.totalDebtShares == 0
    return True


@pytest.mark.parametrize("symbol", ["USDC", "WBTC", "WETH"])
@SETTINGS
@given(deposits=AMOUNTS, withdrawals=FRACTIONS)
def test_rounding__supply_and_withdraw_in_pieces__never_returns_more(pool_env, pool, attacker, chain, odd_indices,
                                                                    symbol, deposits, withdrawals):
    token = pool_env.tokens[symbol]
    snapshot = chain.snapshot()
    try:
        deposits = [min(d, 10**12 * 10 ** token.decimals()) for d in deposits]
        pool_env.fund(attacker, token, sum(deposits))
        start = token.balanceOf(attacker)
        put_in = 0
        for i, amount in enumerate(deposits):
            try:
                pool.supply(token, amount, attacker, sender=attacker)
                put_in += amount
            except Exception as err:  # a deposit worth less than one share is refused, never swallowed
                assert "LendingPoolZeroShares" in repr(err) or "ZeroShares" in type(err).__name__
            if i < len(withdrawals):
                owned = pool.getUserReserve(token, attacker)[0]
                part = owned * withdrawals[i] // 1_000
                if part:
                    pool.withdraw(token, part, attacker, sender=attacker)
        if pool.getUserReserve(token, attacker)[0]:
            pool.withdraw(token, MAX_UINT, attacker, sender=attacker)
        taken_out = token.balanceOf(attacker) - (start - put_in)
        assert taken_out <= put_in
        data = pool.getReserveData(token)
        assert data.cash + data.totalBorrowed >= data.totalSupplied  # still solvent
    finally:
        chain.restore(snapshot)


@pytest.mark.parametrize("symbol", ["USDC", "WBTC", "WETH"])
@SETTINGS
@given(borrows=st.lists(st.integers(min_value=1, max_value=10**20), min_size=1, max_size=5), repays=FRACTIONS)
def test_rounding__borrow_and_repay_in_pieces__never_repays_less(pool_env, pool, attacker, chain, odd_indices, symbol,
                                                                 borrows, repays):
    token = pool_env.tokens[symbol]
    snapshot = chain.snapshot()
    try:
        pool_env.deposit(attacker, pool_env.wbtc if symbol != "WBTC" else pool_env.usdc, 10**15)
        pool_env.fund(attacker, token, 0)
        received = 0
        for i, amount in enumerate(borrows):
            amount = min(amount, pool_env.units(token, 100))
            pool.borrow(token, amount, attacker, sender=attacker)
            received += amount
            if i < len(repays):
                debt = pool.getUserReserve(token, attacker)[1]
                part = debt * repays[i] // 1_000
                if part and part < debt:
                    try:
                        pool.repay(token, part, attacker, sender=attacker)
                    except Exception as err:  # a repayment worth less than one share is refused
                        assert "ZeroShares" in type(err).__name__ or "LendingPoolZeroShares" in repr(err)
        pool_env.fund(attacker, token, pool_env.units(token, 10_000))
        balance = token.balanceOf(attacker)
        pool.repay(token, MAX_UINT, attacker, sender=attacker)
        paid_total = received + pool_env.units(token, 10_000) - token.balanceOf(attacker)
        assert paid_total >= received
        assert pool.getUserReserve(token, attacker)[1] == 0
        assert balance >= token.balanceOf(attacker)
    finally:
        chain.restore(snapshot)


def test_rounding__withdraw_one_wei_repeatedly__burns_at_least_one_share_each_time(pool_env, pool, weth, attacker,
                                                                                  odd_indices):
    pool_env.deposit(attacker, weth, 10**6)
    shares_before = pool.getReserveData(weth).totalSupplyShares
    for _ in range(5):
        pool.withdraw(weth, 1, attacker, sender=attacker)
    assert shares_before - pool.getReserveData(weth).totalSupplyShares >= 5
    assert weth.balanceOf(attacker) == 5
