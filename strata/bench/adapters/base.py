"""The interface every benchmarked protocol implements, so that one scenario runs unchanged on all of them.

Amounts are token base units; prices are USD per whole token in WAD; health factors are WAD
(``NO_DEBT_HEALTH`` when the account owes nothing). Every state-changing method sends exactly one
transaction, the one whose receipt the bench measures, and returns that receipt.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

WAD = 10**18
NO_DEBT_HEALTH = 2**256 - 1


@dataclass(frozen=True)
class Listing:
    """An asset the bench lists on a protocol: the token, its USD price (WAD) and its risk parameters."""

    token: Any
    price: int
    borrowable: bool = False
    collateral: bool = False
    ltv_bps: int = 0
    liquidation_threshold_bps: int = 0
    liquidation_bonus_bps: int = 0  # the liquidator's premium, e.g. 500 = 5%


@dataclass(frozen=True)
class RiskParams:
    """One risk setting for all three protocols, so that the same positions are healthy or not on each."""

    ltv_bps: int = 7_500
    liquidation_threshold_bps: int = 8_000  # Morpho's LLTV (one number for both roles there)
    liquidation_bonus_bps: int = 500
    reserve_factor_bps: int = 1_000
    # The rate curve: 0% base, +4% a year up to 80% utilisation, +75% a year beyond (Aave's shape).
    optimal_utilization_bps: int = 8_000
    slope1_bps: int = 400
    slope2_bps: int = 7_500
    flash_fee_bps: int = 5  # Aave's flashLoanSimple premium; Morpho's flash loans are free by design


@runtime_checkable
class LendingAdapter(Protocol):
    """What the scenario needs from a protocol. ``key`` names the protocol in gas.json (``aave_v3``…)."""

    key: str
    label: str
    supports_multi_collateral: bool

    # -- the measured operations (one transaction each) -----------------------------------------------------
    def supply(self, user: Any, asset: Any, amount: int) -> Any: ...

    def supply_collateral(self, user: Any, asset: Any, amount: int) -> Any: ...

    def borrow(self, user: Any, asset: Any, amount: int) -> Any: ...

    def repay(self, user: Any, asset: Any, amount: int | None) -> Any:
        """Repays ``amount``, or the whole debt when ``amount`` is None."""

    def withdraw(self, user: Any, asset: Any, amount: int) -> Any: ...

    def withdraw_collateral(self, user: Any, asset: Any, amount: int) -> Any: ...

    def liquidate(self, liquidator: Any, borrower: Any, collateral: Any, debt_asset: Any, debt_to_cover: int) -> Any:
        """Repays ``debt_to_cover`` of ``borrower``'s debt and seizes ``collateral`` (the liquidator gets tokens)."""

    def flash_loan(self, caller: Any, asset: Any, amount: int) -> Any:
        """``caller`` sends one transaction to the protocol's minimal flash receiver, which borrows and repays."""

    # -- setup and views (not measured) ----------------------------------------------------------------------
    def set_price(self, asset: Any, price: int) -> None: ...

    def health(self, user: Any) -> int: ...

    def supplied(self, user: Any, asset: Any) -> int: ...

    def collateral(self, user: Any, asset: Any) -> int: ...

    def debt(self, user: Any, asset: Any) -> int: ...

    def custody(self, asset: Any) -> str:
        """The address holding the protocol's balance of ``asset`` (Aave: the aToken)."""

    def flash_receiver(self) -> str: ...

    def flash_fee(self, asset: Any, amount: int) -> int: ...

    def approve_all(self, users: list[Any], assets: list[Any]) -> None:
        """Unlimited allowances to whatever pulls tokens, given before the scenario (never measured)."""


class MultiCollateralAdapter(LendingAdapter, Protocol):
    """Protocols on which one borrower can back one debt with many collateral assets (Aave, Strata)."""

    def list_collateral(self, listing: Listing) -> None: ...


def receipt_gas(receipt: Any) -> int:
    return int(receipt.gas_used)
