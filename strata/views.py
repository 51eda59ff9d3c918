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
        rows.append(
            {
                "module": entry.name,
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
    for column in ("module", "id", "proxy", "implementation", "version", "recorded"):
        table.add_column(column, no_wrap=True)
    for row in module_rows(record, project, provider):
        table.add_row(*(row[c] for c in ("module", "id", "proxy", "implementation", "version", "recorded")))
    plain = [e for e in record.contracts.values() if not e.is_proxy and not e.name.endswith("Implementation")]
    for entry in plain:
        table.add_row(entry.name, entry.module_id or "-", _short(entry.address), "(not proxied)", "-", "yes")
    return table
