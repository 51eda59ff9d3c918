"""Read-only views for people: the module table (proxy, implementation, version), later reserves and positions."""

from __future__ import annotations

from typing import Any

from rich.table import Table

from strata.chain import implementation_of
from strata.records import DeploymentRecord


def _short(address: str | None) -> str:
    return address or "-"


def module_rows(record: DeploymentRecord, project: Any, provider: Any) -> list[dict[str, str]]:
    """One row per proxied module, with the implementation and version read from the chain itself."""
    rows = []
    for entry in record.proxies():
        on_chain_impl = implementation_of(provider, entry.address)
        try:
            version = str(getattr(project, entry.contract).at(entry.address).version())
        except Exception:  # a module whose implementation lost `version()` is shown, not fatal
            version = "?"
        try:
            paused = "PAUSED" if getattr(project, entry.contract).at(entry.address).modulePaused() else "-"
        except Exception:  # modules without a module-wide pause (registry, governor)
            paused = "n/a"
        rows.append(
            {
                "module": entry.name,
                "paused": paused,
                "id": entry.module_id or "-",
                "proxy": entry.address,
                "implementation": on_chain_impl,
                "version": version,
                "recorded": "yes" if on_chain_impl.lower() == (entry.implementation or "").lower() else "DRIFT",
            }
        )
    return rows


def module_table(record: DeploymentRecord, project: Any, provider: Any) -> Table:
    table = Table(title=f"Strata modules on {record.network} (chain {record.chain_id})")
    columns = ("module", "id", "proxy", "implementation", "version", "paused", "recorded")
    for column in columns:
        table.add_column(column, no_wrap=True)
    for row in module_rows(record, project, provider):
        table.add_row(*(row[c] for c in columns))
    plain = [e for e in record.contracts.values() if not e.is_proxy and e.module_id]
    for entry in plain:
        table.add_row(entry.name, entry.module_id or "-", _short(entry.address), "(not proxied)", "-", "n/a", "yes")
    return table


def keeper_executors_table(record: DeploymentRecord, provider: Any) -> Table | None:
    """The keepers' flash-liquidation executors in the record (``ape run liquidate --flash`` deploys and records
    one FlashLiquidator per keeper account), each with whether the chain still has its code; None without any."""
    from strata.keeper import FLASH_LIQUIDATOR

    entries = [e for e in record.contracts.values() if e.contract == FLASH_LIQUIDATOR]
    if not entries:
        return None
    table = Table(title="Keeper flash-liquidation executors (periphery, not upgradeable)")
    for column in ("keeper", "executor", "deploy block", "on chain"):
        table.add_column(column, no_wrap=True)
    for entry in entries:
        keeper = entry.name.partition(":")[2] or "-"
        on_chain = "yes" if len(provider.get_code(entry.address)) else "no code (chain reset?)"
        table.add_row(keeper, entry.address, str(entry.block) if entry.block is not None else "-", on_chain)
    return table


PENDING_UPGRADE_STATES = ("Pending", "Active", "Succeeded", "Queued")


def upgrade_proposals_table(record: DeploymentRecord, project: Any) -> Table | None:
    """Governor proposals that upgrade a recorded proxy and are not settled yet, with their state (None: no
    Governor in the record)."""
    from strata.governance import format_time, short_id
    from strata.upgrades.pipeline import upgrade_proposals

    entry = record.get("StrataGovernor")
    if entry is None:
        return None
    governor = getattr(project, entry.contract).at(entry.address)
    table = Table(title="Pending upgrade proposals")
    for column in ("proposal", "module", "to", "implementation", "state", "executable from"):
        table.add_column(column, no_wrap=True)
    rows = upgrade_proposals(governor, record, states=PENDING_UPGRADE_STATES)
    for p in rows:
        table.add_row(short_id(p.proposal_id), p.module, p.contract, p.implementation, p.state, format_time(p.eta) if p.eta else "-")
    if not rows:
        table.add_row("none", "-", "-", "-", "-", "-")
    return table


WAD = 10**18
RAY = 10**27
SECONDS_PER_YEAR = 365 * 24 * 3600
ACTIONS = ("SUPPLY", "WITHDRAW", "BORROW", "LIQUIDATE", "FLASH")


def _units(amount: int, decimals: int) -> str:
    return f"{amount / 10**decimals:,.4f}"


def _usd(value_wad: int) -> str:
    return f"${value_wad / WAD:,.2f}"


def _pct(wad: int) -> str:
    return f"{wad / WAD * 100:.2f}%"


def format_health_factor(hf: int) -> str:
    return "∞" if hf >= 2**255 else f"{hf / WAD:.4f}"


def paused_actions(bitmap: int) -> list[str]:
    return [name for bit, name in enumerate(ACTIONS) if bitmap & (1 << bit)]


def reserves_table(pool: Any, oracle: Any, symbols: dict[str, str]) -> Table:
    """Every reserve: size, utilisation, rates (APR), risk parameters and paused actions."""
    table = Table(title="Reserves")
    for column in ("asset", "price", "supplied", "borrowed", "util.", "borrow APR", "supply APR", "LTV / LT / bonus", "paused"):
        table.add_column(column, no_wrap=True, justify="right" if column not in ("asset", "paused") else "left")
    for asset in pool.getReservesList():
        data = pool.getReserveData(asset)
        config = pool.getReserveConfig(asset)
        decimals = int(data.decimals)
        table.add_row(
            symbols.get(str(asset), str(asset)[:10]),
            _usd(oracle.getAssetPrice(asset)),
            _units(data.totalSupplied, decimals),
            _units(data.totalBorrowed, decimals),
            _pct(data.utilization),
            _pct(data.borrowRate * SECONDS_PER_YEAR),
            _pct(data.supplyRate * SECONDS_PER_YEAR),
            f"{config.ltv / 100:.0f}% / {config.liquidationThreshold / 100:.1f}% / {config.liquidationBonus / 100:.1f}%",
            ",".join(paused_actions(int(data.pausedActions))) or "-",
        )
    return table


def positions_table(pool: Any, accounts: dict[str, str], symbols: dict[str, str], title: str = "Positions") -> Table:
    """Each named account: per-asset supply/debt, collateral and debt value, borrowing power, health factor."""
    table = Table(title=title)
    for column in ("account", "supplied", "borrowed", "collateral", "debt", "borrowing power", "health factor"):
        table.add_column(column, no_wrap=False)
    reserves = list(pool.getReservesList())
    for label, address in accounts.items():
        supplied, borrowed = [], []
        for asset in reserves:
            s, b, as_collateral = pool.getUserReserve(asset, address)
            symbol = symbols.get(str(asset), str(asset)[:10])
            decimals = int(pool.getReserveData(asset).decimals)
            if s:
                supplied.append(f"{_units(s, decimals)} {symbol}{'' if as_collateral else ' (not coll.)'}")
            if b:
                borrowed.append(f"{_units(b, decimals)} {symbol}")
        data = pool.getAccountData(address)
        table.add_row(
            label,
            "\n".join(supplied) or "-",
            "\n".join(borrowed) or "-",
            _usd(data.collateralValue),
            _usd(data.debtValue),
            _usd(data.borrowingPower),
            format_health_factor(data.healthFactor),
        )
    return table
