"""2026-11-25 — PriceOracle 1.0.0 → 2.0.0: an optional fallback feed per asset, used while the primary feed is
stale (docs/upgrades/v2.md).

    ape run upgrades 20261125_price_oracle_v2 prepare [--dry-run]    # check, deploy, rehearse (Comet: prepare)
    ape run upgrades 20261125_price_oracle_v2 enact [--fast-forward] # propose, then vote/queue/execute when due
    ape run upgrades 20261125_price_oracle_v2 verify                 # the upgrade's own post-conditions

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

ZERO_ADDRESS = "0x" + "00" * 20

UPGRADE = UpgradeSpec(
    module="PriceOracle",
    contract="PriceOracleV2",
    # Nothing to initialise: no asset has a fallback until governance calls setFallbackFeed.
    call=None,
    args=(),
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
    oracle = pipeline.project.PriceOracleV2.at(entry.address)
    problems = []
    if oracle.version() != VERSION:
        problems.append(f"version() is {oracle.version()}, expected {VERSION}")
    for asset in pipeline.protocol.pool.getReservesList():
        if oracle.getFeed(asset).feed == ZERO_ADDRESS:
            problems.append(f"{asset} lost its primary feed")
        if oracle.getFallbackFeed(asset).feed != ZERO_ADDRESS:
            problems.append(f"{asset} has a fallback feed right after the upgrade (none was expected)")
        if int(oracle.getPriceSource(asset)) != 0:
            problems.append(f"{asset} is priced by its fallback right after the upgrade")
    if entry.version != VERSION or entry.contract != UPGRADE.contract:
        problems.append(f"the record says {entry.contract} {entry.version}")
    return problems


@click.group(short_help="PriceOracle 2.0.0 (fallback feeds): prepare / enact / verify")
def cli() -> None:
    """PriceOracle 1.0.0 → 2.0.0 (docs/upgrades/v2.md)."""


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

