"""Invariant snapshots: everything a module upgrade must leave as it found, unless the upgrade says it changes it.

A snapshot is a flat ``path -> value`` map read from the chain at one block:

======================================  =============================================================
``proxy.<Name>.implementation``         EIP-1967 slot of every recorded proxy (read from storage)
``proxy.<Name>.version``                its ``version()``
``registry.governance|guardian``        the registry's roles
``registry.module.<ID>``                every registry entry
``timelock.<ROLE>``                     holders of each Timelock role (replayed from events, checked)
``params.<Module>.<getter>``            module parameters (close factor, fees, feeds, pause flags, ...)
``reserve.<SYM>.<field>``               ``getReserveData`` + ``getReserveConfig`` of every reserve
``price.<SYM>``                         the oracle's price (or the error it reverts with)
``balance.<SYM>.<holder>``              token balances of the pool and of every module proxy
``position.<account>.<SYM>.<field>``    ``getUserReserve`` of every account that ever supplied or borrowed
``account.<account>.<field>``           ``getAccountData`` of those accounts
======================================  =============================================================

:func:`diff` reports exactly what changed. An upgrade declares what it may change (its own implementation slot
and version, and whatever else it says) as ``allowed`` glob patterns. Values that grow with interest are compared
exactly when both snapshots share a timestamp (rehearsals and devchain executions pin it); across different
timestamps they may move by at most what the pool's maximum borrow rate allows over the elapsed seconds.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Sequence

from eth_utils import keccak, to_checksum_address

from strata.chain import EIP1967_IMPLEMENTATION_SLOT
from strata.records import DeploymentRecord

WAD = 10**18

# Values that interest moves between two timestamps (reserve totals, indices, rates, positions, account values).
TIME_SENSITIVE: tuple[str, ...] = (
    "reserve.*.totalSupplied",
    "reserve.*.totalBorrowed",
    "reserve.*.protocolReserves",
    "reserve.*.utilization",
    "reserve.*.borrowRate",
    "reserve.*.supplyRate",
    "reserve.*.liquidityIndex",
    "reserve.*.borrowIndex",
    "position.*.supplied",
    "position.*.borrowed",
    "account.*.collateralValue",
    "account.*.debtValue",
    "account.*.borrowingPower",
    "account.*.liquidationThresholdValue",
    "account.*.healthFactor",
)

# Module parameters read by getter name (version-1 getters: present before and after every shipped upgrade).
MODULE_PARAMS: dict[str, tuple[str, ...]] = {
    "LiquidationEngine": ("closeFactor", "fullLiquidationHealthFactor", "dustDebtValue", "protocolFeeShare", "pool", "oracle"),
    "FlashLoanModule": ("defaultFlashFeeBps", "pool"),
    "LendingPool": ("cachedModules",),
    "StrataGovernor": ("votingDelay", "votingPeriod", "proposalThreshold", "timelock", "token"),
}
PER_ASSET_PARAMS: dict[str, tuple[str, ...]] = {
    "PriceOracle": ("getFeed",),
    "FlashLoanModule": ("getReserveFlashConfig",),
}

_VERSION_SELECTOR = keccak(text="version()")[:4]


def implementation_paths(module: str) -> tuple[str, str]:
    """What every upgrade of ``module`` declares it changes: its implementation slot and its version."""
    return (f"proxy.{module}.implementation", f"proxy.{module}.version")


# ---------------------------------------------------------------------------------------------------- snapshot


@dataclass
class InvariantSnapshot:
    """Invariant values at one block."""

    block: int
    timestamp: int
    values: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, path: str) -> Any:
        return self.values[path]

    def select(self, pattern: str) -> dict[str, Any]:
        return {k: v for k, v in self.values.items() if fnmatch.fnmatchcase(k, pattern)}

    def diff(self, after: "InvariantSnapshot", allowed: Iterable[str] = (), *, max_rate_per_second: int = 0) -> "InvariantDiff":
        return diff(self, after, allowed, max_rate_per_second=max_rate_per_second)


@dataclass(frozen=True)
class Change:
    path: str
    before: Any
    after: Any
    allowed: bool

    @property
    def kind(self) -> str:
        if self.before is _MISSING:
            return "added"
        if self.after is _MISSING:
            return "removed"
        return "changed"

    def __str__(self) -> str:
        mark = "allowed" if self.allowed else "VIOLATION"
        return f"[{mark}] {self.path}: {_show(self.before)} -> {_show(self.after)}"


class _Missing:
    def __repr__(self) -> str:
        return "<absent>"


_MISSING: Any = _Missing()


@dataclass
class InvariantDiff:
    """Every difference between two snapshots; ``ok`` when each one is allowed."""

    before_block: int
    after_block: int
    elapsed: int
    changes: list[Change] = field(default_factory=list)
    within_interest: int = 0  # time-sensitive values that moved no more than interest can move them
    compared: int = 0

    @property
    def violations(self) -> list[Change]:
        return [c for c in self.changes if not c.allowed]

    @property
    def ok(self) -> bool:
        return not self.violations

    def summary(self) -> str:
        verdict = "unchanged" if self.ok else f"{len(self.violations)} unexpected change(s)"
        extra = f", {self.within_interest} moved by interest only" if self.within_interest else ""
        allowed = len(self.changes) - len(self.violations)
        return f"invariants {verdict} ({self.compared} values compared, {allowed} allowed change(s){extra})"

    def table(self, title: str | None = None, limit: int = 40) -> Any:
        from rich.table import Table

        table = Table(title=title or self.summary())
        for column in ("", "path", "before", "after"):
            table.add_column(column, overflow="fold")
        rows = sorted(self.changes, key=lambda c: (c.allowed, c.path))
        for change in rows[:limit]:
            mark = "[green]allowed[/green]" if change.allowed else "[red]✘[/red]"
            table.add_row(mark, change.path, _show(change.before), _show(change.after))
        if len(rows) > limit:
            table.add_row("…", f"{len(rows) - limit} more", "", "")
        if not rows:
            table.add_row("[green]✔[/green]", "no change", "", "")
        return table


def matches(path: str, patterns: Iterable[str]) -> bool:
    return any(fnmatch.fnmatchcase(path, p) for p in patterns)


def diff(
    before: InvariantSnapshot,
    after: InvariantSnapshot,
    allowed: Iterable[str] = (),
    *,
    max_rate_per_second: int = 0,
) -> InvariantDiff:
    """What changed from ``before`` to ``after``.

    ``allowed``: glob patterns of paths the upgrade declares it changes. ``max_rate_per_second`` (WAD): when the
    snapshots are ``elapsed`` seconds apart, a time-sensitive value may move by ``value × 2 × rate × elapsed``
    (+2 wei of rounding) and still count as unchanged; with the same timestamp every value must be equal.
    """
    allowed = tuple(allowed)
    elapsed = max(0, after.timestamp - before.timestamp)
    result = InvariantDiff(before.block, after.block, elapsed)
    for path in sorted(set(before.values) | set(after.values)):
        old = before.values.get(path, _MISSING)
        new = after.values.get(path, _MISSING)
        result.compared += 1
        if old == new:
            continue
        if elapsed and _within_interest(path, old, new, elapsed, max_rate_per_second):
            result.within_interest += 1
            continue
        result.changes.append(Change(path, old, new, matches(path, allowed)))
    return result


def _within_interest(path: str, old: Any, new: Any, elapsed: int, rate: int) -> bool:
    if not matches(path, TIME_SENSITIVE) or not isinstance(old, int) or not isinstance(new, int):
        return False
    if isinstance(old, bool) or isinstance(new, bool):
        return False
    # Compounding over `elapsed` seconds stays under twice the linear rate for any realistic elapsed time.
    tolerance = abs(old) * 2 * rate * elapsed // WAD + 2
    return abs(new - old) <= tolerance


def _show(value: Any) -> str:
    if value is _MISSING:
        return "<absent>"
    if isinstance(value, int) and not isinstance(value, bool) and value >= 2**255:
        return "max"
    return str(value)


# ----------------------------------------------------------------------------------------------------- capture


@dataclass
class InvariantContext:
    """Where to read invariants from: the record (for proxies) and ape handles on the protocol."""

    record: DeploymentRecord
    project: Any
    provider: Any
    pool: Any
    oracle: Any
    registry: Any
    timelock: Any | None = None
    modules: dict[str, Any] = field(default_factory=dict)  # record name -> ape instance (typed)
    assets: dict[str, Any] = field(default_factory=dict)  # symbol -> token
    from_block: int = 0  # where event scans start (the pool's deployment)

    @classmethod
    def from_protocol(cls, record: DeploymentRecord, project: Any, provider: Any, protocol: Any) -> "InvariantContext":
        modules = {}
        for entry in record.proxies():
            try:
                modules[entry.name] = getattr(project, entry.contract).at(entry.address)
            except AttributeError:
                continue  # a recorded contract this checkout no longer compiles: its slot and version still count
        pool_entry = record.get("LendingPool")
        return cls(
            record=record,
            project=project,
            provider=provider,
            pool=protocol.pool,
            oracle=protocol.oracle,
            registry=protocol.registry,
            timelock=protocol.timelock,
            modules=modules,
            assets=dict(protocol.assets),
            from_block=int(pool_entry.block or 0) if pool_entry else 0,
        )

    def typed(self, name: str, address: str | None = None) -> Any:
        """The module ``name`` typed by the *recorded* contract (refreshed: an upgrade changes the record)."""
        entry = self.record.require(name)
        return getattr(self.project, entry.contract).at(address or entry.address)


def capture(ctx: InvariantContext, block: int | None = None) -> InvariantSnapshot:
    """Reads every invariant at ``block`` (default: the chain head)."""
    from ape import chain

    head = chain.blocks.head if block is None else chain.blocks[block]
    number, timestamp = int(head.number), int(head.timestamp)
    values: dict[str, Any] = {}
    reader = _Reader(ctx, number, values)
    reader.proxies()
    reader.registry()
    reader.timelock_roles()
    reader.params()
    symbols = reader.reserves()
    reader.balances(symbols)
    reader.positions(symbols)
    return InvariantSnapshot(number, timestamp, values)


def _plain(value: Any) -> Any:
    """ape return values (structs, tuples, addresses, bytes) as JSON-able Python values."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, (bytes, bytearray)):
        return "0x" + bytes(value).hex()
    if isinstance(value, str):
        return to_checksum_address(value) if len(value) == 42 and value.startswith("0x") else value
    if hasattr(value, "address") and not hasattr(value, "items"):
        return str(value.address)
    if hasattr(value, "items"):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return str(value)


def _error_name(err: BaseException) -> str:
    from strata.governance import decode_revert

    name, _ = decode_revert(err)
    return f"reverts {name}" if name else f"reverts ({type(err).__name__})"


class _Reader:
    def __init__(self, ctx: InvariantContext, block: int, values: dict[str, Any]) -> None:
        self.ctx = ctx
        self.block = block
        self.values = values

    def call(self, fn: Callable[..., Any], *args: Any) -> Any:
        return fn(*args, block_id=self.block)

    def put(self, path: str, value: Any) -> None:
        plain = _plain(value)
        if isinstance(plain, dict):
            for key, item in plain.items():
                self.values[f"{path}.{key}"] = item
        else:
            self.values[path] = plain

    def guarded(self, path: str, fn: Callable[..., Any], *args: Any) -> None:
        try:
            self.put(path, self.call(fn, *args))
        except Exception as err:  # noqa: BLE001 - a view that starts or stops reverting is itself a change
            self.values[path] = _error_name(err)

    # -- sections

    def proxies(self) -> None:
        provider = self.ctx.provider
        for entry in self.ctx.record.proxies():
            slot = bytes(provider.get_storage(entry.address, EIP1967_IMPLEMENTATION_SLOT, block_id=self.block))
            self.values[f"proxy.{entry.name}.implementation"] = to_checksum_address(slot[-20:].rjust(20, b"\0"))
            self.values[f"proxy.{entry.name}.version"] = self._version(entry.address)

    def _version(self, address: str) -> str:
        from eth_abi import decode

        try:
            raw = self.ctx.provider.web3.eth.call({"to": address, "data": "0x" + _VERSION_SELECTOR.hex()}, self.block)
            return str(decode(["string"], bytes(raw))[0])
        except Exception as err:  # noqa: BLE001 - an implementation without version() is reported, not fatal
            return f"reverts ({type(err).__name__})"

    def registry(self) -> None:
        registry = self.ctx.registry
        self.guarded("registry.governance", registry.governance)
        self.guarded("registry.guardian", registry.guardian)
        from strata.modules import module_id_text

        for raw in self.call(registry.moduleIds):
            self.guarded(f"registry.module.{module_id_text(raw)}", registry.moduleOf, raw)

    def timelock_roles(self) -> None:
        timelock = self.ctx.timelock
        if timelock is None:
            return
        from strata.governance import TIMELOCK_ROLES

        candidates: dict[bytes, set[str]] = {role: set() for role in TIMELOCK_ROLES.values()}
        for event in (timelock.RoleGranted, timelock.RoleRevoked):
            for log in event.range(0, self.block + 1):
                candidates.setdefault(bytes(log.role), set()).add(to_checksum_address(log.account))
        names = {v: k for k, v in TIMELOCK_ROLES.items()}
        for role, holders in candidates.items():
            held = sorted(a for a in holders if self.call(timelock.hasRole, role, a))
            self.values[f"timelock.{names.get(role, '0x' + role.hex())}"] = held

    def params(self) -> None:
        for name, module in self.ctx.modules.items():
            if _has_view(module, "modulePaused"):
                self.guarded(f"params.{name}.modulePaused", module.modulePaused)
            family = _family(name, self.ctx.record)
            for getter in MODULE_PARAMS.get(family, ()):
                if _has_view(module, getter):
                    self.guarded(f"params.{name}.{getter}", getattr(module, getter))

    def reserves(self) -> dict[str, str]:
        """Reserve data, configuration, per-asset module parameters and prices; returns address -> label."""
        pool = self.ctx.pool
        assets = [to_checksum_address(a) for a in self.call(pool.getReservesList)]
        known = {to_checksum_address(str(t.address)): s for s, t in self.ctx.assets.items()}
        labels = {a: known.get(a, a) for a in assets}
        per_asset = {
            name: PER_ASSET_PARAMS.get(_family(name, self.ctx.record), ()) for name in self.ctx.modules
        }
        for asset, label in labels.items():
            self.guarded(f"reserve.{label}", pool.getReserveData, asset)
            self.guarded(f"reserve.{label}.config", pool.getReserveConfig, asset)
            self.guarded(f"price.{label}", self.ctx.oracle.getAssetPrice, asset)
            for name, getters in per_asset.items():
                module = self.ctx.modules[name]
                for getter in getters:
                    if _has_view(module, getter):
                        self.guarded(f"params.{name}.{getter}.{label}", getattr(module, getter), asset)
        return labels

    def balances(self, labels: dict[str, str]) -> None:
        holders = {"LendingPool": str(self.ctx.pool.address)}
        for entry in self.ctx.record.proxies():
            holders.setdefault(entry.name, entry.address)
        tokens = {to_checksum_address(str(t.address)): t for t in self.ctx.assets.values()}
        for asset, label in labels.items():
            # Any ERC-20 ABI reads a balance; a reserve the record does not name is read through MockERC20's.
            token = tokens.get(asset) or self.ctx.project.MockERC20.at(asset)
            for holder_name, address in holders.items():
                self.guarded(f"balance.{label}.{holder_name}", token.balanceOf, address)

    def positions(self, labels: dict[str, str]) -> None:
        pool = self.ctx.pool
        for account in accounts_with_positions(pool, self.ctx.from_block, self.block):
            for asset, label in labels.items():
                self.guarded(f"position.{account}.{label}", pool.getUserReserve, asset, account)
            self.guarded(f"account.{account}", pool.getAccountData, account)


def accounts_with_positions(pool: Any, from_block: int, to_block: int) -> list[str]:
    """Every account that was ever credited a supply or a debt (from the pool's events), sorted."""
    found: set[str] = set()
    for event, attr in ((pool.Supplied, "onBehalfOf"), (pool.Borrowed, "onBehalfOf"), (pool.CollateralSet, "user")):
        for log in event.range(from_block, to_block + 1):
            found.add(to_checksum_address(getattr(log, attr)))
    return sorted(found)


def _has_view(contract: Any, name: str) -> bool:
    contract_type = getattr(contract, "contract_type", None)
    return bool(contract_type) and any(m.name == name for m in contract_type.view_methods)


def _family(name: str, record: DeploymentRecord) -> str:
    """The module family of a record entry (``LiquidationEngine`` for a proxy now running LiquidationEngineV2)."""
    entry = record.get(name)
    if name in MODULE_PARAMS or name in PER_ASSET_PARAMS:
        return name
    return entry.contract if entry else name


def changed_paths(result: InvariantDiff) -> Sequence[str]:
    return [c.path for c in result.changes]
