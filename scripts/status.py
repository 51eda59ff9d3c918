"""ape run status — every module's proxy, implementation (read from the chain) and version."""

from __future__ import annotations

from pathlib import Path

import click

from strata.cli import StrataCommand, console as make_console, default_record_file, friendly_errors, record_option
from strata.deployer import chain_identity
from strata.errors import RecordError
from strata.records import load_record
from strata.views import keeper_executors_table, module_table, upgrade_proposals_table


@click.command(cls=StrataCommand, short_help="Show the deployed modules")
@record_option()
@friendly_errors
def cli(provider, record_file: Path | None) -> None:
    """Show every module of the deployment recorded for this network: proxy, implementation, version; and the
    upgrade proposals not settled yet (Governor proposals calling upgradeToAndCall on a recorded proxy) with their state;
    and the keepers' flash-liquidation executors recorded by `ape run liquidate --flash`."""
    from ape import chain, project

    record_file = record_file or default_record_file(provider)
    record = load_record(record_file)
    identity = chain_identity(chain, provider)
    if (record.chain_id, record.genesis_hash) != (identity.chain_id, identity.genesis_hash):
        raise RecordError(f"{record_file} was written for another chain (chain id {record.chain_id}); redeploy")
    console = make_console()
    console.print(module_table(record, project, provider))
    upgrades = upgrade_proposals_table(record, project)
    if upgrades is not None:
        console.print(upgrades)
    executors = keeper_executors_table(record, provider)
    if executors is not None:
        console.print(executors)
