"""The benchmark scenario: the same user operations, in the same order, on every protocol adapter.

Each measured operation is one transaction whose receipt gas is recorded, followed by sanity checks on
balances, debt, collateral and health factors: a number is only reported for an operation that really
happened. Nothing here knows which chain library is underneath: token balances, receipt logs and time come
from a ``ChainView`` (ape on Anvil in the bench, plain Python in the unit tests).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Protocol

from strata.bench.adapters.base import NO_DEBT_HEALTH, WAD, LendingAdapter, receipt_gas
from strata.bench.errors import SanityCheckError

# (key in gas.json, label in the table), in scenario order.
OPERATIONS: tuple[tuple[str, str], ...] = (
    ("supply_first", "supply (first in the market)"),
    ("supply_new_user", "supply (new user)"),
    ("supply_repeat", "supply (repeat)"),
    ("supply_collateral_first", "supply collateral (first)"),
    ("borrow_first", "borrow (first)"),
    ("borrow_repeat", "borrow (repeat, a day later)"),
    ("repay_partial", "repay (partial)"),
    ("repay_full", "repay (full)"),
    ("withdraw_partial", "withdraw (partial)"),
    ("withdraw_collateral_with_debt", "withdraw collateral (open debt)"),
    ("liquidate_half", "liquidate 50% of a debt"),
    ("flash_loan_1000", "flash loan (1,000 tokens)"),
)
OPERATION_KEYS = tuple(key for key, _ in OPERATIONS)

GROWTH_COLLATERAL_COUNTS = (1, 2, 4, 8, 16)
GROWTH_OPERATIONS: tuple[tuple[str, str], ...] = (("borrow", "borrow"), ("liquidate", "liquidate 50%"))

DAY = 86_400
BLOCK_TIME = 12


class ChainView(Protocol):
    """What the scenario reads from the chain besides the protocols themselves."""

    def balance(self, token: Any, holder: Any) -> int: ...

    def transfers(self, receipt: Any, token: Any) -> list[tuple[str, str, int]]:
        """``(from, to, value)`` of every ``Transfer`` of ``token`` in the receipt's logs."""

    def advance(self, seconds: int) -> None:
        """Makes the next block ``seconds`` later than the last one (instead of the usual 12 s)."""


@dataclass(frozen=True)
class Actors:
    supplier: Any
    new_supplier: Any
    borrower: Any
    risky_borrower: Any  # the position that is liquidated
    liquidator: Any
    flash_caller: Any

    def all(self) -> list[Any]:
        return [
            self.supplier,
            self.new_supplier,
            self.borrower,
            self.risky_borrower,
            self.liquidator,
            self.flash_caller,
        ]


def whole(tokens: int | float, decimals: int = 18) -> int:
    return int(round(tokens * 10**decimals))


@dataclass(frozen=True)
class Amounts:
    """Whole-token amounts of the scenario. Prices: loan token $1, collateral token $100 (both 18 decimals)."""

    loan_price: int = WAD
    collateral_price: int = 100 * WAD
    supply_first: int = whole(100_000)
    supply_new_user: int = whole(50_000)
    supply_repeat: int = whole(10_000)
    collateral: int = whole(1_000)  # $100,000
    borrow_first: int = whole(10_000)
    borrow_repeat: int = whole(5_000)
    repay_partial: int = whole(5_000)
    withdraw_partial: int = whole(10_000)
    risky_collateral: int = whole(1_000)
    risky_borrow: int = whole(67_000)  # 67% LTV; after the collateral withdrawal 74.4% (< 75% LTV)
    risky_withdraw: int = whole(100)
    price_drop_bps: int = 1_000  # -10%: 67,000 / 81,000 = 82.7% > 80% liquidation threshold
    flash: int = whole(1_000)


@dataclass(frozen=True)
class GrowthAmounts:
    """Growth: one main collateral that carries the position and (n - 1) small ones that only add to the loop."""

    main_collateral: int = whole(1_000)  # $100,000
    extra_collateral: int = whole(1)  # $10 each
    extra_price: int = 10 * WAD
    borrow: int = whole(74_000)  # HF after a 10% drop of the main collateral: 0.8 × 90,150 / 74,000 ≈ 0.975
    liquidity: int = whole(150_000)
    price_drop_bps: int = 1_000


class Checker:
    """Raises ``SanityCheckError`` naming the protocol and operation when a condition does not hold."""

    def __init__(self, protocol: str, operation: str) -> None:
        self.protocol = protocol
        self.operation = operation

    def that(self, condition: bool, detail: str) -> None:
        if not condition:
            raise SanityCheckError(self.protocol, self.operation, detail)

    def equal(self, actual: int, expected: int, what: str) -> None:
        self.that(actual == expected, f"{what} is {actual}, expected {expected}")

    def close(self, actual: int, expected: int, what: str, rel_bps: int = 10, abs_wei: int = 2) -> None:
        """Within ``rel_bps`` basis points (interest of a few blocks, share rounding) or ``abs_wei``."""
        tolerance = max(abs_wei, abs(expected) * rel_bps // 10_000)
        self.that(abs(actual - expected) <= tolerance, f"{what} is {actual}, expected {expected} ± {tolerance}")

    def healthy(self, health: int, what: str) -> None:
        self.that(health >= WAD, f"{what}: health factor {_hf(health)} < 1")

    def gas(self, receipt: Any) -> int:
        gas = receipt_gas(receipt)
        self.that(gas > 21_000, f"receipt gas {gas} is not that of a contract call")
        return gas


def _hf(health: int) -> str:
    return "∞" if health == NO_DEBT_HEALTH else f"{health / WAD:.4f}"


class ScenarioRun:
    """Runs ``OPERATIONS`` on one adapter; ``gas`` fills in as they pass their checks."""

    def __init__(
        self,
        adapter: LendingAdapter,
        view: ChainView,
        loan: Any,
        collateral: Any,
        actors: Actors,
        amounts: Amounts = Amounts(),
        log: Callable[[str], None] = lambda message: None,
    ) -> None:
        self.adapter = adapter
        self.view = view
        self.loan = loan
        self.coll = collateral
        self.actors = actors
        self.amounts = amounts
        self.log = log
        self.gas: dict[str, int] = {}

    def _check(self, operation: str) -> Checker:
        return Checker(self.adapter.label, operation)

    def _record(self, operation: str, check: Checker, receipt: Any) -> None:
        self.gas[operation] = check.gas(receipt)
        self.log(f"{self.adapter.label:<12} {operation:<30} {self.gas[operation]:>9,}")

    # -- building blocks with their checks -------------------------------------------------------------------

    def _supply(self, operation: str, user: Any, amount: int) -> None:
        a, v, check = self.adapter, self.view, self._check(operation)
        custody = a.custody(self.loan)
        wallet, held, supplied = v.balance(self.loan, user), v.balance(self.loan, custody), a.supplied(user, self.loan)
        receipt = a.supply(user, self.loan, amount)
        check.equal(wallet - v.balance(self.loan, user), amount, "tokens taken from the supplier")
        check.equal(v.balance(self.loan, custody) - held, amount, "tokens received by the protocol")
        check.close(a.supplied(user, self.loan) - supplied, amount, "supplied balance increase")
        self._record(operation, check, receipt)

    def _supply_collateral(self, operation: str | None, user: Any, amount: int) -> Any:
        a, v = self.adapter, self.view
        check = self._check(operation or "setup: supply collateral")
        wallet, before = v.balance(self.coll, user), a.collateral(user, self.coll)
        receipt = a.supply_collateral(user, self.coll, amount)
        check.equal(wallet - v.balance(self.coll, user), amount, "collateral tokens taken")
        check.close(a.collateral(user, self.coll) - before, amount, "collateral balance increase")
        if operation:
            self._record(operation, check, receipt)
        return receipt

    def _borrow(self, operation: str | None, user: Any, amount: int) -> None:
        a, v = self.adapter, self.view
        check = self._check(operation or "setup: borrow")
        wallet, debt = v.balance(self.loan, user), a.debt(user, self.loan)
        receipt = a.borrow(user, self.loan, amount)
        check.equal(v.balance(self.loan, user) - wallet, amount, "tokens received by the borrower")
        after = a.debt(user, self.loan)
        check.that(after >= debt + amount, f"debt {after} did not grow by {amount} from {debt}")
        check.healthy(a.health(user), "borrower after borrowing")
        if operation:
            self._record(operation, check, receipt)

    # -- the scenario ----------------------------------------------------------------------------------------

    def run(self) -> dict[str, int]:
        a, v, m, act = self.adapter, self.view, self.amounts, self.actors
        self._supply("supply_first", act.supplier, m.supply_first)
        self._supply("supply_new_user", act.new_supplier, m.supply_new_user)
        self._supply("supply_repeat", act.supplier, m.supply_repeat)
        self._supply_collateral("supply_collateral_first", act.borrower, m.collateral)
        self._borrow("borrow_first", act.borrower, m.borrow_first)

        v.advance(DAY)
        debt_before = a.debt(act.borrower, self.loan)
        self._borrow("borrow_repeat", act.borrower, m.borrow_repeat)
        check = self._check("borrow_repeat")
        check.that(
            a.debt(act.borrower, self.loan) > debt_before + m.borrow_repeat,
            "no interest accrued over a day of borrowing",
        )

        check = self._check("repay_partial")
        wallet, debt = v.balance(self.loan, act.borrower), a.debt(act.borrower, self.loan)
        receipt = a.repay(act.borrower, self.loan, m.repay_partial)
        check.equal(wallet - v.balance(self.loan, act.borrower), m.repay_partial, "tokens paid")
        check.close(debt - a.debt(act.borrower, self.loan), m.repay_partial, "debt decrease")
        self._record("repay_partial", check, receipt)

        check = self._check("repay_full")
        wallet, debt = v.balance(self.loan, act.borrower), a.debt(act.borrower, self.loan)
        receipt = a.repay(act.borrower, self.loan, None)
        check.equal(a.debt(act.borrower, self.loan), 0, "debt after a full repayment")
        paid = wallet - v.balance(self.loan, act.borrower)
        check.that(paid >= debt, f"paid {paid} for a debt of {debt}")
        check.equal(a.health(act.borrower), NO_DEBT_HEALTH, "health factor without debt")
        self._record("repay_full", check, receipt)

        check = self._check("withdraw_partial")
        wallet, supplied = v.balance(self.loan, act.supplier), a.supplied(act.supplier, self.loan)
        receipt = a.withdraw(act.supplier, self.loan, m.withdraw_partial)
        check.equal(v.balance(self.loan, act.supplier) - wallet, m.withdraw_partial, "tokens received")
        check.close(supplied - a.supplied(act.supplier, self.loan), m.withdraw_partial, "supplied balance decrease")
        check.that(a.supplied(act.supplier, self.loan) > 0, "a partial withdrawal emptied the position")
        self._record("withdraw_partial", check, receipt)

        self._supply_collateral(None, act.risky_borrower, m.risky_collateral)
        self._borrow(None, act.risky_borrower, m.risky_borrow)

        check = self._check("withdraw_collateral_with_debt")
        user = act.risky_borrower
        wallet, coll, debt = v.balance(self.coll, user), a.collateral(user, self.coll), a.debt(user, self.loan)
        check.that(debt > 0, "the position has no debt")
        receipt = a.withdraw_collateral(user, self.coll, m.risky_withdraw)
        check.equal(v.balance(self.coll, user) - wallet, m.risky_withdraw, "collateral tokens received")
        check.close(coll - a.collateral(user, self.coll), m.risky_withdraw, "collateral decrease")
        check.that(a.debt(user, self.loan) >= debt, "debt shrank on a collateral withdrawal")
        check.healthy(a.health(user), "borrower after withdrawing collateral")
        self._record("withdraw_collateral_with_debt", check, receipt)

        self._liquidate_half("liquidate_half", user, m.collateral_price, m.price_drop_bps)
        self._flash_loan()
        missing = [key for key in OPERATION_KEYS if key not in self.gas]
        self._check("scenario").that(not missing, f"operations not measured: {missing}")
        return dict(self.gas)

    def _liquidate_half(self, operation: str, user: Any, collateral_price: int, drop_bps: int) -> None:
        a, v, act = self.adapter, self.view, self.actors
        check = self._check(operation)
        new_price = collateral_price * (10_000 - drop_bps) // 10_000
        a.set_price(self.coll, new_price)
        health = a.health(user)
        check.that(health < WAD, f"position still healthy after the price drop (HF {_hf(health)})")
        debt, coll = a.debt(user, self.loan), a.collateral(user, self.coll)
        to_cover = debt // 2
        paid_before = v.balance(self.loan, act.liquidator)
        seized_before = v.balance(self.coll, act.liquidator)
        receipt = a.liquidate(act.liquidator, user, self.coll, self.loan, to_cover)
        paid = paid_before - v.balance(self.loan, act.liquidator)
        seized = v.balance(self.coll, act.liquidator) - seized_before
        debt_after = a.debt(user, self.loan)
        check.that(seized > 0, "the liquidator seized no collateral")
        check.close(paid, to_cover, "debt repaid by the liquidator", rel_bps=10)
        check.close(debt - debt_after, paid, "borrower's debt decrease", rel_bps=10)
        check.close(coll - a.collateral(user, self.coll), seized, "borrower's collateral decrease", rel_bps=1)
        # The liquidator must get more value than it paid (the bonus); prices: loan $1, collateral new_price.
        loan_price = self.amounts.loan_price
        check.that(seized * new_price > paid * loan_price, f"seized {seized} worth less than the {paid} repaid")
        ratio_bps = (debt - debt_after) * 10_000 // debt
        check.that(4_900 <= ratio_bps <= 5_100, f"{ratio_bps / 100:.2f}% of the debt repaid, expected 50%")
        self._record(operation, check, receipt)

    def _flash_loan(self) -> None:
        a, v, act = self.adapter, self.view, self.actors
        check = self._check("flash_loan_1000")
        amount = self.amounts.flash
        receiver, custody = a.flash_receiver(), a.custody(self.loan)
        fee = a.flash_fee(self.loan, amount)
        funds, held = v.balance(self.loan, receiver), v.balance(self.loan, custody)
        receipt = a.flash_loan(act.flash_caller, self.loan, amount)
        moves = v.transfers(receipt, self.loan)
        check.that(
            any(to == receiver and value == amount for _, to, value in moves),
            f"no transfer of {amount} to the receiver in the receipt",
        )
        check.that(
            any(src == receiver and value >= amount for src, _, value in moves),
            "no repayment from the receiver in the receipt",
        )
        check.equal(funds - v.balance(self.loan, receiver), fee, "fee paid by the receiver")
        check.equal(v.balance(self.loan, custody) - held, fee, "protocol balance change")
        self._record("flash_loan_1000", check, receipt)


class GrowthRun:
    """Gas of a borrow and of a 50% liquidation when the borrower holds ``n`` collateral assets."""

    def __init__(
        self,
        adapter: Any,
        view: ChainView,
        loan: Any,
        main_collateral: Any,
        extra_collaterals: list[Any],
        actors: Actors,
        amounts: GrowthAmounts = GrowthAmounts(),
        main_price: int = 100 * WAD,
        log: Callable[[str], None] = lambda message: None,
    ) -> None:
        self.adapter = adapter
        self.view = view
        self.loan = loan
        self.main = main_collateral
        self.extras = extra_collaterals
        self.actors = actors
        self.amounts = amounts
        self.main_price = main_price
        self.log = log

    def run(self, n: int) -> dict[str, int]:
        a, v, g, act = self.adapter, self.view, self.amounts, self.actors
        if n - 1 > len(self.extras):
            raise ValueError(f"{n} collateral assets asked, {len(self.extras) + 1} listed")
        label = f"growth n={n}"
        user = act.borrower
        a.supply(act.supplier, self.loan, g.liquidity)
        a.supply_collateral(user, self.main, g.main_collateral)
        for token in self.extras[: n - 1]:
            a.supply_collateral(user, token, g.extra_collateral)
        gas: dict[str, int] = {}

        check = Checker(a.label, f"{label} borrow")
        wallet = v.balance(self.loan, user)
        receipt = a.borrow(user, self.loan, g.borrow)
        check.equal(v.balance(self.loan, user) - wallet, g.borrow, "tokens received by the borrower")
        check.healthy(a.health(user), "borrower after borrowing")
        gas["borrow"] = check.gas(receipt)

        check = Checker(a.label, f"{label} liquidate")
        new_price = self.main_price * (10_000 - g.price_drop_bps) // 10_000
        a.set_price(self.main, new_price)
        check.that(a.health(user) < WAD, "position still healthy after the price drop")
        debt, coll = a.debt(user, self.loan), a.collateral(user, self.main)
        seized_before = v.balance(self.main, act.liquidator)
        receipt = a.liquidate(act.liquidator, user, self.main, self.loan, debt // 2)
        seized = v.balance(self.main, act.liquidator) - seized_before
        check.that(seized > 0, "the liquidator seized no collateral")
        check.close(coll - a.collateral(user, self.main), seized, "borrower's collateral decrease", rel_bps=1)
        ratio_bps = (debt - a.debt(user, self.loan)) * 10_000 // debt
        check.that(4_900 <= ratio_bps <= 5_100, f"{ratio_bps / 100:.2f}% of the debt repaid, expected 50%")
        gas["liquidate"] = check.gas(receipt)
        self.log(f"{a.label:<12} n={n:<3} borrow {gas['borrow']:>9,}  liquidate {gas['liquidate']:>9,}")
        return gas
