"""Rendering of the benchmark's figures: gas.json, Markdown tables, PNG charts. Pure apart from file writes.

A protocol that could not be measured has ``None`` for each figure: JSON ``null``, table and ratios ``n/a``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Mapping

from strata.bench.scenario import GROWTH_OPERATIONS, OPERATIONS

PROTOCOLS: tuple[tuple[str, str], ...] = (("strata", "Strata"), ("aave_v3", "Aave V3"), ("morpho_blue", "Morpho Blue"))
GROWTH_PROTOCOLS: tuple[tuple[str, str], ...] = (("strata", "Strata"), ("aave_v3", "Aave V3"))

Operations = Mapping[str, Mapping[str, int | None]]  # op -> protocol key -> receipt gas
Growth = Mapping[int, Mapping[str, Mapping[str, int] | None]]  # n -> protocol key -> {op: gas}


def ratio(numerator: int | None, denominator: int | None) -> float | None:
    """``numerator / denominator``, or None when either figure is missing (never a made-up number)."""
    if numerator is None or denominator is None:
        return None
    if denominator <= 0:
        raise ValueError(f"gas figure must be positive, got {denominator}")
    return numerator / denominator


def fmt_gas(gas: int | None) -> str:
    return "n/a" if gas is None else f"{gas:,}"


def fmt_ratio(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}×"


def gas_json(anvil: str, operations: Operations) -> dict[str, Any]:
    """``{"anvil": version, "operations": {op: {strata, aave_v3, morpho_blue}}}`` in scenario order."""
    missing = [key for key, _ in OPERATIONS if key not in operations]
    if missing:
        raise ValueError(f"operations missing from the results: {missing}")
    return {
        "anvil": anvil,
        "operations": {
            key: {proto: _gas_or_none(operations[key].get(proto)) for proto, _ in PROTOCOLS} for key, _ in OPERATIONS
        },
    }


def _gas_or_none(value: int | None) -> int | None:
    return None if value is None else int(value)


def operations_table(operations: Operations) -> str:
    """The Markdown table: operation, the three protocols' gas, Strata/Aave, Strata/Morpho."""
    lines = [
        "| operation | Strata | Aave V3 | Morpho Blue | Strata/Aave | Strata/Morpho |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for key, label in OPERATIONS:
        row = operations[key]
        strata, aave, morpho = row.get("strata"), row.get("aave_v3"), row.get("morpho_blue")
        lines.append(
            f"| {label} | {fmt_gas(strata)} | {fmt_gas(aave)} | {fmt_gas(morpho)} "
            f"| {fmt_ratio(ratio(strata, aave))} | {fmt_ratio(ratio(strata, morpho))} |"
        )
    return "\n".join(lines) + "\n"


def growth_json(anvil: str, growth: Growth) -> dict[str, Any]:
    return {
        "anvil": anvil,
        "collateral_assets": {
            str(n): {proto: (None if row.get(proto) is None else dict(row[proto])) for proto, _ in GROWTH_PROTOCOLS}
            for n, row in sorted(growth.items())
        },
    }


def growth_table(growth: Growth) -> str:
    head = ["collateral assets"]
    for op, op_label in GROWTH_OPERATIONS:
        head += [f"{name} {op_label}" for _, name in GROWTH_PROTOCOLS] + [f"Strata/Aave {op_label}"]
    lines = ["| " + " | ".join(head) + " |", "|---:" + "|---:" * (len(head) - 1) + "|"]
    for n, row in sorted(growth.items()):
        cells = [str(n)]
        for op, _ in GROWTH_OPERATIONS:
            figures = {proto: (row.get(proto) or {}).get(op) for proto, _ in GROWTH_PROTOCOLS}
            cells += [fmt_gas(figures[proto]) for proto, _ in GROWTH_PROTOCOLS]
            cells.append(fmt_ratio(ratio(figures["strata"], figures["aave_v3"])))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def growth_slope(growth: Growth, protocol: str, operation: str) -> float | None:
    """Extra gas per added collateral asset, between the smallest and the largest count measured."""
    ns = sorted(growth)
    if len(ns) < 2:
        return None
    first = (growth[ns[0]].get(protocol) or {}).get(operation)
    last = (growth[ns[-1]].get(protocol) or {}).get(operation)
    if first is None or last is None:
        return None
    return (last - first) / (ns[-1] - ns[0])


def growth_slopes_text(growth: Growth) -> str:
    """One line per protocol: gas added by each further collateral asset, for borrow and liquidation."""
    lines = []
    for proto, name in GROWTH_PROTOCOLS:
        parts = []
        for op, op_label in GROWTH_OPERATIONS:
            slope = growth_slope(growth, proto, op)
            parts.append(f"{op_label} {'n/a' if slope is None else f'+{slope:,.0f}'}")
        lines.append(f"- {name}, gas per added collateral asset: " + "; ".join(parts))
    return "\n".join(lines) + "\n"


def results_markdown(
    title: str,
    anvil: str,
    token: str,
    protocols: Mapping[str, Mapping[str, Any]],
    notes: list[str],
    table: str,
) -> str:
    """A results page: what was measured with what, the notes (e.g. why a column is n/a), then the table."""
    described = "\n".join(
        f"- {key}: " + ", ".join(f"{k} {v}" for k, v in info.items()) for key, info in protocols.items()
    )
    quoted = "".join(f"\n> {note}\n" for note in notes)
    return (
        f"# {title}\n\nAnvil {anvil}; receipt gas (`gasUsed`); shared ERC20 pair: {token}. "
        f"Generated by `ape run bench`; see docs/benchmarks.md.\n\n{described}\n{quoted}\n{table}"
    )


def write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(text)
    tmp.replace(path)


def write_json(path: Path, data: Any) -> None:
    write_text(path, json.dumps(data, indent=2) + "\n")


# -- charts (matplotlib, headless) ---------------------------------------------------------------------------

_COLORS = {"strata": "#2f6fba", "aave_v3": "#b6509e", "morpho_blue": "#2ea06b"}


# Charts carry no version or date: two runs with the same figures write byte-identical PNGs.
PNG_METADATA = {"Software": None}


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def operations_chart(path: Path, operations: Operations, anvil: str) -> None:
    """Grouped bars, one group per operation; a protocol with no figure gets no bar and an "n/a" legend."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(13, 6.5), dpi=110)
    width = 0.27
    xs = range(len(OPERATIONS))
    for i, (proto, name) in enumerate(PROTOCOLS):
        values = [operations[key].get(proto) for key, _ in OPERATIONS]
        present = [(x, v) for x, v in zip(xs, values) if v is not None]
        label = name if present else f"{name} (n/a)"
        ax.bar(
            [x + (i - 1) * width for x, _ in present],
            [v / 1000 for _, v in present],
            width,
            label=label,
            color=_COLORS[proto],
        )
    ax.set_xticks(list(xs))
    ax.set_xticklabels([label for _, label in OPERATIONS], rotation=30, ha="right", fontsize=8)
    ax.set_ylabel("receipt gas (thousands)")
    ax.set_title(f"Gas per operation — same scenario on each protocol (Anvil {anvil})")
    ax.legend()
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, metadata=PNG_METADATA)
    plt.close(fig)


def growth_chart(path: Path, growth: Growth, anvil: str) -> None:
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(9, 5.5), dpi=110)
    ns = sorted(growth)
    for proto, name in GROWTH_PROTOCOLS:
        if all(growth[n].get(proto) is None for n in ns):
            ax.plot([], [], color=_COLORS[proto], label=f"{name} (n/a)")
            continue
        for op, op_label in GROWTH_OPERATIONS:
            points = [(n, (growth[n].get(proto) or {}).get(op)) for n in ns]
            points = [(n, v) for n, v in points if v is not None]
            if not points:
                continue
            ax.plot(
                [n for n, _ in points],
                [v / 1000 for _, v in points],
                marker="o",
                linestyle="-" if op == "borrow" else "--",
                color=_COLORS[proto],
                label=f"{name} {op_label}",
            )
    ax.set_xticks(ns)
    ax.set_xticklabels([str(n) for n in ns])
    ax.set_xlabel("collateral assets held by the borrower")
    ax.set_ylabel("receipt gas (thousands)")
    ax.set_title(f"Gas growth with the number of collateral assets (Anvil {anvil})")
    ax.legend()
    ax.grid(alpha=0.3)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, metadata=PNG_METADATA)
    plt.close(fig)
