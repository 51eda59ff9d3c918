"""Rehearsal: perform an upgrade for real on a chain snapshot, judge it, and undo it.

On a snapshot (``chain.snapshot()`` / ``chain.restore()``, i.e. Anvil's ``evm_snapshot``/``evm_revert``):

1. read every invariant (:mod:`strata.upgrades.invariants`);
2. impersonate the Timelock (the only account the proxy accepts an upgrade from), fund it, and call
   ``proxy.upgradeToAndCall(newImplementation, callData)`` in a block with the same timestamp as the snapshot,
   so that no interest accrues between the two readings;
3. read the invariants again: only what the upgrade declares (its implementation slot and version, and its
   ``allowed`` paths) may differ; the slot must hold the new implementation and ``version()`` the expected one;
4. exercise each user operation once, on throwaway accounts: supply, withdraw, borrow, repay; a liquidation
   when the module prices or liquidates (liquidation engine, oracle, pool); a flash loan when it lends
   (flash-loan module, pool);
5. restore the snapshot, whatever happened.

A failed step is recorded in the :class:`RehearsalReport`, never raised: the pipeline refuses the upgrade when
``report.ok`` is false.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from eth_utils import to_checksum_address

from strata.chain import implementation_of
from strata.upgrades.invariants import InvariantContext, InvariantDiff, capture, implementation_paths

WAD = 10**18

SUPPLY, WITHDRAW, BORROW, REPAY, LIQUIDATE, FLASH_LOAN = "supply", "withdraw", "borrow", "repay", "liquidate", "flash loan"
BASIC_OPERATIONS: tuple[str, ...] = (SUPPLY, WITHDRAW, BORROW, REPAY)

# Module family (record name of its proxy) -> extra operations its upgrade must be exercised with.
EXTRA_OPERATIONS: dict[str, tuple[str, ...]] = {
    "LiquidationEngine": (LIQUIDATE,),
    "PriceOracle": (LIQUIDATE,),
    "LendingPool": (LIQUIDATE, FLASH_LOAN),
    "FlashLoanModule": (FLASH_LOAN,),
}

# Throwaway positions are sized in USD so that they fit any reserve (WAD).
SUPPLY_VALUE = 10_000 * WAD
BORROW_VALUE = 1_000 * WAD
# Liquidation: borrow this share of the borrowing power, then cut the collateral's price by this factor.
LIQUIDATION_BORROW_SHARE = 95
LIQUIDATION_PRICE_CUT = 85  # percent of the price kept


def operations_for(module: str) -> tuple[str, ...]:
    return BASIC_OPERATIONS + EXTRA_OPERATIONS.get(module, ())


@dataclass
class OperationResult:
    name: str
    ok: bool
    detail: str
    gas: int | None = None


@dataclass
class RehearsalReport:
    """What the rehearsal of one upgrade found. ``ok``: the upgrade may go ahead."""

    module: str
    proxy: str
    implementation: str
    calldata: bytes
    expected_version: str | None
    upgrade_error: str | None = None
    version_seen: str | None = None
    slot_seen: str | None = None
    invariants: InvariantDiff | None = None
    operations: list[OperationResult] = field(default_factory=list)
    restored: bool = False
    seconds: float = 0.0

    @property
    def problems(self) -> list[str]:
        out = []
        if self.upgrade_error:
            out.append(f"upgradeToAndCall failed: {self.upgrade_error}")
            return out
        if self.slot_seen is not None and self.slot_seen.lower() != self.implementation.lower():
            out.append(f"EIP-1967 slot holds {self.slot_seen}, not {self.implementation}")
        if self.expected_version is not None and self.version_seen != self.expected_version:
            out.append(f"version() is {self.version_seen!r}, expected {self.expected_version!r}")
        if self.invariants is not None:
            out.extend(f"invariant changed: {c}" for c in self.invariants.violations)
        out.extend(f"{op.name} failed: {op.detail}" for op in self.operations if not op.ok)
        return out

    @property
    def ok(self) -> bool:
        return self.restored and not self.problems and self.invariants is not None

    @property
    def title(self) -> str:
        verdict = "PASSED" if self.ok else "FAILED"
        return f"Rehearsal of {self.module} -> {self.implementation}: {verdict}"

    def table(self) -> Any:
        from rich.table import Table

        table = Table(title=self.title)
        table.add_column("", no_wrap=True)
        table.add_column("step", no_wrap=True)
        table.add_column("result", overflow="fold")
        table.add_column("gas", justify="right", no_wrap=True)

        def row(ok: bool, step: str, result: str, gas: int | None = None) -> None:
            table.add_row("[green]✔[/green]" if ok else "[red]✘[/red]", step, result, f"{gas:,}" if gas else "")

        row(self.upgrade_error is None, "upgradeToAndCall (as the Timelock)", self.upgrade_error or "executed")
        if self.upgrade_error is None:
            slot_ok = (self.slot_seen or "").lower() == self.implementation.lower()
            row(slot_ok, "EIP-1967 slot", str(self.slot_seen))
            version_ok = self.expected_version is None or self.version_seen == self.expected_version
            row(version_ok, "version()", f"{self.version_seen} (expected {self.expected_version})")
        if self.invariants is not None:
            row(self.invariants.ok, "invariants", self.invariants.summary())
            for change in self.invariants.violations[:20]:
                row(False, "  changed", f"{change.path}: {change}")
        for op in self.operations:
            row(op.ok, op.name, op.detail, op.gas)
        row(self.restored, "snapshot restored", "chain back as it was" if self.restored else "NOT RESTORED")
        table.caption = f"{self.seconds:.1f} s"
        return table


class RehearsalError(Exception):
    """The rehearsal could not even start (no snapshot support, no Timelock to impersonate)."""


def rehearse(
    ctx: InvariantContext,
    module: str,
    implementation: str,
    calldata: bytes = b"",
    *,
    expected_version: str | None = None,
    allowed: Iterable[str] = (),
    operations: Iterable[str] | None = None,
    liquidation_engine: Any = None,
    flash_module: Any = None,
    max_rate_per_second: int = 0,
) -> RehearsalReport:
    """Rehearses ``proxy(module).upgradeToAndCall(implementation, calldata)`` on a snapshot; see the module doc."""
    from ape import chain

    started = time.perf_counter()
    entry = ctx.record.require(module)
    report = RehearsalReport(module, entry.address, to_checksum_address(implementation), bytes(calldata), expected_version)
    if ctx.timelock is None:
        raise RehearsalError("no Timelock handle: the rehearsal upgrades as the Timelock")
    try:
        snapshot = chain.snapshot()
    except NotImplementedError as err:
        raise RehearsalError(f"provider {chain.provider.name} cannot snapshot: rehearse on a devchain or a fork") from err
    try:
        _rehearse_on_snapshot(
            ctx, report, entry, tuple(allowed), operations_for(module) if operations is None else tuple(operations),
            liquidation_engine, flash_module, max_rate_per_second,
        )
    finally:
        chain.restore(snapshot)
        report.restored = True
        report.seconds = time.perf_counter() - started
    return report


def _rehearse_on_snapshot(
    ctx: InvariantContext,
    report: RehearsalReport,
    entry: Any,
    allowed: tuple[str, ...],
    operations: tuple[str, ...],
    liquidation_engine: Any,
    flash_module: Any,
    max_rate_per_second: int,
) -> None:
    from ape import accounts, chain

    before = capture(ctx)
    timelock = impersonate(accounts, str(ctx.timelock.address))
    proxy = ctx.typed(entry.name)
    pin_next_timestamp(chain, before.timestamp)
    try:
        proxy.upgradeToAndCall(report.implementation, report.calldata, sender=timelock)
    except Exception as err:  # noqa: BLE001 - any revert refuses the upgrade; the report says which
        report.upgrade_error = _describe(err, proxy)
        return
    report.slot_seen = implementation_of(chain.provider, entry.address)
    report.version_seen = _version(chain.provider, entry.address)
    after = capture(ctx)
    report.invariants = before.diff(
        after, (*implementation_paths(entry.name), *allowed), max_rate_per_second=max_rate_per_second
    )
    if operations:
        exerciser = UserOperations(ctx, timelock, liquidation_engine=liquidation_engine, flash_module=flash_module)
        report.operations = exerciser.run(operations)


# -------------------------------------------------------------------------------------------- chain helpers


def impersonate(accounts: Any, address: str, funding: int = 10 * WAD) -> Any:
    """An impersonated signer for ``address``, with ``funding`` wei added for gas."""
    signer = accounts[to_checksum_address(address)]
    signer.balance = int(signer.balance) + funding
    return signer


def pin_next_timestamp(chain: Any, timestamp: int) -> bool:
    """Makes the next block carry ``timestamp`` (Anvil allows a block with its parent's timestamp).

    Returns False when the provider refuses: the caller then compares with an interest tolerance.
    """
    try:
        chain.provider.set_timestamp(int(timestamp))
        return True
    except Exception:  # noqa: BLE001 - providers without the feature, or with strictly increasing timestamps
        return False


def _version(provider: Any, address: str) -> str | None:
    from eth_abi import decode
    from eth_utils import keccak

    try:
        raw = provider.web3.eth.call({"to": address, "data": "0x" + keccak(text="version()")[:4].hex()})
        return str(decode(["string"], bytes(raw))[0])
    except Exception:  # noqa: BLE001
        return None


def _describe(err: BaseException, *contracts: Any) -> str:
    from strata.governance import describe_revert

    try:
        return describe_revert(err, *contracts)
    except Exception:  # noqa: BLE001 - never hide the error behind a decoding failure
        return " ".join(str(err).split())[:200]


# ------------------------------------------------------------------------------------------ user operations


@dataclass
class _Market:
    asset: Any  # token
    label: str
    decimals: int
    price: int  # WAD
    ltv: int  # bps
    threshold: int  # bps
    borrowing: bool


class UserOperations:
    """Each user operation once, on throwaway accounts funded by minting (devchain mock tokens)."""

    def __init__(self, ctx: InvariantContext, governance: Any, *, liquidation_engine: Any = None, flash_module: Any = None):
        from ape import accounts, project

        self.ctx = ctx
        self.accounts = accounts
        self.project = project
        self.governance = governance
        self.pool = ctx.pool
        self.liquidation = liquidation_engine
        self.flash = flash_module

    # -- public

    def run(self, operations: Iterable[str]) -> list[OperationResult]:
        wanted = list(operations)
        results: list[OperationResult] = []
        try:
            collateral, debt = self._pick_markets()
        except Exception as err:  # noqa: BLE001
            return [OperationResult(op, False, f"no market to exercise it on: {_describe(err, self.pool)}") for op in wanted]
        basic: dict[str, OperationResult] = {}
        if any(op in BASIC_OPERATIONS for op in wanted):
            basic = self._basic(collateral, debt)
        for op in wanted:
            if op in basic:
                results.append(basic[op])
            elif op == LIQUIDATE:
                results.append(self._guard(LIQUIDATE, lambda: self._liquidate(collateral, debt)))
            elif op == FLASH_LOAN:
                results.append(self._guard(FLASH_LOAN, lambda: self._flash_loan(debt)))
            elif op not in BASIC_OPERATIONS:
                results.append(OperationResult(op, False, "unknown operation"))
        return results

    # -- operations

    def _basic(self, collateral: _Market, debt: _Market) -> dict[str, OperationResult]:
        out: dict[str, OperationResult] = {}
        supplier, borrower = self._throwaway(), self._throwaway()
        supply_debt = self._amount(debt, SUPPLY_VALUE)
        supply_collateral = self._amount(collateral, SUPPLY_VALUE)

        def supply() -> tuple[str, int]:
            gas = self._supply(supplier, debt, supply_debt)
            self._supply(borrower, collateral, supply_collateral)
            supplied = self._position(debt, supplier)[0]
            assert supplied + 1 >= supply_debt, f"supplied {supplied} < {supply_debt}"
            return f"{supply_debt} {debt.label} (and {supply_collateral} {collateral.label} as collateral)", gas

        out[SUPPLY] = self._guard(SUPPLY, supply)
        if not out[SUPPLY].ok:
            return {op: out[SUPPLY] if op == SUPPLY else OperationResult(op, False, "skipped: supply failed") for op in BASIC_OPERATIONS}

        def withdraw() -> tuple[str, int]:
            amount = supply_debt // 10
            before = int(debt.asset.balanceOf(supplier))
            receipt = self.pool.withdraw(debt.asset, amount, supplier, sender=supplier)
            got = int(debt.asset.balanceOf(supplier)) - before
            assert got == amount, f"received {got} for a withdrawal of {amount}"
            return f"{amount} {debt.label}", int(receipt.gas_used)

        out[WITHDRAW] = self._guard(WITHDRAW, withdraw)
        borrow_amount = min(self._amount(debt, BORROW_VALUE), int(self.pool.availableLiquidity(debt.asset)) // 2)

        def borrow() -> tuple[str, int]:
            before = int(debt.asset.balanceOf(borrower))
            receipt = self.pool.borrow(debt.asset, borrow_amount, borrower, sender=borrower)
            got = int(debt.asset.balanceOf(borrower)) - before
            assert got == borrow_amount, f"received {got} for a borrow of {borrow_amount}"
            return f"{borrow_amount} {debt.label}", int(receipt.gas_used)

        out[BORROW] = self._guard(BORROW, borrow)

        def repay() -> tuple[str, int]:
            if not out[BORROW].ok:
                raise AssertionError("skipped: borrow failed")
            owed = self._position(debt, borrower)[1]
            self._mint(debt, borrower, owed)  # interest of the block, if any
            debt.asset.approve(self.pool, 2**256 - 1, sender=borrower)
            receipt = self.pool.repay(debt.asset, 2**256 - 1, borrower, sender=borrower)
            left = self._position(debt, borrower)[1]
            assert left == 0, f"{left} still owed after repaying everything"
            return f"{owed} {debt.label} (all of it)", int(receipt.gas_used)

        out[REPAY] = self._guard(REPAY, repay)
        return out

    def _liquidate(self, collateral: _Market, debt: _Market) -> tuple[str, int]:
        engine = self.liquidation
        if engine is None:
            raise AssertionError("no liquidation engine handle")
        supplier, borrower, liquidator = self._throwaway(), self._throwaway(), self._throwaway()
        # The supplier brings twice what the borrower can borrow, so the loan never waits for liquidity.
        self._supply(supplier, debt, self._amount(debt, 2 * SUPPLY_VALUE))
        self._supply(borrower, collateral, self._amount(collateral, SUPPLY_VALUE))
        power = int(self.pool.getAccountData(borrower).borrowingPower)
        amount = self._amount(debt, power * LIQUIDATION_BORROW_SHARE // 100)
        amount = min(amount, int(self.pool.availableLiquidity(debt.asset)))
        self.pool.borrow(debt.asset, amount, borrower, sender=borrower)
        self._cut_price(collateral)
        health = int(self.pool.getAccountData(borrower).healthFactor)
        assert health < WAD, f"health factor {health / WAD:.3f} after the price cut: cannot rehearse a liquidation"
        owed_before = self._position(debt, borrower)[1]
        # The engine rounds a scaled-down repayment up: a liquidator brings a little more than the debt.
        self._mint(debt, liquidator, owed_before + owed_before // 100 + 1)
        debt.asset.approve(self.pool, 2**256 - 1, sender=liquidator)
        receipt = engine.liquidate(borrower, debt.asset, collateral.asset, 2**256 - 1, sender=liquidator)
        owed_after = self._position(debt, borrower)[1]
        seized = int(collateral.asset.balanceOf(liquidator))
        assert owed_after < owed_before, "the liquidation repaid nothing"
        assert seized > 0, "the liquidator received no collateral"
        return (
            f"health factor {health / WAD:.3f}: repaid {owed_before - owed_after} {debt.label}, "
            f"seized {seized} {collateral.label}",
            int(receipt.gas_used),
        )

    def _flash_loan(self, debt: _Market) -> tuple[str, int]:
        flash = self.flash
        if flash is None:
            raise AssertionError("no flash-loan module handle")
        user = self._throwaway()
        borrower = user.deploy(self.project.MinimalFlashBorrowerMock)
        amount = max(int(self.pool.availableLiquidity(debt.asset)) // 10, 1)
        fee = int(flash.flashFee(debt.asset, amount))
        self._mint(debt, borrower, fee)
        reserves_before = int(self.pool.getReserveData(debt.asset).protocolReserves)
        receipt = borrower.flashBorrow(flash, debt.asset, amount, sender=user)
        reserves_after = int(self.pool.getReserveData(debt.asset).protocolReserves)
        assert reserves_after >= reserves_before + fee, "the flash-loan fee did not reach the reserves"
        return f"{amount} {debt.label}, fee {fee}", int(receipt.gas_used)

    # -- helpers

    def _guard(self, name: str, fn: Callable[[], tuple[str, int]]) -> OperationResult:
        try:
            detail, gas = fn()
            return OperationResult(name, True, detail, gas)
        except AssertionError as err:
            return OperationResult(name, False, str(err))
        except Exception as err:  # noqa: BLE001 - a revert is a failed operation, with its decoded reason
            return OperationResult(name, False, _describe(err, self.pool, *(c for c in (self.liquidation, self.flash) if c)))

    def _pick_markets(self) -> tuple[_Market, _Market]:
        """The collateral with the highest LTV and, among the others, a borrowable reserve."""
        markets = []
        labels = {to_checksum_address(str(t.address)): (s, t) for s, t in self.ctx.assets.items()}
        for asset in self.pool.getReservesList():
            asset = to_checksum_address(asset)
            label, token = labels.get(asset, (asset, self.project.MockERC20.at(asset)))
            config = self.pool.getReserveConfig(asset)
            data = self.pool.getReserveData(asset)
            try:
                price = int(self.ctx.oracle.getAssetPrice(asset))
            except Exception:  # noqa: BLE001 - an unpriced reserve cannot take part
                continue
            markets.append(
                _Market(token, label, int(data.decimals), price, int(config.ltv), int(config.liquidationThreshold), bool(config.borrowingEnabled))
            )
        collateral = max((m for m in markets if m.ltv > 0), key=lambda m: m.ltv, default=None)
        if collateral is None:
            raise AssertionError("no reserve can be used as collateral")
        debt = next((m for m in markets if m.borrowing and m is not collateral), None)
        if debt is None:
            raise AssertionError("no other reserve allows borrowing")
        return collateral, debt

    def _throwaway(self) -> Any:
        account = self.accounts.test_accounts.generate_test_account()
        account.balance = 10 * WAD
        return account

    @staticmethod
    def _amount(market: _Market, value_wad: int) -> int:
        # Down: a throwaway position a unit smaller changes nothing.
        return max(value_wad * 10**market.decimals // market.price, 1)

    def _mint(self, market: _Market, to: Any, amount: int) -> None:
        if amount <= 0:
            return
        try:
            market.asset.mint(to, amount, sender=self.governance)
        except Exception as err:  # noqa: BLE001
            raise AssertionError(
                f"cannot fund a throwaway account with {market.label} (not a mintable mock token): {_describe(err)}"
            ) from err

    def _supply(self, account: Any, market: _Market, amount: int) -> int:
        self._mint(market, account, amount)
        market.asset.approve(self.pool, amount, sender=account)
        receipt = self.pool.supply(market.asset, amount, account, sender=account)
        return int(receipt.gas_used)

    def _position(self, market: _Market, account: Any) -> tuple[int, int, bool]:
        supplied, borrowed, used = self.pool.getUserReserve(market.asset, account)
        return int(supplied), int(borrowed), bool(used)

    def _cut_price(self, market: _Market) -> None:
        """Points the collateral at a fresh mock feed with a lower answer (as governance: the Timelock)."""
        oracle = self.ctx.oracle
        current = oracle.getFeed(market.asset)
        feed_decimals = int(current.decimals)
        answer = market.price * LIQUIDATION_PRICE_CUT // 100 // 10 ** (18 - feed_decimals)
        feed = self._throwaway().deploy(self.project.MockAggregatorV3, feed_decimals, answer)
        oracle.setFeed(
            market.asset, feed, int(current.heartbeat), int(current.minPriceWad), int(current.maxPriceWad), sender=self.governance
        )
