"""ape run bench_liquidation — receipt gas of liquidations on a fresh devchain (figures, never assertions).

Builds the market of tests/unit/liquidation (registry, pool and engine each behind its ModuleProxy; USDC 6,
WBTC 8 and WETH 18 decimals; interest-bearing reserves) twice:
  * ``real``: the PriceOracle module over Chainlink-shaped MockAggregatorV3 feeds — what a deployment pays;
  * ``fixed``: the pool's one-read price mock (PoolTestOracleMock) — the setting of Morpho Blue's own
    benchmarks, which isolates the liquidation's cost from the oracle's.
and measures, each liquidation mined 12 s after the previous block (interest accrues, like mainnet):
  * a 50% liquidation (WBTC collateral, USDC debt, health factor 0.97) — the figure compared with Aave V3
    (326.4k) and Morpho Blue (109.8k); the first one of a fresh market is shown apart (first-touch storage);
  * a 100% liquidation (health factor below 0.95);
  * a liquidation that exhausts the collateral and writes off bad debt;
  * the 50% liquidation under LiquidationEngineV2 (Dutch auction), after upgrading the proxy;
  * the pool's share: the same liquidation's `executeLiquidation` sent by a scripted engine (the rest is the
    engine's overhead: its proxy, its config, its quote).
``--frames`` also prints the 50% liquidation's call tree (Anvil's call tracer: each frame's gas and its own share)
and each frame's own gas split into storage reads, writes, call overhead, logs and the rest (struct logs).
"""

from __future__ import annotations

from typing import Any

import click

from strata.cli import StrataCommand, console as make_console, friendly_errors

AAVE_V3 = 326_400
MORPHO_BLUE = 109_800
TARGET = 137_000
BLOCK_TIME = 12
MAX_UINT256 = 2**256 - 1
HEADLINE = "50% liquidation, v1 (hf 0.97)"


def _market_module() -> Any:
    """tests/unit/liquidation/market.py, loaded by path: the same market the tests build. (`import tests…`
    is not reliable under `ape run`, where another distribution's top-level `tests` package can shadow ours.)"""
    import importlib.util
    import sys
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "tests" / "unit" / "liquidation" / "market.py"
    spec = importlib.util.spec_from_file_location("strata_liquidation_market", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _liquidation_gas(chain: Any, market: Any, borrower: Any, liquidator: Any, hf: str | None, crash: str | None) -> Any:
    """Opens a $60k USDC debt against 2 WBTC, makes it liquidatable, liquidates as much as allowed."""
    market.set_price("WBTC", "60000")
    market.open_position(borrower, "WBTC", market["WBTC"].units("2"), "USDC", market["USDC"].units("60000"))
    if crash is not None:
        market.set_price("WBTC", crash)
    else:
        market.set_health_factor(borrower, "WBTC", hf)
    chain.pending_timestamp = chain.pending_timestamp + BLOCK_TIME
    return market.engine.liquidate(
        borrower, market["USDC"].address, market["WBTC"].address, MAX_UINT256, sender=liquidator
    )


def _hook_only_gas(m: Any, project: Any, chain: Any, market: Any, borrower: Any, liquidator: Any) -> Any:
    """The same 50% liquidation, sent to `executeLiquidation` by a scripted engine (ScriptedLiquidationEngineMock:
    no proxy, no config, the amounts of the real engine's preview held in transient storage)."""
    market.set_price("WBTC", "60000")
    market.open_position(borrower, "WBTC", market["WBTC"].units("2"), "USDC", market["USDC"].units("60000"))
    market.set_health_factor(borrower, "WBTC", "0.97")
    chain.pending_timestamp = chain.pending_timestamp + BLOCK_TIME
    chain.mine()
    usdc, wbtc = market["USDC"].address, market["WBTC"].address
    preview = market.engine.previewLiquidation(borrower, usdc, wbtc, MAX_UINT256)
    hook = market.governance.deploy(project.ScriptedLiquidationEngineMock)
    market.registry.setModule(m.module_id("LIQUIDATION_ENGINE"), hook, sender=market.governance)
    market.pool.syncModules(sender=market.governance)
    chain.pending_timestamp = chain.pending_timestamp + BLOCK_TIME
    return hook.liquidateWithQuote(
        market.pool, liquidator, borrower, usdc, wbtc, MAX_UINT256,
        preview.repayAmount, preview.seizeAmount, preview.protocolFeeAmount, sender=liquidator,
    )


def _run_setup(m: Any, project: Any, chain: Any, actors: list[Any], fixed_prices: bool, frames: bool) -> dict[str, int]:
    governance, guardian, supplier, liquidator, *borrowers = actors
    market = m.deploy_market(project, governance, guardian, fixed_prices=fixed_prices)
    for asset in market.assets.values():
        market.pool.setRateModel(asset.address, market.interest_rate_model, sender=governance)
    market.supply(supplier, "USDC", market["USDC"].units("10000000"))
    market.supply(supplier, "WBTC", market["WBTC"].units("200"))
    for symbol, amount in (("USDC", "100000000"), ("WBTC", "1000"), ("WETH", "100000")):
        market.fund(liquidator, symbol, market[symbol].units(amount))

    results = {"first liquidation of a fresh market (50%)": _liquidation_gas(chain, market, borrowers[0], liquidator, "0.97", None)}
    scenarios = (
        (HEADLINE, borrowers[1], "0.97", None),
        ("100% liquidation, v1 (hf 0.90)", borrowers[2], "0.90", None),
        ("collateral exhausted + bad debt, v1", borrowers[3], None, "20000"),
    )
    for name, borrower, hf, crash in scenarios:
        snapshot = chain.snapshot()
        results[name] = _liquidation_gas(chain, market, borrower, liquidator, hf, crash)
        if frames and name == HEADLINE:
            # Before the restore: the transaction disappears with it.
            title = f"Frames of the {name} ({'fixed prices' if fixed_prices else 'real oracle'})"
            _print_frames(title, project, chain, market, results[name])
        chain.restore(snapshot)

    # The pool's share: the same 50% liquidation sent straight to `executeLiquidation` by a scripted engine
    # registered as the engine (amounts from the engine's preview). The difference is the engine's overhead.
    snapshot = chain.snapshot()
    results["pool alone, scripted engine (same 50%)"] = _hook_only_gas(m, project, chain, market, borrowers[1], liquidator)
    chain.restore(snapshot)

    implementation = governance.deploy(project.LiquidationEngineV2)
    data = implementation.initializeV2.encode_input(m.AUCTION_START_BONUS, m.AUCTION_FLOOR_HF)
    market.engine.upgradeToAndCall(implementation, data, sender=governance)
    results["50% liquidation, v2 auction (hf 0.97)"] = _liquidation_gas(chain, market, borrowers[4], liquidator, "0.97", None)
    return {name: int(receipt.gas_used) for name, receipt in results.items()}


def _frame_labels(project: Any, chain: Any, market: Any) -> tuple[dict[str, str], dict[str, str]]:
    """Address → name (proxies and the implementations behind them) and selector → function name."""
    from eth_utils import keccak

    slot = int.from_bytes(keccak(text="eip1967.proxy.implementation"), "big") - 1
    names = {}
    modules = {"pool": market.pool, "engine": market.engine, "oracle": market.oracle, "registry": market.registry}
    for name, contract in modules.items():
        names[contract.address.lower()] = name
        impl = chain.provider.get_storage(contract.address, slot)[-20:]
        names["0x" + bytes(impl).hex()] = f"{name} impl"
    for symbol, asset in market.assets.items():
        names[asset.address.lower()] = symbol
        if asset.feed is not None:
            names[asset.feed.address.lower()] = f"{symbol} feed"
    names[market.interest_rate_model.address.lower()] = "rate model"
    selectors = {}
    for contract in ("LendingPool", "LiquidationEngineV2", "PriceOracle", "MockAggregatorV3", "KinkedRateModel",
                     "MockERC20", "PoolTestOracleMock", "ModuleRegistry", "ScriptedLiquidationEngineMock"):
        for abi in getattr(project, contract).contract_type.methods:
            selectors["0x" + keccak(text=abi.selector)[:4].hex()] = abi.name
    return names, selectors


def _print_frames(title: str, project: Any, chain: Any, market: Any, receipt: Any) -> None:
    """Per-frame gas (Anvil's callTracer): gas used by each call frame, children included, and its own share."""
    names, selectors = _frame_labels(project, chain, market)
    trace = chain.provider.make_request("debug_traceTransaction", [receipt.txn_hash, {"tracer": "callTracer"}])
    trace = trace.get("result", trace) if isinstance(trace, dict) else trace
    lines = [f"{title}: receipt {int(receipt.gas_used):,}, top frame {int(trace['gasUsed'], 16):,}"]

    def walk(frame: dict, depth: int) -> None:
        used = int(frame["gasUsed"], 16)
        calls = frame.get("calls") or []
        own = used - sum(int(c["gasUsed"], 16) for c in calls)
        target = names.get(frame.get("to", "").lower(), frame.get("to", "")[:10])
        function = selectors.get(frame.get("input", "0x")[:10], frame.get("input", "0x")[:10])
        lines.append(f"{'  ' * depth}{frame['type']:<12} {target:<12} {function:<24} {used:>9,} (own {own:>7,})")
        for call in calls:
            walk(call, depth + 1)

    walk(trace, 0)
    lines.append("")
    lines.append("Opcode gas by frame (SLOAD/SSTORE counts and gas, call overhead, logs, the rest):")
    lines.extend(_opcode_profile(chain, receipt, names, selectors, trace))
    make_console().print("\n".join(lines), highlight=False)


def _opcode_profile(chain: Any, receipt: Any, names: dict, selectors: dict, calls: dict) -> list[str]:
    """Splits each frame's own gas (struct logs) into storage reads, writes, call overhead, logs and compute."""
    import collections

    logs = chain.provider.make_request(
        "debug_traceTransaction",
        [receipt.txn_hash, {"disableStorage": True, "disableMemory": True, "disableStack": True}],
    )["structLogs"]
    # Frames in call order, the same order as the call tracer's depth-first walk.
    order: list[dict] = []

    def flatten(frame: dict, depth: int) -> None:
        order.append({"frame": frame, "depth": depth})
        for call in frame.get("calls") or []:
            flatten(call, depth + 1)

    flatten(calls, 0)
    stats = [collections.Counter() for _ in order]
    stack: list[int] = [0]
    next_frame = 1
    for i, step in enumerate(logs):
        depth = step["depth"] - 1
        while len(stack) - 1 > depth:
            stack.pop()
        current = stats[stack[-1]]
        op, cost = step["op"], step["gasCost"]
        if op in ("CALL", "STATICCALL", "DELEGATECALL", "CALLCODE"):
            nxt = logs[i + 1] if i + 1 < len(logs) else None
            if nxt is not None and nxt["depth"] == step["depth"] + 1:
                cost -= nxt["gas"]
                stack.append(next_frame)
            next_frame += 1
            current["call"] += cost
        elif op == "SLOAD":
            current["sload"] += cost
            current["sload#"] += 1
        elif op == "SSTORE":
            current["sstore"] += cost
            current["sstore#"] += 1
        elif op.startswith("LOG"):
            current["log"] += cost
        else:
            current["compute"] += cost
    out = []
    for entry, st in zip(order, stats):
        frame = entry["frame"]
        target = names.get(frame.get("to", "").lower(), frame.get("to", "")[:10])
        function = selectors.get(frame.get("input", "0x")[:10], frame.get("input", "0x")[:10])
        out.append(
            f"{'  ' * entry['depth']}{target:<12} {function:<20} sload {st['sload#']:>2}× {st['sload']:>6,}  "
            f"sstore {st['sstore#']:>2}× {st['sstore']:>6,}  calls {st['call']:>6,}  logs {st['log']:>5,}  "
            f"compute {st['compute']:>6,}"
        )
    return out


@click.command(cls=StrataCommand, short_help="Gas of a liquidation (prints figures)")
@click.option("--frames", is_flag=True, help="Also print the per-frame gas of the 50% liquidation (callTracer).")
@friendly_errors
def cli(provider: Any, frames: bool) -> None:
    """Deploy liquidation markets on the devchain and print the receipt gas of each liquidation scenario."""
    from ape import accounts, chain, project
    from rich.table import Table

    if provider.network.name != "local":
        raise click.ClickException("the benchmark deploys markets: run it on a devchain (--network ethereum:local:foundry)")
    m = _market_module()
    actors = list(accounts.test_accounts[:9])
    base = chain.snapshot()
    real = _run_setup(m, project, chain, actors, fixed_prices=False, frames=frames)
    chain.restore(base)
    fixed = _run_setup(m, project, chain, actors, fixed_prices=True, frames=frames)

    table = Table(title="Liquidation receipt gas (Anvil; blocks 12 s apart)")
    for column in ("scenario", "real oracle", "fixed prices", "vs Aave V3 (real)", "vs Morpho (fixed)", "target"):
        table.add_column(column, justify="left" if column == "scenario" else "right")
    for name, gas in real.items():
        table.add_row(
            name,
            f"{gas:,}",
            f"{fixed[name]:,}",
            f"{gas / AAVE_V3:.2f}×",
            f"{fixed[name] / MORPHO_BLUE:.2f}×",
            f"{TARGET:,}",
        )
    make_console().print(table)
