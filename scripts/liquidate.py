"""ape run liquidate — find unhealthy Strata positions and liquidate the most profitable ones.

    ape run liquidate --account keeper --dry-run            # addresses from deployments/<network>.json
    ape run liquidate --account keeper --min-profit 5
    ape run liquidate --account keeper --flash              # flash-funded, through the keeper's FlashLiquidator
    ape run liquidate --pool 0x… --engine 0x… --dry-run     # options override the record

The keeper repays from its own inventory of debt assets, or with --flash from a flash loan of Strata's
FlashLoanModule (see docs/liquidation.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

import click
from ape.cli import account_option

from strata.cli import StrataCommand, console as make_console, default_record_file, friendly_errors, record_option
from strata.errors import RecordError, StrataError
from strata.keeper import (
    FLASH_LIQUIDATOR,
    WAD,
    FlashFunding,
    FundingStrategy,
    InventoryFunding,
    Keeper,
    KeeperError,
    Report,
    ensure_flash_liquidator,
    erc20_at,
    iter_rows,
    recorded_flash_liquidator,
    typed_at,
)
from strata.modules import FLASH_LOAN_MODULE, LENDING_POOL, LIQUIDATION_ENGINE


class ProtocolHandles(NamedTuple):  # not a dataclass: `ape run` executes scripts outside sys.modules
    pool: Any
    engine: Any
    flash: Any  # None without --flash
    record: Any  # the DeploymentRecord, None when every address came from an option
    record_file: Path


def _load_record(provider: Any, record_file: Path) -> Any:
    """The deployment record of the connected chain (one-line ``RecordError`` when missing or foreign)."""
    from ape import chain

    from strata.deployer import chain_identity
    from strata.records import load_record

    record = load_record(record_file)
    identity = chain_identity(chain, provider)
    if (record.chain_id, record.genesis_hash) != (identity.chain_id, identity.genesis_hash):
        raise RecordError(f"{record_file} was written for another chain (chain id {record.chain_id}); redeploy or pass --record")
    return record


def _load_protocol(
    provider: Any,
    record_file: Path | None,
    pool_address: str | None,
    engine_address: str | None,
    flash_address: str | None,
    flash: bool,
) -> ProtocolHandles:
    """The pool, engine (and with --flash the flash-loan module) to work with.

    Addresses come from the deployment record of the connected network (``deployments/<network>.json``, or
    ``--record``); ``--pool``/``--engine``/``--flash-module`` override it. The record is read only when an
    address is missing, so a run given every address works without one.
    """
    from ape import project
    from ape.contracts import ContractInstance

    record_file = record_file or default_record_file(provider)
    wanted = {"pool": pool_address, "engine": engine_address}
    if flash:
        wanted["flash"] = flash_address
    record = None
    if not all(wanted.values()):
        record = _load_record(provider, record_file)
        names = {"pool": LENDING_POOL.name, "engine": LIQUIDATION_ENGINE.name, "flash": FLASH_LOAN_MODULE.name}
        for what, address in list(wanted.items()):
            if not address:
                wanted[what] = record.require(names[what]).address
    for what, address in wanted.items():
        if len(provider.get_code(address)) == 0:
            raise StrataError(f"no contract at the {what} address {address} on {provider.network.name}")
    # Typed from this project's ABIs directly: ape's per-network contract cache may hold another type for the
    # same address (devchains reuse addresses), and these are proxies whose ABI is their implementation's.
    return ProtocolHandles(
        pool=ContractInstance(wanted["pool"], project.LendingPool.contract_type),
        engine=ContractInstance(wanted["engine"], project.LiquidationEngine.contract_type),
        flash=ContractInstance(wanted["flash"], project.FlashLoanModule.contract_type) if flash else None,
        record=record,
        record_file=record_file,
    )


def _executor(handles: ProtocolHandles, provider: Any, account: Any, executor_address: str | None, dry_run: bool) -> Any:
    """The keeper's FlashLiquidator: --executor, else the recorded one, else (live runs) a new one, recorded.

    A dry run never deploys: without a recorded executor it plans as if an empty one existed.
    """
    from ape import chain, project

    flash, engine = handles.flash.address, handles.engine.address
    if executor_address:
        if len(provider.get_code(executor_address)) == 0:
            raise StrataError(f"no contract at the executor address {executor_address} on {provider.network.name}")
        executor = typed_at(project, FLASH_LIQUIDATOR, executor_address)
        owner = str(executor.owner())
        if account is not None and owner.lower() != account.address.lower():
            raise StrataError(f"the executor {executor_address} belongs to {owner}, not to {account.address}")
        if str(executor.lender()).lower() != flash.lower() or str(executor.engine()).lower() != engine.lower():
            raise StrataError(f"the executor {executor_address} is wired to another flash-loan module or engine")
        return executor
    if account is None:
        return None
    record = handles.record
    if record is None:
        try:
            record = _load_record(provider, handles.record_file)
        except RecordError:
            if dry_run:
                return None
            raise
    if dry_run:
        return recorded_flash_liquidator(record, project, provider, account.address, flash, engine)
    from strata.deployer import Deployer

    deployer = Deployer(project, chain, account, record, handles.record_file)
    return ensure_flash_liquidator(deployer, flash, engine)


def _summary(report: Report, keeper: Keeper, dry_run: bool) -> Any:
    from rich.table import Table

    title = "Liquidation plan (dry run: nothing sent)" if dry_run else "Liquidations"
    table = Table(title=title)
    columns = ("borrower", "hf", "repay", "receive", "bonus", "fee", "profit $", "status", "gas")
    for column in columns:
        table.add_column(column, no_wrap=column != "status", justify="right" if column in ("hf", "profit $", "gas") else "left")
    for row in iter_rows(report, keeper.reserves()):
        table.add_row(*(row[c] for c in columns))
    return table


@click.command(cls=StrataCommand, short_help="Liquidate unhealthy positions")
@account_option(prompt=False)
@record_option()
@click.option("--pool", "pool_address", default=None, help="LendingPool proxy address [default: from the record].")
@click.option("--engine", "engine_address", default=None, help="LiquidationEngine proxy address [default: from the record].")
@click.option("--flash", is_flag=True, help="Fund each repayment with a flash loan of the FlashLoanModule (through the keeper's FlashLiquidator; deployed and recorded on first use).")
@click.option("--flash-module", "flash_address", default=None, help="FlashLoanModule proxy address, with --flash [default: from the record].")
@click.option("--executor", "executor_address", default=None, help="The keeper's FlashLiquidator, with --flash [default: from the record, else deployed].")
@click.option("--dry-run", is_flag=True, help="Print what would be liquidated; send nothing.")
@click.option("--min-profit", type=float, default=0.0, show_default=True, help="Skip liquidations below this USD profit (before gas, after the flash fee).")
@click.option("--from-block", type=int, default=0, show_default=True, help="First block to scan for borrow events.")
@click.option("--max-rounds", type=click.IntRange(1, 1000), default=10, show_default=True, help="Stop after this many rounds.")
@friendly_errors
def cli(
    provider: Any,
    account: Any,
    record_file: Path | None,
    pool_address: str | None,
    engine_address: str | None,
    flash: bool,
    flash_address: str | None,
    executor_address: str | None,
    dry_run: bool,
    min_profit: float,
    from_block: int,
    max_rounds: int,
) -> None:
    """Scan borrowers from the pool's borrow events, rank the unhealthy ones by estimated profit
    (the engine's own preview), and liquidate them from the account's inventory of debt assets, or with
    --flash from flash loans (the seizure repays a same-asset loan; otherwise the inventory does).

    Addresses come from deployments/<network>.json (or --record); options override it.
    Without --dry-run an --account is required. A dry run without an account assumes an unlimited inventory.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    console = make_console()
    if account is None and not dry_run:
        raise click.ClickException("pass --account ALIAS (or --dry-run to only print the plan)")
    if not flash and (flash_address or executor_address):
        raise click.ClickException("--flash-module and --executor go with --flash")
    handles = _load_protocol(provider, record_file, pool_address, engine_address, flash_address, flash)
    owner = account.address if account else None
    sender = None if dry_run else account
    funding: FundingStrategy
    executor = None
    if flash:
        executor = _executor(handles, provider, account, executor_address, dry_run)
        funding = FlashFunding(handles.flash, executor, erc20_at, owner=owner, sender=sender)
    else:
        funding = InventoryFunding(erc20_at, owner=owner, sender=sender)

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
    funded = funding.label + (f" via {executor.address}" if executor is not None else " (no executor yet)" if flash else "")
    skipped = [o for o in report.outcomes if o.status == "skipped"]
    console.print(
        f"borrowers scanned: {report.borrowers_scanned}   unhealthy: {report.unhealthy_found}   "
        f"rounds: {report.rounds}   liquidated: {len(report.liquidated)}   skipped: {len(skipped)}   "
        f"failed: {len(report.failed)}   estimated profit: ${report.estimated_profit / WAD:,.2f}   "
        f"funding: {funded}   inventory: {inventory}"
    )
    if report.failed:
        first = report.failed[0]
        raise click.ClickException(f"{len(report.failed)} liquidation(s) failed; first: {first.detail}")
