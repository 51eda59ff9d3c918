"""ape run bench_upgrade — seconds of a full devchain upgrade cycle (check + deploy + rehearse + govern + verify).

Prints figures only (no thresholds): deploy the protocol with open positions, then upgrade the LiquidationEngine to
2.0.0 with the shipped upgrade (scripts/upgrades/20261125_liquidation_v2.py) and roll it back, timing each stage.
The record stays in memory and build-infos go to a temporary folder: the repository is not written.
"""

from __future__ import annotations

import importlib.util
import tempfile
import time
from pathlib import Path

import click

from strata.cli import StrataCommand, console as make_console

ROOT = Path(__file__).resolve().parents[1]


def _migration(name: str):
    spec = importlib.util.spec_from_file_location(f"strata_migration_{name}", ROOT / "scripts" / "upgrades" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@click.command(cls=StrataCommand, short_help="Time a full devchain upgrade cycle (prints seconds)")
def cli(provider) -> None:
    """Deploy with positions, upgrade LiquidationEngine to 2.0.0 through governance, roll back; print seconds per stage."""
    from ape import accounts, chain, project
    from rich.table import Table

    from strata.deployer import Deployer, chain_identity, open_record
    from strata.demo import VOTER_STAKE, demo_actors, open_demo_positions
    from strata.protocol import ProtocolConfig, deploy_protocol
    from strata.upgrades.buildinfo import BuildInfoStore
    from strata.upgrades.pipeline import UpgradePipeline

    if provider.network.name != "local":
        raise click.ClickException("the benchmark runs on a local devchain only")
    console = make_console()
    actors = demo_actors(accounts)
    started = time.perf_counter()
    record = open_record(chain_identity(chain, provider), None)
    deployer = Deployer(project, chain, actors.deployer, record, None)
    protocol = deploy_protocol(deployer, ProtocolConfig(guardian=actors.guardian.address, token_holders={actors.voter.address: VOTER_STAKE}))
    protocol.token.invoke_transaction("delegate", actors.voter, sender=actors.voter)
    open_demo_positions(protocol, actors)
    chain.mine(timestamp=chain.pending_timestamp + 3600)
    for feed in protocol.feeds.values():
        feed.setAnswer(feed.latestRoundData()[1], sender=actors.deployer)
    setup = time.perf_counter() - started

    migration = _migration("20261125_liquidation_v2")
    with tempfile.TemporaryDirectory() as store_dir:
        pipeline = UpgradePipeline(project, chain, accounts, record, None, actors.deployer, store=BuildInfoStore(store_dir))
        voter = actors.voter
        t0 = time.perf_counter()
        upgrade = pipeline.run(migration.UPGRADE, voter, [voter], fast_forward=True)
        upgrade_total = time.perf_counter() - t0
        t0 = time.perf_counter()
        rollback = pipeline.rollback(migration.UPGRADE.module, voter, [voter], fast_forward=True)
        rollback_total = time.perf_counter() - t0

    table = Table(title="Upgrade cycle on a devchain (seconds)")
    for column in ("stage", "upgrade to 2.0.0", "rollback to 1.0.0"):
        table.add_column(column, justify="right" if column != "stage" else "left")
    for stage in ("check", "deploy", "rehearse", "govern+verify"):
        table.add_row(stage, f"{upgrade.seconds.get(stage, 0):.2f}", f"{rollback.seconds.get(stage, 0):.2f}")
    table.add_row("total", f"{upgrade_total:.2f}", f"{rollback_total:.2f}")
    console.print(f"setup (deploy protocol + positions): {setup:.1f} s")
    console.print(table)
    console.print(
        f"rehearsal: {len(upgrade.prepared.rehearsal.operations)} user operations, "
        f"{upgrade.prepared.rehearsal.invariants.compared} invariant values compared; "
        f"verification: {upgrade.verification.invariants.compared} values"
    )
