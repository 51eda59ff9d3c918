"""A Python model of one LendingPool reserve: the exact formulas of ``ILendingPool``'s NatSpec.

Every quantity is an integer and every rounding is the pool's, so the model and the chain agree to the wei
(the tests assert equality, not a tolerance).
"""

from __future__ import annotations

from dataclasses import dataclass, field

WAD = 10**18
RAY = 10**27
BPS = 10_000
SECONDS_PER_YEAR = 365 * 24 * 3600
MAX_BORROW_RATE = 10 * WAD // SECONDS_PER_YEAR  # LendingPool.MAX_BORROW_RATE: 1000% a year
MAX_UINT = 2**256 - 1


def ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def to_shares_down(assets: int, index: int) -> int:
    return assets * RAY // index


def to_shares_up(assets: int, index: int) -> int:
    return ceil_div(assets * RAY, index)


def to_assets_down(shares: int, index: int) -> int:
    return shares * index // RAY


def to_assets_up(shares: int, index: int) -> int:
    return ceil_div(shares * index, RAY)


@dataclass(frozen=True)
class KinkedCurve:
    """KinkedRateModel's per-second rate (its own formula, rounded up like the contract)."""

    base: int
    slope1: int
    optimal: int
    slope2: int

    def rate(self, cash: int, debt: int) -> int:
        u = 0 if debt == 0 else min(debt * WAD // (cash + debt), WAD)
        if u <= self.optimal:
            per_year = self.base + ceil_div(self.slope1 * u, self.optimal)
        else:
            per_year = self.base + self.slope1 + ceil_div(self.slope2 * (u - self.optimal), WAD - self.optimal)
        return ceil_div(per_year, SECONDS_PER_YEAR)


class ModelRevert(Exception):
    """The operation would revert on chain (the model leaves its state untouched)."""


@dataclass
class ReserveModel:
    curve: KinkedCurve
    reserve_factor: int
    last_update: int
    liquidity_index: int = RAY
    borrow_index: int = RAY
    total_supply_shares: int = 0
    total_debt_shares: int = 0
    cash: int = 0
    rate: int = 0
    supply_shares: dict[str, int] = field(default_factory=dict)
    debt_shares: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.update_rate()

    # -- formulas -------------------------------------------------------------------------------------------

    def accrue(self, now: int) -> None:
        dt = now - self.last_update
        if dt > 0 and self.total_debt_shares > 0 and self.rate > 0:
            new_borrow_index = ceil_div(self.borrow_index * (WAD + self.rate * dt), WAD)
            interest = to_assets_up(self.total_debt_shares, new_borrow_index) - to_assets_up(
                self.total_debt_shares, self.borrow_index
            )
            self.borrow_index = new_borrow_index
            if self.total_supply_shares > 0:
                supplier_interest = interest - interest * self.reserve_factor // BPS
                self.liquidity_index += supplier_interest * RAY // self.total_supply_shares
        self.last_update = now

    def update_rate(self) -> None:
        self.rate = min(self.curve.rate(self.cash, self.total_debt), MAX_BORROW_RATE)

    @property
    def total_debt(self) -> int:
        return to_assets_up(self.total_debt_shares, self.borrow_index)

    @property
    def total_supplied(self) -> int:
        return to_assets_down(self.total_supply_shares, self.liquidity_index)

    @property
    def protocol_reserves(self) -> int:
        return max(self.cash + self.total_debt - self.total_supplied, 0)

    def supplied_of(self, user: str) -> int:
        return to_assets_down(self.supply_shares.get(user, 0), self.liquidity_index)

    def debt_of(self, user: str) -> int:
        return to_assets_up(self.debt_shares.get(user, 0), self.borrow_index)

    # -- operations (each at time `now`; they raise ModelRevert where the pool reverts) ------------------------

    def supply(self, user: str, amount: int, now: int) -> int:
        self.accrue(now)
        shares = to_shares_down(amount, self.liquidity_index)
        if shares == 0:
            raise ModelRevert("LendingPoolZeroShares")
        self.total_supply_shares += shares
        self.cash += amount
        self.supply_shares[user] = self.supply_shares.get(user, 0) + shares
        self.update_rate()
        return shares

    def withdraw(self, user: str, amount: int, now: int) -> tuple[int, int]:
        self.accrue(now)
        user_shares = self.supply_shares.get(user, 0)
        if amount == MAX_UINT:
            shares = user_shares
            amount = to_assets_down(shares, self.liquidity_index)
            if amount == 0:
                raise ModelRevert("LendingPoolInsufficientSupply")
        else:
            shares = to_shares_up(amount, self.liquidity_index)
            if shares > user_shares:
                raise ModelRevert("LendingPoolInsufficientSupply")
        if amount > self.cash:
            raise ModelRevert("LendingPoolInsufficientLiquidity")
        self.total_supply_shares -= shares
        self.cash -= amount
        self.supply_shares[user] = user_shares - shares
        self.update_rate()
        return amount, shares

    def borrow(self, user: str, amount: int, now: int) -> int:
        self.accrue(now)
        shares = to_shares_up(amount, self.borrow_index)
        if amount > self.cash:
            raise ModelRevert("LendingPoolInsufficientLiquidity")
        self.total_debt_shares += shares
        self.cash -= amount
        self.debt_shares[user] = self.debt_shares.get(user, 0) + shares
        self.update_rate()
        return shares

    def repay(self, user: str, amount: int, now: int) -> tuple[int, int]:
        self.accrue(now)
        debt_shares = self.debt_shares.get(user, 0)
        if debt_shares == 0:
            raise ModelRevert("LendingPoolNoDebt")
        debt = to_assets_up(debt_shares, self.borrow_index)
        if amount >= debt:
            amount, shares = debt, debt_shares
        else:
            shares = to_shares_down(amount, self.borrow_index)
            if shares == 0:
                raise ModelRevert("LendingPoolZeroShares")
        self.total_debt_shares -= shares
        self.cash += amount
        self.debt_shares[user] = debt_shares - shares
        self.update_rate()
        return amount, shares

    def withdraw_reserves(self, amount: int, now: int) -> int:
        self.accrue(now)
        reserves = self.protocol_reserves
        if amount == MAX_UINT:
            amount = min(reserves, self.cash)
        if amount == 0 or amount > reserves:
            raise ModelRevert("LendingPoolInsufficientProtocolReserves")
        if amount > self.cash:
            raise ModelRevert("LendingPoolInsufficientLiquidity")
        self.cash -= amount
        self.update_rate()
        return amount
