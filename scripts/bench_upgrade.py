"""ape run bench_upgrade — seconds of a full devchain upgrade cycle (check + deploy + rehearse + govern + verify).

Prints figures only (no thresholds): deploy the protocol (timed alone: the whole deploy plan on this fresh chain),
open positions, then upgrade the LiquidationEngine to 2.0.0 with the shipped upgrade
(scripts/upgrades/20261125_liquidation_v2.py) and roll it back, timing each stage. The record stays in memory and the
kept build-infos are read from a temporary copy of build-info/ (the references of the deployed 1.0.0 versions, as a
real upgrade reads them): the repository is not written. ``--json PATH`` also writes the figures (``make bench``).
"""

from __future__ import annotations

import importlib.util
import json
import shutil
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
@click.option("--json", "json_path", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Also write the figures to this file.")
def cli(provider, json_path: Path | None) -> None:
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
    from ape.logging import logger

    logger.set_level("WARNING")  # one line per transaction would bury the figures
    console = make_console()
    actors = demo_actors(accounts)
    started = time.perf_counter()
    record = open_record(chain_identity(chain, provider), None)
    deployer = Deployer(project, chain, actors.deployer, record, None)
    protocol = deploy_protocol(deployer, ProtocolConfig(guardian=actors.guardian.address, token_holders={actors.voter.address: VOTER_STAKE}))
    deploy_seconds = time.perf_counter() - started
    deploy_transactions = int(chain.blocks.head.number)
    protocol.token.invoke_transaction("delegate", actors.voter, sender=actors.voter)
    open_demo_positions(protocol, actors)
    chain.mine(timestamp=chain.pending_timestamp + 3600)
    for feed in protocol.feeds.values():
        feed.setAnswer(feed.latestRoundData()[1], sender=actors.deployer)
    setup = time.perf_counter() - started

    migration = _migration("20261125_liquidation_v2")
    with tempfile.TemporaryDirectory() as store_dir:
        shutil.copytree(BuildInfoStore.DEFAULT_DIR, store_dir, dirs_exist_ok=True)
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
    console.print(f"deploy (the whole plan, {deploy_transactions} blocks): {deploy_seconds:.1f} s; with positions: {setup:.1f} s")
    console.print(table)
    console.print(
        f"rehearsal: {len(upgrade.prepared.rehearsal.operations)} user operations, "
        f"{upgrade.prepared.rehearsal.invariants.compared} invariant values compared; "
        f"verification: {upgrade.verification.invariants.compared} values"
    )
    if json_path is not None:
        stages = ("check", "deploy", "rehearse", "govern+verify")
        figures = {
            "deploy": {"seconds": round(deploy_seconds, 2), "blocks": deploy_transactions},
            "setup_with_positions_seconds": round(setup, 2),
            "upgrade": {"seconds": round(upgrade_total, 2), **{s: round(upgrade.seconds.get(s, 0.0), 2) for s in stages}},
            "rollback": {"seconds": round(rollback_total, 2), **{s: round(rollback.seconds.get(s, 0.0), 2) for s in stages}},
            "rehearsal_operations": len(upgrade.prepared.rehearsal.operations),
            "invariants_compared": upgrade.verification.invariants.compared,
        }
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps(figures, indent=2) + "\n")
