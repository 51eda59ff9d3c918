"""ape run bench_liquidation — receipt gas of liquidations on a fresh devchain (figures, never assertions).

Builds the same market as tests/unit/liquidation (registry, oracle, pool and engine each behind its proxy;
USDC/WBTC/WETH with Chainlink mock feeds), then measures:
  * a 50% liquidation (WBTC collateral, USDC debt, health factor 0.97) — the figure compared with
    Aave V3 (326.4k) and Morpho Blue (109.8k);
  * the same under LiquidationEngineV2 (Dutch auction);
  * a 100% liquidation (health factor below 0.95);
  * a liquidation that exhausts the collateral and writes off bad debt.
"""

from __future__ import annotations

from typing import Any, Callable

import click

from strata.cli import StrataCommand, console as make_console, friendly_errors

AAVE_V3 = 326_400
MORPHO_BLUE = 109_800
TARGET = 137_000


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


def _scenario(market: Any, borrower: Any, liquidator: Any, hf: str | None, crash: str | None) -> int:
    MAX_UINT256 = 2**256 - 1
    market.set_price("WBTC", "60000")
    market.open_position(borrower, "WBTC", market["WBTC"].units("2"), "USDC", market["USDC"].units("60000"))
    if crash is not None:
        market.set_price("WBTC", crash)
    else:
        market.set_health_factor(borrower, "WBTC", hf)
    receipt = market.engine.liquidate(
        borrower, market["USDC"].address, market["WBTC"].address, MAX_UINT256, sender=liquidator
    )
    return int(receipt.gas_used)


@click.command(cls=StrataCommand, short_help="Gas of a liquidation (prints figures)")
@friendly_errors
def cli(provider: Any) -> None:
    """Deploy a liquidation market on the devchain and print the receipt gas of each liquidation scenario."""
    from ape import accounts, chain, project
    from rich.table import Table

    m = _market_module()

    if provider.network.name != "local":
        raise click.ClickException("the benchmark deploys a market: run it on a devchain (--network ethereum:local:foundry)")
    governance, guardian, supplier, liquidator, *borrowers = accounts.test_accounts[:9]
    market = m.deploy_market(project, governance, guardian)
    market.supply(supplier, "USDC", market["USDC"].units("10000000"))
    market.supply(supplier, "WBTC", market["WBTC"].units("200"))
    for symbol, amount in (("USDC", "100000000"), ("WBTC", "1000"), ("WETH", "100000")):
        market.fund(liquidator, symbol, market[symbol].units(amount))
    # The first liquidation of a fresh market pays first-touch storage (the liquidator's first WBTC balance,
    # the reserve's first protocol-fee credit: zero → non-zero writes) that a running market does not; it is
    # shown, and the other scenarios run after it.
    first = _scenario(market, borrowers[0], liquidator, "0.97", None)

    results = [("first liquidation of a fresh market (hf 0.97, 50%)", first)]
    rows: list[tuple[str, Callable[[], int]]] = [
        ("50% liquidation, v1 (hf 0.97)", lambda: _scenario(market, borrowers[1], liquidator, "0.97", None)),
        ("100% liquidation, v1 (hf 0.90)", lambda: _scenario(market, borrowers[2], liquidator, "0.90", None)),
        ("collateral exhausted + bad debt, v1", lambda: _scenario(market, borrowers[3], liquidator, None, "20000")),
    ]
    for name, run in rows:
        snapshot = chain.snapshot()
        results.append((name, run()))
        chain.restore(snapshot)

    implementation = governance.deploy(project.LiquidationEngineV2)
    market.engine.upgradeToAndCall(
        implementation, implementation.initializeV2.encode_input(m.AUCTION_START_BONUS, m.AUCTION_FLOOR_HF), sender=governance
    )
    results.append(("50% liquidation, v2 auction (hf 0.97)", _scenario(market, borrowers[4], liquidator, "0.97", None)))

    table = Table(title="Liquidation receipt gas (Anvil, cold accounts)")
    for column in ("scenario", "gas", "vs Aave V3", "vs Morpho Blue", "target"):
        table.add_column(column, justify="right" if column != "scenario" else "left")
    for name, gas in results:
        table.add_row(name, f"{gas:,}", f"{gas / AAVE_V3:.2f}×", f"{gas / MORPHO_BLUE:.2f}×", f"{TARGET:,}")
    make_console().print(table)
