"""ape run liquidate — find unhealthy Strata positions and liquidate the most profitable ones.

    ape run liquidate --pool 0x… --engine 0x… --account keeper --dry-run
    ape run liquidate --pool 0x… --engine 0x… --account keeper --min-profit 5

The keeper repays from its own inventory of debt assets (see docs/liquidation.md).
"""

from __future__ import annotations

from typing import Any, NamedTuple

import click
from ape.cli import account_option

from strata.cli import StrataCommand, console as make_console, friendly_errors
from strata.errors import StrataError
from strata.keeper import WAD, InventoryFunding, Keeper, KeeperError, Report, erc20_at, iter_rows


class ProtocolHandles(NamedTuple):  # not a dataclass: `ape run` executes scripts outside sys.modules
    pool: Any
    engine: Any


def _load_protocol(provider: Any, pool_address: str | None, engine_address: str | None) -> ProtocolHandles:
    """The pool and engine to work with. Today: the addresses given on the command line.

    The one place to switch to ``deployments/<network>.json`` (the engine's and pool's proxies as recorded by
    the deployer) once the whole protocol is recorded there.
    """
    from ape import project

    if not pool_address or not engine_address:
        raise StrataError("pass --pool ADDRESS and --engine ADDRESS (the proxies of LendingPool and LiquidationEngine)")
    for name, address in (("pool", pool_address), ("engine", engine_address)):
        if len(provider.get_code(address)) == 0:
            raise StrataError(f"no contract at the {name} address {address} on {provider.network.name}")
    # Typed from this project's ABIs directly: ape's per-network contract cache may hold another type for the
    # same address (devchains reuse addresses), and these are proxies whose ABI is their implementation's.
    from ape.contracts import ContractInstance

    return ProtocolHandles(
        pool=ContractInstance(pool_address, project.LendingPool.contract_type),
        engine=ContractInstance(engine_address, project.LiquidationEngine.contract_type),
    )


def _summary(report: Report, keeper: Keeper, dry_run: bool) -> Any:
    from rich.table import Table

    title = "Liquidation plan (dry run: nothing sent)" if dry_run else "Liquidations"
    table = Table(title=title)
    columns = ("borrower", "hf", "repay", "receive", "bonus", "profit $", "status", "gas")
    for column in columns:
        table.add_column(column, no_wrap=column != "status", justify="right" if column in ("hf", "profit $", "gas") else "left")
    for row in iter_rows(report, keeper.reserves()):
        table.add_row(*(row[c] for c in columns))
    return table


@click.command(cls=StrataCommand, short_help="Liquidate unhealthy positions")
@account_option(prompt=False)
@click.option("--pool", "pool_address", default=None, help="LendingPool proxy address.")
@click.option("--engine", "engine_address", default=None, help="LiquidationEngine proxy address.")
@click.option("--dry-run", is_flag=True, help="Print what would be liquidated; send nothing.")
@click.option("--min-profit", type=float, default=0.0, show_default=True, help="Skip liquidations below this USD profit (before gas).")
@click.option("--from-block", type=int, default=0, show_default=True, help="First block to scan for borrow events.")
@click.option("--max-rounds", type=click.IntRange(1, 1000), default=10, show_default=True, help="Stop after this many rounds.")
@friendly_errors
def cli(
    provider: Any,
    account: Any,
    pool_address: str | None,
    engine_address: str | None,
    dry_run: bool,
    min_profit: float,
    from_block: int,
    max_rounds: int,
) -> None:
    """Scan borrowers from the pool's borrow events, rank the unhealthy ones by estimated profit
    (the engine's own preview), and liquidate them from the account's inventory of debt assets.

    Without --dry-run an --account is required. A dry run without an account assumes an unlimited inventory.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    console = make_console()
    if account is None and not dry_run:
        raise click.ClickException("pass --account ALIAS (or --dry-run to only print the plan)")
    handles = _load_protocol(provider, pool_address, engine_address)
    funding = InventoryFunding(erc20_at, owner=account.address if account else None, sender=None if dry_run else account)

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=console, transient=True) as bar:
        tasks: dict[str, Any] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        keeper = Keeper(
            handles.pool,
            handles.engine,
            funding,
            min_profit=int(min_profit * WAD),
            start_block=from_block,
            progress=progress,
        )
        try:
            report = keeper.run(dry_run=dry_run, max_rounds=max_rounds)
        except KeeperError as err:
            raise click.ClickException(str(err)) from err

    console.print(_summary(report, keeper, dry_run))
    inventory = "unlimited (no --account)" if account is None else account.address
    console.print(
        f"borrowers scanned: {report.borrowers_scanned}   unhealthy: {report.unhealthy_found}   "
        f"rounds: {report.rounds}   liquidated: {len(report.liquidated)}   failed: {len(report.failed)}   "
        f"estimated profit: ${report.estimated_profit / WAD:,.2f}   inventory: {inventory}"
    )
    if report.failed:
        first = report.failed[0]
        raise click.ClickException(f"{len(report.failed)} liquidation(s) failed; first: {first.detail}")
