"""ape run bench — gas of the same lending scenario on Strata, Aave V3 and Morpho Blue, on one Anvil.

Aave V3 comes from the compiled artifacts of npm @aave/core-v3, Morpho Blue is compiled from npm
@morpho-org/morpho-blue with its pinned solc 0.8.19 (npm alias solc-0.8.19); both live in bench/node_modules
(installed here with `npm ci --prefix bench` when missing). Writes bench/results/: gas.json, gas.md, gas.png,
growth.json, growth.md, growth.png. A sanity check that fails (an operation that did not do what it should)
ends the command with exit code 1.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import click

from strata.cli import StrataCommand, console as make_console, friendly_errors


TOKEN_DESCRIPTIONS = {
    "oz5": "OpenZeppelin 5 MockERC20 (an unlimited allowance is never written back)",
    "aave-mintable": "Aave's MintableERC20 (every transferFrom rewrites the allowance)",
}


def ensure_bench_packages(bench_dir: Path, console) -> None:
    """``npm ci --prefix bench`` when bench/node_modules is missing or older than the lock file."""
    lock = bench_dir / "package-lock.json"
    stamp = bench_dir / "node_modules" / ".package-lock.json"  # written by npm on every install
    if stamp.exists() and stamp.stat().st_mtime >= lock.stat().st_mtime:
        return
    console.print(f"installing the bench's npm packages: npm ci --prefix {bench_dir}")
    try:
        subprocess.run(
            ["npm", "ci", "--prefix", str(bench_dir), "--no-audit", "--no-fund", "--loglevel=error"], check=True
        )
    except FileNotFoundError as err:
        raise click.ClickException("npm is not on PATH (needed once to install bench/node_modules)") from err
    except subprocess.CalledProcessError as err:
        raise click.ClickException(f"npm ci --prefix {bench_dir} failed (exit {err.returncode})") from err


@click.command(cls=StrataCommand, short_help="Gas benchmark: Strata vs Aave V3 vs Morpho Blue")
@click.option("--growth/--no-growth", default=True, show_default=True, help="Also measure gas vs collateral count.")
@click.option(
    "--token",
    type=click.Choice(list(TOKEN_DESCRIPTIONS)),
    default="oz5",
    show_default=True,
    help="The shared ERC20 pair: OpenZeppelin 5 MockERC20, or Aave's MintableERC20 (rewrites allowances).",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where to write the results (default: bench/results).",
)
@friendly_errors
def cli(provider, growth: bool, token: str, out_dir: Path | None) -> None:
    """Deploy Strata, Aave V3 and Morpho Blue on the local Anvil, run the same scenario on each, write the figures."""
    from ape import accounts, chain, project
    from ape.logging import logger

    from strata.bench import report
    from strata.bench.runner import Bench, BenchOptions

    if provider.network.name != "local" or provider.name != "foundry":
        raise click.ClickException("the bench runs on the local Anvil only (--network ethereum:local:foundry)")
    logger.set_level("WARNING")  # one INFO line per transaction would bury the figures
    console = make_console()
    bench_dir = Path(project.path) / "bench"
    out_dir = out_dir or bench_dir / "results"
    ensure_bench_packages(bench_dir, console)

    bench = Bench(project, chain, accounts, bench_dir, log=lambda m: console.print(f"  [dim]{m}[/dim]"))
    result = bench.run(BenchOptions(growth=growth, token=token))

    table = report.operations_table(result.operations)
    report.write_json(out_dir / "gas.json", report.gas_json(result.anvil, result.operations))
    report.write_text(out_dir / "gas.md", _markdown("Gas per operation", result, table))
    report.operations_chart(out_dir / "gas.png", result.operations, result.anvil)
    console.rule(f"Gas per operation (Anvil {result.anvil})")
    console.print(table, markup=False, highlight=False)
    if result.growth:
        growth_table = report.growth_table(result.growth) + "\n" + report.growth_slopes_text(result.growth)
        report.write_json(out_dir / "growth.json", report.growth_json(result.anvil, result.growth))
        report.write_text(out_dir / "growth.md", _markdown("Gas vs number of collateral assets", result, growth_table))
        report.growth_chart(out_dir / "growth.png", result.growth, result.anvil)
        console.rule("Gas vs number of collateral assets")
        console.print(growth_table, markup=False, highlight=False)
    for note in result.notes:
        console.print(f"note: {note}", markup=False, highlight=False)
    console.print(f"results: {out_dir}")


def _markdown(title: str, result, table: str) -> str:
    from strata.bench import report

    return report.results_markdown(
        title, result.anvil, TOKEN_DESCRIPTIONS[result.token], result.protocols, result.notes, table
    )
