"""Interest accrual over random schedules, compared with the Python model of ILendingPool's formulas: exact (0 wei).

Each hypothesis example runs a random sequence of supply / withdraw / borrow / repay / protocol-reserve withdrawals
/ idle time on the USDC reserve, each mined 1 s to 60 days after the previous block, and after every step compares
the reserve (indices, shares, cash, rate, reserves, totals) and every actor's supply and debt with the model.
An operation the model says must revert has to revert on chain with the same error, and changes nothing.
"""

from __future__ import annotations

import copy

import ape
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.unit.pool.model import MAX_UINT, ModelRevert, ReserveModel
from tests.unit.pool.pool_env import CURVE

ACTORS = ("supplier", "borrower", "liquidator", "outsider")
FRACTION = st.integers(min_value=1, max_value=1_000)  # per mille

STEP = st.one_of(
    st.tuples(st.just("supply"), st.sampled_from(ACTORS), st.integers(min_value=1, max_value=2 * 10**12)),
    st.tuples(st.just("withdraw"), st.sampled_from(ACTORS), st.one_of(st.just(0), FRACTION)),
    st.tuples(st.just("borrow"), st.sampled_from(ACTORS), FRACTION),
    st.tuples(st.just("repay"), st.sampled_from(ACTORS), st.one_of(st.just(0), FRACTION)),
    st.tuples(st.just("reserves"), st.just("governance"), st.just(0)),
    st.tuples(st.just("idle"), st.just("none"), st.just(0)),
)
SCHEDULE = st.lists(st.tuples(STEP, st.integers(min_value=1, max_value=60 * 86_400)), min_size=1, max_size=14)

RESERVE_FIELDS = (
    ("liquidityIndex", "liquidity_index"),
    ("borrowIndex", "borrow_index"),
    ("totalSupplyShares", "total_supply_shares"),
    ("totalDebtShares", "total_debt_shares"),
    ("cash", "cash"),
    ("borrowRate", "rate"),
    ("protocolReserves", "protocol_reserves"),
    ("totalSupplied", "total_supplied"),
    ("totalBorrowed", "total_debt"),
)


@pytest.fixture(scope="module")
def actors(pool_env, supplier, borrower, liquidator, outsider, governance, treasury):
    """Every actor holds plenty of USDC (approved) and 10,000 WETH of collateral, so no borrow lacks collateral."""
    accounts = {"supplier": supplier, "borrower": borrower, "liquidator": liquidator, "outsider": outsider}
    for account in accounts.values():
        pool_env.fund(account, pool_env.usdc, 10**16)
        pool_env.deposit(account, pool_env.weth, 10_000 * 10**18)
    accounts["governance"] = governance
    accounts["treasury"] = treasury
    return accounts


def _compare(pool, usdc, model: ReserveModel, actors: dict, where: str) -> None:
    data = pool.getReserveData(usdc)
    for chain_name, model_name in RESERVE_FIELDS:
        assert getattr(data, chain_name) == getattr(model, model_name), f"{where}: {chain_name}"
    for name in ACTORS:
        supplied, borrowed, _ = pool.getUserReserve(usdc, actors[name])
        assert (supplied, borrowed) == (model.supplied_of(name), model.debt_of(name)), f"{where}: {name}"


def _send(pool, usdc, actors, kind, name, amount):
    account = actors[name]
    if kind == "supply":
        return pool.supply(usdc, amount, account, sender=account)
    if kind == "withdraw":
        return pool.withdraw(usdc, amount, account, sender=account)
    if kind == "borrow":
        return pool.borrow(usdc, amount, account, sender=account)
    if kind == "repay":
        return pool.repay(usdc, amount, account, sender=account)
    return pool.withdrawProtocolReserves(usdc, actors["treasury"], amount, sender=actors["governance"])


def _amount(model: ReserveModel, kind: str, name: str, arg: int) -> int:
    if kind == "supply":
        return arg
    if kind in ("withdraw", "repay"):
        if arg == 0:
            return MAX_UINT
        owned = model.supplied_of(name) if kind == "withdraw" else model.debt_of(name)
        return max(1, owned * arg // 1_000)
    if kind == "borrow":
        return max(1, model.cash * arg // 1_000)
    return MAX_UINT  # reserves: take all


def _apply(model: ReserveModel, kind: str, name: str, amount: int, now: int) -> None:
    if kind == "supply":
        model.supply(name, amount, now)
    elif kind == "withdraw":
        model.withdraw(name, amount, now)
    elif kind == "borrow":
        model.borrow(name, amount, now)
    elif kind == "repay":
        model.repay(name, amount, now)
    else:
        model.withdraw_reserves(amount, now)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(schedule=SCHEDULE)
def test_interest__random_schedule__matches_python_model_exactly(pool_env, pool, usdc, actors, chain, schedule):
    snapshot = chain.snapshot()
    try:
        data = pool.getReserveData(usdc)
        model = ReserveModel(CURVE, reserve_factor=1_000, last_update=data.lastUpdate)
        _compare(pool, usdc, model, actors, "start")
        for i, ((kind, name, arg), dt) in enumerate(schedule):
            now = chain.blocks.head.timestamp + dt
            chain.pending_timestamp = now
            if kind == "idle":
                chain.mine()
                view = copy.deepcopy(model)
                view.accrue(now)
                _compare(pool, usdc, view, actors, f"step {i} idle")
                continue
            amount = _amount(model, kind, name, arg)
            trial = copy.deepcopy(model)
            try:
                _apply(trial, kind, name, amount, now)
            except ModelRevert as expected:
                with ape.reverts(getattr(pool, str(expected))):
                    _send(pool, usdc, actors, kind, name, amount)
                continue
            _send(pool, usdc, actors, kind, name, amount)
            assert chain.blocks.head.timestamp == now
            model = trial
            _compare(pool, usdc, model, actors, f"step {i} {kind} {name} {amount}")
    finally:
        chain.restore(snapshot)


def test_interest__a_year_at_fixed_utilisation__matches_closed_form(pool_env, pool, usdc, weth, supplier, borrower):
    """Touching the reserve every 12 s (here: once a day) compounds; one touch after a year is simple interest."""
    pool_env.deposit(supplier, usdc, 1_000_000 * 10**6)
    pool_env.open_position(borrower, weth, 1_000 * 10**18, usdc, 800_000 * 10**6)
    start = pool.getReserveData(usdc)
    pool_env.mine(365 * 86_400)
    end = pool.getReserveData(usdc)
    expected = -(-start.borrowIndex * (10**18 + start.borrowRate * 365 * 86_400) // 10**18)
    assert end.borrowIndex == expected
    # At 80% utilisation the kinked curve gives base + slope1 = 6% a year.
    assert 0.0599 < end.borrowIndex / start.borrowIndex - 1 < 0.0601
