"""2026-11-25 — LiquidationEngine 1.0.0 → 2.0.0: the liquidation bonus becomes a Dutch auction on the health
factor (docs/upgrades/v2.md).

    ape run upgrades 20261125_liquidation_v2 prepare [--dry-run]    # check, deploy, rehearse (Comet: prepare)
    ape run upgrades 20261125_liquidation_v2 enact [--fast-forward] # propose, then vote/queue/execute when due
    ape run upgrades 20261125_liquidation_v2 verify                 # the upgrade's own post-conditions

``prepare``/``enact``/``verify`` are also plain functions over an :class:`UpgradePipeline` (the tests call them).
"""

from __future__ import annotations

from typing import Any, Sequence

from strata.upgrades import migration
from strata.upgrades.pipeline import PreparedUpgrade, StepResult, UpgradePipeline, UpgradeSpec

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
    return migration.prepare(UPGRADE, pipeline, dry_run=dry_run)


def enact(pipeline: UpgradePipeline, proposer: Any, voters: Sequence[Any] = (), *, prepared: PreparedUpgrade | None = None,
          fast_forward: bool = False) -> StepResult:
    """Proposes (unless already pending) and takes every governance step that is due."""
    return migration.enact(UPGRADE, pipeline, proposer, voters, prepared=prepared, fast_forward=fast_forward)


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


cli = migration.migration_cli(UPGRADE, VERSION, verify, short_help="LiquidationEngine 2.0.0 (Dutch-auction bonus): prepare / enact / verify", help_text="LiquidationEngine 1.0.0 → 2.0.0 (docs/upgrades/v2.md).")
