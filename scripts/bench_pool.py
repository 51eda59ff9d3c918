"""ape run bench_pool — receipt gas of the LendingPool's user operations on a local devchain.

Deploys a registry, a price oracle, a KinkedRateModel and the LendingPool (each module behind its ModuleProxy) on
the connected chain, warms two markets (USDC 6 decimals, WETH 18 decimals) and measures one repeat user's
operations, each mined 12 s after the previous block, like mainnet.

Two oracle setups, because a borrow prices two assets and the oracle's cost is not the pool's:
  - ``real``: the PriceOracle module (its own proxy) over MockAggregatorV3 feeds (laid out like Chainlink's OCR2
    aggregator: two storage reads per round) — what a deployment pays;
  - ``fixed``: PoolTestOracleMock, one storage read per price — the setting of Morpho Blue's own benchmarks, which
    isolates the pool's cost.
"""

from __future__ import annotations

import collections
import json
from pathlib import Path

import click
from ape.cli import ConnectedProviderCommand

from strata.cli import console as make_console, friendly_errors

BLOCK_TIME = 12
MAX = 2**256 - 1
# (ltv, liquidationThreshold, liquidationBonus, reserveFactor, supplyCap, borrowCap, borrowingEnabled), bps / tokens
USDC_CONFIG = (7_500, 8_000, 500, 1_000, 0, 0, True)
WETH_CONFIG = (8_000, 8_500, 500, 1_000, 0, 0, True)

# Receipt gas of the same operations, as given in the project brief (Aave V3 Pool, Morpho Blue).
REFERENCE = {
    "supply": (144_600, 80_500, 86_000),
    "withdraw": (152_900, 73_900, 91_000),
    "borrow": (246_700, 98_300, 122_900),  # 1.25x Morpho Blue (98.3k)
    "repay (full)": (171_800, 78_600, 98_000),
}


def _module_id(name: str) -> bytes:
    return name.encode("ascii").ljust(32, b"\0")


def _proxy(project, sender, contract, *init_args):
    impl = sender.deploy(contract)
    proxy = sender.deploy(project.ModuleProxy, impl, impl.initialize.encode_input(*init_args))
    return contract.at(proxy.address)


def _next_block(chain) -> None:
    """The next transaction is mined BLOCK_TIME seconds after the head, so every touch accrues interest."""
    chain.pending_timestamp = chain.blocks.head.timestamp + BLOCK_TIME


def deploy_market(project, chain, governance, guardian, oracle_kind: str = "real"):
    """Registry, oracle, KinkedRateModel, LendingPool; USDC and WETH listed and priced. Returns handles."""
    registry = _proxy(project, governance, project.ModuleRegistry, governance, guardian)
    if oracle_kind == "real":
        oracle = _proxy(project, governance, project.PriceOracle, registry)
    else:
        oracle = governance.deploy(project.PoolTestOracleMock)
    registry.setModule(_module_id("PRICE_ORACLE"), oracle, sender=governance)
    rate_model = governance.deploy(project.KinkedRateModel, int(0.02e18), int(0.04e18), int(0.8e18), int(0.75e18))
    pool = _proxy(project, governance, project.LendingPool, registry)
    registry.setModule(_module_id("LENDING_POOL"), pool, sender=governance)
    pool.syncModules(sender=governance)
    tokens = {}
    for symbol, decimals, price, config in (("USDC", 6, 1, USDC_CONFIG), ("WETH", 18, 3_000, WETH_CONFIG)):
        token = governance.deploy(project.MockERC20, symbol, symbol, decimals)
        if oracle_kind == "real":
            feed = governance.deploy(project.MockAggregatorV3, 8, price * 10**8)
            oracle.setFeed(token, feed, 365 * 86_400, 1, 10**30, sender=governance)
        else:
            oracle.setPrice(token, price * 10**18, sender=governance)
        pool.listReserve(token, config, rate_model, sender=governance)
        tokens[symbol] = token
    return registry, oracle, rate_model, pool, tokens


def profile(provider, receipt) -> dict[str, int]:
    """Where a transaction's gas goes, from the node's opcode trace: storage (SLOAD/SSTORE, transient included),
    logs, and every other opcode ("compute"); the rest of the receipt is the 21,000 base, calldata and the
    account-access part of calls."""
    trace = provider.make_request(
        "debug_traceTransaction",
        [receipt.txn_hash, {"disableStorage": True, "disableMemory": True, "disableStack": True}],
    )
    costs = collections.Counter()
    for step in trace["structLogs"]:
        op = step["op"]
        if op in ("CALL", "STATICCALL", "DELEGATECALL"):
            continue  # their gasCost includes the gas forwarded to the callee
        kind = "storage" if op in ("SLOAD", "SSTORE", "TLOAD", "TSTORE") else "logs" if op.startswith("LOG") else "compute"
        costs[kind] += step["gasCost"]
    return dict(costs)


def call_tree(provider, receipt, names: dict[str, str]) -> list[str]:
    """Per-frame gas of a transaction (the node's call tracer: gasUsed of each frame, children included)."""
    root = provider.make_request("debug_traceTransaction", [receipt.txn_hash, {"tracer": "callTracer"}])
    lines: list[str] = []

    def walk(node, depth):
        to = node.get("to") or ""
        target = names.get(to.lower(), to)
        selector = (node.get("input") or "0x")[:10]
        lines.append(f"{'  ' * depth}{node['type']:<12} {target:<22} {selector}  {int(node['gasUsed'], 16):>8,}")
        for child in node.get("calls") or []:
            walk(child, depth + 1)

    walk(root, 0)
    return lines


def run_scenario(project, chain, accounts, oracle_kind: str, provider=None, trace=(), console=None):
    governance, guardian, supplier, borrower, user = accounts[:5]
    _, oracle, rate_model, pool, tokens = deploy_market(project, chain, governance, guardian, oracle_kind)
    usdc, weth = tokens["USDC"], tokens["WETH"]
    names = {str(pool.address).lower(): "pool", str(oracle.address).lower(): "oracle",
             str(rate_model.address).lower(): "rate model", str(usdc.address).lower(): "USDC",
             str(weth.address).lower(): "WETH"}

    # A warm market: both reserves supplied and borrowed, every account funded and approved once (max approval).
    for account in (supplier, borrower, user):
        for token in (usdc, weth):
            token.mint(account, 10_000_000 * 10 ** token.decimals(), sender=account)
            token.approve(pool, MAX, sender=account)
    pool.supply(usdc, 1_000_000 * 10**6, supplier, sender=supplier)
    pool.supply(weth, 1_000 * 10**18, supplier, sender=supplier)
    pool.supply(weth, 100 * 10**18, borrower, sender=borrower)
    pool.borrow(usdc, 100_000 * 10**6, borrower, sender=borrower)
    pool.borrow(weth, 1 * 10**18, borrower, sender=borrower)

    steps = [
        ("supply (first)", lambda: pool.supply(weth, 10 * 10**18, user, sender=user)),
        ("supply", lambda: pool.supply(weth, 10 * 10**18, user, sender=user)),
        ("borrow (first)", lambda: pool.borrow(usdc, 1_000 * 10**6, user, sender=user)),
        ("borrow", lambda: pool.borrow(usdc, 1_000 * 10**6, user, sender=user)),
        ("repay (partial)", lambda: pool.repay(usdc, 500 * 10**6, user, sender=user)),
        ("repay (full)", lambda: pool.repay(usdc, MAX, user, sender=user)),
        ("withdraw", lambda: pool.withdraw(weth, 5 * 10**18, user, sender=user)),
        ("borrow (again, first)", lambda: pool.borrow(usdc, 1_000 * 10**6, user, sender=user)),
        ("withdraw (collateral, with debt)", lambda: pool.withdraw(weth, 1 * 10**18, user, sender=user)),
    ]
    results = []
    for name, send in steps:
        _next_block(chain)
        receipt = send()
        results.append((name, receipt.gas_used, profile(provider, receipt) if provider else None))
        if name in trace and console is not None:
            console.print(f"call tree of '{name}' ({oracle_kind} oracle), receipt {receipt.gas_used:,}:")
            for line in call_tree(chain.provider, receipt, names):
                console.print("  " + line, highlight=False, markup=False)
    return results


def render(console, results, title: str) -> None:
    from rich.table import Table

    profiled = any(costs for _, _, costs in results)
    table = Table(title=f"LendingPool receipt gas, {title} (repeat user, warm market, {BLOCK_TIME} s between blocks)")
    table.add_column("operation")
    table.add_column("Strata", justify="right")
    table.add_column("target", justify="right")
    table.add_column("Aave V3", justify="right")
    table.add_column("Morpho Blue", justify="right")
    table.add_column("vs Morpho", justify="right")
    if profiled:
        for column in ("storage", "logs", "compute"):
            table.add_column(column, justify="right")
    for name, gas, costs in results:
        aave, morpho, target = REFERENCE.get(name, (None, None, None))
        ok = "" if target is None else (" [green]ok[/green]" if gas <= target else " [red]over[/red]")
        table.add_row(
            name,
            f"{gas:,}{ok}",
            f"{target:,}" if target else "",
            f"{aave:,}" if aave else "",
            f"{morpho:,}" if morpho else "",
            f"{gas / morpho:.2f}x" if morpho else "",
            *([f"{costs.get(k, 0):,}" for k in ("storage", "logs", "compute")] if profiled else []),
        )
    console.print(table)


ORACLE_TITLES = {
    "real": "PriceOracle over Chainlink-style feeds",
    "fixed": "fixed-price oracle (one SLOAD per price, isolates the pool)",
}


@click.command(cls=ConnectedProviderCommand, short_help="Benchmark the pool's gas")
@click.option("--oracle", "oracles", type=click.Choice(["real", "fixed", "both"]), default="both", show_default=True,
              help="Which oracle setup to measure.")
@click.option("--profile", is_flag=True, help="Also split each operation's gas into storage, logs and compute.")
@click.option("--trace", "trace", multiple=True, metavar="OPERATION",
              help="Print the call tree (per-frame gasUsed) of this operation, e.g. --trace borrow (repeatable).")
@click.option("--json", "json_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the figures to this JSON file.")
@friendly_errors
def cli(provider, oracles: str, profile: bool, trace: tuple[str, ...], json_path: Path | None) -> None:
    """Deploy a fresh market on the connected local chain and print the receipt gas of each pool operation."""
    from ape import accounts, chain, project

    if provider.network.name != "local":
        raise click.ClickException("the benchmark deploys throw-away contracts: run it on a local devchain")
    console = make_console()
    figures = {}
    for kind in (["real", "fixed"] if oracles == "both" else [oracles]):
        results = run_scenario(
            project, chain, accounts.test_accounts, kind, provider if profile else None, trace, console
        )
        render(console, results, ORACLE_TITLES[kind])
        figures[kind] = {name: gas for name, gas, _ in results}
    if json_path:
        json_path.write_text(json.dumps(figures, indent=2) + "\n")
        console.print(f"written: {json_path}")

