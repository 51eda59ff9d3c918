"""2026-11-25 — PriceOracle 1.0.0 → 2.0.0: an optional fallback feed per asset, used while the primary feed is
stale (docs/upgrades/v2.md).

    ape run upgrades 20261125_price_oracle_v2 prepare [--dry-run]    # check, deploy, rehearse (Comet: prepare)
    ape run upgrades 20261125_price_oracle_v2 enact [--fast-forward] # propose, then vote/queue/execute when due
    ape run upgrades 20261125_price_oracle_v2 verify                 # the upgrade's own post-conditions

``prepare``/``enact``/``verify`` are also plain functions over an :class:`UpgradePipeline` (the tests call them).
"""

from __future__ import annotations

from typing import Any, Sequence

from strata.upgrades import migration
from strata.upgrades.pipeline import PreparedUpgrade, StepResult, UpgradePipeline, UpgradeSpec

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
    return migration.prepare(UPGRADE, pipeline, dry_run=dry_run)


def enact(pipeline: UpgradePipeline, proposer: Any, voters: Sequence[Any] = (), *, prepared: PreparedUpgrade | None = None,
          fast_forward: bool = False) -> StepResult:
    """Proposes (unless already pending) and takes every governance step that is due."""
    return migration.enact(UPGRADE, pipeline, proposer, voters, prepared=prepared, fast_forward=fast_forward)


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


cli = migration.migration_cli(UPGRADE, VERSION, verify, short_help="PriceOracle 2.0.0 (fallback feeds): prepare / enact / verify", help_text="PriceOracle 1.0.0 → 2.0.0 (docs/upgrades/v2.md).")
