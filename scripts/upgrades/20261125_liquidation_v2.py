"""2026-11-25 — LiquidationEngine 1.0.0 → 2.0.0: the liquidation bonus becomes a Dutch auction on the health
factor (docs/upgrades/v2.md).

    ape run upgrades 20261125_liquidation_v2 prepare [--dry-run]    # check, deploy, rehearse (Comet: prepare)
    ape run upgrades 20261125_liquidation_v2 enact [--fast-forward] # propose, then vote/queue/execute when due
    ape run upgrades 20261125_liquidation_v2 verify                 # the upgrade's own post-conditions

``prepare``/``enact``/``verify`` are also plain functions over an :class:`UpgradePipeline` (the tests call them).
"""

from __future__ import annotations

from typing import Any, Sequence

import click

from strata.cli import StrataCommand, console as make_console, friendly_errors, one_line, record_option
from strata.upgrades.pipeline import (
    PreparedUpgrade,
    StepResult,
    UpgradePipeline,
    UpgradeRefused,
    UpgradeSpec,
    governance_actors,
    open_pipeline,
    print_prepared,
    print_refusal,
    print_steps,
)

WAD = 10**18
START_BONUS = WAD // 100  # 1%: the bonus just below a health factor of 1
FLOOR_HEALTH_FACTOR = 90 * WAD // 100  # the reserve's full bonus at and below 0.90

UPGRADE = UpgradeSpec(
    module="LiquidationEngine",
    contract="LiquidationEngineV2",
    call="initializeV2",
    args=(START_BONUS, FLOOR_HEALTH_FACTOR),
    # initializeV2 writes only the two appended fields, which no version-1 invariant reads.
    allowed_changes=(),
)
VERSION = "2.0.0"


def prepare(pipeline: UpgradePipeline, *, dry_run: bool = False) -> PreparedUpgrade:
    return pipeline.prepare(UPGRADE, dry_run=dry_run)


def enact(pipeline: UpgradePipeline, proposer: Any, voters: Sequence[Any] = (), *, prepared: PreparedUpgrade | None = None,
          fast_forward: bool = False) -> StepResult:
    """Proposes (unless already pending) and takes every governance step that is due."""
    if pipeline.pending(UPGRADE.module) is None:
        pipeline.propose(prepared or prepare(pipeline), proposer)
    return pipeline.advance(UPGRADE.module, proposer, voters=voters, fast_forward=fast_forward)


def verify(pipeline: UpgradePipeline) -> list[str]:
    """What 2.0.0 promises beyond the pipeline's generic verification; an empty list means all holds."""
    entry = pipeline.record.require(UPGRADE.module)
    engine = pipeline.project.LiquidationEngineV2.at(entry.address)
    problems = []
    if engine.version() != VERSION:
        problems.append(f"version() is {engine.version()}, expected {VERSION}")
    if int(engine.auctionStartBonus()) != START_BONUS:
        problems.append(f"auctionStartBonus() is {engine.auctionStartBonus()}, expected {START_BONUS}")
    if int(engine.auctionFloorHealthFactor()) != FLOOR_HEALTH_FACTOR:
        problems.append(f"auctionFloorHealthFactor() is {engine.auctionFloorHealthFactor()}, expected {FLOOR_HEALTH_FACTOR}")
    if entry.version != VERSION or entry.contract != UPGRADE.contract:
        problems.append(f"the record says {entry.contract} {entry.version}")
    return problems


@click.group(short_help="LiquidationEngine 2.0.0 (Dutch-auction bonus): prepare / enact / verify")
def cli() -> None:
    """LiquidationEngine 1.0.0 → 2.0.0 (docs/upgrades/v2.md)."""


@cli.command("prepare", cls=StrataCommand)
@click.option("--dry-run", is_flag=True, help="Rehearse on a snapshot and undo everything.")
@click.option("--account", "account_alias", default=None)
@record_option()
@friendly_errors
def prepare_cmd(provider, dry_run: bool, account_alias: str | None, record_file) -> None:
    """Check, deploy and rehearse the upgrade."""
    console = make_console()
    pipeline = open_pipeline(provider, record_file, account_alias)
    try:
        print_prepared(console, prepare(pipeline, dry_run=dry_run))
    except UpgradeRefused as err:
        print_refusal(console, err)
        raise click.ClickException(f"refused: {one_line(err)}") from err


@cli.command("enact", cls=StrataCommand)
@click.option("--fast-forward", is_flag=True, help="Devchain: run the whole lifecycle now.")
@click.option("--account", "account_alias", default=None)
@click.option("--proposer", "proposer_alias", default=None)
@click.option("--voter", "voter_aliases", multiple=True)
@record_option()
@friendly_errors
def enact_cmd(provider, fast_forward: bool, account_alias, proposer_alias, voter_aliases, record_file) -> None:
    """Propose (once), then take the governance steps that are due."""
    console = make_console()
    pipeline = open_pipeline(provider, record_file, account_alias)
    proposer, voters = governance_actors(pipeline, provider, proposer_alias, voter_aliases)
    try:
        print_steps(console, enact(pipeline, proposer, voters, fast_forward=fast_forward))
    except UpgradeRefused as err:
        print_refusal(console, err)
        raise click.ClickException(f"refused: {one_line(err)}") from err


@cli.command("verify", cls=StrataCommand)
@click.option("--account", "account_alias", default=None)
@record_option()
@friendly_errors
def verify_cmd(provider, account_alias, record_file) -> None:
    """Check the upgrade's post-conditions on the chain."""
    problems = verify(open_pipeline(provider, record_file, account_alias))
    if problems:
        raise click.ClickException("; ".join(problems))
    make_console().print(f"{UPGRADE.module} {VERSION}: all post-conditions hold")

