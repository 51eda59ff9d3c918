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
  * the pool's share: the same liquidation's `executeLiquidation` sent by a bare hook caller (the rest is the
    engine's overhead: its proxy, its reads of the position, its config).
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


def _liquidation_gas(chain: Any, market: Any, borrower: Any, liquidator: Any, hf: str | None, crash: str | None) -> int:
    """Opens a $60k USDC debt against 2 WBTC, makes it liquidatable, liquidates as much as allowed."""
    market.set_price("WBTC", "60000")
    market.open_position(borrower, "WBTC", market["WBTC"].units("2"), "USDC", market["USDC"].units("60000"))
    if crash is not None:
        market.set_price("WBTC", crash)
    else:
        market.set_health_factor(borrower, "WBTC", hf)
    chain.pending_timestamp = chain.pending_timestamp + BLOCK_TIME
    receipt = market.engine.liquidate(
        borrower, market["USDC"].address, market["WBTC"].address, MAX_UINT256, sender=liquidator
    )
    return int(receipt.gas_used)


def _hook_only_gas(m: Any, project: Any, chain: Any, market: Any, borrower: Any, liquidator: Any) -> int:
    market.set_price("WBTC", "60000")
    market.open_position(borrower, "WBTC", market["WBTC"].units("2"), "USDC", market["USDC"].units("60000"))
    market.set_health_factor(borrower, "WBTC", "0.97")
    chain.pending_timestamp = chain.pending_timestamp + BLOCK_TIME
    chain.mine()
    usdc, wbtc = market["USDC"].address, market["WBTC"].address
    preview = market.engine.previewLiquidation(borrower, usdc, wbtc, MAX_UINT256)
    hook = market.governance.deploy(project.PoolHookCallerMock)
    market.registry.setModule(m.module_id("LIQUIDATION_ENGINE"), hook, sender=market.governance)
    market.pool.syncModules(sender=market.governance)
    call = (liquidator.address, borrower.address, usdc, wbtc, preview.repayAmount, preview.seizeAmount, preview.protocolFeeAmount)
    chain.pending_timestamp = chain.pending_timestamp + BLOCK_TIME
    receipt = hook.execute(market.pool, market.pool.executeLiquidation.encode_input(call), sender=liquidator)
    return int(receipt.gas_used)


def _run_setup(m: Any, project: Any, chain: Any, actors: list[Any], fixed_prices: bool) -> dict[str, int]:
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
        ("50% liquidation, v1 (hf 0.97)", borrowers[1], "0.97", None),
        ("100% liquidation, v1 (hf 0.90)", borrowers[2], "0.90", None),
        ("collateral exhausted + bad debt, v1", borrowers[3], None, "20000"),
    )
    for name, borrower, hf, crash in scenarios:
        snapshot = chain.snapshot()
        results[name] = _liquidation_gas(chain, market, borrower, liquidator, hf, crash)
        chain.restore(snapshot)

    # The pool's share: the same 50% liquidation sent straight to `executeLiquidation` by a bare hook caller
    # registered as the engine (amounts from the engine's preview). The difference is the engine's overhead.
    snapshot = chain.snapshot()
    results["pool hook alone (same 50% liquidation)"] = _hook_only_gas(m, project, chain, market, borrowers[1], liquidator)
    chain.restore(snapshot)

    implementation = governance.deploy(project.LiquidationEngineV2)
    data = implementation.initializeV2.encode_input(m.AUCTION_START_BONUS, m.AUCTION_FLOOR_HF)
    market.engine.upgradeToAndCall(implementation, data, sender=governance)
    results["50% liquidation, v2 auction (hf 0.97)"] = _liquidation_gas(chain, market, borrowers[4], liquidator, "0.97", None)
    return results


@click.command(cls=StrataCommand, short_help="Gas of a liquidation (prints figures)")
@friendly_errors
def cli(provider: Any) -> None:
    """Deploy liquidation markets on the devchain and print the receipt gas of each liquidation scenario."""
    from ape import accounts, chain, project
    from rich.table import Table

    if provider.network.name != "local":
        raise click.ClickException("the benchmark deploys markets: run it on a devchain (--network ethereum:local:foundry)")
    m = _market_module()
    actors = list(accounts.test_accounts[:9])
    base = chain.snapshot()
    real = _run_setup(m, project, chain, actors, fixed_prices=False)
    chain.restore(base)
    fixed = _run_setup(m, project, chain, actors, fixed_prices=True)

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
